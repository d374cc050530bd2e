package io.masqharness.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.latency.Trial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    static Summary summary(String runId) {
        Summary.Cell cell = new Summary.Cell("node-1-pod-a", "10.44.0.10", "node-1", "public", "198.20.0.10", "tcp",
                "node-ip(172.29.0.11)", "172.29.0.11", true, true, true, "iptables mode: ...", 2);
        Summary.ModeResult mode = new Summary.ModeResult("iptables", "iptables", "IPTables", "0 of 10 lost",
                List.of(new Summary.Check("node-1", "cilium status Masquerading line", "NOT_APPLICABLE", "lab"),
                        new Summary.Check("node-2", "switch to mode iptables", "FAILED", "node-2 is gone")), List.of(cell), 1,
                "diagnostics/mode-iptables.txt");
        return new Summary(Summary.SCHEMA_VERSION, runId, "lab", "lab reference datapath (not Cilium)", "2026-11-25T12:00:00Z",
                List.of("the echo host went away"), List.of(mode), LatencySummaries.groups(List.of(trial()), 0.05), List.of(), 0.05, 0.01);
    }

    /** The same run, but it measured no latency (its cluster never started, its suite was skipped). */
    static Summary unmeasured(String runId) {
        Summary s = summary(runId);
        return new Summary(s.schemaVersion(), runId, s.scenario(), "never started", s.startedAt(), s.problems(), List.of(), List.of(),
                List.of(), s.minEffect(), s.alpha());
    }

    static Trial trial() {
        Histogram h = Trial.newHistogram();
        h.recordValue(120);
        h.recordValue(250);
        return new Trial("iptables", "tcp-rr", "pod", 0, h, 2, 2, 0, "open");
    }

    @Test
    void anIpv6CellIsItsOwnMatrixRowBesideItsIpv4TwinAndNamesItsFamily(@TempDir Path reports) throws Exception {
        Summary s = summary("r6");
        Summary.Cell v4 = s.modes().get(0).cells().get(0);
        Summary.Cell v6 = new Summary.Cell("node-1-pod-a", "fd00:44::10", "node-1", "public", "fd00:198:20::10", "tcp",
                "node-ip(fd00:29::11)", "fd00:44::10", true, true, false, "ip6tables mode: ...", 1, "ipv6");
        Summary.ModeResult m = s.modes().get(0);
        Summary dual = new Summary(s.schemaVersion(), s.runId(), s.scenario(), s.datapath(), s.startedAt(), s.problems(),
                List.of(new Summary.ModeResult(m.mode(), m.effectiveMode(), m.expectedStatus(), m.switchDisruption(), m.checks(),
                        List.of(v4, v6), m.retries(), m.diagnostics())), s.latency(), s.comparisons(), s.minEffect(), s.alpha());
        Path run = ReportWriter.write(reports, dual, List.of(), List.of(), "lab", Map.of());
        assertThat(run.resolve("summary.json")).content().contains("\"family\" : \"ipv4\"").contains("\"family\" : \"ipv6\"")
                .contains("\"podIp\" : \"fd00:44::10\"");
        assertThat(run.resolve("index.html")).content().contains("<td>public tcp</td>").contains("<td>public [IPv6] tcp</td>")
                .contains("got fd00:44::10; expected node-ip(fd00:29::11)");
    }

    @Test
    void writesACompleteFolderThenAppendsOneHistoryLine(@TempDir Path reports) throws Exception {
        Path run = ReportWriter.write(reports, summary("r1"), List.of(trial()), List.of("node node-1 172.29.0.11  pods: []"), "lab",
                Map.of("diagnostics/mode-iptables.txt", "## node-2\ncontainer exited"));
        assertThat(run.getFileName().toString()).isEqualTo("20261125-120000-lab");
        assertThat(run.resolve("index.html")).content().contains("lab reference datapath (not Cilium)").contains("not applicable")
                .doesNotContain("<script");
        assertThat(run.resolve("summary.json")).content().contains("\"schemaVersion\" : 7").contains("\"attempts\" : 2")
                .contains("\"retries\" : 1");
        assertThat(run.resolve("summary.md")).content().contains("| iptables | iptables | 1/1 | 1 | 1 |")
                .contains("**Problem:** the echo host went away");
        assertThat(run.resolve("index.html")).content().contains("<a href=\"diagnostics/mode-iptables.txt\">diagnostics</a>")
                .contains("Retries: 1").contains("the echo host went away").contains("172.29.0.11 [2 attempts]")
                .contains("<a href=\"#mode-1\">iptables</a>").contains("<h2 id=\"mode-1\">");
        assertThat(run.resolve("diagnostics/mode-iptables.txt")).hasContent("## node-2\ncontainer exited");
        try (HistogramLogReader reader = new HistogramLogReader(run.resolve("latency/iptables.tcp-rr.pod.open.t0.hlog").toFile())) {
            assertThat(((Histogram) reader.nextIntervalHistogram()).getTotalCount()).isEqualTo(2);
        }
        assertThat(Files.readAllLines(reports.resolve("history.jsonl"))).hasSize(1).allMatch(l -> l.startsWith("{\"runId\":\"r1\""));
        try (Stream<Path> left = Files.list(reports)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".partial-"));
        }
    }

    @Test
    void aSecondRunInTheSameSecondGetsItsOwnFolder(@TempDir Path reports) throws Exception {
        Path first = ReportWriter.write(reports, summary("r1"), List.of(), List.of(), "lab", Map.of());
        Path second = ReportWriter.write(reports, summary("r2"), List.of(), List.of(), "lab", Map.of());
        assertThat(second).isNotEqualTo(first);
        assertThat(second.getFileName().toString()).isEqualTo("20261125-120000-lab-2");
        assertThat(Files.readAllLines(reports.resolve("history.jsonl"))).hasSize(2);
        assertThat(reports.resolve("trend.html")).content().contains("2 runs, 2026-11-25T12:00:00Z to 2026-11-25T12:00:00Z");
    }

    @Test
    void aRunThatMeasuredNothingKeepsItsReportButIsNoLineOfTheHistory(@TempDir Path reports) throws Exception {
        Path skipped = ReportWriter.write(reports, unmeasured("r0"), List.of(), List.of(), "lab", Map.of());
        assertThat(skipped.resolve("summary.json")).content().contains("the echo host went away");
        assertThat(reports.resolve("history.jsonl")).as("no point of any series").doesNotExist();
        assertThat(reports.resolve("trend.html")).doesNotExist();
        ReportWriter.write(reports, summary("r1"), List.of(trial()), List.of(), "lab", Map.of());
        ReportWriter.write(reports, unmeasured("r2"), List.of(), List.of(), "lab", Map.of());
        assertThat(Files.readAllLines(reports.resolve("history.jsonl"))).singleElement().asString().startsWith("{\"runId\":\"r1\"");
        assertThat(reports.resolve("trend.html")).content().contains("1 runs,").doesNotContain("never started");
    }

    @Test
    void aVerdictWhoseBaselineHadNoUsableTrialKeepsItsLineReadable(@TempDir Path reports) throws Exception {
        Summary s = summary("r1");
        // The baseline's every p99 trial was left out for its sender's lateness: no median to keep.
        Summary.ComparisonRow p99 = new Summary.ComparisonRow("tcp-rr", "pod", "open", "p99", "baseline iptables", "iptables",
                "inconclusive", Double.NaN, 250, Double.NaN, Double.NaN, "no trials to compare (0 vs 1)");
        Summary judged = new Summary(s.schemaVersion(), s.runId(), s.scenario(), s.datapath(), s.startedAt(), s.problems(), s.modes(),
                s.latency(), List.of(p99), s.minEffect(), s.alpha(), "the last 1 runs in history.jsonl", null);
        ReportWriter.write(reports, judged, List.of(trial()), List.of(), "lab", Map.of());
        History history = History.read(reports.resolve("history.jsonl"));
        assertThat(history.problems()).isEmpty();
        assertThat(history.runs().get(0).latency().get(0).againstBaseline().get("p99").baselineUs()).isNaN();
        assertThat(Files.readString(reports.resolve("history.jsonl"))).contains("\"baselineUs\":null").doesNotContain("NaN");
    }

    @Test
    void diagnosticsCannotBeWrittenOutsideTheReport(@TempDir Path reports) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ReportWriter.write(reports, summary("r1"), List.of(), List.of(),
                "lab", Map.of("../../escape.txt", "x"))).hasMessageContaining("outside the report");
        assertThat(reports.resolve("../escape.txt")).doesNotExist();
    }

    @Test
    void aKilledWritersTemporaryFolderIsRemovedByTheNextWriteAndALiveOnesIsKept(@TempDir Path reports) throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Path stale = Files.createDirectories(reports.resolve(ReportWriter.PARTIAL + dead.pid() + "-123/latency"));
        Files.writeString(stale.resolve("half.hlog"), "#[Histogram log format");
        Path live = Files.createDirectories(reports.resolve(ReportWriter.PARTIAL + ProcessHandle.current().pid() + "-456"));
        ReportWriter.write(reports, summary("r1"), List.of(), List.of(), "lab", Map.of());
        assertThat(stale.getParent()).doesNotExist();
        assertThat(live).exists();
    }
}
