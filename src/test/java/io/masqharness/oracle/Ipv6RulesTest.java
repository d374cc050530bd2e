package io.masqharness.oracle;

import static io.masqharness.oracle.OracleFixtures.agent;
import static io.masqharness.oracle.OracleFixtures.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.masqharness.net.Cidr;
import io.masqharness.net.Cidr6;
import io.masqharness.net.Family;
import io.masqharness.net.Ipv4;
import io.masqharness.net.Ipv6;
import io.masqharness.oracle.Expectation.Source;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cilium 1.13's IPv6 masquerading, one test per rule. Line numbers are at tag v1.13.4 (read in the
 * cybozu-go/cilium mirror of cilium/cilium); expected addresses come from the cluster below, never
 * from the oracle.
 */
class Ipv6RulesTest {

    /** Two dual-stack nodes as K3s hands them out from --cluster-cidr=10.42.0.0/16,fd00:42::/56 (a /64 each). */
    static final ClusterFacts DUAL = new ClusterFacts(List.of(
            new ClusterFacts.Node("node-1", Ipv4.parse("172.28.0.11"), Cidr.parse("10.42.0.0/24"), "eth0",
                    Optional.of(Ipv6.parse("fd00:28::11")), Optional.of(Cidr6.parse("fd00:42::/64"))),
            new ClusterFacts.Node("node-2", Ipv4.parse("172.28.0.12"), Cidr.parse("10.42.1.0/24"), "eth0",
                    Optional.of(Ipv6.parse("fd00:28::12")), Optional.of(Cidr6.parse("fd00:42:0:1::/64")))));

    static final Ipv6 NODE_1_V6 = Ipv6.parse("fd00:28::11");
    static final String PUBLIC_V6 = "2001:db8:20::10";
    static final String ULA_V6 = "fd77::10";
    static final String NODE_2_V6 = "fd00:28::12";
    static final String POD_ON_NODE_2_V6 = "fd00:42:0:1::10";

    /** Dual-stack, vxlan (the chart's default routing), kube-proxy replacement. */
    static Map<String, Object> dualVxlan(Object... more) {
        Map<String, Object> v = values("ipv6.enabled", true, "tunnel", "vxlan", "kubeProxyReplacement", "strict");
        v.putAll(values(more));
        return v;
    }

    /** Dual-stack, native routing with both families' native-routing CIDRs. */
    static Map<String, Object> dualNative(Object... more) {
        Map<String, Object> v = values("ipv6.enabled", true, "tunnel", "disabled", "ipv4NativeRoutingCIDR", "10.42.0.0/16",
                "ipv6NativeRoutingCIDR", "fd00:42::/56", "autoDirectNodeRoutes", true, "kubeProxyReplacement", "strict");
        v.putAll(values(more));
        return v;
    }

    static Expectation v6(AgentConfig a, String destination, Protocol protocol) {
        return MasqueradeOracle.expect(DUAL, a, Flow.fromPod("node-1", destination, protocol).withPodIp(Ipv6.parse("fd00:42::10")));
    }

    /** pkg/datapath/iptables/iptables.go:1443-1456: installMasqueradeRules with ip6tables when IptablesMasqueradingIPv6Enabled. */
    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp", "icmp-echo"})
    void iptablesModeMasqueradesPodIpv6ToTheNodesIpv6(String protocol) {
        for (AgentConfig a : List.of(agent(dualVxlan()), agent(dualNative()))) {
            Expectation e = v6(a, PUBLIC_V6, Protocol.parse(protocol));
            assertThat(e.source()).isEqualTo(Source.NODE_IP);
            assertThat(e.sourceAddress()).contains(NODE_1_V6);
            assertThat(e.reason()).contains("cilium masquerade non-cluster");
        }
    }

    /** pkg/option/config.go:2501-2503: IptablesMasqueradingIPv6Enabled = !EnableBPFMasquerade && EnableIPv6Masquerade. */
    @Test
    void iptablesModeWithIpv6MasqueradeOffLeavesThePodsIpv6AndStillMasqueradesIpv4() {
        AgentConfig a = agent(dualVxlan("enableIPv6Masquerade", false));
        Expectation e = v6(a, PUBLIC_V6, Protocol.TCP);
        assertThat(e.source()).isEqualTo(Source.POD_IP);
        assertThat(e.sourceAddress()).contains(Ipv6.parse("fd00:42::10"));
        assertThat(e.reason()).contains("enableIPv6Masquerade=false");
        Expectation v4 = MasqueradeOracle.expect(DUAL, a, Flow.fromPod("node-1", "198.20.0.10", Protocol.TCP));
        assertThat(v4.source()).isEqualTo(Source.NODE_IP);
        assertThat(v4.sourceAddress()).contains(Ipv4.parse("172.28.0.11"));
    }

    /** pkg/datapath/config.go:134-137: the exclusion is ipv6-native-routing-cidr when set. */
    @Test
    void ipv6NativeRoutingCidrIsTheExclusion() {
        AgentConfig a = agent(dualNative("ipv6NativeRoutingCIDR", "fd00::/16"));
        Expectation inside = v6(a, ULA_V6.replace("fd77", "fd00:77"), Protocol.UDP);
        assertThat(inside.source()).isEqualTo(Source.POD_IP);
        assertThat(inside.reason()).contains("fd00::/16").contains("ipv6NativeRoutingCIDR");
        assertThat(v6(a, ULA_V6, Protocol.UDP).source()).as("fd77::10 is outside fd00::/16").isEqualTo(Source.NODE_IP);
    }

    /** pkg/datapath/config.go:139: without it, the node's own IPv6 pod CIDR (GetIPv6AllocRange). */
    @Test
    void withoutIpv6NativeRoutingCidrTheNodesIpv6PodCidrIsTheExclusion() {
        AgentConfig a = agent(dualVxlan());
        Expectation unowned = v6(a, "fd00:42:0:ff::1", Protocol.TCP);
        assertThat(unowned.source()).as("in the cluster range but on no node: only the node's /64 is excluded").isEqualTo(Source.NODE_IP);
        assertThat(unowned.reason()).contains("outside fd00:42::/64");
        assertThat(v6(a, "fd00:42::20", Protocol.TCP).source()).as("a pod beside it").isEqualTo(Source.POD_IP);
    }

    /** pkg/node/manager/manager.go:419-420 fills cilium_node_set_v6 when NodeIpsetNeeded (config.go:2513-2515: native routing). */
    @Test
    void nativeRoutingDoesNotMasqueradeToOtherNodesIpv6() {
        Expectation e = v6(agent(dualNative()), NODE_2_V6, Protocol.TCP);
        assertThat(e.source()).isEqualTo(Source.POD_IP);
        assertThat(e.reason()).contains("cilium_node_set_v6");
    }

    /** The ipset rule is native routing only (iptables.go installMasqueradeRules, NodeIpsetNeeded): in vxlan node IPs are masqueraded. */
    @Test
    void tunnellingMasqueradesToOtherNodesIpv6ButNotToTheirPods() {
        AgentConfig a = agent(dualVxlan());
        Expectation node = v6(a, NODE_2_V6, Protocol.TCP);
        assertThat(node.source()).isEqualTo(Source.NODE_IP);
        assertThat(node.sourceAddress()).contains(NODE_1_V6);
        Expectation pod = v6(a, POD_ON_NODE_2_V6, Protocol.TCP);
        assertThat(pod.source()).as("! -o cilium_+: the tunnel device").isEqualTo(Source.POD_IP);
        assertThat(pod.reason()).contains("cilium_vxlan");
    }

    /**
     * pkg/datapath/linux/config/config.go:543-544 writes ENABLE_MASQUERADE for IPv4 only, and
     * bpf/lib/nat.h:1325 snat_v6_needed translates only packets already from the node: with
     * enableIPv6Masquerade=false BPF mode leaves the pod's IPv6 as is, while IPv4 is SNATed.
     */
    @ParameterizedTest
    @ValueSource(strings = {"tcp", "udp", "icmp-echo"})
    void bpfModeLeavesPodIpv6AsIs(String protocol) {
        AgentConfig a = agent(dualVxlan("bpf.masquerade", true, "enableIPv6Masquerade", false));
        assertThat(a.mode()).isEqualTo(MasqueradeMode.BPF);
        Expectation e = v6(a, PUBLIC_V6, Protocol.parse(protocol));
        assertThat(e.source()).isEqualTo(Source.POD_IP);
        assertThat(e.reason()).contains("BPF masquerading never translates IPv6");
        Expectation v4 = MasqueradeOracle.expect(DUAL, a, Flow.fromPod("node-1", "198.20.0.10", Protocol.parse(protocol)));
        assertThat(v4.source()).isEqualTo(Source.NODE_IP);
    }

    /** daemon/cmd/daemon_main.go:1410-1412: log.Fatal("BPF masquerade is not supported for IPv6."), in initEnv. */
    @Test
    void bpfWithIpv6MasqueradeIsRefusedWithTheWayOut() {
        assertThatThrownBy(() -> agent(dualVxlan("bpf.masquerade", true)))
                .isInstanceOf(RefusedConfigurationException.class)
                .hasMessageContaining("BPF masquerade is not supported for IPv6.")
                .hasMessageContaining("enableIPv6Masquerade=false");
        // initEnv runs before newDaemon's prerequisite check and its fallback, so no kube-proxy replacement does not save it.
        assertThatThrownBy(() -> agent(values("ipv6.enabled", true, "bpf.masquerade", true)))
                .hasMessageContaining("BPF masquerade is not supported for IPv6.");
    }

    /** pkg/option/config.go:3036: EnableIPv6Masquerade is ANDed with EnableIPv6, so an IPv4-only install is not refused. */
    @Test
    void ipv6MasqueradeIsOffWithoutIpv6() {
        AgentConfig a = agent(values("bpf.masquerade", true, "kubeProxyReplacement", "strict"));
        assertThat(a.ipv6Masquerade()).isFalse();
        assertThat(a.statusFamilies()).isEqualTo("[IPv4: Enabled, IPv6: Disabled]");
        Expectation e = MasqueradeOracle.expect(DUAL, a, Flow.fromPod("node-1", PUBLIC_V6, Protocol.TCP));
        assertThat(e.source()).isEqualTo(Source.DROPPED);
        assertThat(e.reason()).contains("ipv6.enabled=false");
    }

    /** pkg/option/config.go:3561-3570 (checkIPv6NativeRoutingCIDR), from Validate (config.go:2725). */
    @Test
    void nativeRoutingWithIpv6MasqueradeNeedsAnIpv6NativeRoutingCidr() {
        Map<String, Object> v = dualNative();
        v.remove("ipv6NativeRoutingCIDR");
        assertThatThrownBy(() -> agent(v)).isInstanceOf(RefusedConfigurationException.class)
                .hasMessageContaining("--ipv6-native-routing-cidr in combination with --enable-ipv6-masquerade --tunnel=disabled");
        v.put("enableIPv6Masquerade", false);
        assertThat(agent(v).ipv6Masquerade()).as("the check needs IPv6 masquerading on").isFalse();
    }

    /** daemon/cmd/daemon_main.go:1318-1319: neither family. */
    @Test
    void neitherFamilyIsRefused() {
        assertThatThrownBy(() -> agent(values("ipv4.enabled", false, "ipv6.enabled", false)))
                .isInstanceOf(RefusedConfigurationException.class).hasMessageContaining("Either IPv4 or IPv6");
    }

    /** The status line's families (daemon/cmd/status.go:119-120 EnabledProtocols, pkg/client/client.go FormatStatusResponse). */
    @Test
    void statusLineFamilies() {
        assertThat(agent(dualVxlan()).statusFamilies()).isEqualTo("[IPv4: Enabled, IPv6: Enabled]");
        assertThat(agent(dualVxlan("bpf.masquerade", true, "enableIPv6Masquerade", false)).statusFamilies())
                .isEqualTo("[IPv4: Enabled, IPv6: Disabled]");
        assertThat(agent(dualVxlan("enableIPv4Masquerade", false)).statusFamilies()).isEqualTo("[IPv4: Disabled, IPv6: Enabled]");
    }

    /** egress-masquerade-interfaces replaces '-s podCIDR ! -o cilium_+' with '-o IFACES' (iptables.go installMasqueradeRules). */
    @Test
    void egressMasqueradeInterfacesApplyToIpv6() {
        assertThat(v6(agent(dualVxlan("egressMasqueradeInterfaces", "eth1")), PUBLIC_V6, Protocol.TCP).source()).isEqualTo(Source.POD_IP);
        assertThat(v6(agent(dualVxlan("egressMasqueradeInterfaces", "eth+")), PUBLIC_V6, Protocol.TCP).source()).isEqualTo(Source.NODE_IP);
    }

    /**
     * Host-network IPv6 carries the node's IPv6, also to pods (pkg/datapath/linux/node.go:369-374 takes
     * PrimaryExternal as the route's source; pkg/node/address.go:582 GetHostMasqueradeIPv6 = the node IP).
     */
    @Test
    void hostNetworkIpv6CarriesTheNodesIpv6EvenToPods() {
        for (String dst : List.of(PUBLIC_V6, POD_ON_NODE_2_V6, "fd00:42::20")) {
            Expectation e = MasqueradeOracle.expect(DUAL, agent(dualVxlan()), Flow.fromNode("node-1", dst, Protocol.TCP));
            assertThat(e.source()).isEqualTo(Source.NODE_IP);
            assertThat(e.sourceAddress()).contains(NODE_1_V6);
        }
        Expectation v4 = MasqueradeOracle.expect(DUAL, agent(dualVxlan()), Flow.fromNode("node-1", "10.42.1.10", Protocol.TCP));
        assertThat(v4.source()).as("IPv4 host->pod takes the router address: the families differ").isEqualTo(Source.ROUTER_IP);
    }

    @Test
    void sameNodeAndOwnNodeAreNeverMasqueraded() {
        assertThat(v6(agent(dualVxlan()), "fd00:42::20", Protocol.TCP).reason()).contains("same node");
        assertThat(v6(agent(dualVxlan()), "fd00:28::11", Protocol.TCP).source()).isEqualTo(Source.POD_IP);
    }

    @Test
    void anIpv6FlowOnANodeWithoutIpv6IsAnErrorNotAGuess() {
        assertThatThrownBy(() -> MasqueradeOracle.expect(OracleFixtures.CLUSTER, agent(dualVxlan()),
                Flow.fromPod("node-1", PUBLIC_V6, Protocol.TCP))).isInstanceOf(OracleException.class)
                .hasMessageContaining("no IPv6 pod CIDR");
        assertThatThrownBy(() -> v6(agent(dualVxlan()), PUBLIC_V6, Protocol.parse("icmp-timestamp")))
                .isInstanceOf(OracleException.class).hasMessageContaining("ICMPv4 type");
    }

    @Test
    void theFlowsFamilyComesFromItsDestination() {
        assertThat(Flow.fromPod("node-1", PUBLIC_V6, Protocol.TCP).family()).isEqualTo(Family.IPV6);
        assertThat(Flow.fromPod("node-1", "198.20.0.10", Protocol.TCP).family()).isEqualTo(Family.IPV4);
        assertThat(DUAL.dualStack()).isTrue();
        assertThat(OracleFixtures.CLUSTER.dualStack()).isFalse();
    }

    /**
     * pkg/ipmasq/ipmasq.go:47-71: every nonMasqueradeCIDRs entry goes through parseCIDRv4 ("only IPv4 is
     * supported") while the JSON is decoded (ipmasq.go:241-243), and Update returns before touching the
     * map (ipmasq.go:178-182): the whole file is rejected, the agent only warns (ipmasq.go:134-136). On a
     * fresh map (pkg/datapath/maps/map.go:206-207 removed it while ip-masq-agent was off) no CIDR is
     * excluded, not even the defaults or link-local, so BPF masquerades RFC 1918 destinations too.
     */
    @Test
    void anIpv6CidrInTheIpMasqAgentConfigRejectsTheWholeFile() {
        IpMasqAgentFile rejected = IpMasqAgentFile.Rejected.fresh(List.of("10.0.0.0/8", "fd00::/8"), false);
        assertThat(rejected.effectiveCidrs()).isEmpty();
        AgentConfig a = agent(dualVxlan("bpf.masquerade", true, "enableIPv6Masquerade", false, "ipMasqAgent.enabled", true), rejected);
        Expectation rfc1918 = MasqueradeOracle.expect(DUAL, a, Flow.fromPod("node-1", "10.99.0.1", Protocol.TCP));
        assertThat(rfc1918.source()).as("10.0.0.0/8 is written but never applied").isEqualTo(Source.NODE_IP);
        Expectation linkLocal = MasqueradeOracle.expect(DUAL, a, Flow.fromPod("node-1", "169.254.77.10", Protocol.UDP));
        assertThat(linkLocal.source()).as("link-local is not added either").isEqualTo(Source.NODE_IP);
        assertThat(rejected.describe()).contains("Invalid CIDR fd00::/8: only IPv4 is supported");
        IpMasqAgentFile kept = IpMasqAgentFile.Rejected.fresh(List.of("fd00::/8"), false)
                .keeping(List.of(Cidr.parse("192.168.0.0/16")), "mode rfc1918");
        AgentConfig k = agent(dualVxlan("bpf.masquerade", true, "enableIPv6Masquerade", false, "ipMasqAgent.enabled", true), kept);
        Expectation still = MasqueradeOracle.expect(DUAL, k, Flow.fromPod("node-1", "192.168.77.10", Protocol.TCP));
        assertThat(still.source()).isEqualTo(Source.POD_IP);
        assertThat(still.reason()).contains("kept in cilium_ipmasq_v4 from mode rfc1918");
        assertThat(v6(k, PUBLIC_V6, Protocol.TCP).source()).as("and IPv6 is still untouched").isEqualTo(Source.POD_IP);
    }
}
