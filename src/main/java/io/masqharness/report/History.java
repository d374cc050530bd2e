package io.masqharness.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code reports/history.jsonl} read strictly, for the trend: one run per line in the order
 * written, and every line that is not a run named by its number (never silently dropped, unlike a
 * baseline, which only needs some usable runs).
 */
public record History(Path file, List<Run> runs, List<String> problems) {

    /**
     * @param line     the run's line number in the file, from 1
     * @param baseline what the run's latency gate judged it against (a baseline's source, {@link Summary#NO_BASELINE});
     *                 null on lines that do not say (written before summary schema 5, or by a run without a gate)
     */
    public record Run(int line, String runId, String scenario, String datapath, String startedAt, double minEffect, double alpha,
                      List<Group> latency, String baseline, String machineDrift, List<StreamLine> throughput) {

        public Run {
            throughput = throughput == null ? List.of() : List.copyOf(throughput);
        }

        /** A line without throughput (written before summary schema 7, or by a run without tcp-stream). */
        public Run(int line, String runId, String scenario, String datapath, String startedAt, double minEffect, double alpha,
                   List<Group> latency, String baseline, String machineDrift) {
            this(line, runId, scenario, datapath, startedAt, minEffect, alpha, latency, baseline, machineDrift, List.of());
        }

        /** A line without the machine's drift (written before summary schema 6, or without a baseline). */
        public Run(int line, String runId, String scenario, String datapath, String startedAt, double minEffect, double alpha,
                   List<Group> latency, String baseline) {
            this(line, runId, scenario, datapath, startedAt, minEffect, alpha, latency, baseline, null);
        }

        /** Whether the run measured any latency or throughput; one that did not is no point of any series. */
        public boolean measured() {
            return !latency.isEmpty() || !throughput.isEmpty();
        }

        /** Its latency groups, then its throughput groups. */
        public List<Judged> series() {
            List<Judged> all = new ArrayList<>(latency);
            all.addAll(throughput);
            return List.copyOf(all);
        }

        /** Whether the line keeps its gate's verdicts against the baseline. */
        public boolean judgedAtRunTime() {
            return baseline != null;
        }
    }

    /** A series of a history line with the verdicts its run's gate gave it against the baseline, per metric. */
    public interface Judged extends TrialSeries {
        Map<String, Judgement> againstBaseline();
    }

    /**
     * One mode x path x direction of a run's {@code tcp-stream} (lines since summary schema 7): per trial the goodput
     * (bit/s) and the retransmissions; {@link #loop()} is the direction, as in the summary.
     */
    public record StreamLine(String mode, String kind, String path, String direction, List<Long> trialGoodputBps,
                             List<Long> trialRetransmits, Map<String, Judgement> againstBaseline) implements Judged {

        @Override
        public String loop() {
            return direction;
        }

        @Override
        public List<Long> trials(String metric) {
            return metric.equals("goodput") ? trialGoodputBps : metric.equals("retransmits") ? trialRetransmits : List.of();
        }

        @Override
        public List<Integer> leftOut(String metric) {
            return List.of();
        }
    }

    /**
     * One mode x kind x path x loop of a run: its per-trial values, the trials its sender's lateness flagged, per
     * metric those it left out of the verdicts (on lines before summary schema 6: the flagged ones, out of p99), and
     * per metric the verdict its gate gave against the baseline (empty when the line keeps none).
     */
    public record Group(String mode, String kind, String path, String loop, List<Long> trialP50Us, List<Long> trialP99Us,
                        List<Integer> flaggedTrials, Map<String, List<Integer>> leftOut, Map<String, Judgement> againstBaseline)
            implements Judged {

        /** A group as lines before summary schema 6 keep it: the flagged trials are those left out, of p99 only. */
        public Group(String mode, String kind, String path, String loop, List<Long> trialP50Us, List<Long> trialP99Us,
                     List<Integer> flaggedTrials, Map<String, Judgement> againstBaseline) {
            this(mode, kind, path, loop, trialP50Us, trialP99Us, flaggedTrials, Map.of("p99", flaggedTrials), againstBaseline);
        }

        @Override
        public List<Long> trials(String metric) {
            return metric.equals("p50") ? trialP50Us : trialP99Us;
        }

        @Override
        public List<Integer> leftOut(String metric) {
            return leftOut.getOrDefault(metric, List.of());
        }
    }

    /**
     * A verdict as the run's gate gave it: against a baseline whose median was {@code baselineUs} (absolute, for the
     * trend's band), and whether it could fail the run ({@code gated}: a pod path's verdict relative to its host path;
     * an absolute one is the machine's drift, shown only). Lines before summary schema 6 gated every verdict.
     */
    public record Judgement(String verdict, double baselineUs, String why, boolean gated) {
        public Judgement(String verdict, double baselineUs, String why) {
            this(verdict, baselineUs, why, true);
        }
    }

    /** The file is missing or unreadable: nothing to show. */
    public static final class Unreadable extends RuntimeException {
        public Unreadable(String message) {
            super(message);
        }
    }

    /** What the run's scenario used when its line does not say (lines before summary schema 3). */
    static final double DEFAULT_MIN_EFFECT = 0.05;
    static final double DEFAULT_ALPHA = 0.01;
    private static final ObjectMapper JSON = new ObjectMapper();

    public static History read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new Unreadable(file + ": no such file (history.jsonl is written by every suite run; pass --reports or --history)");
        } catch (IOException e) {
            throw new Unreadable(file + ": cannot read: " + e);
        }
        List<Run> runs = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                runs.add(run(i + 1, JSON.readTree(lines.get(i))));
            } catch (IOException e) {
                problems.add(file + ":" + (i + 1) + ": not JSON: " + e.getMessage().lines().findFirst().orElse(""));
            } catch (IllegalArgumentException e) {
                problems.add(file + ":" + (i + 1) + ": " + e.getMessage());
            }
        }
        return new History(file, List.copyOf(runs), List.copyOf(problems));
    }

    private static Run run(int line, JsonNode n) {
        if (!n.isObject()) {
            throw new IllegalArgumentException("not a run (expected a JSON object, found " + n.getNodeType().toString().toLowerCase() + ")");
        }
        return new Run(line, n.path("runId").asText(""), text(n, "scenario"), text(n, "datapath"), text(n, "startedAt"),
                n.path("minEffect").asDouble(DEFAULT_MIN_EFFECT), n.path("alpha").asDouble(DEFAULT_ALPHA), groups(n.path("latency")),
                n.has("baseline") ? text(n, "baseline") : null, n.hasNonNull("machineDrift") ? n.get("machineDrift").asText() : null,
                streams(n.path("throughput")));
    }

    /** A {@code throughput} list as history lines and summary.json (schema 7) keep it. */
    static List<StreamLine> streams(JsonNode throughput) {
        if (!throughput.isMissingNode() && !throughput.isArray()) {
            throw new IllegalArgumentException("throughput: expected a list");
        }
        List<StreamLine> lines = new ArrayList<>();
        for (int g = 0; g < throughput.size(); g++) {
            JsonNode group = throughput.get(g);
            String at = "throughput[" + g + "].";
            lines.add(new StreamLine(text(group, at + "mode"), text(group, at + "kind"), text(group, at + "path"),
                    text(group, at + "direction"), longs(group, at + "trialGoodputBps"), longs(group, at + "trialRetransmits"),
                    judgements(group, at + "againstBaseline")));
        }
        return List.copyOf(lines);
    }

    /** A {@code latency} list as history lines and summary.json keep it. */
    static List<Group> groups(JsonNode latency) {
        if (!latency.isMissingNode() && !latency.isArray()) {
            throw new IllegalArgumentException("latency: expected a list");
        }
        List<Group> groups = new ArrayList<>();
        for (int g = 0; g < latency.size(); g++) {
            JsonNode group = latency.get(g);
            String at = "latency[" + g + "].";
            List<Integer> flagged = group.has("flaggedTrials") ? indexes(group, at + "flaggedTrials") : List.of();
            Map<String, List<Integer>> leftOut = new LinkedHashMap<>();
            if (group.has("leftOut")) {
                for (String metric : Trend.METRICS) {
                    leftOut.put(metric, group.path("leftOut").has(metric) ? indexes(group.path("leftOut"), at + "leftOut." + metric) : List.of());
                }
            } else {
                leftOut.put("p99", flagged);
            }
            groups.add(new Group(text(group, at + "mode"), text(group, at + "kind"), text(group, at + "path"),
                    group.path("loop").asText("open"), longs(group, at + "trialP50Us"), longs(group, at + "trialP99Us"), flagged,
                    Map.copyOf(leftOut), judgements(group, at + "againstBaseline")));
        }
        return List.copyOf(groups);
    }

    private static List<Integer> indexes(JsonNode n, String field) {
        return longs(n, field).stream().map(Long::intValue).toList();
    }

    private static Map<String, Judgement> judgements(JsonNode group, String field) {
        JsonNode v = group.path("againstBaseline");
        if (v.isMissingNode()) {
            return Map.of();
        }
        if (!v.isObject()) {
            throw new IllegalArgumentException(field + ": expected an object of verdicts per metric, found " + v);
        }
        Map<String, Judgement> out = new LinkedHashMap<>();
        for (var e : (Iterable<Map.Entry<String, JsonNode>>) v::fields) {
            String at = field + "." + e.getKey() + ".";
            JsonNode base = e.getValue().path("baselineUs");
            if (!base.isNumber() && !base.isNull()) {
                throw new IllegalArgumentException(at + "baselineUs: expected a number (or null: no usable baseline trial), found "
                        + (base.isMissingNode() ? "nothing" : base));
            }
            out.put(e.getKey(), new Judgement(text(e.getValue(), at + "verdict"), base.isNull() ? Double.NaN : base.asDouble(),
                    e.getValue().path("why").asText(""), e.getValue().path("gated").asBoolean(true)));
        }
        return Map.copyOf(out);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field.substring(field.lastIndexOf('.') + 1));
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException(field + ": expected text, found " + (v.isMissingNode() ? "nothing" : v.toString()));
        }
        return v.asText();
    }

    private static List<Long> longs(JsonNode n, String field) {
        JsonNode v = n.path(field.substring(field.lastIndexOf('.') + 1));
        List<Long> out = new ArrayList<>();
        if (v.isArray()) {
            for (JsonNode x : v) {
                if (!x.canConvertToLong() || !x.isIntegralNumber()) {
                    throw new IllegalArgumentException(field + ": expected whole numbers, found " + x);
                }
                out.add(x.asLong());
            }
            return List.copyOf(out);
        }
        throw new IllegalArgumentException(field + ": expected a list of numbers, found " + (v.isMissingNode() ? "nothing" : v.toString()));
    }
}
