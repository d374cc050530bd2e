package io.masqharness.suites;

import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.cluster.lab.LabCluster;
import io.masqharness.conformance.Backends;
import io.masqharness.conformance.LatencyCampaign;
import io.masqharness.conformance.LatencyGate;
import io.masqharness.conformance.RunReport;
import io.masqharness.latency.Trial;
import io.masqharness.report.Baselines;
import io.masqharness.report.Summary;
import io.masqharness.scenario.ClusterSpec;
import io.masqharness.scenario.LatencySpec;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The latency gate can fail, on real packets, and fails for the datapath, not the machine. Against
 * the first mode: in a lab whose three modes have the same rules, the external host answers 1 ms
 * late in the last mode only; that mode must turn the gate red with the table, and the same run
 * without it must stay green. Against history: a run whose every path is 1 ms slower (the machine
 * got slower) stays green and says by how much; a run whose pod path alone is 1 ms slower goes red.
 */
class LatencyGateIT {

    static final Path SCENARIO = Path.of("src/test/resources/scenarios/lab-latency-gate.yaml");
    static final Path DRIFT = Path.of("src/test/resources/scenarios/lab-latency-drift.yaml");
    static final String SLOWED = "iptables-answers-late";
    static final Duration DELAY = Duration.ofMillis(1);

    private final long started = System.nanoTime();

    private void progress(String line) {
        System.out.printf("[gate %5.1fs] %s%n", (System.nanoTime() - started) / 1e9, line);
    }

    @Test
    void anInjectedSlowdownTurnsTheGateRedAndTheSameRunWithoutItStaysGreen() {
        Scenario scenario = new ScenarioLoader().load(SCENARIO);
        Backends.unavailable(scenario, ClusterSpec.Backend.LAB).ifPresent(reason -> Assumptions.abort("lab cannot run here: " + reason));
        LatencySpec spec = scenario.latency().orElseThrow();
        List<Trial> trials;
        try (LabCluster lab = (LabCluster) Backends.start(scenario, ClusterSpec.Backend.LAB, this::progress)) {
            trials = LatencyCampaign.run(scenario, scenario.modes(), new LabWithSwitchHook(lab,
                    mode -> lab.delayAnswers(mode.name().equals(SLOWED) ? DELAY : Duration.ZERO)), spec, this::progress);
        }
        assertThat(trials).as("5 trials x 3 modes x (pod, host) x (open, closed)").hasSize(60)
                .allSatisfy(t -> assertThat(t.completed()).as(t.tag()).isGreaterThanOrEqualTo((int) (t.sent() * 0.99)));
        double added = medianP50(trials, SLOWED) - medianP50(trials, "iptables");
        assertThat(added).as("the injected delay, as the pod measured it (µs)").isBetween(900.0, 3000.0);

        LatencyGate without = LatencyGate.judge(trials.stream().filter(t -> !t.mode().equals(SLOWED)).toList(), spec, Optional.empty());
        progress("without the slowdown:\n" + without.table());
        assertThat(without.judged()).isTrue();
        assertThat(without.passed()).as(without.table()).isTrue();

        LatencyGate with = LatencyGate.judge(trials, spec, Optional.empty());
        progress("with the slowdown:\n" + with.table());
        assertThat(with.passed()).isFalse();
        // Every p50 of the slowed mode is slower, or, where a trial the busy machine stalled spoils the rank test, inconclusive:
        // never the same or faster. Each loop of the pod path turns the gate red.
        assertThat(with.rows()).filteredOn(r -> r.candidate().equals(SLOWED) && r.metric().equals("p50")).as(with.table()).hasSize(4)
                .allSatisfy(r -> assertThat(r.verdict()).isIn("slower", "inconclusive"));
        assertThat(with.regressions()).as(with.table()).isNotEmpty()
                .allSatisfy(r -> assertThat(r.candidate()).isEqualTo(SLOWED))
                .extracting(r -> r.path() + "/" + r.loop()).containsAnyOf("pod/open", "pod/closed");
        assertThat(with.rows()).filteredOn(r -> r.candidate().equals("iptables-again")).extracting(Summary.ComparisonRow::verdict)
                .doesNotContain("slower");
        assertThat(with.failure()).startsWith(with.regressions().size() + " latency regression(s) in [p50] against the first mode, iptables:\n")
                .contains(SLOWED).contains("<< regression");
    }

    @Test
    void againstHistoryASlowerMachineStaysGreenAndSaysSoWhileAPodPathSlowdownGoesRed(@TempDir Path dir) throws Exception {
        Scenario scenario = new ScenarioLoader().load(DRIFT);
        Backends.unavailable(scenario, ClusterSpec.Backend.LAB).ifPresent(reason -> Assumptions.abort("lab cannot run here: " + reason));
        LatencySpec spec = scenario.latency().orElseThrow();
        Path history = dir.resolve("first");
        try (LabCluster lab = (LabCluster) Backends.start(scenario, ClusterSpec.Backend.LAB, this::progress)) {
            LatencyGate first = run(scenario, lab, history);
            assertThat(first.baselineSource()).as("a fresh history: nothing to judge against yet").isEmpty();

            lab.delayAnswers(DELAY);
            LatencyGate slowerMachine = run(scenario, lab, copyOf(history, dir.resolve("slower-machine")));
            progress("every path 1 ms slower:\n" + slowerMachine.table() + slowerMachine.machineDrift(spec.minEffect()).orElse(""));
            assertThat(slowerMachine.baselineSource()).hasValueSatisfying(s -> assertThat(s).startsWith("the last 1 runs in "));
            assertThat(slowerMachine.passed()).as(slowerMachine.table()).isTrue();
            assertThat(slowerMachine.rows()).filteredOn(r -> r.path().equals("host") && r.metric().equals("p50"))
                    .as("the host path saw the machine slow down").allSatisfy(r -> assertThat(r.verdict()).isEqualTo("slower"));
            assertThat(slowerMachine.machineDrift(spec.minEffect())).hasValueSatisfying(d -> assertThat(d)
                    .startsWith("the machine was slower than in the baseline: the host path (which no masquerading touches) at p50 +"));
            assertThat(summaryMd(dir.resolve("slower-machine"))).contains("The machine was slower than in the baseline");

            lab.delayAnswersTo(scenario.cluster().podCidr(), DELAY);
            LatencyGate podPath = run(scenario, lab, copyOf(history, dir.resolve("pod-path")));
            progress("pod path alone 1 ms slower:\n" + podPath.table());
            assertThat(podPath.passed()).isFalse();
            assertThat(podPath.regressions()).as(podPath.table()).isNotEmpty()
                    .allSatisfy(r -> assertThat(r.path()).isEqualTo("pod/host"));
            assertThat(podPath.failure()).contains("<< regression");
        }
    }

    /** One run as the conformance suite's latency test makes it: trials, the gate against the history in {@code reports}, the report. */
    private LatencyGate run(Scenario scenario, LabCluster lab, Path reports) throws Exception {
        LatencySpec spec = scenario.latency().orElseThrow();
        List<Trial> trials = LatencyCampaign.run(scenario, scenario.modes(), lab, spec, this::progress);
        RunReport report = new RunReport(scenario);
        report.addTrials(trials);
        LatencyGate gate = LatencyGate.judge(trials, spec, Baselines.load(reports, scenario.name(), lab.datapath()));
        report.gated(gate);
        report.write(reports, lab, lab.datapath());
        return gate;
    }

    /** A reports folder holding {@code from}'s history only: each slowed run is judged against the first run alone. */
    private static Path copyOf(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        Files.copy(from.resolve("history.jsonl"), to.resolve("history.jsonl"));
        return to;
    }

    private static String summaryMd(Path reports) throws Exception {
        try (var runs = Files.list(reports)) {
            Path run = runs.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).findFirst().orElseThrow();
            return Files.readString(run.resolve("summary.md"));
        }
    }

    private static double medianP50(List<Trial> trials, String mode) {
        return new Median().evaluate(trials.stream().filter(t -> t.mode().equals(mode) && t.path().equals("pod") && t.loop().equals("open"))
                .mapToDouble(t -> t.histogram().getValueAtPercentile(50)).toArray());
    }
}
