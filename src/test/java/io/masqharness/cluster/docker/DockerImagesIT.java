package io.masqharness.cluster.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.masqharness.cluster.ClusterException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/**
 * A pull that cannot succeed anywhere (the .invalid top-level domain never resolves): the progress
 * line comes first, and the failure names the image, its registry and the engine's error, at once.
 */
class DockerImagesIT {

    static final String NOWHERE = "registry.invalid/masq-harness/never:1";

    @Test
    void aFailedPullSaysWhichImageWhereAndWhy() {
        Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(), "Docker is not reachable");
        List<String> progress = new ArrayList<>();
        long start = System.nanoTime();
        assertThatThrownBy(() -> DockerImages.pull(NOWHERE, Duration.ofMinutes(2), progress::add)).isInstanceOf(ClusterException.class)
                .hasMessageContaining("pull " + NOWHERE).hasMessageContaining("registry.invalid");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("a registry that cannot be resolved fails fast").isLessThan(Duration.ofSeconds(60));
        assertThat(progress).first().isEqualTo("pulling " + NOWHERE + " (at most 2 min)");
        assertThat(DockerImages.notPullable(NOWHERE)).hasValueSatisfying(e -> assertThat(e).contains("registry.invalid"));
        assertThat(DockerImages.present(NOWHERE)).isFalse();
        assertThat(DockerImages.presentWithoutTestcontainers(NOWHERE)).isFalse();
    }
}
