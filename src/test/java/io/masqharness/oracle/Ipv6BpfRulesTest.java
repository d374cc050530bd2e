package io.masqharness.oracle;

import static io.masqharness.oracle.Ipv6RulesTest.DUAL;
import static io.masqharness.oracle.Ipv6RulesTest.NODE_1_V6;
import static io.masqharness.oracle.Ipv6RulesTest.NODE_2_V6;
import static io.masqharness.oracle.Ipv6RulesTest.POD_ON_NODE_2_V6;
import static io.masqharness.oracle.Ipv6RulesTest.PUBLIC_V6;
import static io.masqharness.oracle.Ipv6RulesTest.ULA_V6;
import static io.masqharness.oracle.OracleFixtures.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.net.Ipv6;
import io.masqharness.oracle.Expectation.Source;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * BPF masquerading of IPv6 from Cilium 1.14 (PR #23165; bpf/lib/nat.h snat_v6_needs_masquerade and snat_v6_nat as
 * facts D1/D2 read them; the ip-masq-agent's IPv6 list from PR #23219). Expected addresses come from {@link Ipv6RulesTest#DUAL}.
 */
class Ipv6BpfRulesTest {

    private static final CiliumVersion V114 = CiliumVersion.parse("1.14.0");

    private static Map<String, Object> dualNative(Object... more) {
        Map<String, Object> v = values("ipv6.enabled", true, "routingMode", "native", "ipv4NativeRoutingCIDR", "10.42.0.0/16",
                "ipv6NativeRoutingCIDR", "fd00:42::/56", "autoDirectNodeRoutes", true, "kubeProxyReplacement", "true",
                "bpf.masquerade", true);
        v.putAll(values(more));
        return v;
    }

    private static AgentConfig agent(Map<String, Object> v, IpMasqAgentFile file) {
        return AgentConfigDeriver.derive(HelmValues.of(v), file, V114);
    }

    private static Expectation v6(AgentConfig a, String destination, Protocol protocol) {
        return MasqueradeOracle.expect(DUAL, a, Flow.fromPod("node-1", destination, protocol).withPodIp(Ipv6.parse("fd00:42::10")));
    }

    @Test
    void tcpUdpAndEchoToTheWorldLeaveWithTheNodesIpv6() {
        AgentConfig a = agent(dualNative(), new IpMasqAgentFile.Absent());
        for (Protocol p : List.of(Protocol.TCP, Protocol.UDP, Protocol.ICMP_ECHO)) {
            Expectation e = v6(a, PUBLIC_V6, p);
            assertThat(e.source()).isEqualTo(Source.NODE_IP);
            assertThat(e.sourceAddress()).contains(NODE_1_V6);
            assertThat(e.rules()).contains(VersionRule.IPV6_BPF_MASQUERADE);
        }
        assertThat(v6(a, PUBLIC_V6, Protocol.ICMP_ECHO).reason()).contains("ICMPv6 echo request is translated");
    }

    @Test
    void theExclusionCidrTheRemoteNodeIdentityAndTheTunnelAreNotMasqueraded() {
        AgentConfig a = agent(dualNative(), new IpMasqAgentFile.Absent());
        assertThat(v6(a, POD_ON_NODE_2_V6, Protocol.TCP).reason()).contains("exclusion CIDR fd00:42::/56");
        assertThat(v6(a, NODE_2_V6, Protocol.TCP).source()).as("remote-node identity in native routing").isEqualTo(Source.POD_IP);
        AgentConfig vxlan = agent(values("ipv6.enabled", true, "routingMode", "tunnel", "kubeProxyReplacement", "true",
                "bpf.masquerade", true), new IpMasqAgentFile.Absent());
        assertThat(v6(vxlan, POD_ON_NODE_2_V6, Protocol.TCP).reason()).contains("no SNAT in bpf_overlay");
        Expectation toNode = v6(vxlan, NODE_2_V6, Protocol.TCP);
        assertThat(toNode.source()).as("a node's IPv6 has no tunnel endpoint: it leaves by the device and is SNATed")
                .isEqualTo(Source.NODE_IP);
        assertThat(toNode.sourceAddress()).contains(NODE_1_V6);
    }

    @Test
    void theIpMasqAgentsIpv6ListKeepsThePodAddress() {
        IpMasqAgentFile file = IpMasqAgentFile.of(List.of("fd77::/16"), false, false);
        AgentConfig a = agent(dualNative("ipMasqAgent.enabled", true), file);
        Expectation ula = v6(a, ULA_V6, Protocol.UDP);
        assertThat(ula.source()).isEqualTo(Source.POD_IP);
        assertThat(ula.reason()).contains("fd77::/16");
        assertThat(ula.rules()).contains(VersionRule.IPV6_IP_MASQ_AGENT, VersionRule.IPV6_BPF_MASQUERADE);
        assertThat(v6(a, PUBLIC_V6, Protocol.UDP).source()).isEqualTo(Source.NODE_IP);
    }

    @Test
    void withIpv6MasqueradingOffTheIpv6PodAddressLeavesAsIs() {
        AgentConfig a = agent(dualNative("enableIPv6Masquerade", false), new IpMasqAgentFile.Absent());
        assertThat(a.modeV6()).isEqualTo(MasqueradeMode.DISABLED);
        Expectation e = v6(a, PUBLIC_V6, Protocol.TCP);
        assertThat(e.source()).isEqualTo(Source.POD_IP);
        assertThat(e.reason()).contains("ENABLE_MASQUERADE_IPV6 is not set").doesNotContain("Cilium 1.13");
    }

    @Test
    void sctpIsTranslatedOnlyWhenEnabled() {
        assertThat(v6(agent(dualNative(), new IpMasqAgentFile.Absent()), PUBLIC_V6, Protocol.SCTP).source()).isEqualTo(Source.POD_IP);
        assertThat(v6(agent(dualNative("sctp.enabled", true), new IpMasqAgentFile.Absent()), PUBLIC_V6, Protocol.SCTP).sourceAddress())
                .isEqualTo(Optional.of(NODE_1_V6));
    }
}
