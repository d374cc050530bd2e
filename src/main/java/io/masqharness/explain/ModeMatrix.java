package io.masqharness.explain;

import io.masqharness.oracle.AgentConfig;
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
import java.util.List;
import java.util.Map;

/**
 * Every mode × destination × protocol for flows from one pod, with the cells that change from one
 * mode to the next marked: the "what changes for my traffic if I switch" view.
 */
public record ModeMatrix(String scenario, String from, List<Column> modes, List<Row> rows) {

    /** A mode: its effective implementation, or why Cilium refuses it. */
    public record Column(String name, String effectiveMode, String status, String fallback, String refused) {
    }

    /** One target and protocol; {@code cells} follow the order of {@code modes}. */
    public record Row(String target, String destination, String protocol, List<Cell> cells) {
    }

    /** @param changed differs from the previous mode's cell */
    public record Cell(String source, String sourceAddress, String reason, boolean changed) {
        @Override
        public String toString() {
            return source + (changed ? " *" : "");
        }
    }

    public static ModeMatrix of(Scenario scenario, String from) {
        List<Column> columns = new ArrayList<>();
        List<AgentConfig> agents = new ArrayList<>();
        for (ModeSpec mode : scenario.modes()) {
            try {
                AgentConfig agent = ScenarioFacts.agentConfig(scenario, mode);
                agents.add(agent);
                columns.add(new Column(mode.name(), agent.mode().label(), agent.statusLabel(), agent.fallback().orElse(null), null));
            } catch (RefusedConfigurationException e) {
                agents.add(null);
                columns.add(new Column(mode.name(), "refused", null, null, e.getMessage()));
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, String> target : targets(scenario, from).entrySet()) {
            for (Protocol protocol : scenario.probes()) {
                List<Cell> cells = new ArrayList<>();
                for (AgentConfig agent : agents) {
                    if (agent == null) {
                        cells.add(new Cell("refused", null, "Cilium would not start in this mode", false));
                    } else {
                        Expectation e = MasqueradeOracle.expect(ScenarioFacts.clusterFacts(scenario), agent,
                                Explainer.flow(scenario, from, target.getValue(), protocol));
                        cells.add(new Cell(e.source().label(), e.sourceAddress().map(Object::toString).orElse(null), e.reason(), false));
                    }
                }
                List<Boolean> changed = ModeChanges.marks(cells.stream().map(Cell::source).toList());
                for (int i = 0; i < cells.size(); i++) {
                    Cell c = cells.get(i);
                    cells.set(i, new Cell(c.source(), c.sourceAddress(), c.reason(), changed.get(i)));
                }
                rows.add(new Row(target.getKey(), target.getValue(), protocol.toString(), cells));
            }
        }
        return new ModeMatrix(scenario.name(), from, columns, rows);
    }

    /** The scenario's destinations, then the other nodes and a pod on each other node. */
    private static Map<String, String> targets(Scenario scenario, String from) {
        Map<String, String> targets = new LinkedHashMap<>(ScenarioFacts.targets(scenario));
        String fromNode = from.contains(":") ? from.substring(from.indexOf(':') + 1) : scenario.cluster().nodes().get(0).name();
        for (NodeSpec node : scenario.cluster().nodes()) {
            if (!node.name().equals(fromNode)) {
                targets.put("node:" + node.name(), node.ip().toString());
                targets.put("pod:" + node.name(), ScenarioFacts.probePodAddress(node, 0).toString());
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
                            + (c.fallback() != null ? " (fell back: " + c.fallback() + ")" : ""))
                    .append('\n');
        }
        List<String> header = new ArrayList<>(List.of("target", "address", "protocol"));
        modes.forEach(c -> header.add(c.name()));
        List<List<String>> lines = new ArrayList<>();
        lines.add(header);
        for (Row r : rows) {
            List<String> line = new ArrayList<>(List.of(r.target(), r.destination(), r.protocol()));
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
