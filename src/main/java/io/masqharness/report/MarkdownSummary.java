package io.masqharness.report;

import java.util.List;

/** summary.md: the short version for CI job pages. */
final class MarkdownSummary {

    private MarkdownSummary() {
    }

    static String render(Summary s, String title) {
        StringBuilder md = new StringBuilder("## ").append(title).append("\n\n**Datapath:** ").append(s.datapath()).append("\n\n");
        s.problems().forEach(p -> md.append("**Problem:** ").append(p.lines().findFirst().orElse(p)).append("\n\n"));
        md.append("| mode | effective | flows as expected | failed checks | retries | switch disruption |\n|---|---|---|---|---|---|\n");
        for (Summary.ModeResult m : s.modes()) {
            long ok = m.cells().stream().filter(Summary.Cell::passed).count();
            md.append("| ").append(m.mode()).append(" | ").append(m.effectiveMode()).append(" | ").append(ok).append("/")
                    .append(m.cells().stream().filter(Summary.Cell::judged).count()).append(" | ")
                    .append(m.checks().stream().filter(c -> c.status().equals("FAILED")).count()).append(" | ").append(m.retries())
                    .append(" | ").append(m.switchDisruption() == null ? "" : m.switchDisruption()).append(" |\n");
        }
        if (!s.latency().isEmpty()) {
            md.append("\n| mode | kind | path | loop | samples | p50 µs | p99 µs | sender late p50 µs | sender late p99 µs |"
                            + " left out of p50 verdicts | left out of p99 verdicts |\n")
                    .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (Summary.LatencyGroup g : s.latency()) {
                md.append(String.format("| %s | %s | %s | %s | %d | %s | %s | %d | %d | %s | %s |%n", g.mode(), g.kind(), g.path(), g.loop(),
                        g.samples(), percentile(g, 50), percentile(g, 99), g.latenessP50Us(), g.latenessP99Us(), leftOut(g, "p50"),
                        leftOut(g, "p99")));
            }
            md.append(String.format("%nSender lateness: how late the client sent (actual minus intended send time). An open-loop"
                    + " trial whose lateness at p50 (p99) exceeds %.0f%% (the effect floor) of its latency at p50 (p99) is left out of"
                    + " that metric's verdicts: the sender, not the path, would decide them. %s%n", s.minEffect() * 100, LatencyHtml.leftOutSummary(s)));
        }
        if (!s.throughput().isEmpty()) {
            md.append("\n| mode | kind | path | direction | streams | trials | goodput Gbit/s (median) | retransmits (median) | sender's"
                            + " congestion control |\n")
                    .append("|---|---|---|---|---|---|---|---|---|\n");
            for (Summary.StreamGroup g : s.throughput()) {
                md.append(String.format(java.util.Locale.ROOT, "| %s | %s | %s | %s | %d | %d | %.2f | %.0f | %s |%n", g.mode(), g.kind(),
                        g.path(), g.direction(), g.streams(), g.trialGoodputBps().size(), g.medianGoodputBps() / 1e9, g.medianRetransmits(),
                        LatencyHtml.congestionControl(g)));
            }
            md.append("\nThroughput: iperf3 goodput as the receiver counted it; upload from the pod (or node), download back to it."
                    + " A drop in goodput is a slower verdict. " + LatencyHtml.SENDER_NOTE + "\n");
        }
        for (ComparisonMatrix.Titled t : ComparisonMatrix.of(s)) {
            md.append("\n**").append(t.title()).append("**\n\n").append(t.note()).append("\n");
            matrix(md, t.matrix());
        }
        return md.toString();
    }

    /** The rows where something changed, in bold; the rows that are the same on every metric named after it. */
    private static void matrix(StringBuilder md, ComparisonMatrix m) {
        List<String> same = m.rows().stream().filter(ComparisonMatrix.Row::allSame).map(ComparisonMatrix.Row::label).toList();
        if (same.size() < m.rows().size()) {
            md.append("\n| kind | path | loop |");
            m.columns().forEach(c -> md.append(" ").append(c.candidate()).append(" vs ").append(c.baseline()).append(" ")
                    .append(c.metric()).append(" |"));
            md.append("\n|---|---|---|").append("---|".repeat(m.columns().size())).append("\n");
        }
        for (ComparisonMatrix.Row r : m.rows()) {
            if (r.allSame()) {
                continue;
            }
            md.append("| ").append(r.kind()).append(" | ").append(r.path()).append(" | ").append(r.loop()).append(" |");
            r.cells().forEach(c -> md.append(" ").append(c == null || c.verdict().equals("same") ? ComparisonMatrix.cell(c)
                    : "**" + ComparisonMatrix.cell(c) + "**").append(" |"));
            md.append("\n");
        }
        if (!same.isEmpty()) {
            md.append("\nSame on every metric: ").append(String.join(", ", same)).append(".\n");
        }
    }

    private static String leftOut(Summary.LatencyGroup g, String metric) {
        List<Integer> out = g.leftOut(metric);
        return out.isEmpty() ? "" : "**" + out.size() + " of " + g.trials(metric).size() + "** " + out;
    }

    private static String percentile(Summary.LatencyGroup g, double p) {
        return g.percentiles().stream().filter(x -> x.percentile() == p).findFirst().map(x -> String.valueOf(x.valueUs())).orElse("");
    }
}
