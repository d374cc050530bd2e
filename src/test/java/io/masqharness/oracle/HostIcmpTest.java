package io.masqharness.oracle;

import static io.masqharness.oracle.OracleFixtures.CLUSTER;
import static io.masqharness.oracle.OracleFixtures.PUBLIC;
import static io.masqharness.oracle.OracleFixtures.values;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Host-originated ICMP with BPF NodePort on (facts §1.1 step 1, §1.3: issues #23955, #29250; D4): bpf_host SNATs the
 * node's own traffic to avoid port collisions, even in iptables mode, and drops the ICMP types BPF NAT cannot
 * translate. 1.15/1.16 keep the verdict, unverified (the lb_is_svc_proto guard's release was not found).
 */
class HostIcmpTest {

    private static Map<String, Object> native113(String kpr) {
        return values("tunnel", "disabled", "ipv4NativeRoutingCIDR", "10.42.0.0/16", "kubeProxyReplacement", kpr);
    }

    private static Map<String, Object> native114Plus(String kpr) {
        return values("routingMode", "native", "ipv4NativeRoutingCIDR", "10.42.0.0/16", "autoDirectNodeRoutes", true,
                "kubeProxyReplacement", kpr);
    }

    private static FlowAnswer host(String version, Map<String, Object> v, String dst, String protocol) {
        CiliumVersion cv = CiliumVersion.parse(version);
        return MasqueradeOracle.answer(CLUSTER, AgentConfigDeriver.derive(HelmValues.of(v), new IpMasqAgentFile.Absent(), cv),
                Flow.fromNode("node-1", dst, Protocol.parse(protocol)));
    }

    @ParameterizedTest(name = "{0}: host ICMP {1} to a public address with BPF NodePort, iptables masquerading")
    @CsvSource({"1.13.4, icmp-timestamp", "1.13.4, icmp-time-exceeded", "1.14.0, icmp-dest-unreach", "1.14.5, icmp-timestamp"})
    void upTo114NonEchoHostIcmpIsDroppedSettled(String version, String protocol) {
        FlowAnswer a = host(version, version.startsWith("1.13") ? native113("strict") : native114Plus("true"), PUBLIC, protocol);
        assertThat(a.expectation().source()).isEqualTo(Expectation.Source.DROPPED);
        assertThat(a.expectation().reason()).contains("#23955").contains("port collisions");
        assertThat(a.unverified()).isEmpty();
        assertThat(a.rules()).doesNotContain(VersionRule.HOST_ICMP_NAT_CONFLICT);
    }

    @ParameterizedTest(name = "{0}: the drop is kept and said to be unverified")
    @CsvSource({"1.15.0", "1.15.19", "1.16.0", "1.16.3"})
    void on115And116TheDropIsUnverified(String version) {
        FlowAnswer a = host(version, native114Plus("true"), PUBLIC, "icmp-timestamp");
        assertThat(a.expectation().source()).isEqualTo(Expectation.Source.DROPPED);
        assertThat(a.rules()).contains(VersionRule.HOST_ICMP_NAT_CONFLICT);
        assertThat(a.unverified()).anySatisfy(u -> assertThat(u).startsWith("D4").contains("lb_is_svc_proto"));
    }

    @Test
    void echoOtherProtocolsAndNoNodePortLeaveWithTheNodeIp() {
        assertThat(host("1.13.4", native113("strict"), PUBLIC, "icmp-echo").expectation().toString()).isEqualTo("node-ip(172.28.0.11)");
        assertThat(host("1.13.4", native113("strict"), PUBLIC, "icmp-echo-reply").expectation().source()).isEqualTo(Expectation.Source.NODE_IP);
        assertThat(host("1.16.3", native114Plus("true"), PUBLIC, "udp").expectation().source()).isEqualTo(Expectation.Source.NODE_IP);
        FlowAnswer noNodePort = host("1.13.4", native113("disabled"), PUBLIC, "icmp-timestamp");
        assertThat(noNodePort.expectation().source()).as("KPR disabled: no bpf_host SNAT").isEqualTo(Expectation.Source.NODE_IP);
        FlowAnswer kprFalse = host("1.16.3", native114Plus("false"), PUBLIC, "icmp-timestamp");
        assertThat(kprFalse.expectation().source()).isEqualTo(Expectation.Source.NODE_IP);
        assertThat(kprFalse.unverified()).isEmpty();
    }

    @Test
    void hostIcmpToALocalPodGoesThroughCiliumHostNotTheDevice() {
        FlowAnswer a = host("1.14.0", native114Plus("true"), "10.42.0.20", "icmp-timestamp");
        assertThat(a.expectation().source()).isEqualTo(Expectation.Source.ROUTER_IP);
    }
}
