package io.masqharness.explain;

import io.masqharness.net.Family;
import io.masqharness.oracle.AgentConfig;
import io.masqharness.oracle.Expectation;
import io.masqharness.oracle.MasqueradeOracle;
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
public record ModeMatrix(String scenario, String from, List<Column> modes, List<Row> rows) {

    /**
     * A mode: its effective implementation, or why Cilium refuses it.
     *
     * @param families the status line's {@code [IPv4: …, IPv6: …]}, on a dual-stack cluster
     */
    public record Column(String name, String effectiveMode, String status, String fallback, String refused, String families) {
    }

    /** One target, family and protocol; {@code cells} follow the order of {@code modes}. */
    public record Row(String target, String family, String destination, String protocol, List<Cell> cells) {
    }

    /** @param changed differs from the previous mode's cell */
    public record Cell(String source, String sourceAddress, String reason, boolean changed) {
        @Override
        public String toString() {
            return source + (changed ? " *" : "");
        }
    }

    public static ModeMatrix of(Scenario scenario, String from) {
        boolean dualStack = scenario.cluster().dualStack();
        List<Column> columns = new ArrayList<>();
        List<AgentConfig> agents = new ArrayList<>();
        for (ModeSpec mode : scenario.modes()) {
            try {
                AgentConfig agent = ScenarioFacts.agentConfig(scenario, mode);
                agents.add(agent);
                columns.add(new Column(mode.name(), agent.mode().label(), agent.statusLabel(), agent.fallback().orElse(null), null,
                        dualStack ? agent.statusFamilies() : null));
            } catch (RefusedConfigurationException e) {
                agents.add(null);
                columns.add(new Column(mode.name(), "refused", null, null, e.getMessage(), null));
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
        return new ModeMatrix(scenario.name(), from, columns, rows);
    }

    private static Row row(Scenario scenario, String from, List<AgentConfig> agents, String target, Family family, String address,
                           Protocol protocol, boolean dualStack) {
        List<Cell> cells = new ArrayList<>();
        Cell previous = null;
        for (AgentConfig agent : agents) {
            Cell cell;
            if (agent == null) {
                cell = new Cell("refused", null, "Cilium would not start in this mode", false);
            } else {
                Expectation e = MasqueradeOracle.expect(ScenarioFacts.clusterFacts(scenario), agent,
                        Explainer.flow(scenario, from, address, protocol));
                cell = new Cell(e.source().label(), e.sourceAddress().map(Object::toString).orElse(null), e.reason(), false);
            }
            if (previous != null && !previous.source().equals(cell.source())) {
                cell = new Cell(cell.source(), cell.sourceAddress(), cell.reason(), true);
            }
            cells.add(cell);
            previous = cell;
        }
        return new Row(target, dualStack ? family.label() : null, address, protocol.toString(), cells);
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
        out.append("Scenario ").append(scenario).append(", flows from ").append(from)
                .append(" (* = differs from the previous mode)\n");
        for (Column c : modes) {
            out.append("  mode ").append(c.name()).append(": ")
                    .append(c.refused() != null ? "REFUSED by Cilium: " + c.refused() : c.status()
                            + (c.families() != null ? " " + c.families() : "")
                            + (c.fallback() != null ? " (fell back: " + c.fallback() + ")" : ""))
                    .append('\n');
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
            r.cells().forEach(c -> line.add(c.toString()));
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
