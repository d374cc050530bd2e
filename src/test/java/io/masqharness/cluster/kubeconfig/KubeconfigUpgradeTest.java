package io.masqharness.cluster.kubeconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.masqharness.cluster.k8s.MockCilium;
import io.masqharness.cluster.k8s.ModeSwitch;
import io.masqharness.cluster.k8s.VertxPerMockClient;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioLoader;
import io.masqharness.scenario.ScenarioUpgrade;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * cilium.upgradeTo on an existing cluster: never without its own opt-in, every step listed first (dry run included), the
 * release's own values passed back with --reset-values in the target's spelling (Cilium's upgrade guide), and the version
 * the release ran put back at the end.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = VertxPerMockClient.class)
class KubeconfigUpgradeTest {

    static final Scenario UPGRADE = new ScenarioLoader().load(Path.of("scenarios/upgrade-1.13-to-1.15.yaml"));
    static final String NS = "kube-system";
    /** A release's own values: a list of objects, and a key that must never be printed. */
    static final String USER_VALUES = """
            {"tunnel":"disabled","kubeProxyReplacement":"strict","ipv4NativeRoutingCIDR":"10.46.0.0/16",
             "tolerations":[{"operator":"Exists"}],"hubble":{"tls":{"server":{"key":"PRIVATE-KEY-MATERIAL"}}}}""";

    KubernetesMockServer server;
    KubernetesClient client;
    final List<String> progress = new ArrayList<>();
    final Recording release = new Recording("1.13.4");

    /** Stands for Helm: what the run asked it to do, in order. */
    static final class Recording implements ModeSwitch.Release {
        final List<String> calls = new ArrayList<>();
        final List<Map<String, Object>> chartValues = new ArrayList<>();
        String version;

        Recording(String version) {
            this.version = version;
        }

        @Override
        public String release() {
            return "cilium";
        }

        @Override
        public String chartSource() {
            return "cilium/cilium " + version;
        }

        @Override
        public String chartVersion() {
            return version;
        }

        @Override
        public void upgradeReusingValues(Map<String, Object> values, Duration bound) {
            calls.add("reuse " + values);
        }

        @Override
        public void upgradeChart(String to, Map<String, Object> values, Duration bound) {
            calls.add("chart " + to);
            chartValues.add(values);
            version = to;
        }
    }

    @BeforeEach
    void aHelmInstalledCilium113() throws Exception {
        MockCilium.seed(client, NS, MockCilium.BPF_CONFIG);
        MockCilium.endpointsRegenerated(server, NS, "node-1");
        client.apps().daemonSets().inNamespace(NS).withName("cilium").edit(ds -> {
            ds.getMetadata().setAnnotations(Map.of(KubeconfigCluster.RELEASE_NAME, "cilium", KubeconfigCluster.RELEASE_NAMESPACE, NS));
            ds.getMetadata().setGeneration(1L);
            ds.setStatus(new DaemonSetStatusBuilder().withObservedGeneration(1L).withDesiredNumberScheduled(1).withUpdatedNumberScheduled(1)
                    .withNumberReady(1).withNumberUnavailable(0).build());
            return ds;
        });
        MockCilium.storeHelmRelease(client, NS, 3, "superseded", "1.13.2", "{\"tunnel\":\"vxlan\"}");
        MockCilium.storeHelmRelease(client, NS, 4, "deployed", "1.13.4", USER_VALUES);
    }

    @AfterEach
    void noOptIn() {
        System.clearProperty(KubeconfigCluster.ALLOW_UPGRADE);
    }

    KubeconfigCluster cluster(boolean allowSwitch, boolean allowUpgrade) {
        System.setProperty(KubeconfigCluster.ALLOW_UPGRADE, Boolean.toString(allowUpgrade));
        KubernetesClient own = new KubernetesClientBuilder().withConfig(client.getConfiguration())
                .withHttpClientFactory(new Vertx5HttpClientFactory(Vertx.vertx())).build();
        return new KubeconfigCluster(UPGRADE, own, allowSwitch, progress::add, (ns, name, dir) -> release);
    }

    ScenarioUpgrade upgrade() {
        return ScenarioUpgrade.of(UPGRADE).orElseThrow();
    }

    @Test
    void switchingAloneDoesNotUpgradeAndSaysWhichOptInWould() {
        KubeconfigCluster c = cluster(true, false);
        assertThat(c.plannedChanges("probe:1")).anyMatch(l -> l.startsWith("cilium.upgradeTo 1.15.8: not taken, it would change the"
                + " Cilium version of a cluster the harness does not own: opt in with -Dharness.kubeconfig.allowCiliumUpgrade=true"));
        assertThatThrownBy(() -> c.upgradeCilium(upgrade())).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("-D" + KubeconfigCluster.ALLOW_UPGRADE + "=true");
        c.close();
        assertThat(release.calls).isEmpty();
    }

    @Test
    void aReadOnlyRunNamesBothOptIns() {
        KubeconfigCluster c = cluster(false, true);
        assertThat(c.upgradeRefusal(upgrade())).hasValueSatisfying(why -> assertThat(why)
                .contains("-D" + KubeconfigCluster.ALLOW_SWITCH + "=true and -D" + KubeconfigCluster.ALLOW_UPGRADE + "=true"));
        c.close();
    }

    @Test
    void aReleaseOfAnotherMinorThanTheScenarioSaysIsNotUpgraded() {
        release.version = "1.14.6";
        KubeconfigCluster c = cluster(true, true);
        assertThat(c.upgradeRefusal(upgrade())).hasValue("the release runs chart 1.14.6, not Cilium 1.13 as the scenario's"
                + " cilium.version 1.13.4 says: fix cilium.version first");
        c.close();
    }

    @Test
    void theDryRunListsTheUpgradeTheModesAfterItAndTheWayBackWithoutPrintingValues() {
        KubeconfigCluster c = cluster(true, true);
        String changes = String.join("\n", c.plannedChanges("probe:1"));
        assertThat(changes).containsSubsequence(
                "mode bpf-ip-masq-agent: helm upgrade cilium",
                "upgrade: helm upgrade cilium -n kube-system --version 1.15.8 --reset-values -f <values file> setting the release's own"
                        + " 5 top-level values (helm get values), rewritten for 1.15.8: tunnel: disabled -> routingMode: native;"
                        + " kubeProxyReplacement: strict -> true",
                "upgrade: restart the Cilium agents",
                "mode iptables@1.15.8: helm upgrade cilium -n kube-system --reuse-values",
                "mode bpf-ip-masq-agent@1.15.8: restart the Cilium agents",
                "restore: helm upgrade cilium -n kube-system --version 1.13.4 --reset-values -f <values file> setting the release's own"
                        + " 5 top-level values as found",
                "restore: helm upgrade cilium -n kube-system --reuse-values");
        assertThat(changes).doesNotContain("PRIVATE-KEY-MATERIAL");
        c.close();
        assertThat(release.calls).as("a dry run changes nothing").isEmpty();
    }

    @Test
    void theUpgradePassesTheReleasesOwnValuesRewrittenAndTheRestoreGoesBackToTheVersionItRan() throws Exception {
        AutoCloseable controller = MockCilium.rolloutController(client, NS);
        KubeconfigCluster c = cluster(true, true);
        c.upgradeCilium(upgrade());
        assertThat(release.calls).containsExactly("chart 1.15.8");
        Map<String, Object> sent = release.chartValues.get(0);
        assertThat(sent).doesNotContainKey("tunnel").containsEntry("routingMode", "native").containsEntry("kubeProxyReplacement", "true")
                .containsEntry("ipv4NativeRoutingCIDR", "10.46.0.0/16").containsEntry("tolerations", List.of(Map.of("operator", "Exists")))
                .containsEntry("hubble", Map.of("tls", Map.of("server", Map.of("key", "PRIVATE-KEY-MATERIAL"))));
        assertThat(String.join("\n", progress)).doesNotContain("PRIVATE-KEY-MATERIAL");

        c.applyMode(upgrade().after().modes().get(0));
        c.close();
        assertThat(release.calls).as("upgrade, a mode on the target, back to the deployed version, then the values as found")
                .hasSize(4).startsWith("chart 1.15.8", "reuse {bpf.masquerade=false, ipMasqAgent.enabled=false}", "chart 1.13.4");
        assertThat(release.chartValues.get(1)).as("the release's own values, untouched").containsEntry("tunnel", "disabled")
                .containsEntry("kubeProxyReplacement", "strict").doesNotContainKey("routingMode");
        controller.close();
    }

    @Test
    void theUpgradeStepsArePrintedAsTheyAreTaken() throws Exception {
        AutoCloseable controller = MockCilium.rolloutController(client, NS);
        KubeconfigCluster c = cluster(true, true);
        c.upgradeCilium(upgrade());
        assertThat(progress).anyMatch(l -> l.startsWith("upgrade Cilium 1.13.4 -> 1.15.8, step 1/2: helm upgrade cilium -n kube-system"
                + " --version 1.15.8 --reset-values")).anyMatch(l -> l.startsWith("upgrade Cilium 1.13.4 -> 1.15.8, step 2/2: restart"));
        c.close();
        assertThat(progress).anyMatch(l -> l.startsWith("restore the Cilium version, step 1/2: helm upgrade cilium -n kube-system"
                + " --version 1.13.4"));
        assertThat(Optional.of(release.version)).hasValue("1.13.4");
        controller.close();
    }
}
