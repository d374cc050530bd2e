package io.masqharness.explain;

import io.masqharness.net.Family;
import io.masqharness.oracle.AgentConfig;
import io.masqharness.oracle.CiliumVersion;
import io.masqharness.oracle.FlowAnswer;
import io.masqharness.oracle.HelmResolution;
import io.masqharness.oracle.VersionRule;
import io.masqharness.oracle.Expectation;
import io.masqharness.oracle.MasqueradeOracle;
import io.masqharness.oracle.ModeChanges;
import io.masqharness.oracle.Protocol;
import io.masqharness.oracle.RefusedConfigurationException;
import io.masqharness.scenario.ModeSpec;
import io.masqharness.scenario.NodeSpec;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioFacts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every mode × destination × protocol for flows from one pod, with the cells that change from one
 * mode to the next marked: the "what changes for my traffic if I switch" view. On a dual-stack
 * cluster each target and protocol has an IPv4 row and, right below it, an IPv6 row, so the two
 * families read side by side (in Cilium 1.13 they part ways in BPF mode).
 */
public record ModeMatrix(String scenario, String ciliumVersion, String from, List<Column> modes, List<Row> rows) {

    /**
     * A mode: its effective implementation, or why Cilium (or Helm) refuses it.
     *
     * @param families   the status line's {@code [IPv4: …, IPv6: …]}, on a dual-stack cluster
     * @param refusedBy  {@code agent} or {@code helm} when refused
     * @param rules      the version rules the mode's configuration (or its refusal) rests on
     * @param unverified why that is not settled, when it rests on an unsettled fact
     * @param values     the Helm values this version refuses, ignores or deprecates
     */
    public record Column(String name, String effectiveMode, String status, String fallback, String refused, String families,
                         String refusedBy, List<RuleRef> rules, String unverified, List<ValueRef> values) {
    }

    /** One target, family and protocol; {@code cells} follow the order of {@code modes}. */
    public record Row(String target, String family, String destination, String protocol, List<Cell> cells) {
    }

    /**
     * @param changed    differs from the previous mode's cell
     * @param unverified why the cell is not settled, when its verdict rests on an unsettled fact of its own
     */
    public record Cell(String source, String sourceAddress, String reason, boolean changed, String unverified) {
        @Override
        public String toString() {
            return source + (changed ? " *" : "");
        }
    }

    public static ModeMatrix of(Scenario scenario, String from) {
        return of(scenario, from, ScenarioFacts.version(scenario));
    }

    /** The matrix as another Cilium version would run the scenario's modes (what {@code upgrade} compares). */
    public static ModeMatrix of(Scenario scenario, String from, CiliumVersion version) {
        boolean dualStack = scenario.cluster().dualStack();
        List<Column> columns = new ArrayList<>();
        List<AgentConfig> agents = new ArrayList<>();
        for (ModeSpec mode : scenario.modes()) {
            try {
                AgentConfig agent = ScenarioFacts.agentConfig(scenario, mode, version);
                agents.add(agent);
                columns.add(new Column(mode.name(), agent.mode().label(), agent.statusLabel(), agent.fallback().orElse(null), null,
                        dualStack ? agent.statusFamilies() : null, null, RuleRef.of(agent.rules()),
                        Explainer.unverified(agent.unverified()), agent.notes().isEmpty() ? null : ValueRef.of(agent.notes())));
            } catch (RefusedConfigurationException e) {
                agents.add(null);
                columns.add(new Column(mode.name(), "refused", null, null, e.getMessage(), null, e.by(),
                        RuleRef.of(e.rule().stream().toList()), Explainer.unverified(e.unverified()),
                        notes(scenario, mode, version)));
            }
        }
        List<Family> families = dualStack ? List.of(Family.IPV4, Family.IPV6) : List.of(Family.IPV4);
        Map<Family, Map<String, String>> byFamily = new LinkedHashMap<>();
        families.forEach(f -> byFamily.put(f, targets(scenario, from, f)));
        Set<String> names = new LinkedHashSet<>();
        scenario.destinations().forEach(d -> names.add(d.name()));
        byFamily.values().forEach(m -> names.addAll(m.keySet()));
        List<Row> rows = new ArrayList<>();
        for (String name : names) {
            for (Protocol protocol : scenario.probes()) {
                for (Family family : families) {
                    String address = byFamily.get(family).get(name);
                    if (address != null) {
                        rows.add(row(scenario, from, agents, name, family, address, protocol, dualStack));
                    }
                }
            }
        }
        return new ModeMatrix(scenario.name(), version.text(), from, columns, rows);
    }

    private static Row row(Scenario scenario, String from, List<AgentConfig> agents, String target, Family family, String address,
                           Protocol protocol, boolean dualStack) {
        List<Cell> cells = new ArrayList<>();
        for (AgentConfig agent : agents) {
            if (agent == null) {
                cells.add(new Cell("refused", null, "Cilium would not start in this mode", false, null));
            } else {
                FlowAnswer a = MasqueradeOracle.answer(ScenarioFacts.clusterFacts(scenario), agent,
                        Explainer.flow(scenario, from, address, protocol));
                Expectation e = a.expectation();
                List<String> own = a.unverified().stream().filter(u -> !agent.unverified().contains(u)).toList();
                cells.add(new Cell(e.source().label(), e.sourceAddress().map(Object::toString).orElse(null), e.reason(), false,
                        Explainer.unverified(own)));
            }
        }
        List<Boolean> changed = ModeChanges.marks(cells.stream().map(Cell::source).toList());
        for (int i = 0; i < cells.size(); i++) {
            Cell c = cells.get(i);
            cells.set(i, new Cell(c.source(), c.sourceAddress(), c.reason(), changed.get(i), c.unverified()));
        }
        return new Row(target, dualStack ? family.label() : null, address, protocol.toString(), cells);
    }

    /** The value notes of a refused mode: Helm's reading of its values, whatever the agent then refuses. */
    private static List<ValueRef> notes(Scenario scenario, ModeSpec mode, CiliumVersion version) {
        try {
            List<io.masqharness.oracle.ValueNote> notes = HelmResolution.of(ScenarioFacts.helmValues(scenario, mode), version).notes();
            return notes.isEmpty() ? null : ValueRef.of(notes);
        } catch (RefusedConfigurationException e) {
            return null;
        }
    }

    /** The scenario's destinations of a family, then the other nodes and a pod on each other node. */
    private static Map<String, String> targets(Scenario scenario, String from, Family family) {
        Map<String, String> targets = new LinkedHashMap<>(ScenarioFacts.targets(scenario, family));
        String fromNode = from.contains(":") ? from.substring(from.indexOf(':') + 1) : scenario.cluster().nodes().get(0).name();
        for (NodeSpec node : scenario.cluster().nodes()) {
            if (!node.name().equals(fromNode)) {
                targets.put("node:" + node.name(), ScenarioFacts.nodeAddress(node, family).toString());
                targets.put("pod:" + node.name(), ScenarioFacts.probePodAddress(node, 0, family).toString());
            }
        }
        return targets;
    }

    /** A fixed-width table a person reads in a terminal or a CI log. */
    public String toTable() {
        StringBuilder out = new StringBuilder();
        out.append("Scenario ").append(scenario).append(", Cilium ").append(ciliumVersion).append(", flows from ").append(from)
                .append(" (* = differs from the previous mode, ? = rests on an unsettled fact)\n");
        for (Column c : modes) {
            out.append("  mode ").append(c.name()).append(": ")
                    .append(c.refused() != null ? "REFUSED by " + (c.refusedBy().equals("helm") ? "Helm" : "Cilium") + ": "
                            + c.refused() : c.status()
                            + (c.families() != null ? " " + c.families() : "")
                            + (c.fallback() != null ? " (fell back: " + c.fallback() + ")" : ""))
                    .append('\n');
            c.rules().stream().filter(r -> !r.id().equals(VersionRule.BASELINE.id()))
                    .forEach(r -> out.append("    rule ").append(r.id()).append(": ").append(r.rule()).append(" [").append(r.source()).append("]\n"));
            if (c.values() != null) {
                c.values().forEach(v -> out.append("    value ").append(v.key()).append(": ").append(v.problem())
                        .append(" -> ").append(v.suggestion()).append('\n'));
            }
            if (c.unverified() != null) {
                out.append("    unverified: ").append(c.unverified()).append('\n');
            }
        }
        boolean dualStack = rows.stream().anyMatch(r -> r.family() != null);
        List<String> header = new ArrayList<>(dualStack ? List.of("target", "family", "address", "protocol")
                : List.of("target", "address", "protocol"));
        modes.forEach(c -> header.add(c.name()));
        List<List<String>> lines = new ArrayList<>();
        lines.add(header);
        for (Row r : rows) {
            List<String> line = new ArrayList<>(dualStack ? List.of(r.target(), r.family(), r.destination(), r.protocol())
                    : List.of(r.target(), r.destination(), r.protocol()));
            r.cells().forEach(c -> line.add(c + (c.unverified() != null ? " ?" : "")));
            lines.add(line);
        }
        int[] widths = new int[header.size()];
        lines.forEach(l -> {
            for (int i = 0; i < l.size(); i++) {
                widths[i] = Math.max(widths[i], l.get(i).length());
            }
        });
        for (List<String> l : lines) {
            StringBuilder row = new StringBuilder();
            for (int i = 0; i < l.size(); i++) {
                row.append(String.format("%-" + (widths[i] + 2) + "s", l.get(i)));
            }
            out.append(row.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
