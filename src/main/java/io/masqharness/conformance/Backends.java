package io.masqharness.conformance;

import io.masqharness.cluster.Cluster;
import io.masqharness.cluster.lab.LabCluster;
import io.masqharness.probe.ProbeImage;
import io.masqharness.scenario.ClusterSpec;
import io.masqharness.scenario.Scenario;
import java.util.Optional;
import java.util.function.Consumer;
import org.testcontainers.DockerClientFactory;

/** Picks and starts the backend a run uses; says why one cannot run here, and how to fix it. */
public final class Backends {

    private Backends() {
    }

    /** The scenario's backend unless {@code -Dharness.backend} overrides it. */
    public static ClusterSpec.Backend selected(Scenario scenario) {
        String override = System.getProperty("harness.backend", "").trim();
        if (override.isEmpty()) {
            return scenario.cluster().backend();
        }
        try {
            return ClusterSpec.Backend.valueOf(override.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-Dharness.backend=" + override + " is not one of k3s, kubeconfig, lab");
        }
    }

    /** Why the backend cannot run on this machine, with the fix; empty when it can. */
    public static Optional<String> unavailable(ClusterSpec.Backend backend) {
        if (backend != ClusterSpec.Backend.KUBECONFIG && !DockerClientFactory.instance().isDockerAvailable()) {
            return Optional.of("Docker is not reachable: start the Docker daemon (`dockerd &`; `.ci/run` installs"
                    + " and starts it), and set TESTCONTAINERS_HOST_OVERRIDE=localhost and"
                    + " TESTCONTAINERS_RYUK_DISABLED=true where no registry is reachable");
        }
        return switch (backend) {
            case LAB -> ProbeImage.fromProject().unavailableReason();
            case K3S, KUBECONFIG -> Optional.of("the " + backend.label() + " backend is not built yet (issue #4):"
                    + " run the suites on the lab backend (-Dharness.backend=lab) meanwhile");
        };
    }

    public static Cluster start(Scenario scenario, ClusterSpec.Backend backend, Consumer<String> progress) {
        if (backend == ClusterSpec.Backend.LAB) {
            String image = ProbeImage.fromProject().resolve(progress);
            return LabCluster.start(scenario, image, progress);
        }
        throw new IllegalStateException(unavailable(backend).orElse(backend + " backend unavailable"));
    }
}
