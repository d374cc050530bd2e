package io.masqharness.cluster.k3s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.masqharness.cluster.ClusterException;
import io.masqharness.cluster.ExecResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Review 2, N13: the node containers have no wait strategy, so the mount check can run before the
 * entrypoint's {@code mount} commands have finished. It is polled, bounded, not taken once. Nodes
 * here are stand-ins that answer the check as a node container would (K3sNodeMountsIT runs the
 * check itself in a real container).
 */
class K3sNodesMountsTest {

    final List<String> log = new ArrayList<>();

    /** A node whose mounts are there {@code after} its first check (never, for null); it records the scripts it runs. */
    static final class Node implements K3sNodes.NodeShell {
        final String name;
        final Duration after;
        final List<String> scripts = new ArrayList<>();
        long first;

        Node(String name, Duration after) {
            this.name = name;
            this.after = after;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public ExecResult sh(String script) {
            scripts.add(script);
            if (!script.equals(K3sPlan.NODE_MOUNTS_CHECK)) {
                return new ExecResult(0, "lrwxrwxrwx 1 root root 4 /var/run -> /run\n", "");
            }
            if (first == 0) {
                first = System.nanoTime();
            }
            return after != null && System.nanoTime() - first >= after.toNanos() ? new ExecResult(0, "", "") : new ExecResult(1, "", "");
        }

        long checks() {
            return scripts.stream().filter(K3sPlan.NODE_MOUNTS_CHECK::equals).count();
        }
    }

    @Test
    void mountsThatAppearOnlyAfterAMomentPassTheCheck() {
        Node server = new Node("masq-run-server", Duration.ZERO);
        Node agent = new Node("masq-run-agent-1", Duration.ofMillis(700));
        K3sNodes.checkMounts(List.of(server, agent), K3sNodes.MOUNTS, log::add);
        assertThat(agent.checks()).as("checks of the late node, 250 ms apart").isGreaterThan(1);
        assertThat(server.checks()).isEqualTo(1);
        assertThat(log).containsExactly("every node: /var/run -> /run, shared bpffs, a shared cgroup2 mount of the node's own cgroup");
    }

    @Test
    void mountsThatNeverAppearFailAfterTheBoundNamingTheNodeAndWhatItWaitedFor() {
        Node agent = new Node("masq-run-agent-1", null);
        assertThatThrownBy(() -> K3sNodes.checkMounts(List.of(agent), Duration.ofSeconds(1), log::add)).isInstanceOf(ClusterException.class)
                .hasMessage("Operation [check the node's mounts] on [masq-run-agent-1] failed: within 1 s the entrypoint did not leave"
                        + " /var/run -> /run, a shared bpffs and a shared cgroup2 mount of the node's own cgroup (private cgroupns):"
                        + " lrwxrwxrwx 1 root root 4 /var/run -> /run\n");
        assertThat(agent.checks()).as("checks within the 1 s bound, 250 ms apart").isGreaterThan(2);
        assertThat(agent.scripts).last().asString().startsWith("ls -ld /var/run;");
        assertThat(log).isEmpty();
    }

    @Test
    void theRunWaitsTenSecondsForTheMounts() {
        assertThat(K3sNodes.MOUNTS).isEqualTo(Duration.ofSeconds(10));
    }
}
