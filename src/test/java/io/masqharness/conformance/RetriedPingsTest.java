package io.masqharness.conformance;

import static io.masqharness.conformance.ConformanceFixtures.PUBLIC;
import static io.masqharness.conformance.ConformanceFixtures.RFC1918;
import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.cluster.ExecResult;
import io.masqharness.cluster.Pod;
import io.masqharness.oracle.Protocol;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioFacts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pings are retried only where a reply was expected and missing, and the last attempt's answer is what counts. */
class RetriedPingsTest {

    @TempDir
    Path dir;
    Scenario scenario;
    ScriptedCluster cluster;
    Pod pod;
    final List<String> progress = new ArrayList<>();
    final Map<String, Integer> payloads = new LinkedHashMap<>();

    @BeforeEach
    void cluster() {
        scenario = ConformanceFixtures.twoNodes(dir, "icmp-echo", "");
        cluster = new ScriptedCluster(scenario);
        pod = cluster.pods().get(0);
        payloads.put(PUBLIC, 100);
        payloads.put(RFC1918, 101);
    }

    /** ping's exit status per target, per attempt: the n-th call answers from {@code rcs[n]}. */
    void pingExits(Map<String, List<Integer>> rcs) {
        AtomicInteger call = new AtomicInteger();
        cluster.script = (host, command) -> {
            int n = call.getAndIncrement();
            StringBuilder out = new StringBuilder();
            payloads.forEach((t, size) -> {
                if (command.get(2).contains(" " + t + " ")) {
                    List<Integer> codes = rcs.get(t);
                    out.append("@@ ").append(t).append(' ').append(size).append(" rc=").append(codes.get(Math.min(n, codes.size() - 1)))
                            .append('\n');
                }
            });
            return new ExecResult(0, out.toString(), "");
        };
    }

    @Test
    void aReplyOnTheSecondAttemptCountsAndOnlyThatTargetIsPingedAgain() {
        pingExits(Map.of(PUBLIC, List.of(1, 0), RFC1918, List.of(0)));
        Map<String, RetriedProbes.Pinged> pinged = RetriedProbes.ping(pod, payloads, t -> true, progress::add);
        assertThat(pinged.get(PUBLIC)).isEqualTo(new RetriedProbes.Pinged(true, 2, null));
        assertThat(pinged.get(RFC1918)).isEqualTo(new RetriedProbes.Pinged(true, 1, null));
        assertThat(cluster.callsOf(pod.name())).hasSize(2);
        assertThat(cluster.callsOf(pod.name()).get(1).line()).contains(PUBLIC).doesNotContain(RFC1918);
        assertThat(progress).containsExactly("retry 1/2: icmp-echo node-1-pod-a -> [198.20.0.10] got no reply");
    }

    @Test
    void aTargetExpectedToDropIsNotPingedAgain() {
        pingExits(Map.of(PUBLIC, List.of(2), RFC1918, List.of(1)));
        Map<String, RetriedProbes.Pinged> pinged = RetriedProbes.ping(pod, payloads, t -> t.equals(PUBLIC), progress::add);
        assertThat(pinged.get(PUBLIC)).isEqualTo(new RetriedProbes.Pinged(false, 3, "ping exited 2"));
        assertThat(pinged.get(RFC1918).attempts()).isEqualTo(1);
        assertThat(progress).containsExactly("retry 1/2: icmp-echo node-1-pod-a -> [198.20.0.10] got no reply (ping exited 2)",
                "retry 2/2: icmp-echo node-1-pod-a -> [198.20.0.10] got no reply (ping exited 2)");
    }

    @Test
    void whatAPingSaysOfItself() {
        assertThat(new RetriedProbes.Pinged(true, 1, null).describe()).isEqualTo("reply received");
        assertThat(new RetriedProbes.Pinged(true, 2, "ignored once replied").describe()).isEqualTo("reply received (after 2 attempts)");
        assertThat(new RetriedProbes.Pinged(false, 1, "ping exited 2").describe()).isEqualTo("no reply; ping exited 2");
        assertThat(new RetriedProbes.Pinged(false, 3, null).describe()).isEqualTo("no reply (after 3 attempts)");
    }

    @Test
    void onlyFlowsTheOracleDoesNotDropExpectAnAnswer() {
        var bpf = ScenarioFacts.agentConfig(scenario, scenario.mode("bpf"));
        var facts = cluster.clusterFacts();
        assertThat(RetriedProbes.expectsAnswer(facts, bpf, pod, PUBLIC, Protocol.ICMP_ECHO)).isTrue();
        assertThat(RetriedProbes.expectsAnswer(facts, bpf, pod, PUBLIC, Protocol.parse("icmp-timestamp")))
                .as("BPF drops ICMP it cannot translate").isFalse();
        assertThat(RetriedProbes.expectsAnswer(facts, bpf, pod, PUBLIC, Protocol.TCP)).isTrue();
    }
}
