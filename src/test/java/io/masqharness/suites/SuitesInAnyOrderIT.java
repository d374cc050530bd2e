package io.masqharness.suites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.w3c.dom.Element;

/**
 * The suites that meet through the Docker engine's state (images present or not, labelled
 * leftovers the reaper judges), run again in the reverse of Failsafe's order, after every suite
 * before them changed that state: each test must end as it did in Failsafe's own run
 * (target/failsafe-reports). A suite whose report is not from this run is run in Failsafe's order
 * first, here. The lab suites are not run again (minutes each); why their order cannot matter is
 * in README, "Suite order". Cost: the listed suites once more, about 10 s here.
 */
class SuitesInAnyOrderIT {

    static final List<String> SHARING_ENGINE_STATE = List.of("io.masqharness.cluster.docker.DockerImagesIT",
            "io.masqharness.cluster.docker.ReaperIT", "io.masqharness.cluster.k3s.K3sNodeMountsIT", "io.masqharness.suites.SkipReasonsIT");
    static final Path REPORTS = Path.of("target/failsafe-reports");

    enum Outcome { PASSED, SKIPPED, FAILED }

    /** Each test's outcome, by its display name, in one run of the classes in the order given. */
    static Map<String, Map<String, Outcome>> run(List<String> classes) throws ClassNotFoundException {
        Map<String, Map<String, Outcome>> outcomes = new LinkedHashMap<>();
        Launcher launcher = LauncherFactory.create();
        for (String name : classes) {
            Map<String, Outcome> tests = new LinkedHashMap<>();
            launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Class.forName(name))).build(),
                    new TestExecutionListener() {
                        @Override
                        public void executionSkipped(TestIdentifier test, String reason) {
                            if (test.isTest()) {
                                tests.put(name(test), Outcome.SKIPPED);
                            }
                        }

                        @Override
                        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                            if (test.isTest()) {
                                tests.put(name(test), switch (result.getStatus()) {
                                    case SUCCESSFUL -> Outcome.PASSED;
                                    case ABORTED -> Outcome.SKIPPED;
                                    case FAILED -> Outcome.FAILED;
                                });
                            }
                        }
                    });
            outcomes.put(name, tests);
        }
        return outcomes;
    }

    /** A test's display name as Failsafe's report writes it (without the method's "()"). */
    static String name(TestIdentifier test) {
        return test.getDisplayName().replaceFirst("\\(\\)$", "");
    }

    /** What Failsafe recorded for a class in this run (its report written after this JVM started), if it ran it. */
    static Optional<Map<String, Outcome>> failsafe(String name) throws Exception {
        Path xml = REPORTS.resolve("TEST-" + name + ".xml");
        Instant jvm = ProcessHandle.current().info().startInstant().orElse(Instant.MAX);
        if (!Files.isRegularFile(xml) || Files.getLastModifiedTime(xml).toInstant().isBefore(jvm)) {
            return Optional.empty();
        }
        var cases = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile()).getElementsByTagName("testcase");
        Map<String, Outcome> tests = new LinkedHashMap<>();
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            Outcome o = c.getElementsByTagName("skipped").getLength() > 0 ? Outcome.SKIPPED
                    : c.getElementsByTagName("failure").getLength() + c.getElementsByTagName("error").getLength() > 0 ? Outcome.FAILED
                    : Outcome.PASSED;
            tests.put(c.getAttribute("name"), o);
        }
        return Optional.of(tests);
    }

    @Test
    void theSuitesSharingTheEnginesStateEndTheSameInTheReverseOrder() throws Exception {
        Map<String, Map<String, Outcome>> first = new LinkedHashMap<>();
        List<String> notYetRun = new ArrayList<>();
        for (String name : SHARING_ENGINE_STATE) {
            failsafe(name).ifPresentOrElse(o -> first.put(name, o), () -> notYetRun.add(name));
        }
        first.putAll(run(notYetRun));
        List<String> reversed = SHARING_ENGINE_STATE.stream().sorted(Comparator.reverseOrder()).toList();
        Map<String, Map<String, Outcome>> again = run(reversed);
        for (String name : reversed) {
            assertThat(again.get(name)).as("%s run after %s", name, reversed.subList(0, reversed.indexOf(name)))
                    .isNotEmpty().isEqualTo(first.get(name));
        }
    }
}
