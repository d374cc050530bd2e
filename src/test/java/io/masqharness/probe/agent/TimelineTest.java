package io.masqharness.probe.agent;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a latency and a lateness count from, in each loop. */
class TimelineTest {

    @Test
    void openLoopCountsLatencyFromTheIntendedTimeAndLatenessIsTheSendersDelay() {
        Timeline t = new Timeline(2, false);
        t.intendedNs[0] = 1_000_000;
        t.sentNs[0] = 1_030_000;
        t.answeredNs[0] = 1_130_000;
        assertThat(t.answered(0)).isTrue();
        assertThat(t.latencyUs(0)).as("from the intended time: the 30 us late start counts").isEqualTo(130);
        assertThat(t.latenessUs(0)).isEqualTo(30);
        assertThat(t.answered(1)).as("never sent, never answered").isFalse();
    }

    @Test
    void closedLoopCountsFromTheActualSendAndMeansToSendWhenThePreviousAnswerArrived() {
        Timeline t = new Timeline(2, true);
        t.sentClosedLoop(0, 5_000);
        t.answeredNs[0] = 65_000;
        t.sentClosedLoop(1, 69_000);
        t.answeredNs[1] = 129_500;
        assertThat(t.latenessUs(0)).as("the first request is on time by definition").isZero();
        assertThat(t.latencyUs(0)).isEqualTo(60);
        assertThat(t.intendedNs[1]).isEqualTo(65_000);
        assertThat(t.latenessUs(1)).as("the client's own pause between answer and request").isEqualTo(4);
        assertThat(t.latencyUs(1)).as("60.5 us, to the nearest").isEqualTo(61);
    }

    @Test
    void microsecondsAreRoundedToTheNearestNotTruncated() {
        Timeline t = new Timeline(2, false);
        t.intendedNs[0] = 0;
        t.sentNs[0] = 29_600;
        t.answeredNs[0] = 32_499;
        t.intendedNs[1] = 1_000_000;
        t.sentNs[1] = 1_000_499;
        t.answeredNs[1] = 1_032_500;
        assertThat(t.latenessUs(0)).isEqualTo(30);
        assertThat(t.latencyUs(0)).isEqualTo(32);
        assertThat(t.latenessUs(1)).isZero();
        assertThat(t.latencyUs(1)).isEqualTo(33);
    }

    @Test
    void aSubMicrosecondLatencyIsRecordedAsOneAndAnEarlySendAsOnTime() {
        Timeline t = new Timeline(1, false);
        t.intendedNs[0] = 10_000;
        t.sentNs[0] = 9_000;
        t.answeredNs[0] = 10_400;
        assertThat(t.latencyUs(0)).isEqualTo(1);
        assertThat(t.latenessUs(0)).isZero();
    }

    @Test
    void aClosedLoopRequestAfterAnUnansweredOneIsOnTime() {
        Timeline t = new Timeline(2, true);
        t.sentClosedLoop(0, 1_000);
        t.sentClosedLoop(1, 900_000);
        assertThat(t.latenessUs(1)).isZero();
    }
}
