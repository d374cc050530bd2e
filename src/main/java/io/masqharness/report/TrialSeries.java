package io.masqharness.report;

import java.util.List;

/**
 * A mode x kind x path x loop's per-trial values, as a run's summary or a history line keeps them:
 * value {@code i} of a metric is trial {@code i}'s, and {@link #leftOut} names the trials no verdict may use.
 */
public interface TrialSeries {

    String mode();

    String kind();

    String path();

    String loop();

    List<Long> trials(String metric);

    List<Integer> leftOut(String metric);

    /** The trials a verdict may use: those not left out. */
    default List<Long> usable(String metric) {
        List<Long> values = trials(metric);
        List<Integer> out = leftOut(metric);
        return java.util.stream.IntStream.range(0, values.size()).filter(i -> !out.contains(i)).mapToObj(values::get).toList();
    }

    default String key() {
        return mode() + "|" + kind() + "|" + path() + "|" + loop();
    }
}
