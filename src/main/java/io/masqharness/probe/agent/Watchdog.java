package io.masqharness.probe.agent;

import java.io.Closeable;
import java.io.IOException;
import java.util.concurrent.locks.LockSupport;

/**
 * Closes a socket when no progress was reported for a while, so a read can block without a socket
 * timeout (which would make the JDK poll before every read) and still never hang a probe.
 */
final class Watchdog implements AutoCloseable {

    private final Closeable target;
    private final long stallNs;
    private volatile long lastProgressNs = System.nanoTime();
    private volatile boolean done;
    private volatile boolean fired;

    private Watchdog(Closeable target, long stallMs) {
        this.target = target;
        this.stallNs = stallMs * 1_000_000;
    }

    static Watchdog closeOnStall(Closeable target, long stallMs) {
        Watchdog w = new Watchdog(target, stallMs);
        Thread t = new Thread(w::watch, "watchdog");
        t.setDaemon(true);
        t.start();
        return w;
    }

    void progress() {
        lastProgressNs = System.nanoTime();
    }

    /** Whether it closed the target. */
    boolean fired() {
        return fired;
    }

    private void watch() {
        long checkNs = Math.max(1_000_000, stallNs / 20);
        while (!done) {
            LockSupport.parkNanos(checkNs);
            if (!done && System.nanoTime() - lastProgressNs > stallNs) {
                fired = true;
                try {
                    target.close();
                } catch (IOException ignored) {
                    // Closing is all it does; the blocked reader reports the error.
                }
                return;
            }
        }
    }

    @Override
    public void close() {
        done = true;
    }
}
