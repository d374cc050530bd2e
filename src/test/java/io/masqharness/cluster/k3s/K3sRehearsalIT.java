package io.masqharness.cluster.k3s;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import io.masqharness.cluster.WorkFolders;
import io.masqharness.cluster.docker.ImageArchive;
import io.masqharness.cluster.docker.ImageRef;
import io.masqharness.cluster.docker.Owner;
import io.masqharness.cluster.docker.RunLabels;
import io.masqharness.net.Cidr;
import io.masqharness.probe.ProbeImage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

/**
 * The first real run, rehearsed here: the K3s backend's Docker side ({@link K3sNodes}, exactly as
 * {@link K3sCluster} runs it) against this machine's Docker engine, with stand-ins for the images
 * that cannot be had here ({@link Rehearsal}). A free node network when the scenario's is taken,
 * the K3s image loaded from an air-gap archive, the node images copied in as single-platform
 * archives, the node containers as the plan has them (their flags, addresses, mounts, cgroup
 * namespace, no docker-init), the reaper's labels, the teardown, and Ctrl-C on a process with the
 * nodes up. What needs K3s and Cilium themselves (containerd's import, the API, Helm, the agents)
 * is not here: the stand-in's /bin/k3s only records its flags.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class K3sRehearsalIT {

    @TempDir
    static Path dir;
    static DockerClient docker;
    static Network blocker;
    static final List<String> log = new ArrayList<>();

    @BeforeAll
    static void standIns() throws Exception {
        Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(), "Docker is not reachable");
        Assumptions.assumeTrue(io.masqharness.cluster.docker.DockerImages.present(ProbeImage.BASE_IMAGE),
                ProbeImage.BASE_IMAGE + " is missing: build it with `bash k3s-images/base/build-debian-base.sh`");
        docker = DockerClientFactory.instance().client();
        Rehearsal.prepare(dir.resolve("airgap"));
        System.setProperty(K3sImages.AIRGAP_DIR_PROPERTY, dir.resolve("airgap").toString());
        // The scenario's node network is taken (another run's, say): the run must move to a free one.
        Cidr wanted = Rehearsal.SCENARIO.cluster().subnet();
        if (io.masqharness.cluster.docker.FreeSubnetNetwork.dockerSubnets(docker).stream().noneMatch(wanted::overlaps)) {
            blocker = Network.builder().createNetworkCmdModifier(c -> c.withName("masq-harness-rehearsal-blocker").withInternal(true)
                    .withLabels(RunLabels.of("masq-harness-rehearsal-blocker")).withIpam(new com.github.dockerjava.api.model.Network.Ipam()
                            .withConfig(new com.github.dockerjava.api.model.Network.Ipam.Config().withSubnet(wanted.toString())))).build();
            blocker.getId();
        }
    }

    @AfterAll
    static void clear() {
        System.clearProperty(K3sImages.AIRGAP_DIR_PROPERTY);
        if (blocker != null) {
            blocker.close();
        }
    }

    static List<String> leftovers(String runId) {
        List<String> found = new ArrayList<>();
        docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of(RunLabels.RUN + "=" + runId)).exec()
                .forEach(c -> found.add("container " + String.join(",", c.getNames())));
        docker.listNetworksCmd().exec().stream().filter(n -> n.getLabels() != null && runId.equals(n.getLabels().get(RunLabels.RUN)))
                .forEach(n -> found.add("network " + n.getName()));
        return found;
    }

    @Test
    @Order(1)
    void theNodesComeUpAsThePlanHasThemOnAFreeNetworkWithEveryImageCopiedIn() throws Exception {
        String runId = "masq-harness-rehearsal-" + UUID.randomUUID().toString().substring(0, 8);
        Path work = Files.createDirectories(dir.resolve("work"));
        K3sNodes nodes = K3sNodes.start(Rehearsal.plan(), runId, work, Rehearsal.UNPRIVILEGED, log::add);
        try {
            K3sPlan placed = nodes.plan();
            assertThat(placed.scenario().cluster().subnet()).as("the scenario's subnet is taken").isNotEqualTo(Rehearsal.SCENARIO.cluster().subnet());
            assertThat(log).anyMatch(l -> l.startsWith("docker load -i ") && l.endsWith("k3s-stand-in.tar"))
                    .anyMatch(l -> l.contains("is taken; every node address moved with it"));

            List<GenericContainer<?>> containers = nodes.nodes();
            assertThat(containers).hasSize(2);
            for (int i = 0; i < 2; i++) {
                GenericContainer<?> node = containers.get(i);
                var spec = placed.scenario().cluster().nodes().get(i);
                InspectContainerResponse inspect = docker.inspectContainerCmd(node.getContainerId()).exec();
                assertThat(inspect.getHostConfig().getInit()).as("N11: no docker-init, K3s is PID 1").isFalse();
                assertThat(inspect.getHostConfig().getCgroupnsMode()).isEqualTo("private");
                assertThat(inspect.getHostConfig().getBinds()).as("no bind of the host's /sys/fs/cgroup").isNullOrEmpty();
                assertThat(inspect.getHostConfig().getTmpFs()).containsOnlyKeys("/run");
                assertThat(inspect.getConfig().getLabels()).containsKeys(Owner.HOST, Owner.BOOT, Owner.PID_NAMESPACE, Owner.STARTED)
                        .containsEntry(RunLabels.RUN, runId);
                assertThat(inspect.getNetworkSettings().getNetworks().values()).extracting(n -> n.getIpAddress())
                        .containsExactly(spec.ip().toString());
                List<String> flags = i == 0 ? placed.serverFlags() : placed.agentFlags(spec);
                assertThat(node.execInContainer("cat", "/run/k3s-stand-in.args").getStdout().strip())
                        .as("what /bin/k3s was started with").isEqualTo(String.join(" ", flags));
                assertThat(node.execInContainer("sh", "-c", K3sPlan.NODE_MOUNTS_CHECK).getExitCode()).as("the node's mounts").isZero();
                assertThat(imagesCopiedInto(node, i)).as("images K3s would import at boot")
                        .containsAll(placed.nodeImages().stream().map(ImageRef::normalize).toList());
            }
            assertThat(placed.serverFlags()).contains("--tls-san=" + DockerClientFactory.instance().dockerHostIpAddress());
        } finally {
            nodes.close();
        }
        assertThat(leftovers(runId)).as("after close").isEmpty();
    }

    /** The archives in a node's images folder, read back: names, and an index that names one platform per image. */
    static Set<String> imagesCopiedInto(GenericContainer<?> node, int n) throws Exception {
        Set<String> names = new HashSet<>();
        for (String file : node.execInContainer("ls", K3sPlan.IMAGES_DIR).getStdout().strip().split("\\s+")) {
            Path copy = dir.resolve("node" + n + "-" + file);
            node.copyFileFromContainer(K3sPlan.IMAGES_DIR + file, in -> Files.copy(in, copy));
            names.addAll(ImageArchive.images(copy));
            assertThat(ImageArchive.singlePlatform(copy, io.masqharness.cluster.docker.DockerImages.architecture(), dir.resolve("again.tar")))
                    .as("%s needs no more rewriting: one platform per image", file).isEqualTo(copy);
        }
        return names;
    }

    /**
     * How long the child may take to bring its nodes up: the bounds it waits by itself (the server's API, the mounts)
     * and a minute for the JVM, the image archives and the containers. CI once saw the same steps take just over 90 s.
     */
    static final java.time.Duration NODES_UP = K3sPlan.API_READY.plus(K3sNodes.MOUNTS).plusSeconds(60);

    /** Ctrl-C on a process with the nodes up: its shutdown hook removes them and their network at once. */
    @Test
    @Order(2)
    void ctrlCOnAProcessWithTheNodesUpLeavesNothingBehind() throws Exception {
        String runId = "masq-harness-rehearsal-" + UUID.randomUUID().toString().substring(0, 8);
        ProcessBuilder pb = io.masqharness.cluster.docker.ChildJvm.java("-cp", System.getProperty("java.class.path"),
                RehearsalMain.class.getName(), dir.resolve("airgap").toString(), runId);
        pb.redirectErrorStream(true);
        long started = System.nanoTime();
        Process child = pb.start();
        List<String> seen = new ArrayList<>();
        CompletableFuture<Boolean> up = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    synchronized (seen) {
                        seen.add(String.format("%.1f s: %s", (System.nanoTime() - started) / 1e9, line));
                    }
                    if (line.startsWith("nodes up: ")) {
                        CompletableFuture.runAsync(() -> drain(r), io.masqharness.cluster.docker.ChildJvm.READERS);
                        return true;
                    }
                }
                return false;
            } catch (java.io.IOException e) {
                return false;
            }
        }, io.masqharness.cluster.docker.ChildJvm.READERS);
        try {
            boolean nodesUp;
            try {
                nodesUp = up.get(NODES_UP.toSeconds(), TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                nodesUp = false;
            }
            synchronized (seen) {
                assertThat(nodesUp).as("the child brought its nodes up within %d s (its own bounds and a margin); it printed: %s",
                        NODES_UP.toSeconds(), seen).isTrue();
            }
            synchronized (seen) {
                assertThat(leftovers(runId)).as("while it runs; the child printed: %s", seen).hasSize(3);
            }
            new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start().waitFor(10, TimeUnit.SECONDS);
            // Seconds when the machine is idle; over a minute seen on a 2-core machine with a PIT run beside it.
            boolean exited = child.waitFor(120, TimeUnit.SECONDS);
            synchronized (seen) {
                assertThat(exited).as("the child exits after SIGINT; it printed: %s", seen).isTrue();
            }
            assertThat(leftovers(runId)).as("after SIGINT; the child printed: %s", seen).isEmpty();
            String work = seen.stream().filter(l -> l.contains(" s: nodes up: ")).findFirst().orElseThrow().replaceFirst("^.* in ", "");
            assertThat(Path.of(work)).as("its work folder (the image tars for the nodes)").doesNotExist();
        } finally {
            if (child.isAlive()) {
                // A failed run: SIGKILL runs no hook, so what the child started is reaped here, not left to the next run.
                child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                io.masqharness.cluster.docker.Reaper.reapOrphans(docker, line -> { });
                synchronized (seen) {
                    seen.stream().filter(l -> l.contains(" s: work folder ")).findFirst()
                            .map(l -> Path.of(l.replaceFirst("^.* s: work folder ", ""))).ifPresent(WorkFolders::deleteQuietly);
                }
            }
        }
    }

    private static void drain(BufferedReader r) {
        try {
            while (r.readLine() != null) {
                // Keep the child's output pipe flowing.
            }
        } catch (java.io.IOException ignored) {
            // The child ended.
        }
    }
}
