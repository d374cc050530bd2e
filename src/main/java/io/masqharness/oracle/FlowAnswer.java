package io.masqharness.oracle;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * An expected source with what it rests on: the version rules of the configuration and of the flow's
 * verdict ({@link VersionRule#BASELINE} alone when nothing beyond Cilium 1.13.4's rules decided it), and the
 * unsettled facts among them, each saying why it is not settled.
 */
public record FlowAnswer(Expectation expectation, List<VersionRule> rules, List<String> unverified) {

    public FlowAnswer {
        rules = List.copyOf(rules);
        unverified = List.copyOf(unverified);
    }

    static FlowAnswer of(Expectation e, AgentConfig agent) {
        Set<VersionRule> rules = new LinkedHashSet<>(agent.rules());
        rules.addAll(e.rules());
        List<String> unverified = new ArrayList<>(agent.unverified());
        e.rules().forEach(r -> r.unverified().filter(u -> !unverified.contains(u)).ifPresent(unverified::add));
        if (rules.isEmpty()) {
            rules.add(VersionRule.BASELINE);
        }
        return new FlowAnswer(e, new ArrayList<>(rules), unverified);
    }
}
