package io.masqharness.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.latency.StreamTrial;
import io.masqharness.net.Family;
import io.masqharness.report.Baselines;
import io.masqharness.report.LatencySummaries;
import io.masqharness.scenario.LatencySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The gate on synthetic throughput trials: a goodput drop fails it, a rise does not, the metric must be gated. */
class StreamGateTest {

    static LatencySpec spec(List<String> gate) {
        return new LatencySpec(List.of("tcp-stream", "tcp-rr"), 500, Duration.ofSeconds(1), 5, 0.2, 0.01, gate, List.of(Family.IPV4),
                Duration.ZERO, 2);
    }

    /** Five trials per mode, pod and host, upload and download; {@code factor} scales a mode's pod download goodput. */
    static List<StreamTrial> run(double factor, long retransmits) {
        List<StreamTrial> trials = new ArrayList<>();
        for (int t = 0; t < 5; t++) {
            for (String mode : List.of("iptables", "bpf")) {
                for (String direction : List.of(StreamTrial.UPLOAD, StreamTrial.DOWNLOAD)) {
                    for (String path : List.of("pod", "host")) {
                        boolean scaled = mode.equals("bpf") && path.equals("pod") && direction.equals(StreamTrial.DOWNLOAD);
                        trials.add(new StreamTrial(mode, "tcp-stream", path, direction, t, 2, Math.round((9e9 + 1e7 * t) * (scaled ? factor : 1)),
                                scaled ? retransmits + t : 3 + t, "cubic"));
                    }
                }
            }
        }
        return trials;
    }

    @Test
    void halfTheGoodputOnThePodsDownloadFailsTheGateAndNamesIt() {
        LatencyGate gate = LatencyGate.judge(List.of(), run(0.5, 3), spec(List.of("goodput")), Optional.empty());
        assertThat(gate.judged()).isTrue();
        assertThat(gate.passed()).isFalse();
        assertThat(gate.regressions()).singleElement().satisfies(r -> {
            assertThat(r.candidate()).isEqualTo("bpf");
            assertThat(r.kind()).isEqualTo("tcp-stream");
            assertThat(r.path()).isEqualTo("pod");
            assertThat(r.loop()).isEqualTo("download");
            assertThat(r.metric()).isEqualTo("goodput");
            assertThat(r.relativeEffect()).isCloseTo(-0.5, org.assertj.core.data.Offset.offset(0.01));
        });
        assertThat(gate.failure()).startsWith("1 latency regression(s) in [goodput] against the first mode, iptables:\n")
                .contains("9.02 Gbit/s").contains("4.51 Gbit/s").contains("<< regression");
        assertThat(gate.rows()).as("goodput and retransmits, 4 series of bpf").hasSize(8);
    }

    @Test
    void twiceTheGoodputPassesAndRetransmissionsFailOnlyWhenGated() {
        assertThat(LatencyGate.judge(List.of(), run(2, 3), spec(List.of("goodput")), Optional.empty()).passed()).isTrue();
        LatencyGate retransmitting = LatencyGate.judge(List.of(), run(1, 300), spec(List.of("goodput")), Optional.empty());
        assertThat(retransmitting.passed()).as("retransmits not gated").isTrue();
        assertThat(retransmitting.table()).contains("(not gated)");
        LatencyGate gated = LatencyGate.judge(List.of(), run(1, 300), spec(List.of("goodput", "retransmits")), Optional.empty());
        assertThat(gated.regressions()).singleElement().satisfies(r -> assertThat(r.metric()).isEqualTo("retransmits"));
    }

    @Test
    void againstABaselineOnlyThePodPathsRatioToItsHostGates() {
        Baselines.Baseline earlier = new Baselines.Baseline("earlier", List.of(LatencySummaries.streamGroups(run(1, 3))));
        LatencyGate gate = LatencyGate.judge(List.of(), run(0.5, 3), spec(List.of("goodput")), Optional.of(earlier));
        assertThat(gate.againstBaseline()).isNotEmpty().allSatisfy(r -> assertThat(Baselines.againstBaseline(r)).isTrue());
        assertThat(gate.regressions()).extracting(r -> r.baseline() + " " + r.path() + " " + r.loop()).containsExactlyInAnyOrder(
                "iptables pod download", "baseline bpf pod/host download");
        assertThat(gate.baselineSource()).contains("earlier");
        assertThat(gate.against()).isEqualTo("the first mode, iptables, and earlier");
    }
}
