package io.masqharness.report;

import io.masqharness.latency.Comparison;
import io.masqharness.latency.InstrumentError;
import io.masqharness.latency.Metric;
import io.masqharness.latency.StreamTrial;
import io.masqharness.latency.Percentiles;
import io.masqharness.latency.Trial;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/** Trials grouped per mode, kind and path; each mode compared with the first (the baseline mode). */
public final class LatencySummaries {

    private LatencySummaries() {
    }

    /**
     * @param latenessBound the share of a trial's latency its sender's lateness may reach at the same percentile before the
     *                      trial is left out of that metric's verdicts ({@link InstrumentError})
     */
    public static List<Summary.LatencyGroup> groups(List<Trial> trials, double latenessBound) {
        Map<String, List<Trial>> byGroup = new LinkedHashMap<>();
        trials.forEach(t -> byGroup.computeIfAbsent(t.mode() + "|" + t.kind() + "|" + t.path() + "|" + t.loop(), k -> new ArrayList<>()).add(t));
        List<Summary.LatencyGroup> groups = new ArrayList<>();
        for (List<Trial> g : byGroup.values()) {
            Histogram pooled = Trial.newHistogram();
            Histogram late = Trial.newHistogram();
            g.forEach(t -> pooled.add(t.histogram()));
            g.forEach(t -> late.add(t.lateness()));
            Percentiles p = Percentiles.of(pooled);
            Map<String, List<Integer>> leftOut = new LinkedHashMap<>();
            for (String metric : Trend.METRICS) {
                leftOut.put(metric, g.stream().filter(t -> !InstrumentError.usable(t, metric, latenessBound)).map(Trial::index).toList());
            }
            List<Integer> flagged = g.stream().map(Trial::index).filter(i -> leftOut.values().stream().anyMatch(l -> l.contains(i))).toList();
            groups.add(new Summary.LatencyGroup(g.get(0).mode(), g.get(0).kind(), g.get(0).path(), g.get(0).loop(), p.count(),
                    g.stream().mapToInt(t -> t.errors() + (t.sent() - t.completed())).sum(),
                    p.estimates().stream().map(e -> new Summary.Percentile(e.percentile(), e.value(), e.low(), e.high())).toList(),
                    p.max(), g.stream().map(t -> t.histogram().getValueAtPercentile(50)).toList(),
                    g.stream().map(t -> t.histogram().getValueAtPercentile(99)).toList(),
                    curve(pooled), g.stream().map(t -> curve(t.histogram())).toList(), late.getValueAtPercentile(50),
                    late.getValueAtPercentile(99), g.stream().map(t -> t.lateness().getValueAtPercentile(50)).toList(),
                    g.stream().map(t -> t.lateness().getValueAtPercentile(99)).toList(), flagged, Map.copyOf(leftOut)));
        }
        return groups;
    }

    /** (percentile, value) points of a histogram's distribution, for plots on a 1/(1-p) axis. */
    static List<double[]> curve(Histogram h) {
        List<double[]> points = new ArrayList<>();
        if (h.getTotalCount() == 0) {
            return points;
        }
        for (HistogramIterationValue v : h.percentiles(5)) {
            if (v.getPercentileLevelIteratedTo() >= 100) {
                break;
            }
            points.add(new double[] {v.getPercentileLevelIteratedTo(), v.getValueIteratedTo()});
        }
        return points;
    }

    /** Throughput trials grouped per mode, path and direction, in the order measured. */
    public static List<Summary.StreamGroup> streamGroups(List<StreamTrial> trials) {
        Map<String, List<StreamTrial>> byGroup = new LinkedHashMap<>();
        trials.forEach(t -> byGroup.computeIfAbsent(t.mode() + "|" + t.kind() + "|" + t.path() + "|" + t.direction(), k -> new ArrayList<>())
                .add(t));
        List<Summary.StreamGroup> groups = new ArrayList<>();
        for (List<StreamTrial> g : byGroup.values()) {
            StreamTrial first = g.get(0);
            List<Long> goodput = g.stream().map(StreamTrial::goodputBps).toList();
            List<Long> retransmits = g.stream().map(StreamTrial::retransmits).toList();
            String congestionControl = String.join(", ", g.stream().map(StreamTrial::congestionControl).filter(c -> !c.isEmpty())
                    .distinct().toList());
            groups.add(new Summary.StreamGroup(first.mode(), first.kind(), first.path(), first.direction(), first.streams(), goodput,
                    retransmits, Trend.median(goodput), Trend.median(retransmits), congestionControl));
        }
        return groups;
    }

    /**
     * Each mode's series against the first mode's same kind, path and loop (a stream's direction), on the kind's metrics
     * ({@link Metric#of}): p50 and p99, or goodput and retransmissions.
     */
    public static List<Summary.ComparisonRow> againstFirstMode(List<? extends TrialSeries> groups, double minEffect, double alpha) {
        List<Summary.ComparisonRow> rows = new ArrayList<>();
        if (groups.isEmpty()) {
            return rows;
        }
        String baseline = groups.get(0).mode();
        for (TrialSeries g : groups) {
            if (g.mode().equals(baseline)) {
                continue;
            }
            groups.stream().filter(b -> b.mode().equals(baseline) && b.kind().equals(g.kind()) && b.path().equals(g.path())
                            && b.loop().equals(g.loop()))
                    .findFirst().ifPresent(b -> Metric.of(g.kind()).forEach(metric -> rows.add(row(g, b.mode(), b, metric, minEffect, alpha))));
        }
        return rows;
    }

    /** {@code candidate} against {@code baseline} (named {@code baselineName}) on the trials of each that a verdict may use. */
    static Summary.ComparisonRow row(TrialSeries candidate, String baselineName, TrialSeries baseline, String metric, double minEffect,
                                     double alpha) {
        Comparison c = Comparison.of(doubles(baseline.usable(metric)), doubles(candidate.usable(metric)), minEffect, alpha,
                Metric.higherIsBetter(metric));
        return new Summary.ComparisonRow(candidate.kind(), candidate.path(), candidate.loop(), metric, baselineName, candidate.mode(),
                c.verdict().name().toLowerCase(), c.baselineMedian(), c.candidateMedian(), c.relativeEffect(), c.pValue(),
                why(c, List.of(new Side(candidate.mode() + " " + candidate.path(), candidate),
                        new Side(baselineName + " " + baseline.path(), baseline)), metric, minEffect), Metric.unit(metric));
    }

    /** A series a comparison used, as its reason names it. */
    record Side(String label, TrialSeries series) {
    }

    /**
     * The comparison's reason; when it is inconclusive and the sender's lateness left trials out, that comes first, with
     * what to do about it: the verdict is the machine's failure to pace the load, not the path's.
     */
    static String why(Comparison c, List<Side> sides, String metric, double minEffect) {
        boolean leftOut = sides.stream().anyMatch(s -> !s.series().leftOut(metric).isEmpty());
        if (c.verdict() != Comparison.Verdict.INCONCLUSIVE || !leftOut) {
            return c.why();
        }
        String counts = String.join(", ", sides.stream().map(s -> s.series().leftOut(metric).size() + " of "
                + s.series().trials(metric).size() + " trials of " + s.label()).toList());
        return String.format("%s: the sender's lateness left out %s (late by more than %.0f%% of the trial's %s latency): %s;"
                        + " lower latency.rate, run where the sender has a core to itself, or read the closed-loop rows",
                PACING, counts, minEffect * 100, metric, c.why());
    }

    /** How an inconclusive verdict begins when the sender could not keep its schedule. */
    public static final String PACING = "inconclusive: the machine could not pace the load";

    static List<Double> doubles(List<? extends Number> values) {
        return values.stream().map(Number::doubleValue).toList();
    }
}
