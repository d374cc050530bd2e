package io.masqharness.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** trend.html: self-contained (no scripts, no network), one inline SVG chart per kind, path, loop and metric. */
public final class TrendHtml {

    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};
    private static final int W = 420;
    private static final int H = 240;
    private static final int LEFT = 58;
    private static final int RIGHT = 20;
    private static final int TOP = 12;
    private static final int BOTTOM = 40;
    /** Space between the plot's sides and the first and last runs, for their bands and date labels. */
    private static final int INSET = 30;

    private TrendHtml() {
    }

    public static String render(Trend trend) {
        StringBuilder h = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>Latency trend</title><style>")
                .append("body{font-family:sans-serif;margin:24px;color:#222}h1{font-size:22px}h2{font-size:18px;margin-top:28px;")
                .append("border-bottom:1px solid #ccc}.badge{display:inline-block;padding:3px 8px;border-radius:4px;background:#fff3cd;")
                .append("border:1px solid #e0c36a;font-size:13px;font-weight:normal}.charts{display:flex;flex-wrap:wrap;gap:12px}")
                .append("figure{margin:0;border:1px solid #ddd;padding:6px}figcaption{font-size:13px;font-weight:bold}")
                .append(".fail{background:#fce8e6}p,li{font-size:13px}</style></head><body><h1>Latency trend</h1>");
        h.append("<p>Each point: a run's median over its trials (latency in µs; tcp-stream's goodput in Gbit/s, where a drop is")
                .append(" slower, and its retransmissions, where a rise is). The shaded band: the baseline the run was judged against")
                .append(" (the scenario's explicit baseline, else the previous ").append(Baselines.HISTORY_RUNS)
                .append(" runs of the same scenario and datapath) plus and minus the run's effect floor, where a change counts as")
                .append(" same. Markers: the verdict the run's latency gate gave against that baseline when it ran (older history")
                .append(" lines keep none: those are judged here, and their tooltips say so). Against the baseline a pod path is")
                .append(" judged relative to the host path of the same trials, so a machine that got slower moves both lines and")
                .append(" fails nothing; a host path's marker is its absolute change, the machine's drift, never a regression (grey).")
                .append(" A point leaves out the trials whose sender could not keep its schedule. Lab and Cilium runs are separate")
                .append(" sections, never one line.</p>").append(legend());
        if (!trend.problems().isEmpty()) {
            h.append("<h2>Lines of the history that were left out</h2><ul>");
            trend.problems().forEach(p -> h.append("<li class=\"fail\">").append(HtmlReport.esc(p)).append("</li>"));
            h.append("</ul>");
        }
        if (trend.sections().isEmpty()) {
            h.append("<p>No runs in the history yet.</p>");
        }
        if (!trend.unmeasured().isEmpty()) {
            h.append("<h2>Runs that measured nothing</h2><p>Skipped or never started: no point of any series.</p><ul>");
            trend.unmeasured().forEach(r -> h.append("<li>").append(HtmlReport.esc(r.scenario() + " on " + r.datapath() + " at "
                    + r.startedAt())).append("</li>"));
            h.append("</ul>");
        }
        for (Trend.Section s : trend.sections()) {
            h.append("<h2>").append(HtmlReport.esc(s.scenario())).append(" <span class=\"badge\">Datapath: ")
                    .append(HtmlReport.esc(s.datapath())).append("</span></h2><p>").append(s.runs().size()).append(" runs, ")
                    .append(HtmlReport.esc(s.runs().get(0).startedAt())).append(" to ")
                    .append(HtmlReport.esc(s.runs().get(s.runs().size() - 1).startedAt())).append(".</p>");
            if (s.charts().isEmpty()) {
                h.append("<p>No latency measured in these runs.</p>");
                continue;
            }
            List<String> modes = new ArrayList<>();
            s.charts().forEach(c -> c.series().forEach(x -> {
                if (!modes.contains(x.mode())) {
                    modes.add(x.mode());
                }
            }));
            h.append("<p>");
            for (String mode : modes) {
                h.append("<span style=\"color:").append(COLORS[modes.indexOf(mode) % COLORS.length])
                        .append(";font-weight:bold;margin-right:14px\">&#9644; ").append(HtmlReport.esc(mode)).append("</span>");
            }
            h.append("</p><div class=\"charts\">");
            for (Trend.Chart c : s.charts()) {
                h.append("<figure><figcaption>").append(HtmlReport.esc(c.title())).append("</figcaption>").append(chart(s, c, modes))
                        .append("</figure>");
            }
            h.append("</div>");
        }
        return h.append("</body></html>\n").toString();
    }

    private static String legend() {
        return "<p>" + "<svg width=\"620\" height=\"22\" font-size=\"12\">"
                + marker("slower", 10, 11, "#333") + "<text x=\"20\" y=\"15\">slower</text>"
                + marker("faster", 80, 11, "#333") + "<text x=\"90\" y=\"15\">faster</text>"
                + marker("same", 150, 11, "#333") + "<text x=\"160\" y=\"15\">same</text>"
                + marker("inconclusive", 210, 11, "#333") + "<text x=\"220\" y=\"15\">inconclusive</text>"
                + marker(null, 315, 11, "#333") + "<text x=\"325\" y=\"15\">no baseline yet</text>"
                + "<circle cx=\"450\" cy=\"11\" r=\"7\" fill=\"none\" stroke=\"#ff8c00\" stroke-width=\"2\"/>"
                + "<text x=\"462\" y=\"15\">sender lateness flagged</text></svg></p>";
    }

    static String chart(Trend.Section s, Trend.Chart c, List<String> modes) {
        int n = s.runs().size();
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (Trend.Series series : c.series()) {
            for (Trend.Point p : series.points()) {
                for (double v : new double[] {p.valueUs(), p.bandLowUs(), p.bandHighUs()}) {
                    if (!Double.isNaN(v)) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
        }
        double tick = niceStep(Math.max(1, hi - lo) / 4);
        double yMin = Math.max(0, Math.floor((lo - tick / 2) / tick) * tick);
        double yMax = Math.ceil((hi + tick / 2) / tick) * tick;
        double plotW = W - LEFT - RIGHT;
        double plotH = H - TOP - BOTTOM;
        double step = n <= 1 ? plotW : (plotW - 2 * INSET) / (n - 1);
        StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + W + "\" height=\"" + H
                + "\" font-size=\"11\">");
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" stroke=\"#999\"/>",
                LEFT, TOP, plotW, plotH));
        for (double v = yMin; v <= yMax + tick / 2; v += tick) {
            double y = y(v, yMin, yMax);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#eee\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>", LEFT, y, LEFT + plotW, y, LEFT - 4, y + 4,
                    axis(v, c.unit())));
        }
        // Date labels at least 75 px apart, so they never run into each other.
        int every = n <= 1 ? 1 : Math.max(1, (int) Math.ceil(75 / step));
        for (int i = 0; i < n; i += every) {
            String at = s.runs().get(i).startedAt();
            String label = at.length() >= 16 ? at.substring(5, 10) + " " + at.substring(11, 16) : at;
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", x(i, n, step), H - BOTTOM + 14,
                    HtmlReport.esc(label)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%d\" text-anchor=\"middle\">run (start, UTC)</text>", LEFT + plotW / 2,
                H - 6));
        for (Trend.Series series : c.series()) {
            String color = COLORS[modes.indexOf(series.mode()) % COLORS.length];
            for (Trend.Point p : series.points()) {
                if (!Double.isNaN(p.bandLowUs())) {
                    double half = Math.min(step * 0.4, INSET - 4);
                    svg.append(String.format(Locale.ROOT, "<rect class=\"band\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                                    + "fill=\"%s\" fill-opacity=\"0.12\"/>", x(p.run(), n, step) - half, y(p.bandHighUs(), yMin, yMax), 2 * half,
                            y(p.bandLowUs(), yMin, yMax) - y(p.bandHighUs(), yMin, yMax), color));
                }
            }
        }
        for (Trend.Series series : c.series()) {
            String color = COLORS[modes.indexOf(series.mode()) % COLORS.length];
            StringBuilder points = new StringBuilder();
            for (Trend.Point p : series.points()) {
                points.append(points.length() == 0 ? "" : " ")
                        .append(String.format(Locale.ROOT, "%.1f,%.1f", x(p.run(), n, step), y(p.valueUs(), yMin, yMax)));
            }
            svg.append("<polyline class=\"series\" data-mode=\"").append(HtmlReport.esc(series.mode())).append("\" points=\"").append(points)
                    .append("\" fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"2\"/>");
            for (Trend.Point p : series.points()) {
                double px = x(p.run(), n, step);
                double py = y(p.valueUs(), yMin, yMax);
                History.Run run = s.runs().get(p.run());
                svg.append("<g><title>").append(HtmlReport.esc(String.format(Locale.ROOT, "%s %s: %s, %s (%s)%s%s", series.mode(),
                        run.startedAt(), value(p.valueUs(), c.unit()), p.verdict() == null ? "no verdict" : p.verdict(), p.why(),
                        p.flagged() ? "; trials left out for sender lateness" : "", p.drift() == null ? "" : "; " + p.drift())))
                        .append("</title>").append(marker(p.verdict(), px, py, p.gated() ? color : "#999"));
                if (p.flagged()) {
                    svg.append(String.format(Locale.ROOT, "<circle class=\"flagged\" cx=\"%.1f\" cy=\"%.1f\" r=\"7\" fill=\"none\" "
                            + "stroke=\"#ff8c00\" stroke-width=\"2\"/>", px, py));
                }
                svg.append("</g>");
            }
        }
        return svg.append("</svg>").toString();
    }

    /** The verdict's shape: slower a red triangle up, faster a green one down, same a filled dot, inconclusive a hollow one. */
    private static String marker(String verdict, double x, double y, String color) {
        if (verdict == null) {
            return String.format(Locale.ROOT, "<circle class=\"verdict none\" cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>", x, y, color);
        }
        return switch (verdict) {
            case "slower" -> String.format(Locale.ROOT, "<path class=\"verdict slower\" d=\"M%.1f,%.1f L%.1f,%.1f L%.1f,%.1f z\" "
                    + "fill=\"#d62728\" stroke=\"#fff\"/>", x, y - 6, x + 6, y + 5, x - 6, y + 5);
            case "faster" -> String.format(Locale.ROOT, "<path class=\"verdict faster\" d=\"M%.1f,%.1f L%.1f,%.1f L%.1f,%.1f z\" "
                    + "fill=\"#2ca02c\" stroke=\"#fff\"/>", x, y + 6, x + 6, y - 5, x - 6, y - 5);
            case "same" -> String.format(Locale.ROOT, "<circle class=\"verdict same\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>", x, y, color);
            default -> String.format(Locale.ROOT, "<circle class=\"verdict inconclusive\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#fff\" "
                    + "stroke=\"%s\" stroke-width=\"1.5\"/>", x, y, color);
        };
    }

    private static double x(int run, int n, double step) {
        return n <= 1 ? LEFT + (W - LEFT - RIGHT) / 2.0 : LEFT + INSET + run * step;
    }

    /** An axis label: µs, Gbit/s (short: {@code 9.5 G}), or a count. */
    static String axis(double v, String unit) {
        return switch (unit) {
            case "bit/s" -> String.format(Locale.ROOT, "%.1f G", v / 1e9);
            case "count" -> String.format(Locale.ROOT, "%.0f", v);
            default -> String.format(Locale.ROOT, "%.0f µs", v);
        };
    }

    /** A point's value in its tooltip (and in {@code trend}'s lines). */
    public static String value(double v, String unit) {
        return switch (unit) {
            case "bit/s" -> String.format(Locale.ROOT, "%.2f Gbit/s", v / 1e9);
            case "count" -> String.format(Locale.ROOT, "%.0f retransmits", v);
            default -> String.format(Locale.ROOT, "%.0f µs", v);
        };
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}: round tick values. */
    static double niceStep(double raw) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * magnitude >= raw) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static double y(double v, double yMin, double yMax) {
        return TOP + (1 - (v - yMin) / (yMax - yMin)) * (H - TOP - BOTTOM);
    }
}
