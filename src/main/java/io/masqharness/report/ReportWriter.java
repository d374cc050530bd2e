package io.masqharness.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.masqharness.latency.HistogramFiles;
import io.masqharness.latency.Trial;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code reports/<timestamp>-<scenario>/} into a temporary folder first and renames it into
 * place, so a killed run leaves no half report (the next write removes what a killed writer left in
 * its temporary folder); appends one whole line to {@code history.jsonl}.
 */
public final class ReportWriter {

    static final String PARTIAL = ".partial-";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private ReportWriter() {
    }

    /** The report of a run with {@code cilium.upgradeTo}: "what the upgrade changed", linked from index.html. */
    public static final String UPGRADE_CHANGES = "upgrade.md";

    /**
     * @param diagnostics file name (as the summary's modes name them) to the text of the diagnostics
     */
    public static Path write(Path reports, Summary summary, List<Trial> trials, List<String> topology, String markdownTitle,
                             Map<String, String> diagnostics) throws IOException {
        Files.createDirectories(reports);
        removeStalePartials(reports);
        Path tmp = Files.createTempDirectory(reports, PARTIAL + ProcessHandle.current().pid() + "-");
        for (Map.Entry<String, String> d : diagnostics.entrySet()) {
            Path file = tmp.resolve(d.getKey()).normalize();
            if (!file.startsWith(tmp)) {
                throw new IllegalArgumentException("diagnostics file outside the report: " + d.getKey());
            }
            Files.createDirectories(file.getParent());
            Files.writeString(file, d.getValue());
        }
        Files.writeString(tmp.resolve("summary.json"), JSON.writer(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(summary));
        Files.writeString(tmp.resolve("index.html"), HtmlReport.render(summary, topology, diagnostics.containsKey(UPGRADE_CHANGES)
                ? Map.of(UPGRADE_CHANGES, "what the upgrade changed") : Map.of()));
        Files.writeString(tmp.resolve("summary.md"), MarkdownSummary.render(summary, markdownTitle));
        if (!trials.isEmpty()) {
            Path latency = Files.createDirectories(tmp.resolve("latency"));
            long start = Instant.parse(summary.startedAt()).toEpochMilli();
            for (Trial t : trials) {
                HistogramFiles.writeLog(latency.resolve(t.tag() + ".hlog"), List.of(t), start);
                HistogramFiles.writePercentiles(latency.resolve(t.tag() + ".hgrm"), t.histogram());
                if (t.lateness().getTotalCount() > 0) {
                    HistogramFiles.writePercentiles(latency.resolve(t.tag() + ".lateness.hgrm"), t.lateness());
                }
            }
        }
        String name = STAMP.format(Instant.parse(summary.startedAt())) + "-" + summary.scenario();
        Path target = reports.resolve(name);
        for (int n = 2; Files.exists(target); n++) {
            target = reports.resolve(name + "-" + n);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        // A run that measured nothing (skipped, never started) keeps its report, saying why, but is no point of any series.
        if (summary.measured()) {
            appendHistory(reports.resolve("history.jsonl"), summary, target);
        }
        if (Files.isRegularFile(reports.resolve("history.jsonl"))) {
            writeTrend(reports);
        }
        return target;
    }

    /** trend.html beside history.jsonl, replaced whole (a reader never sees half of it). */
    public static Path writeTrend(Path reports) throws IOException {
        Path trend = reports.resolve("trend.html");
        Path tmp = Files.createTempFile(reports, PARTIAL + ProcessHandle.current().pid() + "-", ".html");
        try {
            Files.writeString(tmp, TrendHtml.render(Trend.of(History.read(reports.resolve("history.jsonl")), reports)));
            Files.move(tmp, trend, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return trend;
    }

    /** Half-written reports of runs that were killed while writing: their owner process is gone. */
    static void removeStalePartials(Path reports) throws IOException {
        List<Path> stale;
        try (var entries = Files.list(reports)) {
            stale = entries.filter(p -> p.getFileName().toString().startsWith(PARTIAL)).filter(ReportWriter::ownerGone).toList();
        }
        for (Path dir : stale) {
            try (var tree = Files.walk(dir)) {
                for (Path p : tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static boolean ownerGone(Path partial) {
        String rest = partial.getFileName().toString().substring(PARTIAL.length());
        int dash = rest.indexOf('-');
        try {
            long pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
            return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /**
     * A latency group's line; when a gate judged the run, its verdicts against the baseline too ({@code againstBaseline},
     * per metric), so the trend shows what the run was judged, not a judgement made later. A pod path keeps its verdict
     * relative to its host path, the one that gated (with the absolute baseline median, for the trend's band); a host path
     * keeps its absolute verdict, the machine's drift, which never gated.
     */
    private static Map<String, Object> historyGroup(Summary s, Summary.LatencyGroup g) {
        Map<String, Object> group = new LinkedHashMap<>(Map.of("mode", g.mode(), "kind", g.kind(), "path", g.path(),
                "loop", g.loop(), "trialP50Us", g.trialP50Us(), "trialP99Us", g.trialP99Us(),
                "trialLatenessP50Us", g.trialLatenessP50Us(), "trialLatenessP99Us", g.trialLatenessP99Us(),
                "flaggedTrials", g.flaggedTrials(), "leftOut", g.leftOut()));
        if (s.baseline() != null) {
            group.put("againstBaseline", verdicts(s, g));
        }
        return group;
    }

    /**
     * A throughput group's line (summary schema 7): per trial goodput and retransmissions, the senders' congestion control
     * (a change of it explains a step in the trend), and its verdicts as latency's.
     */
    private static Map<String, Object> historyStream(Summary s, Summary.StreamGroup g) {
        Map<String, Object> group = new LinkedHashMap<>(Map.of("mode", g.mode(), "kind", g.kind(), "path", g.path(),
                "direction", g.direction(), "streams", g.streams(), "trialGoodputBps", g.trialGoodputBps(),
                "trialRetransmits", g.trialRetransmits(), "congestionControl", g.congestionControl()));
        if (s.baseline() != null) {
            group.put("againstBaseline", verdicts(s, g));
        }
        return group;
    }

    /** Per metric, the verdict that gated (a pod path's relative to its host path) with the absolute baseline median. */
    private static Map<String, Object> verdicts(Summary s, TrialSeries g) {
        Map<String, Object> verdicts = new LinkedHashMap<>();
        for (Summary.ComparisonRow absolute : againstBaseline(s, g, g.path())) {
            Summary.ComparisonRow gating = HostRatios.podPath(g.path()) ? againstBaseline(s, g, HostRatios.ratioPath(g.path())).stream()
                    .filter(r -> r.metric().equals(absolute.metric())).findFirst().orElse(absolute) : absolute;
            Map<String, Object> verdict = new LinkedHashMap<>();
            verdict.put("verdict", gating.verdict());
            // null, not NaN, where the baseline had no usable trial: JSON has no NaN, and the trend draws no band then.
            verdict.put("baselineUs", Double.isNaN(absolute.baselineUs()) ? null : absolute.baselineUs());
            verdict.put("why", (gating.ratio() ? "relative to the host path: " : "") + gating.why());
            verdict.put("gated", Baselines.gates(gating));
            verdicts.put(absolute.metric(), verdict);
        }
        return verdicts;
    }

    private static List<Summary.ComparisonRow> againstBaseline(Summary s, TrialSeries g, String path) {
        return s.comparisons().stream().filter(c -> Baselines.againstBaseline(c) && c.candidate().equals(g.mode())
                && c.kind().equals(g.kind()) && c.path().equals(path) && c.loop().equals(g.loop())).toList();
    }

    /** One line per run, written with a single append so a kill never leaves half a line. */
    static void appendHistory(Path history, Summary s, Path report) throws IOException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("runId", s.runId());
        line.put("scenario", s.scenario());
        line.put("datapath", s.datapath());
        line.put("startedAt", s.startedAt());
        line.put("report", report.getFileName().toString());
        line.put("minEffect", s.minEffect());
        line.put("alpha", s.alpha());
        if (s.baseline() != null) {
            line.put("baseline", s.baseline());
        }
        if (s.machineDrift() != null) {
            line.put("machineDrift", s.machineDrift());
        }
        line.put("latency", s.latency().stream().map(g -> historyGroup(s, g)).toList());
        if (!s.throughput().isEmpty()) {
            line.put("throughput", s.throughput().stream().map(g -> historyStream(s, g)).toList());
        }
        byte[] bytes = (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(history, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                ch.write(buffer);
            }
            ch.force(true);
        }
    }
}
