package io.masqharness.conformance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.masqharness.scenario.ModeSpec;
import io.masqharness.scenario.ScenarioUpgrade;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * "What the upgrade changed" in a run with {@code cilium.upgradeTo}: per mode, how it ran before and after
 * (verified, failed, or refused as the oracle predicts), and every cell whose observed source or whose expected
 * source changed, the oracle's prediction beside what arrived. Written into the report folder as
 * {@code upgrade.md} and {@code upgrade.json}.
 */
public final class UpgradeChanges {

    /** A mode after the upgrade that did not run: the oracle's refusal (the agent or Helm), or why it was not probed. */
    public record NotRun(String mode, String why) {
    }

    /**
     * @param before   the mode's implementation before, or why it did not run
     * @param after    the same after the upgrade
     * @param changed  each cell whose arrival or prediction differs
     */
    public record ModeChange(String mode, String before, String after, boolean broke, List<Map<String, Object>> changed) {
    }

    public record Report(String from, String to, List<String> valuesRewritten, List<ModeChange> modes) {
    }

    private UpgradeChanges() {
    }

    public static Report of(ScenarioUpgrade upgrade, Map<String, ModeExecution.Outcome> before, Map<String, ModeExecution.Outcome> after,
                            Map<String, NotRun> notRun) {
        List<ModeChange> modes = new ArrayList<>();
        for (ModeSpec m : upgrade.before().modes()) {
            String afterName = ScenarioUpgrade.afterName(m.name(), upgrade.to());
            ModeExecution.Outcome b = before.get(m.name());
            ModeExecution.Outcome a = after.get(afterName);
            List<Map<String, Object>> changed = new ArrayList<>();
            if (b != null && a != null) {
                for (CellResult rb : b.results()) {
                    a.results().stream().filter(ra -> same(rb.cell(), ra.cell())).findFirst().ifPresent(ra -> {
                        boolean arrived = !rb.observed().sources().equals(ra.observed().sources());
                        boolean predicted = rb.expected().source() != ra.expected().source();
                        if (arrived || predicted) {
                            Map<String, Object> c = new LinkedHashMap<>();
                            c.put("from", rb.cell().pod().name());
                            c.put("to", rb.cell().target());
                            c.put("family", rb.cell().family().label());
                            c.put("protocol", rb.cell().protocol().toString());
                            c.put("beforeArrived", String.join(",", rb.observed().sources()));
                            c.put("afterArrived", String.join(",", ra.observed().sources()));
                            c.put("beforePredicted", rb.expected().toString());
                            c.put("afterPredicted", ra.expected().toString());
                            c.put("afterAsPredicted", ra.verdict().passed());
                            changed.add(c);
                        }
                    });
                }
            }
            String afterState = notRun.containsKey(afterName) ? "did not run: " + notRun.get(afterName).why() : state(a);
            boolean broke = b != null && b.verified() && (notRun.containsKey(afterName) || a != null && !a.verified());
            String beforeState = notRun.containsKey(m.name()) ? "did not run: " + notRun.get(m.name()).why() : state(b);
            modes.add(new ModeChange(m.name(), beforeState, afterState, broke, changed));
        }
        return new Report(upgrade.from().text(), upgrade.to().text(), upgrade.changes(), modes);
    }

    private static boolean same(Cell x, Cell y) {
        return x.pod().name().equals(y.pod().name()) && x.target().equals(y.target()) && x.address().equals(y.address())
                && x.protocol().equals(y.protocol());
    }

    private static String state(ModeExecution.Outcome o) {
        if (o == null) {
            return "not run";
        }
        return o.agent().statusLabel() + (o.agent().ipv6() ? " " + o.agent().statusFamilies() : "")
                + (o.verified() ? ", verified" : ", FAILED verification") + ", "
                + o.results().stream().filter(r -> r.verdict().passed()).count() + "/"
                + o.results().stream().filter(r -> r.verdict().applicable()).count() + " cells as predicted";
    }

    public static String markdown(Report r) {
        StringBuilder s = new StringBuilder("# What the upgrade changed: Cilium " + r.from() + " -> " + r.to() + "\n\n");
        s.append(r.valuesRewritten().isEmpty() ? "No value needed rewriting.\n" : "Values rewritten for " + r.to() + ":\n");
        r.valuesRewritten().forEach(v -> s.append("- ").append(v).append('\n'));
        for (ModeChange m : r.modes()) {
            s.append("\n## mode ").append(m.mode()).append(m.broke() ? " (BROKE after the upgrade)" : "").append('\n')
                    .append("- before: ").append(m.before()).append('\n').append("- after: ").append(m.after()).append('\n');
            if (m.before().startsWith("did not run") || m.after().startsWith("did not run") || m.before().equals("not run")
                    || m.after().equals("not run")) {
                s.append("- no cell to compare: the mode ran on one release only\n");
            } else if (m.changed().isEmpty()) {
                s.append("- no cell's arriving source or prediction changed\n");
            } else {
                s.append("\n| from | to | family | protocol | arrived before | arrived after | predicted before | predicted after | as predicted |\n")
                        .append("|---|---|---|---|---|---|---|---|---|\n");
                m.changed().forEach(c -> s.append("| ").append(String.join(" | ", c.values().stream().map(String::valueOf).toList()))
                        .append(" |\n"));
            }
        }
        return s.toString();
    }

    public static String json(Report r) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
