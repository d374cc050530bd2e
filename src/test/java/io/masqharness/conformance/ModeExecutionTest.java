package io.masqharness.conformance;

import static io.masqharness.conformance.ConformanceFixtures.NODE_1;
import static io.masqharness.conformance.ConformanceFixtures.NODE_2;
import static io.masqharness.conformance.ConformanceFixtures.POD_1;
import static io.masqharness.conformance.ConformanceFixtures.POD_2;
import static io.masqharness.conformance.ConformanceFixtures.PUBLIC;
import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.cluster.ClusterException;
import io.masqharness.cluster.ExecResult;
import io.masqharness.cluster.ModeCheck;
import io.masqharness.oracle.Expectation;
import io.masqharness.oracle.Protocol;
import io.masqharness.scenario.Scenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One mode's execution on a scripted cluster: switch around a stream, verify, probe, and what the outcome says. */
class ModeExecutionTest {

    static final SwitchDisruption.Lulls FAST = new SwitchDisruption.Lulls(Duration.ofMillis(20), Duration.ofMillis(10));
    static final String STREAMED = "{\"sent\":300,\"received\":296,\"lost\":4,\"longestGapMs\":25.0}\n";

    @TempDir
    Path dir;
    Scenario scenario;
    ScriptedCluster cluster;
    final List<String> progress = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void twoNodesTcp() {
        scenario = ConformanceFixtures.twoNodes(dir, "tcp", "");
        cluster = new ScriptedCluster(scenario);
        answerAsIptablesModeDoes();
    }

    /** Every TCP flow answered from the source iptables mode gives it: node IP to destinations, pod IP within the cluster. */
    void answerAsIptablesModeDoes() {
        cluster.script = (host, command) -> switch (command.get(1)) {
            case "stream" -> new ExecResult(0, STREAMED, "");
            case "snat" -> {
                boolean onNode1 = host.startsWith("node-1");
                StringBuilder out = new StringBuilder();
                for (String target : command.get(command.indexOf("--targets") + 1).split(",")) {
                    String source = target.startsWith("172.29.") || target.startsWith("10.44.") ? (onNode1 ? POD_1 : POD_2)
                            : onNode1 ? NODE_1 : NODE_2;
                    out.append(FakeCluster.answer(target, 2, source));
                }
                yield new ExecResult(0, out.toString(), "");
            }
            default -> new ExecResult(0, "", "");
        };
    }

    ModeExecution.Outcome execute(String mode) {
        return ModeExecution.execute(scenario, cluster, scenario.mode(mode), progress::add, FAST);
    }

    @Test
    void aModeThatBehavesAsExpectedPassesAndSaysSo() {
        ModeExecution.Outcome o = execute("iptables");
        assertThat(cluster.applied).containsExactly("iptables");
        assertThat(o.verified()).isTrue();
        assertThat(o.failed()).isFalse();
        assertThat(o.retries()).isZero();
        assertThat(o.diagnostics()).isNull();
        assertThat(o.results()).hasSize(8).allSatisfy(r -> assertThat(r.verdict().passed()).as(r.verdict().message()).isTrue());
        assertThat(o.agent().statusLabel()).isEqualTo("IPTables");
        assertThat(o.disruption()).isEqualTo(new SwitchDisruption.Result(300, 296, 4, 25.0));
        assertThat(o.seconds()).isPositive().isLessThan(30);
        assertThat(progress).contains("switch to iptables: 4 of 300 requests lost at 200/s, longest gap 25.0 ms (node-1-pod-a -> "
                + PUBLIC + ")");
        assertThat(progress.get(progress.size() - 1)).matches("mode iptables: 8/8 cells as expected, 0 retries, 0 failed checks"
                + " \\(\\d+\\.\\d s\\)");
    }

    @Test
    void aWrongSourceFailsTheModeAndItsDiagnosticsSayWhatFailedFirst() {
        ModeExecution.Outcome o = execute("agent");
        List<CellResult> wrong = o.results().stream().filter(r -> !r.verdict().passed()).toList();
        assertThat(wrong).as("the agent exempts RFC 1918: pod IP expected, node IP arrived").hasSize(2)
                .allSatisfy(r -> assertThat(r.expected().source()).isEqualTo(Expectation.Source.POD_IP));
        assertThat(o.verified()).isTrue();
        assertThat(o.failed()).isTrue();
        assertThat(o.diagnostics()).isEqualTo("# what failed in mode agent\n- 2 flows not as expected (each verdict is in summary.json"
                + " and the test report)\n\nscripted diagnostics");
        assertThat(progress.get(progress.size() - 1)).startsWith("mode agent: 6/8 cells as expected, 0 retries, 0 failed checks");
    }

    @Test
    void aCellNobodyCouldJudgeDoesNotFailTheMode() {
        CellResult judged = execute("iptables").results().get(0);
        CellResult unjudged = new CellResult(judged.cell(), judged.expected(), judged.observed(), Verdict.notApplicable("no capture"));
        ModeExecution.Outcome o = new ModeExecution.Outcome(scenario.mode("iptables"), execute("iptables").agent(), null,
                List.of(ModeCheck.notApplicable("node-1", "cilium status", "not Cilium")), List.of(unjudged), null, 0);
        assertThat(o.verified()).isTrue();
        assertThat(o.failed()).isFalse();
        ModeExecution.Outcome checkFailed = new ModeExecution.Outcome(o.mode(), o.agent(), null,
                List.of(ModeCheck.failed("node-1", "rules", "missing", "")), List.of(), null, 0);
        assertThat(checkFailed.verified()).isFalse();
        assertThat(checkFailed.failed()).isTrue();
    }

    @Test
    void aReadOnlyClusterIsProbedInItsModeWithoutSwitching() {
        cluster.switchable = false;
        ModeExecution.Outcome o = execute("iptables");
        assertThat(cluster.applied).isEmpty();
        assertThat(o.disruption()).isNull();
        assertThat(cluster.calls).noneMatch(c -> c.line().startsWith("probe stream"));
        assertThat(progress.get(0)).isEqualTo("read-only: probing the mode the cluster is in, {bpf.masquerade=false, ipMasqAgent.enabled=false}");
        assertThat(o.results()).hasSize(8);
    }

    @Test
    void aStreamThatCannotRunIsAFailedCheckAndTheSwitchStillHappens() {
        cluster.script = (host, command) -> {
            if (command.get(1).equals("stream")) {
                throw new ClusterException("exec probe stream", host, "Status 409: container is not running");
            }
            return new ExecResult(0, "", "");
        };
        ModeExecution.Outcome o = execute("bpf");
        assertThat(cluster.applied).containsExactly("bpf");
        assertThat(o.checks()).filteredOn(c -> c.status() == ModeCheck.Status.FAILED).singleElement().satisfies(c -> {
            assertThat(c.node()).isEqualTo("node-1");
            assertThat(c.check()).isEqualTo("switch disruption stream from node-1-pod-a");
            assertThat(c.message()).contains("Status 409: container is not running");
        });
        assertThat(o.verified()).isFalse();
        assertThat(o.results()).as("not probed after a failed check").isEmpty();
        assertThat(o.diagnostics()).startsWith("# what failed in mode bpf\n- node-1: switch disruption stream from node-1-pod-a: ")
                .doesNotContain("flows not as expected");
    }

    @Test
    void aSwitchThatFailsWithoutAMessageIsNamedByItsType() {
        ScriptedCluster failing = cluster;
        ModeExecution.Outcome o = ModeExecution.execute(scenario, new DelegatingCluster(failing) {
            @Override
            public void applyMode(io.masqharness.scenario.ModeSpec mode) {
                throw new IllegalStateException();
            }
        }, scenario.mode("iptables"), progress::add, FAST);
        assertThat(o.checks()).filteredOn(c -> c.status() == ModeCheck.Status.FAILED).singleElement()
                .satisfies(c -> assertThat(c.message()).isEqualTo("java.lang.IllegalStateException"));
        assertThat(progress).contains("switch to iptables failed: java.lang.IllegalStateException");
    }

    @Test
    void aClusterWithoutPodsSwitchesWithoutAStream() {
        ModeExecution.Outcome o = ModeExecution.execute(scenario, new DelegatingCluster(cluster) {
            @Override
            public List<io.masqharness.cluster.Pod> pods() {
                return List.of();
            }
        }, scenario.mode("bpf"), progress::add, FAST);
        assertThat(cluster.applied).containsExactly("bpf");
        assertThat(o.disruption()).isNull();
        assertThat(o.results()).isEmpty();
        assertThat(o.failed()).isFalse();
    }

    @Test
    void retriesOfSilentFlowsAreCountedOverAllCells() {
        cluster.script = (host, command) -> switch (command.get(1)) {
            case "stream" -> new ExecResult(0, STREAMED, "");
            case "snat" -> new ExecResult(0, String.join("", java.util.Arrays.stream(command.get(command.indexOf("--targets") + 1)
                    .split(",")).map(t -> FakeCluster.answer(t, 0, null)).toList()), "");
            default -> new ExecResult(0, "", "");
        };
        ModeExecution.Outcome o = execute("iptables");
        assertThat(o.retries()).isEqualTo(8 * io.masqharness.probe.Probes.RETRIES);
        assertThat(o.results()).allSatisfy(r -> assertThat(r.cell().protocol()).isEqualTo(Protocol.TCP));
        assertThat(progress.get(progress.size() - 1)).startsWith("mode iptables: 0/8 cells as expected, 16 retries, 0 failed checks");
    }

    @Test
    void cellsNobodyCouldJudgeAreLeftOutOfTheCount() {
        scenario = ConformanceFixtures.twoNodes(dir, "icmp-echo", "");
        cluster = new ScriptedCluster(scenario);
        cluster.uncapturable.add("external");
        java.util.regex.Pattern ping = java.util.regex.Pattern.compile("-s (\\d+) (\\S+) ");
        cluster.script = (host, command) -> {
            if (command.get(1).equals("stream")) {
                return new ExecResult(0, STREAMED, "");
            }
            StringBuilder out = new StringBuilder();
            java.util.regex.Matcher m = ping.matcher(command.size() > 2 ? command.get(2) : "");
            String source = host.startsWith("node-1") ? POD_1 : POD_2;
            while (m.find()) {
                String receiver = Targets.receiver(cluster, m.group(2)).name();
                synchronized (cluster.captures) {
                    cluster.captures.merge(receiver, IcmpFlowsTest.echo(source, m.group(2), true, Integer.parseInt(m.group(1))),
                            String::concat);
                }
                out.append("@@ ").append(m.group(2)).append(' ').append(m.group(1)).append(" rc=0\n");
            }
            return new ExecResult(0, out.toString(), "");
        };
        ModeExecution.Outcome o = execute("iptables");
        assertThat(o.results()).hasSize(8).filteredOn(r -> r.verdict().applicable()).hasSize(4)
                .allSatisfy(r -> assertThat(r.verdict().passed()).as(r.verdict().message()).isTrue());
        assertThat(o.failed()).isFalse();
        assertThat(progress.get(progress.size() - 1)).startsWith("mode iptables: 4/4 cells as expected, 0 retries, 0 failed checks");
    }

    @Test
    void aFailedCheckAndItsEvidenceOpenTheDiagnostics() {
        ModeExecution.Outcome o = ModeExecution.execute(scenario, new DelegatingCluster(cluster) {
            @Override
            public List<ModeCheck> verifyMode(io.masqharness.scenario.ModeSpec mode, io.masqharness.oracle.AgentConfig expected) {
                return List.of(ModeCheck.failed("node-2", "iptables-save -t nat", "no masquerade rule", "*nat\n:CILIUM_POST_nat - [0:0]"),
                        ModeCheck.failed("node-1", "cilium status", "agent not ready", " "),
                        ModeCheck.passed("node-1", "rules", "as expected", "fine"));
            }
        }, scenario.mode("iptables"), progress::add, FAST);
        assertThat(o.diagnostics()).isEqualTo("# what failed in mode iptables\n"
                + "- node-2: iptables-save -t nat: no masquerade rule\n  *nat\n:CILIUM_POST_nat - [0:0]\n"
                + "- node-1: cilium status: agent not ready\n\nscripted diagnostics");
        assertThat(o.results()).isEmpty();
        assertThat(progress.get(progress.size() - 1)).startsWith("mode iptables: 0/0 cells as expected, 0 retries, 2 failed checks");
    }
}
