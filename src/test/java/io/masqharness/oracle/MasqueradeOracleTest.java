package io.masqharness.oracle;

import static io.masqharness.oracle.OracleFixtures.CGNAT;
import static io.masqharness.oracle.OracleFixtures.CLUSTER;
import static io.masqharness.oracle.OracleFixtures.LINK_LOCAL;
import static io.masqharness.oracle.OracleFixtures.NODE_2;
import static io.masqharness.oracle.OracleFixtures.POD_ON_NODE_1;
import static io.masqharness.oracle.OracleFixtures.POD_ON_NODE_2;
import static io.masqharness.oracle.OracleFixtures.PUBLIC;
import static io.masqharness.oracle.OracleFixtures.RFC1918;
import static io.masqharness.oracle.OracleFixtures.agent;
import static io.masqharness.oracle.OracleFixtures.fromPod;
import static io.masqharness.oracle.OracleFixtures.nativeKpr;
import static io.masqharness.oracle.OracleFixtures.values;
import static io.masqharness.oracle.OracleFixtures.vxlanKpr;
import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.net.Cidr;
import io.masqharness.net.Ipv4;
import io.masqharness.oracle.Expectation.Source;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MasqueradeOracleTest {

    private static final AgentConfig IPTABLES_NATIVE = agent(nativeKpr("bpf.masquerade", false));
    private static final AgentConfig BPF_NATIVE = agent(nativeKpr("bpf.masquerade", true));
    private static final AgentConfig IPTABLES_VXLAN = agent(vxlanKpr());
    private static final AgentConfig BPF_VXLAN = agent(vxlanKpr("bpf.masquerade", true));

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp", "icmp-echo"})
    void podToPublicLeavesWithTheNodeIpInBothModes(String protocol) {
        for (AgentConfig a : List.of(IPTABLES_NATIVE, BPF_NATIVE, IPTABLES_VXLAN, BPF_VXLAN)) {
            Expectation e = fromPod(a, PUBLIC, Protocol.parse(protocol));
            assertThat(e.source()).isEqualTo(Source.NODE_IP);
            assertThat(e.sourceAddress()).contains(Ipv4.parse("172.28.0.11"));
        }
    }

    @Test
    void nativeRoutingCidrIsTheExclusionCidr() {
        AgentConfig a = agent(nativeKpr("ipv4NativeRoutingCIDR", "10.0.0.0/8", "bpf.masquerade", true));
        Expectation e = fromPod(a, "10.99.0.1", Protocol.TCP);
        assertThat(e.source()).isEqualTo(Source.POD_IP);
        assertThat(e.reason()).contains("SNAT exclusion CIDR 10.0.0.0/8").contains("ipv4NativeRoutingCIDR");
        assertThat(fromPod(agent(nativeKpr("ipv4NativeRoutingCIDR", "10.0.0.0/8")), "10.99.0.1", Protocol.UDP).source())
                .isEqualTo(Source.POD_IP);
    }

    @Test
    void withoutNativeRoutingCidrTheNodesPodCidrIsTheExclusion() {
        Expectation e = fromPod(IPTABLES_VXLAN, POD_ON_NODE_1, Protocol.TCP);
        assertThat(e.source()).isEqualTo(Source.POD_IP);
        // Another address of the cluster-wide pod range that no node owns is masqueraded: only the node's pod CIDR is excluded.
        Expectation unowned = fromPod(IPTABLES_VXLAN, "10.42.200.1", Protocol.TCP);
        assertThat(unowned.source()).isEqualTo(Source.NODE_IP);
        assertThat(unowned.reason()).contains("outside 10.42.0.0/24");
    }

    @Test
    void tunnelledPodToRemotePodIsNotMasqueradedInEitherMode() {
        Expectation ipt = fromPod(IPTABLES_VXLAN, POD_ON_NODE_2, Protocol.TCP);
        assertThat(ipt.source()).isEqualTo(Source.POD_IP);
        assertThat(ipt.reason()).contains("cilium_vxlan").contains("! -o cilium_+");
        Expectation bpf = fromPod(BPF_VXLAN, POD_ON_NODE_2, Protocol.UDP);
        assertThat(bpf.source()).isEqualTo(Source.POD_IP);
        assertThat(bpf.reason()).contains("bpf_overlay");
    }

    @Test
    void geneveNamesItsOwnDevice() {
        Expectation e = fromPod(agent(values("tunnel", "geneve")), POD_ON_NODE_2, Protocol.TCP);
        assertThat(e.reason()).contains("cilium_geneve");
    }

    @Test
    void nativeRoutingIptablesExcludesNodeIpsThroughTheIpset() {
        Expectation e = fromPod(IPTABLES_NATIVE, NODE_2, Protocol.TCP);
        assertThat(e.source()).isEqualTo(Source.POD_IP);
        assertThat(e.reason()).contains("cilium_node_set_v4");
    }

    @Test
    void nativeRoutingBpfExcludesRemoteNodeIdentity() {
        Expectation e = fromPod(BPF_NATIVE, NODE_2, Protocol.ICMP_ECHO);
        assertThat(e.source()).isEqualTo(Source.POD_IP);
        assertThat(e.reason()).contains("remote-node identity");
    }

    @Test
    void vxlanMasqueradesTrafficToRemoteNodeIpsInBothModes() {
        for (AgentConfig a : List.of(IPTABLES_VXLAN, BPF_VXLAN)) {
            Expectation e = fromPod(a, NODE_2, Protocol.TCP);
            assertThat(e.source()).isEqualTo(Source.NODE_IP);
            assertThat(e.reason()).contains("no tunnel endpoint");
        }
    }

    @Test
    void ownNodeAndLocalPodsAreNeverMasqueraded() {
        assertThat(fromPod(IPTABLES_VXLAN, "172.28.0.11", Protocol.TCP).source()).isEqualTo(Source.POD_IP);
        assertThat(fromPod(BPF_NATIVE, POD_ON_NODE_1, Protocol.TCP).source()).isEqualTo(Source.POD_IP);
    }

    @ParameterizedTest
    @ValueSource(strings = {"icmp-3", "icmp-11", "icmp-timestamp", "icmp-13"})
    void bpfDropsIcmpOtherThanEchoThatNeedsSnat(String protocol) {
        Expectation e = fromPod(BPF_NATIVE, PUBLIC, Protocol.parse(protocol));
        assertThat(e.source()).isEqualTo(Source.DROPPED);
        assertThat(e.reason()).contains("DROP_NAT_UNSUPP_PROTO");
        assertThat(fromPod(IPTABLES_NATIVE, PUBLIC, Protocol.parse(protocol)).source()).isEqualTo(Source.NODE_IP);
    }

    @Test
    void bpfTranslatesEchoReplyToo() {
        assertThat(fromPod(BPF_NATIVE, PUBLIC, Protocol.parse("icmp-echo-reply")).source()).isEqualTo(Source.NODE_IP);
    }

    @Test
    void nonEchoIcmpToANonMasqueradedDestinationPassesUntouched() {
        assertThat(fromPod(BPF_NATIVE, NODE_2, Protocol.parse("icmp-3")).source()).isEqualTo(Source.POD_IP);
    }

    @Test
    void bpfPassesSctpUntranslatedUnlessEnabled() {
        assertThat(fromPod(BPF_NATIVE, PUBLIC, Protocol.SCTP).source()).isEqualTo(Source.POD_IP);
        assertThat(fromPod(agent(nativeKpr("bpf.masquerade", true, "sctp.enabled", true)), PUBLIC, Protocol.SCTP).source())
                .isEqualTo(Source.NODE_IP);
    }

    @Test
    void ipMasqAgentDefaultsApplyWhenTheFileIsMissingOrEmpty() {
        for (IpMasqAgentFile file : List.<IpMasqAgentFile>of(new IpMasqAgentFile.Absent(), new IpMasqAgentFile.Empty())) {
            AgentConfig a = agent(nativeKpr("bpf.masquerade", true, "ipMasqAgent.enabled", true), file);
            Expectation e = fromPod(a, CGNAT, Protocol.TCP);
            assertThat(e.source()).isEqualTo(Source.POD_IP);
            assertThat(e.reason()).contains("100.64.0.0/10").contains("default list");
            assertThat(fromPod(a, RFC1918, Protocol.UDP).source()).isEqualTo(Source.POD_IP);
            assertThat(fromPod(a, PUBLIC, Protocol.UDP).source()).isEqualTo(Source.NODE_IP);
        }
    }

    @Test
    void anEmptyButPresentConfigGetsNoDefaults() {
        AgentConfig a = agent(nativeKpr("bpf.masquerade", true, "ipMasqAgent.enabled", true),
                new IpMasqAgentFile.Present(List.of(), false));
        assertThat(a.ipMasqAgentCidrs()).containsExactly(Cidr.parse("169.254.0.0/16"));
        assertThat(fromPod(a, RFC1918, Protocol.TCP).source()).isEqualTo(Source.NODE_IP);
        assertThat(fromPod(a, CGNAT, Protocol.TCP).source()).isEqualTo(Source.NODE_IP);
    }

    @Test
    void configuredCidrsReplaceTheDefaults() {
        AgentConfig a = agent(nativeKpr("bpf.masquerade", true, "ipMasqAgent.enabled", true),
                new IpMasqAgentFile.Present(List.of(Cidr.parse("192.168.0.0/16")), false));
        Expectation e = fromPod(a, RFC1918, Protocol.ICMP_ECHO);
        assertThat(e.source()).isEqualTo(Source.POD_IP);
        assertThat(e.reason()).contains("192.168.0.0/16").contains("nonMasqueradeCIDRs in the config");
        assertThat(fromPod(a, CGNAT, Protocol.TCP).source()).isEqualTo(Source.NODE_IP);
    }

    @Test
    void linkLocalIsExcludedUnlessMasqLinkLocal() {
        AgentConfig keep = agent(nativeKpr("bpf.masquerade", true, "ipMasqAgent.enabled", true),
                new IpMasqAgentFile.Present(List.of(Cidr.parse("10.0.0.0/8")), false));
        Expectation e = fromPod(keep, LINK_LOCAL, Protocol.TCP);
        assertThat(e.source()).isEqualTo(Source.POD_IP);
        assertThat(e.reason()).contains("169.254.0.0/16").contains("masqLinkLocal is false");
        AgentConfig masq = agent(nativeKpr("bpf.masquerade", true, "ipMasqAgent.enabled", true),
                new IpMasqAgentFile.Present(List.of(Cidr.parse("10.0.0.0/8")), true));
        assertThat(fromPod(masq, LINK_LOCAL, Protocol.TCP).source()).isEqualTo(Source.NODE_IP);
    }

    @Test
    void linkLocalIsMasqueradedWithoutTheAgent() {
        assertThat(fromPod(BPF_NATIVE, LINK_LOCAL, Protocol.TCP).source()).isEqualTo(Source.NODE_IP);
        assertThat(fromPod(IPTABLES_NATIVE, LINK_LOCAL, Protocol.TCP).source()).isEqualTo(Source.NODE_IP);
    }

    @Test
    void ipMasqAgentCanExemptRemoteNodeIpsUnderVxlan() {
        AgentConfig a = agent(vxlanKpr("bpf.masquerade", true, "ipMasqAgent.enabled", true));
        Expectation e = fromPod(a, NODE_2, Protocol.TCP);
        assertThat(e.source()).isEqualTo(Source.POD_IP);
        assertThat(e.reason()).contains("172.16.0.0/12");
    }

    @Test
    void fallbackIsExplainedInTheReason() {
        AgentConfig a = agent(values("tunnel", "disabled", "ipv4NativeRoutingCIDR", "10.42.0.0/16", "bpf.masquerade", true));
        Expectation e = fromPod(a, PUBLIC, Protocol.parse("icmp-3"));
        assertThat(e.source()).isEqualTo(Source.NODE_IP);
        assertThat(e.reason()).contains("fell back");
    }

    @Test
    void iptablesEgressInterfacesLimitWhatIsMasqueraded() {
        AgentConfig other = agent(nativeKpr("egressMasqueradeInterfaces", "ens+"));
        assertThat(fromPod(other, PUBLIC, Protocol.TCP).source()).isEqualTo(Source.POD_IP);
        AgentConfig eth = agent(nativeKpr("egressMasqueradeInterfaces", "eth+"));
        assertThat(fromPod(eth, PUBLIC, Protocol.TCP).source()).isEqualTo(Source.NODE_IP);
    }

    @Test
    void masqueradingDisabledKeepsPodIps() {
        AgentConfig a = agent(values("enableIPv4Masquerade", false));
        Expectation e = fromPod(a, PUBLIC, Protocol.TCP);
        assertThat(e.source()).isEqualTo(Source.POD_IP);
        assertThat(e.reason()).contains("enableIPv4Masquerade=false");
    }

    /** IPv6 rules are in Ipv6RulesTest (a dual-stack cluster); here: an IPv4-only install sends no IPv6 at all. */
    @Test
    void anIpv4OnlyInstallSendsNoIpv6() {
        assertThat(fromPod(IPTABLES_NATIVE, "2001:db8::1", Protocol.TCP).source()).isEqualTo(Source.DROPPED);
        assertThat(fromPod(BPF_NATIVE, "2001:db8::1", Protocol.TCP).reason()).contains("ipv6.enabled=false");
    }

    @Test
    void hostNetworkTrafficKeepsTheNodeIp() {
        Expectation e = MasqueradeOracle.expect(CLUSTER, BPF_NATIVE, Flow.fromNode("node-1", PUBLIC, Protocol.TCP));
        assertThat(e.source()).isEqualTo(Source.NODE_IP);
        Expectation tunnel = MasqueradeOracle.expect(CLUSTER, IPTABLES_VXLAN, Flow.fromNode("node-1", POD_ON_NODE_2, Protocol.TCP));
        assertThat(tunnel.source()).isEqualTo(Source.ROUTER_IP);
    }

    @Test
    void aKnownPodIpIsReportedAsTheSource() {
        Flow flow = Flow.fromPod("node-1", NODE_2, Protocol.TCP).withPodIp(Ipv4.parse("10.42.0.10"));
        Expectation e = MasqueradeOracle.expect(CLUSTER, BPF_NATIVE, flow);
        assertThat(e).hasToString("pod-ip(10.42.0.10)");
    }
}
