package io.masqharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.conformance.PeerBenchmark;
import io.masqharness.conformance.PeerBenchmark.Pair;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the benchmark prints per pair, judged against the targets on the median, with the rounds behind it. */
class BenchmarkCommandTest {

    /** Rounds whose harness p50/p99 are the given ratios times sockperf's 100 µs / 1000 µs. */
    static List<PeerBenchmark.Round> rounds(Pair pair, double[] p50, double[] p99) {
        List<PeerBenchmark.Round> r = new ArrayList<>();
        for (int i = 0; i < p50.length; i++) {
            r.add(new PeerBenchmark.Round(pair, i, 100 * p50[i], 1000 * p99[i], 100 * p50[i], 1000 * p99[i], 0, true, 100, 1000));
        }
        return r;
    }

    @Test
    void eachPairPrintsItsRatiosThenMedianQuartilesAndRangeAgainstTheTargets() {
        List<PeerBenchmark.Round> all = new ArrayList<>(rounds(Pair.CLOSED, new double[] {1.05, 0.97, 1.01},
                new double[] {1.15, 1.20, 0.80}));
        all.addAll(rounds(Pair.OPEN, new double[] {1.06, 1.10, 1.20}, new double[] {0.85, 0.90, 1.00}));
        assertThat(BenchmarkCommand.summary(all, 1000)).containsExactly(
                "closed loop vs sockperf ping-pong: p50 ratios 1.050 0.970 1.010; p99 ratios 1.150 1.200 0.800",
                "  p50 ratio median 1.010, IQR 0.970-1.050, range 0.970-1.050 over 3 rounds -> target +-5% met",
                "  p99 ratio median 1.150, IQR 0.800-1.200, range 0.800-1.200 over 3 rounds -> target +-15% met",
                "open loop at 1000/s vs sockperf under-load: p50 ratios 1.060 1.100 1.200; p99 ratios 0.850 0.900 1.000",
                "  p50 ratio median 1.100, IQR 1.060-1.200, range 1.060-1.200 over 3 rounds -> target +-5% NOT met",
                "  p99 ratio median 0.900, IQR 0.850-1.000, range 0.850-1.000 over 3 rounds -> target +-15% met");
        assertThat(BenchmarkCommand.summary(rounds(Pair.OPEN, new double[] {1.0}, new double[] {1.16}), 500)).containsExactly(
                "open loop at 500/s vs sockperf under-load: p50 ratios 1.000; p99 ratios 1.160",
                "  p50 ratio median 1.000, IQR 1.000-1.000, range 1.000-1.000 over 1 rounds -> target +-5% met",
                "  p99 ratio median 1.160, IQR 1.160-1.160, range 1.160-1.160 over 1 rounds -> target +-15% NOT met");
    }

    @Test
    void fewerThanOneRoundIsRefusedBeforeAnythingStarts() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = Main.run("benchmark", "--rounds", "0");
        } finally {
            System.setErr(saved);
        }
        assertThat(status).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--rounds, --seconds and --rate must be at least 1, --spin-us at least 0");
    }
}
