package io.masqharness.cluster.k3s;

import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Network.Ipam;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.masqharness.cluster.Cluster;
import io.masqharness.cluster.ClusterException;
import io.masqharness.cluster.ExecResult;
import io.masqharness.cluster.Host;
import io.masqharness.cluster.ModeCheck;
import io.masqharness.cluster.docker.ProbeHostContainer;
import io.masqharness.cluster.docker.Reaper;
import io.masqharness.cluster.docker.RunLabels;
import io.masqharness.cluster.docker.Teardown;
import io.masqharness.cluster.k8s.CiliumHelm;
import io.masqharness.cluster.k8s.CiliumKube;
import io.masqharness.cluster.k8s.CiliumModeChecks;
import io.masqharness.cluster.k8s.KubeNode;
import io.masqharness.cluster.k8s.ProbeWorkload;
import io.masqharness.oracle.AgentConfig;
import io.masqharness.oracle.ClusterFacts;
import io.masqharness.cluster.k8s.KubeFacts;
import io.masqharness.scenario.DestinationSpec;
import io.masqharness.scenario.ModeSpec;
import io.masqharness.scenario.Scenario;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.BindMode;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The main job's backend: K3s nodes from Testcontainers, Cilium installed and switched with Helm
 * (helm-java), every mode verified on every agent before any probe. Executes {@link K3sPlan}.
 */
public final class K3sCluster implements Cluster {

    static final Duration LIFETIME = Duration.ofHours(3);

    private final K3sPlan plan;
    private final Scenario scenario;
    private final Consumer<String> progress;
    private final long started = System.nanoTime();
    private final String runId = "masq-k3s-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<GenericContainer<?>> nodeContainers = new ArrayList<>();
    private final List<Host> nodes = new ArrayList<>();
    private final List<io.masqharness.cluster.Pod> pods = new ArrayList<>();
    private final Path workDir;
    private Network network;
    private ProbeHostContainer external;
    private KubernetesClient client;
    private CiliumKube kube;
    private ProbeWorkload probes;
    private String kubeconfig;
    private CiliumHelm helm;
    private Thread shutdownHook;

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
            k3s.boot(probeImage);
            return k3s;
        } catch (RuntimeException e) {
            k3s.close();
            throw e;
        }
    }

    private void log(String step) {
        progress.accept(String.format("[k3s +%.0fs] %s", (System.nanoTime() - started) / 1e9, step));
    }

    private void boot(String probeImage) {
        DockerClient docker = DockerClientFactory.instance().client();
        Reaper.reapOrphans(docker, progress);
        Map<String, String> labels = RunLabels.of(runId);
        network = Network.builder().createNetworkCmdModifier(cmd -> cmd.withName(runId).withLabels(labels)
                .withIpam(new Ipam().withConfig(new Ipam.Config().withSubnet(scenario.cluster().subnet().toString())))).build();
        network.getId();
        shutdownHook = new Thread(this::close, runId + "-cleanup");
        Runtime.getRuntime().addShutdownHook(shutdownHook);

        List<Path> tars = new ArrayList<>();
        for (String image : Stream.concat(Stream.of(probeImage), plan.ciliumImages().stream()).toList()) {
            log("saving image " + image + " for the nodes (K3s imports it at boot)");
            tars.add(save(docker, image));
        }
        String token = UUID.randomUUID().toString();
        for (ContainerPlan c : plan.containers()) {
            GenericContainer<?> container = c.role().equals("k3s server") ? server(c) : c.role().equals("k3s agent") ? agent(c) : null;
            if (container == null) {
                continue;
            }
            container.withNetwork(network).withNetworkAliases(c.name()).withLabels(labels).withEnv("K3S_TOKEN", token)
                    .withCreateContainerCmdModifier(cmd -> cmd.withName(runId + "-" + c.name()).withIpv4Address(c.ip())
                            .withEntrypoint(c.entrypoint().toArray(String[]::new)))
                    .withCommand(c.command().toArray(String[]::new));
            for (Path tar : tars) {
                container.withCopyFileToContainer(MountableFile.forHostPath(tar), K3sPlan.IMAGES_DIR + tar.getFileName());
            }
            nodeContainers.add(container);
        }
        external = new ProbeHostContainer(probeImage, "external", scenario.cluster().externalHost(), network, labels, LIFETIME)
                .withStaticIp(scenario.cluster().externalHost().toString());
        log("starting K3s server");
        nodeContainers.get(0).start();
        log("K3s API ready; starting " + (nodeContainers.size() - 1) + " agents and the external host");
        Startables.deepStart(Stream.concat(nodeContainers.stream().skip(1), Stream.of(external))).join();
        pinDestinationRoutes();

        kubeconfig = ((K3sContainer) nodeContainers.get(0)).getKubeConfigYaml();
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig)).build();
        installCilium();
        awaitNodesReady();
        kube = new CiliumKube(client, K3sPlan.CILIUM_NAMESPACE, "cilium", true, progress, Clock.systemUTC());
        List<KubeNode> discovered = kube.nodes();
        setUpExternalHost(discovered);
        probes = new ProbeWorkload(client, runId, progress);
        probes.deploy(probeImage, discovered.size(), K3sPlan.PROBES_READY);
        pods.addAll(probes.probePods());
        nodes.addAll(probes.nodeHosts());
        log("cluster up: " + nodes.size() + " nodes, " + pods.size() + " probe pods, Cilium " + scenario.cilium().version());
    }

    private K3sContainer server(ContainerPlan c) {
        K3sContainer server = new K3sContainer(DockerImageName.parse(c.image()).asCompatibleSubstituteFor("rancher/k3s"));
        // Flannel is off, so K3sContainer's default wait (a flannel log line) would never come.
        server.waitingFor(Wait.forSuccessfulCommand("k3s kubectl get --raw=/readyz").withStartupTimeout(K3sPlan.API_READY));
        return server;
    }

    private static GenericContainer<?> agent(ContainerPlan c) {
        return new GenericContainer<>(DockerImageName.parse(c.image())).withPrivilegedMode(true)
                .withFileSystemBind("/sys/fs/cgroup", "/sys/fs/cgroup", BindMode.READ_WRITE)
                .withTmpFs(Map.of("/run", "rw", "/var/run", "rw"))
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withCgroupnsMode("host"));
    }

    private Path save(DockerClient docker, String image) {
        Path tar = workDir.resolve(image.replaceAll("[^A-Za-z0-9.-]", "_") + ".tar");
        try (InputStream in = docker.saveImageCmd(image).exec()) {
            Files.copy(in, tar, StandardCopyOption.REPLACE_EXISTING);
            return tar;
        } catch (IOException e) {
            throw new ClusterException("docker save", image, e);
        }
    }

    /** Every destination goes to the external host, checked before anything is sent: no probe leaves the machine. */
    private void pinDestinationRoutes() {
        for (GenericContainer<?> node : nodeContainers) {
            for (DestinationSpec d : scenario.destinations()) {
                ExecResult r = exec(node, "sh", "-c", "ip route replace " + d.ip() + "/32 via " + external.ip()
                        + " && ip route get " + d.ip());
                if (!r.ok() || !r.stdout().contains("via " + external.ip())) {
                    throw new ClusterException("pin route to " + d.ip(), node.getContainerName(),
                            "the destination does not route via the external host " + external.ip() + ": " + r);
                }
            }
        }
        log("destinations pinned to the external host " + external.ip() + " on every node");
    }

    private void installCilium() {
        String chart = System.getProperty("harness.ciliumChart", "");
        Map<String, Object> values = plan.installValues();
        log("helm install cilium " + (chart.isEmpty() ? K3sPlan.CILIUM_CHART : chart) + " " + scenario.cilium().version()
                + " with " + values.size() + " values (at most " + K3sPlan.HELM.toMinutes() + " min)");
        InstallCommand install;
        helm = new CiliumHelm(kubeconfig, K3sPlan.CILIUM_NAMESPACE, scenario.cilium().version(), workDir);
        helm.addRepository();
        if (chart.isEmpty()) {
            install = Helm.install(K3sPlan.CILIUM_CHART).withRepositoryConfig(workDir.resolve("repositories.yaml"))
                    .withVersion(scenario.cilium().version());
        } else {
            install = new Helm(Path.of(chart)).install();
        }
        install = install.withName(K3sPlan.CILIUM_RELEASE).withNamespace(K3sPlan.CILIUM_NAMESPACE)
                .withKubeConfigContents(kubeconfig).waitReady().withTimeout((int) K3sPlan.HELM.toSeconds());
        for (Map.Entry<String, Object> v : values.entrySet()) {
            install = install.set(v.getKey(), v.getValue());
        }
        install.call();
    }

    private void awaitNodesReady() {
        int expected = nodeContainers.size();
        await().alias(expected + " nodes Ready").atMost(K3sPlan.NODES_READY).pollInterval(Duration.ofSeconds(5))
                .conditionEvaluationListener(c -> log("waiting for " + expected + " Ready nodes (" + c.getElapsedTimeInMS() / 1000 + " s)"))
                .until(() -> client.nodes().list().getItems().stream().filter(n -> n.getStatus().getConditions().stream()
                        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))).count() >= expected);
    }

    private void setUpExternalHost(List<KubeNode> discovered) {
        StringBuilder s = new StringBuilder();
        scenario.destinations().forEach(d -> s.append("ip addr add ").append(d.ip()).append("/32 dev lo\n"));
        for (KubeNode n : discovered) {
            n.podCidr().ifPresent(c -> s.append("ip route replace ").append(c).append(" via ").append(n.internalIp()).append('\n'));
        }
        external.sh(Duration.ofSeconds(60), s.toString());
        external.background(ProbeHostContainer.serveCommand(LIFETIME), "/tmp/serve.log", LIFETIME);
        external.background(ProbeHostContainer.ICMP_CAPTURE, "/tmp/icmp.log", LIFETIME);
    }

    private static ExecResult exec(GenericContainer<?> c, String... command) {
        try {
            var r = c.execInContainer(command);
            return new ExecResult(r.getExitCode(), r.getStdout(), r.getStderr());
        } catch (IOException | InterruptedException e) {
            throw new ClusterException("exec " + String.join(" ", command), c.getContainerName(), e);
        }
    }

    /** Discovered: K3s allocates the pod CIDRs, so the scenario's guess is not used. */
    @Override
    public ClusterFacts clusterFacts() {
        return KubeFacts.of(kube.nodes());
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
        return K3sPlan.HELM.plus(K3sPlan.ROLLOUT).plus(K3sPlan.IPMASQ_PROPAGATION);
    }

    @Override
    public void applyMode(ModeSpec mode) {
        log("mode " + mode.name() + ": helm upgrade --reuse-values " + mode.values());
        helm.upgradeReusingValues(mode.values(), K3sPlan.HELM);
        boolean chartManagesConfig = plan.valuesInMode(mode).keySet().stream().anyMatch(k -> k.startsWith("ipMasqAgent.config."));
        if (!chartManagesConfig) {
            kube.applyIpMasqAgentConfig(mode.ipMasqAgentConfig());
        }
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
        Teardown.stop(Stream.concat(nodeContainers.stream(), Stream.ofNullable(external)).toList(), network, shutdownHook, progress);
        nodeContainers.clear();
        external = null;
        network = null;
        try (Stream<Path> files = Files.exists(workDir) ? Files.walk(workDir) : Stream.empty()) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // Temporary files only.
        }
    }
}
