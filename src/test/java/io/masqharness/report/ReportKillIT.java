package io.masqharness.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Processes writing reports are SIGKILLed at random moments. The report written before stays
 * byte for byte, every report folder under its final name is complete, history.jsonl holds only
 * whole lines naming complete reports, and the next write removes what the killed writers left.
 */
class ReportKillIT {

    static final int KILLS = 8;
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aKillDuringWritingLeavesThePreviousReportAndHistoryIntact(@TempDir Path reports) throws Exception {
        Path previous = ReportWriter.write(reports, ReportWriterTest.summary("before"), List.of(ReportWriterTest.trial()), List.of(),
                "lab", Map.of());
        Map<Path, byte[]> before = snapshot(previous);
        Random random = new Random(42);
        int killedMidWrite = 0;
        for (int i = 0; i < KILLS; i++) {
            Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), ReportWriterLoop.class.getName(), reports.toString(), "60")
                    .redirectErrorStream(true).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
                String first = out.readLine();
                assertThat(first).as("the writer wrote one report before being killed").startsWith("wrote ");
                Thread.sleep(random.nextInt(400));
                writer.destroyForcibly();
                assertThat(writer.waitFor(10, TimeUnit.SECONDS)).isTrue();
            }
            try (Stream<Path> left = Files.list(reports)) {
                killedMidWrite += (int) left.filter(p -> p.getFileName().toString().startsWith(ReportWriter.PARTIAL)).count();
            }
        }
        System.out.printf("%d writers killed; %d temporary folders left behind by kills mid-write%n", KILLS, killedMidWrite);
        assertThat(killedMidWrite).as("kills that landed mid-write (a temporary folder left behind): without one, nothing"
                + " below tests what a kill mid-write leaves").isPositive();

        assertThat(snapshot(previous)).as("the report written before the kills").containsOnlyKeys(before.keySet())
                .allSatisfy((file, bytes) -> assertThat(bytes).as(file.toString()).isEqualTo(before.get(file)));
        try (Stream<Path> dirs = Files.list(reports)) {
            for (Path dir : dirs.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                assertComplete(dir);
            }
        }
        String history = Files.readString(reports.resolve("history.jsonl"));
        assertThat(history).endsWith("\n");
        List<String> lines = history.lines().toList();
        assertThat(lines.size()).as("history lines: the one before plus at least one per killed writer").isGreaterThan(KILLS);
        for (String line : lines) {
            JsonNode entry = JSON.readTree(line);
            assertThat(reports.resolve(entry.get("report").asText())).as("history names a report that exists: %s", line).isDirectory();
        }

        ReportWriter.write(reports, ReportWriterTest.summary("after"), List.of(), List.of(), "lab", Map.of());
        try (Stream<Path> left = Files.list(reports)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("after the next write").noneMatch(n -> n.startsWith(ReportWriter.PARTIAL));
        }
    }

    private static void assertComplete(Path dir) throws Exception {
        JsonNode summary = JSON.readTree(dir.resolve("summary.json").toFile());
        assertThat(summary.get("schemaVersion").asInt()).as(dir.toString()).isEqualTo(Summary.SCHEMA_VERSION);
        assertThat(Files.readString(dir.resolve("index.html"))).as(dir + "/index.html").endsWith("</html>\n");
        assertThat(dir.resolve("summary.md")).exists();
        if (summary.get("runId").asText().startsWith("loop-")) {
            try (Stream<Path> files = Files.list(dir.resolve("latency"))) {
                assertThat(files.count()).as(dir + "/latency").isEqualTo(2L * ReportWriterLoop.TRIALS);
            }
            assertThat(Files.size(dir.resolve("diagnostics/mode-1-iptables.txt"))).isEqualTo(100_000);
        }
    }

    private static Map<Path, byte[]> snapshot(Path dir) throws Exception {
        Map<Path, byte[]> files = new HashMap<>();
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path p : tree.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p), Files.readAllBytes(p));
            }
        }
        return files;
    }
}
