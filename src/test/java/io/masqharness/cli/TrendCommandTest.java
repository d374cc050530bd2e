package io.masqharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.report.TrendTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code trend}: the page and a line per series from a history; exit 2 naming the file and line of what it cannot read. */
class TrendCommandTest extends ConsoleCapturingTest {

    @TempDir
    Path dir;

    @Test
    void aMissingHistoryExits2NamingTheFile() {
        assertThat(Main.run("trend", "--reports", dir.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith(dir.resolve("history.jsonl") + ": no such file")
                .doesNotContain("Exception");
        assertThat(dir.resolve("trend.html")).doesNotExist();
    }

    @Test
    void anUnreadableHistoryExits2NamingTheFile() throws Exception {
        Path history = Files.createDirectories(dir.resolve("history.jsonl"));
        assertThat(Main.run("trend", "--history", history.toString(), "--out", dir.resolve("t.html").toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith(history + ": cannot read");
    }

    @Test
    void aDamagedLineExits2WithItsNumberAndThePageIsWrittenFromTheRest() throws Exception {
        TrendTest.history(dir);
        assertThat(Main.run("trend", "--reports", dir.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(dir.resolve("history.jsonl") + ":4: not JSON")
                .contains("1 line(s) of " + dir.resolve("history.jsonl") + " are not runs");
        assertThat(dir.resolve("trend.html")).content().contains("<polyline class=\"series\"");
    }

    @Test
    void aSlowerLatestRunExits1AndEachSeriesGetsALine() throws Exception {
        Path history = TrendTest.history(dir);
        List<String> lines = Files.readAllLines(history);
        Files.write(history, lines.stream().filter(l -> !l.startsWith("{\"runId\":\"half\"")).toList());
        Path page = dir.resolve("out/page.html");
        Files.createDirectories(page.getParent());
        assertThat(Main.run("trend", "--reports", dir.toString(), "--out", page.toString())).isEqualTo(1);
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("masquerade-toggle on " + TrendTest.LAB + ": 4 runs")
                .contains("masquerade-toggle on " + TrendTest.CILIUM + ": 2 runs")
                .containsPattern("bpf +tcp-rr +pod +open +p50 +4 runs, latest +150 us  slower against 95-105 us")
                .containsPattern("iptables +tcp-rr +pod +open +p50 +4 runs, latest +100 us  same");
        assertThat(page).exists();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void aHistoryWithoutARegressionExits0() throws Exception {
        Files.write(dir.resolve("history.jsonl"), List.of(TrendTest.line("lab", TrendTest.LAB, 1, 100, 100, List.of()),
                TrendTest.line("lab", TrendTest.LAB, 2, 100, 101, List.of())));
        assertThat(Main.run("trend", "--reports", dir.toString())).isEqualTo(0);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("wrote " + dir.resolve("trend.html"));
    }
}
