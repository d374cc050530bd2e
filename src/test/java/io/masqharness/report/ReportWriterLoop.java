package io.masqharness.report;

import io.masqharness.latency.Trial;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * A process that writes reports back to back into {@code args[0]} for at most {@code args[1]}
 * seconds, for {@link ReportKillIT} to kill at random moments. Each report holds many latency
 * files, so a kill often lands in the middle of one.
 */
public final class ReportWriterLoop {

    static final int TRIALS = 120;

    private ReportWriterLoop() {
    }

    public static void main(String[] args) throws Exception {
        Path reports = Path.of(args[0]);
        long deadline = System.nanoTime() + Long.parseLong(args[1]) * 1_000_000_000L;
        List<Trial> trials = new ArrayList<>();
        for (int i = 0; i < TRIALS; i++) {
            Histogram h = Trial.newHistogram();
            for (int v = 1; v <= 2000; v++) {
                h.recordValue(100 + (v * 37L + i) % 5000);
            }
            trials.add(new Trial("iptables", "tcp-rr", "pod", i, h, 2000, 2000, 0, "open"));
        }
        for (int n = 0; System.nanoTime() < deadline; n++) {
            ReportWriter.write(reports, ReportWriterTest.summary("loop-" + ProcessHandle.current().pid() + "-" + n), trials,
                    List.of(), "loop", Map.of("diagnostics/mode-1-iptables.txt", "x".repeat(100_000)));
            System.out.println("wrote " + n);
            System.out.flush();
        }
    }
}
