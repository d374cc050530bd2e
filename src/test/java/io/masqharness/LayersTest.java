package io.masqharness;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.syntax.ArchRuleDefinition;

/** DESIGN.md: nothing below imports anything above it; the oracle knows nothing of clusters. */
@AnalyzeClasses(packages = "io.masqharness", importOptions = ImportOption.DoNotIncludeTests.class)
class LayersTest {

    @ArchTest
    static final ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("cli").definedBy("io.masqharness.cli..")
            .layer("inspect").definedBy("io.masqharness.inspect..")
            .layer("upgrade").definedBy("io.masqharness.upgrade..")
            .layer("explain").definedBy("io.masqharness.explain..")
            .layer("conformance").definedBy("io.masqharness.conformance..")
            .layer("doctor").definedBy("io.masqharness.doctor..")
            .layer("probe").definedBy("io.masqharness.probe")
            .layer("cluster").definedBy("io.masqharness.cluster..")
            .layer("tuning").definedBy("io.masqharness.tuning..")
            .layer("cilium").definedBy("io.masqharness.cilium..")
            .layer("scenario").definedBy("io.masqharness.scenario..")
            .layer("oracle").definedBy("io.masqharness.oracle..")
            .layer("net").definedBy("io.masqharness.net..")
            .whereLayer("cli").mayNotBeAccessedByAnyLayer()
            .whereLayer("inspect").mayOnlyBeAccessedByLayers("cli")
            .whereLayer("upgrade").mayOnlyBeAccessedByLayers("cli", "inspect")
            .whereLayer("explain").mayOnlyBeAccessedByLayers("cli", "upgrade")
            .whereLayer("conformance").mayOnlyBeAccessedByLayers("cli")
            .whereLayer("doctor").mayOnlyBeAccessedByLayers("cli", "conformance")
            .whereLayer("probe").mayOnlyBeAccessedByLayers("cli", "conformance", "doctor")
            .whereLayer("cluster").mayOnlyBeAccessedByLayers("cli", "inspect", "conformance", "doctor", "probe")
            .whereLayer("tuning").mayOnlyBeAccessedByLayers("cli", "inspect", "upgrade", "explain", "conformance", "doctor", "probe", "cluster")
            .whereLayer("cilium").mayOnlyBeAccessedByLayers("cli", "inspect", "conformance", "doctor", "probe", "cluster", "tuning")
            .whereLayer("scenario").mayOnlyBeAccessedByLayers("cli", "inspect", "upgrade", "explain", "conformance", "doctor", "probe", "cluster")
            .whereLayer("oracle").mayOnlyBeAccessedByLayers("cli", "inspect", "upgrade", "explain", "conformance", "doctor", "probe", "cluster", "scenario",
                    "tuning")
            .whereLayer("net").mayOnlyBeAccessedByLayers("cli", "inspect", "upgrade", "explain", "conformance", "doctor", "probe", "cluster", "cilium",
                    "scenario", "oracle", "tuning");

    /** The tuning rules are as pure as the oracle: the live backends and inspect hand them text. */
    @ArchTest
    static final ArchRule tuningIsPure = ArchRuleDefinition.noClasses()
            .that().resideInAPackage("io.masqharness.tuning..")
            .should().dependOnClassesThat().resideInAnyPackage("java.io..", "java.nio..", "java.net..", "java.time..",
                    "org.testcontainers..", "io.fabric8..", "io.masqharness.scenario..");

    /** The oracle is pure: no clusters, no containers, no files, no clock. */
    @ArchTest
    static final ArchRule oracleIsPure = ArchRuleDefinition.noClasses()
            .that().resideInAPackage("io.masqharness.oracle..")
            .should().dependOnClassesThat().resideInAnyPackage("java.io..", "java.nio..", "java.net..", "java.time..",
                    "org.testcontainers..", "io.fabric8..");

    /** The agent jar ships alone into images and pods: it may use nothing else of the harness. */
    @ArchTest
    static final ArchRule probeAgentStandsAlone = ArchRuleDefinition.noClasses()
            .that().resideInAPackage("io.masqharness.probe.agent..")
            .should().dependOnClassesThat().resideOutsideOfPackages("io.masqharness.probe.agent..", "java..");
}
