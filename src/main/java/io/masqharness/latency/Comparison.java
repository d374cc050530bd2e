package io.masqharness.latency;

import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.apache.commons.math3.stat.inference.KolmogorovSmirnovTest;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;

/**
 * Compares a metric (e.g. per-trial p50) between a baseline and a candidate: a rank test
 * (Mann-Whitney U, and Kolmogorov-Smirnov; the smaller p counts, as Chromium's Pinpoint does) plus
 * an effect-size floor. Four verdicts: faster, slower, same, inconclusive (run more trials).
 */
public record Comparison(Verdict verdict, double baselineMedian, double candidateMedian, double relativeEffect,
                         double pValue, int baselineTrials, int candidateTrials, String why) {

    public enum Verdict { FASTER, SLOWER, SAME, INCONCLUSIVE }

    /** Below this many trials on a side, no rank test can reach a useful significance. */
    public static final int MIN_TRIALS = 3;

    /**
     * @param minEffect relative change below which a difference is "same" however significant (e.g. 0.05)
     * @param alpha     significance level (e.g. 0.01)
     */
    public static Comparison of(List<Double> baseline, List<Double> candidate, double minEffect, double alpha) {
        double[] a = baseline.stream().mapToDouble(Double::doubleValue).toArray();
        double[] b = candidate.stream().mapToDouble(Double::doubleValue).toArray();
        double ma = a.length == 0 ? Double.NaN : new Median().evaluate(a);
        double mb = b.length == 0 ? Double.NaN : new Median().evaluate(b);
        double effect = (mb - ma) / ma;
        if (a.length < MIN_TRIALS || b.length < MIN_TRIALS) {
            return new Comparison(Verdict.INCONCLUSIVE, ma, mb, effect, Double.NaN, a.length, b.length,
                    "too few trials (" + a.length + " vs " + b.length + "; at least " + MIN_TRIALS + " each): run more");
        }
        double pMw = new MannWhitneyUTest().mannWhitneyUTest(a, b);
        // strict=false: the p-value is P(D >= d). The default (strict) is P(D > d), which is 0 for
        // complete separation (d = 1) however few the trials.
        double pKs = Arrays.equals(a, b) ? 1.0 : new KolmogorovSmirnovTest().kolmogorovSmirnovTest(a, b, false);
        // Two tests, one verdict: Bonferroni keeps the chance of a false "slower" at alpha, where the
        // bare minimum of the two p-values would let it reach twice that.
        double p = Math.min(1.0, 2 * Math.min(pMw, pKs));
        if (Math.abs(effect) < minEffect) {
            return new Comparison(Verdict.SAME, ma, mb, effect, p, a.length, b.length,
                    String.format("change %+.1f%% is below the %.0f%% effect floor", effect * 100, minEffect * 100));
        }
        if (p <= alpha) {
            return new Comparison(effect < 0 ? Verdict.FASTER : Verdict.SLOWER, ma, mb, effect, p, a.length, b.length,
                    String.format("%+.1f%% with p=%.3g <= %.3g", effect * 100, p, alpha));
        }
        return new Comparison(Verdict.INCONCLUSIVE, ma, mb, effect, p, a.length, b.length,
                String.format("%+.1f%% but p=%.3g > %.3g: run more trials", effect * 100, p, alpha));
    }

    @Override
    public String toString() {
        return verdict.name().toLowerCase() + " (" + why + ")";
    }
}
