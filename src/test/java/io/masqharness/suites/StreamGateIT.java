package io.masqharness.suites;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.masqharness.cluster.lab.LabCluster;
import io.masqharness.conformance.Backends;
import io.masqharness.conformance.LatencyCampaign;
import io.masqharness.conformance.LatencyGate;
import io.masqharness.conformance.RunReport;
import io.masqharness.latency.StreamTrial;
import io.masqharness.report.Baselines;
import io.masqharness.report.Summary;
import io.masqharness.scenario.ClusterSpec;
import io.masqharness.scenario.LatencySpec;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.commons.math3.stat.descriptive.rank.Median;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tcp-stream end to end on the lab, with real iperf3 in the probe image: goodput, retransmissions and the
 * senders' congestion control per mode, path and direction; the jumbo-MTU and BBR modes against the first,
 * with their statistics; a mode whose external host sends at 200 Mbit/s at most (tc tbf on its eth0) turns
 * the gate red on its download goodput, the same run without it stays green; the report, its history line
 * and the trend carry the throughput, and a gate against that history judges the pod path relative to its
 * host path.
 */
class StreamGateIT {

    static final Path SCENARIO = Path.of("src/test/resources/scenarios/lab-throughput.yaml");
    static final String THROTTLED = "bpf-throttled";
    static final String RATE = "200mbit";
    static final String JUMBO = "jumbo";
    static final String BBR = "bbr";
    static final String BASELINE = "bpf";

    private final long started = System.nanoTime();

    private void progress(String line) {
        System.out.printf("[stream %5.1fs] %s%n", (System.nanoTime() - started) / 1e9, line);
    }

    @Test
    void aThrottledModeFailsTheGateOnDownloadGoodputAndTheReportHistoryAndTrendCarryIt(@TempDir Path reports) throws Exception {
        Scenario scenario = new ScenarioLoader().load(SCENARIO);
        Backends.unavailable(scenario, ClusterSpec.Backend.LAB).ifPresent(reason -> Assumptions.abort("lab cannot run here: " + reason));
        LatencySpec spec = scenario.latency().orElseThrow();
        LatencyCampaign.Measurements m;
        String datapath;
        String nodeDefault;
        try (LabCluster lab = (LabCluster) Backends.start(scenario, ClusterSpec.Backend.LAB, this::progress)) {
            datapath = lab.datapath();
            nodeDefault = lab.nodeCongestionControl();
            m = LatencyCampaign.measure(scenario, scenario.modes(), new LabWithSwitchHook(lab, mode -> lab.externalHost().run(Duration.ofSeconds(10), "sh", "-c", mode.name().equals(THROTTLED)
                    ? "tc qdisc replace dev eth0 root tbf rate " + RATE + " burst 256kb latency 50ms"
                    : "tc qdisc del dev eth0 root 2>/dev/null; true")), spec, this::progress);
        }
        List<StreamTrial> streams = m.streams();
        assertThat(m.latency()).isEmpty();
        assertThat(streams).as("4 trials x 4 modes x (upload, download) x (pod, host)").hasSize(64)
                .allSatisfy(t -> assertThat(t.goodputBps()).as(t.tag()).isPositive())
                .allSatisfy(t -> assertThat(t.streams()).as(t.tag()).isEqualTo(2))
                .allSatisfy(t -> assertThat(t.retransmits()).as(t.tag()).isNotNegative());
        double throttled = median(streams, THROTTLED, StreamTrial.DOWNLOAD);
        double free = median(streams, BASELINE, StreamTrial.DOWNLOAD);
        progress(String.format("pod download goodput: %s %.2f Gbit/s, %s %.3f Gbit/s; pod upload: %s %.2f, %s %.2f, %s %.2f Gbit/s",
                BASELINE, free / 1e9, THROTTLED, throttled / 1e9, BASELINE, median(streams, BASELINE, StreamTrial.UPLOAD) / 1e9,
                JUMBO, median(streams, JUMBO, StreamTrial.UPLOAD) / 1e9, BBR, median(streams, BBR, StreamTrial.UPLOAD) / 1e9));
        // BBR for pods, as iperf3 read it on the sending sockets: the pods' uploads in the BBR mode only; the nodes' own
        // sockets (the host path) keep the lab nodes' default, and a download's sender is the external host, no pod.
        assertThat(streams).filteredOn(t -> t.direction().equals(StreamTrial.UPLOAD)).allSatisfy(t -> assertThat(t.congestionControl())
                .as(t.tag()).isEqualTo(t.mode().equals(BBR) && t.path().equals("pod") ? "bbr" : nodeDefault));
        assertThat(nodeDefault).isIn("cubic", "reno");
        assertThat(streams).filteredOn(t -> t.direction().equals(StreamTrial.DOWNLOAD)).extracting(StreamTrial::congestionControl)
                .as("the external host's, whatever the mode").isNotEmpty().containsOnly(streams.stream()
                        .filter(t -> t.direction().equals(StreamTrial.DOWNLOAD)).findFirst().orElseThrow().congestionControl());
        assertThat(throttled).as("the 200 Mbit/s limit, as iperf3 measured it (bit/s)").isBetween(100e6, 220e6);
        assertThat(free).as("unthrottled goodput on the lab's VXLAN fabric").isGreaterThan(3 * throttled);

        LatencyGate without = LatencyGate.judge(List.of(), streams.stream().filter(t -> !t.mode().equals(THROTTLED)).toList(), spec,
                Optional.empty());
        progress("without the throttle:\n" + without.table());
        assertThat(without.judged()).isTrue();
        assertThat(without.passed()).as(without.table()).isTrue();

        // The tuning list's MTU and BBR claims, judged like everything else: whatever the statistics say, with their p-values.
        // On veth with GSO most segmentation is deferred, so a jumbo MTU may move little here, and BBR's edge is on lossy,
        // deep-buffered paths, not a lossless veth; the figures are printed, not assumed.
        for (String candidate : List.of(JUMBO, BBR)) {
            List<Summary.ComparisonRow> rows = without.rows().stream().filter(r -> r.candidate().equals(candidate) && r.path().equals("pod"))
                    .toList();
            rows.forEach(r -> progress(String.format("%s against %s, pod %s %s: %s -> %s (%+.0f%%), p=%.3f: %s", candidate, BASELINE,
                    r.loop(), r.metric(), r.value(r.baselineUs()), r.value(r.candidateUs()), r.relativeEffect() * 100, r.pValue(), r.verdict())));
            assertThat(rows).as(without.table()).hasSize(4).allSatisfy(r -> {
                assertThat(r.pValue()).isBetween(0.0, 1.0);
                assertThat(r.verdict()).isIn("same", "faster", "slower", "inconclusive");
            }).filteredOn(r -> r.metric().equals("goodput")).hasSize(2).allSatisfy(r -> assertThat(r.candidateUs()).isPositive());
        }

        LatencyGate with = LatencyGate.judge(List.of(), streams, spec, Optional.empty());
        progress("with the throttle:\n" + with.table());
        assertThat(with.passed()).isFalse();
        assertThat(with.regressions()).as(with.table()).isNotEmpty()
                .allSatisfy(r -> assertThat(r.candidate()).isEqualTo(THROTTLED))
                .allSatisfy(r -> assertThat(r.loop()).isEqualTo(StreamTrial.DOWNLOAD))
                .allSatisfy(r -> assertThat(r.metric()).isEqualTo("goodput"))
                .extracting(Summary.ComparisonRow::path).contains("pod");
        assertThat(with.rows()).filteredOn(r -> r.candidate().equals(THROTTLED) && r.loop().equals(StreamTrial.DOWNLOAD)
                && r.metric().equals("goodput")).as(with.table()).hasSize(2)
                .allSatisfy(r -> assertThat(r.verdict()).isEqualTo("slower"))
                .allSatisfy(r -> assertThat(r.relativeEffect()).isLessThan(-0.5));
        assertThat(with.failure()).contains("<< regression").contains("Gbit/s");

        // The report of the run without the throttle, its history line, the trend; then a gate against that history.
        RunReport report = new RunReport(scenario);
        List<StreamTrial> kept = streams.stream().filter(t -> !t.mode().equals(THROTTLED)).toList();
        report.addStreams(kept);
        report.gated(without);
        Path run = report.write(reports, null, datapath);
        JsonNode summary = new ObjectMapper().readTree(run.resolve("summary.json").toFile());
        assertThat(summary.path("schemaVersion").asInt()).isEqualTo(7);
        assertThat(summary.path("throughput")).hasSize(12);
        assertThat(summary.path("throughput")).filteredOn(g -> g.path("mode").asText().equals(BBR) && g.path("path").asText().equals("pod")
                && g.path("direction").asText().equals(StreamTrial.UPLOAD)).singleElement()
                .satisfies(g -> assertThat(g.path("congestionControl").asText()).isEqualTo("bbr"));
        assertThat(summary.path("throughput").get(0).path("trialGoodputBps")).hasSize(4);
        assertThat(Files.readString(run.resolve("index.html"))).contains("Throughput").contains("Gbit/s");
        assertThat(Files.readString(run.resolve("summary.md"))).contains("| tcp-stream |").contains(" | bbr |");
        JsonNode line = new ObjectMapper().readTree(Files.readAllLines(reports.resolve("history.jsonl")).get(0));
        assertThat(line.path("throughput")).hasSize(12);
        assertThat(Files.readString(reports.resolve("trend.html"))).contains("tcp-stream, pod path, download, goodput");

        Optional<Baselines.Baseline> history = Baselines.load(reports, scenario.name(), datapath);
        assertThat(history).isPresent();
        LatencyGate again = LatencyGate.judge(List.of(), kept, spec, history);
        progress("the same trials against their own history:\n" + again.table());
        assertThat(again.passed()).as(again.table()).isTrue();
        assertThat(again.rows()).filteredOn(r -> r.path().equals("pod/host") && r.metric().equals("goodput")).as(again.table())
                .hasSize(6).allSatisfy(r -> assertThat(r.verdict()).isEqualTo("same"));
    }

    private static double median(List<StreamTrial> trials, String mode, String direction) {
        return new Median().evaluate(trials.stream().filter(t -> t.mode().equals(mode) && t.path().equals("pod")
                && t.direction().equals(direction)).mapToDouble(StreamTrial::goodputBps).toArray());
    }
}
