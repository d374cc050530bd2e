package io.masqharness.scenario;

import io.masqharness.net.Family;
import java.time.Duration;
import java.util.List;

/**
 * @param minEffect relative effect-size floor, e.g. 0.05 for 5%
 * @param gate      the per-trial metrics whose regression fails the run ("p50", "p99"); the others are reported only
 * @param families  the address families to measure (default: IPv4 only)
 * @param warmup    how long each measurement runs before it records (connections, the client's JIT), default {@link #WARMUP}
 */
public record LatencySpec(List<String> kinds, int rate, Duration duration, int trials, double minEffect, double alpha,
                          List<String> gate, List<Family> families, Duration warmup) {
    public static final List<String> KINDS = List.of("tcp-rr", "tcp-crr", "udp-rr");
    public static final List<String> METRICS = List.of("p50", "p99");
    public static final Duration WARMUP = Duration.ofMillis(500);

    /** The default warm-up. */
    public LatencySpec(List<String> kinds, int rate, Duration duration, int trials, double minEffect, double alpha,
                       List<String> gate, List<Family> families) {
        this(kinds, rate, duration, trials, minEffect, alpha, gate, families, WARMUP);
    }

    public LatencySpec {
        kinds = List.copyOf(kinds);
        gate = List.copyOf(gate);
        families = List.copyOf(families);
    }

    /** IPv4 only. */
    public LatencySpec(List<String> kinds, int rate, Duration duration, int trials, double minEffect, double alpha,
                       List<String> gate) {
        this(kinds, rate, duration, trials, minEffect, alpha, gate, List.of(Family.IPV4));
    }
}
