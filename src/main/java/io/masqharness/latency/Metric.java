package io.masqharness.latency;

import java.util.List;

/**
 * The per-trial metrics a kind is judged on, and which way is better. Latency kinds: {@code p50},
 * {@code p99} in microseconds, lower is better. {@code tcp-stream}: {@code goodput} in bits per
 * second, higher is better (a drop is the regression), and {@code retransmits}, lower is better.
 * A verdict's {@code slower} always means worse on its metric, so one gate reads them all.
 */
public final class Metric {

    public static final List<String> LATENCY = List.of("p50", "p99");
    public static final List<String> THROUGHPUT = List.of("goodput", "retransmits");
    public static final List<String> ALL = List.of("p50", "p99", "goodput", "retransmits");

    private Metric() {
    }

    /** The metrics of a kind: {@link #THROUGHPUT} for tcp-stream, else {@link #LATENCY}. */
    public static List<String> of(String kind) {
        return StreamTrial.KIND.equals(kind) ? THROUGHPUT : LATENCY;
    }

    /** Goodput: more is better. Latencies and retransmissions: less is. */
    public static boolean higherIsBetter(String metric) {
        return metric.equals("goodput");
    }

    /** The unit of a metric's values, as summary.json names it: {@code us}, {@code bit/s} or {@code count}. */
    public static String unit(String metric) {
        return switch (metric) {
            case "goodput" -> "bit/s";
            case "retransmits" -> "count";
            default -> "us";
        };
    }
}
