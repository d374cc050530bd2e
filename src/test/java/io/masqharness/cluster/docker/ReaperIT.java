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

    /** A container labelled as a run of process {@code pid} in PID namespace {@code pidns} would label it. */
    private String container(String name, ProcessHandle owner, String pidns) {
        Map<String, String> labels = new HashMap<>(RunLabels.of("reaper-test"));
        labels.put(RunLabels.PID, Long.toString(owner.pid()));
        labels.put(Owner.PID_NAMESPACE, pidns);
        owner.info().startInstant().ifPresentOrElse(s -> labels.put(Owner.STARTED, Long.toString(s.toEpochMilli())),
                () -> labels.remove(Owner.STARTED));
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
        String here = Owner.current().pidNamespace();
        Process gone = new ProcessBuilder("true").start();
        ProcessHandle goneHandle = gone.toHandle();
        gone.waitFor();
        String orphan = container("masq-reaper-test-orphan-" + gone.pid(), goneHandle, here);
        // Review 2, N7: a run in another PID namespace (another job's container on a shared daemon) whose PID is no process here.
        String elsewhere = container("masq-reaper-test-elsewhere-" + gone.pid(), goneHandle, "pid:[4026599999]");
        Process alive = new ProcessBuilder("sleep", "30").start();
        try {
            String live = container("masq-reaper-test-live-" + alive.pid(), alive.toHandle(), here);
            List<String> log = new ArrayList<>();
            int removed = Reaper.reapOrphans(docker, log::add);
            assertThat(exists(orphan)).as("container of a killed run").isFalse();
            assertThat(exists(live)).as("container of a run still alive").isTrue();
            assertThat(exists(elsewhere)).as("container of a run the harness cannot see").isTrue();
            assertThat(removed).isGreaterThanOrEqualTo(1);
            assertThat(log).anyMatch(l -> l.contains("masq-reaper-test-orphan") && l.endsWith("is gone"));
        } finally {
            alive.destroy();
        }
    }
}
