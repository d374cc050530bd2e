package io.masqharness.conformance;

import io.masqharness.oracle.ClusterFacts;
import io.masqharness.oracle.Expectation;
import io.masqharness.scenario.ExpectSpec;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioFacts;
import java.util.List;
import java.util.Optional;

/** A scenario's explicit expectations ({@code expect:}), judged on the flows a mode's run observed. */
public final class ExplicitExpectations {

    private ExplicitExpectations() {
    }

    /** An explicit expectation holds for the observed flow from the first pod of the named (or first) node. */
    public static Verdict judge(Scenario scenario, ClusterFacts facts, ExpectSpec e, List<CellResult> results) {
        String node = e.from().contains(":") ? e.from().substring(e.from().indexOf(':') + 1) : scenario.cluster().nodes().get(0).name();
        if (!e.from().startsWith("pod")) {
            return Verdict.notApplicable("only pod sources are probed");
        }
        String address = ScenarioFacts.resolveTarget(scenario, e.to());
        Optional<CellResult> match = results.stream()
                .filter(c -> c.cell().pod().node().equals(node) && c.cell().address().equals(address) && c.cell().protocol().equals(e.protocol()))
                .findFirst();
        if (match.isEmpty()) {
            return new Verdict(false, true, "no probed flow matches " + e);
        }
        CellResult r = match.get();
        Expectation explicit = new Expectation(e.source(), e.source() == Expectation.Source.NODE_IP ? r.expected().sourceAddress()
                .or(() -> Optional.of(scenario.cluster().nodes().stream().filter(n -> n.name().equals(node)).findFirst().orElseThrow().ip()))
                : Optional.empty(), "explicit expectation in " + scenario.file());
        return Verdict.judge(r.cell(), explicit, r.observed());
    }
}
