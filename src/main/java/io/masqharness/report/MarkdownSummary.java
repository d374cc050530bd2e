package io.masqharness.report;

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
        if (!s.comparisons().isEmpty()) {
            md.append("\n| kind | path | metric | mode | verdict | change |\n|---|---|---|---|---|---|\n");
            for (Summary.ComparisonRow c : s.comparisons()) {
                md.append(String.format("| %s | %s | %s | %s vs %s | %s | %+.1f%% |%n", c.kind(), c.path(), c.metric(), c.candidate(),
                        c.baseline(), c.verdict(), c.relativeEffect() * 100));
            }
        }
        return md.toString();
    }
}
