package io.masqharness.upgrade;

import java.util.List;

/** The upgrade answer as a person reads it in a terminal or a CI log. */
public final class UpgradeText {

    private UpgradeText() {
    }

    public static String of(UpgradeReport r, String subject) {
        StringBuilder out = new StringBuilder();
        out.append("Upgrade of ").append(subject).append(" from Cilium ").append(r.from()).append(" to ").append(r.to()).append('\n');
        for (UpgradeReport.Mode m : r.modes()) {
            out.append("mode ").append(m.mode()).append(": ").append(side(m.before())).append(" -> ").append(side(m.after()))
                    .append(m.changed() ? "" : " (unchanged)").append('\n');
            for (UpgradeReport.Change c : m.changes()) {
                out.append("  ").append(c.from()).append(" -> ").append(c.to()).append(' ').append(c.protocol()).append(": ")
                        .append(c.before()).append(" -> ").append(c.after()).append('\n');
            }
        }
        list(out, "values to change (or, deprecated, to change before the next release):", r.values().stream()
                .map(v -> v.key() + ": " + v.problem() + "; instead: " + v.suggestion()).toList());
        list(out, "unverified (the answer rests on facts not settled against the release):", r.unverified());
        out.append(switch (r.exitCode()) {
            case UpgradeReport.BREAKS -> "exit 2: a mode breaks after the upgrade";
            case UpgradeReport.CHANGED -> "exit 1: something changes";
            default -> "exit 0: nothing changes";
        }).append('\n');
        return out.toString();
    }

    private static String side(UpgradeReport.Side s) {
        return s.refused() != null ? "REFUSED (" + s.refused() + ")" : s.effectiveMode();
    }

    private static void list(StringBuilder out, String title, List<String> items) {
        if (!items.isEmpty()) {
            out.append(title).append('\n');
            items.forEach(i -> out.append("  - ").append(i).append('\n'));
        }
    }
}
