package io.masqharness.cluster.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Capability;
import io.masqharness.cluster.docker.RunLabels;
import io.masqharness.probe.IcmpEcho;
import io.masqharness.probe.ProbeImage;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;

/**
 * Review 2, N3, on the real kernel: the host probe's command exactly as its DaemonSet runs it, in a
 * container of the probe image whose NIC is called ens5 (as on EC2) with the capabilities the pod
 * gets (the runtime's defaults plus NET_ADMIN), on an internal network. It listens on ens5, says so
 * for the readiness probe, and the ICMP echo another host sends it is in the log the run judges.
 * The old capture on eth0 is run beside it: it does not start, which is what made every pod-to-node
 * echo cell fail on real clusters.
 */
class HostProbeCaptureIT {

    static final String RENAME = "ip link set eth0 down && ip link set eth0 name ens5 && ip link set ens5 up";
    static final String OLD_CAPTURE = "tcpdump -i eth0 -n -l --immediate-mode icmp > /tmp/old.log 2> /tmp/old.err &";

    static Network network;
    static GenericContainer<?> node;
    static GenericContainer<?> peer;

    static GenericContainer<?> host(String image, String name, String command) {
        return new GenericContainer<>(image).withNetwork(network).withNetworkAliases(name)
                .withLabels(RunLabels.of("masq-harness-capture-" + name))
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withName("masq-harness-capture-" + name + "-" + UUID.randomUUID().toString().substring(0, 6));
                    cmd.getHostConfig().withCapAdd(Capability.NET_ADMIN);
                })
                .withCommand("sh", "-c", command).waitingFor(Wait.forSuccessfulCommand("test -e /tmp/ready").withStartupTimeout(Duration.ofSeconds(30)));
    }

    @BeforeAll
    static void start() {
        Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(), "Docker is not reachable");
        ProbeImage probe = ProbeImage.fromProject();
        Assumptions.assumeTrue(probe.unavailableReason().isEmpty(), () -> probe.unavailableReason().orElse(""));
        String image = probe.resolve(System.out::println);
        network = Network.builder().createNetworkCmdModifier(c -> c.withInternal(true)
                .withLabels(RunLabels.of("masq-harness-capture"))).build();
        String daemonSetCommand = ProbeWorkload.hostDaemonSet("ns", image, List.of("node-1")).getSpec().getTemplate().getSpec()
                .getContainers().get(0).getCommand().get(2);
        // HOST_IP is what the Downward API gives the pod: the address the node's NIC holds.
        node = host(image, "node", RENAME + "; " + OLD_CAPTURE + " export HOST_IP=$(ip -o -4 addr show ens5 | awk '{split($4, a, \"/\");"
                + " print a[1]}'); touch /tmp/ready; " + daemonSetCommand);
        peer = host(image, "peer", "touch /tmp/ready && exec sleep 300");
        node.start();
        peer.start();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {peer, node, network}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // Labelled: the next run's reaper removes a leftover.
            }
        }
    }

    static ExecResult sh(GenericContainer<?> c, String script) throws Exception {
        return c.execInContainer("sh", "-c", script);
    }

    @Test
    void theNodeCaptureListensOnEns5AndLogsTheEchoThatArrives() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        ExecResult ready = sh(node, ProbeWorkload.CAPTURE_STARTED);
        while (ready.getExitCode() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            ready = sh(node, ProbeWorkload.CAPTURE_STARTED);
        }
        assertThat(ready.getExitCode()).as("the readiness probe; tcpdump said: %s", sh(node, "cat /tmp/icmp.log.err").getStdout()).isZero();
        assertThat(sh(node, "cat " + ProbeWorkload.CAPTURE_DEVICE).getStdout().strip()).isEqualTo("ens5");

        String nodeIp = sh(node, "ip -o -4 addr show ens5 | awk '{split($4, a, \"/\"); print a[1]}'").getStdout().strip();
        String peerIp = sh(peer, "ip -o -4 addr show eth0 | awk '{split($4, a, \"/\"); print a[1]}'").getStdout().strip();
        ExecResult ping = sh(peer, "ping -c 2 -W 2 -s 321 " + nodeIp);
        assertThat(ping.getExitCode()).as(ping.getStdout() + ping.getStderr()).isZero();

        List<IcmpEcho> seen = List.of();
        while (System.nanoTime() < deadline) {
            seen = IcmpEcho.parse(sh(node, "cat /tmp/icmp.log").getStdout());
            if (seen.stream().anyMatch(e -> e.request() && e.length() == 329)) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(seen).as("echo requests of 321 bytes of payload in the node's capture")
                .anyMatch(e -> e.request() && e.length() == 329 && e.source().equals(peerIp) && e.destination().equals(nodeIp));
        assertThat(sh(node, "cat /tmp/old.err").getStdout()).as("the capture on eth0, as the DaemonSet had it")
                .contains("eth0").containsIgnoringCase("no such device");
    }

    @Test
    void aCaptureThatCannotFindTheNodesDeviceKeepsThePodUnreadyAndSaysWhy() throws Exception {
        String script = ProbeWorkload.hostDaemonSet("ns", "img", List.of("node-1")).getSpec().getTemplate().getSpec().getContainers().get(0)
                .getCommand().get(2).replace("exec probe serve", "exec true; #");
        ExecResult r = node.execInContainer("env", "HOST_IP=192.0.2.99", "sh", "-c", script.replace("/tmp/icmp.", "/tmp/wrong."));
        assertThat(r.getExitCode()).isZero();
        assertThat(sh(node, ProbeWorkload.CAPTURE_STARTED.replace("/tmp/icmp.", "/tmp/wrong.")).getExitCode()).as("readiness").isNotZero();
        assertThat(sh(node, "cat /tmp/wrong.log.err").getStdout()).startsWith("no device holds the node's InternalIP 192.0.2.99:")
                .contains("ens5");
    }
}
