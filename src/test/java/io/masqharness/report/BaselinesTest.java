package io.masqharness.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a run's latency is judged against: the explicit baseline of its datapath, else its recent history, damaged lines named. */
class BaselinesTest {

    static final String LAB = "lab reference datapath (not Cilium)";

    @TempDir
    Path reports;

    static String run(String scenario, String datapath, long p50) {
        return """
                {"runId":"r%d","scenario":"%s","datapath":"%s","startedAt":"2026-11-26T00:00:00Z","latency":[\
                {"mode":"bpf","kind":"tcp-rr","path":"pod","loop":"open","trialP50Us":[%d],"trialP99Us":[%d]}]}"""
                .formatted(p50, scenario, datapath, p50, 10 * p50);
    }

    void history(String... lines) throws Exception {
        Files.writeString(reports.resolve("history.jsonl"), String.join("\n", lines) + "\n");
    }

    @Test
    void theLastFiveRunsOfTheSameScenarioOnTheSameDatapath() throws Exception {
        List<String> lines = new ArrayList<>();
        for (long p50 = 101; p50 <= 107; p50++) {
            lines.add(run("lab", LAB, p50));
        }
        lines.add(run("lab", "Cilium on K3s", 500));
        lines.add(run("other", LAB, 600));
        history(lines.toArray(String[]::new));

        Baselines.Baseline b = Baselines.load(reports, "lab", LAB).orElseThrow();
        assertThat(b.values("bpf|tcp-rr|pod|open", "p50")).containsExactly(103L, 104L, 105L, 106L, 107L);
        assertThat(b.values("bpf|tcp-rr|pod|open", "p99")).containsExactly(1030L, 1040L, 1050L, 1060L, 1070L);
        assertThat(b.source()).isEqualTo("the last 5 runs in " + reports.resolve("history.jsonl"));
        assertThat(Baselines.load(reports, "lab", "Cilium on kind")).as("never another datapath's runs").isEmpty();
    }

    @Test
    void unreadableHistoryLinesAreSkippedAndNamed() throws Exception {
        history(run("lab", LAB, 101), "{\"scenario\": \"lab\", truncated", run("lab", LAB, 102), "[1, 2]");
        Baselines.Baseline b = Baselines.load(reports, "lab", LAB).orElseThrow();
        assertThat(b.values("bpf|tcp-rr|pod|open", "p50")).containsExactly(101L, 102L);
        assertThat(b.source()).startsWith("the last 2 runs in " + reports.resolve("history.jsonl") + " (2 unreadable lines skipped: ")
                .contains("history.jsonl:2: not JSON").contains("history.jsonl:4: not a run");
    }

    @Test
    void anExplicitBaselineOfTheSameDatapathWins() throws Exception {
        history(run("lab", LAB, 101));
        Files.createDirectories(reports.resolve("baselines"));
        Files.writeString(reports.resolve("baselines/lab.json"), run("lab", LAB, 300));
        assertThat(Baselines.load(reports, "lab", LAB).orElseThrow().values("bpf|tcp-rr|pod|open", "p50")).containsExactly(300L);
        Files.writeString(reports.resolve("baselines/lab.json"), run("lab", "Cilium on K3s", 300));
        assertThat(Baselines.load(reports, "lab", LAB).orElseThrow().values("bpf|tcp-rr|pod|open", "p50"))
                .as("another datapath's explicit baseline is not this one's").containsExactly(101L);
    }

    static Summary.ComparisonRow hostRow(String mode, String loop, double change) {
        return new Summary.ComparisonRow("tcp-rr", "host", loop, "p50", "baseline " + mode, mode, "same", 100, 100 * (1 + change), change,
                0.5, "why");
    }

    @Test
    void theMachinesDriftIsTheMedianChangeOfTheHostPathsWithItsExtremes() {
        List<Summary.ComparisonRow> uneven = List.of(hostRow("bpf", "open", -0.48), hostRow("iptables", "open", -0.10),
                hostRow("iptables", "closed", 1.0), hostRow("bpf", "closed", -0.05));
        assertThat(Baselines.machineDrift(uneven, 0.5)).isEqualTo("the machine's speed moved unevenly against the baseline: the host"
                + " path (which no masquerading touches) at p50 -8% (median of 4 series; from -48%, bpf tcp-rr open, to +100%,"
                + " iptables tcp-rr closed); the pod path is judged relative to it");
        assertThat(Baselines.machineDrift(List.of(hostRow("bpf", "open", 0.44), hostRow("bpf", "closed", 0.6)), 0.05))
                .startsWith("the machine was slower than in the baseline: the host path (which no masquerading touches) at p50 +52%");
        assertThat(Baselines.machineDrift(List.of(hostRow("bpf", "open", -0.2)), 0.05)).startsWith("the machine was faster");
        assertThat(Baselines.machineDrift(List.of(hostRow("bpf", "open", 0.02), hostRow("bpf", "closed", -0.03)), 0.05))
                .startsWith("the machine ran as fast as in the baseline");
        Summary.ComparisonRow pod = new Summary.ComparisonRow("tcp-rr", "pod", "open", "p50", "baseline bpf", "bpf", "slower", 100, 300, 2.0,
                0.001, "why");
        assertThat(Baselines.machineDrift(List.of(pod), 0.05)).as("only host paths tell the machine's drift").isNull();
    }
}
