package io.masqharness.conformance;

import io.masqharness.latency.StreamTrial;
import io.masqharness.latency.Trial;
import io.masqharness.report.Baselines;
import io.masqharness.report.LatencySummaries;
import io.masqharness.report.Summary;
import io.masqharness.report.TrialSeries;
import io.masqharness.scenario.LatencySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The latency regression gate of a run. Every mode is compared with the run's first mode (trials
 * interleaved on the same machine in the same minutes, so it works on a fresh CI machine), and every
 * mode with the baseline when there is one ({@code reports/baselines/}, or the history): there the
 * pod path is judged as its ratio to the host path of the same trials, so that a machine that got
 * slower (which slows both) does not read as a regression, and the host path's own change is reported
 * as the machine's drift ({@link #machineDrift}). A {@code slower} verdict on a metric the scenario
 * gates, in a row that gates ({@link Baselines#gates}), fails the run; the other rows are reported.
 */
public record LatencyGate(List<Summary.ComparisonRow> rows, List<String> gated, String against, Optional<String> baselineSource) {

    public LatencyGate {
        rows = List.copyOf(rows);
        gated = List.copyOf(gated);
    }

    public static LatencyGate judge(List<Trial> trials, LatencySpec spec, Optional<Baselines.Baseline> baseline) {
        return judge(trials, List.of(), spec, baseline);
    }

    /**
     * Latency and throughput alike: a {@code tcp-stream} group is judged on goodput (a drop is {@code slower}) and
     * retransmissions (a rise is), against the first mode and, relative to its host path, against the baseline.
     */
    public static LatencyGate judge(List<Trial> trials, List<StreamTrial> streams, LatencySpec spec, Optional<Baselines.Baseline> baseline) {
        List<TrialSeries> groups = new ArrayList<>(LatencySummaries.groups(trials, spec.minEffect()));
        groups.addAll(LatencySummaries.streamGroups(streams));
        List<Summary.ComparisonRow> rows = new ArrayList<>(LatencySummaries.againstFirstMode(groups, spec.minEffect(), spec.alpha()));
        String against = groups.isEmpty() ? "nothing" : "the first mode, " + groups.get(0).mode();
        if (baseline.isPresent()) {
            rows.addAll(Baselines.compare(groups, baseline.get(), spec.minEffect(), spec.alpha()));
            against += ", and " + baseline.get().source();
        }
        return new LatencyGate(rows, spec.gate(), against, baseline.map(Baselines.Baseline::source));
    }

    /** The rows against the baseline (not against the first mode): what the run's history line keeps for the trend. */
    public List<Summary.ComparisonRow> againstBaseline() {
        return rows.stream().filter(Baselines::againstBaseline).toList();
    }

    /** False when nothing could be compared: one mode and no baseline. */
    public boolean judged() {
        return !rows.isEmpty();
    }

    public List<Summary.ComparisonRow> regressions() {
        return rows.stream().filter(r -> r.verdict().equals("slower") && gated.contains(r.metric()) && Baselines.gates(r)).toList();
    }

    /** How the machine itself moved against the baseline (the host path's change); empty without a baseline. */
    public Optional<String> machineDrift(double minEffect) {
        return Optional.ofNullable(Baselines.machineDrift(rows, minEffect));
    }

    /** Rows the sender's lateness made inconclusive: the machine could not pace the load. */
    public List<Summary.ComparisonRow> unpaced() {
        return rows.stream().filter(r -> r.why().startsWith(io.masqharness.report.LatencySummaries.PACING)).toList();
    }

    public boolean passed() {
        return regressions().isEmpty();
    }

    /**
     * Every comparison, a regression marked {@code <<}, a slower metric the scenario does not gate marked
     * {@code (not gated)}, a slower absolute row against the baseline marked as the drift it may be; ratio rows
     * ({@code pod/host}) give the ratios, the others microseconds.
     */
    public String table() {
        StringBuilder t = new StringBuilder(String.format("%-30s %-28s %-10s %-19s %-8s %-11s %-13s %11s %11s %8s %9s  %s%n",
                "against", "mode", "kind", "path", "loop", "metric", "verdict", "then", "now", "change", "p", "why"));
        for (Summary.ComparisonRow r : rows) {
            String mark = !r.verdict().equals("slower") ? "" : !gated.contains(r.metric()) ? "  (not gated)"
                    : !Baselines.gates(r) ? "  (absolute: not gated, the machine's drift is in it)" : "  << regression";
            t.append(String.format("%-30s %-28s %-10s %-19s %-8s %-11s %-13s %11s %11s %8s %9s  %s%s%n", r.baseline(), r.candidate(),
                    r.kind(), r.path(), r.loop(), r.metric(), r.verdict(), r.value(r.baselineUs()), r.value(r.candidateUs()), r.change(),
                    Double.isNaN(r.pValue()) ? "n/a" : String.format("%.3g", r.pValue()), r.why(), mark));
        }
        return t.toString();
    }

    /** What the suite fails with. */
    public String failure() {
        return regressions().size() + " latency regression(s) in " + gated + " against " + against + ":\n" + table();
    }
}
