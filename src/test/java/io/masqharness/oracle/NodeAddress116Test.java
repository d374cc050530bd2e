package io.masqharness.oracle;

import static io.masqharness.oracle.OracleFixtures.CLUSTER;
import static io.masqharness.oracle.OracleFixtures.PUBLIC;
import static io.masqharness.oracle.OracleFixtures.values;
import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.net.Ipv6;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * facts S1: from 1.16 BPF masquerading takes the node's address from the node-address table (PR #30457), which on a
 * node with several addresses on the egress device can differ from 1.15's choice (issue #41866, fix PR #43996). The
 * verdict stays node-ip; every such answer says it is unverified.
 */
class NodeAddress116Test {

    private static Map<String, Object> nativeBpf(Object... more) {
        Map<String, Object> v = values("routingMode", "native", "ipv4NativeRoutingCIDR", "10.42.0.0/16",
                "autoDirectNodeRoutes", true, "kubeProxyReplacement", "true", "bpf.masquerade", true);
        v.putAll(values(more));
        return v;
    }

    private static FlowAnswer answer(String version, Map<String, Object> values, Flow flow) {
        AgentConfig a = AgentConfigDeriver.derive(HelmValues.of(values), new IpMasqAgentFile.Absent(), CiliumVersion.parse(version));
        return MasqueradeOracle.answer(flow.ipv6() ? Ipv6RulesTest.DUAL : CLUSTER, a, flow);
    }

    @Test
    void a116BpfNodeIpAnswerNamesTheNodeAddressTableAsUnverified() {
        FlowAnswer a = answer("1.16.3", nativeBpf(), Flow.fromPod("node-1", PUBLIC, Protocol.TCP));
        assertThat(a.expectation().toString()).isEqualTo("node-ip(172.28.0.11)");
        assertThat(a.rules()).contains(VersionRule.BPF_NODE_ADDRESS_116);
        assertThat(a.unverified()).singleElement().satisfies(u -> assertThat(u).startsWith("S1")
                .contains("node-address table").contains("public preferred over private").contains("#41866").contains("#43996"));
        assertThat(answer("1.16.0", nativeBpf(), Flow.fromPod("node-1", PUBLIC, Protocol.ICMP_ECHO)).unverified())
                .anySatisfy(u -> assertThat(u).startsWith("S1"));
    }

    @Test
    void otherAnswersVersionsAndModesDoNotCarryIt() {
        assertThat(answer("1.15.8", nativeBpf(), Flow.fromPod("node-1", PUBLIC, Protocol.TCP)).unverified()).isEmpty();
        FlowAnswer excluded = answer("1.16.3", nativeBpf(), Flow.fromPod("node-1", "10.42.1.10", Protocol.TCP));
        assertThat(excluded.expectation().source()).isEqualTo(Expectation.Source.POD_IP);
        assertThat(excluded.unverified()).isEmpty();
        FlowAnswer dropped = answer("1.16.3", nativeBpf(), Flow.fromPod("node-1", PUBLIC, Protocol.parse("icmp-timestamp")));
        assertThat(dropped.expectation().source()).isEqualTo(Expectation.Source.DROPPED);
        assertThat(dropped.rules()).doesNotContain(VersionRule.BPF_NODE_ADDRESS_116);
        FlowAnswer iptables = answer("1.16.3", nativeBpf("bpf.masquerade", false), Flow.fromPod("node-1", PUBLIC, Protocol.TCP));
        assertThat(iptables.expectation().source()).isEqualTo(Expectation.Source.NODE_IP);
        assertThat(iptables.unverified()).as("iptables MASQUERADE lets the kernel pick the address").isEmpty();
    }

    @Test
    void anIpv6BpfNodeIpAnswerCarriesItToo() {
        Map<String, Object> dual = nativeBpf("ipv6.enabled", true, "ipv6NativeRoutingCIDR", "fd00:42::/56");
        FlowAnswer a = answer("1.16.3", dual, Flow.fromPod("node-1", Ipv6RulesTest.PUBLIC_V6, Protocol.TCP)
                .withPodIp(Ipv6.parse("fd00:42::10")));
        assertThat(a.expectation().source()).isEqualTo(Expectation.Source.NODE_IP);
        assertThat(a.unverified()).anySatisfy(u -> assertThat(u).startsWith("S1"));
    }
}
