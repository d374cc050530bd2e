package io.masqharness.cluster.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import java.util.List;
import java.util.function.Consumer;

/**
 * Removes harness containers and networks whose owning process is gone (a run killed with SIGKILL),
 * and leaves alone those of runs still alive on this machine (parallel runs).
 */
public final class Reaper {

    private Reaper() {
    }

    public static int reapOrphans(DockerClient docker, Consumer<String> log) {
        int removed = 0;
        List<Container> containers = docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(List.of(RunLabels.LAB + "=true")).exec();
        for (Container c : containers) {
            if (orphaned(c.getLabels().get(RunLabels.PID))) {
                docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
                log.accept("removed leftover container " + String.join(",", c.getNames()));
                removed++;
            }
        }
        List<Network> networks = docker.listNetworksCmd().exec();
        for (Network n : networks) {
            if (n.getLabels() != null && "true".equals(n.getLabels().get(RunLabels.LAB)) && orphaned(n.getLabels().get(RunLabels.PID))) {
                docker.removeNetworkCmd(n.getId()).exec();
                log.accept("removed leftover network " + n.getName());
                removed++;
            }
        }
        return removed;
    }

    private static boolean orphaned(String pid) {
        if (pid == null) {
            return true;
        }
        try {
            long p = Long.parseLong(pid);
            return p != ProcessHandle.current().pid() && ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false) == false;
        } catch (NumberFormatException e) {
            return true;
        }
    }
}
