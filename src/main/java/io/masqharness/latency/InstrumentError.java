package io.masqharness.latency;

/**
 * How far the sender's lateness could distort a trial. An open-loop latency counts from the
 * intended send time, so a request that left late carries its lateness in full: a sender whose p99
 * lateness is a fraction f of the trial's p99 latency can move that p99 by up to f on its own. When
 * f exceeds the smallest change the verdicts count (the scenario's {@code minEffect}), the
 * instrument could fake or hide a regression, and the trial is flagged. Closed-loop latencies count
 * from the actual send, so their lateness (the pause between an answer and the next request) is
 * shown but never flags them.
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
