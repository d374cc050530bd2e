package io.masqharness.report;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** index.html: self-contained (no scripts, no network), plots as inline SVG. */
final class HtmlReport {

    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

    private HtmlReport() {
    }

    static String render(Summary s, List<String> topology) {
        StringBuilder h = new StringBuilder();
        h.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>").append(esc(s.scenario())).append(" - masquerading report</title><style>")
                .append("body{font-family:sans-serif;margin:24px;color:#222}h1{font-size:22px}h2{font-size:18px;margin-top:28px;border-bottom:1px solid #ccc}")
                .append("table{border-collapse:collapse;font-size:12px;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left}")
                .append(".pass{background:#e6f4ea}.fail{background:#fce8e6;font-weight:bold}.na{background:#f1f3f4;color:#666}")
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
        h.append("</p>");
        if (!s.problems().isEmpty()) {
            h.append("<h2>Problems</h2><ul>");
            s.problems().forEach(p -> h.append("<li class=\"fail\"><pre>").append(esc(p)).append("</pre></li>"));
            h.append("</ul>");
        }
        h.append("<h2>Topology</h2>").append(TopologySvg.render(s, topology));
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
            matrix(h, m);
        }
        latency(h, s);
        h.append("</body></html>\n");
        return h.toString();
    }

    /**
     * Rows: target, family (IPv6 rows marked, right after their IPv4 twins' block) and protocol;
     * columns: source pods; a cell shows the source observed, marked against the expectation.
     */
    private static void matrix(StringBuilder h, Summary.ModeResult m) {
        Set<String> pods = new LinkedHashSet<>();
        Map<String, Map<String, Summary.Cell>> rows = new LinkedHashMap<>();
        for (Summary.Cell c : m.cells()) {
            pods.add(c.pod());
            rows.computeIfAbsent(c.target() + ("ipv6".equals(c.family()) ? " [IPv6]" : "") + " " + c.protocol(),
                    k -> new LinkedHashMap<>()).put(c.pod(), c);
        }
        if (rows.isEmpty()) {
            return;
        }
        h.append("<table><tr><th>target / protocol</th>");
        pods.forEach(p -> h.append("<th>").append(esc(p)).append("</th>"));
        h.append("</tr>");
        rows.forEach((row, byPod) -> {
            h.append("<tr><td>").append(esc(row)).append("</td>");
            for (String p : pods) {
                Summary.Cell c = byPod.get(p);
                if (c == null) {
                    h.append("<td></td>");
                    continue;
                }
                if (!c.judged()) {
                    h.append("<td class=\"na\" title=\"").append(esc(c.reason())).append("\">not judged</td>");
                    continue;
                }
                h.append("<td class=\"").append(c.passed() ? "pass" : "fail").append("\" title=\"").append(esc(c.reason())).append("\">")
                        .append(esc(c.observed())).append(c.answered() || c.observed().equals("nothing arrived") ? "" : ", no answer")
                        .append(c.passed() ? "" : " (expected " + esc(c.expected()) + ")")
                        .append(c.attempts() > 1 ? " [" + c.attempts() + " attempts]" : "").append("</td>");
            }
            h.append("</tr>");
        });
        h.append("</table>");
    }

    private static void latency(StringBuilder h, Summary s) {
        if (s.latency().isEmpty()) {
            return;
        }
        h.append("<h2 id=\"latency\">Latency</h2><p>Open loop, each request measured from its intended send time; microseconds; 95% intervals"
                + " are distribution-free (order statistics). Host = the node's own network, the baseline without the pod path.</p>");
        Set<String> kinds = new LinkedHashSet<>();
        s.latency().forEach(g -> kinds.add(g.kind()));
        for (String kind : kinds) {
            List<Summary.LatencyGroup> pod = s.latency().stream().filter(g -> g.kind().equals(kind) && g.path().equals("pod")
                    && g.loop().equals("open")).toList();
            h.append("<h3>").append(esc(kind)).append(" (pod path, open loop; thin lines: single trials)</h3>").append(plot(pod));
        }
        h.append("<table><tr><th>mode</th><th>kind</th><th>path</th><th>loop</th><th>samples</th><th>lost</th>");
        for (double p : io.masqharness.latency.Percentiles.LEVELS) {
            h.append("<th>p").append(p == Math.floor(p) ? String.valueOf((int) p) : String.valueOf(p)).append(" [95% CI]</th>");
        }
        h.append("<th>max</th></tr>");
        for (Summary.LatencyGroup g : s.latency()) {
            h.append("<tr><td>").append(esc(g.mode())).append("</td><td>").append(esc(g.kind())).append("</td><td>").append(g.path())
                    .append("</td><td>").append(g.loop()).append("</td><td>").append(g.samples()).append("</td><td>").append(g.errors()).append("</td>");
            g.percentiles().forEach(p -> h.append("<td>").append(p.valueUs()).append(" [").append(p.lowUs()).append("&ndash;")
                    .append(p.highUs()).append("]</td>"));
            h.append("<td>").append(g.maxUs()).append("</td></tr>");
        }
        h.append("</table><h3>Mode comparisons (against ").append(esc(s.latency().get(0).mode())).append(")</h3><table><tr><th>kind</th>")
                .append("<th>path</th><th>loop</th><th>metric</th><th>mode</th><th>verdict</th><th>baseline</th><th>mode</th><th>change</th><th>why</th></tr>");
        for (Summary.ComparisonRow c : s.comparisons()) {
            h.append("<tr class=\"").append(c.verdict().equals("slower") ? "fail" : c.verdict().equals("inconclusive") ? "na" : "pass")
                    .append("\"><td>").append(esc(c.kind())).append("</td><td>").append(esc(c.path())).append("</td><td>").append(c.loop())
                    .append("</td><td>").append(c.metric())
                    .append("</td><td>").append(esc(c.candidate())).append("</td><td>").append(c.verdict()).append("</td><td>")
                    .append(String.format("%.0f", c.baselineUs())).append("</td><td>").append(String.format("%.0f", c.candidateUs()))
                    .append("</td><td>").append(String.format("%+.1f%%", c.relativeEffect() * 100)).append("</td><td>")
                    .append(esc(c.why())).append("</td></tr>");
        }
        h.append("</table>");
    }

    /** Percentile distribution, x = log10(1/(1-p)) from p50 to p99.99, y = latency in µs (log), one line per mode. */
    static String plot(List<Summary.LatencyGroup> groups) {
        int w = 680;
        int ht = 300;
        int left = 60;
        int right = 40;
        int bottom = 40;
        double xMax = 4;
        double yMin = Double.MAX_VALUE;
        double yMax = 1;
        for (Summary.LatencyGroup g : groups) {
            for (double[] pt : g.curve()) {
                yMin = Math.min(yMin, pt[1]);
                yMax = Math.max(yMax, pt[1]);
            }
        }
        if (yMin == Double.MAX_VALUE) {
            return "";
        }
        double lyMin = Math.log10(Math.max(1, yMin));
        double lyMax = Math.log10(yMax) + 0.05;
        StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w + "\" height=\"" + ht + "\">");
        svg.append("<rect x=\"").append(left).append("\" y=\"10\" width=\"").append(w - left - right).append("\" height=\"")
                .append(ht - bottom - 10).append("\" fill=\"none\" stroke=\"#999\"/>");
        String[] labels = {"p0", "p90", "p99", "p99.9", "p99.99"};
        for (int i = 0; i <= 4; i++) {
            double x = left + i / xMax * (w - left - right);
            svg.append(String.format("<text x=\"%.0f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>", x, ht - bottom + 16, labels[i]));
        }
        for (double v = Math.pow(10, Math.floor(lyMin)); v <= yMax * 10; v *= 10) {
            if (Math.log10(v) < lyMin || Math.log10(v) > lyMax) {
                continue;
            }
            double y = 10 + (1 - (Math.log10(v) - lyMin) / (lyMax - lyMin)) * (ht - bottom - 10);
            svg.append(String.format("<text x=\"%d\" y=\"%.0f\" font-size=\"11\" text-anchor=\"end\">%.0f us</text>", left - 4, y + 4, v));
        }
        int i = 0;
        for (Summary.LatencyGroup g : groups) {
            String color = COLORS[i % COLORS.length];
            for (List<double[]> trial : g.trialCurves()) {
                svg.append("<path d=\"").append(line(trial, left, right, w, ht, bottom, xMax, lyMin, lyMax)).append("\" fill=\"none\" stroke=\"")
                        .append(color).append("\" stroke-width=\"0.7\" stroke-opacity=\"0.5\"/>");
            }
            svg.append("<path d=\"").append(line(g.curve(), left, right, w, ht, bottom, xMax, lyMin, lyMax)).append("\" fill=\"none\" stroke=\"")
                    .append(color).append("\" stroke-width=\"2\"/>");
            svg.append(String.format("<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"%s\">%s</text>", left + 10, 28 + 16 * i, color, esc(g.mode())));
            i++;
        }
        svg.append(String.format("<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">percentile (1/(1-p) log scale)</text>",
                left + (w - left) / 2, ht - 4));
        return svg.append("</svg>").toString();
    }

    private static String line(List<double[]> curve, int left, int right, int w, int ht, int bottom, double xMax, double lyMin,
                               double lyMax) {
        StringBuilder path = new StringBuilder();
        for (double[] pt : curve) {
            double lx = Math.min(xMax, Math.log10(1 / (1 - pt[0] / 100)));
            double x = left + lx / xMax * (w - left - right);
            double y = 10 + (1 - (Math.log10(Math.max(1, pt[1])) - lyMin) / (lyMax - lyMin)) * (ht - bottom - 10);
            path.append(path.length() == 0 ? "M" : "L").append(String.format("%.1f,%.1f", x, y));
        }
        return path.toString();
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
