package io.masqharness.conformance;

import static io.masqharness.conformance.ConformanceFixtures.NODE_1;
import static io.masqharness.conformance.ConformanceFixtures.NODE_2;
import static io.masqharness.conformance.ConformanceFixtures.POD_1;
import static io.masqharness.conformance.ConformanceFixtures.POD_2;
import static io.masqharness.conformance.ConformanceFixtures.PUBLIC;
import static io.masqharness.conformance.ConformanceFixtures.RFC1918;
import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.cluster.Cluster;
import io.masqharness.cluster.ExecResult;
import io.masqharness.cluster.Host;
import io.masqharness.cluster.Pod;
import io.masqharness.probe.IcmpEcho;
import io.masqharness.scenario.ModeSpec;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioFacts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ICMP echo flows: where each one is looked for, which captured lines count as its sources, and
 * what happens where nothing can capture. Captures are tcpdump lines as the lab's show them.
 */
class IcmpFlowsTest {

    /** Long enough for the scripted captures, which are complete as soon as the pings return. */
    static final java.time.Duration SETTLE = java.time.Duration.ofMillis(500);
    static final Pattern PING = Pattern.compile("-s (\\d+) (\\S+) ");

    @TempDir
    Path dir;
    Scenario scenario;
    ScriptedCluster cluster;
    final List<String> progress = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void twoNodesIcmpOnly() {
        scenario = ConformanceFixtures.twoNodes(dir, "icmp-echo", "");
        cluster = new ScriptedCluster(scenario);
    }

    static String echo(String from, String to, boolean request, int payload) {
        return "10:00:00.000000 IP " + from + " > " + to + ": ICMP echo " + (request ? "request" : "reply") + ", id 7, seq 1, length "
                + (payload + 8) + "\n";
    }

    /**
     * Pings answer; each request is captured at its receiver with {@code sourceOf(pod, target)} as
     * its source, and the reply beside it.
     */
    void pingsArriveFrom(java.util.function.BiFunction<Pod, String, String> sourceOf) {
        cluster.script = (host, command) -> {
            if (!command.get(0).equals("sh") || !command.get(2).startsWith("ping ")) {
                return new ExecResult(0, "", "");
            }
            Pod pod = cluster.pods().stream().filter(p -> p.name().equals(host)).findFirst().orElseThrow();
            StringBuilder out = new StringBuilder();
            Matcher m = PING.matcher(command.get(2));
            while (m.find()) {
                int size = Integer.parseInt(m.group(1));
                String target = m.group(2);
                Host receiver = Targets.receiver(cluster, target);
                String source = sourceOf.apply(pod, target);
                synchronized (cluster.captures) {
                    cluster.captures.merge(receiver.name(), echo(source, target, true, size) + echo(target, source, false, size), String::concat);
                }
                out.append("@@ ").append(target).append(' ').append(size).append(" rc=0\n");
            }
            return new ExecResult(0, out.toString(), "");
        };
    }

    List<CellResult> run(String mode) {
        ModeSpec m = scenario.mode(mode);
        return ModeRun.run(scenario, cluster, m, ScenarioFacts.agentConfig(scenario, m), progress::add, SETTLE);
    }

    @Test
    void aPodsTargetsAreTheDestinationsAndEveryOtherNodeAndItsPod() {
        Pod first = cluster.pods().get(0);
        assertThat(Targets.of(scenario, cluster, first)).containsExactly(new Targets.Target("public", PUBLIC),
                new Targets.Target("rfc1918", RFC1918), new Targets.Target("node:node-2", NODE_2), new Targets.Target("pod:node-2", POD_2));
        assertThat(Targets.of(scenario, cluster, cluster.pods().get(1))).contains(new Targets.Target("pod:node-1", POD_1))
                .extracting(Targets.Target::name).contains("node:node-1").doesNotContain("node:node-2");
    }

    @Test
    void eachFlowIsLookedForWhereItArrives() {
        assertThat(Targets.receiver(cluster, NODE_2).name()).isEqualTo("node-2");
        assertThat(Targets.receiver(cluster, NODE_1).name()).isEqualTo("node-1");
        assertThat(Targets.receiver(cluster, POD_2).name()).as("a pod's flows arrive at its node").isEqualTo("node-2");
        assertThat(Targets.receiver(cluster, POD_1).name()).isEqualTo("node-1");
        assertThat(Targets.receiver(cluster, PUBLIC).name()).isEqualTo("external");
    }

    @Test
    void echoesFromTheExpectedSourcesPassEveryCellAndTheRepliesAreNotSources() {
        // iptables mode, native routing: destinations see the node IP; the other node and its pod see the pod IP.
        pingsArriveFrom((pod, target) -> target.startsWith("10.44.") || target.startsWith("172.29.") ? pod.ip().toString()
                : cluster.nodes().stream().filter(n -> n.name().equals(pod.node())).findFirst().orElseThrow().ip().toString());
        List<CellResult> results = run("iptables");
        assertThat(results).hasSize(8).allSatisfy(r -> {
            assertThat(r.verdict().passed()).as(r.verdict().message()).isTrue();
            assertThat(r.observed().sources()).hasSize(1);
            assertThat(r.observed().answered()).isTrue();
        });
        CellResult toPublic = results.stream().filter(r -> r.cell().pod().node().equals("node-1") && r.cell().address().equals(PUBLIC))
                .findFirst().orElseThrow();
        assertThat(toPublic.observed().sources()).containsExactly(NODE_1);
        assertThat(toPublic.observed().evidence()).startsWith("tcpdump on external (payload ").contains("ICMP echo request")
                .contains("ICMP echo reply").endsWith("ping in the pod: reply received");
    }

    @Test
    void aRequestFromTheWrongSourceFailsTheCell() {
        pingsArriveFrom((pod, target) -> pod.ip().toString());
        List<CellResult> results = run("iptables");
        assertThat(results).filteredOn(r -> r.cell().address().equals(PUBLIC)).hasSize(2).allSatisfy(r -> {
            assertThat(r.verdict().passed()).isFalse();
            assertThat(r.verdict().message()).contains("expected node-ip").contains("observed arrived from " + r.cell().pod().ip());
        });
    }

    @Test
    void echoesCapturedBeforeTheModeBeganAreNotCounted() {
        cluster.captures.put("external", echo(NODE_1, PUBLIC, true, 100) + echo(NODE_1, PUBLIC, true, 101));
        pingsArriveFrom((pod, target) -> "10.99.0.1");
        List<CellResult> results = run("iptables");
        assertThat(results).filteredOn(r -> r.cell().address().equals(PUBLIC)).allSatisfy(r ->
                assertThat(r.observed().sources()).containsExactly("10.99.0.1"));
    }

    @Test
    void onlyRequestsOfTheFlowsOwnSizeAreItsSources() {
        List<IcmpEcho> capture = IcmpEcho.parse(echo(NODE_1, PUBLIC, true, 100) + echo(PUBLIC, NODE_1, false, 100)
                + echo(NODE_2, PUBLIC, true, 101) + echo(NODE_1, PUBLIC, true, 100));
        Observation o = ModeRun.observeIcmp(capture, 100, new RetriedProbes.Pinged(true, 1, null), "external");
        assertThat(o.sources()).containsExactly(NODE_1);
        assertThat(o.evidence().lines()).hasSize(5).first().isEqualTo("tcpdump on external (payload 100):");
        assertThat(o.evidence()).doesNotContain(NODE_2);
        Observation none = ModeRun.observeIcmp(capture, 102, new RetriedProbes.Pinged(false, 3, "ping exited 2"), "external");
        assertThat(none.sources()).isEmpty();
        assertThat(none.answered()).isFalse();
        assertThat(none.attempts()).isEqualTo(3);
        assertThat(none.evidence()).contains("(no echo of that size among the 4 captured since the mode began; last: "
                + echo(NODE_1, PUBLIC, true, 100).strip() + ")").endsWith("ping in the pod: no reply (after 3 attempts); ping exited 2");
        Observation empty = ModeRun.observeIcmp(List.of(), 100, new RetriedProbes.Pinged(false, 1, null), "node-2");
        assertThat(empty.evidence()).isEqualTo("tcpdump on node-2 (payload 100):\n(no echo of that size among the 0 captured since the"
                + " mode began)\nping in the pod: no reply");
    }

    @Test
    void whereNothingCanCaptureTheFlowIsNotJudged() {
        cluster.uncapturable.add("external");
        pingsArriveFrom((pod, target) -> pod.ip().toString());
        List<CellResult> results = run("iptables");
        assertThat(results).filteredOn(r -> r.cell().address().equals(PUBLIC)).hasSize(2).allSatisfy(r -> {
            assertThat(r.verdict().applicable()).isFalse();
            assertThat(r.verdict().message()).isEqualTo("nothing can capture what arrives at external on scripted: ICMP echo is not"
                    + " judged there");
            assertThat(r.expected().source()).isEqualTo(io.masqharness.oracle.Expectation.Source.NODE_IP);
            assertThat(r.observed().evidence()).isEqualTo("no capture point");
        });
        assertThat(results).filteredOn(r -> r.cell().address().equals(POD_2)).singleElement()
                .satisfies(r -> assertThat(r.verdict().passed()).isTrue());
    }

    @Test
    void aCaptureThatCannotBeReadIsReportedAndItsFlowsFail() {
        cluster.unreadable.put("node-2", new IllegalStateException("container is not running"));
        pingsArriveFrom((pod, target) -> pod.ip().toString());
        List<CellResult> results = run("iptables");
        assertThat(progress).contains("cannot read the ICMP capture on node-2: container is not running");
        assertThat(results).filteredOn(r -> r.cell().address().equals(NODE_2)).singleElement().satisfies(r -> {
            assertThat(r.verdict().passed()).isFalse();
            assertThat(r.verdict().message()).contains("observed nothing arrived (answered)");
        });
    }

    @Test
    void onlyTcpUdpAndIcmpEchoAreProbed() {
        assertThat(ModeRun.probeable(io.masqharness.oracle.Protocol.TCP)).isTrue();
        assertThat(ModeRun.probeable(io.masqharness.oracle.Protocol.UDP)).isTrue();
        assertThat(ModeRun.probeable(io.masqharness.oracle.Protocol.ICMP_ECHO)).isTrue();
        assertThat(ModeRun.probeable(io.masqharness.oracle.Protocol.SCTP)).isFalse();
        assertThat(ModeRun.probeable(io.masqharness.oracle.Protocol.parse("icmp-timestamp"))).isFalse();
    }

    @Test
    void aCaptureWrittenLateIsWaitedForAndNoLonger() {
        pingsArriveFrom((pod, target) -> pod.ip().toString());
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        Map<String, String> written = cluster.captures;
        Cluster late = new DelegatingCluster(cluster) {
            @Override
            public String icmpCapture(Host receiver) {
                // The first read after the pings (the 5th overall: 3 receivers read before them) sees nothing yet.
                return reads.incrementAndGet() <= 4 ? "" : written.getOrDefault(receiver.name(), "");
            }
        };
        ModeSpec m = scenario.mode("bpf");
        long t0 = System.nanoTime();
        List<CellResult> results = ModeRun.run(scenario, late, m, ScenarioFacts.agentConfig(scenario, m), progress::add,
                java.time.Duration.ofSeconds(3));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(results).filteredOn(r -> r.cell().address().equals(POD_2)).singleElement()
                .satisfies(r -> assertThat(r.observed().sources()).containsExactly(POD_1));
        assertThat(ms).as("done once every answered echo showed up, not at the 3 s bound").isLessThan(2500);
    }
}
