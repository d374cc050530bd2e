package io.masqharness.scenario;

import java.time.Duration;
import java.util.List;

/**
 * @param minEffect relative effect-size floor, e.g. 0.05 for 5%
 */
public record LatencySpec(List<String> kinds, int rate, Duration duration, int trials, double minEffect, double alpha) {
    public static final List<String> KINDS = List.of("tcp-rr", "tcp-crr", "udp-rr");

    public LatencySpec {
        kinds = List.copyOf(kinds);
    }
}
