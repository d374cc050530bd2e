package io.masqharness.mutation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Which classes CI mutates: those of the gated units (.ci/mutation-gate.properties) that changed since
 * the reference commit there, the last one at which the full mutation gate passed. A changed main
 * class is mutated; a changed test (or golden file) stands for every class of its package, since its
 * tests may have lost a kill there; a changed pom.xml (PIT's configuration, the test libraries), or a
 * reference this clone does not have (a shallow clone), means the full run. Prints one line on stdout,
 * {@code all}, {@code none} or PIT's targetClasses globs, and why on stderr. Needs only the JDK and git.
 */
public final class ChangedClasses {

    static final String MAIN = "src/main/java/";
    static final String TEST = "src/test/java/";
    static final String TEST_RESOURCES = "src/test/resources/";

    /** @param globs PIT targetClasses; empty for {@code all} and {@code none} */
    record Selection(String kind, List<String> globs, String why) {
        static Selection all(String why) {
            return new Selection("all", List.of(), why);
        }

        String line() {
            return kind.equals("some") ? String.join(",", globs) : kind;
        }
    }

    private ChangedClasses() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: ChangedClasses .ci/mutation-gate.properties");
            System.exit(2);
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            p.load(in);
        }
        String reference = p.getProperty("reference", "").trim();
        Selection s;
        if (reference.isEmpty()) {
            s = Selection.all("no reference commit in " + args[0]);
        } else if (git("cat-file", "-e", reference + "^{commit}") == null) {
            s = Selection.all("reference " + reference + " is not in this clone (a shallow clone?)");
        } else {
            List<String> changed = git("diff", "--name-only", reference, "--");
            s = select(reference, changed == null ? null : changed, MutationGate.Config.units(p, "gated"), Path.of(MAIN));
        }
        System.err.println("mutation testing: " + s.why());
        System.out.println(s.line());
    }

    /**
     * @param changed files changed since the reference (null when git could not say)
     * @param main    the main source root, to list the classes of a package a changed test stands for
     */
    static Selection select(String reference, List<String> changed, List<String> gated, Path main) throws IOException {
        if (changed == null) {
            return Selection.all("git could not list the changes since " + reference);
        }
        if (changed.contains("pom.xml")) {
            return Selection.all("pom.xml changed since " + reference + " (PIT's configuration or the test libraries)");
        }
        Set<String> classes = new LinkedHashSet<>();
        for (String file : changed) {
            if (file.startsWith(MAIN) && file.endsWith(".java")) {
                classes.add(className(file.substring(MAIN.length())));
            } else if (file.startsWith(TEST) || file.startsWith(TEST_RESOURCES)) {
                String root = file.startsWith(TEST) ? TEST : TEST_RESOURCES;
                String rel = file.substring(root.length());
                String pkg = rel.contains("/") ? rel.substring(0, rel.lastIndexOf('/')).replace('/', '.') : "";
                classes.addAll(packageClasses(main, pkg));
            }
        }
        List<String> globs = new ArrayList<>();
        for (String c : classes) {
            if (gated.stream().anyMatch(u -> MutationGate.belongsTo(c, u))) {
                globs.add(c);
                globs.add(c + "$*");
            }
        }
        if (globs.isEmpty()) {
            return new Selection("none", List.of(), "no class of a gated unit changed since " + reference + " (" + changed.size()
                    + " files changed): the full gate passed there");
        }
        return new Selection("some", List.copyOf(globs), globs.size() / 2 + " classes of gated units changed since " + reference
                + ": " + String.join(", ", globs.stream().filter(g -> !g.endsWith("$*")).map(g -> g.substring(MutationGate.ROOT.length()))
                .toList()));
    }

    static String className(String relativeJavaFile) {
        return relativeJavaFile.substring(0, relativeJavaFile.length() - ".java".length()).replace('/', '.');
    }

    /** The top-level classes of a package in the main sources (none when it has no main sources). */
    static List<String> packageClasses(Path main, String pkg) throws IOException {
        Path dir = main.resolve(pkg.replace('.', '/'));
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".java")).sorted()
                    .map(n -> pkg + "." + n.substring(0, n.length() - ".java".length())).toList();
        }
    }

    /** git's output lines, or null when it fails. */
    static List<String> git(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return null;
        }
        return p.exitValue() == 0 ? out.lines().filter(l -> !l.isBlank()).toList() : null;
    }
}
