package io.masqharness.mutation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What CI mutates for a change: its classes of gated units, a changed test's package, everything when pom.xml changed. */
class ChangedClassesTest {

    static final List<String> GATED = List.of("oracle", "conformance", "cluster.lab.LabRules");

    @TempDir
    Path main;

    void sources(String... classes) throws Exception {
        for (String c : classes) {
            Path file = main.resolve(c.replace('.', '/') + ".java");
            Files.createDirectories(file.getParent());
            Files.writeString(file, "class X {}");
        }
    }

    @Test
    void aChangedMainClassOfAGatedUnitIsMutatedWithItsInnerClassesAndOthersAreNot() throws Exception {
        var s = ChangedClasses.select("abc123", List.of("src/main/java/io/masqharness/oracle/MasqueradeOracle.java",
                "src/main/java/io/masqharness/report/Trend.java", "src/main/java/io/masqharness/cluster/lab/LabCluster.java",
                "src/main/java/io/masqharness/cluster/lab/LabRules.java", "README.md"), GATED, main);
        assertThat(s.kind()).isEqualTo("some");
        assertThat(s.line()).isEqualTo("io.masqharness.oracle.MasqueradeOracle,io.masqharness.oracle.MasqueradeOracle$*,"
                + "io.masqharness.cluster.lab.LabRules,io.masqharness.cluster.lab.LabRules$*");
        assertThat(s.why()).isEqualTo("2 classes of gated units changed since abc123: oracle.MasqueradeOracle, cluster.lab.LabRules");
    }

    @Test
    void aChangedTestOrGoldenFileStandsForEveryClassOfItsPackage() throws Exception {
        sources("io.masqharness.oracle.MasqueradeOracle", "io.masqharness.oracle.Protocol", "io.masqharness.report.Trend");
        var s = ChangedClasses.select("abc123", List.of("src/test/java/io/masqharness/oracle/OracleEdgesTest.java",
                "src/test/java/io/masqharness/report/TrendTest.java"), GATED, main);
        assertThat(s.globs()).containsExactly("io.masqharness.oracle.MasqueradeOracle", "io.masqharness.oracle.MasqueradeOracle$*",
                "io.masqharness.oracle.Protocol", "io.masqharness.oracle.Protocol$*");
        sources("io.masqharness.conformance.Verdict");
        assertThat(ChangedClasses.select("abc123", List.of("src/test/resources/io/masqharness/conformance/capture.txt"), GATED, main)
                .globs()).containsExactly("io.masqharness.conformance.Verdict", "io.masqharness.conformance.Verdict$*");
    }

    @Test
    void nothingOfAGatedUnitChangedMeansNoMutationAndSaysWhy() throws Exception {
        var s = ChangedClasses.select("abc123", List.of("README.md", "src/main/java/io/masqharness/report/Trend.java"), GATED, main);
        assertThat(s.line()).isEqualTo("none");
        assertThat(s.why()).startsWith("no class of a gated unit changed since abc123 (2 files changed)");
    }

    @Test
    void aChangedPomOrAnUnknownChangeMeansTheFullRun() throws Exception {
        assertThat(ChangedClasses.select("abc123", List.of("pom.xml", "src/main/java/io/masqharness/oracle/Protocol.java"), GATED, main)
                .line()).isEqualTo("all");
        assertThat(ChangedClasses.select("abc123", null, GATED, main).why()).isEqualTo("git could not list the changes since abc123");
    }
}
