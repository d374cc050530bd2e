package io.masqharness.suites;

import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.conformance.Backends;
import io.masqharness.scenario.ClusterSpec;
import io.masqharness.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * In CI ({@code CI=true}; {@code .ci/run} sets it) Docker is part of the machine, so a Docker suite
 * that skips there is a broken environment, not a pass. This fails the build with the very reason
 * the lab suites would skip with, so a run in which they all skipped cannot be green.
 */
class CiRunsTheDockerSuitesIT {

    @Test
    void inCiTheLabSuitesCanRun() {
        Assumptions.assumeTrue("true".equalsIgnoreCase(System.getenv("CI")),
                "not in CI (CI is not true): here the Docker suites may skip, saying why");
        assertThat(Backends.unavailable(new ScenarioLoader().load(Path.of("scenarios/lab.yaml")), ClusterSpec.Backend.LAB))
                .as("CI=true, but the lab suites would skip").isEmpty();
        assertThat(Path.of("target/cilium-masq-harness.jar")).as("the jar KillIT and DockerDownIT run").isRegularFile();
        if ("true".equalsIgnoreCase(System.getenv("HARNESS_CI"))) {
            // This project's CI (.ci/run) runs as root; a user's CI (e.g. a hosted runner's nightly) need not.
            assertThat("root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/bin/unshare")))
                    .as("root and unshare(1), which DockerDownIT needs to hide the Docker socket").isTrue();
        }
    }
}
