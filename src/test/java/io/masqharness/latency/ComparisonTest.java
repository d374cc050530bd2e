package io.masqharness.latency;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Synthetic latency trials with known answers. */
class ComparisonTest {

    static final double MIN_EFFECT = 0.05;
    static final double ALPHA = 0.01;

    /** Per-trial percentile of {@code trials} trials of 5000 samples each. */
    static List<Double> trials(int trials, double percentile, DoubleSupplier sample) {
        List<Double> values = new ArrayList<>();
        for (int t = 0; t < trials; t++) {
            Histogram h = Trial.newHistogram();
            for (int i = 0; i < 5000; i++) {
                h.recordValue(Math.max(1, Math.round(sample.getAsDouble())));
            }
            values.add((double) h.getValueAtPercentile(percentile));
        }
        return values;
    }

    static DoubleSupplier base(Random r) {
        return () -> 100 + r.nextGaussian() * 5 + (-Math.log(1 - r.nextDouble()) * 10);
    }

    @Test
    void sameDistributionIsSame() {
        Random r = new Random(1);
        Comparison c = Comparison.of(trials(7, 50, base(r)), trials(7, 50, base(r)), MIN_EFFECT, ALPHA);
        assertThat(c.verdict()).isEqualTo(Comparison.Verdict.SAME);
        assertThat(Math.abs(c.relativeEffect())).isLessThan(0.02);
    }

    @Test
    void shiftedDistributionIsSlower() {
        Random r = new Random(2);
        DoubleSupplier b = base(r);
        Comparison c = Comparison.of(trials(7, 50, b), trials(7, 50, () -> b.getAsDouble() * 1.2), MIN_EFFECT, ALPHA);
        assertThat(c.verdict()).isEqualTo(Comparison.Verdict.SLOWER);
        assertThat(c.relativeEffect()).isBetween(0.15, 0.25);
        assertThat(c.pValue()).isLessThanOrEqualTo(ALPHA);
    }

    @Test
    void fasterIsFaster() {
        Random r = new Random(3);
        DoubleSupplier b = base(r);
        assertThat(Comparison.of(trials(7, 50, b), trials(7, 50, () -> b.getAsDouble() * 0.8), MIN_EFFECT, ALPHA).verdict())
                .isEqualTo(Comparison.Verdict.FASTER);
    }

    @Test
    void aWiderTailShowsAtP99NotAtP50() {
        Random r = new Random(4);
        DoubleSupplier b = base(r);
        DoubleSupplier tail = () -> b.getAsDouble() + (r.nextDouble() < 0.03 ? 400 : 0);
        assertThat(Comparison.of(trials(7, 50, b), trials(7, 50, tail), MIN_EFFECT, ALPHA).verdict())
                .isEqualTo(Comparison.Verdict.SAME);
        assertThat(Comparison.of(trials(7, 99, b), trials(7, 99, tail), MIN_EFFECT, ALPHA).verdict())
                .isEqualTo(Comparison.Verdict.SLOWER);
    }

    @Test
    void tooFewTrialsIsInconclusive() {
        Random r = new Random(5);
        DoubleSupplier b = base(r);
        Comparison c = Comparison.of(trials(2, 50, b), trials(2, 50, () -> b.getAsDouble() * 2), MIN_EFFECT, ALPHA);
        assertThat(c.verdict()).isEqualTo(Comparison.Verdict.INCONCLUSIVE);
        assertThat(c.why()).contains("too few trials");
    }

    @Test
    void aRealButUnprovenShiftIsInconclusive() {
        // Large trial-to-trial noise: a 10% shift cannot reach alpha with 4 trials a side.
        Random r = new Random(6);
        List<Double> a = List.of(100.0, 140.0, 80.0, 120.0);
        List<Double> b = List.of(110.0, 150.0, 90.0, 125.0);
        Comparison c = Comparison.of(a, b, MIN_EFFECT, ALPHA);
        assertThat(c.verdict()).isEqualTo(Comparison.Verdict.INCONCLUSIVE);
        assertThat(c.why()).contains("run more trials");
    }

    /** Seen in a lab run: 3 vs 3 completely separated trials once came out "slower" with p = 0. */
    @Test
    void threeAgainstThreeCanNeverBeSignificantAtOnePercent() {
        Comparison c = Comparison.of(List.of(154.0, 105.0, 126.0), List.of(184.0, 201.0, 168.0), MIN_EFFECT, ALPHA);
        assertThat(c.verdict()).isEqualTo(Comparison.Verdict.INCONCLUSIVE);
        // Exact p is 0.1 for both tests; Mann-Whitney's normal approximation (commons-math3 3.6) says 0.0495.
        assertThat(c.pValue()).isGreaterThan(0.04);
    }

    @Test
    void twoTestsOneVerdictIsBonferroniCorrected() {
        List<Double> before = List.of(100.0, 101.0, 102.0, 103.0, 104.0, 105.0, 106.0, 107.0);
        List<Double> after = List.of(200.0, 201.0, 202.0, 203.0, 204.0, 205.0, 206.0, 207.0);
        Comparison c = Comparison.of(before, after, MIN_EFFECT, ALPHA);
        // Complete separation of 8 vs 8: the exact two-sided KS P(D >= 1) is 2 / C(16, 8) = 2 / 12870, smaller
        // than Mann-Whitney's; two tests double it.
        assertThat(c.pValue()).isCloseTo(2 * 2.0 / 12870, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(c.verdict()).isEqualTo(Comparison.Verdict.SLOWER);
    }
}
