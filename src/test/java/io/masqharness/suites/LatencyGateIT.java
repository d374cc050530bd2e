package io.masqharness.suites;

import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.cluster.Cluster;
import io.masqharness.cluster.Host;
import io.masqharness.cluster.ModeCheck;
import io.masqharness.cluster.Pod;
import io.masqharness.cluster.lab.LabCluster;
import io.masqharness.conformance.Backends;
import io.masqharness.conformance.LatencyCampaign;
import io.masqharness.conformance.LatencyGate;
import io.masqharness.latency.Trial;
import io.masqharness.oracle.AgentConfig;
import io.masqharness.oracle.ClusterFacts;
import io.masqharness.report.Summary;
import io.masqharness.scenario.ClusterSpec;
import io.masqharness.scenario.LatencySpec;
import io.masqharness.scenario.ModeSpec;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The latency gate can fail, on real packets: in a lab whose three modes have the same rules, the
 * external host answers 1 ms late in the last mode only. That mode must turn the gate red with the
 * table; the same run without it (the first two modes) must stay green.
 */
class LatencyGateIT {

    static final Path SCENARIO = Path.of("src/test/resources/scenarios/lab-latency-gate.yaml");
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
            trials = LatencyCampaign.run(scenario, scenario.modes(), new AnswersLateIn(lab, SLOWED, DELAY), spec, this::progress);
        }
        assertThat(trials).as("5 trials x 3 modes x (pod, host, closed loop)").hasSize(45)
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
        assertThat(with.regressions()).as(with.table()).hasSize(3)
                .allSatisfy(r -> assertThat(r.candidate()).isEqualTo(SLOWED))
                .extracting(r -> r.path() + "/" + r.loop()).containsExactlyInAnyOrder("pod/open", "host/open", "pod/closed");
        assertThat(with.rows()).filteredOn(r -> r.candidate().equals("iptables-again")).extracting(Summary.ComparisonRow::verdict)
                .doesNotContain("slower");
        assertThat(with.failure()).startsWith("3 latency regression(s) in [p50] against the first mode, iptables:\n")
                .contains(SLOWED).contains("<< regression");
    }

    private static double medianP50(List<Trial> trials, String mode) {
        return new Median().evaluate(trials.stream().filter(t -> t.mode().equals(mode) && t.path().equals("pod") && t.loop().equals("open"))
                .mapToDouble(t -> t.histogram().getValueAtPercentile(50)).toArray());
    }

    /** The lab, whose external host answers {@code delay} late while {@code slowMode} is in force. */
    record AnswersLateIn(LabCluster lab, String slowMode, Duration delay) implements Cluster {

        @Override
        public void applyMode(ModeSpec mode) {
            lab.applyMode(mode);
            lab.delayAnswers(mode.name().equals(slowMode) ? delay : Duration.ZERO);
        }

        @Override
        public String datapath() {
            return lab.datapath();
        }

        @Override
        public boolean runsCilium() {
            return lab.runsCilium();
        }

        @Override
        public List<Host> nodes() {
            return lab.nodes();
        }

        @Override
        public List<Pod> pods() {
            return lab.pods();
        }

        @Override
        public Host externalHost() {
            return lab.externalHost();
        }

        @Override
        public Duration modeSwitchBound() {
            return lab.modeSwitchBound();
        }

        @Override
        public List<ModeCheck> verifyMode(ModeSpec mode, AgentConfig expected) {
            return lab.verifyMode(mode, expected);
        }

        @Override
        public String icmpCapture(Host receiver) {
            return lab.icmpCapture(receiver);
        }

        @Override
        public ClusterFacts clusterFacts() {
            return lab.clusterFacts();
        }

        @Override
        public String diagnostics() {
            return lab.diagnostics();
        }

        @Override
        public void close() {
            lab.close();
        }
    }
}
