package io.masqharness.suites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.masqharness.cluster.Cluster;
import io.masqharness.cluster.ModeCheck;
import io.masqharness.conformance.LatencyCampaign;
import io.masqharness.conformance.LatencyGate;
import io.masqharness.conformance.SwitchDisruption;
import io.masqharness.latency.Trial;
import io.masqharness.report.Baselines;
import io.masqharness.scenario.LatencySpec;
import io.masqharness.conformance.Backends;
import io.masqharness.conformance.CellResult;
import io.masqharness.conformance.ExplicitExpectations;
import io.masqharness.conformance.ModeExecution;
import io.masqharness.conformance.ModeRun;
import io.masqharness.conformance.RunReport;
import io.masqharness.conformance.UpgradeChanges;
import io.masqharness.conformance.Verdict;
import io.masqharness.oracle.RefusedConfigurationException;
import io.masqharness.scenario.ScenarioFacts;
import io.masqharness.scenario.ScenarioUpgrade;
import io.masqharness.net.Family;
import io.masqharness.oracle.Expectation;
import io.masqharness.oracle.Protocol;
import io.masqharness.scenario.ClusterSpec;
import io.masqharness.scenario.ExpectSpec;
import io.masqharness.scenario.ModeSpec;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The conformance suite: for each mode of the scenario, switch, verify the mode, then one dynamic
 * test per cell (mode x source pod x target x protocol) judged against the oracle, plus the
 * scenario's explicit expectations. Scenario: {@code -Dharness.scenario}; backend: the scenario's
 * or {@code -Dharness.backend}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public class ConformanceIT {

    private final long started = System.nanoTime();
    final Map<String, List<CellResult>> resultsByMode = new ConcurrentHashMap<>();
    final Map<String, ModeExecution.Outcome> outcomesByMode = new ConcurrentHashMap<>();
    /** Modes the oracle says Cilium (or Helm) refuses: never switched to, never probed; the reason is the prediction. */
    final Map<String, UpgradeChanges.NotRun> refused = new ConcurrentHashMap<>();
    private Scenario scenario;
    /** The scenario the cluster runs now: {@link #scenario}, or after cilium.upgradeTo the one at the target release. */
    private Scenario running;
    private java.util.Optional<ScenarioUpgrade> upgrade = java.util.Optional.empty();
    RunReport report;
    /** Package-private for suites that look at the cluster after its modes ran (TuningSeriesLabIT). */
    Cluster cluster;
    private java.util.Optional<String> skipReason = java.util.Optional.empty();
    private String startFailure;

    private void progress(String line) {
        System.out.printf("[%6.1fs] %s%n", (System.nanoTime() - started) / 1e9, line);
    }

    /** {@code -Dharness.scenario}, by default the lab's scenario. */
    Path scenarioFile() {
        return Path.of(System.getProperty("harness.scenario", "scenarios/lab.yaml"));
    }

    /** The scenario the suite runs: {@link #scenarioFile()} as written. */
    Scenario scenario() {
        return new ScenarioLoader().load(scenarioFile());
    }

    /** The scenario's backend unless {@code -Dharness.backend} overrides it. */
    ClusterSpec.Backend backend(Scenario s) {
        return Backends.selected(s);
    }

    Path reportsDir() {
        return Path.of(System.getProperty("harness.reports", "reports"));
    }

    @BeforeAll
    void startCluster() {
        scenario = scenario();
        running = scenario;
        report = new RunReport(scenario);
        ClusterSpec.Backend backend = backend(scenario);
        skipReason = Backends.unavailable(scenario, backend)
                .map(reason -> "skipped: the " + backend.label() + " suites for " + scenario.name() + " cannot run here: " + reason);
        if (skipReason.isPresent()) {
            progress(skipReason.get());
            report.problem(skipReason.get(), null);
            return;
        }
        progress("scenario " + scenario.name() + " on the " + backend.label() + " backend");
        try {
            cluster = Backends.start(scenario, backend, this::progress);
        } catch (RuntimeException e) {
            startFailure = "the " + backend.label() + " cluster for " + scenario.name() + " did not start: " + e.getMessage();
            progress(startFailure.lines().findFirst().orElse(startFailure));
            report.problem(startFailure, null);
        }
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (report != null && upgrade.isPresent() && running != scenario) {
            UpgradeChanges.Report changes = UpgradeChanges.of(upgrade.get(), outcomesByMode, outcomesByMode, refused);
            report.upgraded(changes);
            progress("what the upgrade changed:\n" + UpgradeChanges.markdown(changes));
        }
        if (report != null) {
            // A run that skipped or could not start still leaves a report saying why: nightly readers look there.
            Path written = report.write(reportsDir(), cluster, cluster == null ? "never started" : cluster.datapath());
            progress("report: " + written.resolve("index.html"));
        }
        if (cluster != null) {
            cluster.close();
            progress("cluster removed; conformance suite took " + String.format("%.1f s", (System.nanoTime() - started) / 1e9));
        }
    }

    @TestFactory
    @Order(1)
    Stream<DynamicNode> modes() {
        if (skipReason.isPresent()) {
            return Stream.of(dynamicTest("conformance of " + scenario.name(), () -> Assumptions.abort(skipReason.get())));
        }
        if (startFailure != null) {
            return Stream.of(dynamicTest("start the cluster for " + scenario.name(), () -> fail(startFailure)));
        }
        List<ModeSpec> modes = cluster.canSwitchModes() ? scenario.modes() : List.of(cluster.currentMode());
        Stream<DynamicNode> start = modes.stream().map(mode -> dynamicContainer("mode " + mode.name() + " on " + cluster.datapath(),
                Stream.of(mode).flatMap(m -> testsFor(scenario, m))));
        upgrade = cluster.canSwitchModes() ? ScenarioUpgrade.of(scenario) : java.util.Optional.empty();
        if (upgrade.isEmpty()) {
            return start;
        }
        ScenarioUpgrade u = upgrade.get();
        return Stream.concat(start, Stream.of(dynamicContainer("upgrade Cilium " + u.from().text() + " -> " + u.to().text()
                + " on " + cluster.datapath(), Stream.of(u).flatMap(this::upgradeTests))));
    }

    /** Runs lazily, after the starting version's modes: the upgrade, then the modes again on the target release. */
    private Stream<DynamicNode> upgradeTests(ScenarioUpgrade u) {
        try {
            cluster.upgradeCilium(u);
        } catch (UnsupportedOperationException e) {
            report.problem("cilium.upgradeTo " + u.to().text() + " not run: " + e.getMessage(), null);
            return Stream.of(dynamicTest("upgrade to " + u.to().text(), () -> Assumptions.abort(e.getMessage())));
        }
        running = u.after();
        List<DynamicNode> nodes = new ArrayList<>();
        nodes.add(dynamicTest("values rewritten for " + u.to().text() + ": " + (u.changes().isEmpty() ? "none" : u.changes()),
                () -> assertThat(io.masqharness.oracle.HelmResolution.of(io.masqharness.oracle.HelmValues.of(u.after().cilium().values()),
                        u.to()).notes()).as("values the target still refuses or ignores after the rewrite").noneMatch(n -> n.mustChange())));
        u.after().modes().forEach(mode -> nodes.add(dynamicContainer("mode " + mode.name() + " on " + cluster.datapath(),
                Stream.of(mode).flatMap(m -> testsFor(u.after(), m)))));
        return nodes.stream();
    }

    /** Runs lazily, when JUnit reaches the mode: switch, verify, probe, then one test per result. */
    private Stream<DynamicNode> testsFor(Scenario in, ModeSpec mode) {
        try {
            ScenarioFacts.agentConfig(in, mode);
        } catch (RefusedConfigurationException e) {
            String why = (e.by().equals("helm") ? "Helm" : "Cilium " + in.cilium().version()) + " refuses this mode: " + e.getMessage();
            refused.put(mode.name(), new UpgradeChanges.NotRun(mode.name(), why));
            progress("mode " + mode.name() + " not run (the oracle's prediction): " + why);
            return Stream.of(dynamicTest("mode " + mode.name() + " would be refused", () -> Assumptions.abort(why
                    + " (predicted by the oracle; the " + cluster.datapath() + " does not run refused configurations)")));
        }
        ModeExecution.Outcome outcome = ModeExecution.execute(in, cluster, mode, this::progress);
        report.add(outcome);
        outcomesByMode.put(mode.name(), outcome);
        resultsByMode.put(mode.name(), outcome.results());
        List<DynamicNode> tests = new ArrayList<>();
        if (outcome.disruption() != null) {
            SwitchDisruption.Result measured = outcome.disruption();
            tests.add(dynamicTest("switch disruption measured: " + measured, () -> assertThat(measured.received())
                    .as("the stream must have answers around the switch for the figure to mean anything: %s", measured)
                    .isPositive()));
        }
        for (ModeCheck c : outcome.checks()) {
            tests.add(dynamicTest("verify " + c.node() + ": " + c.check(), () -> {
                Assumptions.assumeFalse(c.status() == ModeCheck.Status.NOT_APPLICABLE, "not applicable: " + c.message());
                if (c.status() == ModeCheck.Status.FAILED) {
                    fail(c.message() + "\nevidence:\n" + c.evidence() + "\ndiagnostics (also in the report):\n" + outcome.diagnostics());
                }
            }));
        }
        if (!outcome.verified()) {
            tests.add(dynamicTest("probes of mode " + mode.name(), () ->
                    Assumptions.abort("not probed: the mode failed verification, so no verdict would be meaningful")));
        }
        for (CellResult r : outcome.results()) {
            String retried = r.observed().attempts() > 1 ? " [" + r.observed().attempts() + " attempts]" : "";
            tests.add(dynamicTest(r.cell().toString().substring(mode.name().length() + 3) + " => " + r.expected() + retried, () -> {
                Assumptions.assumeTrue(r.verdict().applicable(), () -> "not applicable: " + r.verdict().message());
                if (!r.verdict().passed()) {
                    fail(r.verdict().message());
                }
            }));
        }
        scenario.probes().stream().filter(p -> !ModeRun.probeable(p)).forEach(p -> tests.add(dynamicTest(p + " probes",
                () -> Assumptions.abort("no probe sends " + p + " yet; only tcp, udp and icmp-echo are probed"))));
        for (ExpectSpec e : in.expect()) {
            if (e.mode().equals(mode.name())) {
                tests.add(dynamicTest("explicit expectation: " + e, () -> {
                    Assumptions.assumeTrue(outcome.verified(), "not probed: the mode failed verification");
                    checkExplicit(e, outcome.results());
                }));
            }
        }
        return tests.stream();
    }

    /** Judged on its own terms: the node IP from the cluster's facts, never the oracle's address for the cell. */
    private void checkExplicit(ExpectSpec e, List<CellResult> results) {
        Verdict v = ExplicitExpectations.judge(scenario, cluster.clusterFacts(), e, results);
        Assumptions.assumeTrue(v.applicable(), () -> "not applicable: " + v.message());
        if (!v.passed()) {
            fail(v.message());
        }
    }

    /** Latency per mode (trials interleaved across modes), when the scenario asks for it. */
    @Test
    @Order(3)
    void latency() {
        Assumptions.assumeTrue(cluster != null, () -> skipReason.orElse("no cluster"));
        Assumptions.assumeTrue(scenario.latency().isPresent(), "the scenario has no latency section");
        LatencySpec spec = scenario.latency().get();
        List<ModeSpec> modes = cluster.canSwitchModes() ? running.modes().stream().filter(m -> !refused.containsKey(m.name())).toList()
                : List.of(cluster.currentMode());
        report.add(LatencyCampaign.measure(running, modes, cluster, spec, this::progress));
        List<Trial> incomplete = report.trials().stream().filter(t -> t.completed() < t.sent() * 0.99).toList();
        assertThat(incomplete).as("trials that lost more than 1%% of their requests (latency would be biased low)")
                .extracting(Trial::tag).isEmpty();
    }

    /**
     * The latency gate: each mode against the run's first mode (what CI always has), and against the
     * baseline (reports/baselines/<scenario>.json or the recent history of this datapath) when there is one.
     */
    @Test
    @Order(4)
    void noLatencyRegression() throws Exception {
        Assumptions.assumeFalse(report.trials().isEmpty() && report.streams().isEmpty(), "no latency or throughput was measured");
        LatencySpec spec = scenario.latency().orElseThrow();
        var baseline = Baselines.load(reportsDir(), scenario.name(), cluster.datapath());
        LatencyGate gate = LatencyGate.judge(report.trials(), report.streams(), spec, baseline);
        report.gated(gate);
        Assumptions.assumeTrue(gate.judged(), "nothing to compare: one mode, and no baseline yet for " + scenario.name() + " on "
                + cluster.datapath() + " (reports/baselines/" + scenario.name() + ".json or earlier runs in reports/history.jsonl)");
        progress("latency gate (" + spec.gate() + " against " + gate.against() + "):\n" + gate.table());
        if (!gate.passed()) {
            fail(gate.failure());
        }
    }

    /**
     * A test of the suite itself: a deliberately wrong expectation against a real observation must
     * fail, with a message a person can act on.
     */
    @Test
    @Order(2)
    void aWrongExpectationFailsReadably() {
        turnAround(Family.IPV4);
    }

    /**
     * Takes a passing node-ip TCP cell of the family, expects pod-ip of it instead, and checks the
     * verdict fails naming the expectation, the source seen, the reason and the echo server's answer.
     */
    void turnAround(Family family) {
        CellResult real = resultsByMode.values().stream().flatMap(List::stream)
                .filter(r -> r.verdict().passed() && r.cell().protocol().equals(Protocol.TCP) && r.cell().family() == family
                        && r.expected().source() == Expectation.Source.NODE_IP)
                .findFirst().orElseGet(() -> {
                    Assumptions.abort("no passing node-ip TCP cell over " + family.label() + " was observed to turn around");
                    return null;
                });
        Expectation wrong = Expectation.podIp(real.cell().pod().address(family), "deliberately wrong");
        Verdict v = Verdict.judge(real.cell(), wrong, real.observed());
        assertThat(v.passed()).isFalse();
        assertThat(v.message()).contains("expected pod-ip " + real.cell().podAddress())
                .contains("observed arrived from " + real.observed().sources().get(0))
                .contains("why expected: deliberately wrong").contains("evidence: {\"peer\":");
    }
}
