package io.masqharness.cli;

import io.masqharness.oracle.AgentConfig;
import io.masqharness.oracle.RefusedConfigurationException;
import io.masqharness.scenario.ModeSpec;
import io.masqharness.scenario.ScenarioFacts;
import io.masqharness.scenario.ScenarioUpgrade;
import io.masqharness.cluster.k3s.K3sPlan;
import io.masqharness.cluster.k8s.CiliumHelm;
import io.masqharness.cluster.k8s.ModeSwitch;
import io.masqharness.cluster.kubeconfig.KubeconfigCluster;
import io.masqharness.scenario.Scenario;
import java.util.ArrayList;
import java.util.List;

/** The part of {@code plan} a scenario's {@code cilium.upgradeTo} adds: what the upgrade step does and what it is predicted to give. */
final class UpgradePlan {

    private UpgradePlan() {
    }

    static String text(ScenarioUpgrade u, List<String> backendSteps) {
        StringBuilder s = new StringBuilder("\nUpgrade (cilium.upgradeTo): after the modes on Cilium " + u.from().text() + ", upgrade to "
                + u.to().text() + " (" + u.to().full() + "), then run the modes again as " + u.after().modes().stream()
                .map(ModeSpec::name).toList() + "\n");
        s.append("  chart: cilium-").append(u.from().full()).append(" -> cilium-").append(u.to().full())
                .append(" (helm upgrade --version ").append(u.to().full()).append(", values below)\n");
        if (u.to().minor() - u.from().minor() > 1) {
            s.append("  path: ").append(u.from().line()).append(" -> ").append(u.to().line()).append(" skips a minor release; Cilium tests"
                    + " upgrades and rollbacks only between consecutive minor releases (upgrade guide, \"Version Specific Notes\"): a"
                    + " rehearsal answers what the target does to each flow, a production upgrade goes one minor release at a time\n");
        }
        s.append("  images: ").append(images(u.from().full())).append(" -> ").append(images(u.to().full())).append('\n');
        s.append("  values rewritten for ").append(u.to().text()).append(": ").append(u.changes().isEmpty() ? "none" : "").append('\n');
        u.changes().forEach(c -> s.append("    ").append(c).append('\n'));
        for (ModeSpec m : u.after().modes()) {
            s.append("  mode ").append(m.name()).append(": ");
            try {
                AgentConfig a = ScenarioFacts.agentConfig(u.after(), m);
                s.append("predicted ").append(a.statusLabel()).append(a.ipv6() ? " " + a.statusFamilies() : "");
            } catch (RefusedConfigurationException e) {
                s.append("predicted REFUSED by ").append(e.by()).append(" (reported, not run): ").append(e.getMessage());
            }
            s.append('\n');
        }
        s.append("  on this backend:\n");
        backendSteps.forEach(step -> s.append("    ").append(step).append('\n'));
        return s.toString();
    }

    private static List<String> images(String version) {
        return K3sPlan.ciliumImages(version);
    }

    /** What each backend does for the upgrade step, in words. */
    static List<String> backendSteps(ScenarioUpgrade u, String backend, Scenario scenario) {
        return switch (backend) {
            case "lab" -> List.of("the lab's rules follow the target release where releases differ (IPv6 BPF masquerading from 1.14)");
            case "k3s" -> {
                K3sPlan after = new K3sPlan(scenario, "masq-harness-probe:<content hash>").upgradedTo(u);
                List<String> steps = new ArrayList<>(List.of("the target's images are loaded into the nodes with the others, before Cilium"
                        + " is installed: " + images(u.to().full())));
                steps.addAll(ModeSwitch.describeUpgrade(K3sPlan.CILIUM_RELEASE, K3sPlan.CILIUM_NAMESPACE, K3sPlan.CILIUM_NAMESPACE, "cilium",
                        CiliumHelm.upgradeChartSource(u.to().full()), u.to().full(), ModeSwitch.inWords(after.installValues()), K3sPlan.HELM,
                        K3sPlan.ROLLOUT));
                steps.add("upgradeCompatibility is set only if the scenario's values set it: the oracle predicts the target chart's"
                        + " defaults");
                yield steps;
            }
            default -> List.of("only with -D" + KubeconfigCluster.ALLOW_SWITCH + "=true and -D" + KubeconfigCluster.ALLOW_UPGRADE
                    + "=true (it changes the Cilium version of a cluster the harness does not own): helm upgrade --version "
                    + u.to().full() + " --reset-values with the release's own values (helm get values) rewritten as above, the modes"
                    + " again, and at the end back to the chart version the release ran, with its own values; without them the"
                    + " upgrade step is skipped with that reason. `plan --dry-run --backend kubeconfig` lists every step from the cluster");
        };
    }
}
