package io.masqharness.latency;

import org.HdrHistogram.Histogram;

/**
 * One latency trial: a mode, a kind (tcp-rr, tcp-crr, udp-rr), a path (pod or host network), its
 * histogram in microseconds, and what did not complete.
 */
public record Trial(String mode, String kind, String path, int index, Histogram histogram, int sent, int completed, int errors,
                    String loop) {

    /** Microseconds, 1 µs to 60 s, 3 significant digits (quantized to 0.1% or better). */
    public static Histogram newHistogram() {
        return new Histogram(1, 60_000_000, 3);
    }

    public String tag() {
        return mode + "." + kind + "." + path + "." + loop + ".t" + index;
    }
}
