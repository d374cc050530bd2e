package io.masqharness.conformance;

import io.masqharness.cluster.Cluster;
import io.masqharness.latency.StreamTrial;
import io.masqharness.latency.Trial;
import io.masqharness.report.LatencySummaries;
import io.masqharness.report.ReportWriter;
import io.masqharness.report.Summary;
import io.masqharness.scenario.LatencySpec;
import io.masqharness.scenario.Scenario;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects a run as it goes (each mode's outcome, latency trials, problems that stopped parts of
 * it) and writes the report. A run that could not start still gets a report that says why.
 */
public final class RunReport {

    private final Scenario scenario;
    private final String startedAt = Instant.now().toString();
    private final List<ModeExecution.Outcome> outcomes = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final Map<String, String> diagnostics = new LinkedHashMap<>();
    private final List<Trial> trials = new ArrayList<>();
    private final List<StreamTrial> streams = new ArrayList<>();
    private LatencyGate gate;
    private UpgradeChanges.Report upgrade;

    public RunReport(Scenario scenario) {
        this.scenario = scenario;
    }

    public synchronized void add(ModeExecution.Outcome outcome) {
        outcomes.add(outcome);
    }

    public synchronized void addTrials(List<Trial> measured) {
        trials.addAll(measured);
    }

    /** Throughput trials ({@code tcp-stream}). */
    public synchronized void addStreams(List<StreamTrial> measured) {
        streams.addAll(measured);
    }

    /** Everything a campaign measured. */
    public synchronized void add(LatencyCampaign.Measurements measured) {
        trials.addAll(measured.latency());
        streams.addAll(measured.streams());
    }

    public synchronized List<StreamTrial> streams() {
        return List.copyOf(streams);
    }

    /** The latency gate's judgement, kept in the report and its history line so the trend shows what the run was judged. */
    public synchronized void gated(LatencyGate judged) {
        gate = judged;
    }

    /** "What the upgrade changed" of a run with cilium.upgradeTo: written as upgrade.md and upgrade.json beside the summary. */
    public synchronized void upgraded(UpgradeChanges.Report changes) {
        upgrade = changes;
    }

    /** Something that stopped part of the run (the cluster did not start, Docker went away), with its diagnostics if any. */
    public synchronized void problem(String what, String diagnosticsText) {
        if (diagnosticsText != null && !diagnosticsText.isBlank()) {
            String file = "diagnostics/problem-" + (problems.size() + 1) + ".txt";
            diagnostics.put(file, diagnosticsText);
            what = what + "\n(diagnostics: " + file + ")";
        }
        problems.add(what);
    }

    public synchronized List<Trial> trials() {
        return List.copyOf(trials);
    }

    public synchronized Summary summary(String datapath) {
        double minEffect = scenario.latency().map(LatencySpec::minEffect).orElse(0.05);
        var groups = LatencySummaries.groups(trials, minEffect);
        double alpha = scenario.latency().map(LatencySpec::alpha).orElse(0.01);
        String runId = scenario.name() + "-" + startedAt.replaceAll("[^0-9]", "").substring(0, 14) + "-"
                + Long.toHexString(ProcessHandle.current().pid());
        var throughput = LatencySummaries.streamGroups(streams);
        List<Summary.ComparisonRow> comparisons = new ArrayList<>(LatencySummaries.againstFirstMode(groups, minEffect, alpha));
        comparisons.addAll(LatencySummaries.againstFirstMode(throughput, minEffect, alpha));
        if (gate != null) {
            comparisons.addAll(gate.againstBaseline());
        }
        return new Summary(Summary.SCHEMA_VERSION, runId, scenario.name(), datapath, startedAt, List.copyOf(problems),
                java.util.stream.IntStream.range(0, outcomes.size()).mapToObj(i -> modeResult(i, outcomes.get(i))).toList(), groups,
                List.copyOf(comparisons), minEffect, alpha, gate == null ? null : gate.baselineSource().orElse(Summary.NO_BASELINE),
                gate == null ? null : gate.machineDrift(minEffect).orElse(null), throughput);
    }

    /** Writes the report; {@code cluster} may be null when it never started. */
    public synchronized Path write(Path reports, Cluster cluster, String datapath) throws IOException {
        Map<String, String> files = new LinkedHashMap<>(diagnostics);
        if (upgrade != null) {
            files.put(ReportWriter.UPGRADE_CHANGES, UpgradeChanges.markdown(upgrade));
            files.put("upgrade.json", UpgradeChanges.json(upgrade));
        }
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i).diagnostics() != null) {
                files.put(diagnosticsFile(i, outcomes.get(i)), outcomes.get(i).diagnostics());
            }
        }
        return ReportWriter.write(reports, summary(datapath), trials, topology(cluster), scenario.name() + " on " + datapath, files);
    }

    /** @param index the outcome's place in the run (a mode may run more than once, each with its own diagnostics) */
    static Summary.ModeResult modeResult(int index, ModeExecution.Outcome o) {
        return new Summary.ModeResult(o.mode().name(), o.agent().mode().label(), o.agent().statusLabel(),
                o.disruption() == null ? null : o.disruption().toString(),
                o.checks().stream().map(c -> new Summary.Check(c.node(), c.check(), c.status().name(), c.message())).toList(),
                o.results().stream().map(RunReport::cell).toList(), o.retries(),
                o.diagnostics() == null ? null : diagnosticsFile(index, o));
    }

    private static Summary.Cell cell(CellResult r) {
        return new Summary.Cell(r.cell().pod().name(), r.cell().podAddress(), r.cell().pod().node(),
                r.cell().target(), r.cell().address(), r.cell().protocol().toString(), r.expected().toString(),
                r.observed().sources().isEmpty() ? "nothing arrived" : String.join(",", r.observed().sources()),
                r.observed().answered(), r.verdict().applicable(), r.verdict().passed(),
                r.verdict().applicable() ? r.expected().reason() : r.verdict().message(), r.observed().attempts(),
                r.cell().family().label());
    }

    private static String diagnosticsFile(int index, ModeExecution.Outcome o) {
        return "diagnostics/mode-" + (index + 1) + "-" + o.mode().name() + ".txt";
    }

    List<String> topology(Cluster cluster) {
        List<String> lines = new ArrayList<>();
        if (cluster == null) {
            scenario.cluster().nodes().forEach(n -> lines.add("node " + n.name() + " " + n.ip() + "  pods: (never started)"));
        } else {
            cluster.nodes().forEach(n -> lines.add("node " + n.name() + " " + n.ip() + "  pods: " + cluster.pods().stream()
                    .filter(p -> p.node().equals(n.name())).map(p -> p.name() + " " + p.ip()).toList()));
        }
        // Every family's destinations: a dual-stack external host answers on IPv6 addresses too.
        // A K3s run may have moved its node network (a free subnet chosen at start): the cluster knows the address.
        lines.add("external host " + (cluster == null ? scenario.cluster().externalHost() : cluster.externalHost().ip())
                + "  answers on: " + scenario.destinations().stream().map(d -> d.name() + " " + d.ip()).toList());
        return lines;
    }
}
