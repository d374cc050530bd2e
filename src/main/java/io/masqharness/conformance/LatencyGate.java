package io.masqharness.conformance;

import io.masqharness.latency.Trial;
import io.masqharness.report.Baselines;
import io.masqharness.report.LatencySummaries;
import io.masqharness.report.Summary;
import io.masqharness.scenario.LatencySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The latency regression gate of a run. Every mode is compared with the run's first mode (trials
 * interleaved on the same machine in the same minutes, so it works on a fresh CI machine), and every
 * mode with the baseline when there is one ({@code reports/baselines/}, or the history). A
 * {@code slower} verdict on a metric the scenario gates fails the run; the other rows are reported.
 */
public record LatencyGate(List<Summary.ComparisonRow> rows, List<String> gated, String against, Optional<String> baselineSource) {

    public LatencyGate {
        rows = List.copyOf(rows);
        gated = List.copyOf(gated);
    }

    public static LatencyGate judge(List<Trial> trials, LatencySpec spec, Optional<Baselines.Baseline> baseline) {
        List<Summary.LatencyGroup> groups = LatencySummaries.groups(trials, spec.minEffect());
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
        return rows.stream().filter(r -> r.verdict().equals("slower") && gated.contains(r.metric())).toList();
    }

    public boolean passed() {
        return regressions().isEmpty();
    }

    /** Every comparison, a regression marked {@code <<}, a slower metric the scenario does not gate marked {@code (not gated)}. */
    public String table() {
        StringBuilder t = new StringBuilder(String.format("%-30s %-28s %-8s %-5s %-6s %-6s %-13s %10s %10s %8s %9s  %s%n",
                "against", "mode", "kind", "path", "loop", "metric", "verdict", "then us", "now us", "change", "p", "why"));
        for (Summary.ComparisonRow r : rows) {
            String mark = !r.verdict().equals("slower") ? "" : gated.contains(r.metric()) ? "  << regression" : "  (not gated)";
            t.append(String.format("%-30s %-28s %-8s %-5s %-6s %-6s %-13s %10.0f %10.0f %+7.1f%% %9.3g  %s%s%n", r.baseline(),
                    r.candidate(), r.kind(), r.path(), r.loop(), r.metric(), r.verdict(), r.baselineUs(), r.candidateUs(),
                    r.relativeEffect() * 100, r.pValue(), r.why(), mark));
        }
        return t.toString();
    }

    /** What the suite fails with. */
    public String failure() {
        return regressions().size() + " latency regression(s) in " + gated + " against " + against + ":\n" + table();
    }
}
