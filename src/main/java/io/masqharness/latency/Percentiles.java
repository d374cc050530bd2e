package io.masqharness.latency;

import java.util.Arrays;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.apache.commons.math3.distribution.BinomialDistribution;

/**
 * Percentiles with distribution-free 95% confidence intervals: the bounds are order statistics
 * chosen from the binomial distribution of how many samples fall below the true percentile, so no
 * shape is assumed. Values are read from the histogram (3 significant digits).
 */
public record Percentiles(long count, List<Estimate> estimates, long max) {

    public static final double[] LEVELS = {50, 90, 99, 99.9};

    /** @param low  lower 95% bound, µs
     *  @param high upper 95% bound, µs */
    public record Estimate(double percentile, long value, long low, long high) {
    }

    public static Percentiles of(Histogram h) {
        long n = h.getTotalCount();
        List<Estimate> estimates = Arrays.stream(LEVELS).mapToObj(p -> estimate(h, n, p)).toList();
        return new Percentiles(n, estimates, n == 0 ? 0 : h.getMaxValue());
    }

    private static Estimate estimate(Histogram h, long n, double p) {
        if (n == 0) {
            return new Estimate(p, 0, 0, 0);
        }
        long value = h.getValueAtPercentile(p);
        if (n > Integer.MAX_VALUE) {
            return new Estimate(p, value, value, value);
        }
        BinomialDistribution b = new BinomialDistribution((int) n, p / 100);
        long lowRank = Math.max(1, b.inverseCumulativeProbability(0.025));
        long highRank = Math.min(n, b.inverseCumulativeProbability(0.975) + 1L);
        return new Estimate(p, value, h.getValueAtPercentile(100.0 * lowRank / n), h.getValueAtPercentile(100.0 * highRank / n));
    }

    public Estimate at(double percentile) {
        return estimates.stream().filter(e -> e.percentile() == percentile).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no estimate at p" + percentile));
    }
}
