package io.masqharness.conformance;

import java.util.Arrays;
import java.util.List;

/**
 * The per-round ratios of one pair and one percentile, summarised: median, quartiles (the median of
 * each half, the lower and upper half excluding the median when the count is odd: Tukey's hinges)
 * and range. The median is what the target is judged on; the spread says how far one round can be
 * trusted.
 */
public record RatioSpread(double median, double q1, double q3, double min, double max, int rounds) {

    public static RatioSpread of(List<Double> ratios) {
        if (ratios.isEmpty()) {
            throw new IllegalArgumentException("no ratios");
        }
        double[] v = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        int half = n / 2;
        double q1 = n == 1 ? v[0] : median(Arrays.copyOfRange(v, 0, half));
        double q3 = n == 1 ? v[0] : median(Arrays.copyOfRange(v, n - half, n));
        return new RatioSpread(median(v), q1, q3, v[0], v[n - 1], n);
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Whether the median lies within {@code tolerance} (0.05: ±5%) of 1. */
    public boolean withinOfOne(double tolerance) {
        return Math.abs(median - 1) <= tolerance + 1e-12;
    }

    @Override
    public String toString() {
        return String.format("median %.3f, IQR %.3f-%.3f, range %.3f-%.3f over %d rounds", median, q1, q3, min, max, rounds);
    }
}
