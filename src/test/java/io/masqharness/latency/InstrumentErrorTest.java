package io.masqharness.latency;

import static org.assertj.core.api.Assertions.assertThat;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** When the sender's lateness is large enough, against the trial's own p99, to flag the trial. */
class InstrumentErrorTest {

    static Trial trial(String loop, long latencyUs, long latenessUs) {
        Histogram latency = Trial.newHistogram();
        Histogram lateness = Trial.newHistogram();
        for (int i = 0; i < 100; i++) {
            latency.recordValue(latencyUs);
            lateness.recordValue(i < 50 ? 0 : latenessUs);
        }
        return new Trial("bpf", "tcp-rr", "pod", 2, latency, 100, 100, 0, loop, lateness);
    }

    @Test
    void anOpenLoopTrialIsFlaggedWhenItsSendersP99LatenessExceedsTheBoundShareOfItsP99() {
        InstrumentError within = InstrumentError.of(trial("open", 200, 10), 0.05);
        assertThat(within.flagged()).as("10 us late of 200 us is exactly 5%").isFalse();
        assertThat(within.latenessP50Us()).isZero();
        assertThat(within.latenessP99Us()).isEqualTo(10);
        assertThat(within.latencyP99Us()).isEqualTo(200);
        assertThat(within.share()).isEqualTo(0.05);
        InstrumentError beyond = InstrumentError.of(trial("open", 200, 11), 0.05);
        assertThat(beyond.flagged()).isTrue();
        assertThat(InstrumentError.of(trial("open", 200, 11), 0.5).flagged()).as("a looser scenario floor").isFalse();
    }

    @Test
    void closedLoopLatenessIsOutsideTheMeasurementAndNeverFlags() {
        assertThat(InstrumentError.of(trial("closed", 200, 5000), 0.05).flagged()).isFalse();
        assertThat(InstrumentError.of(trial("closed", 200, 5000), 0.05).latenessP99Us()).as("3 significant digits").isBetween(5000L, 5005L);
    }

    @Test
    void aTrialWithoutLatenessIsNotFlaggedAndAnEmptyTrialHasNoShare() {
        Histogram latency = Trial.newHistogram();
        latency.recordValue(100);
        assertThat(InstrumentError.of(new Trial("bpf", "tcp-rr", "pod", 0, latency, 1, 1, 0, "open"), 0.05).flagged()).isFalse();
        Trial empty = new Trial("bpf", "tcp-rr", "pod", 0, Trial.newHistogram(), 0, 0, 0, "open", Trial.newHistogram());
        assertThat(InstrumentError.of(empty, 0.05).share()).isZero();
    }
}
