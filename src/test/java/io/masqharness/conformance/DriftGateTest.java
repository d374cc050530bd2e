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
import java.util.Optional;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * The gate against a baseline separates the datapath from the machine: a slowdown of every path
 * alike is the machine's drift, reported and never failing; a slowdown of the pod path alone fails.
 */
class DriftGateTest {

    /** 5% floor and both metrics gated, as a Cilium scenario. */
    static final LatencySpec SPEC = new LatencySpec(List.of("tcp-rr"), 1000, Duration.ofSeconds(10), 5, 0.05, 0.01,
            List.of("p50", "p99"));

    /** A trial whose latencies are 98 at {@code p50} and 2 at {@code p99}, with a sender late by {@code lateUs} on every request. */
    static Trial trial(String mode, String path, int index, long p50, long p99, long lateUs) {
        Histogram h = Trial.newHistogram();
        h.recordValueWithCount(p50, 98);
        h.recordValueWithCount(p99, 2);
        Histogram late = Trial.newHistogram();
        late.recordValueWithCount(lateUs, 100);
        return new Trial(mode, "tcp-rr", path, index, h, 100, 100, 0, "open", late);
    }

    /**
     * Five trials of a mode on both paths: the pod path at 100+t µs (p99 400+7t) times {@code pod}, the host path at 60+t
     * (p99 300+5t) times {@code host}; every request of the pod path's trials left {@code lateUs} late.
     */
    static List<Trial> paths(String mode, double pod, double host, long lateUs) {
        List<Trial> trials = new ArrayList<>();
        for (int t = 0; t < 5; t++) {
            trials.add(trial(mode, "pod", t, Math.round((100 + t) * pod), Math.round((400 + 7 * t) * pod), lateUs));
            trials.add(trial(mode, "host", t, Math.round((60 + t) * host), Math.round((300 + 5 * t) * host), 0));
        }
        return trials;
    }

    static Baselines.Baseline history(List<Trial> earlier) {
        return new Baselines.Baseline("the last 1 runs in reports/history.jsonl", List.of(LatencySummaries.groups(earlier, SPEC.minEffect())));
    }

    @Test
    void aMachineSlowerOnEveryPathStaysGreenAndSaysByHowMuch() {
        LatencyGate gate = LatencyGate.judge(paths("bpf", 1.5, 1.5, 0), SPEC, Optional.of(history(paths("bpf", 1, 1, 0))));
        assertThat(gate.passed()).as(gate.table()).isTrue();
        assertThat(gate.rows()).filteredOn(r -> r.path().equals("pod/host")).hasSize(2).allSatisfy(r -> {
            assertThat(r.ratio()).isTrue();
            assertThat(r.verdict()).isEqualTo("same");
        });
        assertThat(gate.rows()).filteredOn(r -> r.unit().equals("us") && Baselines.againstBaseline(r))
                .as("the absolute rows see the +50%% and say it").hasSize(4)
                .allSatisfy(r -> assertThat(r.verdict()).isEqualTo("slower"));
        assertThat(gate.table()).contains("(absolute: not gated, the machine's drift is in it)").doesNotContain("<< regression");
        assertThat(gate.machineDrift(SPEC.minEffect())).hasValueSatisfying(d -> assertThat(d)
                .startsWith("the machine was slower than in the baseline: the host path (which no masquerading touches) at p50 +50%")
                .contains("at p50 +50% (bpf tcp-rr open)"));
    }

    @Test
    void aSlowdownOfThePodPathAloneFailsWithTheRatioRows() {
        LatencyGate gate = LatencyGate.judge(paths("bpf", 1.5, 1, 0), SPEC, Optional.of(history(paths("bpf", 1, 1, 0))));
        assertThat(gate.passed()).isFalse();
        assertThat(gate.regressions()).extracting(r -> r.path() + " " + r.metric() + " " + r.unit())
                .containsExactly("pod/host p50 ratio", "pod/host p99 ratio");
        Summary.ComparisonRow p50 = gate.regressions().get(0);
        assertThat(p50.baselineUs()).as("median ratio of the baseline: 102/62").isCloseTo(102.0 / 62, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(p50.relativeEffect()).isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.01));
        assertThat(gate.failure()).contains("pod/host").contains("<< regression").contains("1.645");
        assertThat(gate.machineDrift(SPEC.minEffect())).hasValueSatisfying(d -> assertThat(d)
                .startsWith("the machine ran as fast as in the baseline: the host path (which no masquerading touches) at p50 +0%"));
    }

    @Test
    void aFasterMachineHidesNoPodPathRegression() {
        LatencyGate gate = LatencyGate.judge(paths("bpf", 0.9, 0.6, 0), SPEC, Optional.of(history(paths("bpf", 1, 1, 0))));
        assertThat(gate.rows()).filteredOn(r -> r.path().equals("pod") && Baselines.againstBaseline(r))
                .extracting(Summary.ComparisonRow::verdict).as("absolutely the pod path got faster").containsOnly("faster");
        assertThat(gate.passed()).as("but relative to the host path it got 50%% slower").isFalse();
        assertThat(gate.machineDrift(SPEC.minEffect())).hasValueSatisfying(d -> assertThat(d).startsWith("the machine was faster"));
    }

    @Test
    void aBaselineWithoutHostTrialsIsComparedAbsolutelyAndSaysWhyItDoesNotGate() {
        List<Trial> podOnly = paths("bpf", 1, 1, 0).stream().filter(t -> t.path().equals("pod")).toList();
        LatencyGate gate = LatencyGate.judge(paths("bpf", 2, 1, 0), SPEC, Optional.of(history(podOnly)));
        assertThat(gate.rows()).filteredOn(Baselines::againstBaseline).extracting(Summary.ComparisonRow::path)
                .containsExactly("pod", "pod");
        assertThat(gate.rows()).filteredOn(Baselines::againstBaseline).allSatisfy(r -> {
            assertThat(r.verdict()).isEqualTo("slower");
            assertThat(r.why()).contains("not gated: the baseline has no host-path trials beside these");
        });
        assertThat(gate.passed()).isTrue();
    }

    @Test
    void trialsWhoseSenderFellBehindAreLeftOutAndTooFewLeftIsInconclusiveNotAVerdict() {
        List<Trial> late = new ArrayList<>(paths("iptables", 1, 1, 0));
        for (int t = 0; t < 5; t++) {
            // The sender is late by 40 µs on every request of 3 of bpf's 5 pod trials: 40% of a ~100 µs p50, above the 5% floor.
            late.add(trial("bpf", "pod", t, 200 + t, 800 + t, t < 3 ? 40 : 0));
            late.add(trial("bpf", "host", t, 60 + t, 300 + t, 0));
        }
        LatencyGate gate = LatencyGate.judge(late, SPEC, Optional.empty());
        Summary.LatencyGroup bpfPod = LatencySummaries.groups(late, SPEC.minEffect()).stream()
                .filter(g -> g.mode().equals("bpf") && g.path().equals("pod")).findFirst().orElseThrow();
        assertThat(bpfPod.leftOut("p50")).containsExactly(0, 1, 2);
        assertThat(bpfPod.leftOut("p99")).as("40 µs is 5% of an 800 µs p99: usable there").isEmpty();
        assertThat(bpfPod.flaggedTrials()).containsExactly(0, 1, 2);
        Summary.ComparisonRow p50 = gate.rows().stream().filter(r -> r.path().equals("pod") && r.metric().equals("p50")).findFirst()
                .orElseThrow();
        assertThat(p50.verdict()).as("a doubled p50, but on 2 usable trials against 5").isEqualTo("inconclusive");
        assertThat(p50.why()).startsWith("inconclusive: the machine could not pace the load: the sender's lateness left out 3 of 5"
                + " trials of bpf pod, 0 of 5 trials of iptables pod").contains("lower latency.rate");
        assertThat(p50.candidateUs()).as("the median of the usable trials 3 and 4").isEqualTo(203.5);
        assertThat(gate.unpaced()).containsExactly(p50);
        assertThat(gate.rows()).filteredOn(r -> r.path().equals("pod") && r.metric().equals("p99")).singleElement()
                .extracting(Summary.ComparisonRow::verdict).isEqualTo("slower");
    }

    @Test
    void aSideWithNoUsableTrialShowsNotApplicableFiguresNotNaN() {
        List<Trial> trials = new ArrayList<>(paths("iptables", 1, 1, 0));
        for (int t = 0; t < 5; t++) {
            trials.add(trial("bpf", "pod", t, 100 + t, 400 + t, 90));
        }
        LatencyGate gate = LatencyGate.judge(trials, SPEC, Optional.empty());
        Summary.ComparisonRow p50 = gate.rows().stream().filter(r -> r.metric().equals("p50")).findFirst().orElseThrow();
        assertThat(p50.verdict()).isEqualTo("inconclusive");
        assertThat(p50.change()).isEqualTo("n/a");
        assertThat(p50.value(p50.candidateUs())).isEqualTo("n/a");
        assertThat(p50.value(p50.baselineUs())).isEqualTo("102 us");
        assertThat(gate.table()).doesNotContain("NaN").contains(" n/a ");
    }
}
