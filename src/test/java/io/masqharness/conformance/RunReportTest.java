package io.masqharness.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.masqharness.cluster.ExecResult;
import io.masqharness.cluster.ModeCheck;
import io.masqharness.latency.Trial;
import io.masqharness.oracle.Expectation;
import io.masqharness.report.Baselines;
import io.masqharness.report.LatencySummaries;
import io.masqharness.report.History;
import io.masqharness.report.Summary;
import io.masqharness.report.Trend;
import io.masqharness.scenario.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a run's report holds: each mode's checks and cells as judged, the latency comparisons, problems and diagnostics. */
class RunReportTest {

    static final SwitchDisruption.Lulls FAST = new SwitchDisruption.Lulls(Duration.ZERO, Duration.ZERO);

    @TempDir
    Path dir;

    static List<Trial> trials(String mode, double factor) {
        List<Trial> trials = new ArrayList<>();
        for (int t = 0; t < 7; t++) {
            Histogram h = Trial.newHistogram();
            h.recordValueWithCount(Math.round((100 + t) * factor), 100);
            trials.add(new Trial(mode, "tcp-rr", "pod", t, h, 100, 100, 0, "open"));
        }
        return trials;
    }

    static ModeExecution.Outcome silentOnPublic(Scenario scenario, ScriptedCluster cluster, String mode) {
        cluster.script = (host, command) -> switch (command.get(1)) {
            case "stream" -> new ExecResult(0, "{\"sent\":10,\"received\":10,\"lost\":0,\"longestGapMs\":5.0}\n", "");
            case "snat" -> new ExecResult(0, String.join("", java.util.Arrays.stream(command.get(command.indexOf("--targets") + 1)
                    .split(",")).map(t -> t.equals(ConformanceFixtures.PUBLIC) ? FakeCluster.answer(t, 0, null)
                    : FakeCluster.answer(t, 2, "10.44.0.10")).toList()), "");
            default -> new ExecResult(0, "", "");
        };
        return ModeExecution.execute(scenario, cluster, scenario.mode(mode), line -> { }, FAST);
    }

    @Test
    void theTopologyListsEachNodeWithItsPodsAndTheExternalHostsDestinations() {
        Scenario scenario = ConformanceFixtures.twoNodes(dir, "tcp", "");
        RunReport report = new RunReport(scenario);
        assertThat(report.topology(new ScriptedCluster(scenario))).containsExactly(
                "node node-1 172.29.0.11  pods: [node-1-pod-a 10.44.0.10]",
                "node node-2 172.29.0.12  pods: [node-2-pod-a 10.44.1.10]",
                "external host 172.29.0.100  answers on: [public 198.20.0.10, rfc1918 192.168.77.10]");
        var moved = new ScriptedCluster(scenario.withCluster(scenario.cluster().relocatedTo(io.masqharness.net.Cidr.parse("172.30.5.0/24"))));
        assertThat(report.topology(moved)).as("a K3s run that chose another node network").contains(
                "node node-1 172.30.5.11  pods: [node-1-pod-a 10.44.0.10]",
                "external host 172.30.5.100  answers on: [public 198.20.0.10, rfc1918 192.168.77.10]");
        assertThat(report.topology(null)).containsExactly(
                "node node-1 172.29.0.11  pods: (never started)",
                "node node-2 172.29.0.12  pods: (never started)",
                "external host 172.29.0.100  answers on: [public 198.20.0.10, rfc1918 192.168.77.10]");
    }

    @Test
    void eachModesCellsCarryWhatWasExpectedObservedAndWhy() {
        Scenario scenario = ConformanceFixtures.twoNodes(dir, "tcp", "");
        ScriptedCluster cluster = new ScriptedCluster(scenario);
        ModeExecution.Outcome o = silentOnPublic(scenario, cluster, "iptables");
        Summary.ModeResult m = RunReport.modeResult(2, o);
        assertThat(m.mode()).isEqualTo("iptables");
        assertThat(m.effectiveMode()).isEqualTo("iptables");
        assertThat(m.expectedStatus()).isEqualTo("IPTables");
        assertThat(m.switchDisruption()).isEqualTo("0 of 10 requests lost at 200/s, longest gap 5.0 ms");
        assertThat(m.retries()).isEqualTo(2 * io.masqharness.probe.Probes.RETRIES);
        assertThat(m.diagnostics()).isEqualTo("diagnostics/mode-3-iptables.txt");
        assertThat(m.checks()).extracting(Summary.Check::status).containsOnly("PASSED");
        Summary.Cell silent = m.cells().stream().filter(c -> c.address().equals(ConformanceFixtures.PUBLIC) && c.node().equals("node-1"))
                .findFirst().orElseThrow();
        assertThat(silent.observed()).isEqualTo("nothing arrived");
        assertThat(silent.answered()).isFalse();
        assertThat(silent.judged()).isTrue();
        assertThat(silent.passed()).isFalse();
        assertThat(silent.expected()).isEqualTo("node-ip(172.29.0.11)");
        assertThat(silent.reason()).startsWith("iptables mode: CILIUM_POST_nat");
        assertThat(silent.attempts()).isEqualTo(3);
        assertThat(silent.pod()).isEqualTo("node-1-pod-a");
        assertThat(silent.podIp()).isEqualTo("10.44.0.10");
        assertThat(silent.target()).isEqualTo("public");
        assertThat(silent.protocol()).isEqualTo("tcp");
        Summary.Cell toNode2 = m.cells().stream().filter(c -> c.target().equals("node:node-2")).findFirst().orElseThrow();
        assertThat(toNode2.observed()).isEqualTo("10.44.0.10");
        assertThat(toNode2.passed()).isTrue();

        CellResult r = o.results().get(0);
        CellResult unjudged = new CellResult(r.cell(), r.expected(), r.observed(), Verdict.notApplicable("no capture point here"));
        ModeExecution.Outcome clean = new ModeExecution.Outcome(o.mode(), o.agent(), null,
                List.of(ModeCheck.notApplicable("node-1", "cilium status", "not Cilium")), List.of(unjudged), null, 1);
        Summary.ModeResult n = RunReport.modeResult(0, clean);
        assertThat(n.switchDisruption()).isNull();
        assertThat(n.diagnostics()).isNull();
        assertThat(n.cells()).singleElement().satisfies(c -> {
            assertThat(c.judged()).isFalse();
            assertThat(c.reason()).isEqualTo("no capture point here");
        });
        assertThat(n.checks()).singleElement().extracting(Summary.Check::status).isEqualTo("NOT_APPLICABLE");
        assertThat(r.expected().source()).isNotNull().isInstanceOf(Expectation.Source.class);
    }

    @Test
    void modesAreComparedWithTheFirstUnderTheScenariosFloorOrTheDefaults() {
        Scenario defaults = ConformanceFixtures.twoNodes(dir, "tcp", "");
        RunReport report = new RunReport(defaults);
        report.addTrials(trials("iptables", 1));
        report.addTrials(trials("bpf", 1.1));
        assertThat(report.trials()).hasSize(14);
        Summary s = report.summary("scripted");
        assertThat(s.comparisons()).filteredOn(c -> c.metric().equals("p50")).singleElement().satisfies(c -> {
            assertThat(c.verdict()).as("+10%% against the default 5%% floor").isEqualTo("slower");
            assertThat(c.baseline()).isEqualTo("iptables");
            assertThat(c.candidate()).isEqualTo("bpf");
        });
        assertThat(s.latency()).hasSize(2);
        assertThat(s.datapath()).isEqualTo("scripted");
        assertThat(s.runId()).startsWith("two-nodes-").endsWith("-" + Long.toHexString(ProcessHandle.current().pid()));

        RunReport lenient = new RunReport(ConformanceFixtures.twoNodes(dir, "tcp",
                "latency: {trials: 7, regression: {minEffect: 20%, alpha: 0.01}}"));
        lenient.addTrials(trials("iptables", 1));
        lenient.addTrials(trials("bpf", 1.1));
        assertThat(lenient.summary("scripted").comparisons()).extracting(Summary.ComparisonRow::verdict).containsOnly("same");
        RunReport strict = new RunReport(ConformanceFixtures.twoNodes(dir, "tcp",
                "latency: {trials: 7, regression: {minEffect: 5%, alpha: 0.001}}"));
        strict.addTrials(trials("iptables", 1).subList(0, 5));
        strict.addTrials(trials("bpf", 1.1).subList(0, 5));
        assertThat(strict.summary("scripted").comparisons()).extracting(Summary.ComparisonRow::verdict).containsOnly("inconclusive");
    }

    /** Seven trials of a mode's host path at 50+t µs times {@code factor}. */
    static List<Trial> hostTrials(String mode, double factor) {
        return trials(mode, 1).stream().map(t -> {
            Histogram h = Trial.newHistogram();
            h.recordValueWithCount(Math.round((50 + t.index()) * factor), 100);
            return new Trial(mode, "tcp-rr", "host", t.index(), h, 100, 100, 0, "open");
        }).toList();
    }

    @Test
    void theGatesVerdictsAgainstTheBaselineGoIntoTheReportAndItsHistoryLineAsTheTrendThenShowsThem() throws Exception {
        Scenario scenario = ConformanceFixtures.twoNodes(dir, "tcp", "latency: {trials: 7, regression: {minEffect: 5%, alpha: 0.01}}");
        RunReport report = new RunReport(scenario);
        report.addTrials(trials("iptables", 1));
        report.addTrials(hostTrials("iptables", 1));
        report.addTrials(trials("bpf", 1));
        assertThat(report.summary("scripted").baseline()).as("no gate ran").isNull();
        // The baseline's pod path took 80-86 us over a host path of 50-56: today's 100-106 over the same host is a pod-path slowdown.
        List<Trial> then = new ArrayList<>(trials("iptables", 0.8));
        then.addAll(hostTrials("iptables", 1));
        var baseline = new Baselines.Baseline("reports/baselines/two-nodes.json", List.of(LatencySummaries.groups(then, 0.05)));
        report.gated(LatencyGate.judge(report.trials(), scenario.latency().orElseThrow(), Optional.of(baseline)));
        Summary s = report.summary("scripted");
        assertThat(s.baseline()).isEqualTo("reports/baselines/two-nodes.json");
        assertThat(s.machineDrift()).startsWith("the machine ran as fast as in the baseline: the host path");
        assertThat(s.comparisons()).filteredOn(Baselines::againstBaseline)
                .extracting(Summary.ComparisonRow::path, Summary.ComparisonRow::metric, Summary.ComparisonRow::verdict)
                .containsExactly(tuple("pod/host", "p50", "slower"), tuple("pod/host", "p99", "slower"),
                        tuple("pod", "p50", "slower"), tuple("pod", "p99", "slower"), tuple("host", "p50", "same"), tuple("host", "p99", "same"));

        Path reports = Files.createDirectories(dir.resolve("reports"));
        Path written = report.write(reports, null, "scripted");
        String md = Files.readString(written.resolve("summary.md"));
        assertThat(md).contains("**Each mode against the run's first mode**\n\nSame machine, same minutes: every row gates.\n")
                .contains("**Each mode against the baseline: the latency gate's verdicts against reports/baselines/two-nodes.json**\n\n"
                        + "Rows pod/host judge the pod path as its ratio to the host path of the same trials")
                .contains("The machine ran as fast as in the baseline")
                .contains("| kind | path | loop | iptables vs baseline iptables p50 | iptables vs baseline iptables p99 |\n")
                .contains("| tcp-rr | pod/host | open | **slower +25.6%** |");
        assertThat(md.substring(md.indexOf("**Each mode against the baseline"))).doesNotContain("bpf vs iptables");
        assertThat(written.resolve("index.html")).content().contains("<h3>Each mode against the run's first mode</h3>")
                .contains("<h3>Each mode against the baseline: the latency gate's verdicts against reports/baselines/two-nodes.json</h3>")
                .contains("ratio 1.547 -&gt; 1.943");
        History history = History.read(reports.resolve("history.jsonl"));
        assertThat(history.problems()).isEmpty();
        assertThat(history.runs().get(0).machineDrift()).isEqualTo(s.machineDrift());
        Trend trend = Trend.of(history, (scenarioName, datapath) -> Optional.empty());
        Trend.Chart p50 = trend.sections().get(0).charts().get(0);
        assertThat(p50.metric()).isEqualTo("p50");
        assertThat(p50.series()).extracting(Trend.Series::mode).containsExactly("iptables", "bpf");
        Trend.Point iptables = p50.series().get(0).points().get(0);
        assertThat(iptables.verdict()).as("as the gate judged it, though the trend itself has no baseline").isEqualTo("slower");
        assertThat(iptables.regression()).isTrue();
        assertThat(iptables.bandLowUs()).as("around the absolute baseline median").isCloseTo(82 * 0.95, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(iptables.why()).startsWith("relative to the host path: +25.6%")
                .endsWith("(judged when it ran, against reports/baselines/two-nodes.json)");
        assertThat(p50.series().get(1).points().get(0).why()).as("the baseline had no bpf").isEqualTo("no baseline when it ran");
        Trend.Point host = trend.sections().get(0).charts().stream().filter(c -> c.path().equals("host") && c.metric().equals("p50"))
                .findFirst().orElseThrow().series().get(0).points().get(0);
        assertThat(host.gated()).as("the host path's absolute verdict is the machine's, never a regression").isFalse();
        assertThat(host.drift()).isEqualTo(s.machineDrift());

        RunReport unjudged = new RunReport(scenario);
        unjudged.addTrials(trials("iptables", 1));
        unjudged.gated(LatencyGate.judge(unjudged.trials(), scenario.latency().orElseThrow(), Optional.empty()));
        assertThat(unjudged.summary("scripted").baseline()).isEqualTo(Summary.NO_BASELINE);
    }

    @Test
    void theReportHoldsEachModesDiagnosticsAndEachProblemsInFilesOfTheirOwn() throws Exception {
        Scenario scenario = ConformanceFixtures.twoNodes(dir, "tcp", "");
        ScriptedCluster cluster = new ScriptedCluster(scenario);
        RunReport report = new RunReport(scenario);
        report.add(silentOnPublic(scenario, cluster, "iptables"));
        cluster.script = (host, command) -> new ExecResult(0, command.get(1).equals("stream")
                ? "{\"sent\":10,\"received\":10,\"lost\":0,\"longestGapMs\":5.0}\n" : "", "");
        report.problem("Docker went away", "docker info: Cannot connect");
        report.problem("a note without diagnostics", " ");
        report.problem("a second failure", "trace 2");
        Path written = report.write(dir.resolve("reports"), cluster, "scripted");
        assertThat(written.resolve("diagnostics/mode-1-iptables.txt")).content().startsWith("# what failed in mode iptables\n")
                .endsWith("scripted diagnostics");
        assertThat(written.resolve("diagnostics/problem-1.txt")).hasContent("docker info: Cannot connect");
        assertThat(written.resolve("diagnostics/problem-3.txt")).hasContent("trace 2");
        assertThat(written.resolve("diagnostics/problem-2.txt")).doesNotExist();
        String summary = Files.readString(written.resolve("summary.json"));
        assertThat(summary).contains("Docker went away\\n(diagnostics: diagnostics/problem-1.txt)")
                .contains("\"a note without diagnostics\"").contains("\"diagnostics\" : \"diagnostics/mode-1-iptables.txt\"");
        assertThat(written.resolve("index.html")).content().contains("node node-1 172.29.0.11").contains("node-1-pod-a 10.44.0.10");
    }

    @Test
    void theExternalHostsTopologyLineNamesItsIpv6AddressesToo() {
        Scenario dual = new io.masqharness.scenario.ScenarioLoader().load(Path.of("scenarios/dual-stack.yaml"));
        List<String> topology = new RunReport(dual).topology(null);
        assertThat(topology.get(topology.size() - 1)).startsWith("external host ")
                .endsWith("answers on: [public 198.20.0.10, rfc1918 192.168.77.10, public 2001:db8:20::10, ula fd77::10]");
    }
}
