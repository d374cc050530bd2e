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
        HistogramFiles.writePercentiles(hgrm, trial("bpf", 1, 10, 20, 30, 40));
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
}
