package io.masqharness.latency;

import org.HdrHistogram.Histogram;

/**
 * One latency trial: a mode, a kind (tcp-rr, tcp-crr, udp-rr), a path (pod or host network), its
 * histogram in microseconds, what did not complete, and the sender's lateness (actual minus
 * intended send time, µs): the instrument's own error, counted in open-loop latencies.
 */
public record Trial(String mode, String kind, String path, int index, Histogram histogram, int sent, int completed, int errors,
                    String loop, Histogram lateness) {

    /** A trial whose sender's lateness was not recorded. */
    public Trial(String mode, String kind, String path, int index, Histogram histogram, int sent, int completed, int errors,
                 String loop) {
        this(mode, kind, path, index, histogram, sent, completed, errors, loop, newHistogram());
    }

    /** Microseconds, 1 µs to 60 s, 3 significant digits (quantized to 0.1% or better). */
    public static Histogram newHistogram() {
        return new Histogram(1, 60_000_000, 3);
    }

    public String tag() {
        return mode + "." + kind + "." + path + "." + loop + ".t" + index;
    }

    public boolean openLoop() {
        return loop.equals("open");
    }
}
