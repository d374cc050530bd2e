package io.masqharness.report;

import io.masqharness.latency.Comparison;
import io.masqharness.latency.Metric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Latency over the runs in history.jsonl. A section per scenario and datapath, so the lab's runs
 * and Cilium's are never on one line; in it a chart per kind, path, loop and metric (p50, p99) with
 * one series per mode. A point is the run's median over its trials with the verdict its latency gate
 * gave against the baseline, as its history line keeps it; the band is that baseline's median plus and
 * minus the run's effect floor, the zone where a change counts as "same". A line that keeps no
 * verdicts (written before summary schema 5) is judged here the way its run's gate would have been
 * ({@link Baselines}: the explicit baseline of its datapath as it is today, else the previous
 * {@link Baselines#HISTORY_RUNS} runs of its scenario and datapath), and its points say so. A point's value
 * leaves out the trials the sender's lateness made unusable for its metric; a run that measured nothing
 * (skipped, never started) is no point of any series: {@code unmeasured} lists it apart.
 */
public record Trend(List<Section> sections, List<String> problems, List<History.Run> unmeasured) {

    public static final List<String> METRICS = List.of("p50", "p99");

    /** @param runs the section's runs in the order written: the x axis */
    public record Section(String scenario, String datapath, List<History.Run> runs, List<Chart> charts) {
    }

    /** A chart's values are in {@link #unit()}: microseconds, or tcp-stream's bit/s and counts ({@code loop}: its direction). */
    public record Chart(String kind, String path, String loop, String metric, List<Series> series) {
        public String title() {
            return kind + ", " + path + " path, " + loop + (Metric.of(kind).contains("goodput") ? "" : " loop") + ", " + metric;
        }

        public String unit() {
            return Metric.unit(metric);
        }
    }

    /** One line: a mode's values over the section's runs (only the runs that measured it). */
    public record Series(String mode, List<Point> points) {
    }

    /**
     * @param run         index of the run in the section
     * @param bandLowUs   NaN when the run had no baseline (the first runs), as are {@code bandHighUs}
     * @param verdict     faster, slower, same or inconclusive against the baseline; null without one
     * @param flagged     some trial's sender lateness left it out of this metric (the instrument's own error)
     * @param gated       whether the verdict could fail the run: false for a host path's absolute verdict against the
     *                    baseline (the machine's own drift, shown only)
     * @param drift       the run's machine drift against its baseline as its line keeps it, or null
     */
    public record Point(int run, double valueUs, double bandLowUs, double bandHighUs, String verdict, String why, boolean flagged,
                        boolean gated, String drift) {

        public Point(int run, double valueUs, double bandLowUs, double bandHighUs, String verdict, String why, boolean flagged) {
            this(run, valueUs, bandLowUs, bandHighUs, verdict, why, flagged, true, null);
        }

        /** A slower verdict that fails: the one {@code trend} exits 1 for. */
        public boolean regression() {
            return gated && "slower".equals(verdict);
        }
    }

    /** @param explicit the explicit baseline of a scenario and datapath, if any */
    public static Trend of(History history, BiFunction<String, String, Optional<Baselines.Baseline>> explicit) {
        Map<String, List<History.Run>> bySection = new LinkedHashMap<>();
        history.runs().stream().filter(History.Run::measured).forEach(r -> bySection.computeIfAbsent(r.scenario() + "\n" + r.datapath(), k -> new ArrayList<>()).add(r));
        List<Section> sections = new ArrayList<>();
        for (List<History.Run> runs : bySection.values()) {
            String scenario = runs.get(0).scenario();
            String datapath = runs.get(0).datapath();
            Optional<Baselines.Baseline> fixed = explicit.apply(scenario, datapath);
            Map<String, Map<String, List<Point>>> charts = new LinkedHashMap<>();
            for (int i = 0; i < runs.size(); i++) {
                for (History.Judged g : runs.get(i).series()) {
                    for (String metric : Metric.of(g.kind())) {
                        List<Long> baseline = runs.get(i).judgedAtRunTime() ? List.of() : baseline(runs, i, g, metric, fixed);
                        charts.computeIfAbsent(g.kind() + "|" + g.path() + "|" + g.loop() + "|" + metric, k -> new LinkedHashMap<>())
                                .computeIfAbsent(g.mode(), k -> new ArrayList<>()).add(point(i, runs.get(i), g, metric, baseline));
                    }
                }
            }
            List<Chart> list = new ArrayList<>();
            charts.forEach((key, series) -> {
                String[] k = key.split("\\|");
                list.add(new Chart(k[0], k[1], k[2], k[3], series.entrySet().stream()
                        .map(e -> new Series(e.getKey(), List.copyOf(e.getValue()))).toList()));
            });
            sections.add(new Section(scenario, datapath, List.copyOf(runs), List.copyOf(list)));
        }
        return new Trend(List.copyOf(sections), history.problems(), history.runs().stream().filter(r -> !r.measured()).toList());
    }

    /** The trend of a reports folder's history, with the explicit baselines in its {@code baselines/}. */
    public static Trend of(History history, java.nio.file.Path reports) {
        return of(history, (scenario, datapath) -> {
            try {
                return Baselines.explicit(reports, scenario, datapath);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static List<Long> baseline(List<History.Run> runs, int i, History.Judged g, String metric, Optional<Baselines.Baseline> fixed) {
        String key = g.mode() + "|" + g.kind() + "|" + g.path() + "|" + g.loop();
        if (fixed.isPresent()) {
            return fixed.get().values(key, metric);
        }
        List<Long> values = new ArrayList<>();
        for (History.Run earlier : runs.subList(Math.max(0, i - Baselines.HISTORY_RUNS), i)) {
            earlier.series().stream().filter(e -> e.key().equals(key)).forEach(e -> values.addAll(e.usable(metric)));
        }
        return values;
    }

    private static Point point(int index, History.Run run, History.Judged g, String metric, List<Long> baseline) {
        double value = median(g.usable(metric));
        boolean flagged = !g.leftOut(metric).isEmpty();
        if (run.judgedAtRunTime()) {
            History.Judgement j = g.againstBaseline().get(metric);
            if (j == null) {
                return new Point(index, value, Double.NaN, Double.NaN, null, "no baseline when it ran", flagged, true, run.machineDrift());
            }
            return new Point(index, value, j.baselineUs() * (1 - run.minEffect()), j.baselineUs() * (1 + run.minEffect()), j.verdict(),
                    j.why() + " (judged when it ran, against " + run.baseline() + (j.gated() ? "" : "; absolute, not gated") + ")",
                    flagged, j.gated(), run.machineDrift());
        }
        if (baseline.isEmpty()) {
            return new Point(index, value, Double.NaN, Double.NaN, null, "no baseline yet", flagged);
        }
        Comparison c = Comparison.of(baseline.stream().map(Long::doubleValue).toList(), g.usable(metric).stream().map(Long::doubleValue).toList(),
                run.minEffect(), run.alpha(), Metric.higherIsBetter(metric));
        double base = median(baseline);
        return new Point(index, value, base * (1 - run.minEffect()), base * (1 + run.minEffect()), c.verdict().name().toLowerCase(),
                c.why() + " (judged by the trend: the run's line keeps no verdict)", flagged);
    }

    static double median(List<Long> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }
}
