package io.masqharness.upgrade;

import io.masqharness.explain.Explainer;
import io.masqharness.explain.ModeMatrix;
import io.masqharness.oracle.AgentConfig;
import io.masqharness.oracle.CiliumVersion;
import io.masqharness.oracle.ClusterFacts;
import io.masqharness.oracle.Flow;
import io.masqharness.oracle.MasqueradeOracle;
import io.masqharness.oracle.Protocol;
import io.masqharness.oracle.RefusedConfigurationException;
import io.masqharness.scenario.ModeSpec;
import io.masqharness.scenario.NodeSpec;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioFacts;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Compares a scenario's modes under two Cilium versions: the same Helm values (as {@code helm upgrade
 * --reuse-values --version} passes them) read by each version's rules. Flows from a pod and from the node itself on
 * every node (a node's own traffic changes too: 1.14 honours nodePort.enabled without kube-proxy replacement, and BPF
 * NodePort drops the node's non-echo ICMP), to every destination and to the other nodes and their pods, in every
 * protocol of the scenario.
 */
public final class UpgradeComparison {

    private UpgradeComparison() {
    }

    public static UpgradeReport of(Scenario scenario, CiliumVersion from, CiliumVersion to) {
        List<ModeMatrix> before = new ArrayList<>();
        List<ModeMatrix> after = new ArrayList<>();
        for (NodeSpec node : scenario.cluster().nodes()) {
            for (String origin : List.of("pod:" + node.name(), "node:" + node.name())) {
                before.add(ModeMatrix.of(scenario, origin, from));
                after.add(ModeMatrix.of(scenario, origin, to));
            }
        }
        ClusterFacts facts = ScenarioFacts.clusterFacts(scenario);
        List<UpgradeReport.Mode> modes = new ArrayList<>();
        Set<String> unverified = new LinkedHashSet<>();
        Set<UpgradeReport.Value> values = new LinkedHashSet<>();
        for (int m = 0; m < scenario.modes().size(); m++) {
            ModeMatrix.Column b = before.get(0).modes().get(m);
            ModeMatrix.Column a = after.get(0).modes().get(m);
            Optional<AgentConfig> agentBefore = configOf(scenario, scenario.modes().get(m), from, unverified);
            Optional<AgentConfig> agentAfter = configOf(scenario, scenario.modes().get(m), to, unverified);
            List<UpgradeReport.Change> changes = new ArrayList<>();
            for (int n = 0; n < before.size(); n++) {
                for (Found f : changes(before.get(n), after.get(n), m)) {
                    Flow flow = Explainer.flow(scenario, f.change().from(), f.destination(), Protocol.parse(f.change().protocol()));
                    agentBefore.ifPresent(agent -> unverified.addAll(MasqueradeOracle.answer(facts, agent, flow).unverified()));
                    agentAfter.ifPresent(agent -> unverified.addAll(MasqueradeOracle.answer(facts, agent, flow).unverified()));
                    changes.add(f.change());
                }
            }
            if (a.values() != null) {
                a.values().forEach(v -> values.add(new UpgradeReport.Value(v.key(), v.problem(), v.suggestion())));
            }
            modes.add(new UpgradeReport.Mode(b.name(), side(b), side(a), changes));
        }
        return new UpgradeReport(from.text(), to.text(), modes, new ArrayList<>(values), new ArrayList<>(unverified));
    }

    /** The mode's configuration under a version, or empty when refused; either way what it rests on goes to {@code unverified}. */
    private static Optional<AgentConfig> configOf(Scenario scenario, ModeSpec mode, CiliumVersion version, Set<String> unverified) {
        try {
            AgentConfig agent = ScenarioFacts.agentConfig(scenario, mode, version);
            unverified.addAll(agent.unverified());
            return Optional.of(agent);
        } catch (RefusedConfigurationException e) {
            unverified.addAll(e.unverified());
            return Optional.empty();
        }
    }

    /** A changed flow and the address it goes to (a target has one per family). */
    private record Found(UpgradeReport.Change change, String destination) {
    }

    private static List<Found> changes(ModeMatrix before, ModeMatrix after, int mode) {
        List<Found> changes = new ArrayList<>();
        if (before.modes().get(mode).refused() != null || after.modes().get(mode).refused() != null) {
            return changes;
        }
        for (int r = 0; r < before.rows().size(); r++) {
            ModeMatrix.Row row = before.rows().get(r);
            ModeMatrix.Cell b = row.cells().get(mode);
            ModeMatrix.Cell a = after.rows().get(r).cells().get(mode);
            if (!b.source().equals(a.source())) {
                changes.add(new Found(new UpgradeReport.Change(before.from(), row.target(), row.protocol(), b.source(), a.source()),
                        row.destination()));
            }
        }
        return changes;
    }

    private static UpgradeReport.Side side(ModeMatrix.Column c) {
        if (c.refused() != null) {
            return new UpgradeReport.Side("refused", (c.refusedBy().equals("helm") ? "Helm refuses the values: " : "the agent refuses to start: ")
                    + c.refused());
        }
        return new UpgradeReport.Side(c.effectiveMode(), null);
    }
}
