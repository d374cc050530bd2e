package io.masqharness.cluster.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Review 2, N7: a PID names a process only in its PID namespace, on one boot, until it is reused.
 * A leftover is removed only when its owner is provably gone; what the harness cannot see (another
 * container's run on a shared Docker daemon) only once it is older than any run lives.
 */
class OwnerTest {

    static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    static final Instant STARTED = Instant.parse("2026-12-07T09:30:00Z");
    static final Owner SELF = new Owner("runner-a", "boot-1", "pid:[4026531836]", 4242, Optional.of(Instant.parse("2026-12-07T09:55:00Z")));

    /** Processes of this namespace: PID 77 runs, started at {@code started77} (empty: cannot be read). */
    static Owner.Processes only77(Optional<Instant> started77) {
        return new Owner.Processes() {
            @Override
            public boolean alive(long pid) {
                return pid == 77;
            }

            @Override
            public Optional<Instant> started(long pid) {
                return pid == 77 ? started77 : Optional.empty();
            }
        };
    }

    static Map<String, String> labelsOf(String host, String boot, String pidns, long pid, Instant started) {
        return new Owner(host, boot, pidns, pid, Optional.of(started)).labels();
    }

    @Test
    void aLeftoverOfAGoneProcessOfThisNamespaceIsAnOrphan() {
        assertThat(SELF.orphan(labelsOf("runner-a", "boot-1", "pid:[4026531836]", 78, STARTED), NOW.minusSeconds(60), NOW,
                only77(Optional.of(STARTED)))).hasValue("its owner, process 78, is gone");
    }

    @Test
    void aLeftoverOfALiveProcessIsNotButOfAReusedPidIs() {
        Map<String, String> labels = labelsOf("runner-a", "boot-1", "pid:[4026531836]", 77, STARTED);
        assertThat(SELF.orphan(labels, NOW.minusSeconds(60), NOW, only77(Optional.of(STARTED.plusMillis(300))))).isEmpty();
        assertThat(SELF.orphan(labels, NOW.minusSeconds(60), NOW, only77(Optional.empty()))).as("start time unreadable: alive").isEmpty();
        assertThat(SELF.orphan(labels, NOW.minusSeconds(60), NOW, only77(Optional.of(STARTED.plusSeconds(600)))))
                .hasValueSatisfying(w -> assertThat(w).startsWith("process 77 is another one than its owner"));
    }

    /** The case review 2 found: a second job's container on a shared daemon, whose PID means nothing here. */
    @Test
    void aLeftoverOfAnotherPidNamespaceIsLeftAloneUntilItIsOlderThanAnyRun() {
        Map<String, String> labels = labelsOf("runner-b", "boot-1", "pid:[4026532999]", 78, STARTED);
        assertThat(SELF.orphan(labels, NOW.minusSeconds(600), NOW, only77(Optional.empty()))).isEmpty();
        assertThat(SELF.orphan(labels, NOW.minus(Owner.ABANDONED_AFTER).minusSeconds(1), NOW, only77(Optional.empty())))
                .hasValueSatisfying(w -> assertThat(w).contains("out of sight").contains("runner-b").contains("longer than any run"));
    }

    @Test
    void aLeftoverFromBeforeThisMachineRebootedIsAnOrphanButAnotherMachinesIsNot() {
        assertThat(SELF.orphan(labelsOf("runner-a", "boot-0", "pid:[4026531836]", 77, STARTED), NOW.minusSeconds(60), NOW,
                only77(Optional.of(STARTED)))).hasValue("its owner ran before this machine rebooted");
        assertThat(SELF.orphan(labelsOf("runner-c", "boot-9", "pid:[4026531836]", 78, STARTED), NOW.minusSeconds(60), NOW,
                only77(Optional.empty()))).isEmpty();
    }

    @Test
    void aLeftoverLabelledByAnOlderHarnessGoesOnlyByAge() {
        Map<String, String> old = new HashMap<>(Map.of(RunLabels.LAB, "true", RunLabels.PID, "78"));
        assertThat(SELF.orphan(old, NOW.minus(Duration.ofHours(1)), NOW, only77(Optional.empty()))).isEmpty();
        assertThat(SELF.orphan(old, NOW.minus(Duration.ofHours(7)), NOW, only77(Optional.empty()))).isPresent();
    }

    @Test
    void thisProcessNamesItselfCompletely() {
        Map<String, String> labels = RunLabels.of("run-1");
        assertThat(labels).containsKeys(Owner.HOST, Owner.BOOT, Owner.PID_NAMESPACE, Owner.STARTED, RunLabels.PID)
                .containsEntry(RunLabels.PID, Long.toString(ProcessHandle.current().pid()));
        assertThat(labels.get(Owner.PID_NAMESPACE)).startsWith("pid:[");
        assertThat(Owner.current().orphan(labels, Instant.now(), Instant.now(), Owner.Processes.LOCAL)).as("its own containers").isEmpty();
    }
}
