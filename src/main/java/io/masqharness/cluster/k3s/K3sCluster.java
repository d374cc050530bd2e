package io.masqharness.cluster.k3s;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.masqharness.cluster.WorkFolders;
import io.masqharness.cluster.Cluster;
import io.masqharness.cluster.ClusterException;
import io.masqharness.cluster.ExecResult;
import io.masqharness.cluster.Host;
import io.masqharness.cluster.ModeCheck;
import io.masqharness.cluster.docker.ProbeHostContainer;
import io.masqharness.cluster.k8s.CiliumHelm;
import io.masqharness.cluster.k8s.CiliumKube;
import io.masqharness.cluster.k8s.ClusterFamilies;
import io.masqharness.cluster.k8s.CiliumModeChecks;
import io.masqharness.cluster.k8s.KubeFacts;
import io.masqharness.cluster.k8s.KubeNode;
import io.masqharness.cluster.k8s.ModeSwitch;
import io.masqharness.cluster.k8s.ProbeWorkload;
import io.masqharness.net.Family;
import io.masqharness.oracle.AgentConfig;
import io.masqharness.oracle.ClusterFacts;
import io.masqharness.scenario.DestinationSpec;
import io.masqharness.scenario.ModeSpec;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioUpgrade;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.k3s.K3sContainer;

/**
 * The main job's backend: K3s nodes from Testcontainers, Cilium installed and switched with Helm
 * (helm-java), every mode verified on every agent before any probe. Executes {@link K3sPlan}: a
 * free node network chosen at start, every image the nodes need loaded into them and checked in
 * their containerd before Cilium is installed, nodes with their own cgroup namespace.
 */
public final class K3sCluster implements Cluster {

    static final Duration LIFETIME = Duration.ofHours(3);

    private K3sPlan plan;
    private Scenario scenario;
    private final Consumer<String> progress;
    private final long started = System.nanoTime();
    private final String runId = "masq-harness-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<GenericContainer<?>> nodeContainers = new ArrayList<>();
    private final List<Host> nodes = new ArrayList<>();
    private final List<io.masqharness.cluster.Pod> pods = new ArrayList<>();
    private final Path workDir;
    private K3sNodes nodeSide;
    private ProbeHostContainer external;
    private KubernetesClient client;
    private CiliumKube kube;
    private ProbeWorkload probes;
    private ModeSwitch modeSwitch;

    private K3sCluster(K3sPlan plan, Consumer<String> progress) {
        this.plan = plan;
        this.scenario = plan.scenario();
        this.progress = progress;
        try {
            this.workDir = Files.createTempDirectory(runId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static K3sCluster start(Scenario scenario, String probeImage, Consumer<String> progress) {
        K3sCluster k3s = new K3sCluster(new K3sPlan(scenario, probeImage), progress);
        try {
            k3s.boot();
            return k3s;
        } catch (RuntimeException e) {
            k3s.close();
            throw e;
        }
    }

    private void log(String step) {
        progress.accept(String.format("[k3s +%.0fs] %s", (System.nanoTime() - started) / 1e9, step));
    }

    private void boot() {
        if (plan.dualStack()) {
            // The plan's flags and values are checked (PlanTextTest) and the probes read pods' IPv6 (ProbeWorkload); the
            // node containers' IPv6 addresses and routes are not built, and a K3s started half dual-stack fails in ways
            // that say nothing.
            throw new ClusterException("start a dual-stack K3s cluster", scenario.name(), K3sPlan.DUAL_STACK_NOT_BUILT);
        }
        nodeSide = K3sNodes.start(plan, runId, workDir, UnaryOperator.identity(), this::log, this::close);
        plan = nodeSide.plan();
        scenario = plan.scenario();
        nodeContainers.addAll(nodeSide.nodes());
        external = new ProbeHostContainer(plan.probeImage(), "external", scenario.cluster().externalHost(), nodeSide.network(),
                nodeSide.labels(), LIFETIME).withStaticIp(scenario.cluster().externalHost().toString());
        nodeSide.attach(external);
        external.start();
        pinDestinationRoutes();
        awaitImagesInContainerd();

        String kubeconfig = ((K3sContainer) nodeContainers.get(0)).getKubeConfigYaml();
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
        kube = new CiliumKube(client, K3sPlan.CILIUM_NAMESPACE, "cilium", true, progress, Clock.systemUTC());
        installCilium(kubeconfig);
        awaitNodesReady();
        List<KubeNode> discovered = kube.nodes();
        setUpExternalHost(discovered);
        probes = new ProbeWorkload(client, runId, progress);
        probes.deploy(plan.probeImage(), discovered.stream().map(KubeNode::name).toList(), K3sPlan.PROBES_READY);
        boolean ipv6 = ClusterFamilies.of(discovered, kube.agentConfig()).has(Family.IPV6);
        pods.addAll(probes.probePods(ipv6));
        nodes.addAll(probes.nodeHosts(discovered, ipv6));
        log("cluster up: " + nodes.size() + " nodes, " + pods.size() + " probe pods, Cilium " + scenario.cilium().version());
    }

    /** Every destination goes to the external host, checked before anything is sent: no probe leaves the machine. */
    private void pinDestinationRoutes() {
        for (GenericContainer<?> node : nodeContainers) {
            for (DestinationSpec d : scenario.destinations(Family.IPV4)) {
                ExecResult r = exec(node, "sh", "-c", "ip route replace " + d.ipv4() + "/32 via " + external.ip()
                        + " && ip route get " + d.ipv4());
                if (!r.ok() || !r.stdout().contains("via " + external.ip())) {
                    throw new ClusterException("pin route to " + d.ipv4(), node.getContainerName(),
                            "the destination does not route via the external host " + external.ip() + ": " + r);
                }
            }
        }
        log("destinations pinned to the external host " + external.ip() + " on every node");
    }

    /** Every node's containerd lists every image the nodes need, or the run stops naming what is missing: never a Helm timeout. */
    private void awaitImagesInContainerd() {
        long deadline = System.nanoTime() + K3sPlan.IMAGES_IN_CONTAINERD.toNanos();
        for (GenericContainer<?> node : nodeContainers) {
            List<String> missing = plan.nodeImages();
            while (true) {
                if (!node.isRunning()) {
                    throw new ClusterException("verify images in containerd", node.getContainerName(), "the node is not running: "
                            + importLog(node));
                }
                ExecResult r = exec(node, "k3s", "ctr", "-n", "k8s.io", "images", "ls", "-q");
                missing = r.ok() ? K3sImages.missingFrom(r.stdout(), plan.nodeImages()) : missing;
                if (missing.isEmpty()) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new ClusterException("verify images in containerd", node.getContainerName(), "missing after "
                            + K3sPlan.IMAGES_IN_CONTAINERD.toSeconds() + " s: " + missing + " (`k3s ctr -n k8s.io images ls -q` "
                            + (r.ok() ? "lists " + r.stdout().lines().count() + " names" : "failed: " + r) + "); K3s's import log: "
                            + importLog(node) + "; " + K3sImages.AIRGAP_HELP);
                }
                sleep(Duration.ofSeconds(3));
            }
        }
        log("every node's containerd holds " + plan.nodeImages());
    }

    private static String importLog(GenericContainer<?> node) {
        String lines = node.getLogs().lines().filter(l -> l.contains("mport")).limit(20).collect(Collectors.joining("\n"));
        return lines.isEmpty() ? "(no import lines in the container log)" : lines;
    }

    private void installCilium(String kubeconfig) {
        CiliumHelm helm = new CiliumHelm(kubeconfig, K3sPlan.CILIUM_NAMESPACE, K3sPlan.CILIUM_RELEASE, scenario.cilium().version(), workDir);
        helm.requireChartVersion();
        modeSwitch = new ModeSwitch(helm, kube, this::log);
        Map<String, Object> values = plan.installValues();
        log("helm install " + K3sPlan.CILIUM_RELEASE + " " + helm.chartSource() + " with a values file of " + values.size()
                + " values (at most " + K3sPlan.HELM.toMinutes() + " min; the agents' readiness is awaited with the nodes')");
        helm.install(values, K3sPlan.HELM);
    }

    private void awaitNodesReady() {
        int expected = nodeContainers.size();
        long deadline = System.nanoTime() + K3sPlan.NODES_READY.toNanos();
        long lastLine = 0;
        while (true) {
            List<Node> items = client.nodes().list().getItems();
            long ready = items.stream().filter(K3sCluster::ready).count();
            if (ready >= expected) {
                log(ready + " nodes Ready");
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new ClusterException("wait for " + expected + " Ready nodes", scenario.name(), "only " + ready + " after "
                        + K3sPlan.NODES_READY.toMinutes() + " min; nodes: " + items.stream().map(K3sCluster::readiness).toList()
                        + "; Cilium pods: " + kube.agentPodsByNode());
            }
            if (System.nanoTime() - lastLine > Duration.ofSeconds(30).toNanos()) {
                lastLine = System.nanoTime();
                log("waiting for " + expected + " Ready nodes, " + ready + " so far: " + items.stream().map(K3sCluster::readiness).toList());
            }
            sleep(Duration.ofSeconds(5));
        }
    }

    private static boolean ready(Node n) {
        return n.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static String readiness(Node n) {
        return n.getMetadata().getName() + ": " + n.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
                .map(c -> c.getStatus() + " (" + c.getReason() + ": " + c.getMessage() + ")").findFirst().orElse("no Ready condition");
    }

    private void setUpExternalHost(List<KubeNode> discovered) {
        StringBuilder s = new StringBuilder();
        scenario.destinations(Family.IPV4).forEach(d -> s.append("ip addr add ").append(d.ipv4()).append("/32 dev lo\n"));
        for (KubeNode n : discovered) {
            n.podCidr().ifPresent(c -> s.append("ip route replace ").append(c).append(" via ").append(n.internalIp()).append('\n'));
        }
        external.sh(Duration.ofSeconds(60), s.toString());
        external.background(ProbeHostContainer.serveCommand(LIFETIME), "/tmp/serve.log", LIFETIME);
        external.background(ProbeHostContainer.ICMP_CAPTURE, "/tmp/icmp.log", LIFETIME);
    }

    private static ExecResult exec(GenericContainer<?> c, String... command) {
        return K3sNodes.exec(c, command);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterException("wait", "K3s cluster", e);
        }
    }

    /** Discovered: K3s allocates the pod CIDRs, so the scenario's guess is not used. */
    @Override
    public ClusterFacts clusterFacts() {
        return KubeFacts.of(kube.nodes(), kube.ipam(), node -> KubeFacts.K3S_DEVICE);
    }

    @Override
    public String datapath() {
        return "Cilium " + scenario.cilium().version() + " on K3s (" + scenario.cluster().k3sImage() + ")";
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
    public Duration modeSwitchBound() {
        return K3sPlan.HELM.plus(K3sPlan.ROLLOUT).plus(ModeSwitch.REGENERATION).plus(K3sPlan.IPMASQ_PROPAGATION);
    }

    @Override
    public void applyMode(ModeSpec mode) {
        modeSwitch.apply("mode " + mode.name(), mode.values(), ipMasqAgentStep(plan, mode), K3sPlan.HELM, K3sPlan.ROLLOUT);
    }

    /**
     * {@code cilium.upgradeTo}: {@code helm upgrade --version} to the target with every value in one file (the platform's and
     * the scenario's, rewritten in the target's spelling), as Cilium's upgrade guide does between minor releases; the target's
     * images were loaded into the nodes with the others. The next {@link #applyMode} switches on the new chart.
     */
    @Override
    public void upgradeCilium(ScenarioUpgrade upgrade) {
        K3sPlan after = plan.upgradedTo(upgrade);
        modeSwitch.upgrade("upgrade Cilium " + upgrade.from().text() + " -> " + upgrade.to().text(), upgrade.to().full(), after.installValues(),
                ModeSwitch.inWords(after.installValues()), K3sPlan.HELM, K3sPlan.ROLLOUT);
        plan = after;
        scenario = after.scenario();
    }

    /** The harness owns this cluster: the ConfigMap is the mode's, or none (defaults), unless the chart renders it. */
    static ModeSwitch.IpMasqAgentStep ipMasqAgentStep(K3sPlan plan, ModeSpec mode) {
        if (plan.chartManagesIpMasqAgentConfig(mode)) {
            return new ModeSwitch.IpMasqAgentStep.Leave("the chart renders it from ipMasqAgent.config");
        }
        return mode.ipMasqAgentConfig().<ModeSwitch.IpMasqAgentStep>map(ModeSwitch.IpMasqAgentStep.Write::new)
                .orElse(new ModeSwitch.IpMasqAgentStep.Delete());
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
        StringBuilder out = new StringBuilder("# " + datapath() + ", run " + runId + "\n");
        if (kube != null) {
            out.append(kube.agentDiagnostics(List.of(List.of("cilium", "status"), List.of("iptables-save", "-t", "nat"))));
        }
        return out.toString();
    }

    @Override
    public synchronized void close() {
        if (probes != null) {
            try {
                probes.remove();
            } catch (RuntimeException e) {
                progress.accept("could not delete namespace " + runId + ": " + e.getMessage());
            }
            probes = null;
        }
        if (client != null) {
            client.close();
            client = null;
        }
        if (nodeSide != null) {
            nodeSide.close();
            nodeSide = null;
        }
        nodeContainers.clear();
        external = null;
        WorkFolders.deleteQuietly(workDir);
    }
}
