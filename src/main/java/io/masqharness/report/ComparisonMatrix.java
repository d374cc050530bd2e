package io.masqharness.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The comparisons as a compact matrix: a row per kind, path and loop, a column per compared mode
 * (against its baseline) and metric, each cell a verdict and its change. A row whose every cell is
 * "same" says nothing changed: readers see it de-emphasised or listed apart.
 */
record ComparisonMatrix(List<Column> columns, List<Row> rows) {

    record Column(String candidate, String baseline, String metric) {
    }

    /** @param cells one per column, null where that comparison was not made */
    record Row(String kind, String path, String loop, List<Summary.ComparisonRow> cells) {
        boolean allSame() {
            return cells.stream().filter(Objects::nonNull).allMatch(c -> c.verdict().equals("same"));
        }

        String label() {
            return kind + " " + path + " " + loop;
        }
    }

    /**
     * A matrix with what it compares: each mode against the run's first mode, then, when the latency gate had a
     * baseline, each mode against that (a table of its own, so neither grows twice as wide), with how to read it.
     */
    record Titled(String title, String note, ComparisonMatrix matrix) {
    }

    static List<Titled> of(Summary s) {
        List<Summary.ComparisonRow> againstFirst = s.comparisons().stream().filter(c -> !Baselines.againstBaseline(c)).toList();
        List<Summary.ComparisonRow> againstBaseline = s.comparisons().stream().filter(Baselines::againstBaseline).toList();
        List<Titled> out = new ArrayList<>();
        if (!againstFirst.isEmpty()) {
            out.add(new Titled("Each mode against the run's first mode", "Same machine, same minutes: every row gates.",
                    of(againstFirst)));
        }
        if (!againstBaseline.isEmpty()) {
            out.add(new Titled("Each mode against the baseline: the latency gate's verdicts against "
                    + (s.baseline() == null ? "a baseline" : s.baseline()), "Rows pod/host judge the pod path as its ratio to the host"
                    + " path of the same trials, which takes out how the machine itself moved since: only they gate. The absolute rows"
                    + " are shown, not gated." + (s.machineDrift() == null ? "" : " " + capitalised(s.machineDrift()) + "."),
                    of(againstBaseline)));
        }
        return out;
    }

    static ComparisonMatrix of(List<Summary.ComparisonRow> comparisons) {
        List<Column> columns = new ArrayList<>();
        Map<String, Map<Column, Summary.ComparisonRow>> byRow = new LinkedHashMap<>();
        for (Summary.ComparisonRow c : comparisons) {
            Column column = new Column(c.candidate(), c.baseline(), c.metric());
            if (!columns.contains(column)) {
                columns.add(column);
            }
            byRow.computeIfAbsent(c.kind() + "|" + c.path() + "|" + c.loop(), k -> new LinkedHashMap<>()).put(column, c);
        }
        // Columns of one mode side by side (p50 then p99), modes in the order first compared.
        Map<String, Integer> order = new LinkedHashMap<>();
        columns.forEach(c -> order.putIfAbsent(c.candidate() + "|" + c.baseline(), order.size()));
        columns.sort(java.util.Comparator.comparingInt((Column c) -> order.get(c.candidate() + "|" + c.baseline()))
                .thenComparing(Column::metric));
        List<Row> rows = new ArrayList<>();
        byRow.forEach((key, cells) -> {
            String[] k = key.split("\\|");
            rows.add(new Row(k[0], k[1], k[2], columns.stream().map(cells::get).toList()));
        });
        return new ComparisonMatrix(List.copyOf(columns), List.copyOf(rows));
    }

    /** The modes compared, each with its baseline, in column order (each spans its metrics). */
    List<Column> modeHeads() {
        List<Column> heads = new ArrayList<>();
        for (Column c : columns) {
            if (heads.stream().noneMatch(h -> h.candidate().equals(c.candidate()) && h.baseline().equals(c.baseline()))) {
                heads.add(c);
            }
        }
        return heads;
    }

    int span(Column head) {
        return (int) columns.stream().filter(c -> c.candidate().equals(head.candidate()) && c.baseline().equals(head.baseline())).count();
    }

    /** The verdict and its change; a slower row that cannot fail the run says so. */
    static String cell(Summary.ComparisonRow c) {
        return c == null ? "" : c.verdict() + (Double.isNaN(c.relativeEffect()) ? "" : " " + c.change())
                + (c.verdict().equals("slower") && !Baselines.gates(c) ? " (not gated)" : "");
    }

    /** The figures behind a cell: ratios for a pod/host row, microseconds otherwise. */
    static String figures(Summary.ComparisonRow c) {
        return (c.ratio() ? "ratio " : "") + c.value(c.baselineUs()) + " -> " + c.value(c.candidateUs());
    }

    private static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
