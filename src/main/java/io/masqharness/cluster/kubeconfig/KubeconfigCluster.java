package io.masqharness.cluster.kubeconfig;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
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
import io.masqharness.cluster.k8s.KubeFacts;
import io.masqharness.cluster.k8s.KubeNode;
import io.masqharness.cluster.k8s.ProbeWorkload;
import io.masqharness.net.Ipv4;
import io.masqharness.oracle.AgentConfig;
import io.masqharness.oracle.ClusterFacts;
import io.masqharness.scenario.DestinationSpec;
import io.masqharness.scenario.ModeSpec;
import io.masqharness.scenario.Scenario;
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
 * the mode the cluster is in (read back from cilium-config). With the opt-in it switches modes
 * and, at the end, puts back the original values and ip-masq-agent ConfigMap. Probe pods live in
 * a namespace of the harness's own, deleted at the end. Destinations are answered by an echo host
 * the user runs ({@code probe serve}); the harness cannot capture on it, so ICMP to destinations is
 * not judged.
 */
public final class KubeconfigCluster implements Cluster {

    public static final String ALLOW_SWITCH = "harness.kubeconfig.allowModeSwitch";

    private final Scenario scenario;
    private final boolean allowSwitch;
    private final Consumer<String> progress;
    private final KubernetesClient client;
    private final CiliumKube kube;
    private final CiliumHelm helm;
    private final Map<String, String> originalConfig;
    private final Optional<Map<String, String>> originalIpMasqAgent;
    private final Set<String> changedKeys = new LinkedHashSet<>();
    private final List<io.masqharness.cluster.Pod> pods = new ArrayList<>();
    private final List<Host> nodes = new ArrayList<>();
    private final Host external;
    private final Path workDir;
    private ProbeWorkload probes;
    private boolean switched;

    /** Discovers Cilium and remembers its configuration; deploys nothing (see {@link #start}). */
    KubeconfigCluster(Scenario scenario, KubernetesClient client, String kubeconfig, boolean allowSwitch, Consumer<String> progress) {
        this.scenario = scenario;
        this.allowSwitch = allowSwitch;
        this.progress = progress;
        this.client = client;
        this.kube = CiliumKube.discover(client, allowSwitch, progress);
        this.originalConfig = kube.agentConfig();
        ConfigMap ipMasq = client.configMaps().inNamespace(kube.namespace()).withName(CiliumKube.IP_MASQ_CONFIGMAP).get();
        this.originalIpMasqAgent = Optional.ofNullable(ipMasq).map(ConfigMap::getData);
        try {
            this.workDir = Files.createTempDirectory("masq-kubeconfig-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.helm = new CiliumHelm(kubeconfig, kube.namespace(), scenario.cilium().version(), workDir);
        this.external = new RemoteEchoHost(scenario.cluster().externalHost());
    }

    /**
     * @param kubeconfig the kubeconfig's contents (never printed or reported)
     * @param probeImage an image of the probe that this cluster can pull
     */
    public static KubeconfigCluster start(Scenario scenario, String kubeconfig, String probeImage, boolean allowSwitch,
                                          Consumer<String> progress) {
        KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
        KubeconfigCluster c = new KubeconfigCluster(scenario, client, kubeconfig, allowSwitch, progress);
        try {
            c.deployProbes(probeImage);
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void deployProbes(String image) {
        List<KubeNode> discovered = kube.nodes();
        probes = new ProbeWorkload(client, "masq-harness-" + UUID.randomUUID().toString().substring(0, 8), progress);
        probes.deploy(image, discovered.size(), K3sPlan.PROBES_READY);
        pods.addAll(probes.probePods());
        nodes.addAll(probes.nodeHosts());
    }

    /** The mode the cluster is in, as cilium-config and the ip-masq-agent ConfigMap say. */
    public ModeSpec currentMode() {
        return new ModeSpec("current", CiliumConfigValues.helmValues(kube.agentConfig()), CiliumConfigValues.ipMasqAgentConfig(
                Optional.ofNullable(client.configMaps().inNamespace(kube.namespace()).withName(CiliumKube.IP_MASQ_CONFIGMAP).get())
                        .map(ConfigMap::getData).orElse(null)));
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
        return KubeFacts.of(kube.nodes());
    }

    @Override
    public boolean capturesIcmp(Host receiver) {
        return receiver != external;
    }

    @Override
    public Duration modeSwitchBound() {
        return K3sPlan.HELM.plus(K3sPlan.ROLLOUT).plus(K3sPlan.IPMASQ_PROPAGATION);
    }

    @Override
    public void applyMode(ModeSpec mode) {
        if (!allowSwitch) {
            throw new ClusterException("switch to mode " + mode.name(), kube.namespace(), "refused: read-only; opt in with -D"
                    + ALLOW_SWITCH + "=true to reconfigure this cluster");
        }
        CiliumConfigValues.restoreValues(mode.values().keySet(), originalConfig);
        changedKeys.addAll(mode.values().keySet());
        progress.accept("mode " + mode.name() + ": helm upgrade --reuse-values " + mode.values());
        if (!switched) {
            helm.addRepository();
        }
        switched = true;
        helm.upgradeReusingValues(mode.values(), K3sPlan.HELM);
        kube.applyIpMasqAgentConfig(mode.ipMasqAgentConfig());
        kube.restartAgents();
        kube.awaitRollout(K3sPlan.ROLLOUT);
    }

    @Override
    public List<ModeCheck> verifyMode(ModeSpec mode, AgentConfig expected) {
        return CiliumModeChecks.verifyAll(kube, pods, expected, scenario.destinations().stream().map(DestinationSpec::ip).toList(),
                K3sPlan.IPMASQ_PROPAGATION);
    }

    @Override
    public String icmpCapture(Host receiver) {
        return receiver.run(Duration.ofSeconds(20), "cat", "/tmp/icmp.log").stdout();
    }

    @Override
    public String diagnostics() {
        return "# " + datapath() + "\n" + kube.agentDiagnostics(List.of(List.of("cilium", "status")));
    }

    /** Puts back what the run changed, then removes the probes: a pre-upgrade check leaves the cluster as it found it. */
    @Override
    public synchronized void close() {
        try {
            if (switched) {
                Map<String, Object> restore = CiliumConfigValues.restoreValues(changedKeys, originalConfig);
                progress.accept("restoring the original values: " + restore);
                helm.upgradeReusingValues(restore, K3sPlan.HELM);
                kube.applyIpMasqAgentConfig(CiliumConfigValues.ipMasqAgentConfig(originalIpMasqAgent.orElse(null)));
                kube.restartAgents();
                kube.awaitRollout(K3sPlan.ROLLOUT);
                switched = false;
            }
        } finally {
            if (probes != null) {
                probes.remove();
                probes = null;
            }
            client.close();
        }
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
