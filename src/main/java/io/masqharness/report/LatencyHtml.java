package io.masqharness.report;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** index.html's latency section: plots as inline SVG, the percentiles beside the sender's lateness, the comparison matrix. */
final class LatencyHtml {

    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

    private LatencyHtml() {
    }

    static void render(StringBuilder h, Summary s) {
        if (s.latency().isEmpty() && s.throughput().isEmpty()) {
            return;
        }
        if (!s.latency().isEmpty()) {
            latency(h, s);
        }
        throughput(h, s);
        comparisons(h, s);
    }

    /**
     * tcp-stream's table: per mode, path and direction, the median goodput and retransmissions over the trials and each
     * trial's goodput; empty when the run measured none.
     */
    static void throughput(StringBuilder h, Summary s) {
        if (s.throughput().isEmpty()) {
            return;
        }
        h.append("<h2 id=\"throughput\">Throughput</h2><p>tcp-stream, measured with iperf3: goodput is what the receiver counted")
                .append(" (Gbit/s, summed over the parallel streams), retransmissions are the sender's. Upload: from the pod (or its node,")
                .append(" path host) to the external host; download: the external host sends back over the connection the pod opened")
                .append(" (iperf3 -R). A drop in goodput, or a rise in retransmissions, is a <em>slower</em> verdict. ")
                .append(HtmlReport.esc(SENDER_NOTE)).append("</p>")
                .append("<table><tr><th>mode</th><th>path</th><th>direction</th><th>streams</th><th>trials</th><th>goodput (median)</th>")
                .append("<th>retransmits (median)</th><th>sender's congestion control</th><th>goodput per trial</th></tr>");
        for (Summary.StreamGroup g : s.throughput()) {
            h.append("<tr><td>").append(HtmlReport.esc(g.mode())).append("</td><td>").append(HtmlReport.esc(g.path())).append("</td><td>")
                    .append(HtmlReport.esc(g.direction())).append("</td><td>").append(g.streams()).append("</td><td>")
                    .append(g.trialGoodputBps().size()).append("</td><td>").append(gbps(g.medianGoodputBps())).append("</td><td>")
                    .append(String.format(java.util.Locale.ROOT, "%.0f", g.medianRetransmits())).append("</td><td>")
                    .append(HtmlReport.esc(congestionControl(g))).append("</td><td>")
                    .append(String.join(", ", g.trialGoodputBps().stream().map(v -> gbps(v)).toList())).append("</td></tr>");
        }
        h.append("</table>");
    }

    /** Which sender's congestion control the table shows, and why it can differ between directions. */
    static final String SENDER_NOTE = "Sender's congestion control: what iperf3 read on the sending sockets, the pod's (or node's) on an"
            + " upload, the external host's on a download; BBR for pods (bandwidthManager.bbr) shows on uploads.";

    static String congestionControl(Summary.StreamGroup g) {
        return g.congestionControl().isEmpty() ? "not reported" : g.congestionControl();
    }

    static String gbps(double bitsPerSecond) {
        return String.format(java.util.Locale.ROOT, "%.2f Gbit/s", bitsPerSecond / 1e9);
    }

    private static void latency(StringBuilder h, Summary s) {
        h.append("<h2 id=\"latency\">Latency</h2><p>Open loop: each request measured from its intended send time; closed loop: back to"
                + " back, from the actual send. Microseconds; 95% intervals are distribution-free (order statistics). Host = the node's own"
                + " network, the baseline without the pod path.</p>");
        Set<String> kinds = new LinkedHashSet<>();
        s.latency().forEach(g -> kinds.add(g.kind()));
        for (String kind : kinds) {
            List<Summary.LatencyGroup> pod = s.latency().stream().filter(g -> g.kind().equals(kind) && g.path().equals("pod")
                    && g.loop().equals("open")).toList();
            h.append("<h3>").append(HtmlReport.esc(kind)).append(" (pod path, open loop; thin lines: single trials)</h3>").append(plot(pod));
        }
        h.append("<table><tr><th>mode</th><th>kind</th><th>path</th><th>loop</th><th>samples</th><th>lost</th>");
        for (double p : io.masqharness.latency.Percentiles.LEVELS) {
            h.append("<th>p").append(p == Math.floor(p) ? String.valueOf((int) p) : String.valueOf(p)).append(" [95% CI]</th>");
        }
        h.append("<th>max</th><th title=\"actual minus intended send time, pooled over the trials\">sender late p50</th>")
                .append("<th>sender late p99</th><th>left out of p50 verdicts</th><th>left out of p99 verdicts</th></tr>");
        for (Summary.LatencyGroup g : s.latency()) {
            h.append("<tr><td>").append(HtmlReport.esc(g.mode())).append("</td><td>").append(HtmlReport.esc(g.kind())).append("</td><td>")
                    .append(HtmlReport.esc(g.path())).append("</td><td>").append(HtmlReport.esc(g.loop())).append("</td><td>").append(g.samples())
                    .append("</td><td>").append(g.errors()).append("</td>");
            g.percentiles().forEach(p -> h.append("<td>").append(p.valueUs()).append(" [").append(p.lowUs()).append("&ndash;")
                    .append(p.highUs()).append("]</td>"));
            h.append("<td>").append(g.maxUs()).append("</td><td>").append(g.latenessP50Us()).append("</td><td>").append(g.latenessP99Us())
                    .append("</td>");
            for (String metric : Trend.METRICS) {
                List<Integer> out = g.leftOut(metric);
                h.append(out.isEmpty() ? "<td></td>" : "<td class=\"fail\" title=\"these trials' sender lateness at " + metric + " exceeds "
                        + Math.round(s.minEffect() * 100) + "% of their latency at " + metric + ": no verdict uses them\">" + out.size() + " of "
                        + g.trials(metric).size() + ": " + out + "</td>");
            }
            h.append("</tr>");
        }
        h.append("</table><p>Sender late: how late each request left (actual minus intended send time), the instrument's own")
                .append(" error. An open-loop latency counts it in full, so an open-loop trial whose lateness at p50 (p99) exceeds ")
                .append(Math.round(s.minEffect() * 100)).append("% (the effect floor) of its latency at p50 (p99) is left out of that")
                .append(" metric's verdicts; closed-loop lateness is the pause between an answer and the next request, shown but never")
                .append(" counted. ").append(HtmlReport.esc(leftOutSummary(s))).append("</p>");
    }

    /**
     * How many open-loop trials the sender's lateness left out, and what to do when that left too few: "" when none.
     */
    static String leftOutSummary(Summary s) {
        int p50 = s.latency().stream().mapToInt(g -> g.leftOut("p50").size()).sum();
        int p99 = s.latency().stream().mapToInt(g -> g.leftOut("p99").size()).sum();
        int open = s.latency().stream().filter(g -> g.loop().equals("open")).mapToInt(g -> g.trialP50Us().size()).sum();
        if (p50 + p99 == 0) {
            return "";
        }
        long unpaced = s.comparisons().stream().filter(c -> c.why().startsWith(LatencySummaries.PACING)).count();
        return String.format("Of %d open-loop trials, %d were left out of p50 verdicts and %d of p99 verdicts.%s", open, p50, p99,
                unpaced == 0 ? "" : " " + unpaced + " comparison(s) are " + LatencySummaries.PACING + ": lower latency.rate, run where the"
                        + " sender has a core to itself, or read the closed-loop rows.");
    }

    /** A row per kind, path and loop; a column per mode and metric; rows where every verdict is "same" greyed. */
    private static void comparisons(StringBuilder h, Summary s) {
        for (ComparisonMatrix.Titled t : ComparisonMatrix.of(s)) {
            matrix(h, t);
        }
    }

    private static void matrix(StringBuilder h, ComparisonMatrix.Titled t) {
        ComparisonMatrix m = t.matrix();
        long quiet = m.rows().stream().filter(ComparisonMatrix.Row::allSame).count();
        h.append("<h3>").append(HtmlReport.esc(t.title())).append("</h3><p>").append(HtmlReport.esc(t.note()))
                .append(" Each cell: the verdict on the per-trial values and the change of")
                .append(" their medians (hover for the figures and the test). ").append(quiet).append(" of ").append(m.rows().size())
                .append(" rows are the same on every metric and are greyed.")
                .append("</p><table class=\"cmp\"><tr><th rowspan=\"2\">kind</th>")
                .append("<th rowspan=\"2\">path</th><th rowspan=\"2\">loop</th>");
        m.modeHeads().forEach(c -> h.append("<th colspan=\"").append(m.span(c)).append("\">").append(HtmlReport.esc(c.candidate()))
                .append(" vs ").append(HtmlReport.esc(c.baseline())).append("</th>"));
        h.append("</tr><tr>");
        m.columns().forEach(c -> h.append("<th>").append(HtmlReport.esc(c.metric())).append("</th>"));
        h.append("</tr>");
        for (ComparisonMatrix.Row r : m.rows()) {
            h.append(r.allSame() ? "<tr class=\"quiet\">" : "<tr>").append("<td>").append(HtmlReport.esc(r.kind())).append("</td><td>")
                    .append(HtmlReport.esc(r.path())).append("</td><td>").append(HtmlReport.esc(r.loop())).append("</td>");
            for (Summary.ComparisonRow c : r.cells()) {
                if (c == null) {
                    h.append("<td></td>");
                    continue;
                }
                String cls = switch (c.verdict()) {
                    case "slower" -> Baselines.gates(c) ? "fail" : "na";
                    case "faster" -> "faster";
                    case "inconclusive" -> "na";
                    default -> "same";
                };
                h.append("<td class=\"").append(cls).append("\" title=\"").append(HtmlReport.esc(String.format("%s, p=%s: %s",
                        ComparisonMatrix.figures(c), Double.isNaN(c.pValue()) ? "n/a" : io.masqharness.latency.Comparison.digits(c.pValue()),
                        c.why()))).append("\">")
                        .append(HtmlReport.esc(ComparisonMatrix.cell(c))).append("</td>");
            }
            h.append("</tr>");
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
            svg.append(String.format("<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"%s\">%s</text>", left + 10, 28 + 16 * i, color, HtmlReport.esc(g.mode())));
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

}
