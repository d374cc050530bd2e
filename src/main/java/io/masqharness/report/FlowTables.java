package io.masqharness.report;

import io.masqharness.oracle.ModeChanges;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Each mode's flows: rows are target and protocol, columns the source pods; a cell shows the source
 * observed, and the expected one beside it where they differ. A cell that differs from the same
 * flow in the previous mode is marked, as {@code explain --matrix} marks it ({@link ModeChanges}).
 */
final class FlowTables {

    /** What a cell shows, compared between modes. */
    private record Shown(String expected, String observed, boolean answered, boolean judged) {
    }

    private FlowTables() {
    }

    private static String key(Summary.Cell c) {
        return c.pod() + "|" + row(c);
    }

    /** A row: target and protocol; a dual-stack target's IPv6 flows get rows of their own, marked, beside the IPv4 ones. */
    private static String row(Summary.Cell c) {
        return c.target() + ("ipv6".equals(c.family()) ? " [IPv6]" : "") + " " + c.protocol();
    }

    /** Per mode (in run order), the keys of the cells that differ from the previous mode's. */
    static List<Set<String>> changed(List<Summary.ModeResult> modes) {
        Set<String> keys = new LinkedHashSet<>();
        List<Map<String, Shown>> shown = new ArrayList<>();
        for (Summary.ModeResult m : modes) {
            Map<String, Shown> cells = new LinkedHashMap<>();
            m.cells().forEach(c -> cells.put(key(c), new Shown(c.expected(), c.observed(), c.answered(), c.judged())));
            keys.addAll(cells.keySet());
            shown.add(cells);
        }
        List<Set<String>> changed = new ArrayList<>();
        modes.forEach(m -> changed.add(new LinkedHashSet<>()));
        for (String key : keys) {
            List<Boolean> marks = ModeChanges.marks(shown.stream().map(cells -> cells.get(key)).toList());
            for (int i = 0; i < marks.size(); i++) {
                if (marks.get(i)) {
                    changed.get(i).add(key);
                }
            }
        }
        return changed;
    }

    /** @param previous the mode run before, or null for the first; {@code changed} the keys {@link #changed} gives this mode */
    static void render(StringBuilder h, Summary.ModeResult m, String previous, Set<String> changed) {
        Set<String> pods = new LinkedHashSet<>();
        Map<String, Map<String, Summary.Cell>> rows = new LinkedHashMap<>();
        for (Summary.Cell c : m.cells()) {
            pods.add(c.pod());
            rows.computeIfAbsent(row(c), k -> new LinkedHashMap<>()).put(c.pod(), c);
        }
        if (rows.isEmpty()) {
            return;
        }
        if (previous != null) {
            h.append("<p>").append(changed.size()).append(changed.size() == 1 ? " flow differs" : " flows differ")
                    .append(" from mode ").append(HtmlReport.esc(previous)).append(changed.isEmpty() ? "." : " (marked *).").append("</p>");
        }
        h.append("<table><tr><th>target / protocol</th>");
        pods.forEach(p -> h.append("<th>").append(HtmlReport.esc(p)).append("</th>"));
        h.append("</tr>");
        rows.forEach((row, byPod) -> {
            h.append("<tr><td>").append(HtmlReport.esc(row)).append("</td>");
            for (String p : pods) {
                Summary.Cell c = byPod.get(p);
                if (c == null) {
                    h.append("<td></td>");
                    continue;
                }
                boolean mark = changed.contains(key(c));
                String cls = (!c.judged() ? "na" : c.passed() ? "pass" : "fail") + (mark ? " chg" : "");
                h.append("<td class=\"").append(cls).append("\" title=\"").append(HtmlReport.esc(c.reason())).append("\">");
                if (!c.judged()) {
                    h.append("not judged");
                } else {
                    h.append(c.passed() ? "" : "got ").append(HtmlReport.esc(c.observed()))
                            .append(c.answered() || c.observed().equals("nothing arrived") ? "" : ", no answer")
                            .append(c.passed() ? "" : "; expected " + HtmlReport.esc(c.expected()))
                            .append(c.attempts() > 1 ? " [" + c.attempts() + " attempts]" : "");
                }
                h.append(mark ? " <b>*</b>" : "").append("</td>");
            }
            h.append("</tr>");
        });
        h.append("</table>");
    }
}
