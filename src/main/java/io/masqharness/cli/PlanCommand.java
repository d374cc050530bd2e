package io.masqharness.cli;

import io.masqharness.cluster.k3s.K3sPlan;
import io.masqharness.cluster.k3s.PlanText;
import io.masqharness.cluster.kubeconfig.KubeconfigCluster;
import io.masqharness.doctor.Kubeconfigs;
import java.util.List;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Print, without Docker, the ordered plan of a run: containers (image, command and flags, mounts",
                "and their propagation, capabilities, environment), the Helm values of each mode, and the",
                "Kubernetes operations with their waits and bounds."})
final class PlanCommand implements Callable<Integer> {

    enum Backend { k3s, kubeconfig }

    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", required = true, paramLabel = "FILE", description = "scenario YAML file")
    Path scenario;

    @Option(names = "--backend", paramLabel = "k3s|kubeconfig", description = "default: k3s, or kubeconfig when the scenario says so")
    Backend backend;

    @Option(names = "--allow-mode-switch", description = "kubeconfig backend: show the opt-in plan that reconfigures the cluster")
    boolean allowModeSwitch;

    @Option(names = "--dry-run", description = {"kubeconfig backend: connect (reading only) and list every step a run would take",
            "on that cluster, with its release, chart version and ConfigMaps; take none"})
    boolean dryRun;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "with --dry-run (default: -Dharness.kubeconfig, KUBECONFIG, ~/.kube/config)")
    Path kubeconfig;

    @Option(names = "--probe-image", paramLabel = "IMAGE", description = "with --dry-run: the probe image the cluster pulls"
            + " (default: -Dharness.kubeconfig.probeImage)")
    String probeImage;

    @Override
    public Integer call() {
        Scenario s = new ScenarioLoader().load(scenario);
        Backend b = backend != null ? backend
                : s.cluster().backend() == io.masqharness.scenario.ClusterSpec.Backend.KUBECONFIG ? Backend.kubeconfig : Backend.k3s;
        var out = spec.commandLine().getOut();
        if (dryRun) {
            if (b != Backend.kubeconfig) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--dry-run needs --backend kubeconfig (a K3s run"
                        + " starts its own cluster: its plan is the one printed without --dry-run)");
            }
            return dryRun(s, out);
        }
        out.print(b == Backend.k3s ? PlanText.k3s(new K3sPlan(s, "masq-harness-probe:<content hash>")) : PlanText.kubeconfig(s, allowModeSwitch));
        io.masqharness.scenario.ScenarioUpgrade.of(s).ifPresent(u -> out.print(UpgradePlan.text(u, UpgradePlan.backendSteps(u, b.name(), s))));
        out.flush();
        return 0;
    }

    private int dryRun(Scenario s, java.io.PrintWriter out) {
        if (kubeconfig != null) {
            System.setProperty(Kubeconfigs.PROPERTY, kubeconfig.toString());
        }
        var problem = Kubeconfigs.unreachable();
        if (problem.isPresent()) {
            spec.commandLine().getErr().println("plan --dry-run: " + problem.get());
            return 1;
        }
        String image = probeImage != null ? probeImage : System.getProperty(Kubeconfigs.PROBE_IMAGE, "<-Dharness.kubeconfig.probeImage>");
        try (KubeconfigCluster c = KubeconfigCluster.connect(s, Kubeconfigs.contents(), allowModeSwitch, line -> out.println("  " + line))) {
            List<String> steps = c.plannedChanges(image);
            out.println("dry run on " + c.datapath() + ": a run would take these " + steps.size() + " steps, in order; none was taken");
            for (int i = 0; i < steps.size(); i++) {
                out.printf("%3d. %s%n", i + 1, steps.get(i));
            }
            out.println("a run puts the cluster back at its end and on Ctrl-C or SIGTERM; killed before that, it is undone by hand with:");
            c.undoCommands().forEach(line -> out.println("     " + line));
        }
        out.flush();
        return 0;
    }
}
