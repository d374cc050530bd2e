package io.masqharness.conformance;

import io.masqharness.cluster.Cluster;
import io.masqharness.cluster.k3s.K3sCluster;
import io.masqharness.cluster.kubeconfig.KubeconfigCluster;
import io.masqharness.cluster.lab.LabCluster;
import java.util.List;
import io.masqharness.doctor.Doctor;
import io.masqharness.doctor.Kubeconfigs;
import io.masqharness.probe.ProbeImage;
import io.masqharness.scenario.ClusterSpec;
import io.masqharness.scenario.Scenario;
import java.util.Optional;
import java.util.function.Consumer;

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

    /** Why the scenario's backend cannot run on this machine, with the fix; empty when it can. Progress goes to stdout. */
    public static Optional<String> unavailable(Scenario scenario, ClusterSpec.Backend backend) {
        return unavailable(scenario, backend, System.out::println);
    }

    /**
     * {@code doctor}'s checks for the backend, failed ones as the reason; for K3s, images that can
     * be pulled are pulled now (a skip then means a pull failed). A kubeconfig dry run
     * ({@code -Dharness.kubeconfig.dryRun=true}) prints the steps a run would take and skips.
     */
    public static Optional<String> unavailable(Scenario scenario, ClusterSpec.Backend backend, Consumer<String> progress) {
        Optional<String> blocking = Doctor.blocking(Doctor.checks(scenario, backend, allowModeSwitch(), true, progress));
        if (blocking.isPresent() || backend != ClusterSpec.Backend.KUBECONFIG || !Boolean.getBoolean(KubeconfigCluster.DRY_RUN)) {
            return blocking;
        }
        try (KubeconfigCluster c = KubeconfigCluster.connect(scenario, Kubeconfigs.contents(), allowModeSwitch(), progress)) {
            List<String> steps = c.plannedChanges(System.getProperty(Kubeconfigs.PROBE_IMAGE));
            progress.accept("dry run: a run would take these " + steps.size() + " steps on the cluster, in order:");
            steps.forEach(step -> progress.accept("  " + step));
            return Optional.of("dry run (-D" + KubeconfigCluster.DRY_RUN + "=true): the " + steps.size() + " steps above were listed,"
                    + " none was taken");
        }
    }

    static boolean allowModeSwitch() {
        return Boolean.getBoolean(KubeconfigCluster.ALLOW_SWITCH);
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
                    allowModeSwitch(), progress);
        }
        throw new IllegalStateException(backend + " backend unknown");
    }
}
