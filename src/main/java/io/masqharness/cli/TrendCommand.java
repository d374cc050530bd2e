package io.masqharness.cli;

import io.masqharness.report.History;
import io.masqharness.report.Trend;
import io.masqharness.report.TrendHtml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "trend", mixinStandardHelpOptions = true,
        description = {"Latency over the runs in history.jsonl: per scenario and datapath (lab and Cilium apart), p50 and p99",
                "per mode, kind, path and loop (tcp-stream: goodput and retransmissions per direction), each run judged against",
                "its baseline. Writes trend.html (the suites",
                "write it after every run too) and prints each series' latest run.",
                "Exit status 1 when a series' latest run is slower than its baseline; 2 when the history is missing or",
                "unreadable, or has lines that are not runs (each named with its line; the page is written without them)."})
final class TrendCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--reports", defaultValue = "reports", paramLabel = "DIR",
            description = "the reports folder: its history.jsonl and baselines/ (default ${DEFAULT-VALUE})")
    Path reports;

    @Option(names = "--history", paramLabel = "FILE", description = "another history file (default DIR/history.jsonl)")
    Path history;

    @Option(names = "--out", paramLabel = "FILE", description = "where the page goes (default DIR/trend.html)")
    Path out;

    /** A latest value: microseconds as before, else in the metric's unit (Gbit/s, retransmits). */
    static String value(double v, String unit) {
        return unit.equals("us") ? String.format(Locale.ROOT, "%.0f us", v) : TrendHtml.value(v, unit);
    }

    /** The baseline band as the old lines printed it for latency ({@code 95-105 us}), else in the metric's unit. */
    static String band(Trend.Point p, String unit) {
        return unit.equals("us") ? String.format(Locale.ROOT, "%.0f-%.0f us", p.bandLowUs(), p.bandHighUs())
                : TrendHtml.value(p.bandLowUs(), unit) + " to " + TrendHtml.value(p.bandHighUs(), unit);
    }

    @Override
    public Integer call() throws IOException {
        var err = spec.commandLine().getErr();
        History h;
        try {
            h = History.read(history != null ? history : reports.resolve("history.jsonl"));
        } catch (History.Unreadable e) {
            err.println(e.getMessage());
            return Main.BAD_INPUT;
        }
        Trend trend = Trend.of(h, reports);
        Path page = out != null ? out : reports.resolve("trend.html");
        Files.writeString(page, TrendHtml.render(trend));
        var o = spec.commandLine().getOut();
        boolean slower = false;
        for (Trend.Section s : trend.sections()) {
            o.printf("%s on %s: %d runs%n", s.scenario(), s.datapath(), s.runs().size());
            String drift = s.runs().get(s.runs().size() - 1).machineDrift();
            if (drift != null) {
                o.println("  latest run: " + drift);
            }
            for (Trend.Chart c : s.charts()) {
                for (Trend.Series series : c.series()) {
                    Trend.Point last = series.points().get(series.points().size() - 1);
                    boolean latest = last.run() == s.runs().size() - 1;
                    slower |= latest && last.regression();
                    o.printf(Locale.ROOT, "  %-28s %-8s %-5s %-6s %-4s %3d runs, latest %11s  %s%n", series.mode(), c.kind(), c.path(),
                            c.loop(), c.metric(), series.points().size(), value(last.valueUs(), c.unit()),
                            (latest ? "" : "(not in the latest run) ") + (last.verdict() == null ? "no baseline yet"
                                    : last.verdict() + " against " + band(last, c.unit()) + " (" + last.why() + ")"));
                }
            }
        }
        if (!trend.unmeasured().isEmpty()) {
            o.println(trend.unmeasured().size() + " run(s) measured no latency (skipped or never started) and are in no series: "
                    + String.join(", ", trend.unmeasured().stream().map(r -> r.scenario() + " at " + r.startedAt()).toList()));
        }
        o.println("wrote " + page);
        o.flush();
        h.problems().forEach(err::println);
        if (!h.problems().isEmpty()) {
            err.println(h.problems().size() + " line(s) of " + h.file() + " are not runs and were left out");
            return Main.BAD_INPUT;
        }
        return slower ? 1 : 0;
    }
}
