package io.masqharness.report;

import java.util.List;
import java.util.Set;

/** index.html: self-contained (no scripts, no network), plots as inline SVG. */
final class HtmlReport {

    private HtmlReport() {
    }

    static String render(Summary s, List<String> topology) {
        return render(s, topology, java.util.Map.of());
    }

    /** @param related files of the report beside index.html worth a link at the top (file name to what it holds) */
    static String render(Summary s, List<String> topology, java.util.Map<String, String> related) {
        StringBuilder h = new StringBuilder();
        h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>").append(esc(s.scenario())).append(" - masquerading report</title><style>")
                .append("body{font-family:sans-serif;margin:24px;color:#222}h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ccc}")
                .append("table{border-collapse:collapse;font-size:12px;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left}")
                .append(".pass{background:#e6f4ea}.fail{background:#fce8e6;font-weight:bold}.na{background:#f1f3f4;color:#666}")
                .append(".chg{box-shadow:inset 4px 0 0 #1a73e8}.faster{background:#d2f0dc}.same{color:#555}")
                .append("tr.quiet td{color:#999;font-size:11px;background:#fafafa}")
                .append(".badge{display:inline-block;padding:3px 8px;border-radius:4px;background:#fff3cd;border:1px solid #e0c36a}")
                .append("pre{background:#f6f8fa;padding:8px;font-size:11px}</style></head><body>");
        h.append("<h1>Masquerading report: ").append(esc(s.scenario())).append("</h1>");
        h.append("<p><span class=\"badge\">Datapath: ").append(esc(s.datapath())).append("</span> run ").append(esc(s.runId()))
                .append(", started ").append(esc(s.startedAt())).append("</p>");
        long cells = s.modes().stream().flatMap(m -> m.cells().stream()).filter(Summary.Cell::judged).count();
        long passed = s.modes().stream().flatMap(m -> m.cells().stream()).filter(Summary.Cell::passed).count();
        h.append("<p>").append(passed).append(" of ").append(cells).append(" flows left with the expected source.");
        for (int i = 0; i < s.modes().size(); i++) {
            h.append(" <a href=\"#mode-").append(i + 1).append("\">").append(esc(s.modes().get(i).mode())).append("</a>");
        }
        if (!s.latency().isEmpty()) {
            h.append(" <a href=\"#latency\">latency</a>");
        }
        if (!s.throughput().isEmpty()) {
            h.append(" <a href=\"#throughput\">throughput</a>");
        }
        related.forEach((file, what) -> h.append(" <a href=\"").append(esc(file)).append("\">").append(esc(what)).append("</a>"));
        h.append("</p>");
        if (!s.problems().isEmpty()) {
            h.append("<h2>Problems</h2><ul>");
            s.problems().forEach(p -> h.append("<li class=\"fail\"><pre>").append(esc(p)).append("</pre></li>"));
            h.append("</ul>");
        }
        h.append("<h2>Topology</h2>").append(TopologySvg.render(s, topology));
        List<Set<String>> changed = FlowTables.changed(s.modes());
        for (int i = 0; i < s.modes().size(); i++) {
            Summary.ModeResult m = s.modes().get(i);
            h.append("<h2 id=\"mode-").append(i + 1).append("\">Mode ").append(esc(m.mode())).append(" (").append(esc(m.effectiveMode())).append(", agent status ")
                    .append(esc(m.expectedStatus())).append(")</h2>");
            if (m.switchDisruption() != null) {
                h.append("<p>Switch disruption: ").append(esc(m.switchDisruption())).append("</p>");
            }
            h.append("<p>Retries: ").append(m.retries()).append(m.retries() == 0 ? "" : " (flows probed again after getting no answer;"
                    + " each cell's attempts are in summary.json)").append("</p>");
            if (m.diagnostics() != null) {
                h.append("<p class=\"fail\">Something failed in this mode: <a href=\"").append(esc(m.diagnostics()))
                        .append("\">diagnostics</a></p>");
            }
            h.append("<table><tr><th>node</th><th>verification</th><th>status</th><th>detail</th></tr>");
            for (Summary.Check c : m.checks()) {
                String cls = c.status().equals("PASSED") ? "pass" : c.status().equals("FAILED") ? "fail" : "na";
                h.append("<tr class=\"").append(cls).append("\"><td>").append(esc(c.node())).append("</td><td>").append(esc(c.check()))
                        .append("</td><td>").append(c.status().equals("NOT_APPLICABLE") ? "not applicable" : esc(c.status().toLowerCase()))
                        .append("</td><td>").append(esc(c.message())).append("</td></tr>");
            }
            h.append("</table>");
            FlowTables.render(h, m, i == 0 ? null : s.modes().get(i - 1).mode(), changed.get(i));
        }
        LatencyHtml.render(h, s);
        h.append("</body></html>\n");
        return h.toString();
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
