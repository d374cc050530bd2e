package io.masqharness.suites;

import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.cluster.ExecResult;
import io.masqharness.cluster.Host;
import io.masqharness.cluster.ModeCheck;
import io.masqharness.cluster.Pod;
import io.masqharness.conformance.ModeExecution;
import io.masqharness.scenario.ClusterSpec;
import io.masqharness.scenario.ModeSpec;
import io.masqharness.scenario.Scenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * {@code scenarios/lab-tuning-series.yaml} on the lab with real packets (issue 23): the conformance of every mode, and the
 * tuning toggles the lab's reference datapath carries out (not Cilium), confirmed from the lab's state after each switch
 * and then shown on packets: a 9000-byte frame crosses the VXLAN fabric pod to pod only in the jumbo modes, and pod-to-pod
 * flows leave no conntrack entry only with the NOTRACK rules. The expected values are the scenario's, written here.
 */
class TuningSeriesLabIT extends ConformanceIT {

    /** Per mode: the pods' MTU, NOTRACK rules, BBR, as the scenario file asks (1450 is the lab's default MTU). */
    static final Map<String, List<Object>> ASKED = Map.of(
            "baseline", List.of(1450, false, false),
            "no-conntrack", List.of(1450, true, false),
            "mtu-9000", List.of(9000, true, false),
            "bbr", List.of(9000, true, true));
    static final Duration STEP = Duration.ofSeconds(20);

    @Override
    Path scenarioFile() {
        return Path.of("scenarios/lab-tuning-series.yaml");
    }

    @Override
    ClusterSpec.Backend backend(Scenario s) {
        return ClusterSpec.Backend.LAB;
    }

    @Test
    @Order(2)
    void everyModeWasVerifiedWithItsTuningEvidence() {
        Assumptions.assumeFalse(outcomesByMode.isEmpty(), "no mode ran");
        assertThat(outcomesByMode.keySet()).containsExactlyInAnyOrderElementsOf(ASKED.keySet());
        for (ModeExecution.Outcome o : outcomesByMode.values()) {
            List<Object> asked = ASKED.get(o.mode().name());
            assertThat(o.verified()).as("%s: %s", o.mode().name(), o.checks()).isTrue();
            for (String node : List.of("node-1", "node-2")) {
                List<ModeCheck> mine = o.checks().stream().filter(c -> c.node().equals(node)).toList();
                assertThat(mine).as("%s on %s", o.mode().name(), node).anySatisfy(c -> {
                    assertThat(c.check()).isEqualTo("lab tuning: MTU " + asked.get(0) + " on pods and their node side (ip link)");
                    assertThat(c.status()).isEqualTo(ModeCheck.Status.PASSED);
                    assertThat(c.evidence()).contains("[pod-a eth0]").contains("mtu " + asked.get(0));
                });
                assertThat(mine).anySatisfy(c -> {
                    assertThat(c.check()).isEqualTo("lab tuning: TCP congestion control in the pods' namespaces (sysctl)");
                    assertThat(c.status()).isEqualTo(ModeCheck.Status.PASSED);
                    if ((Boolean) asked.get(2)) {
                        assertThat(c.evidence()).isEqualTo("[pod-a] bbr\n[pod-b] bbr\n");
                    } else {
                        assertThat(c.evidence()).as("the lab nodes' default, not this host's (bbr here)").isIn("[pod-a] cubic\n[pod-b] cubic\n",
                                "[pod-a] reno\n[pod-b] reno\n");
                    }
                });
                assertThat(mine).anySatisfy(c -> {
                    assertThat(c.check()).startsWith("iptables-save -t raw:");
                    assertThat(c.status()).isEqualTo(ModeCheck.Status.PASSED);
                    assertThat(c.message()).startsWith((Boolean) asked.get(1) ? "pod traffic to and from 10.46.0.0/16 is not tracked" : "no '");
                });
                assertThat(mine).filteredOn(c -> c.check().startsWith("tuning: ")).as("what only Cilium can answer")
                        .extracting(ModeCheck::status).containsOnly(ModeCheck.Status.NOT_APPLICABLE).isNotEmpty();
            }
        }
    }

    /**
     * The last mode (bbr) is in force: jumbo frames cross the fabric from a pod on node-1 to one on node-2 and pod-to-pod
     * traffic is untracked; back in the baseline neither holds, so the same probes tell the modes apart.
     */
    @Test
    @Order(2)
    void theTogglesShowOnPackets() {
        Assumptions.assumeTrue(cluster != null && outcomesByMode.containsKey("bbr"), "the series did not run");
        Pod from = cluster.pods().stream().filter(p -> p.node().equals("node-1")).findFirst().orElseThrow();
        Pod to = cluster.pods().stream().filter(p -> p.node().equals("node-2")).findFirst().orElseThrow();
        Host node1 = cluster.nodes().stream().filter(n -> n.name().equals("node-1")).findFirst().orElseThrow();

        ExecResult jumbo = jumboPing(from, to);
        assertThat(jumbo.ok()).as("a 9000-byte packet, not fragmented, pod to pod across nodes in mode bbr: %s", jumbo).isTrue();
        String untracked = trackedAfterPings(node1, from, to);
        assertThat(untracked).as("conntrack on node-1 after pings to a pod and to the public destination")
                .contains("src=" + from.ip() + " dst=198.20.0.10").doesNotContain("dst=" + to.ip() + " ");

        ModeSpec baseline = scenario().modes().get(0);
        cluster.applyMode(baseline);
        ExecResult small = jumboPing(from, to);
        assertThat(small.ok()).as("the same packet in the baseline (MTU 1450): %s", small).isFalse();
        assertThat(small.stdout() + small.stderr()).containsAnyOf("message too long", "Message too long", "mtu=1450", "mtu = 1450");
        String tracked = trackedAfterPings(node1, from, to);
        assertThat(tracked).as("conntrack on node-1 in the baseline").contains("src=" + from.ip() + " dst=" + to.ip() + " ");
    }

    private static ExecResult jumboPing(Pod from, Pod to) {
        // 8972 bytes of ICMP payload + 8 ICMP + 20 IPv4 = 9000; -M do: never fragment.
        return from.host().exec(STEP, "ping", "-M", "do", "-s", "8972", "-c", "1", "-W", "2", to.ip().toString());
    }

    private static String trackedAfterPings(Host node, Pod from, Pod to) {
        node.exec(STEP, "conntrack", "-F");
        assertThat(from.host().exec(STEP, "ping", "-c", "1", "-W", "2", to.ip().toString()).ok()).as("ping to the pod").isTrue();
        assertThat(from.host().exec(STEP, "ping", "-c", "1", "-W", "2", "198.20.0.10").ok()).as("ping to public").isTrue();
        ExecResult list = node.exec(STEP, "conntrack", "-L");
        return list.stdout();
    }
}
