package io.masqharness.latency;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * Writes trials in HdrHistogram's own formats: a {@code .hlog} interval log (format 1.3, one tagged
 * interval per trial, readable by {@code HistogramLogReader} and HdrHistogram's plotting tools) and
 * a {@code .hgrm} percentile distribution per trial.
 */
public final class HistogramFiles {

    private HistogramFiles() {
    }

    /**
     * Interval_Max is written in the histogram's own unit (µs): the writer's default ratio of 1e6
     * assumes nanoseconds and would divide it to milliseconds.
     */
    public static void writeLog(Path file, List<Trial> trials, long startEpochMs) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            HistogramLogWriter writer = new HistogramLogWriter(print);
            writer.outputComment("cilium-masq-harness latency, values in microseconds; tags mode.kind.path.loop.trial");
            writer.outputLogFormatVersion();
            writer.outputStartTime(startEpochMs);
            writer.outputLegend();
            double t = 0;
            for (Trial trial : trials) {
                trial.histogram().setTag(trial.tag());
                writer.outputIntervalHistogram(t, t + 1, trial.histogram(), 1.0);
                t += 1;
            }
        }
    }

    public static void writePercentiles(Path file, Histogram histogram) throws IOException {
        try (PrintStream print = new PrintStream(Files.newOutputStream(file), true, StandardCharsets.UTF_8)) {
            histogram.outputPercentileDistribution(print, 5, 1.0);
        }
    }
}
