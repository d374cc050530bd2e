package io.masqharness.suites;

import java.nio.file.Path;

/**
 * The conformance suite on a scenario unlike the shipped ones (three nodes, other subnets and
 * destinations): a new scenario needs no code. Runs on the lab only, whatever
 * {@code -Dharness.scenario} says.
 */
class OtherSubnetsConformanceIT extends ConformanceIT {

    @Override
    Path scenarioFile() {
        return Path.of("src/test/resources/scenarios/lab-other-subnets.yaml");
    }
}
