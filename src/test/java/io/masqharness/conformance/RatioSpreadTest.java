package io.masqharness.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Medians and Tukey's hinges worked by hand. */
class RatioSpreadTest {

    @Test
    void nineRoundsTheMiddleOneIsTheMedianAndTheHingesAreTheMediansOfTheHalvesWithoutIt() {
        // Sorted: 0.90 0.95 0.97 0.99 1.00 1.02 1.04 1.10 1.30 -> median 1.00; lower half 0.90..0.99 -> (0.95+0.97)/2;
        // upper half 1.02..1.30 -> (1.04+1.10)/2.
        RatioSpread s = RatioSpread.of(List.of(1.30, 0.99, 1.02, 0.90, 1.00, 1.10, 0.95, 1.04, 0.97));
        assertThat(s.median()).isEqualTo(1.00);
        assertThat(s.q1()).isEqualTo(0.96, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(s.q3()).isEqualTo(1.07, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(s.min()).isEqualTo(0.90);
        assertThat(s.max()).isEqualTo(1.30);
        assertThat(s.rounds()).isEqualTo(9);
        assertThat(s).hasToString("median 1.000, IQR 0.960-1.070, range 0.900-1.300 over 9 rounds");
    }

    @Test
    void anEvenCountAveragesTheMiddleTwo() {
        RatioSpread s = RatioSpread.of(List.of(4.0, 1.0, 3.0, 2.0));
        assertThat(s.median()).isEqualTo(2.5);
        assertThat(s.q1()).isEqualTo(1.5);
        assertThat(s.q3()).isEqualTo(3.5);
        RatioSpread one = RatioSpread.of(List.of(1.2));
        assertThat(List.of(one.median(), one.q1(), one.q3(), one.min(), one.max())).containsOnly(1.2);
        assertThatThrownBy(() -> RatioSpread.of(List.of())).hasMessage("no ratios");
    }

    @Test
    void theTargetIsJudgedOnTheMedianInclusiveAtTheEdges() {
        assertThat(RatioSpread.of(List.of(1.05)).withinOfOne(0.05)).isTrue();
        assertThat(RatioSpread.of(List.of(0.95)).withinOfOne(0.05)).isTrue();
        assertThat(RatioSpread.of(List.of(1.0501)).withinOfOne(0.05)).isFalse();
        assertThat(RatioSpread.of(List.of(0.9499)).withinOfOne(0.05)).isFalse();
        assertThat(RatioSpread.of(List.of(0.5, 1.0, 3.0)).withinOfOne(0.05)).as("outliers do not move the median").isTrue();
    }
}
