package io.masqharness.latency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Known exact values, and every split enumerated by brute force as an independent check. */
class MannWhitneyTest {

    static double[] values(double... v) {
        return v;
    }

    /** Every split of the pooled values into n and m, the rank sums compared with the observed one: the definition. */
    static double bruteForce(double[] a, double[] b) {
        double[] pooled = new double[a.length + b.length];
        System.arraycopy(a, 0, pooled, 0, a.length);
        System.arraycopy(b, 0, pooled, a.length, b.length);
        double[] rank = new double[pooled.length];
        for (int i = 0; i < pooled.length; i++) {
            double below = 0;
            double equal = 0;
            for (double v : pooled) {
                below += v < pooled[i] ? 1 : 0;
                equal += v == pooled[i] ? 1 : 0;
            }
            rank[i] = below + (equal + 1) / 2;
        }
        double observed = 0;
        for (int i = 0; i < a.length; i++) {
            observed += rank[i];
        }
        int splits = 0;
        int atMost = 0;
        int atLeast = 0;
        for (int mask = 0; mask < 1 << pooled.length; mask++) {
            if (Integer.bitCount(mask) != a.length) {
                continue;
            }
            double sum = 0;
            for (int i = 0; i < pooled.length; i++) {
                sum += (mask >> i & 1) == 1 ? rank[i] : 0;
            }
            splits++;
            atMost += sum <= observed + 1e-9 ? 1 : 0;
            atLeast += sum >= observed - 1e-9 ? 1 : 0;
        }
        return Math.min(1.0, 2.0 * Math.min(atMost, atLeast) / splits);
    }

    @Test
    void completeSeparationGivesTwoOverTheNumberOfSplits() {
        assertThat(MannWhitney.pValue(values(154, 105, 126), values(184, 201, 168))).isCloseTo(0.1, offset(1e-12));
        assertThat(MannWhitney.pValue(values(1, 2, 3, 4, 5), values(6, 7, 8, 9, 10))).isCloseTo(2.0 / 252, offset(1e-12));
        assertThat(MannWhitney.pValue(values(6, 7, 8, 9, 10), values(1, 2, 3, 4, 5))).as("either direction")
                .isCloseTo(2.0 / 252, offset(1e-12));
        assertThat(MannWhitney.pValue(values(100, 101, 102, 103, 104, 105, 106, 107), values(200, 201, 202, 203, 204, 205, 206, 207)))
                .isCloseTo(2.0 / 12870, offset(1e-12));
    }

    /** R's wilcox.test example (x vs y, alternative "greater": W = 35, p = 0.1272); two-sided is twice that. */
    @Test
    void matchesRsExactWilcoxonRankSum() {
        double[] x = values(0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46);
        double[] y = values(1.15, 0.88, 0.90, 0.74, 1.21);
        assertThat(MannWhitney.pValue(x, y)).isCloseTo(0.2544, offset(1e-4));
        assertThat(MannWhitney.pValue(y, x)).isCloseTo(0.2544, offset(1e-4));
    }

    @Test
    void agreesWithEveryEnumeratedSplitTiesIncluded() {
        Random r = new Random(11);
        for (int round = 0; round < 200; round++) {
            int n = 1 + r.nextInt(6);
            int m = 1 + r.nextInt(7);
            // Few distinct values, so ties are common.
            double[] a = r.doubles(n, 0, 6).map(Math::floor).toArray();
            double[] b = r.doubles(m, 1, 7).map(Math::floor).toArray();
            assertThat(MannWhitney.pValue(a, b)).as("%s vs %s", Arrays.toString(a), Arrays.toString(b))
                    .isCloseTo(bruteForce(a, b), offset(1e-12));
        }
    }

    @Test
    void identicalSamplesAreNoEvidenceOfADifference() {
        assertThat(MannWhitney.pValue(values(5, 5, 5), values(5, 5, 5, 5))).isEqualTo(1.0);
        assertThat(MannWhitney.pValue(values(1, 2, 3), values(1, 2, 3))).isEqualTo(1.0);
    }

    @Test
    void midRanksOfTiesAreDoubledToStayWhole() {
        assertThat(MannWhitney.doubledRanks(values(10, 20, 20, 30, 10, 20))).containsExactly(3, 8, 8, 12, 3, 8);
    }

    @Test
    void largeSamplesUseTheNormalApproximationWhichAgreesWithTheExactCount() {
        Random r = new Random(3);
        double[] a = r.doubles(51, 100, 200).map(Math::rint).toArray();
        double[] b = r.doubles(51, 110, 210).map(Math::rint).toArray();
        double exact = MannWhitney.exact(a, b);
        assertThat(exact).isBetween(0.001, 0.5);
        assertThat(MannWhitney.pValue(a, b)).as("102 values: approximated").isNotEqualTo(exact).isCloseTo(exact, offset(0.01));
        double[] c = r.doubles(60, 100, 200).toArray();
        double[] d = r.doubles(60, 100, 200).map(v -> v + 1000).toArray();
        assertThat(MannWhitney.pValue(c, d)).isLessThan(1e-15);
        assertThat(MannWhitney.normal(values(7, 7, 7), values(7, 7))).isEqualTo(1.0);
    }

    @Test
    void theSmallestReachablePValueDependsOnlyOnHowManyTrials() {
        assertThat(MannWhitney.smallestPValue(3, 3)).isCloseTo(0.1, offset(1e-12));
        assertThat(MannWhitney.smallestPValue(5, 5)).isCloseTo(2.0 / 252, offset(1e-12));
        assertThat(MannWhitney.smallestPValue(4, 20)).isCloseTo(2.0 / 10626, offset(1e-15));
        assertThat(MannWhitney.smallestPValue(20, 4)).isCloseTo(2.0 / 10626, offset(1e-15));
        assertThat(MannWhitney.smallestPValue(1, 1)).isEqualTo(1.0);
    }

    @Test
    void trialsNeededIsTheFewestThatCanReachAlpha() {
        assertThat(MannWhitney.trialsNeeded(0.5)).isEqualTo(2);
        assertThat(MannWhitney.trialsNeeded(0.1)).isEqualTo(3);
        assertThat(MannWhitney.trialsNeeded(0.05)).isEqualTo(4);
        assertThat(MannWhitney.trialsNeeded(0.01)).isEqualTo(5);
        assertThat(MannWhitney.trialsNeeded(2.0 / 252)).isEqualTo(5);
        assertThat(MannWhitney.trialsNeeded(0.0079)).isEqualTo(6);
        assertThat(MannWhitney.trialsNeeded(0.001)).isEqualTo(7);
        assertThatThrownBy(() -> MannWhitney.trialsNeeded(0)).hasMessageContaining("alpha must be above 0");
    }

    @Test
    void anEmptySideIsRefused() {
        assertThatThrownBy(() -> MannWhitney.pValue(values(), values(1, 2))).hasMessageContaining("0 vs 2");
        assertThatThrownBy(() -> MannWhitney.pValue(values(1), values())).hasMessageContaining("1 vs 0");
    }

    @Test
    void aHundredValuesAreStillCountedExactlyAndHeavyTiesApproximatedClosely() {
        Random r = new Random(17);
        double[] a = r.doubles(50, 0, 5).map(Math::floor).toArray();
        double[] b = r.doubles(50, 0.5, 5.5).map(Math::floor).toArray();
        assertThat(MannWhitney.pValue(a, b)).as("100 values: exact").isEqualTo(MannWhitney.exact(a, b));
        // Five distinct values among 120: without the tie correction the variance, and p, would be far off.
        double[] c = r.doubles(60, 0, 5).map(Math::floor).toArray();
        double[] d = r.doubles(60, 0.6, 5.6).map(Math::floor).toArray();
        double exact = MannWhitney.exact(c, d);
        assertThat(exact).isBetween(0.0005, 0.5);
        assertThat(MannWhitney.pValue(c, d)).isCloseTo(exact, offset(0.1 * exact));
    }

    /**
     * 101 values, two tied groups, worked by hand: value 1 (50 of them, mid-rank 25.5) and value 2 (51,
     * mid-rank 76). a = 30 ones and 21 twos: R = 30 * 25.5 + 21 * 76 = 2361, U = 2361 - 51 * 52 / 2 = 1035,
     * mean 51 * 50 / 2 = 1275. Ties: (50^3 - 50) + (51^3 - 51) = 257550, so the variance is
     * 51 * 50 / 12 * (102 - 257550 / (101 * 100)) = 16256.25, sd 127.5; with the continuity correction
     * z = (240 - 0.5) / 127.5.
     */
    @Test
    void theNormalApproximationCorrectsForTiesAndContinuity() {
        double[] a = new double[51];
        double[] b = new double[50];
        java.util.Arrays.fill(a, 0, 30, 1);
        java.util.Arrays.fill(a, 30, 51, 2);
        java.util.Arrays.fill(b, 0, 20, 1);
        java.util.Arrays.fill(b, 20, 50, 2);
        double expected = 2 * (1 - new org.apache.commons.math3.distribution.NormalDistribution().cumulativeProbability(239.5 / 127.5));
        assertThat(MannWhitney.pValue(a, b)).isCloseTo(expected, offset(1e-12));
        assertThat(MannWhitney.pValue(b, a)).isCloseTo(expected, offset(1e-12));
    }
}
