package io.masqharness.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.cluster.Pod;
import io.masqharness.net.Cidr;
import io.masqharness.net.Ipv4;
import io.masqharness.oracle.ClusterFacts;
import io.masqharness.oracle.Expectation;
import io.masqharness.oracle.Protocol;
import io.masqharness.scenario.ExpectSpec;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioFacts;
import io.masqharness.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Explicit expectations are judged on their own terms: the node IP comes from the cluster's facts,
 * the pod IP is the probing pod's, never the oracle's address for the cell.
 */
class ExplicitExpectationsTest {

    static final String NODE_1 = "172.29.0.11";
    static final String NODE_2 = "172.29.0.12";
    /** Not the .10 the lab would give: as on K3s, where pods get whatever address IPAM hands out. */
    static final String POD_1 = "10.44.0.77";
    static final String POD_2 = "10.44.1.77";
    static final String PUBLIC = "198.20.0.10";
    static final String RFC1918 = "192.168.77.10";

    @TempDir
    Path dir;
    Scenario scenario;
    ClusterFacts facts;
    Pod pod1;
    Pod pod2;

    @BeforeEach
    void twoNodesWithAgentModes() throws Exception {
        Path file = dir.resolve("explicit.yaml");
        Files.writeString(file, """
                name: explicit
                cluster: {backend: lab, nodes: 2, network: {subnet: 172.29.0.0/24}, podCIDR: 10.44.0.0/16}
                cilium: {version: 1.13.4, values: {tunnel: disabled, ipv4NativeRoutingCIDR: 10.44.0.0/16,
                  autoDirectNodeRoutes: true, kubeProxyReplacement: strict}}
                modes:
                  - {name: bpf, values: {bpf.masquerade: true}}
                  - name: agent
                    values: {bpf.masquerade: true, ipMasqAgent.enabled: true}
                    ipMasqAgentConfig: {nonMasqueradeCIDRs: [192.168.0.0/16]}
                destinations:
                  - {name: public, ip: 198.20.0.10}
                  - {name: rfc1918, ip: 192.168.77.10}
                """);
        scenario = new ScenarioLoader().load(file);
        facts = ScenarioFacts.clusterFacts(scenario);
        pod1 = new Pod("node-1-pod-a", "node-1", Ipv4.parse(POD_1), null);
        pod2 = new Pod("node-2-pod-a", "node-2", Ipv4.parse(POD_2), null);
    }

    /** A cell as the mode run judges it: the oracle's expectation and verdict, from what arrived. */
    CellResult observed(String mode, Pod pod, String target, String address, Protocol protocol, boolean answered, String... sources) {
        Cell cell = new Cell(mode, pod, target, address, protocol);
        return ModeRun.judge(facts, ScenarioFacts.agentConfig(scenario, scenario.mode(mode)), cell,
                new Observation(answered, List.of(sources), "{\"peer\":\"" + String.join(",", sources) + "\"}", 1));
    }

    static ExpectSpec expect(String mode, String from, String to, Protocol protocol, Expectation.Source source) {
        return new ExpectSpec(mode, from, to, protocol, source);
    }

    Verdict judge(ExpectSpec e, CellResult... results) {
        return ExplicitExpectations.judge(scenario, facts, e, List.of(results));
    }

    @Test
    void anExplicitNodeIpFailsWhenTheFlowArrivesFromThePodWhereTheOracleExpectsThePod() {
        CellResult fromPod = observed("agent", pod1, "rfc1918", RFC1918, Protocol.TCP, true, POD_1);
        assertThat(fromPod.verdict().passed()).as("the oracle says pod-ip here, and the pod IP arrived").isTrue();

        Verdict v = judge(expect("agent", "pod", "rfc1918", Protocol.TCP, Expectation.Source.NODE_IP), fromPod);

        assertThat(v.applicable()).isTrue();
        assertThat(v.passed()).as(v.message()).isFalse();
        assertThat(v.message()).contains("expected node-ip " + NODE_1).contains("observed arrived from " + POD_1)
                .contains("why expected: explicit expectation in " + scenario.file());
    }

    @Test
    void anExplicitNodeIpPassesOnlyWithTheSourceNodesOwnAddress() {
        ExpectSpec e = expect("bpf", "pod:node-2", "public", Protocol.UDP, Expectation.Source.NODE_IP);
        assertThat(judge(e, observed("bpf", pod1, "public", PUBLIC, Protocol.UDP, true, NODE_1),
                observed("bpf", pod2, "public", PUBLIC, Protocol.UDP, true, NODE_2)).passed()).isTrue();
        Verdict otherNode = judge(e, observed("bpf", pod2, "public", PUBLIC, Protocol.UDP, true, NODE_1));
        assertThat(otherNode.passed()).as(otherNode.message()).isFalse();
        assertThat(otherNode.message()).contains("expected node-ip " + NODE_2);
    }

    @Test
    void theNodeIpComesFromTheClustersFactsNotTheScenariosNumbering() {
        // A kubeconfig cluster: the scenario numbers nodes .11, .12; the real node-1 is at .99.
        facts = new ClusterFacts(List.of(new ClusterFacts.Node("node-1", Ipv4.parse("172.29.0.99"), Cidr.parse("10.44.0.0/24"), "eth0"),
                new ClusterFacts.Node("node-2", Ipv4.parse(NODE_2), Cidr.parse("10.44.1.0/24"), "eth0")));
        ExpectSpec e = expect("bpf", "pod", "public", Protocol.TCP, Expectation.Source.NODE_IP);
        assertThat(judge(e, observed("bpf", pod1, "public", PUBLIC, Protocol.TCP, true, "172.29.0.99")).passed()).isTrue();
        assertThat(judge(e, observed("bpf", pod1, "public", PUBLIC, Protocol.TCP, true, NODE_1)).passed()).isFalse();
    }

    @Test
    void anExplicitPodIpIsTheProbingPodsAddress() {
        ExpectSpec e = expect("bpf", "pod", "node:node-2", Protocol.TCP, Expectation.Source.POD_IP);
        assertThat(judge(e, observed("bpf", pod1, "node:node-2", NODE_2, Protocol.TCP, true, POD_1)).passed()).isTrue();
        Verdict masqueraded = judge(e, observed("bpf", pod1, "node:node-2", NODE_2, Protocol.TCP, true, NODE_1));
        assertThat(masqueraded.passed()).isFalse();
        assertThat(masqueraded.message()).contains("expected pod-ip " + POD_1).contains("observed arrived from " + NODE_1);
    }

    @Test
    void aPodTargetIsFoundByItsNameWhateverAddressThePodGot() {
        ExpectSpec e = expect("bpf", "pod", "pod:node-2", Protocol.TCP, Expectation.Source.POD_IP);
        Verdict v = judge(e, observed("bpf", pod1, "pod:node-2", POD_2, Protocol.TCP, true, POD_1));
        assertThat(v.passed()).as(v.message()).isTrue();
    }

    @Test
    void mixedSourcesAreNotTheExpectedSource() {
        ExpectSpec e = expect("bpf", "pod", "public", Protocol.TCP, Expectation.Source.NODE_IP);
        Verdict v = judge(e, observed("bpf", pod1, "public", PUBLIC, Protocol.TCP, true, NODE_1, POD_1));
        assertThat(v.passed()).isFalse();
        assertThat(v.message()).contains("arrived from " + NODE_1 + ", " + POD_1);
    }

    @Test
    void droppedMeansNothingArrivedAndNothingAnswered() {
        ExpectSpec e = expect("bpf", "pod", "public", Protocol.ICMP_ECHO, Expectation.Source.DROPPED);
        assertThat(judge(e, observed("bpf", pod1, "public", PUBLIC, Protocol.ICMP_ECHO, false)).passed()).isTrue();
        assertThat(judge(e, observed("bpf", pod1, "public", PUBLIC, Protocol.ICMP_ECHO, true, NODE_1)).passed()).isFalse();
    }

    @Test
    void onlyTheNamedProtocolsFlowIsJudged() {
        ExpectSpec e = expect("bpf", "pod", "public", Protocol.ICMP_ECHO, Expectation.Source.NODE_IP);
        Verdict v = judge(e, observed("bpf", pod1, "public", PUBLIC, Protocol.TCP, true, NODE_1),
                observed("bpf", pod1, "public", PUBLIC, Protocol.ICMP_ECHO, true, POD_1));
        assertThat(v.passed()).isFalse();
        assertThat(v.message()).contains("icmp-echo").contains("observed arrived from " + POD_1);
    }

    @Test
    void aFlowNobodyCouldObserveIsNotApplicableNeverPassed() {
        Cell cell = new Cell("bpf", pod1, "public", PUBLIC, Protocol.ICMP_ECHO);
        CellResult uncaptured = new CellResult(cell, Expectation.nodeIp(Ipv4.parse(NODE_1), "oracle"),
                new Observation(false, List.of(), "no capture point", 1), Verdict.notApplicable("nothing can capture at external"));
        Verdict v = judge(expect("bpf", "pod", "public", Protocol.ICMP_ECHO, Expectation.Source.NODE_IP), uncaptured);
        assertThat(v.applicable()).isFalse();
        assertThat(v.passed()).isFalse();
        assertThat(v.message()).contains("nothing can capture at external");
    }

    @Test
    void anExpectationNoProbedFlowMatchesFailsAndSaysWhatWasProbed() {
        Verdict v = judge(expect("bpf", "pod:node-2", "public", Protocol.TCP, Expectation.Source.NODE_IP),
                observed("bpf", pod1, "public", PUBLIC, Protocol.TCP, true, NODE_1));
        assertThat(v.applicable()).isTrue();
        assertThat(v.passed()).isFalse();
        assertThat(v.message()).contains("no probed flow matches").contains("node-1-pod-a -> public");
    }
}
