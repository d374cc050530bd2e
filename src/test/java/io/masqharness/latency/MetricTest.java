package io.masqharness.latency;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricTest {

    @Test
    void aStreamIsJudgedOnGoodputAndRetransmissionsAndOnlyGoodputIsBetterHigher() {
        assertThat(Metric.of("tcp-stream")).containsExactly("goodput", "retransmits");
        assertThat(Metric.of("tcp-rr")).containsExactly("p50", "p99");
        assertThat(Metric.of("tcp-crr")).containsExactly("p50", "p99");
        assertThat(Metric.higherIsBetter("goodput")).isTrue();
        assertThat(List.of("p50", "p99", "retransmits")).noneMatch(Metric::higherIsBetter);
        assertThat(Metric.unit("goodput")).isEqualTo("bit/s");
        assertThat(Metric.unit("retransmits")).isEqualTo("count");
        assertThat(Metric.unit("p99")).isEqualTo("us");
    }

    @Test
    void aDropInGoodputIsSlowerAndARiseFaster() {
        List<Double> base = List.of(10.0, 10.1, 9.9, 10.05, 9.95);
        List<Double> less = List.of(8.0, 8.1, 7.9, 8.05, 7.95);
        assertThat(Comparison.of(base, less, 0.05, 0.01, true).verdict()).isEqualTo(Comparison.Verdict.SLOWER);
        assertThat(Comparison.of(less, base, 0.05, 0.01, true).verdict()).isEqualTo(Comparison.Verdict.FASTER);
        // the same figures as latencies read the other way round
        assertThat(Comparison.of(base, less, 0.05, 0.01, false).verdict()).isEqualTo(Comparison.Verdict.FASTER);
        assertThat(Comparison.of(base, less, 0.05, 0.01).verdict()).isEqualTo(Comparison.Verdict.FASTER);
    }

    @Test
    void noRetransmissionsOnEitherSideIsTheSameAndSomeAfterNoneIsSlower() {
        List<Double> none = List.of(0.0, 0.0, 0.0, 0.0, 0.0);
        Comparison same = Comparison.of(none, none, 0.05, 0.01, false);
        assertThat(same.verdict()).isEqualTo(Comparison.Verdict.SAME);
        assertThat(same.relativeEffect()).isZero();
        Comparison worse = Comparison.of(none, List.of(5.0, 6.0, 7.0, 8.0, 9.0), 0.05, 0.01, false);
        assertThat(worse.verdict()).isEqualTo(Comparison.Verdict.SLOWER);
        assertThat(worse.relativeEffect()).isInfinite();
    }
}
