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
                .contains("mode bpf@1.15.8: predicted BPF")
                .contains("path: 1.13 -> 1.15 skips a minor release; Cilium tests upgrades and rollbacks only between consecutive minor"
                        + " releases");
    }

    @Test
    void onK3sTheTargetsImagesAreLoadedAtStartAndTheUpgradeResetsValuesAsCiliumsGuideAsks() {
        assertThat(Main.run("plan", "--scenario", "scenarios/upgrade-1.13-to-1.15.yaml", "--backend", "k3s")).isZero();
        String plan = out.toString(StandardCharsets.UTF_8);
        assertThat(plan).containsSubsequence("2. images:", "quay.io/cilium/cilium:v1.13.4", "quay.io/cilium/cilium:v1.15.8",
                "Upgrade (cilium.upgradeTo)", "on this backend:",
                "the target's images are loaded into the nodes with the others, before Cilium is installed",
                "helm upgrade cilium -n kube-system --version 1.15.8 --reset-values -f <values file> setting k8sServiceHost=",
                "kubeProxyReplacement=true, routingMode=native (chart cilium/cilium 1.15.8 from https://helm.cilium.io/",
                "restart the Cilium agents");
        assertThat(plan.substring(plan.indexOf("on this backend:"))).doesNotContain("tunnel=");
    }

    @Test
    void onAnExistingClusterTheUpgradeNeedsItsOwnOptIn() {
        assertThat(Main.run("plan", "--scenario", "scenarios/upgrade-1.13-to-1.15.yaml", "--backend", "kubeconfig")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("only with -Dharness.kubeconfig.allowModeSwitch=true and"
                + " -Dharness.kubeconfig.allowCiliumUpgrade=true");
    }

    @Test
    void anUpgradeToTheNextMinorReleaseIsATestedPath() {
        assertThat(Main.run("plan", "--scenario", "scenarios/upgrade-dual-stack-1.13-to-1.14.yaml")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Upgrade (cilium.upgradeTo)").doesNotContain("skips a minor release");
    }

    @Test
    void aScenarioWithoutUpgradeToPlansNoUpgrade() {
        assertThat(Main.run("plan", "--scenario", "scenarios/lab.yaml")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("Upgrade (cilium.upgradeTo)");
    }
}
