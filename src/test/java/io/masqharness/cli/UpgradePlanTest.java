package io.masqharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** plan lists the upgrade step of a scenario with cilium.upgradeTo: both charts and images, the values rewritten, the predictions. */
class UpgradePlanTest extends ConsoleCapturingTest {

    @Test
    void planListsTheUpgradeStepAndWhatEachModeIsPredictedToBecome() {
        assertThat(Main.run("plan", "--scenario", "scenarios/upgrade-1.13-to-1.15.yaml")).isZero();
        String plan = out.toString(StandardCharsets.UTF_8);
        assertThat(plan).contains("Upgrade (cilium.upgradeTo): after the modes on Cilium 1.13.4, upgrade to 1.15.8")
                .contains("chart: cilium-1.13.4 -> cilium-1.15.8 (helm upgrade --version 1.15.8")
                .contains("quay.io/cilium/cilium:v1.13.4").contains("quay.io/cilium/cilium:v1.15.8")
                .contains("    tunnel: disabled -> routingMode: native\n    kubeProxyReplacement: strict -> true")
                .contains("mode bpf@1.15.8: predicted BPF").contains("NOT BUILT YET");
    }

    @Test
    void aScenarioWithoutUpgradeToPlansNoUpgrade() {
        assertThat(Main.run("plan", "--scenario", "scenarios/lab.yaml")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("Upgrade (cilium.upgradeTo)");
    }
}
