package io.masqharness.suites;

import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.cluster.docker.DockerImages;
import io.masqharness.cluster.k3s.K3sImages;
import io.masqharness.cluster.k3s.K3sPlan;
import io.masqharness.conformance.Backends;
import io.masqharness.scenario.ClusterSpec;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/**
 * The reason a suite skips with is the one ConformanceIT aborts with ({@link Backends#unavailable}):
 * where the K3s and Cilium images are missing, it names each of them and how to provide them.
 */
class SkipReasonsIT {

    @Test
    void aK3sSuiteWithoutItsImagesSkipsNamingEachImageAndTheFix() {
        Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(), "Docker is not running");
        Scenario scenario = new ScenarioLoader().load(Path.of("scenarios/masquerade-toggle.yaml"));
        List<String> missing = new K3sImages(new K3sPlan(scenario, "p"), K3sImages.airgapDir()).registryImages().stream()
                .filter(i -> !DockerImages.present(i)).toList();
        Assumptions.assumeFalse(missing.isEmpty(), "the K3s and Cilium images are here: the K3s suites run instead of skipping");
        assertThat(Backends.unavailable(scenario, ClusterSpec.Backend.K3S)).hasValueSatisfying(reason -> assertThat(reason)
                .contains(missing.toArray(String[]::new)).contains("docker pull").contains("docker save")
                .contains("k3s-images/airgap/README.md"));
    }
}
