package io.masqharness.cluster.kubeconfig;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.masqharness.cluster.WorkFolders;
import io.masqharness.cluster.Cluster;
import io.masqharness.cluster.ClusterException;
import io.masqharness.cluster.ExecResult;
import io.masqharness.cluster.Host;
import io.masqharness.cluster.ModeCheck;
import io.masqharness.cluster.k3s.K3sPlan;
import io.masqharness.cluster.k8s.CiliumConfigValues;
import io.masqharness.cluster.k8s.CiliumHelm;
import io.masqharness.cluster.k8s.CiliumKube;
import io.masqharness.cluster.k8s.CiliumModeChecks;
import io.masqharness.cluster.k8s.ClusterFamilies;
import io.masqharness.cluster.k8s.KubeFacts;
import io.masqharness.cluster.k8s.KubeNode;
import io.masqharness.cluster.k8s.ModeSwitch;
import io.masqharness.cluster.k8s.NodeDevice;
import io.masqharness.cluster.k8s.ProbeWorkload;
import io.masqharness.cluster.snapshot.KubeSnapshotReader;
import io.masqharness.net.Family;
import io.masqharness.net.Ipv4;
import io.masqharness.oracle.AgentConfig;
import io.masqharness.oracle.ClusterFacts;
import io.masqharness.oracle.ValueRewrite;
import io.masqharness.scenario.DestinationSpec;
import io.masqharness.scenario.ModeSpec;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioUpgrade;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * An existing cluster, for pre-upgrade validation. Read-only by default: it verifies and probes
 * the mode the cluster is in (read back from cilium-config). With the opt-in it switches modes with
 * {@code helm upgrade} of the deployed release at the chart version it runs (never another), and
 * at the end puts back the original values and the ip-masq-agent ConfigMap as found. Every change
 * is listed before the first is made; {@link #plannedChanges} lists them without making any (dry
 * run). Probe pods live in a namespace of the harness's own, deleted at the end. Destinations are
 * answered by an echo host the user runs ({@code probe serve}); the harness cannot capture on it,
 * so ICMP to destinations is not judged.
 */
public final class KubeconfigCluster implements Cluster {

    public static final String ALLOW_SWITCH = "harness.kubeconfig.allowModeSwitch";
    public static final String DRY_RUN = "harness.kubeconfig.dryRun";
    /** The second opt-in a scenario's {@code cilium.upgradeTo} needs here: it changes the Cilium version of a cluster the harness does not own. */
    public static final String ALLOW_UPGRADE = "harness.kubeconfig.allowCiliumUpgrade";
    /** Set by a user who suspended the GitOps controller that keeps Cilium's release, so a switch holds for the run. */
    public static final String RECONCILER_SUSPENDED = "harness.kubeconfig.reconcilerSuspended";
    public static final String RELEASE_NAME = "meta.helm.sh/release-name";
    public static final String RELEASE_NAMESPACE = "meta.helm.sh/release-namespace";
    /** The temporary folder Helm's values files live in while a switching run lasts. */
    static final String WORK_DIR_PREFIX = "masq-kubeconfig-";

    /** Opens the deployed Helm release that owns Cilium (helm-java at the release's chart version; a stand-in in tests). */
    @FunctionalInterface
    public interface Releases {
        /** @param workDir where Helm may keep values files and its repository config; removed with the cluster */
        ModeSwitch.Release open(String namespace, String release, Path workDir);
    }

    private final Scenario scenario;
    private final boolean allowSwitch;
    private final Consumer<String> progress;
    private final KubernetesClient client;
    private final CiliumKube kube;
    private final Map<String, String> originalConfig;
    private final Optional<ConfigMap> originalIpMasqAgent;
    private final ClusterFamilies families;
    private final Map<String, NodeDevice> devices;
    /** The nodes Cilium runs on, when the run connected: where the probes go. */
    private final List<KubeNode> discovered;
    private final Set<String> changedKeys = new LinkedHashSet<>();
    private final List<io.masqharness.cluster.Pod> pods = new ArrayList<>();
    private final List<Host> nodes = new ArrayList<>();
    private final Host external;
    private final Path workDir;
    private final String probeNamespace = "masq-harness-" + UUID.randomUUID().toString().substring(0, 8);
    private final Optional<ModeSwitch> modeSwitch;
    private ProbeWorkload probes;
    private boolean switched;
    private boolean ipMasqAgentWritten;
    private boolean closed;
    private Thread restoreOnExit;
    private final boolean allowUpgrade = Boolean.getBoolean(ALLOW_UPGRADE);
    /** The chart version and user values the release ran before the run upgraded it: what the restore goes back to. */
    private Optional<Deployed> beforeUpgrade = Optional.empty();

    record Deployed(String chartVersion, Map<String, Object> values) {
    }

    /** Discovers Cilium (and, when switching is allowed, its Helm release) and remembers its configuration; changes nothing. */
    KubeconfigCluster(Scenario scenario, KubernetesClient client, boolean allowSwitch, Consumer<String> progress,
                      Releases releases) {
        this.scenario = scenario;
        this.allowSwitch = allowSwitch;
        this.progress = progress;
        this.client = client;
        this.kube = CiliumKube.discover(client, allowSwitch, progress);
        this.originalConfig = kube.agentConfig();
        this.originalIpMasqAgent = kube.ipMasqAgentConfigMap();
        this.external = new RemoteEchoHost(scenario.cluster().externalHost());
        // Only Helm needs a folder (values files, its repository config): a read-only run makes none.
        this.workDir = allowSwitch ? createWorkDir() : null;
        try {
            this.modeSwitch = allowSwitch ? Optional.of(new ModeSwitch(deployedRelease(releases), kube, progress)) : Optional.empty();
            this.discovered = kube.nodes();
            this.families = ClusterFamilies.of(discovered, originalConfig);
            this.devices = kube.nodeDevices(discovered);
        } catch (RuntimeException refused) {
            removeWorkDir();
            throw refused;
        }
        progress.accept("IPAM: " + kube.ipam().mode() + ", pod ranges from " + kube.ipam().source());
        progress.accept("nodes Cilium runs on, with the device holding each one's InternalIP: " + devices.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).toList());
        List<String> skipped = kube.nodesWithoutAgent();
        if (!skipped.isEmpty()) {
            progress.accept("nodes without a Cilium agent, not probed or judged: " + skipped);
        }
        progress.accept(families.describe());
        if (!scenario.destinations(Family.IPV6).isEmpty() && !families.has(Family.IPV6)) {
            progress.accept("the scenario has IPv6 destinations " + scenario.destinations(Family.IPV6).stream().map(d -> d.name()).toList()
                    + " but this cluster has no IPv6 to probe them from: only its IPv4 flows are probed");
        }
    }

    private static Path createWorkDir() {
        try {
            return Files.createTempDirectory(WORK_DIR_PREFIX);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The families this cluster has, read from its nodes (InternalIPs, spec.podCIDRs) and cilium-config
     * ({@code enable-ipv6}, {@code enable-ipv6-masquerade}, {@code ipv6-native-routing-cidr}): IPv6
     * is probed where it is listed here. Read once, when the harness connects.
     */
    public ClusterFamilies families() {
        return families;
    }

    /**
     * The release that owns the Cilium DaemonSet (its Helm annotations), or a refusal saying why
     * there is none, or why switching it would not hold (a GitOps controller or K3s/RKE2's
     * helm-controller keeps it as declared: review 2, N10).
     */
    private ModeSwitch.Release deployedRelease(Releases releases) {
        var ds = kube.agentDaemonSet();
        Map<String, String> annotations = Optional.ofNullable(ds.getMetadata().getAnnotations()).orElse(Map.of());
        String release = annotations.get(RELEASE_NAME);
        List<String> owners = new ArrayList<>(io.masqharness.cluster.k8s.ReleaseOwners.markedOn(kube.ciliumConfigMap()
                .map(cm -> List.<io.fabric8.kubernetes.api.model.HasMetadata>of(ds, cm)).orElse(List.of(ds))));
        if (release == null) {
            throw new ClusterException("find Cilium's Helm release", kube.namespace() + "/" + kube.daemonSet(), "the DaemonSet carries no "
                    + RELEASE_NAME + " annotation, so no Helm release manages it (" + (owners.isEmpty() ? "cilium-cli before v0.15"
                    + " installs without Helm by default" : String.join(", ", owners) + " deploys it") + "). The harness switches modes"
                    + " only with `helm upgrade` of the deployed release, so it will not switch this cluster: run read-only (without -D"
                    + ALLOW_SWITCH + "), once per mode you set by hand");
        }
        String releaseNamespace = annotations.getOrDefault(RELEASE_NAMESPACE, kube.namespace());
        io.masqharness.cluster.k8s.ReleaseOwners.helmChart(client, release, releaseNamespace).ifPresent(owners::add);
        if (!owners.isEmpty() && !Boolean.getBoolean(RECONCILER_SUSPENDED)) {
            throw new ClusterException("switch modes of Helm release " + releaseNamespace + "/" + release, String.join(", ", owners),
                    "it keeps this release as declared and would revert a switch within its interval, so the mode would change under the"
                    + " probes. Run read-only (without -D" + ALLOW_SWITCH + "), or suspend its reconciliation first (Flux: `flux suspend"
                    + " helmrelease ...`; Argo CD: turn off auto-sync and self-heal) and say so with -D" + RECONCILER_SUSPENDED + "=true");
        }
        return releases.open(releaseNamespace, release, workDir);
    }

    /**
     * The deployed release at the chart version it runs (switching never upgrades or downgrades
     * Cilium), from the chart it was installed from: {@code cilium/cilium}, or the archive given
     * with {@code -Dharness.ciliumChart} (another chart, such as RKE2's rke2-cilium, is refused
     * without one: upstream templates would replace its own).
     */
    static ModeSwitch.Release helmRelease(String kubeconfig, String namespace, String release, Path workDir, Consumer<String> progress) {
        com.marcnuri.helm.Release deployed = CiliumHelm.deployedRelease(kubeconfig, namespace, release);
        String version = CiliumHelm.chartVersion(release, deployed.getChart());
        requireUpstreamChartOrLocal(namespace, release, deployed.getChart());
        progress.accept("Cilium's Helm release: " + namespace + "/" + release + ", chart " + deployed.getChart() + ", revision "
                + deployed.getRevision() + " (mode switches keep this chart version)");
        CiliumHelm helm = new CiliumHelm(kubeconfig, namespace, release, version, workDir).withRevisionBefore(deployed.getRevision());
        helm.requireChartVersion();
        return helm;
    }

    /** A release of another chart than Cilium's own is switched only with the archive it came from (-Dharness.ciliumChart). */
    static void requireUpstreamChartOrLocal(String namespace, String release, String deployedChart) {
        String chart = CiliumHelm.chartName(release, deployedChart);
        if (!chart.equals("cilium") && CiliumHelm.localChart().isEmpty()) {
            throw new ClusterException("switch modes of Helm release " + namespace + "/" + release, "chart " + deployedChart,
                    "the release runs chart '" + chart + "', not Cilium's own 'cilium': upgrading it with " + CiliumHelm.CHART + " from "
                    + CiliumHelm.REPO + " would replace its templates with upstream's. Give the chart it was installed from with -D"
                    + CiliumHelm.CHART_PROPERTY + "=<" + deployedChart + ".tgz>, or run read-only");
        }
    }

    /**
     * @param kubeconfig the kubeconfig's contents (never printed or reported)
     * @param probeImage an image of the probe that this cluster can pull
     */
    public static KubeconfigCluster start(Scenario scenario, String kubeconfig, String probeImage, boolean allowSwitch,
                                          Consumer<String> progress) {
        KubeconfigCluster c = connect(scenario, kubeconfig, allowSwitch, progress);
        try {
            List<String> changes = c.plannedChanges(probeImage);
            progress.accept("this run takes " + changes.size() + " steps on the cluster, in this order (each is printed again when it is taken):");
            changes.forEach(line -> progress.accept("  " + line));
            progress.accept("the run puts the cluster back at its end, and on Ctrl-C or SIGTERM; if it is killed (kill -9, a CI job"
                    + " cancelled past its grace period), undo it by hand:");
            c.undoCommands().forEach(line -> progress.accept("  " + line));
            c.armRestoreOnExit();
            c.deployProbes(probeImage);
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Connects and discovers, read-only: what {@link #start} and a dry run share. */
    public static KubeconfigCluster connect(Scenario scenario, String kubeconfig, boolean allowSwitch, Consumer<String> progress) {
        KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
        try {
            return new KubeconfigCluster(scenario, client, allowSwitch, progress,
                    (ns, release, dir) -> helmRelease(kubeconfig, ns, release, dir, progress));
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /**
     * What puts the cluster back by hand when the run could not (killed mid-run): the Helm
     * release back to the revision it had, the agents restarted onto it (the chart does not
     * restart them on a config change), the ip-masq-agent ConfigMap as found when a mode writes
     * one, and the probe namespace gone.
     */
    public List<String> undoCommands() {
        List<String> undo = new ArrayList<>();
        modeSwitch.map(ModeSwitch::release).ifPresent(s -> {
            String ns = kube.namespace();
            String revision = s.revisionBefore().orElse("<the revision before the run: `helm history " + s.release() + " -n " + ns + "`>");
            undo.add("helm rollback " + s.release() + " " + revision + " -n " + s.namespace().orElse(ns));
            if (scenario.modes().stream().anyMatch(m -> ipMasqAgentStep(m) instanceof ModeSwitch.IpMasqAgentStep.Write)) {
                undo.add(originalIpMasqAgent.map(cm -> "kubectl -n " + ns + " apply -f <the ip-masq-agent ConfigMap as it was; its config: "
                        + Optional.ofNullable(cm.getData()).map(d -> d.get("config")).map(c -> "'" + c.strip() + "'").orElse("none") + ">")
                        .orElse("kubectl -n " + ns + " delete configmap " + CiliumKube.IP_MASQ_CONFIGMAP + " --ignore-not-found"));
            }
            undo.add("kubectl -n " + ns + " rollout restart daemonset/" + kube.daemonSet());
        });
        undo.add("kubectl delete namespace " + probeNamespace + " --ignore-not-found");
        return undo;
    }

    /**
     * Registers the restore with the JVM's shutdown: Ctrl-C (SIGINT), SIGTERM and a normal exit run
     * it; a switch in flight finishes first ({@link #applyMode} and {@link #close} share one lock).
     */
    void armRestoreOnExit() {
        restoreOnExit = new Thread(() -> {
            progress.accept("the JVM is exiting (interrupted?): putting the cluster back before it ends; if it is killed first, undo"
                    + " by hand: " + String.join("; ", undoCommands()));
            close();
        }, probeNamespace + "-restore");
        Runtime.getRuntime().addShutdownHook(restoreOnExit);
    }

    Thread restoreOnExit() {
        return restoreOnExit;
    }

    /** Every change a run would make to this cluster, in order, from what was discovered; makes none. */
    public List<String> plannedChanges(String probeImage) {
        List<String> changes = new ArrayList<>();
        changes.add("create namespace " + probeNamespace + " labelled " + ProbeWorkload.OWNER_LABEL + "=" + ProbeWorkload.OWNER
                + " and " + ProbeWorkload.POD_SECURITY + "=privileged (its host-network probes need it)");
        changes.add("create DaemonSets " + ProbeWorkload.NAME + " and " + ProbeWorkload.HOST_NAME + " (host network, NET_ADMIN, NET_RAW)"
                + " in " + probeNamespace + ", image " + probeImage + ", on the " + discovered.size() + " nodes Cilium runs on ("
                + String.join(", ", discovered.stream().map(KubeNode::name).toList()) + "), whatever their taints, and wait for"
                + " their pods to be ready, at most " + K3sPlan.PROBES_READY.toMinutes() + " min");
        if (modeSwitch.isPresent()) {
            boolean writes = false;
            for (ModeSpec mode : scenario.modes()) {
                CiliumConfigValues.restoreValues(mode.values().keySet(), originalConfig);
                ModeSwitch.IpMasqAgentStep step = ipMasqAgentStep(mode);
                writes |= step instanceof ModeSwitch.IpMasqAgentStep.Write;
                modeSwitch.get().changes(mode.values(), step, K3sPlan.HELM, K3sPlan.ROLLOUT).forEach(c -> changes.add("mode " + mode.name() + ": " + c));
            }
            Set<String> keys = new LinkedHashSet<>();
            scenario.modes().forEach(m -> keys.addAll(m.values().keySet()));
            Optional<ScenarioUpgrade> upgrade = ScenarioUpgrade.of(scenario);
            if (upgrade.isPresent() && upgradeRefusal(upgrade.get()).isEmpty()) {
                ScenarioUpgrade u = upgrade.get();
                Deployed deployed = deployed();
                modeSwitch.get().upgradeChanges(u.to().full(), valuesInWords(u, deployed), K3sPlan.HELM, K3sPlan.ROLLOUT)
                        .forEach(c -> changes.add("upgrade: " + c));
                for (ModeSpec mode : u.after().modes()) {
                    writes |= ipMasqAgentStep(mode) instanceof ModeSwitch.IpMasqAgentStep.Write;
                    keys.addAll(mode.values().keySet());
                    modeSwitch.get().changes(mode.values(), ipMasqAgentStep(mode), K3sPlan.HELM, K3sPlan.ROLLOUT)
                            .forEach(c -> changes.add("mode " + mode.name() + ": " + c));
                }
                modeSwitch.get().upgradeChanges(deployed.chartVersion(), "the release's own " + deployed.values().size()
                        + " top-level values as found", K3sPlan.HELM, K3sPlan.ROLLOUT).forEach(c -> changes.add("restore: " + c));
            } else {
                upgrade.ifPresent(u -> changes.add("cilium.upgradeTo " + u.to().text() + ": not taken, " + upgradeRefusal(u).orElseThrow()));
            }
            modeSwitch.get().changes(CiliumConfigValues.restoreValues(keys, originalConfig), restoreStep(writes), K3sPlan.HELM, K3sPlan.ROLLOUT)
                    .forEach(c -> changes.add("restore: " + c));
        }
        changes.add("delete namespace " + probeNamespace);
        return changes;
    }

    private void deployProbes(String image) {
        probes = new ProbeWorkload(client, probeNamespace, progress);
        probes.deploy(image, discovered.stream().map(KubeNode::name).toList(), K3sPlan.PROBES_READY);
        boolean ipv6 = families.has(Family.IPV6);
        pods.addAll(probes.probePods(ipv6));
        nodes.addAll(probes.nodeHosts(discovered, ipv6));
    }

    /** The mode the cluster is in, as cilium-config and the ip-masq-agent ConfigMap say. */
    @Override
    public ModeSpec currentMode() {
        return new ModeSpec("current", CiliumConfigValues.helmValues(kube.agentConfig()),
                CiliumConfigValues.ipMasqAgentConfig(kube.ipMasqAgentConfigMap().map(ConfigMap::getData).orElse(null)));
    }

    @Override
    public boolean canSwitchModes() {
        return allowSwitch;
    }

    @Override
    public String datapath() {
        return "Cilium on an existing cluster (" + client.getMasterUrl().getHost() + ")";
    }

    @Override
    public boolean runsCilium() {
        return true;
    }

    @Override
    public List<Host> nodes() {
        return List.copyOf(nodes);
    }

    @Override
    public List<io.masqharness.cluster.Pod> pods() {
        return List.copyOf(pods);
    }

    @Override
    public Host externalHost() {
        return external;
    }

    @Override
    public ClusterFacts clusterFacts() {
        return KubeFacts.of(kube.nodes(), kube.ipam(), node -> devices.getOrDefault(node, NodeDevice.unknown("")).nameOrUnknown());
    }

    @Override
    public boolean capturesIcmp(Host receiver) {
        return receiver != external;
    }

    @Override
    public Duration modeSwitchBound() {
        return K3sPlan.HELM.plus(K3sPlan.ROLLOUT).plus(ModeSwitch.REGENERATION).plus(K3sPlan.IPMASQ_PROPAGATION);
    }

    /**
     * On a cluster the harness does not own, a mode without a config leaves the user's ConfigMap as
     * found, and a chart that renders it is not overruled.
     */
    public static ModeSwitch.IpMasqAgentStep ipMasqAgentStep(ModeSpec mode) {
        if (mode.values().keySet().stream().anyMatch(k -> k.startsWith("ipMasqAgent.config"))) {
            return new ModeSwitch.IpMasqAgentStep.Leave("the chart renders it from ipMasqAgent.config");
        }
        return mode.ipMasqAgentConfig().<ModeSwitch.IpMasqAgentStep>map(ModeSwitch.IpMasqAgentStep.Write::new)
                .orElse(new ModeSwitch.IpMasqAgentStep.Leave("the cluster's own is left as found"));
    }

    private ModeSwitch.IpMasqAgentStep restoreStep(boolean written) {
        return written ? new ModeSwitch.IpMasqAgentStep.Restore(originalIpMasqAgent)
                : new ModeSwitch.IpMasqAgentStep.Leave("the run did not change it");
    }

    @Override
    public synchronized void applyMode(ModeSpec mode) {
        if (closed) {
            throw new ClusterException("switch to mode " + mode.name(), kube.namespace(), "the run is over: the cluster was put back");
        }
        if (modeSwitch.isEmpty()) {
            throw new ClusterException("switch to mode " + mode.name(), kube.namespace(), "refused: read-only; opt in with -D"
                    + ALLOW_SWITCH + "=true to reconfigure this cluster");
        }
        CiliumConfigValues.restoreValues(mode.values().keySet(), originalConfig);
        changedKeys.addAll(mode.values().keySet());
        switched = true;
        ModeSwitch.IpMasqAgentStep step = ipMasqAgentStep(mode);
        ipMasqAgentWritten |= step instanceof ModeSwitch.IpMasqAgentStep.Write;
        modeSwitch.get().apply("mode " + mode.name(), mode.values(), step, K3sPlan.HELM, K3sPlan.ROLLOUT);
    }

    @Override
    public List<ModeCheck> verifyMode(ModeSpec mode, AgentConfig expected) {
        return CiliumModeChecks.verifyAll(kube, clusterFacts(), pods, expected, scenario.destinations(Family.IPV4).stream().map(DestinationSpec::ipv4).toList(),
                K3sPlan.IPMASQ_PROPAGATION, java.util.Optional.of(CiliumModeChecks.tuningOf(scenario, mode)));
    }

    @Override
    public String icmpCapture(Host receiver) {
        return receiver.run(Duration.ofSeconds(20), "cat", "/tmp/icmp.log").stdout();
    }

    @Override
    public String diagnostics() {
        return "# " + datapath() + "\n" + kube.agentDiagnostics(List.of(List.of("cilium", "status")));
    }

    /**
     * Why this run will not upgrade Cilium for {@code cilium.upgradeTo}, or empty when it will: it needs both opt-ins, and the
     * release must run the scenario's minor release.
     */
    public Optional<String> upgradeRefusal(ScenarioUpgrade u) {
        if (modeSwitch.isEmpty()) {
            return Optional.of("the run is read-only: an upgrade needs -D" + ALLOW_SWITCH + "=true and -D" + ALLOW_UPGRADE + "=true");
        }
        if (!allowUpgrade) {
            return Optional.of("it would change the Cilium version of a cluster the harness does not own: opt in with -D" + ALLOW_UPGRADE
                    + "=true; the run then upgrades to " + u.to().full() + ", runs the modes again, and at its end moves the release back"
                    + " to the chart version it runs with its own values");
        }
        String running = modeSwitch.get().release().chartVersion();
        if (!running.startsWith(u.from().line() + ".")) {
            return Optional.of("the release runs chart " + running + ", not Cilium " + u.from().line() + " as the scenario's cilium.version "
                    + u.from().text() + " says: fix cilium.version first");
        }
        return Optional.empty();
    }

    /**
     * {@code cilium.upgradeTo}, with both opt-ins: the release's own values ({@code helm get values}) rewritten in the target's
     * spelling, with {@code --version} and {@code --reset-values} as Cilium's upgrade guide asks between minor releases.
     */
    @Override
    public synchronized void upgradeCilium(ScenarioUpgrade upgrade) {
        Optional<String> refusal = upgradeRefusal(upgrade);
        if (refusal.isPresent()) {
            throw new UnsupportedOperationException("the kubeconfig backend does not upgrade Cilium here: " + refusal.get());
        }
        if (closed) {
            throw new ClusterException("upgrade Cilium", kube.namespace(), "the run is over: the cluster was put back");
        }
        Deployed deployed = deployed();
        Map<String, Object> values = upgradeValues(upgrade, deployed);
        beforeUpgrade = Optional.of(deployed);
        modeSwitch.get().upgrade("upgrade Cilium " + deployed.chartVersion() + " -> " + upgrade.to().full(), upgrade.to().full(), values,
                valuesInWords(upgrade, deployed), K3sPlan.HELM, K3sPlan.ROLLOUT);
    }

    private Deployed deployed() {
        ModeSwitch.Release release = modeSwitch.orElseThrow().release();
        return new Deployed(release.chartVersion(), KubeSnapshotReader.releaseValues(client, release.namespace().orElse(kube.namespace()),
                release.release()));
    }

    static Map<String, Object> upgradeValues(ScenarioUpgrade u, Deployed deployed) {
        return ValueRewrite.forTarget(deployed.values(), u.to()).values();
    }

    /** Names the values, not their contents: a release's values can hold certificates and keys. */
    static String valuesInWords(ScenarioUpgrade u, Deployed deployed) {
        List<String> changes = ValueRewrite.forTarget(deployed.values(), u.to()).changes();
        return "the release's own " + deployed.values().size() + " top-level values (helm get values), rewritten for " + u.to().text()
                + ": " + (changes.isEmpty() ? "nothing to rewrite" : String.join("; ", changes));
    }

    /** Puts back what the run changed, then removes the probes: a pre-upgrade check leaves the cluster as it found it. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (restoreOnExit != null && Thread.currentThread() != restoreOnExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(restoreOnExit);
            } catch (IllegalStateException exiting) {
                // The JVM is shutting down and runs the hook, which finds the run closed.
            }
        }
        try {
            if (beforeUpgrade.isPresent()) {
                Deployed before = beforeUpgrade.get();
                modeSwitch.orElseThrow().upgrade("restore the Cilium version", before.chartVersion(), before.values(), "the release's own "
                        + before.values().size() + " top-level values as found", K3sPlan.HELM, K3sPlan.ROLLOUT);
                beforeUpgrade = Optional.empty();
            }
            if (switched) {
                modeSwitch.orElseThrow().apply("restore", CiliumConfigValues.restoreValues(changedKeys, originalConfig),
                        restoreStep(ipMasqAgentWritten), K3sPlan.HELM, K3sPlan.ROLLOUT);
                switched = false;
            }
        } finally {
            if (probes != null) {
                probes.remove();
                probes = null;
            }
            client.close();
            removeWorkDir();
        }
    }

    private void removeWorkDir() {
        WorkFolders.deleteQuietly(workDir);
    }

    /** The user's echo host: reachable by the probes at the scenario's destinations, not by the harness. */
    record RemoteEchoHost(Ipv4 ip) implements Host {
        @Override
        public String name() {
            return "external (user-run echo host)";
        }

        @Override
        public ExecResult exec(Duration timeout, String... command) {
            throw new ClusterException("exec " + String.join(" ", command), name(), "the harness has no access to the echo host"
                    + " of an existing cluster");
        }
    }
}
