package io.masqharness.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trend on a synthetic history: series, baselines, verdicts, and the lines that are not runs. */
public class TrendTest {

    public static final String LAB = "lab reference datapath (not Cilium)";
    public static final String CILIUM = "Cilium 1.13.4 on K3s (rancher/k3s:v1.26.6-k3s1)";

    /** One history line as ReportWriter writes it: modes iptables and bpf, tcp-rr on the pod path, five trials each. */
    public static String line(String scenario, String datapath, int day, long iptablesP50, long bpfP50, List<Integer> flagged) throws Exception {
        List<Map<String, Object>> latency = new ArrayList<>();
        for (var mode : Map.of("iptables", iptablesP50, "bpf", bpfP50).entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
            long p50 = mode.getValue();
            latency.add(Map.of("mode", mode.getKey(), "kind", "tcp-rr", "path", "pod", "loop", "open",
                    "trialP50Us", List.of(p50 - 2, p50 - 1, p50, p50 + 1, p50 + 2), "trialP99Us", List.of(4 * p50, 4 * p50 + 3, 4 * p50 - 3, 4 * p50, 4 * p50 + 1),
                    "trialLatenessP99Us", List.of(10, 10, 10, 10, 10), "flaggedTrials", mode.getKey().equals("bpf") ? flagged : List.of()));
        }
        return new ObjectMapper().writeValueAsString(Map.of("runId", scenario + "-" + day, "scenario", scenario, "datapath", datapath,
                "startedAt", String.format("2026-11-%02dT02:00:00Z", day), "minEffect", 0.05, "alpha", 0.01, "latency", latency));
    }

    /** Three lab nights at 100 us, then one at 150 us for bpf; Cilium's runs interleaved at other values; one damaged line. */
    public static Path history(Path dir) throws Exception {
        List<String> lines = List.of(
                line("masquerade-toggle", LAB, 1, 100, 100, List.of()),
                line("masquerade-toggle", LAB, 2, 101, 100, List.of()),
                line("masquerade-toggle", CILIUM, 2, 60, 55, List.of()),
                "{\"runId\":\"half\",\"scenario\":\"masquerade-toggle\",\"datapath\":",
                line("masquerade-toggle", LAB, 3, 100, 101, List.of(2)),
                line("masquerade-toggle", CILIUM, 3, 61, 55, List.of()),
                line("masquerade-toggle", LAB, 4, 100, 150, List.of()));
        Path file = dir.resolve("history.jsonl");
        Files.write(file, lines);
        return file;
    }

    /** A one-run baseline of bpf's tcp-rr pod path, open loop. */
    static Baselines.Baseline baseline(String source, List<Long> p50, List<Long> p99) {
        return new Baselines.Baseline(source, List.of(List.of(new History.Group("bpf", "tcp-rr", "pod", "open", p50, p99, List.of(), Map.of()))));
    }

    @Test
    void aDamagedLineIsNamedByItsNumberAndTheOthersAreRead(@TempDir Path dir) throws Exception {
        History h = History.read(history(dir));
        assertThat(h.runs()).extracting(History.Run::line).containsExactly(1, 2, 3, 5, 6, 7);
        assertThat(h.problems()).singleElement().asString().startsWith(dir.resolve("history.jsonl") + ":4: not JSON");
    }

    @Test
    void aLineThatIsJsonButNotARunSaysWhichField(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("history.jsonl");
        Files.write(file, List.of("[1, 2]", "{\"scenario\":\"lab\",\"datapath\":\"x\",\"startedAt\":\"t\",\"latency\":[{\"mode\":\"a\","
                + "\"kind\":\"tcp-rr\",\"path\":\"pod\",\"trialP50Us\":[1,\"x\"],\"trialP99Us\":[]}]}", "", "{\"datapath\":\"x\"}"));
        assertThat(History.read(file).problems()).containsExactly(
                file + ":1: not a run (expected a JSON object, found array)",
                file + ":2: latency[0].trialP50Us: expected whole numbers, found \"x\"",
                file + ":4: scenario: expected text, found nothing");
    }

    @Test
    void aMissingHistoryIsNamed(@TempDir Path dir) {
        assertThatThrownBy(() -> History.read(dir.resolve("nope.jsonl"))).isInstanceOf(History.Unreadable.class)
                .hasMessageStartingWith(dir.resolve("nope.jsonl") + ": no such file");
    }

    @Test
    void labAndCiliumRunsAreSeparateSectionsWithASeriesPerMode(@TempDir Path dir) throws Exception {
        Trend t = Trend.of(History.read(history(dir)), (s, d) -> Optional.empty());
        assertThat(t.sections()).extracting(Trend.Section::datapath).containsExactly(LAB, CILIUM);
        Trend.Section lab = t.sections().get(0);
        assertThat(lab.runs()).hasSize(4);
        assertThat(lab.charts()).extracting(Trend.Chart::title).containsExactly("tcp-rr, pod path, open loop, p50",
                "tcp-rr, pod path, open loop, p99");
        Trend.Chart p50 = lab.charts().get(0);
        assertThat(p50.series()).extracting(Trend.Series::mode).containsExactly("bpf", "iptables");
        assertThat(p50.series().get(0).points()).extracting(Trend.Point::valueUs).containsExactly(100.0, 100.0, 101.0, 150.0);
        assertThat(t.sections().get(1).charts().get(0).series().get(0).points()).extracting(Trend.Point::valueUs)
                .containsExactly(55.0, 55.0);
    }

    @Test
    void eachRunIsJudgedAgainstThePreviousRunsOfItsDatapathWithTheBandAtTheEffectFloor(@TempDir Path dir) throws Exception {
        Trend t = Trend.of(History.read(history(dir)), (s, d) -> Optional.empty());
        List<Trend.Point> bpf = t.sections().get(0).charts().get(0).series().get(0).points();
        assertThat(bpf.get(0).verdict()).isNull();
        assertThat(bpf.get(0).bandLowUs()).isNaN();
        assertThat(bpf).extracting(Trend.Point::verdict).containsExactly(null, "same", "same", "slower");
        // Baseline of the last night: the 15 trials of nights 1-3 (median 100), band 100 +- 5%.
        assertThat(bpf.get(3).bandLowUs()).isEqualTo(95.0);
        assertThat(bpf.get(3).bandHighUs()).isEqualTo(105.0);
        // Night 3's trial 2 was flagged by a line of summary schema 5: left out of its p99, its p50 untouched.
        assertThat(bpf).extracting(Trend.Point::flagged).containsOnly(false);
        List<Trend.Point> bpfP99 = t.sections().get(0).charts().get(1).series().get(0).points();
        assertThat(bpfP99).extracting(Trend.Point::flagged).containsExactly(false, false, true, false);
        assertThat(bpfP99.get(2).valueUs()).as("the median of 404, 407, 404 and 405 without trial 2's 401").isEqualTo(404.5);
        // Cilium's second run is judged against Cilium's first only (5 trials a side), never the lab's.
        assertThat(t.sections().get(1).charts().get(0).series().get(1).points().get(1).bandLowUs()).isEqualTo(60 * 0.95);
    }

    @Test
    void anExplicitBaselineReplacesTheHistoryAsTheRunsDid(@TempDir Path dir) throws Exception {
        var explicit = baseline("baselines/lab.json", List.of(150L, 149L, 151L, 150L, 150L), List.of(600L, 600L, 600L, 600L, 600L));
        Trend t = Trend.of(History.read(history(dir)), (s, d) -> d.equals(LAB) ? Optional.of(explicit) : Optional.empty());
        assertThat(t.sections().get(0).charts().get(0).series().get(0).points()).extracting(Trend.Point::verdict)
                .containsExactly("faster", "faster", "faster", "same");
        assertThat(t.sections().get(0).charts().get(0).series().get(1).points()).extracting(Trend.Point::verdict)
                .containsOnly((String) null);
    }

    @Test
    void theExplicitBaselineIsReadFromTheReportsFolderForItsDatapathOnly(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("baselines"));
        Files.writeString(dir.resolve("baselines/masquerade-toggle.json"), "{\"datapath\":\"" + LAB + "\",\"latency\":[{\"mode\":\"bpf\","
                + "\"kind\":\"tcp-rr\",\"path\":\"pod\",\"loop\":\"open\",\"trialP50Us\":[150,149,151,150,150],\"trialP99Us\":[600,600,600,600,600]}]}");
        Trend t = Trend.of(History.read(history(dir)), dir);
        assertThat(t.sections().get(0).charts().get(0).series().get(0).points()).extracting(Trend.Point::verdict)
                .containsExactly("faster", "faster", "faster", "same");
        // Cilium's runs keep their history: the file is the lab's.
        assertThat(t.sections().get(1).charts().get(0).series().get(0).points()).extracting(Trend.Point::verdict)
                .containsExactly(null, "same");
    }

    @Test
    void thePageHasOnePolylinePerSeriesAndAMarkerPerRun(@TempDir Path dir) throws Exception {
        Trend t = Trend.of(History.read(history(dir)), (s, d) -> Optional.empty());
        String html = TrendHtml.render(t);
        assertThat(html).doesNotContain("<script").contains("Datapath: " + LAB).contains("Datapath: " + CILIUM)
                .contains(":4: not JSON");
        long series = t.sections().stream().flatMap(s -> s.charts().stream()).mapToLong(c -> c.series().size()).sum();
        assertThat(count(html, "<polyline class=\"series\"")).isEqualTo(series).isEqualTo(8);
        // 2 metrics x 2 modes x (4 lab + 2 Cilium runs) points, each with its marker; lab's last bpf night is slower on p50 and p99.
        assertThat(count(html, "class=\"verdict ")).isEqualTo(24 + legendMarkers());
        assertThat(count(html, "class=\"verdict slower\"")).isEqualTo(2 + 1);
        assertThat(count(html, "class=\"flagged\"")).as("night 3's p99 only").isEqualTo(1);
        // A polyline joins the points of one mode only: lab bpf p50 runs through 100, 100, 101 and up to 150.
        Matcher m = Pattern.compile("<polyline class=\"series\" data-mode=\"bpf\" points=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).isTrue();
        String[] points = m.group(1).split(" ");
        assertThat(points).hasSize(4);
        assertThat(y(points[3])).isLessThan(y(points[0]));
        assertThat(y(points[1])).isEqualTo(y(points[0]));
    }

    /** A line as a run with a latency gate writes it: what it was judged against and, per group, its verdicts. */
    static String judged(String line, String against, Map<String, Map<String, Object>> verdictsByMode) throws Exception {
        var json = new ObjectMapper();
        var run = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(line);
        run.put("baseline", against);
        for (var group : run.withArray("latency")) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) group).set("againstBaseline",
                    json.valueToTree(verdictsByMode.getOrDefault(group.get("mode").asText(), Map.of())));
        }
        return json.writeValueAsString(run);
    }

    @Test
    void aRunShowsTheVerdictItsGateGaveNotOneMadeAgainstTodaysBaseline(@TempDir Path dir) throws Exception {
        Map<String, Object> slowerThan80 = Map.of("p50", Map.of("verdict", "slower", "baselineUs", 80.0, "why", "+25% (p=0.008)"));
        Path file = dir.resolve("history.jsonl");
        Files.write(file, List.of(
                line("masquerade-toggle", LAB, 1, 100, 100, List.of()),
                judged(line("masquerade-toggle", LAB, 2, 100, 100, List.of()), "baselines/masquerade-toggle.json", Map.of("bpf", slowerThan80)),
                judged(line("masquerade-toggle", LAB, 3, 100, 100, List.of()), Summary.NO_BASELINE, Map.of())));
        // Today's explicit baseline says 150 us: re-judged, every night would read "faster".
        var today = baseline("baselines/masquerade-toggle.json", List.of(150L, 149L, 151L, 150L, 150L), List.of(600L, 600L, 600L, 600L, 600L));
        Trend t = Trend.of(History.read(file), (s, d) -> Optional.of(today));
        Trend.Chart p50 = t.sections().get(0).charts().get(0);
        List<Trend.Point> bpf = p50.series().get(0).points();
        assertThat(bpf).extracting(Trend.Point::verdict).containsExactly("faster", "slower", null);
        assertThat(bpf.get(0).why()).endsWith("(judged by the trend: the run's line keeps no verdict)");
        assertThat(bpf.get(1).why()).isEqualTo("+25% (p=0.008) (judged when it ran, against baselines/masquerade-toggle.json)");
        assertThat(bpf.get(1).bandLowUs()).isEqualTo(76.0);
        assertThat(bpf.get(1).bandHighUs()).isEqualTo(84.0);
        assertThat(bpf.get(2).why()).as("the run had no baseline, though the history and today's file have").isEqualTo("no baseline when it ran");
        assertThat(bpf.get(2).bandLowUs()).isNaN();
        assertThat(p50.series().get(1).points()).as("iptables on night 2: judged, but no p50 verdict kept").extracting(Trend.Point::why)
                .element(1).isEqualTo("no baseline when it ran");
        assertThat(t.sections().get(0).charts().get(1).series().get(0).points().get(1).verdict()).as("p99 of night 2: none kept").isNull();
    }

    @Test
    void aKeptVerdictThatIsNotOneIsNamed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("history.jsonl");
        Files.write(file, List.of(
                judged(line("lab", LAB, 1, 100, 100, List.of()), "x", Map.of("bpf", Map.of("p50", Map.of("verdict", "same")))),
                line("lab", LAB, 2, 100, 100, List.of()).replace("\"latency\":", "\"baseline\":7,\"latency\":")));
        assertThat(History.read(file).problems()).containsExactly(
                file + ":1: latency[0].againstBaseline.p50.baselineUs: expected a number (or null: no usable baseline trial), found nothing",
                file + ":2: baseline: expected text, found 7");
    }

    @Test
    void aRunThatMeasuredNothingIsListedApartNotASection(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("history.jsonl");
        Files.writeString(file, "{\"scenario\":\"lab\",\"datapath\":\"never started\",\"startedAt\":\"2026-11-26T16:34:08Z\",\"latency\":[]}\n");
        String html = TrendHtml.render(Trend.of(History.read(file), (s, d) -> Optional.empty()));
        Trend trend = Trend.of(History.read(file), (s, d) -> Optional.empty());
        assertThat(trend.sections()).as("a run that measured nothing is no point of any series").isEmpty();
        assertThat(trend.unmeasured()).extracting(History.Run::datapath).containsExactly("never started");
        assertThat(html).contains("<h2>Runs that measured nothing</h2>").contains("lab on never started at 2026-11-26T16:34:08Z")
                .doesNotContain("Datapath: never started").doesNotContain("<polyline");
    }

    private static int legendMarkers() {
        return 5;
    }

    private static double y(String point) {
        return Double.parseDouble(point.split(",")[1]);
    }

    static long count(String s, String what) {
        return Pattern.compile(Pattern.quote(what)).matcher(s).results().count();
    }
}
