package io.masqharness.cluster.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.cilium.IptablesSave;
import io.masqharness.cilium.MasqueradeRules;
import io.masqharness.cluster.ModeCheck;
import io.masqharness.net.Cidr6;
import io.masqharness.net.Ipv6;
import io.masqharness.oracle.HelmValues;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The lab's ip6tables rules against the facts of Cilium 1.13.4 (research note cilium-1.13-ipv6.md, Q1
 * and Q3), written out by hand here, and the check that reads them back.
 */
class LabRules6Test {

    static final Cidr6 PODS = Cidr6.parse("fd00:10:244:1::/64");
    static final Ipv6 NODE = Ipv6.parse("fd00:172:29::11");
    static final String FEEDER = "-A POSTROUTING -m comment --comment \"cilium-feeder: CILIUM_POST_nat\" -j CILIUM_POST_nat\n";

    static HelmValues dualStack(Object... more) {
        Map<String, Object> v = new java.util.LinkedHashMap<>(Map.of("ipv6.enabled", true, "ipv6NativeRoutingCIDR", "fd00:10:244::/56"));
        for (int i = 0; i < more.length; i += 2) {
            v.put((String) more[i], more[i + 1]);
        }
        return HelmValues.of(v);
    }

    /** A node's ip6tables nat table as ip6tables-save shows it after the lab set it up and loaded the mode. */
    static String natTable(HelmValues values) {
        String rules = LabRules6.forMode(values, PODS, NODE, "lab0");
        return "*nat\n" + FEEDER + rules.substring(rules.indexOf('\n') + 1);
    }

    @Test
    void iptablesModeWritesCiliumsIpv6RulesInItsOrder() {
        String rules = LabRules6.forMode(dualStack(), PODS, NODE, "lab0");
        assertThat(rules.lines().filter(l -> l.startsWith("-A")).toList()).containsExactly(
                "-A CILIUM_POST_nat -s fd00:10:244:1::/64 -m set --match-set cilium_node_set_v6 dst -m comment --comment"
                        + " \"exclude traffic to cluster nodes from masquerade\" -j ACCEPT",
                "-A CILIUM_POST_nat -s fd00:10:244:1::/64 ! -d fd00:10:244::/56 ! -o cilium_+ -m comment --comment"
                        + " \"cilium masquerade non-cluster\" -j MASQUERADE",
                "-A CILIUM_POST_nat -s ::1/128 -o lab0 -m comment --comment \"cilium host->cluster from ::1 masquerade\""
                        + " -j SNAT --to-source fd00:172:29::11");
    }

    @Test
    void withoutAnIpv6NativeRoutingCidrTheNodesOwnPodCidrIsExcluded() {
        String rules = LabRules6.forMode(HelmValues.of(Map.of("ipv6.enabled", true)), PODS, NODE, "lab0");
        assertThat(MasqueradeRules.masqueradeRule(IptablesSave.parse(rules)))
                .hasValueSatisfying(r -> assertThat(r.negatedOption("-d")).contains("fd00:10:244:1::/64"));
    }

    @Test
    void bpfModeAndIpv6MasqueradingOffAndIpv6OffLeaveTheChainEmpty() {
        for (HelmValues v : List.of(dualStack("bpf.masquerade", true, "enableIPv6Masquerade", false),
                dualStack("bpf.masquerade", true), dualStack("enableIPv6Masquerade", false),
                HelmValues.of(Map.of("ipv6.enabled", false)))) {
            String rules = LabRules6.forMode(v, PODS, NODE, "lab0");
            assertThat(rules).as("%s", v).isEqualTo("*nat\n:CILIUM_POST_nat - [0:0]\n:LAB_BPF_SNAT_nat - [0:0]\nCOMMIT\n"
                    + "*mangle\n:LAB_BPF_SNAT - [0:0]\n:IP-MASQ-AGENT - [0:0]\nCOMMIT\n");
            assertThat(LabRules6.masquerades(v)).isFalse();
        }
        assertThat(LabRules6.masquerades(dualStack())).isTrue();
    }

    @Test
    void egressInterfacesReplaceTheSourceMatchAndRandomFullyIsKept() {
        String rules = LabRules6.forMode(dualStack("egressMasqueradeInterfaces", "eth0", "iptablesRandomFully", true), PODS, NODE, "lab0");
        assertThat(rules).contains("-A CILIUM_POST_nat ! -d fd00:10:244::/56 -o eth0 -m comment --comment"
                + " \"cilium masquerade non-cluster\" -j MASQUERADE --random-fully");
    }

    @Test
    void setupCreatesTheInet6NodeSetTheChainAndItsFeeder() {
        String setup = LabRules6.setup(List.of(NODE, Ipv6.parse("fd00:172:29::12")));
        assertThat(setup).contains("ipset create cilium_node_set_v6 hash:ip family inet6 -exist\n")
                .contains("ipset add cilium_node_set_v6 fd00:172:29::12 -exist\n")
                .contains("ip6tables -t nat -I POSTROUTING 1 -m comment --comment \"cilium-feeder: CILIUM_POST_nat\" -j CILIUM_POST_nat");
    }

    @Test
    void theModeCheckPassesTheLabsOwnRulesAndNamesEachWayTheyCanBeWrong() {
        Cidr6 exclusion = Cidr6.parse("fd00:10:244::/56");
        String masq = natTable(dualStack());
        String none = natTable(dualStack("bpf.masquerade", true, "enableIPv6Masquerade", false));
        assertThat(check(true, exclusion, masq).status()).isEqualTo(ModeCheck.Status.PASSED);
        assertThat(check(false, exclusion, none).status()).isEqualTo(ModeCheck.Status.PASSED);

        ModeCheck stale = check(false, exclusion, masq);
        assertThat(stale.status()).isEqualTo(ModeCheck.Status.FAILED);
        assertThat(stale.message()).contains("expected no IPv6 masquerade rule").contains("fd00:10:244:1::/64");
        assertThat(check(true, exclusion, none).message()).contains("has no 'cilium masquerade non-cluster' MASQUERADE rule");
        assertThat(check(true, PODS, masq).message()).contains("to destinations outside fd00:10:244:1::/64");
        assertThat(check(true, exclusion, masq.replace(FEEDER, "")).message()).contains("does not feed CILIUM_POST_nat");
        String noSet = masq.lines().filter(l -> !l.contains("cilium_node_set_v6")).reduce("", (a, b) -> a + b + "\n");
        assertThat(check(true, exclusion, noSet).message()).contains("'cilium_node_set_v6' ACCEPT rule is missing");
    }

    private static ModeCheck check(boolean masquerades, Cidr6 exclusion, String nat) {
        return LabModeChecks.natRules6("node-1", masquerades, PODS, exclusion, IptablesSave.parse(nat), nat);
    }

    /** PR #23165 (1.14): BPF masquerades IPv6; the lab emulates it as it emulates IPv4's (facts D1, D2). */
    @Test
    void from114BpfModeMarksWhatBpfWouldSnatAndDropsOtherIcmpv6() {
        String rules = LabRules6.forMode(dualStack("bpf.masquerade", true), 14, PODS, NODE, "lab0", new io.masqharness.oracle.IpMasqAgentFile.Absent());
        assertThat(rules).contains("-A LAB_BPF_SNAT ! -s " + PODS + " ")
                .contains("-A LAB_BPF_SNAT -d fd00:10:244::/56 ")
                .contains("-A LAB_BPF_SNAT -m set --match-set cilium_node_set_v6 dst")
                .contains("-A LAB_BPF_SNAT -j MARK --set-xmark 0x1000/0x1000")
                .contains("-A LAB_BPF_SNAT -p ipv6-icmp -m icmp6 --icmpv6-type echo-request -j RETURN")
                .contains("-A LAB_BPF_SNAT -p ipv6-icmp -m icmp6 --icmpv6-type neighbour-solicitation -j RETURN")
                .contains("-A LAB_BPF_SNAT -p ipv6-icmp -m comment --comment \"lab bpf-masq6: DROP_NAT_UNSUPP_PROTO\" -j DROP")
                .contains("-A LAB_BPF_SNAT_nat -p ipv6-icmp -m mark --mark 0x1000/0x1000")
                .doesNotContain("-A CILIUM_POST_nat");
        assertThat(LabRules6.kind(dualStack("bpf.masquerade", true), 13)).as("1.13 has no IPv6 BPF masquerading").isEqualTo(LabRules6.Kind.NONE);
        assertThat(LabRules6.kind(dualStack("bpf.masquerade", true), 14)).isEqualTo(LabRules6.Kind.BPF);
        assertThat(LabRules6.kind(dualStack("bpf.masquerade", true, "enableIPv6Masquerade", false), 16)).isEqualTo(LabRules6.Kind.NONE);
    }

    /** PR #23219: the ip-masq-agent's IPv6 entries, and fe80::/10 unless masqLinkLocalIPv6 (pkg/ipmasq/ipmasq.go). */
    @Test
    void from114TheIpMasqAgentsIpv6EntriesAreNotMasqueraded() {
        var file = new io.masqharness.oracle.IpMasqAgentFile.Present(List.of(), false,
                List.of(io.masqharness.net.Cidr6.parse("fd77::/16")), false);
        String rules = LabRules6.forMode(dualStack("bpf.masquerade", true, "ipMasqAgent.enabled", true), 14, PODS, NODE, "lab0", file);
        assertThat(rules).contains("-A IP-MASQ-AGENT -d fe80::/10 ").contains("-A IP-MASQ-AGENT -d fd77::/16 ")
                .contains("-A LAB_BPF_SNAT -m mark ! --mark 0x1000/0x1000 -j RETURN");
        assertThat(LabRules6.ipMasqAgentCidrs(new io.masqharness.oracle.IpMasqAgentFile.Present(List.of(), false, List.of(), true))).isEmpty();
        assertThat(LabRules6.ipMasqAgentCidrs(io.masqharness.oracle.IpMasqAgentFile.Rejected.fresh(List.of("10.0.0.0/8", "fd77::/16"), false)))
                .containsExactly("fe80::/10", "fd77::/16");
    }
}
