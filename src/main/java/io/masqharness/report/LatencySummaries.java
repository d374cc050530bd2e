package io.masqharness.report;

import io.masqharness.latency.Comparison;
import io.masqharness.latency.InstrumentError;
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

    /** @param latenessBound the share of a trial's p99 its sender's p99 lateness may reach unflagged ({@link InstrumentError}) */
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
            groups.add(new Summary.LatencyGroup(g.get(0).mode(), g.get(0).kind(), g.get(0).path(), g.get(0).loop(), p.count(),
                    g.stream().mapToInt(t -> t.errors() + (t.sent() - t.completed())).sum(),
                    p.estimates().stream().map(e -> new Summary.Percentile(e.percentile(), e.value(), e.low(), e.high())).toList(),
                    p.max(), g.stream().map(t -> t.histogram().getValueAtPercentile(50)).toList(),
                    g.stream().map(t -> t.histogram().getValueAtPercentile(99)).toList(),
                    curve(pooled), g.stream().map(t -> curve(t.histogram())).toList(), late.getValueAtPercentile(50),
                    late.getValueAtPercentile(99), g.stream().map(t -> t.lateness().getValueAtPercentile(99)).toList(),
                    g.stream().filter(t -> InstrumentError.of(t, latenessBound).flagged()).map(Trial::index).toList()));
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

    public static List<Summary.ComparisonRow> againstFirstMode(List<Summary.LatencyGroup> groups, double minEffect, double alpha) {
        List<Summary.ComparisonRow> rows = new ArrayList<>();
        if (groups.isEmpty()) {
            return rows;
        }
        String baseline = groups.get(0).mode();
        for (Summary.LatencyGroup g : groups) {
            if (g.mode().equals(baseline)) {
                continue;
            }
            groups.stream().filter(b -> b.mode().equals(baseline) && b.kind().equals(g.kind()) && b.path().equals(g.path())
                            && b.loop().equals(g.loop()))
                    .findFirst().ifPresent(b -> {
                        rows.add(row(g, b, "p50", b.trialP50Us(), g.trialP50Us(), minEffect, alpha));
                        rows.add(row(g, b, "p99", b.trialP99Us(), g.trialP99Us(), minEffect, alpha));
                    });
        }
        return rows;
    }

    static Summary.ComparisonRow row(Summary.LatencyGroup candidate, Summary.LatencyGroup baseline, String metric,
                                     List<Long> a, List<Long> b, double minEffect, double alpha) {
        Comparison c = Comparison.of(a.stream().map(Long::doubleValue).toList(), b.stream().map(Long::doubleValue).toList(),
                minEffect, alpha);
        return new Summary.ComparisonRow(candidate.kind(), candidate.path(), candidate.loop(), metric, baseline.mode(), candidate.mode(),
                c.verdict().name().toLowerCase(), c.baselineMedian(), c.candidateMedian(), c.relativeEffect(), c.pValue(), c.why());
    }
}
