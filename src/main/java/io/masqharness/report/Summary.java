package io.masqharness.report;

import java.util.List;
import java.util.Map;

/**
 * {@code summary.json}: everything a report shows, as data (schema in reports/README.md).
 * Latencies are microseconds.
 *
 * @param comparisons each mode against the first, then, when the latency gate had a baseline, each against it
 * @param baseline    what the latency gate judged the run against besides its first mode: the baseline's source,
 *                    {@link #NO_BASELINE} when it had none; null when no gate ran
 * @param machineDrift how the host path (which no masquerading touches) moved against the baseline: the machine's own
 *                    drift, which the gate takes out of the pod path's verdicts; null without a baseline
 * @param throughput  the {@code tcp-stream} groups (since schema 7; empty when the run measured none)
 */
public record Summary(int schemaVersion, String runId, String scenario, String datapath, String startedAt,
                      List<String> problems, List<ModeResult> modes, List<LatencyGroup> latency, List<ComparisonRow> comparisons,
                      double minEffect, double alpha, String baseline, String machineDrift, List<StreamGroup> throughput) {

    public static final int SCHEMA_VERSION = 7;
    public static final String NO_BASELINE = "none";

    public Summary {
        throughput = throughput == null ? List.of() : List.copyOf(throughput);
    }

    /** A run without throughput groups. */
    public Summary(int schemaVersion, String runId, String scenario, String datapath, String startedAt, List<String> problems,
                   List<ModeResult> modes, List<LatencyGroup> latency, List<ComparisonRow> comparisons, double minEffect, double alpha,
                   String baseline, String machineDrift) {
        this(schemaVersion, runId, scenario, datapath, startedAt, problems, modes, latency, comparisons, minEffect, alpha, baseline,
                machineDrift, List.of());
    }

    /** A run whose latency no gate judged. */
    public Summary(int schemaVersion, String runId, String scenario, String datapath, String startedAt, List<String> problems,
                   List<ModeResult> modes, List<LatencyGroup> latency, List<ComparisonRow> comparisons, double minEffect, double alpha) {
        this(schemaVersion, runId, scenario, datapath, startedAt, problems, modes, latency, comparisons, minEffect, alpha, null, null);
    }

    /** Whether the run measured any latency or throughput: a run that did not is never a point of the history or the trend. */
    public boolean measured() {
        return latency != null && !latency.isEmpty() || !throughput.isEmpty();
    }

    /** Every series the run measured, latency and throughput: what comparisons and baselines match on. */
    public List<TrialSeries> series() {
        List<TrialSeries> all = new java.util.ArrayList<>(latency == null ? List.of() : latency);
        all.addAll(throughput);
        return List.copyOf(all);
    }

    /**
     * One mode x path x direction of {@code tcp-stream}: per trial the goodput (bits per second the receiver counted,
     * summed over the streams) and the sender's retransmissions. Its {@link #loop()} is its direction, {@code upload}
     * (pod or node to the external host) or {@code download} (back, iperf3 -R), so that baselines, ratios to the host path
     * and the trend match it the way they match a latency group's loop.
     *
     * @param congestionControl the senders' TCP congestion control as iperf3 read it, each one the trials used once in their
     *                          order ({@code bbr}, or {@code cubic, bbr} if it changed between trials); empty when iperf3 did
     *                          not say, or in a summary written before this field
     */
    public record StreamGroup(String mode, String kind, String path, String direction, int streams, List<Long> trialGoodputBps,
                              List<Long> trialRetransmits, double medianGoodputBps, double medianRetransmits, String congestionControl)
            implements TrialSeries {

        public StreamGroup {
            trialGoodputBps = List.copyOf(trialGoodputBps);
            trialRetransmits = List.copyOf(trialRetransmits);
            congestionControl = congestionControl == null ? "" : congestionControl;
        }

        @Override
        public String loop() {
            return direction;
        }

        @Override
        public List<Long> trials(String metric) {
            return switch (metric) {
                case "goodput" -> trialGoodputBps;
                case "retransmits" -> trialRetransmits;
                default -> List.of();
            };
        }

        @Override
        public List<Integer> leftOut(String metric) {
            return List.of();
        }
    }

    /**
     * @param retries     probes beyond the first over all cells (flows retried after getting no answer)
     * @param diagnostics the report's file with the cluster's diagnostics, when anything in the mode failed; else null
     */
    public record ModeResult(String mode, String effectiveMode, String expectedStatus, String switchDisruption,
                             List<Check> checks, List<Cell> cells, int retries, String diagnostics) {
    }

    public record Check(String node, String check, String status, String message) {
    }

    /**
     * @param podIp  the pod's address in the flow's family
     * @param family {@code ipv4} or {@code ipv6}: the flow's (its destination's) address family
     */
    public record Cell(String pod, String podIp, String node, String target, String address, String protocol,
                       String expected, String observed, boolean answered, boolean judged, boolean passed, String reason,
                       int attempts, String family) {

        /** An IPv4 flow's cell. */
        public Cell(String pod, String podIp, String node, String target, String address, String protocol,
                    String expected, String observed, boolean answered, boolean judged, boolean passed, String reason,
                    int attempts) {
            this(pod, podIp, node, target, address, protocol, expected, observed, answered, judged, passed, reason, attempts, "ipv4");
        }
    }

    /**
     * One mode x kind x path: pooled percentiles with 95% CIs, the per-trial values the verdicts use, and the
     * sender's lateness (pooled p50/p99, per-trial p50 and p99). Per metric, {@code leftOut} holds the open-loop
     * trials the sender's lateness makes unusable ({@link io.masqharness.latency.InstrumentError}): no verdict uses them;
     * {@code flaggedTrials} is every trial left out of either metric, the mark the report shows.
     */
    public record LatencyGroup(String mode, String kind, String path, String loop, long samples, int errors,
                               List<Percentile> percentiles, long maxUs, List<Long> trialP50Us, List<Long> trialP99Us,
                               List<double[]> curve, List<List<double[]>> trialCurves, long latenessP50Us, long latenessP99Us,
                               List<Long> trialLatenessP50Us, List<Long> trialLatenessP99Us, List<Integer> flaggedTrials,
                               Map<String, List<Integer>> leftOut) implements TrialSeries {
        /** What a baseline is matched on. */
        public String key() {
            return mode + "|" + kind + "|" + path + "|" + loop;
        }

        @Override
        public List<Long> trials(String metric) {
            return metric.equals("p50") ? trialP50Us : trialP99Us;
        }

        @Override
        public List<Integer> leftOut(String metric) {
            return leftOut == null ? List.of() : leftOut.getOrDefault(metric, List.of());
        }
    }

    public record Percentile(double percentile, long valueUs, long lowUs, long highUs) {
    }

    /**
     * @param unit {@code us} for latencies; {@code bit/s} for goodput and {@code count} for retransmissions
     *             ({@code tcp-stream}, whose {@code loop} is its direction); {@code ratio} for the pod path relative to the host path of the same trials
     *             (path {@code pod/host}), which is how the gate judges a run against its baseline
     */
    public record ComparisonRow(String kind, String path, String loop, String metric, String baseline, String candidate, String verdict,
                                double baselineUs, double candidateUs, double relativeEffect, double pValue, String why, String unit) {

        public static final String MICROSECONDS = "us";
        public static final String RATIO = "ratio";
        /** tcp-stream's goodput. */
        public static final String BITS_PER_SECOND = "bit/s";
        /** tcp-stream's retransmissions. */
        public static final String COUNT = "count";

        /** A comparison of latencies. */
        public ComparisonRow(String kind, String path, String loop, String metric, String baseline, String candidate, String verdict,
                             double baselineUs, double candidateUs, double relativeEffect, double pValue, String why) {
            this(kind, path, loop, metric, baseline, candidate, verdict, baselineUs, candidateUs, relativeEffect, pValue, why, MICROSECONDS);
        }

        public boolean ratio() {
            return RATIO.equals(unit);
        }

        /** The change of the medians, {@code +12.3%}; {@code n/a} when a side had no usable trial. */
        public String change() {
            return Double.isNaN(relativeEffect) ? "n/a" : String.format("%+.1f%%", relativeEffect * 100);
        }

        /** A side's median as a table shows it: a ratio, Gbit/s, a count or microseconds; {@code n/a} when it had no usable trial. */
        public String value(double median) {
            if (Double.isNaN(median)) {
                return "n/a";
            }
            return switch (unit == null ? MICROSECONDS : unit) {
                case RATIO -> String.format("%.3f", median);
                case BITS_PER_SECOND -> String.format("%.2f Gbit/s", median / 1e9);
                case COUNT -> String.format("%.0f", median);
                default -> String.format("%.0f us", median);
            };
        }
    }
}
