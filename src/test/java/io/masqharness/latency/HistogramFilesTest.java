package io.masqharness.latency;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistogramFilesTest {

    static Trial trial(String mode, int index, long... values) {
        Histogram h = Trial.newHistogram();
        for (long v : values) {
            h.recordValue(v);
        }
        return new Trial(mode, "tcp-rr", "pod", index, h, values.length, values.length, 0, "open");
    }

    @Test
    void hlogRoundTripsThroughHdrHistogramsReader(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("latency.hlog");
        HistogramFiles.writeLog(log, List.of(trial("iptables", 0, 100, 200, 300), trial("bpf", 0, 80, 90, 5000)), 1_700_000_000_000L);
        try (HistogramLogReader reader = new HistogramLogReader(log.toFile())) {
            EncodableHistogram first = reader.nextIntervalHistogram();
            EncodableHistogram second = reader.nextIntervalHistogram();
            assertThat(first.getTag()).isEqualTo("iptables.tcp-rr.pod.open.t0");
            assertThat(((Histogram) first).getTotalCount()).isEqualTo(3);
            assertThat(((Histogram) second).getMaxValue()).isBetween(4995L, 5005L);
            assertThat(reader.nextIntervalHistogram()).isNull();
        }
        // Interval_Max is in microseconds (ratio 1.0), not divided as if nanoseconds.
        assertThat(Files.readString(log)).contains(",1.000,5003.000,HISTF");
    }

    @Test
    void hgrmIsTheStandardPercentileTable(@TempDir Path dir) throws Exception {
        Path hgrm = dir.resolve("t.hgrm");
        HistogramFiles.writePercentiles(hgrm, trial("bpf", 1, 10, 20, 30, 40).histogram());
        assertThat(Files.readString(hgrm)).contains("Value     Percentile TotalCount 1/(1-Percentile)").contains("#[Mean");
    }

    @Test
    void percentilesCarryDistributionFreeIntervals() {
        Histogram h = Trial.newHistogram();
        for (int i = 1; i <= 10_000; i++) {
            h.recordValue(i);
        }
        Percentiles p = Percentiles.of(h);
        Percentiles.Estimate p50 = p.at(50);
        assertThat(p50.value()).isBetween(4995L, 5005L);
        assertThat(p50.low()).isBetween(4880L, 5000L);
        assertThat(p50.high()).isBetween(5000L, 5120L);
        assertThat(p.at(99.9).high()).isGreaterThanOrEqualTo(p.at(99.9).value());
        // The highest value equivalent to 10000 at 3 significant digits (bucket width 8 there).
        assertThat(p.max()).isEqualTo(10_007L);
    }

    @Test
    void theLogStartsWithItsHeaderAndGivesEachTrialItsOwnSecond(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("latency.hlog");
        HistogramFiles.writeLog(log, List.of(trial("iptables", 0, 100), trial("iptables", 1, 100), trial("bpf", 0, 100)),
                1_700_000_000_000L);
        List<String> lines = Files.readAllLines(log);
        assertThat(lines.get(0)).isEqualTo("#cilium-masq-harness latency, values in microseconds; tags mode.kind.path.loop.trial");
        assertThat(lines.get(1)).isEqualTo("#[Histogram log format version 1.3]");
        // The date after the epoch seconds is in the machine's time zone.
        assertThat(lines.get(2)).startsWith("#[StartTime: 1700000000.000 (seconds since epoch), ");
        assertThat(lines.get(3)).isEqualTo("\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"");
        assertThat(lines.subList(4, 7)).extracting(l -> l.substring(0, l.indexOf(",HISTF"))).containsExactly(
                "Tag=iptables.tcp-rr.pod.open.t0,0.000,1.000,100.000",
                "Tag=iptables.tcp-rr.pod.open.t1,1.000,1.000,100.000",
                "Tag=bpf.tcp-rr.pod.open.t0,2.000,1.000,100.000");
    }

    /** The 95% interval of a median of 100 is the 40th to the 61st value (binomial(100, 0.5): P(X <= 39) < 0.025 <= P(X <= 40)). */
    @Test
    void theMediansIntervalIsTheTextbooksOrderStatistics() {
        Histogram h = Trial.newHistogram();
        for (int i = 1; i <= 100; i++) {
            h.recordValue(i);
        }
        Percentiles p = Percentiles.of(h);
        assertThat(p.count()).isEqualTo(100);
        assertThat(p.at(50)).isEqualTo(new Percentiles.Estimate(50, 50, 40, 61));
        assertThat(p.at(99).value()).isEqualTo(99);
        assertThat(p.at(99.9).value()).isEqualTo(100);
        assertThat(p.estimates()).extracting(Percentiles.Estimate::percentile).containsExactly(50.0, 90.0, 99.0, 99.9);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.at(95)).hasMessage("no estimate at p95.0");
    }

    @Test
    void anEmptyHistogramHasNoFiguresAndAHugeOneNoInterval() {
        Percentiles empty = Percentiles.of(Trial.newHistogram());
        assertThat(empty.count()).isZero();
        assertThat(empty.max()).isZero();
        assertThat(empty.estimates()).hasSize(4).allSatisfy(e -> assertThat(e).isEqualTo(new Percentiles.Estimate(e.percentile(), 0, 0, 0)));
        Histogram huge = Trial.newHistogram();
        huge.recordValueWithCount(100, 3_000_000_000L);
        assertThat(Percentiles.of(huge).at(50)).isEqualTo(new Percentiles.Estimate(50, 100, 100, 100));
    }
}
