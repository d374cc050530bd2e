package io.masqharness.cluster.kubeconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.masqharness.cluster.ClusterException;
import io.masqharness.cluster.k8s.MockCilium;
import io.masqharness.cluster.k8s.ModeSwitch;
import io.masqharness.cluster.k8s.VertxPerMockClient;
import io.masqharness.net.Cidr;
import io.masqharness.oracle.IpMasqAgentFile;
import io.masqharness.oracle.MasqueradeMode;
import io.masqharness.scenario.ModeSpec;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioFacts;
import io.masqharness.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = VertxPerMockClient.class)
class KubeconfigClusterTest {

    static final Scenario TOGGLE = new ScenarioLoader().load(Path.of("scenarios/masquerade-toggle.yaml"));
    static final String NS = "cilium-system";
    static final String USERS_CONFIG = "nonMasqueradeCIDRs:\n  - 10.0.0.0/8   # kept as written\n";

    KubernetesMockServer server;
    KubernetesClient client;
    final List<String> progress = new ArrayList<>();
    final RecordingRelease release = new RecordingRelease();
    final List<String> opened = new ArrayList<>();

    /** Stands for Helm: what the switch asked it to upgrade, in order. */
    static final class RecordingRelease implements ModeSwitch.Release {
        final List<Map<String, Object>> upgrades = new ArrayList<>();

        @Override
        public String release() {
            return "cilium-prod";
        }

        @Override
        public String chartSource() {
            return "cilium/cilium 1.13.2 (the deployed release's)";
        }

        @Override
        public void upgradeReusingValues(Map<String, Object> values, Duration bound) {
            upgrades.add(values);
        }

        @Override
        public Optional<String> revisionBefore() {
            return Optional.of("7");
        }
    }

    /** The cluster gets a client of its own, since closing the cluster closes it. */
    KubeconfigCluster cluster(boolean allowSwitch) {
        KubernetesClient own = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(client.getConfiguration())
                .withHttpClientFactory(new io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory(io.vertx.core.Vertx.vertx())).build();
        return new KubeconfigCluster(TOGGLE, own, allowSwitch, progress::add, (ns, name, dir) -> {
            opened.add(ns + "/" + name);
            return release;
        });
    }

    @BeforeEach
    void existingCiliumInBpfModeWithTheAgent() {
        Map<String, String> config = new HashMap<>(MockCilium.BPF_CONFIG);
        config.put("enable-ip-masq-agent", "true");
        MockCilium.seed(client, NS, config);
        MockCilium.endpointsRegenerated(server, NS, "node-1");
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("ip-masq-agent")
                .withNamespace(NS).addToLabels("app.kubernetes.io/managed-by", "Helm").addToAnnotations("owner", "platform-team")
                .endMetadata().addToData("config", USERS_CONFIG).build()).create();
    }

    void ownedByHelmRelease(String name, String namespace) {
        client.apps().daemonSets().inNamespace(NS).withName("cilium").edit(ds -> {
            ds.getMetadata().setAnnotations(Map.of(KubeconfigCluster.RELEASE_NAME, name, KubeconfigCluster.RELEASE_NAMESPACE, namespace));
            ds.getMetadata().setGeneration(1L);
            ds.setStatus(new io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder().withObservedGeneration(1L)
                    .withDesiredNumberScheduled(1).withUpdatedNumberScheduled(1).withNumberReady(1).withNumberUnavailable(0).build());
            return ds;
        });
    }

    ConfigMap ipMasqAgent() {
        return client.configMaps().inNamespace(NS).withName("ip-masq-agent").get();
    }

    @Test
    void theCurrentModeIsReadFromTheCluster() {
        try (KubeconfigCluster c = cluster(false)) {
            theCurrentModeIsReadFrom(c);
        }
    }

    private void theCurrentModeIsReadFrom(KubeconfigCluster c) {
        var mode = c.currentMode();
        var agent = ScenarioFacts.agentConfig(TOGGLE, mode);
        assertThat(agent.mode()).isEqualTo(MasqueradeMode.BPF);
        assertThat(agent.ipMasqAgent()).isTrue();
        assertThat(agent.ipMasqAgentCidrs()).extracting(Object::toString).containsExactly("10.0.0.0/8", "169.254.0.0/16");
        assertThat(c.clusterFacts().node("node-1").ip()).hasToString("192.168.5.11");
        assertThat(c.canSwitchModes()).isFalse();
        assertThat(opened).as("a read-only run looks for no Helm release").isEmpty();
    }

    @Test
    void readOnlyMakesNoWriteCall() throws Exception {
        KubeconfigCluster c = cluster(false);
        int before = server.getRequestCount();
        assertThatThrownBy(() -> c.applyMode(TOGGLE.mode("bpf"))).isInstanceOf(ClusterException.class)
                .hasMessageContaining("read-only").hasMessageContaining("-Dharness.kubeconfig.allowModeSwitch=true");
        c.close();
        assertThat(server.getRequestCount()).as("requests after the refusal (close writes nothing either)").isEqualTo(before);
    }

    @Test
    void aModeWhoseValuesCouldNotBeRestoredIsRefusedBeforeAnyChange() throws Exception {
        ownedByHelmRelease("cilium", NS);
        KubeconfigCluster c = cluster(true);
        var unrestorable = new ModeSpec("legacy-routing", Map.of("bpf.hostLegacyRouting", true), Optional.empty());
        int before = server.getRequestCount();
        assertThatThrownBy(() -> c.applyMode(unrestorable)).isInstanceOf(ClusterException.class)
                .hasMessageContaining("cannot read bpf.hostLegacyRouting's original value");
        assertThat(server.getRequestCount()).isEqualTo(before);
        assertThat(release.upgrades).isEmpty();
        c.close();
    }

    /** D6: no Helm release owns Cilium (cilium-cli classic mode): switching is refused, saying why, before anything changes. */
    @Test
    void switchingACiliumNoHelmReleaseOwnsIsRefused() throws Exception {
        int before = server.getRequestCount();
        Set<Path> workDirsBefore = workDirs();
        assertThatThrownBy(() -> cluster(true)).isInstanceOf(ClusterException.class)
                .hasMessageContaining("no Helm release manages it").hasMessageContaining("run read-only");
        assertThat(opened).isEmpty();
        assertThat(workDirs()).as("the refused cluster's Helm work directory is removed").isEqualTo(workDirsBefore);
        assertThat(server.getLastRequest().getMethod()).isEqualTo("GET");
        assertThat(server.getRequestCount() - before).isPositive();
    }

    static Set<Path> workDirs() throws java.io.IOException {
        try (java.util.stream.Stream<Path> dirs = java.nio.file.Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("masq-kubeconfig-")).collect(java.util.stream.Collectors.toSet());
        }
    }

    /** D6: the release is the one that owns the DaemonSet, wherever it lives; its chart version is what the switch uses. */
    @Test
    void theDeployedReleaseIsTheOneTheDaemonSetNames() {
        ownedByHelmRelease("cilium-prod", "platform");
        cluster(true).close();
        assertThat(opened).containsExactly("platform/cilium-prod");
        assertThat(io.masqharness.cluster.k8s.CiliumHelm.chartVersion("cilium-prod", "cilium-1.13.2")).isEqualTo("1.13.2");
        assertThat(io.masqharness.cluster.k8s.CiliumHelm.chartVersion("c", "cilium-1.14.0-rc.1")).isEqualTo("1.14.0-rc.1");
        assertThatThrownBy(() -> io.masqharness.cluster.k8s.CiliumHelm.chartVersion("c", "cilium")).hasMessageContaining("carries no version");
    }

    /** D7: modes without a config leave the user's ConfigMap untouched, through every switch and the restore. */
    @Test
    void modesWithoutAConfigNeverTouchTheUsersConfigMap() throws Exception {
        ownedByHelmRelease("cilium", NS);
        AutoCloseable controller = MockCilium.rolloutController(client, NS);
        ConfigMap before = ipMasqAgent();
        KubeconfigCluster c = cluster(true);
        c.applyMode(TOGGLE.mode("iptables"));
        c.applyMode(TOGGLE.mode("bpf"));
        c.close();
        ConfigMap after = ipMasqAgent();
        assertThat(after.getData()).isEqualTo(before.getData());
        assertThat(after.getMetadata().getResourceVersion()).as("never written").isEqualTo(before.getMetadata().getResourceVersion());
        assertThat(release.upgrades).containsExactly(Map.of("bpf.masquerade", false), Map.of("bpf.masquerade", true),
                Map.of("bpf.masquerade", true));
        assertThat(progress).anyMatch(l -> l.contains("leave ConfigMap cilium-system/ip-masq-agent alone"));
        controller.close();
    }

    /** D7: a mode's config replaces the user's for the run; the restore puts back data, labels and annotations exactly. */
    @Test
    void aModesConfigIsUndoneByteForByte() throws Exception {
        ownedByHelmRelease("cilium", NS);
        AutoCloseable controller = MockCilium.rolloutController(client, NS);
        ConfigMap before = ipMasqAgent();
        KubeconfigCluster c = cluster(true);
        c.applyMode(new ModeSpec("agent", Map.of("ipMasqAgent.enabled", true),
                Optional.of(new IpMasqAgentFile.Present(List.of(Cidr.parse("192.168.0.0/16")), false))));
        assertThat(ipMasqAgent().getData().get("config")).isEqualTo("{\"nonMasqueradeCIDRs\":[\"192.168.0.0/16\"],\"masqLinkLocal\":false}");
        c.close();
        ConfigMap after = ipMasqAgent();
        assertThat(after.getData()).isEqualTo(before.getData()).containsEntry("config", USERS_CONFIG);
        assertThat(after.getMetadata().getLabels()).isEqualTo(before.getMetadata().getLabels());
        assertThat(after.getMetadata().getAnnotations()).isEqualTo(before.getMetadata().getAnnotations());
        assertThat(release.upgrades).containsExactly(Map.of("ipMasqAgent.enabled", true), Map.of("ipMasqAgent.enabled", true));
        controller.close();
    }

    /** Every step is listed before the first is taken, and a dry run lists them reading only. */
    @Test
    void theChangesAreListedInOrderAndListingThemChangesNothing() throws Exception {
        ownedByHelmRelease("cilium", NS);
        KubeconfigCluster c = cluster(true);
        int before = server.getRequestCount();
        List<String> changes = c.plannedChanges("registry.example/masq-harness-probe:abc");
        assertThat(server.getRequestCount()).as("listing the changes sends no request").isEqualTo(before);
        assertThat(changes).first().asString().startsWith("create namespace masq-harness-")
                .contains("pod-security.kubernetes.io/enforce=privileged");
        assertThat(String.join("\n", changes)).containsSubsequence(
                "create DaemonSets masq-probe and masq-probe-host", "registry.example/masq-harness-probe:abc",
                "mode iptables: helm upgrade cilium-prod -n cilium-system --reuse-values -f <values file> setting bpf.masquerade=false",
                "cilium/cilium 1.13.2 (the deployed release's)",
                "mode iptables: leave ConfigMap cilium-system/ip-masq-agent alone",
                "mode iptables: restart the Cilium agents",
                "mode bpf: helm upgrade", "bpf.masquerade=true",
                "restore: helm upgrade cilium-prod", "setting bpf.masquerade=true",
                "restore: leave ConfigMap cilium-system/ip-masq-agent alone: the run did not change it",
                "delete namespace masq-harness-");
        assertThat(release.upgrades).isEmpty();
        c.close();
    }

    /**
     * Review 2, N5: Ctrl-C or a CI cancel (SIGINT, then SIGTERM) runs the JVM's shutdown hooks, not
     * JUnit's @AfterAll. The restore is one of them; a switch in flight ends first. How to undo by
     * hand, should the run be killed before, is said before the first change.
     */
    @Test
    void anInterruptedRunPutsTheClusterBackAndSaidHowToUndoItBeforeItsFirstChange() throws Exception {
        ownedByHelmRelease("cilium", NS);
        AutoCloseable controller = MockCilium.rolloutController(client, NS);
        KubeconfigCluster c = cluster(true);
        assertThat(c.undoCommands()).hasSize(3).startsWith("helm rollback cilium-prod 7 -n cilium-system",
                "kubectl -n cilium-system rollout restart daemonset/cilium").last().asString()
                .matches("kubectl delete namespace masq-harness-[0-9a-f]{8} --ignore-not-found");
        c.armRestoreOnExit();
        c.applyMode(TOGGLE.mode("iptables"));
        Thread hook = c.restoreOnExit();
        assertThat(Runtime.getRuntime().removeShutdownHook(hook)).as("the restore is registered with the JVM").isTrue();

        hook.run();
        assertThat(release.upgrades).as("the switch, then the restore").containsExactly(Map.of("bpf.masquerade", false),
                Map.of("bpf.masquerade", true));
        assertThat(progress).anyMatch(l -> l.startsWith("the JVM is exiting (interrupted?): putting the cluster back"));
        c.close();
        assertThat(release.upgrades).as("closed once").hasSize(2);
        controller.close();
    }

    @Test
    void aRunThatEndsNormallyTakesItsRestoreOffTheJvmsShutdown() {
        KubeconfigCluster c = cluster(false);
        c.armRestoreOnExit();
        c.close();
        assertThat(Runtime.getRuntime().removeShutdownHook(c.restoreOnExit())).isFalse();
        assertThat(c.undoCommands()).as("read-only: only the probe namespace to remove").singleElement().asString()
                .startsWith("kubectl delete namespace masq-harness-");
    }

    /** Review 2, N10: a GitOps controller that keeps the release as declared would revert each switch under the probes. */
    @Test
    void aReleaseFluxKeepsIsNotSwitchedUnlessItsReconciliationIsSuspended() throws Exception {
        ownedByHelmRelease("cilium-prod", NS);
        client.apps().daemonSets().inNamespace(NS).withName("cilium").edit(ds -> {
            ds.getMetadata().setLabels(new HashMap<>(ds.getMetadata().getLabels()));
            ds.getMetadata().getLabels().putAll(Map.of("helm.toolkit.fluxcd.io/name", "cilium", "helm.toolkit.fluxcd.io/namespace",
                    "flux-system"));
            return ds;
        });
        assertThatThrownBy(() -> cluster(true)).isInstanceOf(ClusterException.class)
                .hasMessageContaining("Flux HelmRelease flux-system/cilium (label on DaemonSet cilium)")
                .hasMessageContaining("would revert a switch").hasMessageContaining("flux suspend");
        assertThat(opened).isEmpty();
        System.setProperty(KubeconfigCluster.RECONCILER_SUSPENDED, "true");
        try {
            cluster(true).close();
        } finally {
            System.clearProperty(KubeconfigCluster.RECONCILER_SUSPENDED);
        }
        assertThat(opened).containsExactly("cilium-system/cilium-prod");
    }

    void labelDaemonSet(Map<String, String> labels) {
        client.apps().daemonSets().inNamespace(NS).withName("cilium").edit(ds -> {
            ds.getMetadata().setLabels(new HashMap<>(ds.getMetadata().getLabels()));
            ds.getMetadata().getLabels().putAll(labels);
            return ds;
        });
    }

    void refusedFor(String owner) {
        assertThatThrownBy(() -> cluster(true)).isInstanceOf(ClusterException.class)
                .hasMessageContaining("Operation [switch modes of Helm release cilium-system/cilium-prod] on [" + owner + "] failed:")
                .hasMessageContaining("would revert a switch").hasMessageContaining("Argo CD: turn off auto-sync and self-heal");
        assertThat(opened).isEmpty();
    }

    /** N10: Argo CD's tracking annotation (its default since 3.0), value {@code <app>:<group>/<kind>:<namespace>/<name>}, on cilium-config. */
    @Test
    void aReleaseArgoCdTracksByAnnotationIsNotSwitched() {
        ownedByHelmRelease("cilium-prod", NS);
        client.configMaps().inNamespace(NS).withName("cilium-config").edit(cm -> {
            cm.getMetadata().setAnnotations(Map.of("argocd.argoproj.io/tracking-id", "networking:/ConfigMap:cilium-system/cilium-config"));
            return cm;
        });
        refusedFor("Argo CD application networking (argocd.argoproj.io/tracking-id on ConfigMap cilium-config)");
    }

    /**
     * N10: Argo CD configured to track by the label argocd.argoproj.io/instance. Its default label,
     * app.kubernetes.io/instance, is one Helm charts set themselves, so it alone refuses nothing.
     */
    @Test
    void aReleaseArgoCdTracksByItsInstanceLabelIsNotSwitched() {
        ownedByHelmRelease("cilium-prod", NS);
        labelDaemonSet(Map.of("app.kubernetes.io/instance", "cilium-prod"));
        cluster(true).close();
        assertThat(opened).containsExactly("cilium-system/cilium-prod");
        opened.clear();
        labelDaemonSet(Map.of("argocd.argoproj.io/instance", "networking"));
        refusedFor("Argo CD application networking (argocd.argoproj.io/instance on DaemonSet cilium)");
    }

    /** N10: Flux's kustomize-controller labels every object a Kustomization applies, and re-applies them as declared within its interval. */
    @Test
    void aReleaseAFluxKustomizationAppliesIsNotSwitched() {
        ownedByHelmRelease("cilium-prod", NS);
        labelDaemonSet(Map.of("kustomize.toolkit.fluxcd.io/name", "infrastructure", "kustomize.toolkit.fluxcd.io/namespace", "flux-system"));
        refusedFor("Flux Kustomization infrastructure (label on DaemonSet cilium)");
    }

    @Test
    void aReleaseK3sHelmControllerInstalledIsNotSwitched() {
        ownedByHelmRelease("cilium-prod", NS);
        var chart = new io.fabric8.kubernetes.api.model.GenericKubernetesResource();
        chart.setApiVersion("helm.cattle.io/v1");
        chart.setKind("HelmChart");
        chart.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("cilium-prod").withNamespace("kube-system").build());
        client.genericKubernetesResources(io.masqharness.cluster.k8s.ReleaseOwners.HELM_CHARTS).inNamespace("kube-system").resource(chart).create();
        assertThatThrownBy(() -> cluster(true)).isInstanceOf(ClusterException.class)
                .hasMessageContaining("K3s/RKE2 helm-controller (HelmChart kube-system/cilium-prod)");
    }

    @Test
    void aReleaseOfAnotherChartIsSwitchedOnlyWithTheArchiveItCameFrom() {
        assertThatThrownBy(() -> KubeconfigCluster.requireUpstreamChartOrLocal("kube-system", "rke2-cilium", "rke2-cilium-1.13.400"))
                .isInstanceOf(ClusterException.class).hasMessageContaining("runs chart 'rke2-cilium', not Cilium's own 'cilium'")
                .hasMessageContaining("-Dharness.ciliumChart=<rke2-cilium-1.13.400.tgz>");
        KubeconfigCluster.requireUpstreamChartOrLocal("kube-system", "cilium", "cilium-1.13.4");
    }

    /**
     * Issue 20: runs left empty {@code masq-kubeconfig-*} folders in the temp folder. Only Helm
     * needs one (values files): a read-only connection makes none, and a switching one removes its
     * own when closed, or when it is refused.
     */
    @Test
    void onlyASwitchingRunMakesAHelmFolderAndItGoesWithTheRun() throws Exception {
        Set<Path> before = workDirs();
        KubeconfigCluster readOnly = cluster(false);
        assertThat(workDirs()).as("while a read-only run is connected").isEqualTo(before);
        readOnly.close();

        ownedByHelmRelease("cilium", NS);
        KubeconfigCluster switching = cluster(true);
        assertThat(workDirs()).as("while a switching run is connected").hasSize(before.size() + 1);
        switching.close();
        assertThat(workDirs()).as("after it is closed").isEqualTo(before);
    }
}
