package io.masqharness.cluster.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Removes harness containers and networks whose owner is provably gone ({@link Owner#orphan}: a
 * run killed with SIGKILL), and leaves alone those of runs that may be alive: parallel runs on this
 * machine, and on a Docker daemon shared with other containers or machines, runs it cannot see.
 * A removal that fails is reported and does not stop the start.
 */
public final class Reaper {

    private Reaper() {
    }

    public static int reapOrphans(DockerClient docker, Consumer<String> log) {
        Owner self = Owner.current();
        Instant now = Instant.now();
        int removed = 0;
        List<Container> containers = docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of(RunLabels.LAB + "=true")).exec();
        for (Container c : containers) {
            Instant created = c.getCreated() == null ? now : Instant.ofEpochSecond(c.getCreated());
            Optional<String> why = self.orphan(labels(c.getLabels()), created, now, Owner.Processes.LOCAL);
            if (why.isPresent()) {
                try {
                    docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
                    log.accept("removed leftover container " + String.join(",", c.getNames()) + ": " + why.get());
                    removed++;
                } catch (RuntimeException e) {
                    log.accept("could not remove leftover container " + String.join(",", c.getNames()) + " (" + why.get() + "): "
                            + e.getMessage());
                }
            }
        }
        for (Network n : docker.listNetworksCmd().exec()) {
            Map<String, String> labels = labels(n.getLabels());
            if (!"true".equals(labels.get(RunLabels.LAB))) {
                continue;
            }
            Instant created = n.getCreated() == null ? now : n.getCreated().toInstant();
            Optional<String> why = self.orphan(labels, created, now, Owner.Processes.LOCAL);
            if (why.isPresent()) {
                try {
                    docker.removeNetworkCmd(n.getId()).exec();
                    log.accept("removed leftover network " + n.getName() + ": " + why.get());
                    removed++;
                } catch (RuntimeException e) {
                    log.accept("could not remove leftover network " + n.getName() + " (" + why.get() + "): " + e.getMessage());
                }
            }
        }
        return removed;
    }

    private static Map<String, String> labels(Map<String, String> labels) {
        return labels == null ? Map.of() : labels;
    }

}
