package io.masqharness.mutation;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * PIT has one global threshold; this holds each unit (a package, or a class with its inner classes,
 * under io.masqharness) to a score of its own. Reads PIT's mutations.xml and a properties file:
 * {@code overall} and {@code perUnit} (percent), {@code gated} (units that fail the build below
 * perUnit) and {@code reported} (units only shown). Prints one row per unit; exits 1 when a score is
 * too low, 2 on bad input. Run by .ci/run after PIT: it needs only the JDK.
 */
public final class MutationGate {

    static final String ROOT = "io.masqharness.";

    /** Mutants of one unit: how many, how many a test detected (killed or timed out), how many no test reached. */
    record Score(String unit, int mutants, int detected, int uncovered) {
        double percent() {
            return mutants == 0 ? 100 : 100.0 * detected / mutants;
        }
    }

    record Config(int overall, int perUnit, List<String> gated, List<String> reported) {
        static Config read(Path file) throws IOException {
            Properties p = new Properties();
            try (InputStream in = Files.newInputStream(file)) {
                p.load(in);
            }
            return new Config(percent(p, "overall"), percent(p, "perUnit"), units(p, "gated"), units(p, "reported"));
        }

        private static int percent(Properties p, String key) {
            String v = p.getProperty(key);
            if (v == null || !v.trim().matches("\\d{1,3}") || Integer.parseInt(v.trim()) > 100) {
                throw new IllegalArgumentException(key + ": found " + v + ", expected a percentage 0..100");
            }
            return Integer.parseInt(v.trim());
        }

        static List<String> units(Properties p, String key) {
            String v = p.getProperty(key, "").trim();
            return v.isEmpty() ? List.of() : List.of(v.split("\\s*,\\s*"));
        }
    }

    private MutationGate() {
    }

    public static void main(String[] args) throws Exception {
        boolean changedOnly = args.length == 3 && args[2].equals("--changed-only");
        if (args.length != 2 && !changedOnly) {
            System.err.println("usage: MutationGate target/pit-reports/mutations.xml .ci/mutation-gate.properties [--changed-only]");
            System.exit(2);
        }
        System.exit(check(Path.of(args[0]), Config.read(Path.of(args[1])), System.out, changedOnly));
    }

    static int check(Path mutationsXml, Config config, PrintStream out) throws Exception {
        return check(mutationsXml, config, out, false);
    }

    /**
     * @param changedOnly PIT mutated only the classes changed since the reference ({@link ChangedClasses}): a gated unit
     *                    without mutants did not change, and passed the full gate at the reference
     */
    static int check(Path mutationsXml, Config config, PrintStream out, boolean changedOnly) throws Exception {
        List<String> units = new ArrayList<>(config.gated());
        units.addAll(config.reported());
        Map<String, Score> scores = scores(mutationsXml, units);
        Score all = scores.remove("");
        List<String> failures = new ArrayList<>();
        out.printf("%-32s %8s %8s %9s %7s  %s%n", "unit", "mutants", "killed", "no test", "score", "gate");
        for (String unit : units) {
            Score s = scores.get(unit);
            boolean gated = config.gated().contains(unit);
            String verdict = !gated ? "reported only" : changedOnly && s.mutants() == 0 ? "unchanged since the reference"
                    : s.percent() >= config.perUnit() ? "ok (>= " + config.perUnit() + "%)" : "FAILED (< " + config.perUnit() + "%)";
            out.printf("%-32s %8d %8d %9d %6.1f%%  %s%n", unit, s.mutants(), s.detected(), s.uncovered(), s.percent(), verdict);
            if (gated && s.mutants() == 0 && !changedOnly) {
                failures.add(unit + " has no mutants: is it still named so?");
            } else if (gated && s.percent() < config.perUnit()) {
                failures.add(String.format("%s: %.1f%% < %d%%", unit, s.percent(), config.perUnit()));
            }
        }
        out.printf("%-32s %8d %8d %9d %6.1f%%  %s%n", "overall", all.mutants(), all.detected(), all.uncovered(), all.percent(),
                all.percent() >= config.overall() ? "ok (>= " + config.overall() + "%)" : "FAILED (< " + config.overall() + "%)");
        if (all.percent() < config.overall()) {
            failures.add(String.format("overall: %.1f%% < %d%%", all.percent(), config.overall()));
        }
        failures.forEach(f -> out.println("mutation score too low: " + f));
        return failures.isEmpty() ? 0 : 1;
    }

    /** Scores per unit, and under the key "" for every mutant of the report. */
    static Map<String, Score> scores(Path mutationsXml, List<String> units) throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        NodeList mutations = factory.newDocumentBuilder().parse(mutationsXml.toFile()).getElementsByTagName("mutation");
        Map<String, int[]> counts = new LinkedHashMap<>();
        counts.put("", new int[3]);
        units.forEach(u -> counts.put(u, new int[3]));
        for (int i = 0; i < mutations.getLength(); i++) {
            Element m = (Element) mutations.item(i);
            String mutatedClass = m.getElementsByTagName("mutatedClass").item(0).getTextContent().trim();
            boolean detected = Boolean.parseBoolean(m.getAttribute("detected"));
            boolean uncovered = "NO_COVERAGE".equals(m.getAttribute("status"));
            for (String unit : counts.keySet()) {
                if (unit.isEmpty() || belongsTo(mutatedClass, unit)) {
                    int[] c = counts.get(unit);
                    c[0]++;
                    c[1] += detected ? 1 : 0;
                    c[2] += uncovered ? 1 : 0;
                }
            }
        }
        Map<String, Score> scores = new LinkedHashMap<>();
        counts.forEach((unit, c) -> scores.put(unit, new Score(unit, c[0], c[1], c[2])));
        return scores;
    }

    /** A package unit ({@code oracle}) holds its own classes, not sub-packages'; a class unit ({@code cluster.lab.LabRules}) its inner classes. */
    static boolean belongsTo(String mutatedClass, String unit) {
        String name = ROOT + unit;
        if (Character.isUpperCase(unit.charAt(unit.lastIndexOf('.') + 1))) {
            return mutatedClass.equals(name) || mutatedClass.startsWith(name + "$");
        }
        return mutatedClass.startsWith(name + ".") && mutatedClass.indexOf('.', name.length() + 1) < 0;
    }
}
