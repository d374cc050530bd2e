package io.masqharness.latency;

import java.util.List;
import org.apache.commons.math3.stat.descriptive.rank.Median;

/**
 * Compares a metric (e.g. per-trial p50) between a baseline and a candidate: an exact two-sided
 * Mann-Whitney U test on the per-trial values plus an effect-size floor on the change of their
 * medians. Four verdicts: faster, slower, same, inconclusive (run more trials).
 */
public record Comparison(Verdict verdict, double baselineMedian, double candidateMedian, double relativeEffect,
                         double pValue, int baselineTrials, int candidateTrials, String why) {

    public enum Verdict { FASTER, SLOWER, SAME, INCONCLUSIVE }

    /**
     * @param minEffect relative change below which a difference is "same" however significant (e.g. 0.05)
     * @param alpha     significance level (e.g. 0.01)
     */
    public static Comparison of(List<Double> baseline, List<Double> candidate, double minEffect, double alpha) {
        return of(baseline, candidate, minEffect, alpha, false);
    }

    /**
     * As {@link #of(List, List, double, double)}, for a metric where more is better when {@code higherIsBetter}
     * (goodput): a significant drop is then {@code SLOWER}, a rise {@code FASTER}. A baseline median of zero (no
     * retransmissions) gives an infinite effect when the candidate's is not zero, and none when it is.
     */
    public static Comparison of(List<Double> baseline, List<Double> candidate, double minEffect, double alpha, boolean higherIsBetter) {
        double[] a = baseline.stream().mapToDouble(Double::doubleValue).toArray();
        double[] b = candidate.stream().mapToDouble(Double::doubleValue).toArray();
        if (a.length == 0 || b.length == 0) {
            return new Comparison(Verdict.INCONCLUSIVE, a.length == 0 ? Double.NaN : new Median().evaluate(a),
                    b.length == 0 ? Double.NaN : new Median().evaluate(b), Double.NaN, Double.NaN, a.length, b.length,
                    "no trials to compare (" + a.length + " vs " + b.length + ")");
        }
        double ma = new Median().evaluate(a);
        double mb = new Median().evaluate(b);
        double effect = ma == mb ? 0 : (mb - ma) / ma;
        double p = MannWhitney.pValue(a, b);
        double best = MannWhitney.smallestPValue(a.length, b.length);
        if (best > alpha) {
            return new Comparison(Verdict.INCONCLUSIVE, ma, mb, effect, p, a.length, b.length,
                    String.format("too few trials: %d vs %d cannot reach p <= %s (at best p=%s); %d a side can", a.length,
                            b.length, digits(alpha), digits(best), MannWhitney.trialsNeeded(alpha)));
        }
        if (Math.abs(effect) < minEffect) {
            return new Comparison(Verdict.SAME, ma, mb, effect, p, a.length, b.length,
                    String.format("change %+.1f%% is below the %.0f%% effect floor", effect * 100, minEffect * 100));
        }
        if (p <= alpha) {
            return new Comparison((effect < 0) != higherIsBetter ? Verdict.FASTER : Verdict.SLOWER, ma, mb, effect, p, a.length, b.length,
                    String.format("%+.1f%% with p=%s <= %s", effect * 100, digits(p), digits(alpha)));
        }
        return new Comparison(Verdict.INCONCLUSIVE, ma, mb, effect, p, a.length, b.length,
                String.format("%+.1f%% but p=%s > %s: run more trials", effect * 100, digits(p), digits(alpha)));
    }

    /** Three significant digits, no trailing zeros: 0.01, 0.00794, 0.333. */
    public static String digits(double x) {
        return new java.math.BigDecimal(x).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    @Override
    public String toString() {
        return verdict.name().toLowerCase() + " (" + why + ")";
    }
}
