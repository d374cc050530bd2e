package io.masqharness.probe.agent;

import java.util.concurrent.locks.LockSupport;

/**
 * Waits for a send deadline: parks until {@code spinNs} before it, then spins. A parked thread
 * wakes late by the kernel's timer slack (50 µs by default) plus its scheduling delay, so the
 * spin window must cover both for requests to leave on time; spinning costs a core meanwhile.
 */
final class Pacer {

    private final long spinNs;

    Pacer(long spinNs) {
        this.spinNs = spinNs;
    }

    /** Returns the time it woke: at or after the deadline. */
    long await(long deadline) {
        long now;
        while ((now = System.nanoTime()) < deadline - spinNs) {
            LockSupport.parkNanos(deadline - now - spinNs);
        }
        while ((now = System.nanoTime()) < deadline) {
            Thread.onSpinWait();
        }
        return now;
    }
}
