package io.masqharness.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a run's latency is judged against: an explicit baseline ({@code reports/baselines/<scenario>.json},
 * a summary.json kept in git), else the per-trial values of the last {@link #HISTORY_RUNS} runs of the
 * same scenario on the same datapath in {@code reports/history.jsonl}. Never a lab run against Cilium's.
 */
public final class Baselines {

    public static final int HISTORY_RUNS = 5;
    /** How a comparison row names the baseline it was made against: {@code baseline <mode>}. */
    private static final String ROW_PREFIX = "baseline ";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** @param p50 and p99: per-trial values keyed by mode|kind|path */
    public record Baseline(String source, Map<String, List<Long>> p50, Map<String, List<Long>> p99) {
    }

    private Baselines() {
    }

    /**
     * The explicit baseline, else the recent history. History lines that do not parse are skipped
     * (a baseline only needs some usable runs) but named in the baseline's source, so the gate's
     * output says what it left out.
     */
    public static Optional<Baseline> load(Path reports, String scenario, String datapath) throws IOException {
        Optional<Baseline> explicit = explicit(reports, scenario, datapath);
        if (explicit.isPresent()) {
            return explicit;
        }
        Path file = reports.resolve("history.jsonl");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        History history = History.read(file);
        List<History.Run> runs = history.runs().stream().filter(r -> r.scenario().equals(scenario) && r.datapath().equals(datapath)).toList();
        if (runs.isEmpty()) {
            return Optional.empty();
        }
        List<History.Run> recent = runs.subList(Math.max(0, runs.size() - HISTORY_RUNS), runs.size());
        String skipped = history.problems().isEmpty() ? "" : " (" + history.problems().size() + " unreadable line"
                + (history.problems().size() == 1 ? "" : "s") + " skipped: " + String.join("; ", history.problems().stream().limit(3).toList())
                + (history.problems().size() > 3 ? "; ..." : "") + ")";
        Baseline b = new Baseline("the last " + recent.size() + " runs in " + file + skipped, new LinkedHashMap<>(), new LinkedHashMap<>());
        for (History.Run run : recent) {
            for (History.Group g : run.latency()) {
                String key = g.mode() + "|" + g.kind() + "|" + g.path() + "|" + g.loop();
                b.p50().computeIfAbsent(key, k -> new ArrayList<>()).addAll(g.trialP50Us());
                b.p99().computeIfAbsent(key, k -> new ArrayList<>()).addAll(g.trialP99Us());
            }
        }
        return Optional.of(b);
    }

    /** The scenario's explicit baseline when there is one for this datapath. */
    public static Optional<Baseline> explicit(Path reports, String scenario, String datapath) throws IOException {
        Path explicit = reports.resolve("baselines").resolve(scenario + ".json");
        if (Files.isRegularFile(explicit)) {
            JsonNode s = JSON.readTree(explicit.toFile());
            if (datapath.equals(s.path("datapath").asText())) {
                Baseline b = new Baseline(explicit.toString(), new LinkedHashMap<>(), new LinkedHashMap<>());
                s.path("latency").forEach(g -> add(b, g));
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    private static void add(Baseline b, JsonNode g) {
        String key = g.path("mode").asText() + "|" + g.path("kind").asText() + "|" + g.path("path").asText() + "|"
                + g.path("loop").asText("open");
        g.path("trialP50Us").forEach(v -> b.p50().computeIfAbsent(key, k -> new ArrayList<>()).add(v.asLong()));
        g.path("trialP99Us").forEach(v -> b.p99().computeIfAbsent(key, k -> new ArrayList<>()).add(v.asLong()));
    }

    /** Whether a comparison row is against a baseline (made by {@link #compare}), not against the run's first mode. */
    public static boolean againstBaseline(Summary.ComparisonRow row) {
        return row.baseline().startsWith(ROW_PREFIX);
    }

    public static List<Summary.ComparisonRow> compare(List<Summary.LatencyGroup> groups, Baseline baseline, double minEffect, double alpha) {
        List<Summary.ComparisonRow> rows = new ArrayList<>();
        for (Summary.LatencyGroup g : groups) {
            String key = g.key();
            if (baseline.p50().containsKey(key)) {
                Summary.LatencyGroup base = new Summary.LatencyGroup(ROW_PREFIX + g.mode(), g.kind(), g.path(), g.loop(), 0, 0,
                        List.of(), 0, baseline.p50().get(key), baseline.p99().get(key), List.of(), List.of(), 0, 0, List.of(), List.of());
                rows.add(LatencySummaries.row(g, base, "p50", base.trialP50Us(), g.trialP50Us(), minEffect, alpha));
                rows.add(LatencySummaries.row(g, base, "p99", base.trialP99Us(), g.trialP99Us(), minEffect, alpha));
            }
        }
        return rows;
    }

    public static String table(List<Summary.ComparisonRow> rows) {
        StringBuilder t = new StringBuilder(String.format("%-28s %-8s %-5s %-6s %-6s %-13s %10s %10s %8s  %s%n",
                "mode", "kind", "path", "loop", "metric", "verdict", "baseline", "now", "change", "why"));
        for (Summary.ComparisonRow r : rows) {
            t.append(String.format("%-28s %-8s %-5s %-6s %-6s %-13s %10.0f %10.0f %+7.1f%%  %s%n", r.candidate(), r.kind(), r.path(),
                    r.loop(), r.metric(), r.verdict(), r.baselineUs(), r.candidateUs(), r.relativeEffect() * 100, r.why()));
        }
        return t.toString();
    }
}
