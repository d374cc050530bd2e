package io.masqharness.report;

import java.util.List;

/**
 * {@code summary.json}: everything a report shows, as data (schema in reports/README.md).
 * Latencies are microseconds.
 *
 * @param comparisons each mode against the first, then, when the latency gate had a baseline, each against it
 * @param baseline    what the latency gate judged the run against besides its first mode: the baseline's source,
 *                    {@link #NO_BASELINE} when it had none; null when no gate ran
 */
public record Summary(int schemaVersion, String runId, String scenario, String datapath, String startedAt,
                      List<String> problems, List<ModeResult> modes, List<LatencyGroup> latency, List<ComparisonRow> comparisons,
                      double minEffect, double alpha, String baseline) {

    public static final int SCHEMA_VERSION = 5;
    public static final String NO_BASELINE = "none";

    /** A run whose latency no gate judged. */
    public Summary(int schemaVersion, String runId, String scenario, String datapath, String startedAt, List<String> problems,
                   List<ModeResult> modes, List<LatencyGroup> latency, List<ComparisonRow> comparisons, double minEffect, double alpha) {
        this(schemaVersion, runId, scenario, datapath, startedAt, problems, modes, latency, comparisons, minEffect, alpha, null);
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
     * sender's lateness (pooled p50/p99, per-trial p99, the open-loop trials it flags: lateness p99 above minEffect of the trial's p99).
     */
    public record LatencyGroup(String mode, String kind, String path, String loop, long samples, int errors,
                               List<Percentile> percentiles, long maxUs, List<Long> trialP50Us, List<Long> trialP99Us,
                               List<double[]> curve, List<List<double[]>> trialCurves, long latenessP50Us, long latenessP99Us,
                               List<Long> trialLatenessP99Us, List<Integer> flaggedTrials) {
        /** What a baseline is matched on. */
        public String key() {
            return mode + "|" + kind + "|" + path + "|" + loop;
        }
    }

    public record Percentile(double percentile, long valueUs, long lowUs, long highUs) {
    }

    public record ComparisonRow(String kind, String path, String loop, String metric, String baseline, String candidate, String verdict,
                                double baselineUs, double candidateUs, double relativeEffect, double pValue, String why) {
    }
}
