package io.masqharness.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.masqharness.latency.Comparison;
import io.masqharness.latency.Metric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a run's latency is judged against: an explicit baseline ({@code reports/baselines/<scenario>.json},
 * a summary.json kept in git), else the per-trial values of the last {@link #HISTORY_RUNS} runs of the
 * same scenario on the same datapath in {@code reports/history.jsonl}. Never a lab run against Cilium's.
 * A pod path is judged against it as its ratio to the host path of the same trials ({@link HostRatios}),
 * so that the machine's own drift between the runs cancels; the absolute latencies are compared too,
 * and shown, but do not gate: the host path's change is the machine's ({@link #machineDrift}).
 */
public final class Baselines {

    public static final int HISTORY_RUNS = 5;
    /** How a comparison row names the baseline it was made against: {@code baseline <mode>}. */
    private static final String ROW_PREFIX = "baseline ";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** @param runs each baseline run's latency series, oldest first (an explicit baseline is one run) */
    public record Baseline(String source, List<List<? extends TrialSeries>> runs) {

        public Baseline {
            runs = List.copyOf(runs);
        }

        /** A series' trials over every baseline run, one after the other, with those left out still marked. */
        public Optional<TrialSeries> pooled(String key) {
            List<TrialSeries> matching = runs.stream().flatMap(r -> r.stream().filter(g -> g.key().equals(key))).map(g -> (TrialSeries) g)
                    .toList();
            return matching.isEmpty() ? Optional.empty() : Optional.of(Pooled.of(matching));
        }

        /** The usable values of a series over every baseline run. */
        public List<Long> values(String key, String metric) {
            return pooled(key).map(p -> p.usable(metric)).orElse(List.of());
        }

        /** Per baseline run that measured both paths: the pod path's ratios to its host path. */
        List<Double> ratios(TrialSeries pod, String metric) {
            List<Double> ratios = new ArrayList<>();
            for (List<? extends TrialSeries> run : runs) {
                run.stream().filter(g -> g.key().equals(pod.key())).findFirst()
                        .ifPresent(p -> HostRatios.hostOf(p, run).ifPresent(h -> ratios.addAll(HostRatios.of(p, h, metric))));
            }
            return ratios;
        }

        /** Whether some baseline run measured the pod path's host path as well. */
        boolean hasHostFor(TrialSeries pod) {
            return runs.stream().anyMatch(run -> run.stream().anyMatch(g -> g.key().equals(pod.key()))
                    && HostRatios.hostOf(pod, run).isPresent());
        }
    }

    /** Several runs' trials of one series, in run order; the left-out indexes shifted along. */
    record Pooled(String mode, String kind, String path, String loop, Map<String, List<Long>> values,
                  Map<String, List<Integer>> leftOutIndexes) implements TrialSeries {

        static Pooled of(List<TrialSeries> series) {
            Map<String, List<Long>> values = new LinkedHashMap<>();
            Map<String, List<Integer>> leftOut = new LinkedHashMap<>();
            for (String metric : Metric.of(series.get(0).kind())) {
                List<Long> all = new ArrayList<>();
                List<Integer> out = new ArrayList<>();
                for (TrialSeries s : series) {
                    int offset = all.size();
                    all.addAll(s.trials(metric));
                    s.leftOut(metric).forEach(i -> out.add(offset + i));
                }
                values.put(metric, List.copyOf(all));
                leftOut.put(metric, List.copyOf(out));
            }
            TrialSeries first = series.get(0);
            return new Pooled(first.mode(), first.kind(), first.path(), first.loop(), values, leftOut);
        }

        @Override
        public List<Long> trials(String metric) {
            return values.getOrDefault(metric, List.of());
        }

        @Override
        public List<Integer> leftOut(String metric) {
            return leftOutIndexes.getOrDefault(metric, List.of());
        }
    }

    private Baselines() {
    }

    /**
     * The explicit baseline, else the recent history. History lines that do not parse are skipped
     * (a baseline only needs some usable runs) but named in the baseline's source, so the gate's
     * output says what it left out.
     */
    public static Optional<Baseline> load(Path reports, String scenario, String datapath) throws IOException {
        Optional<Baseline> explicit = explicit(reports, scenario, datapath);
        if (explicit.isPresent()) {
            return explicit;
        }
        Path file = reports.resolve("history.jsonl");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        History history = History.read(file);
        List<History.Run> runs = history.runs().stream()
                .filter(r -> r.scenario().equals(scenario) && r.datapath().equals(datapath) && r.measured()).toList();
        if (runs.isEmpty()) {
            return Optional.empty();
        }
        List<History.Run> recent = runs.subList(Math.max(0, runs.size() - HISTORY_RUNS), runs.size());
        String skipped = history.problems().isEmpty() ? "" : " (" + history.problems().size() + " unreadable line"
                + (history.problems().size() == 1 ? "" : "s") + " skipped: " + String.join("; ", history.problems().stream().limit(3).toList())
                + (history.problems().size() > 3 ? "; ..." : "") + ")";
        return Optional.of(new Baseline("the last " + recent.size() + " runs in " + file + skipped,
                recent.stream().<List<? extends TrialSeries>>map(History.Run::series).toList()));
    }

    /** The scenario's explicit baseline when there is one for this datapath. */
    public static Optional<Baseline> explicit(Path reports, String scenario, String datapath) throws IOException {
        Path explicit = reports.resolve("baselines").resolve(scenario + ".json");
        if (Files.isRegularFile(explicit)) {
            JsonNode s = JSON.readTree(explicit.toFile());
            if (datapath.equals(s.path("datapath").asText())) {
                try {
                    List<TrialSeries> series = new ArrayList<>(History.groups(s.path("latency")));
                    series.addAll(History.streams(s.path("throughput")));
                    return Optional.of(new Baseline(explicit.toString(), List.of(series)));
                } catch (IllegalArgumentException e) {
                    throw new IOException(explicit + ": not a usable baseline: " + e.getMessage(), e);
                }
            }
        }
        return Optional.empty();
    }

    /** Whether a comparison row is against a baseline (made by {@link #compare}), not against the run's first mode. */
    public static boolean againstBaseline(Summary.ComparisonRow row) {
        return row.baseline().startsWith(ROW_PREFIX);
    }

    /**
     * Whether a row's {@code slower} may fail a run: every row against the run's first mode (same machine, same minutes),
     * and against a baseline only the pod paths' ratios to their host paths; the absolute rows against a baseline carry
     * the machine's drift and are shown, not gated.
     */
    public static boolean gates(Summary.ComparisonRow row) {
        return !againstBaseline(row) || row.ratio();
    }

    /**
     * Each group against the baseline: first, for a pod path whose host path both runs measured, its ratio to the host
     * path (path {@code pod/host}, unit {@code ratio}); then its absolute latencies.
     */
    public static List<Summary.ComparisonRow> compare(List<? extends TrialSeries> groups, Baseline baseline, double minEffect, double alpha) {
        List<Summary.ComparisonRow> rows = new ArrayList<>();
        for (TrialSeries g : groups) {
            Optional<? extends TrialSeries> host = HostRatios.podPath(g.path()) ? HostRatios.hostOf(g, groups) : Optional.empty();
            boolean ratios = host.isPresent() && baseline.hasHostFor(g);
            if (ratios) {
                for (String metric : Metric.of(g.kind())) {
                    rows.add(ratioRow(g, host.get(), baseline, metric, minEffect, alpha));
                }
            }
            Optional<TrialSeries> base = baseline.pooled(g.key());
            if (base.isPresent()) {
                for (String metric : Metric.of(g.kind())) {
                    Summary.ComparisonRow r = LatencySummaries.row(g, ROW_PREFIX + g.mode(), base.get(), metric, minEffect, alpha);
                    rows.add(!HostRatios.podPath(g.path()) || ratios ? r : withWhy(r, r.why() + " (not gated: the "
                            + (host.isEmpty() ? "run" : "baseline") + " has no host-path trials beside these to take the machine's"
                            + " drift out; a baseline written since summary schema 6 has)"));
                }
            }
        }
        return rows;
    }

    private static Summary.ComparisonRow ratioRow(TrialSeries pod, TrialSeries host, Baseline baseline, String metric,
                                                  double minEffect, double alpha) {
        Comparison c = Comparison.of(baseline.ratios(pod, metric), HostRatios.of(pod, host, metric), minEffect, alpha,
                Metric.higherIsBetter(metric));
        List<LatencySummaries.Side> sides = new ArrayList<>(List.of(new LatencySummaries.Side(pod.mode() + " " + pod.path(), pod),
                new LatencySummaries.Side(pod.mode() + " " + host.path(), host)));
        baseline.pooled(pod.key()).ifPresent(p -> sides.add(new LatencySummaries.Side(ROW_PREFIX + pod.mode() + " " + pod.path(), p)));
        baseline.pooled(host.key()).ifPresent(h -> sides.add(new LatencySummaries.Side(ROW_PREFIX + pod.mode() + " " + host.path(), h)));
        return new Summary.ComparisonRow(pod.kind(), HostRatios.ratioPath(pod.path()), pod.loop(), metric, ROW_PREFIX + pod.mode(),
                pod.mode(), c.verdict().name().toLowerCase(), c.baselineMedian(), c.candidateMedian(), c.relativeEffect(), c.pValue(),
                LatencySummaries.why(c, sides, metric, minEffect), Summary.ComparisonRow.RATIO);
    }

    private static Summary.ComparisonRow withWhy(Summary.ComparisonRow r, String why) {
        return new Summary.ComparisonRow(r.kind(), r.path(), r.loop(), r.metric(), r.baseline(), r.candidate(), r.verdict(), r.baselineUs(),
                r.candidateUs(), r.relativeEffect(), r.pValue(), why, r.unit());
    }

    /**
     * How the machine moved against the baseline, read on the host paths (no masquerading on them) at p50: the median
     * change over the host series compared, and its extremes, e.g. "the machine was slower than in the baseline: the
     * host path ... at p50 +44% (median of 4 series; from +38%, bpf tcp-crr open, to +52%, iptables tcp-rr open)";
     * null when no host path was compared.
     */
    public static String machineDrift(List<Summary.ComparisonRow> rows, double minEffect) {
        List<Summary.ComparisonRow> host = rows.stream().filter(r -> againstBaseline(r) && !r.ratio() && r.metric().equals("p50")
                && !HostRatios.podPath(r.path()) && !Double.isNaN(r.relativeEffect()))
                .sorted(java.util.Comparator.comparingDouble(Summary.ComparisonRow::relativeEffect)).toList();
        if (host.isEmpty()) {
            return null;
        }
        double median = host.size() % 2 == 1 ? host.get(host.size() / 2).relativeEffect()
                : (host.get(host.size() / 2 - 1).relativeEffect() + host.get(host.size() / 2).relativeEffect()) / 2;
        Summary.ComparisonRow low = host.get(0);
        Summary.ComparisonRow high = host.get(host.size() - 1);
        boolean even = high.relativeEffect() - low.relativeEffect() < 2 * minEffect;
        String what = median >= minEffect ? "the machine was slower than in the baseline"
                : median <= -minEffect ? "the machine was faster than in the baseline"
                : even ? "the machine ran as fast as in the baseline" : "the machine's speed moved unevenly against the baseline";
        String spread = host.size() == 1 ? low.candidate() + " " + low.kind() + " " + low.loop()
                : String.format("median of %d series; from %s, %s, to %s, %s", host.size(), low.change().replace(".0%", "%"),
                series(low), high.change().replace(".0%", "%"), series(high));
        return what + ": the host path (which no masquerading touches) at p50 " + String.format("%+.0f%%", median * 100) + " ("
                + spread + "); the pod path is judged relative to it";
    }

    private static String series(Summary.ComparisonRow r) {
        return r.candidate() + " " + r.kind() + " " + r.loop();
    }

    public static String table(List<Summary.ComparisonRow> rows) {
        StringBuilder t = new StringBuilder(String.format("%-28s %-8s %-15s %-6s %-6s %-13s %10s %10s %8s  %s%n",
                "mode", "kind", "path", "loop", "metric", "verdict", "baseline", "now", "change", "why"));
        for (Summary.ComparisonRow r : rows) {
            t.append(String.format("%-28s %-8s %-15s %-6s %-6s %-13s %10s %10s %8s  %s%n", r.candidate(), r.kind(), r.path(),
                    r.loop(), r.metric(), r.verdict(), r.value(r.baselineUs()), r.value(r.candidateUs()), r.change(), r.why()));
        }
        return t.toString();
    }
}
