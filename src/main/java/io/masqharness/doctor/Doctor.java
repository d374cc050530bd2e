package io.masqharness.doctor;

import io.masqharness.cluster.kubeconfig.KubeconfigCluster;
import io.masqharness.probe.ProbeImage;
import io.masqharness.scenario.ClusterSpec;
import io.masqharness.scenario.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * What a backend needs on this machine, check by check: {@code doctor} prints them, and a suite that
 * cannot run skips with the failed ones as its reason (one code path).
 */
public final class Doctor {

    private Doctor() {
    }

    /**
     * @param pull true when the suites are about to run: missing images are pulled now (doctor only
     *             asks whether they could be)
     */
    public static List<Check> checks(Scenario scenario, ClusterSpec.Backend backend, boolean allowModeSwitch, boolean pull,
                                     Consumer<String> progress) {
        List<Check> checks = new ArrayList<>();
        if (backend == ClusterSpec.Backend.KUBECONFIG) {
            checks.addAll(KubeconfigChecks.all(allowModeSwitch));
            return checks;
        }
        // Testcontainers' own containers come first, before anything asks Testcontainers for the engine.
        checks.addAll(DockerChecks.testcontainers());
        if (checks.stream().anyMatch(Check::failed)) {
            return checks;
        }
        Check docker = DockerChecks.engine();
        checks.add(docker);
        if (docker.failed()) {
            return checks;
        }
        if (backend == ClusterSpec.Backend.LAB) {
            checks.add(probeImage(ProbeImage.fromProject()));
            return checks;
        }
        checks.addAll(K3sChecks.all(scenario, pull, progress));
        return checks;
    }

    /**
     * The steps a kubeconfig run of the scenario would take on the cluster, in order, found read-only
     * (what {@code plan --backend kubeconfig --dry-run} lists), or why a run would stop before the first.
     */
    public static List<String> kubeconfigRunSteps(Scenario scenario, boolean allowModeSwitch) {
        String image = System.getProperty(Kubeconfigs.PROBE_IMAGE, "");
        try (KubeconfigCluster c = KubeconfigCluster.connect(scenario, Kubeconfigs.contents(), allowModeSwitch, line -> { })) {
            return c.plannedChanges(image.isBlank() ? "<-D" + Kubeconfigs.PROBE_IMAGE + ">" : image);
        } catch (RuntimeException e) {
            return List.of("none: a run would stop before its first step: " + e.getMessage());
        }
    }

    /** The probe image every Docker backend builds: a FAIL carries its fix on a line of its own, as every check does. */
    static Check probeImage(ProbeImage probe) {
        return probe.unavailable().map(u -> Check.fail("probe image", u.found(), u.fix()))
                .orElseGet(() -> Check.pass("probe image", probe.describe()));
    }

    /** The failed checks as one reason, or empty when nothing blocks the backend. */
    public static Optional<String> blocking(List<Check> checks) {
        List<Check> failed = checks.stream().filter(Check::failed).toList();
        return failed.isEmpty() ? Optional.empty() : Optional.of(failed.stream().map(Check::reason).collect(Collectors.joining("; ")));
    }
}
