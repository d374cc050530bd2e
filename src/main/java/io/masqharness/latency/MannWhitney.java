package io.masqharness.latency;

import java.util.Arrays;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Two-sided Mann-Whitney U (Wilcoxon rank-sum) test with the exact p-value: the rank sum's
 * permutation distribution, counted over every way to split the pooled values, ties kept as
 * mid-ranks. A handful of trials a side is what latency runs afford, and there the usual normal
 * approximation is wrong by a factor of two (commons-math 3.6 gives 0.0495 for 3 vs 3 completely
 * separated; the exact value is 0.1). Above {@link #EXACT_LIMIT} values in all, the normal
 * approximation with tie and continuity corrections is used.
 */
public final class MannWhitney {

    static final int EXACT_LIMIT = 100;

    private MannWhitney() {
    }

    /** Two-sided p-value for "a and b come from the same distribution". */
    public static double pValue(double[] a, double[] b) {
        if (a.length == 0 || b.length == 0) {
            throw new IllegalArgumentException("a rank test needs values on both sides (" + a.length + " vs " + b.length + ")");
        }
        return a.length + b.length <= EXACT_LIMIT ? exact(a, b) : normal(a, b);
    }

    /** The smallest two-sided p-value any data can give with n values against m: 2 / C(n+m, n). */
    public static double smallestPValue(int n, int m) {
        return Math.min(1.0, 2.0 / binomial(n + m, Math.min(n, m)));
    }

    /** The fewest trials a side (n against n) whose smallest p-value is at most {@code alpha}. */
    public static int trialsNeeded(double alpha) {
        if (!(alpha > 0)) {
            throw new IllegalArgumentException("alpha must be above 0, got " + alpha);
        }
        int n = 1;
        while (smallestPValue(n, n) > alpha) {
            n++;
        }
        return n;
    }

    /** Ranks of the pooled values, doubled so that mid-ranks of ties stay whole numbers. */
    static int[] doubledRanks(double[] pooled) {
        Integer[] order = new Integer[pooled.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(pooled[x], pooled[y]));
        int[] ranks = new int[pooled.length];
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && pooled[order[j + 1]] == pooled[order[i]]) {
                j++;
            }
            // Positions i..j (0-based) share the mid-rank ((i+1)+(j+1))/2; doubled: i+j+2.
            for (int k = i; k <= j; k++) {
                ranks[order[k]] = i + j + 2;
            }
            i = j + 1;
        }
        return ranks;
    }

    static double exact(double[] a, double[] b) {
        if (a.length > b.length) {
            // Two-sided p is the same either way round; counting subsets of the smaller side is cheaper.
            return exact(b, a);
        }
        double[] pooled = concat(a, b);
        int[] ranks = doubledRanks(pooled);
        int n = a.length;
        int total = 0;
        int observed = 0;
        for (int i = 0; i < ranks.length; i++) {
            total += ranks[i];
            observed += i < n ? ranks[i] : 0;
        }
        // ways[k][s]: how many k-subsets of the pooled values have doubled rank sum s.
        double[][] ways = new double[n + 1][total + 1];
        ways[0][0] = 1;
        for (int i = 0; i < ranks.length; i++) {
            for (int k = Math.min(i + 1, n); k >= 1; k--) {
                for (int s = total - ranks[i]; s >= 0; s--) {
                    ways[k][s + ranks[i]] += ways[k - 1][s];
                }
            }
        }
        double all = 0;
        double atMost = 0;
        double atLeast = 0;
        for (int s = 0; s <= total; s++) {
            all += ways[n][s];
            atMost += s <= observed ? ways[n][s] : 0;
            atLeast += s >= observed ? ways[n][s] : 0;
        }
        return Math.min(1.0, 2 * Math.min(atMost, atLeast) / all);
    }

    static double normal(double[] a, double[] b) {
        double[] pooled = concat(a, b);
        int[] ranks = doubledRanks(pooled);
        double n = a.length;
        double m = b.length;
        double bigN = n + m;
        double rankSum = 0;
        for (int i = 0; i < a.length; i++) {
            rankSum += ranks[i] / 2.0;
        }
        double u = rankSum - n * (n + 1) / 2;
        double[] sorted = pooled.clone();
        Arrays.sort(sorted);
        double ties = 0;
        int i = 0;
        while (i < sorted.length) {
            int j = i;
            while (j + 1 < sorted.length && sorted[j + 1] == sorted[i]) {
                j++;
            }
            double t = j - i + 1;
            ties += t * t * t - t;
            i = j + 1;
        }
        double variance = n * m / 12 * ((bigN + 1) - ties / (bigN * (bigN - 1)));
        if (variance == 0) {
            return 1.0;
        }
        double z = (Math.abs(u - n * m / 2) - 0.5) / Math.sqrt(variance);
        return Math.min(1.0, 2 * (1 - new NormalDistribution().cumulativeProbability(Math.max(0, z))));
    }

    private static double binomial(int n, int k) {
        double c = 1;
        for (int i = 1; i <= k; i++) {
            c = c * (n - k + i) / i;
        }
        return c;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] pooled = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, pooled, a.length, b.length);
        return pooled;
    }
}
