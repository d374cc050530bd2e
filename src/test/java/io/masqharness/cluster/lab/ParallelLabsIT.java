package io.masqharness.cluster.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.cluster.ExecResult;
import io.masqharness.net.Family;
import io.masqharness.probe.ProbeImage;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/**
 * Two labs of the same scenario up at once on one Docker daemon: different names and underlay
 * networks, same scenario addresses inside their own fabrics, and both pass traffic.
 */
class ParallelLabsIT {

    @Test
    void twoLabsOfTheSameScenarioDoNotCollide() {
        Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(), "Docker is not running");
        Assumptions.assumeTrue(ProbeImage.fromProject().unavailableReason().isEmpty(),
                () -> ProbeImage.fromProject().unavailableReason().orElse(""));
        Scenario s = new ScenarioLoader().load(Path.of("scenarios/lab.yaml"));
        String image = ProbeImage.fromProject().resolve(line -> { });
        List<String> log = new ArrayList<>();
        CompletableFuture<LabCluster> a = CompletableFuture.supplyAsync(() -> LabCluster.start(s, image, log::add));
        CompletableFuture<LabCluster> b = CompletableFuture.supplyAsync(() -> LabCluster.start(s, image, log::add));
        try (LabCluster first = a.join(); LabCluster second = b.join()) {
            for (LabCluster lab : List.of(first, second)) {
                lab.applyMode(s.mode("iptables"));
                ExecResult r = lab.pods().get(0).host().exec(Duration.ofSeconds(20), "probe", "snat", "--target",
                        s.destinations(Family.IPV4).get(0).ipv4() + ":7000", "--protocol", "tcp", "--count", "1");
                assertThat(r.stdout()).as("each lab passes its own traffic: %s", r).contains("\"observed\":[\"172.29.0.11\"]");
            }
        } finally {
            a.thenAccept(LabCluster::close);
            b.thenAccept(LabCluster::close);
        }
        assertThat(DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of("io.masqharness.pid=" + ProcessHandle.current().pid())).exec()).isEmpty();
    }
}
