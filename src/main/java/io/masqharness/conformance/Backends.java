package io.masqharness.conformance;

import io.masqharness.cluster.Cluster;
import io.masqharness.cluster.docker.DockerImages;
import io.masqharness.cluster.k3s.K3sCluster;
import io.masqharness.cluster.kubeconfig.KubeconfigCluster;
import io.masqharness.cluster.k3s.K3sPlan;
import io.masqharness.cluster.lab.LabCluster;
import java.util.List;
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

    /** Why the scenario's backend cannot run on this machine, with the fix; empty when it can. */
    public static Optional<String> unavailable(Scenario scenario, ClusterSpec.Backend backend) {
        Optional<String> common = unavailable(backend);
        if (common.isPresent() || backend != ClusterSpec.Backend.K3S) {
            return common;
        }
        List<String> missing = new K3sPlan(scenario, "").requiredImages().stream().filter(i -> !DockerImages.present(i)).toList();
        if (!missing.isEmpty()) {
            return Optional.of("images " + missing + " are not in the local Docker engine, and the harness does not pull:"
                    + " `docker pull` each where a registry is reachable, or `docker load -i` their tars (see"
                    + " k3s-images/airgap/README.md); the nodes also need privileged containers.");
        }
        return Optional.empty();
    }

    /** Why the backend cannot run on this machine, with the fix; empty when it can. */
    public static Optional<String> unavailable(ClusterSpec.Backend backend) {
        if (backend != ClusterSpec.Backend.KUBECONFIG && !DockerClientFactory.instance().isDockerAvailable()) {
            return Optional.of("Docker is not reachable: start the Docker daemon (`dockerd &`; `.ci/run` installs"
                    + " and starts it), and set TESTCONTAINERS_HOST_OVERRIDE=localhost and"
                    + " TESTCONTAINERS_RYUK_DISABLED=true where no registry is reachable");
        }
        return switch (backend) {
            case LAB, K3S -> ProbeImage.fromProject().unavailableReason();
            case KUBECONFIG -> Kubeconfigs.unavailable();
        };
    }

    public static Cluster start(Scenario scenario, ClusterSpec.Backend backend, Consumer<String> progress) {
        if (backend == ClusterSpec.Backend.LAB) {
            String image = ProbeImage.fromProject().resolve(progress);
            return LabCluster.start(scenario, image, progress);
        }
        if (backend == ClusterSpec.Backend.K3S) {
            String image = ProbeImage.fromProject().resolve(progress);
            return K3sCluster.start(scenario, image, progress);
        }
        if (backend == ClusterSpec.Backend.KUBECONFIG) {
            return KubeconfigCluster.start(scenario, Kubeconfigs.contents(), System.getProperty(Kubeconfigs.PROBE_IMAGE),
                    Boolean.getBoolean(KubeconfigCluster.ALLOW_SWITCH), progress);
        }
        throw new IllegalStateException(unavailable(backend).orElse(backend + " backend unavailable"));
    }
}
