package io.masqharness.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** index.html and summary.md as people read them: the flow tables, the comparison matrix, the lateness and the topology. */
class ReadableReportTest {

    static Summary.Cell cell(String pod, String podIp, String target, String protocol, String expected, String observed) {
        boolean passed = expected.contains("(" + observed + ")") || expected.equals("pod-ip") && observed.equals(podIp)
                || expected.equals("dropped") && observed.equals("nothing arrived");
        return new Summary.Cell(pod, podIp, pod.substring(0, 6), target, "198.20.0.10", protocol, expected, observed,
                !observed.equals("nothing arrived"), true, passed, "because", 1);
    }

    static Summary.ModeResult mode(String name, Summary.Cell... cells) {
        return new Summary.ModeResult(name, name, name, null, List.of(), List.of(cells), 0, null);
    }

    static Summary.LatencyGroup group(String mode, String kind, String path, String loop, long lateP99, List<Integer> flagged) {
        return new Summary.LatencyGroup(mode, kind, path, loop, 1250, 0, List.of(new Summary.Percentile(50, 120, 110, 130),
                new Summary.Percentile(99, 900, 800, 1000)), 1500, java.util.Collections.nCopies(5, 120L), java.util.Collections.nCopies(5, 900L),
                List.of(), List.of(), 31, lateP99, java.util.Collections.nCopies(5, 31L), java.util.Collections.nCopies(5, lateP99), flagged,
                java.util.Map.of("p50", List.of(), "p99", flagged));
    }

    static Summary.ComparisonRow cmp(String kind, String path, String loop, String metric, String candidate, String verdict, double change) {
        return new Summary.ComparisonRow(kind, path, loop, metric, "iptables", candidate, verdict, 100, 100 * (1 + change), change, 0.008,
                "why " + verdict);
    }

    static Summary summary(List<Summary.ModeResult> modes, List<Summary.LatencyGroup> latency, List<Summary.ComparisonRow> comparisons) {
        return new Summary(Summary.SCHEMA_VERSION, "r1", "lab", "lab reference datapath (not Cilium)", "2026-11-25T12:00:00Z", List.of(),
                modes, latency, comparisons, 0.05, 0.01);
    }

    /** iptables: both masqueraded; bpf-ip-masq-agent: rfc1918 leaves as the pod, public unchanged; then iptables again. */
    static List<Summary.ModeResult> threeModes() {
        return List.of(
                mode("iptables", cell("node-1-pod-a", "10.44.0.10", "public", "tcp", "node-ip(172.29.0.11)", "172.29.0.11"),
                        cell("node-1-pod-a", "10.44.0.10", "rfc1918", "tcp", "node-ip(172.29.0.11)", "172.29.0.11")),
                mode("bpf-ip-masq-agent", cell("node-1-pod-a", "10.44.0.10", "public", "tcp", "node-ip(172.29.0.11)", "172.29.0.11"),
                        cell("node-1-pod-a", "10.44.0.10", "rfc1918", "tcp", "pod-ip", "10.44.0.10")),
                mode("iptables", cell("node-1-pod-a", "10.44.0.10", "public", "tcp", "node-ip(172.29.0.11)", "10.44.0.10"),
                        cell("node-1-pod-a", "10.44.0.10", "rfc1918", "tcp", "node-ip(172.29.0.11)", "172.29.0.11")));
    }

    private static String section(String html, int mode) {
        int from = html.indexOf("<h2 id=\"mode-" + mode + "\">");
        int to = html.indexOf("<h2", from + 1);
        return html.substring(from, to < 0 ? html.length() : to);
    }

    @Test
    void eachModesFlowTableMarksTheCellsThatChangedFromThePreviousMode() {
        String html = HtmlReport.render(summary(threeModes(), List.of(), List.of()), List.of());
        assertThat(section(html, 1)).doesNotContain("chg").doesNotContain("differ");
        String second = section(html, 2);
        assertThat(second).contains("1 flow differs from mode iptables (marked *)");
        assertThat(count(second, "class=\"pass chg\"")).isEqualTo(1);
        assertThat(second).containsPattern("<td>rfc1918 tcp</td><td class=\"pass chg\"[^>]*>10\\.44\\.0\\.10 <b>\\*</b></td>")
                .containsPattern("<td>public tcp</td><td class=\"pass\"[^>]*>172\\.29\\.0\\.11</td>");
        // Back to iptables: rfc1918 changes back, and public changes because it now arrives wrong (expected and observed shown).
        String third = section(html, 3);
        assertThat(third).contains("2 flows differ from mode bpf-ip-masq-agent");
        assertThat(third).containsPattern("<td>public tcp</td><td class=\"fail chg\"[^>]*>got 10\\.44\\.0\\.10; expected "
                + "node-ip\\(172\\.29\\.0\\.11\\) <b>\\*</b></td>");
    }

    @Test
    void comparisonsAreAMatrixOfModeAndMetricPerKindPathAndLoopWithAllSameRowsGreyed() {
        List<Summary.ComparisonRow> rows = new ArrayList<>();
        for (String candidate : List.of("bpf", "bpf-ip-masq-agent")) {
            rows.add(cmp("tcp-rr", "pod", "open", "p50", candidate, "same", 0.02));
            rows.add(cmp("tcp-rr", "pod", "open", "p99", candidate, "same", -0.01));
            rows.add(cmp("tcp-rr", "pod", "closed", "p50", candidate, candidate.equals("bpf") ? "slower" : "same", 0.222));
            rows.add(cmp("tcp-rr", "pod", "closed", "p99", candidate, "inconclusive", 0.094));
            rows.add(cmp("tcp-crr", "host", "open", "p50", candidate, "faster", -0.3));
            rows.add(cmp("tcp-crr", "host", "open", "p99", candidate, "same", 0.0));
        }
        String html = HtmlReport.render(summary(List.of(), List.of(group("iptables", "tcp-rr", "pod", "open", 10, List.of())), rows), List.of());
        String table = html.substring(html.indexOf("<table class=\"cmp\">"), html.indexOf("</table>", html.indexOf("<table class=\"cmp\">")));
        assertThat(table).contains("<th colspan=\"2\">bpf vs iptables</th><th colspan=\"2\">bpf-ip-masq-agent vs iptables</th>");
        assertThat(count(table, "<tr")).isEqualTo(2 + 3);
        assertThat(count(table, "<tr class=\"quiet\">")).isEqualTo(1);
        assertThat(table).containsPattern("<tr class=\"quiet\"><td>tcp-rr</td><td>pod</td><td>open</td>(<td class=\"same\"[^>]*>same [-+][0-9.]+%</td>){4}</tr>")
                .containsPattern("<tr><td>tcp-rr</td><td>pod</td><td>closed</td><td class=\"fail\" title=\"100 us -&gt; 122 us, p=0.008: why slower\">slower \\+22\\.2%</td>")
                .containsPattern("<td class=\"faster\"[^>]*>faster -30\\.0%</td>");
        assertThat(html).contains("1 of 3 rows are the same on every metric");
    }

    @Test
    void summaryMdHasALoopColumnAndListsTheAllSameRowsApart() {
        List<Summary.ComparisonRow> rows = List.of(cmp("tcp-rr", "pod", "open", "p50", "bpf", "same", 0.094),
                cmp("tcp-rr", "pod", "open", "p99", "bpf", "same", 0.01), cmp("tcp-rr", "pod", "closed", "p50", "bpf", "slower", 0.222),
                cmp("tcp-rr", "pod", "closed", "p99", "bpf", "same", 0.03));
        String md = MarkdownSummary.render(summary(List.of(), List.of(group("iptables", "tcp-rr", "pod", "open", 70, List.of(2, 4)),
                group("iptables", "tcp-rr", "pod", "closed", 3, List.of())), rows), "lab");
        assertThat(md).contains("| kind | path | loop | bpf vs iptables p50 | bpf vs iptables p99 |\n")
                .contains("| tcp-rr | pod | closed | **slower +22.2%** | same +3.0% |\n")
                .contains("Same on every metric: tcp-rr pod open.")
                .doesNotContain("| tcp-rr | pod | open | same");
        assertThat(md).contains("| mode | kind | path | loop | samples | p50 µs | p99 µs | sender late p50 µs | sender late p99 µs |"
                        + " left out of p50 verdicts | left out of p99 verdicts |")
                .contains("| iptables | tcp-rr | pod | open | 1250 | 120 | 900 | 31 | 70 |  | **2 of 5** [2, 4] |")
                .contains("| iptables | tcp-rr | pod | closed | 1250 | 120 | 900 | 31 | 3 |  |  |")
                .contains("Of 5 open-loop trials, 0 were left out of p50 verdicts and 2 of p99 verdicts.");
    }

    @Test
    void theLatencyTableShowsTheSendersLatenessBesideTheLatencyAndTheFlaggedTrials() {
        String html = HtmlReport.render(summary(List.of(), List.of(group("bpf", "tcp-crr", "pod", "open", 400, List.of(1, 3))), List.of()),
                List.of());
        assertThat(html).contains("<th>sender late p99</th><th>left out of p50 verdicts</th><th>left out of p99 verdicts</th>")
                .containsPattern("<td>1500</td><td>31</td><td>400</td><td></td><td class=\"fail\" title=\"[^\"]*exceeds 5% of their latency"
                        + " at p99: no verdict uses them\">2 of 5: \\[1, 3\\]</td>");
    }

    @Test
    void theTopologyShowsEveryPodInFullAndNoLabelCrossesAnArrow() {
        List<String> topology = List.of(
                "node node-1 172.29.0.11  pods: [node-1-pod-a-with-a-long-name 10.44.0.10, node-1-pod-b 10.44.0.11, node-1-pod-c 10.44.0.12]",
                "node node-2 172.29.0.12  pods: [node-2-pod-a 10.44.1.10]",
                "node node-3 172.29.0.13  pods: (never started)",
                "external host 172.29.0.100  answers on: [public 198.20.0.10, rfc1918 192.168.77.10, link-local 169.254.77.10, cgnat 100.64.77.10]");
        List<Summary.ModeResult> modes = new ArrayList<>();
        for (String m : List.of("iptables", "bpf", "bpf-ip-masq-agent", "bpf-ip-masq-agent-defaults")) {
            modes.add(mode(m, cell("node-1-pod-a", "10.44.0.10", "public", "tcp", "node-ip(172.29.0.11)", "172.29.0.11"),
                    cell("node-2-pod-a", "10.44.1.10", "rfc1918", "tcp", "pod-ip", "10.44.1.10")));
        }
        Summary s = summary(modes, List.of(), List.of());
        String svg = TopologySvg.render(s, topology);
        for (String full : List.of("node-1-pod-a-with-a-long-name 10.44.0.10", "node-1-pod-c 10.44.0.12", "node-2-pod-a 10.44.1.10",
                "(never started)", "cgnat 100.64.77.10", "bpf-ip-masq-agent-defaults: 1 as node IP")) {
            assertThat(svg).contains(">" + full + "<").doesNotContain("…");
        }
        TopologySvg.Layout l = TopologySvg.layout(s, topology);
        assertThat(l.arrows()).hasSize(3);
        for (TopologySvg.Label t : l.labels()) {
            for (TopologySvg.Arrow a : l.arrows()) {
                for (int i = 1; i < a.points().size(); i++) {
                    assertThat(crosses(a.points().get(i - 1), a.points().get(i), t)).as("'%s' crosses an arrow", t.text()).isFalse();
                }
            }
            assertThat(t.x() + t.width()).as("'%s' fits the drawing", t.text()).isLessThanOrEqualTo(l.width());
            assertThat(l.boxes().stream().filter(b -> inside(t, b)).count() + l.boxes().stream().filter(b -> overlaps(t, b)).count())
                    .as("'%s' is inside its box or clear of every box", t.text()).isIn(0L, 2L);
        }
    }

    /** Whether the segment passes through the label's area (sampled every half pixel). */
    private static boolean crosses(double[] a, double[] b, TopologySvg.Label t) {
        double length = Math.hypot(b[0] - a[0], b[1] - a[1]);
        for (int i = 0; i <= 2 * length; i++) {
            double x = a[0] + (b[0] - a[0]) * i / (2 * length);
            double y = a[1] + (b[1] - a[1]) * i / (2 * length);
            if (x >= t.x() && x <= t.x() + t.width() && y >= t.y() - 12 && y <= t.y() + 4) {
                return true;
            }
        }
        return false;
    }

    private static boolean inside(TopologySvg.Label t, TopologySvg.Box b) {
        return t.x() >= b.x() && t.x() + t.width() <= b.x() + b.w() && t.y() - 12 >= b.y() && t.y() + 4 <= b.y() + b.h();
    }

    private static boolean overlaps(TopologySvg.Label t, TopologySvg.Box b) {
        return t.x() < b.x() + b.w() && t.x() + t.width() > b.x() && t.y() - 12 < b.y() + b.h() && t.y() + 4 > b.y();
    }

    static long count(String s, String what) {
        return Pattern.compile(Pattern.quote(what)).matcher(s).results().count();
    }
}
