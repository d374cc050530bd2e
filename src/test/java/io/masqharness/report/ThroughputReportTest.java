package io.masqharness.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.masqharness.latency.StreamTrial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tcp-stream through the report: groups, verdicts whose direction is right, ratios to the host path, history, trend, pages. */
class ThroughputReportTest {

    static final String LAB = "lab reference datapath (not Cilium)";

    @TempDir
    Path reports;

    /**
     * Five trials of a mode, path and direction at {@code gbps} (+0..0.4 Gbit/s apart) with {@code retransmits} each, sent
     * with cubic (bbr in mode bpf).
     */
    static List<StreamTrial> trials(String mode, String path, String direction, double gbps, long retransmits) {
        List<StreamTrial> t = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            t.add(new StreamTrial(mode, "tcp-stream", path, direction, i, 2, Math.round((gbps + 0.1 * i) * 1e9), retransmits + i,
                    mode.equals("bpf") ? "bbr" : "cubic"));
        }
        return t;
    }

    static List<StreamTrial> run(double podUpload, double hostUpload, long podRetransmits) {
        List<StreamTrial> all = new ArrayList<>();
        all.addAll(trials("iptables", "pod", "upload", 10, 10));
        all.addAll(trials("iptables", "host", "upload", 12, 10));
        all.addAll(trials("bpf", "pod", "upload", podUpload, podRetransmits));
        all.addAll(trials("bpf", "host", "upload", hostUpload, 10));
        return all;
    }

    @Test
    void groupsKeepEachTrialsGoodputAndRetransmissionsWithTheirMedians() {
        List<Summary.StreamGroup> groups = LatencySummaries.streamGroups(run(10, 12, 10));
        assertThat(groups).extracting(TrialSeries::key).containsExactly("iptables|tcp-stream|pod|upload", "iptables|tcp-stream|host|upload",
                "bpf|tcp-stream|pod|upload", "bpf|tcp-stream|host|upload");
        Summary.StreamGroup g = groups.get(0);
        assertThat(g.trialGoodputBps()).containsExactly(10_000_000_000L, 10_100_000_000L, 10_200_000_000L, 10_300_000_000L, 10_400_000_000L);
        assertThat(g.trials("goodput")).isEqualTo(g.trialGoodputBps());
        assertThat(g.trials("retransmits")).containsExactly(10L, 11L, 12L, 13L, 14L);
        assertThat(g.trials("p50")).isEmpty();
        assertThat(g.medianGoodputBps()).isEqualTo(10.2e9);
        assertThat(g.medianRetransmits()).isEqualTo(12);
        assertThat(g.streams()).isEqualTo(2);
        assertThat(g.loop()).isEqualTo("upload");
        assertThat(g.leftOut("goodput")).isEmpty();
        assertThat(groups).extracting(Summary.StreamGroup::congestionControl).containsExactly("cubic", "cubic", "bbr", "bbr");
    }

    @Test
    void aGroupNamesEachCongestionControlItsSendersUsedOnceAndNoneWhenIperf3DidNotSay() throws Exception {
        List<StreamTrial> mixed = new ArrayList<>(trials("m", "pod", "upload", 10, 0));
        mixed.set(1, new StreamTrial("m", "tcp-stream", "pod", "upload", 1, 2, 1, 0, "bbr"));
        mixed.set(3, new StreamTrial("m", "tcp-stream", "pod", "upload", 3, 2, 1, 0, ""));
        assertThat(LatencySummaries.streamGroups(mixed).get(0).congestionControl()).isEqualTo("cubic, bbr");
        List<StreamTrial> unsaid = trials("m", "pod", "upload", 10, 0).stream().map(t -> new StreamTrial(t.mode(), t.kind(), t.path(),
                t.direction(), t.index(), t.streams(), t.goodputBps(), t.retransmits(), "")).toList();
        Summary.StreamGroup none = LatencySummaries.streamGroups(unsaid).get(0);
        assertThat(none.congestionControl()).isEmpty();
        assertThat(LatencyHtml.congestionControl(none)).isEqualTo("not reported");
        // A summary.json written before the field (compare reads old ones): no congestion control, not null.
        Summary.StreamGroup old = new ObjectMapper().readValue("{\"mode\":\"m\",\"kind\":\"tcp-stream\",\"path\":\"pod\","
                + "\"direction\":\"upload\",\"streams\":1,\"trialGoodputBps\":[1],\"trialRetransmits\":[0],\"medianGoodputBps\":1,"
                + "\"medianRetransmits\":0}", Summary.StreamGroup.class);
        assertThat(old.congestionControl()).isEmpty();
    }

    @Test
    void lessGoodputIsSlowerAndMoreRetransmissionsToo() {
        List<Summary.ComparisonRow> rows = LatencySummaries.againstFirstMode(LatencySummaries.streamGroups(run(5, 12, 500)), 0.05, 0.01);
        assertThat(rows).extracting(r -> r.path() + " " + r.metric() + " " + r.verdict()).containsExactly(
                "pod goodput slower", "pod retransmits slower", "host goodput same", "host retransmits same");
        Summary.ComparisonRow goodput = rows.get(0);
        assertThat(goodput.unit()).isEqualTo("bit/s");
        assertThat(goodput.value(goodput.baselineUs())).isEqualTo("10.20 Gbit/s");
        assertThat(goodput.value(goodput.candidateUs())).isEqualTo("5.20 Gbit/s");
        assertThat(goodput.change()).isEqualTo("-49.0%");
        assertThat(rows.get(1).unit()).isEqualTo("count");
        assertThat(rows.get(1).value(12)).isEqualTo("12");
        List<Summary.ComparisonRow> better = LatencySummaries.againstFirstMode(LatencySummaries.streamGroups(run(20, 12, 0)), 0.05, 0.01);
        assertThat(better).extracting(r -> r.path() + " " + r.metric() + " " + r.verdict()).startsWith("pod goodput faster",
                "pod retransmits faster");
    }

    @Test
    void againstABaselineTheMachineSlowingDownIsNotARegressionButThePodPathAloneIs() {
        Baselines.Baseline baseline = new Baselines.Baseline("earlier", List.of(LatencySummaries.streamGroups(run(10, 12, 10))));
        // every path at half the goodput: the machine
        List<Summary.ComparisonRow> machine = Baselines.compare(LatencySummaries.streamGroups(halved(run(10, 12, 10))), baseline, 0.05, 0.01);
        Summary.ComparisonRow ratio = machine.stream().filter(r -> r.candidate().equals("bpf") && r.path().equals("pod/host")
                && r.metric().equals("goodput")).findFirst().orElseThrow();
        assertThat(ratio.verdict()).isEqualTo("same");
        assertThat(ratio.unit()).isEqualTo("ratio");
        assertThat(machine).filteredOn(r -> r.path().equals("host") && r.metric().equals("goodput")).allSatisfy(r -> {
            assertThat(r.verdict()).isEqualTo("slower");
            assertThat(Baselines.gates(r)).isFalse();
        });
        assertThat(machine.stream().filter(r -> r.verdict().equals("slower") && Baselines.gates(r) && r.metric().equals("goodput"))).isEmpty();
        // the pod path alone at half
        List<Summary.ComparisonRow> pod = Baselines.compare(LatencySummaries.streamGroups(run(5, 12, 10)), baseline, 0.05, 0.01);
        assertThat(pod).filteredOn(r -> r.candidate().equals("bpf") && r.path().equals("pod/host") && r.metric().equals("goodput"))
                .singleElement().satisfies(r -> {
                    assertThat(r.verdict()).isEqualTo("slower");
                    assertThat(Baselines.gates(r)).isTrue();
                    assertThat(r.relativeEffect()).isLessThan(-0.4);
                });
    }

    static List<StreamTrial> halved(List<StreamTrial> trials) {
        return trials.stream().map(t -> new StreamTrial(t.mode(), t.kind(), t.path(), t.direction(), t.index(), t.streams(),
                t.goodputBps() / 2, t.retransmits(), t.congestionControl())).toList();
    }

    static Summary summary(List<StreamTrial> trials, String baseline, List<Summary.ComparisonRow> againstBaseline) {
        List<Summary.StreamGroup> groups = LatencySummaries.streamGroups(trials);
        List<Summary.ComparisonRow> rows = new ArrayList<>(LatencySummaries.againstFirstMode(groups, 0.05, 0.01));
        rows.addAll(againstBaseline);
        return new Summary(Summary.SCHEMA_VERSION, "r1", "lab", LAB, "2026-12-07T12:00:00Z", List.of(), List.of(), List.of(), rows, 0.05,
                0.01, baseline, null, groups);
    }

    @Test
    void historyLinesKeepTheTrialsAndTheVerdictsAndTheTrendChartsThemInGbitPerSecond() throws Exception {
        Summary first = summary(run(10, 12, 10), null, List.of());
        assertThat(first.measured()).as("throughput alone is a measurement").isTrue();
        assertThat(first.schemaVersion()).isEqualTo(7);
        ReportWriter.appendHistory(reports.resolve("history.jsonl"), first, reports.resolve("run-1"));
        Baselines.Baseline baseline = Baselines.load(reports, "lab", LAB).orElseThrow();
        assertThat(baseline.values("bpf|tcp-stream|pod|upload", "goodput")).hasSize(5).first().isEqualTo(10_000_000_000L);
        assertThat(baseline.values("bpf|tcp-stream|pod|upload", "retransmits")).containsExactly(10L, 11L, 12L, 13L, 14L);

        List<StreamTrial> slower = run(5, 12, 10);
        List<Summary.ComparisonRow> judged = Baselines.compare(LatencySummaries.streamGroups(slower), baseline, 0.05, 0.01);
        ReportWriter.appendHistory(reports.resolve("history.jsonl"), summary(slower, baseline.source(), judged), reports.resolve("run-2"));

        JsonNode line = new ObjectMapper().readTree(Files.readAllLines(reports.resolve("history.jsonl")).get(1));
        JsonNode pod = line.path("throughput").get(2);
        assertThat(pod.path("direction").asText()).isEqualTo("upload");
        assertThat(pod.path("streams").asInt()).isEqualTo(2);
        assertThat(pod.path("congestionControl").asText()).isEqualTo("bbr");
        assertThat(pod.path("againstBaseline").path("goodput").path("verdict").asText()).isEqualTo("slower");
        assertThat(pod.path("againstBaseline").path("goodput").path("gated").asBoolean()).isTrue();
        assertThat(pod.path("againstBaseline").path("goodput").path("why").asText()).startsWith("relative to the host path: ");
        assertThat(pod.path("againstBaseline").path("goodput").path("baselineUs").asDouble()).isEqualTo(10.2e9);

        History history = History.read(reports.resolve("history.jsonl"));
        assertThat(history.problems()).isEmpty();
        assertThat(history.runs().get(1).throughput()).hasSize(4);
        assertThat(history.runs().get(1).series()).hasSize(4);
        History.StreamLine read = history.runs().get(1).throughput().get(2);
        assertThat(read.trials("goodput")).hasSize(5);
        assertThat(read.againstBaseline().get("goodput").verdict()).isEqualTo("slower");

        Trend trend = Trend.of(history, (s, d) -> Optional.empty());
        Trend.Chart chart = trend.sections().get(0).charts().stream().filter(c -> c.title().equals("tcp-stream, pod path, upload, goodput"))
                .findFirst().orElseThrow();
        assertThat(chart.unit()).isEqualTo("bit/s");
        Trend.Point last = chart.series().stream().filter(s -> s.mode().equals("bpf")).findFirst().orElseThrow().points().get(1);
        assertThat(last.verdict()).isEqualTo("slower");
        assertThat(last.regression()).isTrue();
        assertThat(last.valueUs()).isEqualTo(5.2e9);
        assertThat(TrendHtml.render(trend)).contains("tcp-stream, pod path, upload, goodput").contains("5.20 Gbit/s").contains(" G</text>");
        assertThat(TrendHtml.axis(2e9, "bit/s")).isEqualTo("2.0 G");
        assertThat(TrendHtml.axis(12, "count")).isEqualTo("12");
        assertThat(TrendHtml.value(3, "count")).isEqualTo("3 retransmits");
        assertThat(TrendHtml.value(250, "us")).isEqualTo("250 µs");
    }

    @Test
    void aHistoryLineWhoseThroughputIsDamagedIsNamed() throws Exception {
        Files.writeString(reports.resolve("history.jsonl"), """
                {"scenario":"lab","datapath":"x","startedAt":"t","latency":[],"throughput":{}}
                {"scenario":"lab","datapath":"x","startedAt":"t","latency":[],"throughput":[{"mode":"m","kind":"tcp-stream","path":"pod","trialGoodputBps":[1],"trialRetransmits":[0]}]}
                """);
        History h = History.read(reports.resolve("history.jsonl"));
        assertThat(h.problems()).hasSize(2);
        assertThat(h.problems().get(0)).endsWith(":1: throughput: expected a list");
        assertThat(h.problems().get(1)).endsWith(":2: throughput[0].direction: expected text, found nothing");
        assertThatThrownBy(() -> History.streams(new ObjectMapper().readTree("{}"))).hasMessage("throughput: expected a list");
        assertThat(History.streams(new ObjectMapper().readTree("[]"))).isEmpty();
    }

    @Test
    void thePagesShowTheThroughputTable() {
        Summary s = summary(run(5, 12, 10), null, List.of());
        String html = HtmlReport.render(s, List.of());
        assertThat(html).contains("<h2 id=\"throughput\">Throughput</h2>").contains("<td>bpf</td><td>pod</td><td>upload</td><td>2</td>"
                + "<td>5</td><td>5.20 Gbit/s</td><td>12</td><td>bbr</td><td>5.00 Gbit/s, 5.10 Gbit/s, 5.20 Gbit/s, 5.30 Gbit/s, 5.40 Gbit/s</td>")
                .contains("the external host's on a download")
                .doesNotContain("<h2 id=\"latency\">").contains("<a href=\"#throughput\">throughput</a>")
                .doesNotContain("<a href=\"#latency\">");
        assertThat(MarkdownSummary.render(s, "t")).contains("| bpf | tcp-stream | pod | upload | 2 | 5 | 5.20 | 12 | bbr |")
                .contains("| iptables | tcp-stream | pod | upload | 2 | 5 | 10.20 | 12 | cubic |")
                .contains("A drop in goodput is a slower verdict.");
        Summary latencyOnly = new Summary(7, "r", "lab", LAB, "2026-12-07T12:00:00Z", List.of(), List.of(), List.of(), List.of(), 0.05, 0.01);
        assertThat(latencyOnly.throughput()).isEmpty();
        assertThat(latencyOnly.measured()).isFalse();
        assertThat(HtmlReport.render(latencyOnly, List.of())).doesNotContain("Throughput").doesNotContain("#throughput");
        assertThat(MarkdownSummary.render(latencyOnly, "t")).doesNotContain("goodput");
        assertThat(Map.of("s", s.series().size())).containsEntry("s", 4);
    }
}
