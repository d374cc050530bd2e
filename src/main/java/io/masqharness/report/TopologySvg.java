package io.masqharness.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The topology drawn: each node with its pods, the external host with its destinations, and on
 * each node's link the source its pods' flows arrived with, per mode (how many flows arrived as the
 * node's IP, how many as a pod's).
 */
final class TopologySvg {

    private TopologySvg() {
    }

    static String render(Summary s, List<String> topology) {
        List<String> nodes = topology.stream().filter(l -> l.startsWith("node ")).toList();
        String external = topology.stream().filter(l -> l.startsWith("external host")).findFirst().orElse("external host");
        int rowH = 40 + 16 * Math.max(1, s.modes().size());
        int h = Math.max(140, nodes.size() * rowH + 20);
        StringBuilder svg = new StringBuilder("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"980\" height=\"" + h + "\" font-size=\"12\">");
        int extY = h / 2 - 40;
        svg.append("<rect x=\"700\" y=\"").append(extY).append("\" width=\"270\" height=\"80\" fill=\"#fff8e1\" stroke=\"#b08900\"/>");
        svg.append(text(710, extY + 18, "external host", true));
        String[] parts = external.split("answers on: ", 2);
        svg.append(text(710, extY + 36, parts[0].replace("external host", "").trim(), false));
        if (parts.length > 1) {
            svg.append(text(710, extY + 54, shorten(parts[1], 40), false));
        }
        for (int i = 0; i < nodes.size(); i++) {
            String line = nodes.get(i);
            String name = line.split("\\s+")[1];
            int y = 10 + i * rowH;
            svg.append("<rect x=\"10\" y=\"").append(y).append("\" width=\"300\" height=\"").append(rowH - 12)
                    .append("\" fill=\"#e8f0fe\" stroke=\"#1a73e8\"/>");
            svg.append(text(20, y + 18, shorten(line.split("  pods:")[0], 44), true));
            if (line.contains("pods: ")) {
                svg.append(text(20, y + 36, shorten(line.substring(line.indexOf("pods: ") + 6), 46), false));
            }
            int midY = y + (rowH - 12) / 2;
            svg.append("<line x1=\"310\" y1=\"").append(midY).append("\" x2=\"700\" y2=\"").append(extY + 40)
                    .append("\" stroke=\"#666\" marker-end=\"url(#a)\"/>");
            int k = 0;
            for (Summary.ModeResult m : s.modes()) {
                Map<String, Integer> seen = new LinkedHashMap<>();
                m.cells().stream().filter(c -> c.node().equals(name) && !c.target().startsWith("node:") && !c.target().startsWith("pod:"))
                        .forEach(c -> seen.merge(c.observed().equals(c.podIp()) ? "pod IP" : c.observed().equals("nothing arrived")
                                ? "nothing" : "node IP", 1, Integer::sum));
                svg.append(text(330, y + 16 + 16 * k++, m.mode() + ": " + seen.entrySet().stream()
                        .map(e -> e.getValue() + " as " + e.getKey()).reduce((a, b) -> a + ", " + b).orElse("not probed"), false));
            }
        }
        svg.append("<defs><marker id=\"a\" markerWidth=\"8\" markerHeight=\"8\" refX=\"8\" refY=\"4\" orient=\"auto\">")
                .append("<path d=\"M0,0 L8,4 L0,8 z\" fill=\"#666\"/></marker></defs>");
        return svg.append("</svg><p>On each link: the flows from that node's pods to the destinations, by the source they arrived"
                + " with at the external host, per mode.</p>").toString();
    }

    private static String text(int x, int y, String t, boolean bold) {
        return "<text x=\"" + x + "\" y=\"" + y + "\"" + (bold ? " font-weight=\"bold\"" : "") + ">" + HtmlReport.esc(t) + "</text>";
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
