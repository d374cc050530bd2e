package io.masqharness.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.cluster.ClusterException;
import io.masqharness.cluster.ModeCheck;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioFacts;
import io.masqharness.scenario.ScenarioLoader;
import io.masqharness.probe.Probes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the conformance layer does with silence, retries and failing clusters (a scripted cluster, no Docker). */
class RetriesAndFailuresTest {

    static final String PUBLIC = "198.20.0.10";
    static final String PRIVATE = "192.168.77.10";
    static final String NODE_IP = "172.29.0.11";
    static final String POD_IP = "10.44.0.10";

    @TempDir
    Path dir;
    Scenario scenario;
    FakeCluster cluster;
    final List<String> progress = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void oneNodeTwoDestinationsTcpOnly() throws Exception {
        load("tcp");
    }

    private void load(String probes) throws Exception {
        Path file = dir.resolve("fake.yaml");
        Files.writeString(file, """
                name: fake
                cluster: {backend: lab, nodes: 1, network: {subnet: 172.29.0.0/24}, podCIDR: 10.44.0.0/16}
                cilium: {version: 1.13.4, values: {tunnel: disabled, ipv4NativeRoutingCIDR: 10.44.0.0/16,
                  autoDirectNodeRoutes: true, kubeProxyReplacement: strict}}
                modes:
                  - {name: iptables, values: {bpf.masquerade: false}}
                destinations:
                  - {name: public, ip: 198.20.0.10}
                  - {name: private, ip: 192.168.77.10}
                probes: [%s]
                """.formatted(probes));
        scenario = new ScenarioLoader().load(file);
        cluster = new FakeCluster(scenario);
    }

    private List<CellResult> run() {
        return ModeRun.run(scenario, cluster, scenario.mode("iptables"), ScenarioFacts.agentConfig(scenario, scenario.mode("iptables")),
                progress::add, IcmpFlowsTest.SETTLE);
    }

    private CellResult cell(List<CellResult> results, String address) {
        return results.stream().filter(r -> r.cell().address().equals(address)).findFirst().orElseThrow();
    }

    @Test
    void aFlowSilentAtFirstIsRetriedOnceAndTheAttemptIsCounted() {
        AtomicInteger calls = new AtomicInteger();
        cluster.snat = targets -> {
            boolean first = calls.getAndIncrement() == 0;
            StringBuilder out = new StringBuilder();
            targets.forEach(t -> out.append(first && t.equals(PUBLIC) ? FakeCluster.answer(t, 0, null) : FakeCluster.answer(t, 2, NODE_IP)));
            return out.toString();
        };
        List<CellResult> results = run();
        assertThat(cluster.probeCalls).containsExactly(List.of(PUBLIC, PRIVATE), List.of(PUBLIC));
        assertThat(cell(results, PUBLIC).verdict().passed()).isTrue();
        assertThat(cell(results, PUBLIC).observed().attempts()).isEqualTo(2);
        assertThat(cell(results, PUBLIC).observed().evidence()).contains("attempt 1: 0/2 answered, timed out");
        assertThat(cell(results, PRIVATE).observed().attempts()).isEqualTo(1);
        assertThat(progress).containsExactly("retry 1/2: tcp node-1-pod-a -> [198.20.0.10] got no answer (0/2 answered, timed out)");
    }

    @Test
    void aFlowThatNeverAnswersIsTriedABoundedNumberOfTimesThenFailsWithEveryAttempt() {
        cluster.snat = targets -> String.join("", targets.stream().map(t -> t.equals(PUBLIC) ? FakeCluster.answer(t, 0, null)
                : FakeCluster.answer(t, 2, NODE_IP)).toList());
        CellResult silent = cell(run(), PUBLIC);
        assertThat(cluster.probeCalls).hasSize(1 + Probes.RETRIES);
        assertThat(silent.observed().attempts()).isEqualTo(1 + Probes.RETRIES);
        assertThat(silent.verdict().passed()).isFalse();
        assertThat(silent.verdict().message()).contains("observed nothing arrived (no answer)").contains("attempt 1:").contains("attempt 2:");
        assertThat(progress).hasSize(Probes.RETRIES);
    }

    @Test
    void aWrongSourceIsNeverRetried() {
        cluster.snat = targets -> String.join("", targets.stream().map(t -> FakeCluster.answer(t, 2, POD_IP)).toList());
        List<CellResult> results = run();
        assertThat(cluster.probeCalls).hasSize(1);
        assertThat(results).allMatch(r -> !r.verdict().passed() && r.observed().attempts() == 1);
        assertThat(progress).isEmpty();
    }

    @Test
    void aProbeThatCannotRunIsAnUnansweredFlowNamingWhy() {
        cluster.snat = targets -> {
            throw new ClusterException("exec probe snat", "node-1", "Status 409: container is not running");
        };
        CellResult r = cell(run(), PUBLIC);
        assertThat(r.verdict().passed()).isFalse();
        assertThat(r.observed().attempts()).isEqualTo(1 + Probes.RETRIES);
        assertThat(r.verdict().message()).contains("the probe could not run: Operation [exec probe snat] on [node-1] failed:"
                + " Status 409: container is not running");
    }

    @Test
    void aPingThatCannotRunIsRetriedAndItsReasonIsInTheEvidence() throws Exception {
        load("icmp-echo");
        AtomicInteger calls = new AtomicInteger();
        cluster.ping = script -> {
            calls.incrementAndGet();
            throw new ClusterException("exec sh -c ping", "node-1", "Status 409: container is not running");
        };
        List<CellResult> results = run();
        assertThat(calls).hasValue(1 + Probes.RETRIES);
        assertThat(results).hasSize(2).allSatisfy(r -> {
            assertThat(r.verdict().passed()).isFalse();
            assertThat(r.observed().attempts()).isEqualTo(1 + Probes.RETRIES);
            assertThat(r.verdict().message()).contains("ping in the pod: no reply (after 3 attempts); ping could not run:"
                    + " Operation [exec sh -c ping] on [node-1] failed: Status 409: container is not running");
        });
        assertThat(progress).contains("retry 1/2: icmp-echo node-1-pod-a -> [198.20.0.10, 192.168.77.10] got no reply (ping could not"
                + " run: Operation [exec sh -c ping] on [node-1] failed: Status 409: container is not running)");
    }

    @Test
    void aPingRepliedToButNeverCapturedFailsAsNothingArrived() throws Exception {
        load("icmp-echo");
        cluster.ping = script -> script.lines().map(l -> l.replaceAll(".* -s (\\d+) (\\S+) .*", "@@ $2 $1 rc=0")).reduce("",
                (a, b) -> a + b + "\n");
        CellResult r = cell(run(), PUBLIC);
        assertThat(r.observed().attempts()).as("a reply came back: nothing to retry").isEqualTo(1);
        assertThat(r.verdict().message()).contains("observed nothing arrived (answered)").contains("no echo of that size")
                .contains("ping in the pod: reply received");
    }

    @Test
    void aSwitchThatFailsBecomesAFailedCheckWithDiagnosticsAndNothingIsProbed() {
        cluster.onApplyMode = () -> {
            throw new ClusterException("switch to mode iptables", "node-1", "the rules did not converge within 10 s");
        };
        ModeExecution.Outcome o = ModeExecution.execute(scenario, cluster, scenario.mode("iptables"), progress::add, ModeExecutionTest.FAST);
        assertThat(o.checks()).filteredOn(c -> c.status() == ModeCheck.Status.FAILED).singleElement()
                .satisfies(c -> assertThat(c.message()).contains("did not converge within 10 s"))
                .satisfies(c -> assertThat(c.check()).isEqualTo("switch to mode iptables"));
        assertThat(o.verified()).isFalse();
        assertThat(o.results()).isEmpty();
        assertThat(cluster.probeCalls).as("no probes after a failed switch").isEmpty();
        assertThat(o.diagnostics()).startsWith("# what failed in mode iptables\n- cluster: switch to mode iptables: Operation")
                .endsWith("\nfake diagnostics: rules and routes");
        assertThat(o.disruption()).as("the stream around the failed switch was still measured").isNotNull();
        assertThat(progress).anyMatch(l -> l.startsWith("switch to iptables failed: Operation [switch to mode iptables] on [node-1]"));
    }

    @Test
    void verificationThatThrowsIsAFailedCheckAndDiagnosticsThatThrowSayWhy() {
        cluster.onVerify = () -> {
            throw new ClusterException("run iptables-save", "node-1", "Docker is not running");
        };
        cluster.onDiagnostics = () -> {
            throw new IllegalStateException("Docker is not running");
        };
        ModeExecution.Outcome o = ModeExecution.execute(scenario, cluster, scenario.mode("iptables"), progress::add, ModeExecutionTest.FAST);
        assertThat(o.checks()).singleElement().satisfies(c -> {
            assertThat(c.check()).isEqualTo("verify mode iptables");
            assertThat(c.node()).isEqualTo("cluster");
            assertThat(c.status()).isEqualTo(ModeCheck.Status.FAILED);
            assertThat(c.message()).isEqualTo("Operation [run iptables-save] on [node-1] failed: Docker is not running");
        });
        assertThat(o.verified()).isFalse();
        assertThat(o.failed()).isTrue();
        assertThat(o.results()).as("an unverified mode is not probed").isEmpty();
        assertThat(cluster.probeCalls).isEmpty();
        assertThat(o.diagnostics()).startsWith("# what failed in mode iptables\n- cluster: verify mode iptables: Operation [run iptables-save]"
                + " on [node-1] failed: Docker is not running\n").endsWith("\ndiagnostics could not be collected: Docker is not running");
        assertThat(progress).contains("mode iptables: 0/0 cells as expected, 0 retries, 1 failed checks (" + String.format("%.1f", o.seconds())
                + " s)");
    }

    @Test
    void verificationThatThrowsWithoutAMessageIsNamedByItsType() {
        cluster.onVerify = () -> {
            throw new IllegalStateException();
        };
        ModeExecution.Outcome o = ModeExecution.execute(scenario, cluster, scenario.mode("iptables"), progress::add, ModeExecutionTest.FAST);
        assertThat(o.checks()).singleElement().extracting(ModeCheck::message).isEqualTo("java.lang.IllegalStateException");
        assertThat(o.diagnostics()).startsWith("# what failed in mode iptables\n- cluster: verify mode iptables: java.lang.IllegalStateException\n")
                .endsWith("fake diagnostics: rules and routes");
    }

    @Test
    void aRunThatCouldNotStartStillWritesAReportSayingWhy(@TempDir Path reports) throws Exception {
        RunReport report = new RunReport(scenario);
        report.problem("the lab cluster for fake did not start: Docker went away", "docker info: Cannot connect");
        Path written = report.write(reports, null, "never started");
        assertThat(written.resolve("summary.json")).content().contains("did not start: Docker went away")
                .contains("diagnostics/problem-1.txt");
        assertThat(written.resolve("diagnostics/problem-1.txt")).hasContent("docker info: Cannot connect");
        assertThat(written.resolve("index.html")).content().contains("Problems").contains("node node-1 172.29.0.11");
    }

    @Test
    void modeResultsCarryRetriesAndTheDiagnosticsFile() {
        cluster.snat = targets -> String.join("", targets.stream().map(t -> t.equals(PUBLIC) ? FakeCluster.answer(t, 0, null)
                : FakeCluster.answer(t, 2, NODE_IP)).toList());
        ModeExecution.Outcome o = ModeExecution.execute(scenario, cluster, scenario.mode("iptables"), progress::add, ModeExecutionTest.FAST);
        var m = RunReport.modeResult(0, o);
        assertThat(m.retries()).isEqualTo(Probes.RETRIES);
        assertThat(m.diagnostics()).isEqualTo("diagnostics/mode-1-iptables.txt");
        assertThat(m.cells()).extracting(c -> Map.entry(c.address(), c.attempts()))
                .containsExactly(Map.entry(PUBLIC, 1 + Probes.RETRIES), Map.entry(PRIVATE, 1));
    }
}
