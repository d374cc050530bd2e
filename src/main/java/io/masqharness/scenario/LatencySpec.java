package io.masqharness.scenario;

import io.masqharness.net.Family;
import java.time.Duration;
import java.util.List;

/**
 * @param minEffect relative effect-size floor, e.g. 0.05 for 5%
 * @param gate      the per-trial metrics whose regression fails the run ("p50", "p99"); the others are reported only
 * @param families  the address families to measure (default: IPv4 only)
 * @param warmup    how long each measurement runs before it records (connections, the client's JIT), default {@link #WARMUP};
 *                  {@code tcp-stream} omits it rounded up to whole seconds ({@code iperf3 -O})
 * @param streams   parallel TCP streams of a {@code tcp-stream} measurement ({@code iperf3 -P}), 1 to {@link #MAX_STREAMS}
 */
public record LatencySpec(List<String> kinds, int rate, Duration duration, int trials, double minEffect, double alpha,
                          List<String> gate, List<Family> families, Duration warmup, int streams) {
    public static final List<String> KINDS = List.of("tcp-rr", "tcp-crr", "udp-rr", "tcp-stream");
    /** Every metric a gate may list: latency percentiles, and tcp-stream's goodput and retransmissions. */
    public static final List<String> METRICS = io.masqharness.latency.Metric.ALL;
    public static final Duration WARMUP = Duration.ofMillis(500);
    /** Enough to fill a 2-core lab or a 10G NIC; more only measures the machine's scheduler. */
    public static final int MAX_STREAMS = 8;

    /** One stream per tcp-stream measurement. */
    public LatencySpec(List<String> kinds, int rate, Duration duration, int trials, double minEffect, double alpha,
                       List<String> gate, List<Family> families, Duration warmup) {
        this(kinds, rate, duration, trials, minEffect, alpha, gate, families, warmup, 1);
    }

    /** The default warm-up. */
    public LatencySpec(List<String> kinds, int rate, Duration duration, int trials, double minEffect, double alpha,
                       List<String> gate, List<Family> families) {
        this(kinds, rate, duration, trials, minEffect, alpha, gate, families, WARMUP);
    }

    public LatencySpec {
        kinds = List.copyOf(kinds);
        gate = List.copyOf(gate);
        families = List.copyOf(families);
        if (streams < 1 || streams > MAX_STREAMS) {
            throw new IllegalArgumentException("streams " + streams + " outside 1.." + MAX_STREAMS);
        }
    }

    /** Whether the block measures throughput ({@code tcp-stream}). */
    public boolean streamsKind() {
        return kinds.contains(io.masqharness.latency.StreamTrial.KIND);
    }

    /** IPv4 only. */
    public LatencySpec(List<String> kinds, int rate, Duration duration, int trials, double minEffect, double alpha,
                       List<String> gate) {
        this(kinds, rate, duration, trials, minEffect, alpha, gate, List.of(Family.IPV4));
    }
}
