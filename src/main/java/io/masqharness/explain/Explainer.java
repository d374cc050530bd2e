package io.masqharness.explain;

import io.masqharness.net.Family;
import io.masqharness.oracle.AgentConfig;
import io.masqharness.oracle.Expectation;
import io.masqharness.oracle.Flow;
import io.masqharness.oracle.FlowAnswer;
import io.masqharness.oracle.MasqueradeOracle;
import io.masqharness.oracle.Protocol;
import io.masqharness.scenario.ModeSpec;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioException;
import io.masqharness.scenario.ScenarioFacts;
import java.util.Optional;

/** Answers "what source address does this flow leave with in this mode?" for a scenario. */
public final class Explainer {

    private Explainer() {
    }

    /**
     * @param from {@code pod:NODE} or {@code node:NODE}
     * @throws io.masqharness.oracle.RefusedConfigurationException when Cilium would refuse the mode
     */
    public static Explanation explain(Scenario scenario, String modeName, String from, String to, Protocol protocol) {
        return explain(scenario, modeName, from, to, Optional.empty(), protocol);
    }

    /**
     * @param family the flow's family when {@code to} names a destination given in both families or a
     *               node or pod; empty for IPv4 there (a literal address has its own family)
     */
    public static Explanation explain(Scenario scenario, String modeName, String from, String to, Optional<Family> family,
                                      Protocol protocol) {
        ModeSpec mode = scenario.mode(modeName);
        AgentConfig agent = ScenarioFacts.agentConfig(scenario, mode);
        Flow flow = flow(scenario, from, ScenarioFacts.resolveTarget(scenario, to, family), protocol);
        FlowAnswer answer = MasqueradeOracle.answer(ScenarioFacts.clusterFacts(scenario), agent, flow);
        Expectation e = answer.expectation();
        return new Explanation(scenario.name(), mode.name(), from, to, flow.destination(), protocol.toString(),
                agent.mode().label(), agent.requestedBpf(), agent.ipMasqAgent(),
                agent.ipMasqAgent() ? agent.ipMasqAgentCidrs().stream().map(Object::toString).toList() : null,
                agent.fallback().orElse(null), agent.statusLabel(), scenario.cluster().dualStack() ? agent.statusFamilies() : null,
                e.source().label(),
                e.sourceAddress().map(Object::toString).orElse(null), e.reason(), agent.version().text(),
                agent.routing().label(), RuleRef.of(answer.rules()), unverified(answer.unverified()),
                agent.notes().isEmpty() ? null : ValueRef.of(agent.notes()));
    }

    /** The unsettled facts an answer rests on, as one text; null when it rests on none. */
    public static String unverified(java.util.List<String> reasons) {
        return reasons.isEmpty() ? null : String.join("; ", reasons);
    }

    public static Flow flow(Scenario scenario, String from, String destination, Protocol protocol) {
        int colon = from.indexOf(':');
        String kind = colon < 0 ? from : from.substring(0, colon);
        String node = colon < 0 ? scenario.cluster().nodes().get(0).name() : from.substring(colon + 1);
        ScenarioFacts.node(scenario, node);
        return switch (kind) {
            case "pod" -> Flow.fromPod(node, destination, protocol);
            case "node" -> Flow.fromNode(node, destination, protocol);
            default -> throw new ScenarioException(scenario.file(), "", "--from '" + from
                    + "' is not pod:NODE or node:NODE");
        };
    }
}
