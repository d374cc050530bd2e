package io.masqharness.cli;

import io.masqharness.doctor.Check;
import io.masqharness.doctor.Doctor;
import io.masqharness.doctor.Kubeconfigs;
import io.masqharness.scenario.ClusterSpec;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Check what the chosen backend needs on this machine, one line per check: PASS, WARN or FAIL, what was",
                "found, and the fix. Nothing is pulled or changed. Exit 0 when the backend can run, 1 when it cannot, 2 on bad",
                "input. The suites skip with the same checks' failures as their reason."})
final class DoctorCommand implements Callable<Integer> {

    enum Backend { k3s, kubeconfig, lab }

    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", paramLabel = "FILE",
            description = "scenario YAML file (default: scenarios/lab.yaml for the lab, else scenarios/masquerade-toggle.yaml)")
    Path scenario;

    @Option(names = "--backend", paramLabel = "k3s|kubeconfig|lab", description = "default: the scenario's backend")
    Backend backend;

    @Option(names = "--allow-mode-switch", description = "kubeconfig: also check what switching modes needs (a Helm release, write rights)")
    boolean allowModeSwitch;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "kubeconfig backend (default: -Dharness.kubeconfig, KUBECONFIG,"
            + " ~/.kube/config)")
    Path kubeconfig;

    @Option(names = "--probe-image", paramLabel = "IMAGE", description = "kubeconfig backend: the probe image the cluster pulls"
            + " (default: -Dharness.kubeconfig.probeImage)")
    String probeImage;

    @Override
    public Integer call() {
        Path file = scenario != null ? scenario : Path.of(backend == Backend.lab ? "scenarios/lab.yaml" : "scenarios/masquerade-toggle.yaml");
        Scenario s = new ScenarioLoader().load(file);
        ClusterSpec.Backend b = backend != null ? ClusterSpec.Backend.valueOf(backend.name().toUpperCase()) : s.cluster().backend();
        if (kubeconfig != null) {
            System.setProperty(Kubeconfigs.PROPERTY, kubeconfig.toString());
        }
        if (probeImage != null) {
            System.setProperty(Kubeconfigs.PROBE_IMAGE, probeImage);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("doctor: the " + b.label() + " backend for scenario " + s.name() + " (" + file + ")");
        out.flush();
        List<Check> checks = Doctor.checks(s, b, allowModeSwitch, false, line -> { });
        checks.forEach(c -> out.println(c.line()));
        if (b == ClusterSpec.Backend.KUBECONFIG && checks.stream().anyMatch(c -> c.name().equals("Cilium") && !c.failed())) {
            List<String> steps = Doctor.kubeconfigRunSteps(s, allowModeSwitch);
            out.println("what a run of " + s.name() + " would do on this cluster, in order (" + (allowModeSwitch ? "switching modes"
                    : "read-only: add --allow-mode-switch for the switching run") + "; `plan --backend kubeconfig --dry-run` prints the same):");
            for (int i = 0; i < steps.size(); i++) {
                out.printf("%3d. %s%n", i + 1, steps.get(i));
            }
        }
        boolean ok = Doctor.blocking(checks).isEmpty();
        out.println(ok ? "the " + b.label() + " backend can run here"
                : "the " + b.label() + " backend cannot run here: " + checks.stream().filter(Check::failed).count() + " check(s) failed"
                + (b == ClusterSpec.Backend.LAB ? "" : "; the lab backend (-Dharness.backend=lab) needs only Docker"));
        out.flush();
        return ok ? 0 : 1;
    }
}
