package io.masqharness.conformance;

import static io.masqharness.conformance.ConformanceFixtures.PUBLIC;
import static io.masqharness.conformance.ConformanceFixtures.RFC1918;
import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.cluster.ExecResult;
import io.masqharness.cluster.Pod;
import io.masqharness.oracle.Expectation;
import io.masqharness.oracle.Protocol;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioFacts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which TCP and UDP flows are probed again: only those that got no answer at all where the oracle
 * expects one, each up to the bound, the others keeping their first answer.
 */
class RetriedSnatTest {

    /** An IPv6 destination: the two-node scenario's agent has IPv6 off, so the oracle expects such a flow dropped. */
    static final String V6 = "2001:db8:20::10";

    @TempDir
    Path dir;
    Scenario scenario;
    ScriptedCluster cluster;
    Pod pod;
    final List<String> progress = Collections.synchronizedList(new ArrayList<>());
    final List<List<String>> probed = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void cluster() {
        scenario = ConformanceFixtures.twoNodes(dir, "tcp", "");
        cluster = new ScriptedCluster(scenario);
        pod = cluster.pods().get(0);
    }

    /** Each probe call answers per target from {@code answer.apply(call number)}: how many of 2 came back, and from whom. */
    void answering(Function<Integer, Map<String, String>> answer) {
        cluster.script = (host, command) -> {
            List<String> targets = List.of(command.get(command.indexOf("--targets") + 1).split(","));
            int call = probed.size();
            probed.add(targets);
            Map<String, String> byTarget = answer.apply(call);
            StringBuilder out = new StringBuilder();
            for (String t : targets) {
                String source = byTarget.get(t);
                out.append(FakeCluster.answer(t, source == null ? 0 : source.startsWith("1 of 2 from ") ? 1 : 2,
                        source == null ? null : source.replace("1 of 2 from ", "")));
            }
            return new ExecResult(0, out.toString(), "");
        };
    }

    List<CellResult> cells(List<String> addresses) {
        List<Targets.Target> targets = addresses.stream().map(a -> new Targets.Target(a, a)).toList();
        var agent = ScenarioFacts.agentConfig(scenario, scenario.mode("iptables"));
        return RetriedProbes.snatCells(cluster.clusterFacts(), agent, scenario.mode("iptables"), pod, targets, Protocol.TCP, progress::add);
    }

    static CellResult cell(List<CellResult> results, String address) {
        return results.stream().filter(r -> r.cell().address().equals(address)).findFirst().orElseThrow();
    }

    @Test
    void aSilentFlowTheOracleExpectsDroppedIsNotProbedAgain() {
        answering(call -> Map.of());
        List<CellResult> results = cells(List.of(PUBLIC, V6));
        assertThat(cell(results, V6).expected().source()).isEqualTo(Expectation.Source.DROPPED);
        assertThat(cell(results, V6).observed().attempts()).isEqualTo(1);
        assertThat(cell(results, PUBLIC).observed().attempts()).isEqualTo(3);
        assertThat(probed).containsExactly(List.of(PUBLIC, V6), List.of(PUBLIC), List.of(PUBLIC));
    }

    @Test
    void aFlowThatGotSomeAnswersOrAWrongSourceIsNotProbedAgain() {
        answering(call -> Map.of(PUBLIC, "1 of 2 from " + ConformanceFixtures.NODE_1, RFC1918, ConformanceFixtures.POD_1));
        List<CellResult> results = cells(List.of(PUBLIC, RFC1918));
        assertThat(probed).as("one batch: nothing was silent").hasSize(1);
        assertThat(results).allSatisfy(r -> assertThat(r.observed().attempts()).isEqualTo(1));
        assertThat(cell(results, RFC1918).verdict().passed()).as("the wrong source stands: it is not transient").isFalse();
        assertThat(progress).isEmpty();
    }

    @Test
    void retriesStopAtTheFirstAttemptThatAnswersAndTheOthersKeepTheirFirstAnswer() {
        answering(call -> call == 0 ? Map.of(RFC1918, ConformanceFixtures.NODE_1)
                : Map.of(PUBLIC, ConformanceFixtures.NODE_1, RFC1918, "10.99.0.1"));
        List<CellResult> results = cells(List.of(PUBLIC, RFC1918));
        assertThat(probed).containsExactly(List.of(PUBLIC, RFC1918), List.of(PUBLIC));
        assertThat(cell(results, PUBLIC).observed().attempts()).isEqualTo(2);
        assertThat(cell(results, PUBLIC).observed().evidence()).startsWith("attempt 1: 0/2 answered, timed out\n");
        assertThat(cell(results, RFC1918).observed().sources()).as("not the second call's answer, which was never asked for")
                .containsExactly(ConformanceFixtures.NODE_1);
        assertThat(progress).containsExactly("retry 1/2: tcp node-1-pod-a -> [198.20.0.10] got no answer (0/2 answered, timed out)");
    }
}
