package io.masqharness.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The topology drawn: each node with all its pods, the external host with all its destinations,
 * and beside each node's link the source its pods' flows arrived with, per mode (how many flows
 * arrived as the node's IP, how many as a pod's). Laid out in columns so no label crosses an arrow:
 * node boxes, then the link labels, then a lane where the arrows turn towards the external host.
 * Each arrow leaves its node under that node's labels.
 */
final class TopologySvg {

    /** Width of a character at 12 px sans-serif, generously (bold and wide letters included). */
    static final double CHAR = 7.2;
    private static final int LINE = 16;

    record Box(double x, double y, double w, double h, String fill, String stroke) {
    }

    /** A line of text at baseline {@code y}; it covers {@code [x, x + width] x [y - 12, y + 4]}. */
    record Label(double x, double y, String text, boolean bold) {
        double width() {
            return text.length() * CHAR;
        }
    }

    /** A polyline ending in an arrowhead, as (x, y) pairs. */
    record Arrow(List<double[]> points) {
    }

    record Layout(double width, double height, List<Box> boxes, List<Label> labels, List<Arrow> arrows) {
    }

    private TopologySvg() {
    }

    static Layout layout(Summary s, List<String> topology) {
        List<String> nodes = topology.stream().filter(l -> l.startsWith("node ")).toList();
        String external = topology.stream().filter(l -> l.startsWith("external host")).findFirst().orElse("external host");
        List<List<String>> nodeLines = nodes.stream().map(TopologySvg::nodeLines).toList();
        List<List<String>> linkLines = new ArrayList<>();
        for (String line : nodes) {
            String name = line.split("\\s+")[1];
            List<String> labels = new ArrayList<>();
            for (Summary.ModeResult m : s.modes()) {
                Map<String, Integer> seen = new LinkedHashMap<>();
                m.cells().stream().filter(c -> c.node().equals(name) && !c.target().startsWith("node:") && !c.target().startsWith("pod:"))
                        .forEach(c -> seen.merge(c.observed().equals(c.podIp()) ? "pod IP" : c.observed().equals("nothing arrived")
                                ? "nothing" : "node IP", 1, Integer::sum));
                labels.add(m.mode() + ": " + seen.entrySet().stream().map(e -> e.getValue() + " as " + e.getKey())
                        .reduce((a, b) -> a + ", " + b).orElse("not probed"));
            }
            linkLines.add(labels);
        }
        double nodeX = 10;
        double nodeW = Math.max(200, widest(nodeLines.stream().flatMap(List::stream).toList()) + 24);
        double labelX = nodeX + nodeW + 24;
        double busX = labelX + Math.max(120, widest(linkLines.stream().flatMap(List::stream).toList())) + 24;
        double extX = busX + 40;
        List<String> extLines = externalLines(external);
        double extW = widest(extLines) + 24;
        double extH = 14 + LINE * extLines.size();

        List<Box> boxes = new ArrayList<>();
        List<Label> labels = new ArrayList<>();
        List<double[]> starts = new ArrayList<>();
        double y = 10;
        for (int i = 0; i < nodes.size(); i++) {
            int modes = linkLines.get(i).size();
            double h = Math.max(14 + LINE * nodeLines.get(i).size(), LINE * modes + 26);
            boxes.add(new Box(nodeX, y, nodeW, h, "#e8f0fe", "#1a73e8"));
            for (int k = 0; k < nodeLines.get(i).size(); k++) {
                labels.add(new Label(nodeX + 10, y + 18 + LINE * k, nodeLines.get(i).get(k), k == 0));
            }
            for (int k = 0; k < modes; k++) {
                labels.add(new Label(labelX, y + 16 + LINE * k, linkLines.get(i).get(k), false));
            }
            // Under the node's last label (its text reaches 4 px below the baseline).
            starts.add(new double[] {nodeX + nodeW, y + LINE * modes + 12});
            y += h + 12;
        }
        double height = Math.max(y, extH + 20);
        double extY = Math.max(10, (height - extH) / 2);
        boxes.add(new Box(extX, extY, extW, extH, "#fff8e1", "#b08900"));
        for (int k = 0; k < extLines.size(); k++) {
            labels.add(new Label(extX + 10, extY + 18 + LINE * k, extLines.get(k), k == 0));
        }
        List<Arrow> arrows = new ArrayList<>();
        for (int i = 0; i < starts.size(); i++) {
            double[] from = starts.get(i);
            double toY = extY + extH * (i + 1) / (starts.size() + 1);
            arrows.add(new Arrow(List.of(from, new double[] {busX, from[1]}, new double[] {extX, toY})));
        }
        return new Layout(extX + extW + 10, height, boxes, labels, arrows);
    }

    static String render(Summary s, List<String> topology) {
        Layout l = layout(s, topology);
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" font-size=\"12\">", l.width(), l.height()));
        svg.append("<defs><marker id=\"a\" markerWidth=\"8\" markerHeight=\"8\" refX=\"8\" refY=\"4\" orient=\"auto\">")
                .append("<path d=\"M0,0 L8,4 L0,8 z\" fill=\"#666\"/></marker></defs>");
        for (Box b : l.boxes()) {
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" fill=\"%s\" stroke=\"%s\"/>",
                    b.x(), b.y(), b.w(), b.h(), b.fill(), b.stroke()));
        }
        for (Arrow a : l.arrows()) {
            StringBuilder d = new StringBuilder();
            a.points().forEach(p -> d.append(d.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.0f,%.0f", p[0], p[1])));
            svg.append("<path d=\"").append(d).append("\" fill=\"none\" stroke=\"#666\" marker-end=\"url(#a)\"/>");
        }
        for (Label t : l.labels()) {
            svg.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%.0f\"%s>%s</text>", t.x(), t.y(),
                    t.bold() ? " font-weight=\"bold\"" : "", HtmlReport.esc(t.text())));
        }
        return svg.append("</svg><p>Beside each node's link: the flows from that node's pods to the destinations, by the source they")
                .append(" arrived with at the external host, per mode.</p>").toString();
    }

    /** "node NAME IP  pods: [a 10.0.0.1, b 10.0.0.2]": the name and address, then every pod on its own line. */
    private static List<String> nodeLines(String line) {
        List<String> lines = new ArrayList<>(List.of(line.split("  pods:")[0]));
        if (line.contains("pods: ")) {
            lines.addAll(items(line.substring(line.indexOf("pods: ") + 6)));
        }
        return lines;
    }

    private static List<String> externalLines(String external) {
        String[] parts = external.split("answers on: ", 2);
        List<String> lines = new ArrayList<>(List.of("external host"));
        String address = parts[0].replace("external host", "").trim();
        if (!address.isEmpty()) {
            lines.add(address);
        }
        if (parts.length > 1) {
            lines.add("answers on:");
            lines.addAll(items(parts[1]));
        }
        return lines;
    }

    /** A list as Java prints it, "[a, b]", or a single item such as "(never started)". */
    private static List<String> items(String list) {
        String t = list.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1).trim();
            return t.isEmpty() ? List.of("(none)") : List.of(t.split(",\\s*"));
        }
        return List.of(t);
    }

    private static double widest(List<String> lines) {
        return lines.stream().mapToDouble(l -> l.length() * CHAR).max().orElse(0);
    }
}
