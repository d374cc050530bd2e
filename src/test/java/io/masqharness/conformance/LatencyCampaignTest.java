package io.masqharness.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.masqharness.cluster.Cluster;
import io.masqharness.cluster.ExecResult;
import io.masqharness.latency.Trial;
import io.masqharness.scenario.LatencySpec;
import io.masqharness.scenario.Scenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The latency campaign's order, commands and parsing, against a scripted cluster. */
class LatencyCampaignTest {

    @TempDir
    Path dir;
    Scenario scenario;
    ScriptedCluster cluster;
    LatencySpec spec;
    final List<String> progress = new ArrayList<>();

    @BeforeEach
    void twoModesTwoKinds() {
        scenario = ConformanceFixtures.twoNodes(dir, "tcp", "latency: {kinds: [tcp-rr, udp-rr], rate: 250, duration: 400ms, trials: 5}");
        spec = new LatencySpec(List.of("tcp-rr", "udp-rr"), 250, Duration.ofMillis(400), 2, 0.05, 0.01, List.of("p50"));
        cluster = new ScriptedCluster(scenario);
        // Each answer's latencies are 100, 200, 300 us on pods and 50 on nodes; closed loop reports 7 us.
        cluster.script = (host, command) -> {
            if (!command.get(1).equals("latency")) {
                return new ExecResult(0, "", "");
            }
            String loop = command.get(command.indexOf("--mode") + 1);
            String latencies = loop.equals("closed") ? "7,7" : host.contains("pod") ? "100,200,300" : "50";
            int n = latencies.split(",").length;
            return new ExecResult(0, "warming up\n{\"kind\":\"" + command.get(command.indexOf("--kind") + 1) + "\",\"loop\":\"" + loop
                    + "\",\"latenciesUs\":[" + latencies + "],\"sent\":" + (n + 1) + ",\"completed\":" + n + ",\"errors\":1,"
                    + "\"achievedRate\":250.0}\n", "");
        };
    }

    @Test
    void trialsAreInterleavedAcrossModesAndEachKindRunsFromThePodAndTheNodeOpenAndClosedLoop() {
        List<Trial> trials = LatencyCampaign.run(scenario, scenario.modes().subList(0, 2), cluster, spec, progress::add);
        assertThat(cluster.applied).containsExactly("iptables", "bpf", "iptables", "bpf");
        assertThat(trials).extracting(Trial::tag).containsExactly(
                "iptables.tcp-rr.pod.open.t0", "iptables.tcp-rr.host.open.t0", "iptables.tcp-rr.pod.closed.t0", "iptables.tcp-rr.host.closed.t0",
                "iptables.udp-rr.pod.open.t0", "iptables.udp-rr.host.open.t0", "iptables.udp-rr.pod.closed.t0", "iptables.udp-rr.host.closed.t0",
                "bpf.tcp-rr.pod.open.t0", "bpf.tcp-rr.host.open.t0", "bpf.tcp-rr.pod.closed.t0", "bpf.tcp-rr.host.closed.t0",
                "bpf.udp-rr.pod.open.t0", "bpf.udp-rr.host.open.t0", "bpf.udp-rr.pod.closed.t0", "bpf.udp-rr.host.closed.t0",
                "iptables.tcp-rr.pod.open.t1", "iptables.tcp-rr.host.open.t1", "iptables.tcp-rr.pod.closed.t1", "iptables.tcp-rr.host.closed.t1",
                "iptables.udp-rr.pod.open.t1", "iptables.udp-rr.host.open.t1", "iptables.udp-rr.pod.closed.t1", "iptables.udp-rr.host.closed.t1",
                "bpf.tcp-rr.pod.open.t1", "bpf.tcp-rr.host.open.t1", "bpf.tcp-rr.pod.closed.t1", "bpf.tcp-rr.host.closed.t1",
                "bpf.udp-rr.pod.open.t1", "bpf.udp-rr.host.open.t1", "bpf.udp-rr.pod.closed.t1", "bpf.udp-rr.host.closed.t1");
        Trial first = trials.get(0);
        assertThat(first.histogram().getTotalCount()).isEqualTo(3);
        assertThat(first.histogram().getValueAtPercentile(50)).isEqualTo(200);
        assertThat(first.histogram().getMaxValue()).isEqualTo(300);
        assertThat(first.sent()).isEqualTo(4);
        assertThat(first.completed()).isEqualTo(3);
        assertThat(first.errors()).isEqualTo(1);
        assertThat(first.index()).isZero();
        assertThat(trials.get(1).histogram().getValueAtPercentile(50)).as("from the node").isEqualTo(50);
        assertThat(trials.get(2).histogram().getValueAtPercentile(50)).as("closed loop").isEqualTo(7);
        assertThat(trials.get(3).path()).as("closed loop from the node too: the host path beside every pod trial").isEqualTo("host");
        assertThat(progress).hasSize(32).first().isEqualTo("latency iptables tcp-rr pod open trial 0: p50 200 us, p99 300 us, 3/4 completed;"
                + " sender late p50 0 us, p99 0 us");
        assertThat(progress).contains("latency bpf udp-rr host open trial 1: p50 50 us, p99 50 us, 1/2 completed; sender late p50 0 us, p99 0 us")
                .contains("latency bpf udp-rr host closed trial 1: p50 7 us, p99 7 us, 2/3 completed; sender late p50 0 us, p99 0 us");
    }

    @Test
    void theProbeIsAskedForTheKindsPortTheRateDurationAndWarmUpWithinABound() {
        LatencyCampaign.run(scenario, scenario.modes().subList(0, 1), cluster, spec, progress::add);
        List<ScriptedCluster.Call> pod = cluster.callsOf("node-1-pod-a");
        assertThat(pod).extracting(ScriptedCluster.Call::line).containsExactly(
                "probe latency --kind tcp-rr --target 198.20.0.10:7002 --rate 250 --duration-ms 400 --warmup-ms 500 --mode open",
                "probe latency --kind tcp-rr --target 198.20.0.10:7002 --rate 250 --duration-ms 400 --warmup-ms 500 --mode closed",
                "probe latency --kind udp-rr --target 198.20.0.10:7003 --rate 250 --duration-ms 400 --warmup-ms 500 --mode open",
                "probe latency --kind udp-rr --target 198.20.0.10:7003 --rate 250 --duration-ms 400 --warmup-ms 500 --mode closed",
                "probe latency --kind tcp-rr --target 198.20.0.10:7002 --rate 250 --duration-ms 400 --warmup-ms 500 --mode open",
                "probe latency --kind tcp-rr --target 198.20.0.10:7002 --rate 250 --duration-ms 400 --warmup-ms 500 --mode closed",
                "probe latency --kind udp-rr --target 198.20.0.10:7003 --rate 250 --duration-ms 400 --warmup-ms 500 --mode open",
                "probe latency --kind udp-rr --target 198.20.0.10:7003 --rate 250 --duration-ms 400 --warmup-ms 500 --mode closed");
        assertThat(pod).allSatisfy(c -> assertThat(c.timeout()).isEqualTo(Duration.ofMillis(400 + 500 + 30_000)));
        assertThat(cluster.callsOf("node-1")).as("the host-network baseline runs on the pod's node, both loops").hasSize(8)
                .extracting(ScriptedCluster.Call::line).containsExactlyElementsOf(pod.stream().map(ScriptedCluster.Call::line).toList());
        assertThat(cluster.callsOf("node-2")).isEmpty();
    }

    @Test
    void aClusterThatCannotSwitchIsMeasuredInTheModeItIsIn() {
        cluster.switchable = false;
        List<Trial> trials = LatencyCampaign.run(scenario, List.of(scenario.mode("bpf")), cluster, spec, progress::add);
        assertThat(cluster.applied).isEmpty();
        assertThat(trials).hasSize(16).allSatisfy(t -> assertThat(t.mode()).isEqualTo("bpf"));
    }

    @Test
    void aLatencyTooLargeToRecordIsKeptAtTheHistogramsCeiling() {
        cluster.script = (host, command) -> new ExecResult(0, "{\"kind\":\"tcp-rr\",\"loop\":\"open\",\"latenciesUs\":[90000000000],"
                + "\"sent\":1,\"completed\":1,\"errors\":0}\n", "");
        Trial t = LatencyCampaign.measure(cluster.pods().get(0).host(), PUBLIC, "tcp-rr", spec, "iptables", "pod", 3, "open");
        assertThat(t.histogram().getMaxValue()).isGreaterThanOrEqualTo(60_000_000L);
        assertThat(t.histogram().getTotalCount()).isEqualTo(1);
        assertThat(t.index()).isEqualTo(3);
        assertThat(t.loop()).isEqualTo("open");
    }

    @Test
    void theSendersLatenessBecomesTheTrialsSecondHistogramAndIsPrinted() {
        cluster.script = (host, command) -> new ExecResult(0, "{\"kind\":\"tcp-rr\",\"loop\":\"open\",\"latenciesUs\":[80,90,100],"
                + "\"latenessUs\":[0,2,40],\"sent\":3,\"completed\":3,\"errors\":0}\n", "");
        List<Trial> trials = LatencyCampaign.run(scenario, scenario.modes().subList(0, 1), cluster, spec, progress::add);
        Trial first = trials.get(0);
        assertThat(first.lateness().getTotalCount()).isEqualTo(3);
        assertThat(first.lateness().getValueAtPercentile(50)).isEqualTo(2);
        assertThat(first.lateness().getMaxValue()).isEqualTo(40);
        assertThat(first.histogram().getValueAtPercentile(50)).as("latency stays its own histogram").isEqualTo(90);
        assertThat(progress.get(0)).isEqualTo(
                "latency iptables tcp-rr pod open trial 0: p50 90 us, p99 100 us, 3/3 completed; sender late p50 2 us, p99 40 us");
    }

    @Test
    void aProbeThatPrintsNoResultOrGarbageSaysWhichHost() {
        cluster.script = (host, command) -> new ExecResult(1, "probe: connection refused\n", "");
        assertThatThrownBy(() -> LatencyCampaign.measure(cluster.pods().get(0).host(), PUBLIC, "tcp-rr", spec, "bpf", "pod", 0, "open"))
                .hasMessageStartingWith("latency probe from node-1-pod-a printed no result: ").hasMessageContaining("connection refused");
        cluster.script = (host, command) -> new ExecResult(0, "{\"latenciesUs\":[oops]}\n", "");
        assertThatThrownBy(() -> LatencyCampaign.measure(cluster.nodes().get(0), PUBLIC, "tcp-rr", spec, "bpf", "host", 0, "open"))
                .hasMessage("unreadable latency result from node-1");
    }

    static final String PUBLIC = ConformanceFixtures.PUBLIC;

    @Test
    void theHostNetworkBaselineRunsOnTheNodeOfThePodMeasured() {
        Cluster podOnNode2First = new DelegatingCluster(cluster) {
            @Override
            public List<io.masqharness.cluster.Pod> pods() {
                return List.of(cluster.pods().get(1), cluster.pods().get(0));
            }
        };
        LatencyCampaign.run(scenario, scenario.modes().subList(0, 1), podOnNode2First, spec, progress::add);
        assertThat(cluster.callsOf("node-2")).hasSize(8);
        assertThat(cluster.callsOf("node-2-pod-a")).hasSize(8);
        assertThat(cluster.callsOf("node-1")).isEmpty();
        assertThat(cluster.callsOf("node-1-pod-a")).isEmpty();
    }
}
