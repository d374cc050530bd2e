package io.masqharness.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.latency.Trial;
import io.masqharness.report.Baselines;
import io.masqharness.report.LatencySummaries;
import io.masqharness.report.Summary;
import io.masqharness.scenario.LatencySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** The gate on synthetic trials with known answers: what fails a run, what is only reported. */
class LatencyGateTest {

    static final LatencySpec P50_ONLY = spec(List.of("p50"));
    static final LatencySpec BOTH = spec(List.of("p50", "p99"));

    static LatencySpec spec(List<String> gate) {
        return new LatencySpec(List.of("tcp-rr"), 500, Duration.ofMillis(500), 5, 0.5, 0.01, gate);
    }

    /** A trial whose p50 is {@code p50} and whose p99 is {@code p99} (µs): 98 values at p50, 2 at p99. */
    static Trial trial(String mode, int index, long p50, long p99) {
        Histogram h = Trial.newHistogram();
        h.recordValueWithCount(p50, 98);
        h.recordValueWithCount(p99, 2);
        return new Trial(mode, "tcp-rr", "pod", index, h, 100, 100, 0, "open");
    }

    /** Five trials per mode, interleaved as the campaign runs them; mode i's p50 and p99 are scaled by its factors. */
    static List<Trial> run(double[] p50Factor, double[] p99Factor, String... modes) {
        List<Trial> trials = new ArrayList<>();
        for (int t = 0; t < 5; t++) {
            for (int m = 0; m < modes.length; m++) {
                trials.add(trial(modes[m], t, Math.round((100 + t) * p50Factor[m]), Math.round((400 + 7 * t) * p99Factor[m])));
            }
        }
        return trials;
    }

    @Test
    void aModeTwiceAsSlowAsTheFirstFailsTheGateWithTheTable() {
        LatencyGate gate = LatencyGate.judge(run(new double[] {1, 2}, new double[] {1, 1}, "iptables", "bpf"), P50_ONLY, Optional.empty());
        assertThat(gate.judged()).isTrue();
        assertThat(gate.passed()).isFalse();
        assertThat(gate.regressions()).singleElement().satisfies(r -> {
            assertThat(r.candidate()).isEqualTo("bpf");
            assertThat(r.baseline()).isEqualTo("iptables");
            assertThat(r.metric()).isEqualTo("p50");
            assertThat(r.relativeEffect()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.02));
        });
        assertThat(gate.failure()).startsWith("1 latency regression(s) in [p50] against the first mode, iptables:\n")
                .contains("against").contains("bpf").contains("slower").contains("<< regression");
        assertThat(gate.table().lines()).hasSize(3);
    }

    @Test
    void modesThatDoNotDifferPass() {
        LatencyGate gate = LatencyGate.judge(run(new double[] {1, 1.02, 0.99}, new double[] {1, 1.1, 0.95}, "a", "b", "c"), BOTH,
                Optional.empty());
        assertThat(gate.judged()).isTrue();
        assertThat(gate.rows()).hasSize(4).extracting(Summary.ComparisonRow::verdict).containsOnly("same");
        assertThat(gate.passed()).isTrue();
        assertThat(gate.table()).doesNotContain("<<").doesNotContain("not gated");
    }

    @Test
    void aFasterModeIsNoRegression() {
        LatencyGate gate = LatencyGate.judge(run(new double[] {2, 1}, new double[] {2, 1}, "iptables", "bpf"), BOTH, Optional.empty());
        assertThat(gate.rows()).extracting(Summary.ComparisonRow::verdict).containsOnly("faster");
        assertThat(gate.passed()).isTrue();
    }

    @Test
    void aTailRegressionFailsOnlyWhereP99IsGated() {
        List<Trial> tail = run(new double[] {1, 1}, new double[] {1, 3}, "iptables", "bpf");
        LatencyGate p50Only = LatencyGate.judge(tail, P50_ONLY, Optional.empty());
        assertThat(p50Only.passed()).isTrue();
        assertThat(p50Only.table()).contains("(not gated)").doesNotContain("<<");
        LatencyGate both = LatencyGate.judge(tail, BOTH, Optional.empty());
        assertThat(both.passed()).isFalse();
        assertThat(both.regressions()).singleElement().extracting(Summary.ComparisonRow::metric).isEqualTo("p99");
    }

    @Test
    void oneModeWithoutABaselineIsNotJudged() {
        LatencyGate gate = LatencyGate.judge(run(new double[] {1}, new double[] {1}, "iptables"), BOTH, Optional.empty());
        assertThat(gate.judged()).isFalse();
        assertThat(gate.rows()).isEmpty();
        assertThat(LatencyGate.judge(List.of(), BOTH, Optional.empty()).against()).isEqualTo("nothing");
    }

    @Test
    void aSlowerRunThanTheBaselineFailsTooAndNamesIt() {
        Baselines.Baseline baseline = new Baselines.Baseline("reports/baselines/lab.json",
                List.of(LatencySummaries.groups(DriftGateTest.paths("iptables", 1, 1, 0), 0.5)));
        LatencyGate gate = LatencyGate.judge(DriftGateTest.paths("iptables", 2, 1, 0), P50_ONLY, Optional.of(baseline));
        assertThat(gate.judged()).isTrue();
        assertThat(gate.against()).isEqualTo("the first mode, iptables, and reports/baselines/lab.json");
        assertThat(gate.regressions()).singleElement().satisfies(r -> {
            assertThat(r.baseline()).isEqualTo("baseline iptables");
            assertThat(r.path()).isEqualTo("pod/host");
            assertThat(r.metric()).isEqualTo("p50");
        });
        assertThat(gate.baselineSource()).contains("reports/baselines/lab.json");
        assertThat(gate.againstBaseline()).as("not the rows against the first mode").extracting(r -> r.path() + " " + r.metric())
                .containsExactly("pod/host p50", "pod/host p99", "pod p50", "pod p99", "host p50", "host p99");
    }

    @Test
    void withoutABaselineNothingIsKeptAgainstOne() {
        LatencyGate gate = LatencyGate.judge(run(new double[] {1, 2}, new double[] {1, 1}, "iptables", "bpf"), BOTH, Optional.empty());
        assertThat(gate.rows()).hasSize(2);
        assertThat(gate.againstBaseline()).isEmpty();
        assertThat(gate.baselineSource()).isEmpty();
    }

    @Test
    void eachRowOfTheTableNamesBothSidesTheFiguresAndTheVerdict() {
        LatencyGate gate = LatencyGate.judge(run(new double[] {1, 2}, new double[] {1, 1}, "iptables", "bpf"), P50_ONLY, Optional.empty());
        String p50 = gate.table().lines().filter(l -> l.contains(" p50 ")).findFirst().orElseThrow();
        assertThat(p50.split("\\s+")).containsSubsequence("iptables", "bpf", "tcp-rr", "pod", "open", "p50", "slower", "102", "204",
                "+100.0%", "0.00794");
        assertThat(p50).endsWith("<< regression");
    }
}
