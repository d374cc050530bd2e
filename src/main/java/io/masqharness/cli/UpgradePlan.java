package io.masqharness.cli;

import io.masqharness.oracle.AgentConfig;
import io.masqharness.oracle.RefusedConfigurationException;
import io.masqharness.scenario.ModeSpec;
import io.masqharness.scenario.ScenarioFacts;
import io.masqharness.scenario.ScenarioUpgrade;
import java.util.List;

/** The part of {@code plan} a scenario's {@code cilium.upgradeTo} adds: what the upgrade step does and what it is predicted to give. */
final class UpgradePlan {

    private UpgradePlan() {
    }

    static String text(ScenarioUpgrade u, String backend) {
        StringBuilder s = new StringBuilder("\nUpgrade (cilium.upgradeTo): after the modes on Cilium " + u.from().text() + ", upgrade to "
                + u.to().text() + " (" + u.to().full() + "), then run the modes again as " + u.after().modes().stream()
                .map(ModeSpec::name).toList() + "\n");
        s.append("  chart: cilium-").append(u.from().full()).append(" -> cilium-").append(u.to().full())
                .append(" (helm upgrade --version ").append(u.to().full()).append(", values below)\n");
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
        s.append("  on this backend: ").append(switch (backend) {
            case "lab" -> "the lab's rules follow the target release where releases differ (IPv6 BPF masquerading from 1.14)";
            default -> "NOT BUILT YET: the upgrade step is skipped with this reason and reported as a problem (the "
                    + backend + " backend cannot upgrade Cilium yet; a kubeconfig upgrade would need its own opt-in flag)";
        }).append('\n');
        return s.toString();
    }

    private static List<String> images(String version) {
        return List.of("quay.io/cilium/cilium:v" + version, "quay.io/cilium/operator-generic:v" + version);
    }
}
