package io.masqharness.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.cluster.ModeCheck;
import io.masqharness.cluster.Pod;
import io.masqharness.net.Ipv4;
import io.masqharness.oracle.Protocol;
import io.masqharness.scenario.ModeSpec;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioFacts;
import io.masqharness.scenario.ScenarioLoader;
import io.masqharness.scenario.ScenarioUpgrade;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "What the upgrade changed" from two runs' outcomes: cells whose arrival or prediction differs, modes that broke, the
 * oracle's prediction beside each. Expectations come from the oracle at each release (ModeRun.judge); what arrived is given.
 */
class UpgradeChangesTest {

    static final String POD = "10.46.0.10";
    static final String NODE = "172.30.0.11";

    private static ScenarioUpgrade upgrade(Path dir, String modes) throws IOException {
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, """
                name: u
                cluster: {nodes: 2, network: {subnet: 172.30.0.0/24}, podCIDR: 10.46.0.0/16}
                cilium:
                  version: 1.13.4
                  upgradeTo: 1.15.8
                  values: {tunnel: disabled, ipv4NativeRoutingCIDR: 10.46.0.0/16, kubeProxyReplacement: strict}
                destinations: [{name: public, ip: 198.20.0.10}]
                probes: [tcp, icmp-13]
                """ + modes);
        Scenario s = new ScenarioLoader().load(file);
        return ScenarioUpgrade.of(s).orElseThrow();
    }

    private static ModeExecution.Outcome run(Scenario s, String mode, boolean verified, String tcpSource) {
        ModeSpec m = s.mode(mode);
        var agent = ScenarioFacts.agentConfig(s, m);
        Pod pod = new Pod("node-1-pod-a", "node-1", Ipv4.parse(POD), null);
        Cell cell = new Cell(mode, pod, "public", "198.20.0.10", Protocol.TCP);
        CellResult r = ModeRun.judge(ScenarioFacts.clusterFacts(s), agent, cell,
                new Observation(true, List.of(tcpSource), "{\"peer\":\"" + tcpSource + "\"}", 1));
        List<ModeCheck> checks = verified ? List.of() : List.of(ModeCheck.failed("node-1", "rules", "did not converge", ""));
        return new ModeExecution.Outcome(m, agent, null, checks, List.of(r), null, 1.0);
    }

    @Test
    void aCellWhoseArrivalChangedIsListedWithThePredictionsBesideIt(@TempDir Path dir) throws IOException {
        ScenarioUpgrade u = upgrade(dir, "modes: [{name: bpf, values: {bpf.masquerade: true}}]\n");
        Map<String, ModeExecution.Outcome> outcomes = new HashMap<>();
        outcomes.put("bpf", run(u.before(), "bpf", true, NODE));
        outcomes.put("bpf@1.15.8", run(u.after(), "bpf@1.15.8", true, POD));
        UpgradeChanges.Report r = UpgradeChanges.of(u, outcomes, outcomes, Map.of());
        assertThat(r.from()).isEqualTo("1.13.4");
        assertThat(r.valuesRewritten()).containsExactly("tunnel: disabled -> routingMode: native", "kubeProxyReplacement: strict -> true");
        UpgradeChanges.ModeChange m = r.modes().get(0);
        assertThat(m.broke()).isFalse();
        assertThat(m.changed()).singleElement().satisfies(c -> {
            assertThat(c).containsEntry("beforeArrived", NODE).containsEntry("afterArrived", POD)
                    .containsEntry("beforePredicted", "node-ip(" + NODE + ")").containsEntry("afterPredicted", "node-ip(" + NODE + ")")
                    .containsEntry("afterAsPredicted", false).containsEntry("protocol", "tcp").containsEntry("family", "ipv4");
        });
        assertThat(UpgradeChanges.markdown(r)).contains("## mode bpf\n").contains("| node-1-pod-a | public | ipv4 | tcp | " + NODE + " | " + POD);
        assertThat(UpgradeChanges.json(r)).contains("\"valuesRewritten\"").contains("\"afterAsPredicted\" : false");
    }

    @Test
    void theReportsIndexLinksWhatTheUpgradeChanged(@TempDir Path dir) throws IOException {
        ScenarioUpgrade u = upgrade(dir, "modes: [{name: bpf, values: {bpf.masquerade: true}}]\n");
        Map<String, ModeExecution.Outcome> outcomes = new HashMap<>();
        outcomes.put("bpf", run(u.before(), "bpf", true, NODE));
        outcomes.put("bpf@1.15.8", run(u.after(), "bpf@1.15.8", true, NODE));
        RunReport report = new RunReport(u.before());
        report.upgraded(UpgradeChanges.of(u, outcomes, outcomes, Map.of()));
        Path run = report.write(dir.resolve("reports"), null, "the lab");
        assertThat(run.resolve("upgrade.md")).exists();
        assertThat(Files.readString(run.resolve("index.html"))).contains("<a href=\"upgrade.md\">what the upgrade changed</a>");
        Path plain = new RunReport(u.before()).write(dir.resolve("plain"), null, "the lab");
        assertThat(Files.readString(plain.resolve("index.html"))).doesNotContain("upgrade.md");
    }

    @Test
    void aModeThatFailsOrIsRefusedAfterTheUpgradeBroke(@TempDir Path dir) throws IOException {
        ScenarioUpgrade u = upgrade(dir, "modes: [{name: bpf, values: {bpf.masquerade: true}}, {name: iptables, values: {bpf.masquerade: false}}]\n");
        Map<String, ModeExecution.Outcome> outcomes = new HashMap<>();
        outcomes.put("bpf", run(u.before(), "bpf", true, NODE));
        outcomes.put("iptables", run(u.before(), "iptables", true, NODE));
        outcomes.put("iptables@1.15.8", run(u.after(), "iptables@1.15.8", false, NODE));
        UpgradeChanges.Report r = UpgradeChanges.of(u, outcomes, outcomes,
                Map.of("bpf@1.15.8", new UpgradeChanges.NotRun("bpf@1.15.8", "Cilium 1.15.8 refuses this mode: x")));
        assertThat(r.modes()).extracting(UpgradeChanges.ModeChange::mode, UpgradeChanges.ModeChange::broke)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("bpf", true), org.assertj.core.groups.Tuple.tuple("iptables", true));
        assertThat(r.modes().get(0).after()).isEqualTo("did not run: Cilium 1.15.8 refuses this mode: x");
        assertThat(r.modes().get(1).after()).startsWith("IPTables, FAILED verification, ");
        assertThat(r.modes().get(1).changed()).isEmpty();
        String md = UpgradeChanges.markdown(r);
        assertThat(md).contains("## mode bpf (BROKE after the upgrade)").contains("no cell to compare: the mode ran on one release only")
                .contains("## mode iptables (BROKE after the upgrade)\n- before: IPTables, verified, 1/1 cells as predicted");
    }

    /** Cells are matched by pod, target, address and protocol; verified counts are of passed over judged cells. */
    @Test
    void cellsAreMatchedOneToOneAndAnUnchangedRunSaysSo(@TempDir Path dir) throws IOException {
        ScenarioUpgrade u = upgrade(dir, "modes: [{name: iptables, values: {bpf.masquerade: false}}]\n");
        ModeExecution.Outcome before = run(u.before(), "iptables", true, NODE);
        ModeExecution.Outcome after = run(u.after(), "iptables@1.15.8", true, NODE);
        Pod pod = before.results().get(0).cell().pod();
        CellResult otherTarget = ModeRun.judge(ScenarioFacts.clusterFacts(u.after()), after.agent(),
                new Cell("iptables@1.15.8", pod, "node:node-2", "172.30.0.12", Protocol.TCP),
                new Observation(true, List.of(POD), "{}", 1));
        after = new ModeExecution.Outcome(after.mode(), after.agent(), null, List.of(), List.of(otherTarget, after.results().get(0)), null, 1);
        Map<String, ModeExecution.Outcome> outcomes = Map.of("iptables", before, "iptables@1.15.8", after);
        UpgradeChanges.Report r = UpgradeChanges.of(u, outcomes, outcomes, Map.of());
        assertThat(r.modes().get(0).changed()).as("the other target is no match for the public cell").isEmpty();
        assertThat(r.modes().get(0).after()).isEqualTo("IPTables, verified, 2/2 cells as predicted");
        assertThat(UpgradeChanges.markdown(r)).contains("no cell's arriving source or prediction changed")
                .contains("Values rewritten for 1.15.8:\n- tunnel: disabled");
        ScenarioUpgrade same = ScenarioUpgrade.of(new Scenario(u.before().file(), "s", u.before().cluster(),
                new io.masqharness.scenario.CiliumSpec("1.13.4", Map.of("tunnel", "disabled", "ipv4NativeRoutingCIDR", "10.46.0.0/16"),
                        java.util.Optional.of("1.13.9")), u.before().modes(), u.before().destinations(), u.before().probes(), List.of(),
                java.util.Optional.empty())).orElseThrow();
        assertThat(UpgradeChanges.markdown(UpgradeChanges.of(same, Map.of(), Map.of(), Map.of()))).contains("No value needed rewriting.")
                .contains("- before: not run");
    }
}
