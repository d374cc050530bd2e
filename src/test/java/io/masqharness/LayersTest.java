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
            .layer("explain").definedBy("io.masqharness.explain..")
            .layer("scenario").definedBy("io.masqharness.scenario..")
            .layer("oracle").definedBy("io.masqharness.oracle..")
            .layer("net").definedBy("io.masqharness.net..")
            .whereLayer("cli").mayNotBeAccessedByAnyLayer()
            .whereLayer("explain").mayOnlyBeAccessedByLayers("cli")
            .whereLayer("scenario").mayOnlyBeAccessedByLayers("cli", "explain")
            .whereLayer("oracle").mayOnlyBeAccessedByLayers("cli", "explain", "scenario")
            .whereLayer("net").mayOnlyBeAccessedByLayers("cli", "explain", "scenario", "oracle");

    /** The agent jar ships alone into images and pods: it may use nothing else of the harness. */
    @ArchTest
    static final ArchRule probeAgentStandsAlone = ArchRuleDefinition.noClasses()
            .that().resideInAPackage("io.masqharness.probe.agent..")
            .should().dependOnClassesThat().resideOutsideOfPackages("io.masqharness.probe.agent..", "java..");
}
