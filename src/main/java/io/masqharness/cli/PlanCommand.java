package io.masqharness.cli;

import io.masqharness.cluster.k3s.K3sPlan;
import io.masqharness.cluster.k3s.PlanText;
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

    @Override
    public Integer call() {
        Scenario s = new ScenarioLoader().load(scenario);
        Backend b = backend != null ? backend
                : s.cluster().backend() == io.masqharness.scenario.ClusterSpec.Backend.KUBECONFIG ? Backend.kubeconfig : Backend.k3s;
        String probeImage = "masq-harness-probe:<content hash>";
        var out = spec.commandLine().getOut();
        out.print(b == Backend.k3s ? PlanText.k3s(new K3sPlan(s, probeImage)) : PlanText.kubeconfig(s, allowModeSwitch));
        out.flush();
        return 0;
    }
}
