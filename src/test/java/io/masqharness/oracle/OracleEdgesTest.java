package io.masqharness.oracle;

import static io.masqharness.oracle.OracleFixtures.CLUSTER;
import static io.masqharness.oracle.OracleFixtures.NODE_2;
import static io.masqharness.oracle.OracleFixtures.POD_ON_NODE_1;
import static io.masqharness.oracle.OracleFixtures.POD_ON_NODE_2;
import static io.masqharness.oracle.OracleFixtures.PUBLIC;
import static io.masqharness.oracle.OracleFixtures.agent;
import static io.masqharness.oracle.OracleFixtures.fromPod;
import static io.masqharness.oracle.OracleFixtures.nativeKpr;
import static io.masqharness.oracle.OracleFixtures.values;
import static io.masqharness.oracle.OracleFixtures.vxlanKpr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.masqharness.net.Cidr;
import io.masqharness.net.Ipv4;
import io.masqharness.oracle.Expectation.Source;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Rules of the oracle at their edges: each side of each condition, with the reason a person reads. */
class OracleEdgesTest {

    static final String NODE_1 = "172.28.0.11";
    static final AgentConfig IPTABLES_NATIVE = agent(nativeKpr("bpf.masquerade", false));
    static final AgentConfig BPF_NATIVE = agent(nativeKpr("bpf.masquerade", true));
    static final AgentConfig IPTABLES_VXLAN = agent(vxlanKpr());
    static final AgentConfig BPF_VXLAN = agent(vxlanKpr("bpf.masquerade", true));

    static Expectation fromHost(AgentConfig agent, String destination) {
        return MasqueradeOracle.expect(CLUSTER, agent, Flow.fromNode("node-1", destination, Protocol.TCP));
    }

    @Test
    void hostTrafficToItsOwnPodsCarriesTheRouterAddressInEveryRoutingMode() {
        for (AgentConfig a : List.of(IPTABLES_NATIVE, BPF_NATIVE, IPTABLES_VXLAN, BPF_VXLAN)) {
            Expectation e = fromHost(a, POD_ON_NODE_1);
            assertThat(e.source()).isEqualTo(Source.ROUTER_IP);
            assertThat(e.reason()).contains("pod " + POD_ON_NODE_1).contains("cilium_host");
        }
    }

    @Test
    void hostTrafficToAnotherNodesPodIsRoutedOnlyWhenTunnelling() {
        assertThat(fromHost(IPTABLES_VXLAN, POD_ON_NODE_2).source()).isEqualTo(Source.ROUTER_IP);
        Expectation natively = fromHost(IPTABLES_NATIVE, POD_ON_NODE_2);
        assertThat(natively.source()).isEqualTo(Source.NODE_IP);
        assertThat(natively.sourceAddress()).contains(Ipv4.parse(NODE_1));
        assertThat(natively.reason()).contains("host-network traffic already carries the node's address");
        assertThat(fromHost(BPF_NATIVE, PUBLIC)).hasToString("node-ip(172.28.0.11)");
    }

    @Test
    void aPodToItsOwnNodeIsNeverMasqueradedEvenWhereOtherNodesAre() {
        Expectation own = fromPod(IPTABLES_VXLAN, NODE_1, Protocol.TCP);
        assertThat(own.source()).isEqualTo(Source.POD_IP);
        assertThat(own.reason()).contains("the pod's own node");
        assertThat(fromPod(IPTABLES_VXLAN, NODE_2, Protocol.TCP).source()).as("a remote node under vxlan").isEqualTo(Source.NODE_IP);
        assertThat(fromPod(BPF_VXLAN, NODE_1, Protocol.UDP).source()).isEqualTo(Source.POD_IP);
    }

    @Test
    void bpfSkipsRemoteNodesOnlyInNativeRouting() {
        Expectation nativeNode = fromPod(BPF_NATIVE, NODE_2, Protocol.TCP);
        assertThat(nativeNode.source()).isEqualTo(Source.POD_IP);
        assertThat(nativeNode.reason()).contains("remote-node identity");
        Expectation tunnelNode = fromPod(BPF_VXLAN, NODE_2, Protocol.TCP);
        assertThat(tunnelNode.source()).isEqualTo(Source.NODE_IP);
        assertThat(tunnelNode.reason()).contains("destination " + NODE_2 + " is node node-2").contains("leaves through eth0");
        Expectation iptablesNative = fromPod(IPTABLES_NATIVE, NODE_2, Protocol.TCP);
        assertThat(iptablesNative.source()).isEqualTo(Source.POD_IP);
        assertThat(iptablesNative.reason()).contains("cilium_node_set_v4");
        Expectation iptablesTunnel = fromPod(IPTABLES_VXLAN, NODE_2, Protocol.TCP);
        assertThat(iptablesTunnel.reason()).contains("node node-2's IP has no tunnel endpoint");
    }

    @Test
    void egressInterfacesMatchExactNamesPrefixesAndLists() {
        assertThat(MasqueradeOracle.matchesInterfaces("eth0", "eth0")).isTrue();
        assertThat(MasqueradeOracle.matchesInterfaces("eth", "eth0")).as("no + means the exact name").isFalse();
        assertThat(MasqueradeOracle.matchesInterfaces("eth+", "eth0")).isTrue();
        assertThat(MasqueradeOracle.matchesInterfaces("ens+", "eth0")).isFalse();
        assertThat(MasqueradeOracle.matchesInterfaces("ens5, eth0", "eth0")).isTrue();
        assertThat(MasqueradeOracle.matchesInterfaces("ens5 eth1", "eth0")).isFalse();
        Expectation matching = fromPod(agent(nativeKpr("egressMasqueradeInterfaces", "eth0")), PUBLIC, Protocol.TCP);
        assertThat(matching.source()).isEqualTo(Source.NODE_IP);
        assertThat(matching.reason()).contains("leaving through eth0");
        Expectation other = fromPod(agent(nativeKpr("egressMasqueradeInterfaces", "ens5")), PUBLIC, Protocol.TCP);
        assertThat(other.reason()).contains("egressMasqueradeInterfaces=ens5; this flow leaves through eth0");
    }

    /**
     * An IPv6 flow on a cluster whose nodes have no IPv6 is a question the oracle refuses rather
     * than guesses: with ipv6.enabled=true Kubernetes IPAM needs an IPv6 pod CIDR on every node
     * (pkg/k8s/init.go retrieveNodeInformation, "required IPv6 PodCIDR not available").
     */
    @Test
    void ipv6OnAnIpv4OnlyClusterIsRefusedNotGuessed() {
        AgentConfig v6 = agent(vxlanKpr("ipv6.enabled", true));
        assertThatThrownBy(() -> MasqueradeOracle.expect(CLUSTER, v6, Flow.fromPod("node-1", "2001:db8::1", Protocol.TCP)))
                .isInstanceOf(OracleException.class).hasMessageContaining("node-1 has no IPv6 pod CIDR");
        Expectation off = MasqueradeOracle.expect(CLUSTER, IPTABLES_NATIVE, Flow.fromPod("node-1", "2001:db8::1", Protocol.TCP));
        assertThat(off.source()).isEqualTo(Source.DROPPED);
    }

    @Test
    void theFallbackSaysWhichKubeProxyReplacementSettingIsMissing() {
        assertThat(agent(nativeKpr("bpf.masquerade", true, "kubeProxyReplacement", "partial")).fallback())
                .hasValueSatisfying(f -> assertThat(f).contains("kubeProxyReplacement=partial without nodePort.enabled=true"));
        assertThat(agent(nativeKpr("bpf.masquerade", true, "kubeProxyReplacement", "disabled")).fallback())
                .hasValueSatisfying(f -> assertThat(f).contains("kubeProxyReplacement=disabled (needs strict, or partial"));
    }

    @Test
    void icmpTypesParseUpTo255AndPrintBack() {
        assertThat(Protocol.parse("icmp-255")).isEqualTo(new Protocol(Protocol.Kind.ICMP, 255));
        assertThat(Protocol.parse("icmp-0")).hasToString("icmp-0");
        assertThat(Protocol.parse("icmp-echo-reply")).hasToString("icmp-0");
        assertThat(Protocol.parse("icmp-8")).isEqualTo(Protocol.ICMP_ECHO).hasToString("icmp-echo");
        assertThat(Protocol.parse(" TCP ")).isEqualTo(Protocol.TCP).hasToString("tcp");
        assertThat(Protocol.parse("sctp")).hasToString("sctp");
        for (String bad : List.of("icmp-256", "icmp-1000", "icmp-", "icmp-x", "gre")) {
            assertThatThrownBy(() -> Protocol.parse(bad)).hasMessageStartingWith("unknown protocol '" + bad + "'");
        }
        assertThatThrownBy(() -> Protocol.parse(null)).hasMessageStartingWith("unknown protocol 'null'");
    }

    @Test
    void helmValuesReadAsSetWritesThem() {
        HelmValues v = HelmValues.of(Map.of("a", true, "b", "false", "c", " TRUE ", "d", "maybe", "l", List.of("x"), "s", " text "));
        assertThat(v.asMap()).hasSize(6).containsEntry("a", true);
        assertThat(v.get("a")).contains(true);
        assertThat(v.get("none")).isEmpty();
        assertThat(v.bool("a", false)).isTrue();
        assertThat(v.bool("b", true)).isFalse();
        assertThat(v.bool("c", false)).isTrue();
        assertThat(v.bool("none", true)).isTrue();
        assertThat(v.bool("none", false)).isFalse();
        assertThatThrownBy(() -> v.bool("d", false)).hasMessage("Helm value d=maybe is not a boolean (true or false)");
        assertThat(v.list("l")).contains(List.of("x"));
        assertThat(v.list("s")).isEmpty();
        assertThat(v.string("s", "?")).isEqualTo("text");
        assertThat(v.with(Map.of("a", false)).bool("a", true)).isFalse();
        assertThat(HelmValues.of(Map.of("k", 1))).hasToString("{k=1}");
    }

    @Test
    void ipMasqAgentFilesSayWhereEachCidrComesFrom() {
        Cidr ten = Cidr.parse("10.0.0.0/8");
        IpMasqAgentFile withLinkLocal = new IpMasqAgentFile.Present(List.of(IpMasqAgentFile.LINK_LOCAL), true);
        assertThat(withLinkLocal.origin(IpMasqAgentFile.LINK_LOCAL)).isEqualTo("from nonMasqueradeCIDRs in the config");
        assertThat(new IpMasqAgentFile.Present(List.of(ten), false).origin(IpMasqAgentFile.LINK_LOCAL))
                .isEqualTo("added because masqLinkLocal is false");
        assertThat(new IpMasqAgentFile.Present(List.of(ten), false).origin(ten)).isEqualTo("from nonMasqueradeCIDRs in the config");
        assertThat(new IpMasqAgentFile.Empty().origin(ten)).isEqualTo("from the default list (config file is empty)");
        assertThat(new IpMasqAgentFile.Absent().origin(ten)).isEqualTo("from the default list (no config file)");
        assertThat(new IpMasqAgentFile.Present(List.of(ten), true).describe())
                .isEqualTo("config nonMasqueradeCIDRs=[10.0.0.0/8], masqLinkLocal=true");
        assertThat(new IpMasqAgentFile.Empty().describe()).isEqualTo("empty config file (defaults apply)");
        assertThat(new IpMasqAgentFile.Absent().describe()).isEqualTo("no config file (defaults apply)");
    }

    @Test
    void unknownNodesAndFlowsAreNamedInFull() {
        assertThatThrownBy(() -> CLUSTER.node("node-9")).hasMessage("no node named 'node-9' (nodes: [node-1, node-2])");
        assertThatThrownBy(() -> new ClusterFacts(List.of())).hasMessage("a cluster needs at least one node");
        assertThat(Flow.fromPod("node-1", PUBLIC, Protocol.UDP)).hasToString("pod:node-1 -> 198.20.0.10 udp");
        assertThat(Flow.fromNode("node-2", POD_ON_NODE_1, Protocol.ICMP_ECHO)).hasToString("node:node-2 -> 10.42.0.20 icmp-echo");
        assertThat(CLUSTER.nodeWithIp(Ipv4.parse(NODE_2))).map(ClusterFacts.Node::name).contains("node-2");
        assertThat(CLUSTER.nodeWithPod(Ipv4.parse(PUBLIC))).isEqualTo(Optional.empty());
        assertThat(values("x", 1)).containsEntry("x", 1);
    }

    @Test
    void theReasonNamesTheNativeRoutingCidrAndTheAgentsCidrs() {
        assertThat(fromPod(BPF_NATIVE, "10.42.5.1", Protocol.TCP).reason()).contains("SNAT exclusion CIDR 10.42.0.0/16 (ipv4NativeRoutingCIDR)")
                .contains("never masqueraded in bpf mode");
        AgentConfig withAgent = agent(nativeKpr("bpf.masquerade", true, "ipMasqAgent.enabled", true),
                new IpMasqAgentFile.Present(List.of(Cidr.parse("10.0.0.0/8")), false));
        assertThat(fromPod(withAgent, PUBLIC, Protocol.TCP).reason()).contains("is outside the exclusion CIDR and every ip-masq-agent CIDR");
        assertThat(fromPod(BPF_NATIVE, PUBLIC, Protocol.TCP).reason()).contains("is outside the exclusion CIDR;")
                .doesNotContain("ip-masq-agent");
    }
}
