package io.masqharness.cluster.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.cilium.IptablesSave;
import io.masqharness.cilium.MasqueradeRules;
import io.masqharness.net.Cidr;
import io.masqharness.oracle.HelmValues;
import io.masqharness.oracle.IpMasqAgentFile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabRulesTest {

    private static final Cidr PODS = Cidr.parse("10.44.0.0/24");

    @Test
    void iptablesModeWritesCiliumsRulesThatTheInspectorReadsBack() {
        String rules = LabRules.forMode(HelmValues.of(Map.of("ipv4NativeRoutingCIDR", "10.44.0.0/16")), PODS,
                new IpMasqAgentFile.Absent());
        var parsed = IptablesSave.parse(rules);
        assertThat(MasqueradeRules.masqueradeRule(parsed)).hasValueSatisfying(r -> {
            assertThat(r.option("-s")).contains("10.44.0.0/24");
            assertThat(r.negatedOption("-d")).contains("10.44.0.0/16");
        });
        assertThat(MasqueradeRules.nodeSetRule(parsed)).isPresent();
        assertThat(rules).doesNotContain("MARK");
    }

    @Test
    void bpfModeLimitsSnatToTcpUdpAndIcmpEchoAndDropsOtherIcmp() {
        String rules = LabRules.forMode(HelmValues.of(Map.of("bpf.masquerade", true)), PODS, new IpMasqAgentFile.Absent());
        assertThat(MasqueradeRules.masqueradeRule(IptablesSave.parse(rules))).isEmpty();
        assertThat(rules).contains("-d 10.44.0.0/24 -m comment --comment \"lab bpf-masq: SNAT exclusion CIDR\" -j RETURN")
                .contains("--icmp-type echo-request -j RETURN").contains("--icmp-type echo-reply -j RETURN")
                .contains("-p icmp -m comment --comment \"lab bpf-masq: DROP_NAT_UNSUPP_PROTO\" -j DROP")
                .contains("-A LAB_BPF_SNAT_nat -p tcp -m mark --mark 0x1000/0x1000")
                .doesNotContain("IP-MASQ-AGENT -d");
    }

    @Test
    void ipMasqAgentChainFollowsTheUpstreamDefaultsAndLinkLocalRule() {
        assertThat(LabRules.ipMasqAgentCidrs(new IpMasqAgentFile.Absent())).hasSize(12).startsWith("169.254.0.0/16");
        assertThat(LabRules.ipMasqAgentCidrs(new IpMasqAgentFile.Present(List.of(), false))).containsExactly("169.254.0.0/16");
        assertThat(LabRules.ipMasqAgentCidrs(new IpMasqAgentFile.Present(List.of(Cidr.parse("10.0.0.0/8")), true)))
                .containsExactly("10.0.0.0/8");
        String rules = LabRules.forMode(HelmValues.of(Map.of("bpf.masquerade", true, "ipMasqAgent.enabled", true)), PODS,
                new IpMasqAgentFile.Present(List.of(Cidr.parse("192.168.0.0/16")), false));
        assertThat(rules).contains("-A IP-MASQ-AGENT -d 192.168.0.0/16 -m comment --comment \"ip-masq-agent: local traffic"
                + " is not subject to MASQUERADE\" -j RETURN");
    }

    @Test
    void masqueradingOffWritesNoRules() {
        String rules = LabRules.forMode(HelmValues.of(Map.of("enableIPv4Masquerade", false)), PODS, new IpMasqAgentFile.Absent());
        assertThat(rules.lines().filter(l -> l.startsWith("-A"))).isEmpty();
    }

    @Test
    void setupCreatesTheChainsTheNodeSetAndTheFeeders() {
        String setup = LabRules.setup(List.of("172.29.0.11", "172.29.0.12"));
        assertThat(setup.lines()).containsExactly(
                "ipset create cilium_node_set_v4 hash:ip family inet -exist",
                "ipset add cilium_node_set_v4 172.29.0.11 -exist",
                "ipset add cilium_node_set_v4 172.29.0.12 -exist",
                "iptables -t nat -N CILIUM_POST_nat",
                "iptables -t nat -N LAB_BPF_SNAT_nat",
                "iptables -t mangle -N LAB_BPF_SNAT",
                "iptables -t mangle -N IP-MASQ-AGENT",
                "iptables -t nat -I POSTROUTING 1 -m comment --comment \"cilium-feeder: CILIUM_POST_nat\" -j CILIUM_POST_nat",
                "iptables -t nat -A POSTROUTING -m comment --comment \"lab-feeder: LAB_BPF_SNAT_nat\" -j LAB_BPF_SNAT_nat",
                "iptables -t mangle -A POSTROUTING -m comment --comment \"lab-feeder: LAB_BPF_SNAT\" -j LAB_BPF_SNAT",
                "iptables -t raw -N LAB_NOTRACK_EXEMPT",
                "iptables -t raw -N CILIUM_PRE_raw",
                "iptables -t raw -N CILIUM_OUTPUT_raw",
                "iptables -t raw -A PREROUTING -m comment --comment \"lab-feeder: LAB_NOTRACK_EXEMPT\" -j LAB_NOTRACK_EXEMPT",
                "iptables -t raw -A PREROUTING -m comment --comment \"cilium-feeder: CILIUM_PRE_raw\" -j CILIUM_PRE_raw",
                "iptables -t raw -A OUTPUT -m comment --comment \"cilium-feeder: CILIUM_OUTPUT_raw\" -j CILIUM_OUTPUT_raw");
    }

    @Test
    void theKindIsTheLabsOwnReadingOfTheValues() {
        assertThat(LabRules.kind(HelmValues.of(Map.of()))).isEqualTo(LabRules.Kind.IPTABLES);
        assertThat(LabRules.kind(HelmValues.of(Map.of("bpf.masquerade", true)))).isEqualTo(LabRules.Kind.BPF);
        assertThat(LabRules.kind(HelmValues.of(Map.of("bpf.masquerade", true, "enableIPv4Masquerade", false))))
                .isEqualTo(LabRules.Kind.NONE);
    }

    @Test
    void egressInterfacesReplaceTheSourceMatchAndRandomFullyIsPassedOn() {
        String rules = LabRules.forMode(HelmValues.of(Map.of("egressMasqueradeInterfaces", "eth0", "iptablesRandomFully", true)), PODS,
                new IpMasqAgentFile.Absent());
        assertThat(rules).contains("-A CILIUM_POST_nat ! -d 10.44.0.0/24 -o eth0 -m comment --comment \"cilium masquerade"
                + " non-cluster\" -j MASQUERADE --random-fully\n");
        String plain = LabRules.forMode(HelmValues.of(Map.of()), PODS, new IpMasqAgentFile.Absent());
        assertThat(plain).as("no native-routing CIDR: the node's pod CIDR is the exclusion")
                .contains("-A CILIUM_POST_nat -s 10.44.0.0/24 ! -d 10.44.0.0/24 ! -o cilium_+ -m comment --comment"
                        + " \"cilium masquerade non-cluster\" -j MASQUERADE\n")
                .doesNotContain("--random-fully");
    }

    @Test
    void bpfWithoutTheAgentMarksEverythingLeftAndWithItOnlyWhatTheAgentMarks() {
        String plain = LabRules.forMode(HelmValues.of(Map.of("bpf.masquerade", true)), PODS, new IpMasqAgentFile.Absent());
        assertThat(plain).contains("-A LAB_BPF_SNAT -j MARK --set-xmark 0x1000/0x1000\n").doesNotContain("-j IP-MASQ-AGENT");
        String agent = LabRules.forMode(HelmValues.of(Map.of("bpf.masquerade", true, "ipMasqAgent.enabled", true)), PODS,
                new IpMasqAgentFile.Present(List.of(), true));
        assertThat(agent).contains("-A LAB_BPF_SNAT -m comment --comment \"lab bpf-masq: ip-masq-agent\" -j IP-MASQ-AGENT\n")
                .contains("-A LAB_BPF_SNAT -m mark ! --mark 0x1000/0x1000 -j RETURN\n")
                .contains("-A IP-MASQ-AGENT -m comment --comment \"ip-masq-agent: outbound traffic is subject to MASQUERADE"
                        + " (must be last in chain)\" -j MARK --set-xmark 0x1000/0x1000\n")
                .doesNotContain("-A IP-MASQ-AGENT -d");
    }

    /**
     * Cilium's own rules as its e2e test checks them (test/k8s/datapath_configuration.go: "iptables -t raw -C CILIUM_PRE_raw
     * -s <cidr> -m comment --comment 'cilium: NOTRACK for pod traffic' -j CT --notrack", the same for -d and CILIUM_OUTPUT_raw),
     * in the order iptables-save lists them after Cilium's -I inserts (facts/cilium-tuning-series.md §2.4's real output).
     */
    @Test
    void theConntrackBypassIsCiliumsFourRawRulesOnTheNativeRoutingCidr() {
        String rules = LabRules.forMode(HelmValues.of(Map.of("bpf.masquerade", true, "ipv4NativeRoutingCIDR", "10.44.0.0/16",
                "installNoConntrackIptablesRules", true)), PODS, new IpMasqAgentFile.Absent());
        String raw = rules.substring(rules.indexOf("*raw"));
        assertThat(raw.lines().filter(l -> l.contains("NOTRACK for pod traffic")).toList()).containsExactly(
                "-A CILIUM_PRE_raw -d 10.44.0.0/16 -m comment --comment \"cilium: NOTRACK for pod traffic\" -j CT --notrack",
                "-A CILIUM_PRE_raw -s 10.44.0.0/16 -m comment --comment \"cilium: NOTRACK for pod traffic\" -j CT --notrack",
                "-A CILIUM_OUTPUT_raw -d 10.44.0.0/16 -m comment --comment \"cilium: NOTRACK for pod traffic\" -j CT --notrack",
                "-A CILIUM_OUTPUT_raw -s 10.44.0.0/16 -m comment --comment \"cilium: NOTRACK for pod traffic\" -j CT --notrack");
        assertThat(raw).startsWith("*raw\n:LAB_NOTRACK_EXEMPT - [0:0]\n:CILIUM_PRE_raw - [0:0]\n:CILIUM_OUTPUT_raw - [0:0]\n")
                .endsWith("COMMIT\n").contains("-A LAB_NOTRACK_EXEMPT -m comment --comment");
        String off = LabRules.forMode(HelmValues.of(Map.of("bpf.masquerade", true, "ipv4NativeRoutingCIDR", "10.44.0.0/16")), PODS,
                new IpMasqAgentFile.Absent());
        assertThat(off).as("without the toggle the chains are emptied").contains("*raw\n").doesNotContain("NOTRACK for pod traffic").doesNotContain("-A LAB_NOTRACK");
        String noCidr = LabRules.forMode(HelmValues.of(Map.of("bpf.masquerade", true, "installNoConntrackIptablesRules", true)), PODS,
                new IpMasqAgentFile.Absent());
        assertThat(noCidr).as("keyed on the native-routing CIDR: none without one").doesNotContain("NOTRACK for pod traffic");
        String iptables = LabRules.forMode(HelmValues.of(Map.of("ipv4NativeRoutingCIDR", "10.44.0.0/16", "installNoConntrackIptablesRules", true)),
                PODS, new IpMasqAgentFile.Absent());
        assertThat(iptables).as("no exemption outside BPF mode").contains("NOTRACK for pod traffic").doesNotContain("-A LAB_NOTRACK_EXEMPT");
    }

    @Test
    void setupFeedsTheLabsExemptionBeforeCiliumsRawChains() {
        String setup = LabRules.setup(List.of("172.29.0.11"));
        assertThat(setup).contains("iptables -t raw -N CILIUM_PRE_raw\n").contains("iptables -t raw -N CILIUM_OUTPUT_raw\n")
                .contains("iptables -t raw -N LAB_NOTRACK_EXEMPT\n")
                .contains("iptables -t raw -A OUTPUT -m comment --comment \"cilium-feeder: CILIUM_OUTPUT_raw\" -j CILIUM_OUTPUT_raw\n");
        int exempt = setup.indexOf("iptables -t raw -A PREROUTING -m comment --comment \"lab-feeder: LAB_NOTRACK_EXEMPT\" -j LAB_NOTRACK_EXEMPT");
        int cilium = setup.indexOf("iptables -t raw -A PREROUTING -m comment --comment \"cilium-feeder: CILIUM_PRE_raw\" -j CILIUM_PRE_raw");
        assertThat(exempt).isNotNegative();
        assertThat(cilium).isGreaterThan(exempt);
    }

    @Test
    void theTuningScriptSetsEachPodsMtuAndCongestionControlAndTheBridgeLast() {
        LabTuning jumboBbr = LabTuning.of(HelmValues.of(Map.of("MTU", 9000, "bandwidthManager.enabled", true, "bandwidthManager.bbr", true)));
        String script = LabRules.tuningScript(jumboBbr, "lab0", List.of("pod-a", "pod-b"), "cubic");
        assertThat(script.lines().toList()).containsExactly(
                "ip netns exec pod-a ip link set eth0 mtu 9000",
                "ip link set vp-pod-a mtu 9000",
                "ip netns exec pod-a sh -ec 'mount -o remount,rw /proc/sys && sysctl -qw net.ipv4.tcp_congestion_control=bbr'",
                "ip netns exec pod-b ip link set eth0 mtu 9000",
                "ip link set vp-pod-b mtu 9000",
                "ip netns exec pod-b sh -ec 'mount -o remount,rw /proc/sys && sysctl -qw net.ipv4.tcp_congestion_control=bbr'",
                "ip link set lab0 mtu 9000");
        String plain = LabRules.tuningScript(LabTuning.of(HelmValues.of(Map.of())), "lab0", List.of("pod-a"), "cubic");
        assertThat(plain).contains("ip netns exec pod-a ip link set eth0 mtu 1450\n").contains("tcp_congestion_control=cubic'")
                .endsWith("ip link set lab0 mtu 1450\n");
    }

    @Test
    void theNodesDefaultCongestionControlGoesToTheNodeItselfAndEachPod() {
        assertThat(LabRules.nodeCongestionControlScript("reno", List.of("pod-a", "pod-b")).lines().toList()).containsExactly(
                "unshare -m sh -ec 'mount -o remount,rw /proc/sys && sysctl -qw net.ipv4.tcp_congestion_control=reno'",
                "ip netns exec pod-a sh -ec 'mount -o remount,rw /proc/sys && sysctl -qw net.ipv4.tcp_congestion_control=reno'",
                "ip netns exec pod-b sh -ec 'mount -o remount,rw /proc/sys && sysctl -qw net.ipv4.tcp_congestion_control=reno'");
    }
}
