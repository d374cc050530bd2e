package io.masqharness.latency;

/**
 * How far the sender's lateness could distort a trial. An open-loop latency counts from the
 * intended send time, so a request that left late carries its lateness in full: each latency is its
 * lateness plus the round trip from the actual send. Per metric, the trial is compared with its
 * sender at the same percentile: when the sender's lateness p50 (p99) exceeds a share {@code bound}
 * of the trial's latency p50 (p99), the sender alone is of the size of the smallest change the
 * verdicts count (the scenario's {@code minEffect}, used as the bound), so a change between runs
 * could be the instrument's rather than the path's, and the trial is left out of that metric's
 * verdicts ({@link #usable}). This is a yardstick, not a proof: quantiles do not add, so the lateness
 * can move a percentile by somewhat more or less than its share (the union bound only says latency
 * p99 <= lateness p99.5 + round-trip p99.5). A sender preempted now and then spoils the p99 and
 * leaves the p50 usable, which is why the metrics are judged apart. Closed-loop latencies count from
 * the actual send, so their lateness (the pause between an answer and the next request) is shown but
 * never leaves them out.
 */
public record InstrumentError(long latenessP50Us, long latenessP99Us, long latencyP50Us, long latencyP99Us, boolean flagged) {

    public static InstrumentError of(Trial trial, double bound) {
        return new InstrumentError(trial.lateness().getValueAtPercentile(50), trial.lateness().getValueAtPercentile(99),
                trial.histogram().getValueAtPercentile(50), trial.histogram().getValueAtPercentile(99), !usable(trial, "p99", bound));
    }

    /** Whether a verdict on {@code metric} (p50 or p99) may use the trial. */
    public static boolean usable(Trial trial, String metric, double bound) {
        if (!trial.openLoop() || trial.lateness().getTotalCount() == 0) {
            return true;
        }
        double percentile = metric.equals("p50") ? 50 : 99;
        return trial.lateness().getValueAtPercentile(percentile) <= bound * trial.histogram().getValueAtPercentile(percentile);
    }

    /** The sender's share of the trial's p99 latency. */
    public double share() {
        return latencyP99Us == 0 ? 0 : (double) latenessP99Us / latencyP99Us;
    }
}
