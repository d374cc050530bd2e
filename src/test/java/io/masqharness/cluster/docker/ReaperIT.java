package io.masqharness.cluster.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import io.masqharness.probe.ProbeImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/** What a SIGKILLed run leaves behind is removed at the next start; a live run's lab is not touched. */
class ReaperIT {

    private DockerClient docker;
    private final List<String> created = new ArrayList<>();

    @BeforeEach
    void docker() {
        Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(), "Docker is not running");
        docker = DockerClientFactory.instance().client();
        try {
            docker.inspectImageCmd(ProbeImage.BASE_IMAGE).exec();
        } catch (NotFoundException e) {
            Assumptions.abort(ProbeImage.BASE_IMAGE + " is missing: bash k3s-images/base/build-debian-base.sh");
        }
    }

    @AfterEach
    void removeWhatIsLeft() {
        created.forEach(id -> {
            try {
                docker.removeContainerCmd(id).withForce(true).exec();
            } catch (NotFoundException ignored) {
                // Already reaped: the point of the test.
            }
        });
    }

    private String container(String name, String pid) {
        Map<String, String> labels = new HashMap<>(RunLabels.of("reaper-test"));
        labels.put(RunLabels.PID, pid);
        String id = docker.createContainerCmd(ProbeImage.BASE_IMAGE).withName(name).withLabels(labels)
                .withCmd("sleep", "60").exec().getId();
        created.add(id);
        return id;
    }

    private boolean exists(String id) {
        try {
            docker.inspectContainerCmd(id).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    @Test
    void removesOrphansOfDeadRunsOnly() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String orphan = container("masq-reaper-test-orphan-" + gone.pid(), Long.toString(gone.pid()));
        Process alive = new ProcessBuilder("sleep", "30").start();
        try {
            String live = container("masq-reaper-test-live-" + alive.pid(), Long.toString(alive.pid()));
            List<String> log = new ArrayList<>();
            int removed = Reaper.reapOrphans(docker, log::add);
            assertThat(exists(orphan)).as("container of a killed run").isFalse();
            assertThat(exists(live)).as("container of a run still alive").isTrue();
            assertThat(removed).isGreaterThanOrEqualTo(1);
            assertThat(log).anyMatch(l -> l.contains("masq-reaper-test-orphan"));
        } finally {
            alive.destroy();
        }
    }
}
