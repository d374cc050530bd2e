package io.masqharness.suites;

import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.conformance.CellResult;
import io.masqharness.conformance.ModeExecution;
import io.masqharness.conformance.UpgradeChanges;
import io.masqharness.scenario.ClusterSpec;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioUpgrade;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * {@code scenarios/upgrade-1.13-to-1.15.yaml} on the lab with real packets: the modes on 1.13.4, the upgrade to 1.15.8 with
 * the values rewritten (tunnel -> routingMode: native, strict -> true), the modes again. For these modes (native routing,
 * kube-proxy replacement, a native-routing CIDR) nothing IPv4 masquerading does changes from 1.13.4 to 1.15.8 (facts D3,
 * M3, M6; C7 needs the ip-masq-agent without a native-routing CIDR): every cell arrives as before, and what the upgrade
 * changed says so.
 */
class UpgradeConformanceIT extends ConformanceIT {

    @Override
    Path scenarioFile() {
        return Path.of("scenarios/upgrade-1.13-to-1.15.yaml");
    }

    @Override
    ClusterSpec.Backend backend(Scenario s) {
        return ClusterSpec.Backend.LAB;
    }

    @Test
    @Order(2)
    void everyModeRanOnBothReleasesAndNoSourceChanged() {
        Assumptions.assumeFalse(outcomesByMode.isEmpty(), "no mode ran");
        Scenario s = scenario();
        ScenarioUpgrade u = ScenarioUpgrade.of(s).orElseThrow();
        assertThat(u.changes()).containsExactly("tunnel: disabled -> routingMode: native", "kubeProxyReplacement: strict -> true");
        assertThat(outcomesByMode.keySet()).containsExactlyInAnyOrder("iptables", "bpf", "bpf-ip-masq-agent",
                "iptables@1.15.8", "bpf@1.15.8", "bpf-ip-masq-agent@1.15.8");
        assertThat(outcomesByMode.values()).allSatisfy(o -> assertThat(o.verified()).as(o.mode().name()).isTrue());
        UpgradeChanges.Report changes = UpgradeChanges.of(u, outcomesByMode, outcomesByMode, refused);
        assertThat(changes.modes()).allSatisfy(m -> {
            assertThat(m.broke()).as(m.mode()).isFalse();
            assertThat(m.changed()).as("cells of %s whose arrival or prediction changed", m.mode()).isEmpty();
        });
        List<CellResult> after = outcomesByMode.get("bpf@1.15.8").results();
        assertThat(after).as("the modes after the upgrade were probed, not only switched").isNotEmpty()
                .allSatisfy(r -> assertThat(r.verdict().passed()).as(r.cell().toString()).isTrue());
        ModeExecution.Outcome bpf = outcomesByMode.get("bpf@1.15.8");
        assertThat(bpf.agent().version().text()).isEqualTo("1.15.8");
    }
}
