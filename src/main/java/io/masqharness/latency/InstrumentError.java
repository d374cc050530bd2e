package io.masqharness.latency;

/**
 * How far the sender's lateness could distort a trial. An open-loop latency counts from the
 * intended send time, so a request that left late carries its lateness in full: each latency is its
 * lateness plus the round trip from the actual send. The flag compares the two p99s: when the
 * sender's lateness p99 exceeds a share {@code bound} of the trial's latency p99, the sender alone
 * is of the size of the smallest change the verdicts count (the scenario's {@code minEffect}, used
 * as the bound), so such a change between runs could be the instrument's rather than the path's,
 * and the trial is flagged for a reader to look at. This is a yardstick, not a proof: quantiles do
 * not add, so the lateness can move the p99 by somewhat more or less than its share (the union
 * bound only says latency p99 <= lateness p99.5 + round-trip p99.5). With the lab's 50% floor it flags only
 * a sender that was preempted for a large part of the trial; with a Cilium scenario's 5% it flags a
 * sender late by a twentieth of the p99. Closed-loop latencies count from the actual send, so their
 * lateness (the pause between an answer and the next request) is shown but never flags them.
 */
public record InstrumentError(long latenessP50Us, long latenessP99Us, long latencyP99Us, boolean flagged) {

    public static InstrumentError of(Trial trial, double bound) {
        long lateP99 = trial.lateness().getValueAtPercentile(99);
        long p99 = trial.histogram().getValueAtPercentile(99);
        boolean flagged = trial.openLoop() && trial.lateness().getTotalCount() > 0 && lateP99 > bound * p99;
        return new InstrumentError(trial.lateness().getValueAtPercentile(50), lateP99, p99, flagged);
    }

    /** The sender's share of the trial's p99 latency. */
    public double share() {
        return latencyP99Us == 0 ? 0 : (double) latenessP99Us / latencyP99Us;
    }
}
