package io.masqharness.cluster.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.cilium.IptablesSave;
import io.masqharness.cluster.ModeCheck;
import io.masqharness.net.Cidr;
import io.masqharness.oracle.AgentConfig;
import io.masqharness.oracle.AgentConfigDeriver;
import io.masqharness.oracle.HelmValues;
import io.masqharness.oracle.IpMasqAgentFile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The lab's mode checks read back what a node's tables hold: the rules the lab writes pass, and each
 * way those rules can be wrong fails, naming what was found.
 */
class LabModeChecksTest {

    static final Cidr PODS = Cidr.parse("10.44.0.0/24");
    static final String FEEDER = "-A POSTROUTING -m comment --comment \"cilium-feeder: CILIUM_POST_nat\" -j CILIUM_POST_nat\n";
    static final IpMasqAgentFile RFC1918_ONLY = new IpMasqAgentFile.Present(List.of(Cidr.parse("192.168.0.0/16")), false);

    static Map<String, Object> values(Object... more) {
        Map<String, Object> v = new LinkedHashMap<>(Map.of("tunnel", "disabled", "ipv4NativeRoutingCIDR", "10.44.0.0/16",
                "autoDirectNodeRoutes", true, "kubeProxyReplacement", "strict"));
        for (int i = 0; i < more.length; i += 2) {
            v.put((String) more[i], more[i + 1]);
        }
        return v;
    }

    static AgentConfig expected(Map<String, Object> values, IpMasqAgentFile file) {
        return AgentConfigDeriver.derive(HelmValues.of(values), file);
    }

    /** A node's nat table as iptables-save shows it after the lab set it up and loaded the mode. */
    static String natTable(Map<String, Object> values) {
        return "*nat\n" + FEEDER + table(values, new IpMasqAgentFile.Absent(), "*nat");
    }

    static String table(Map<String, Object> values, IpMasqAgentFile file, String which) {
        String all = LabRules.forMode(HelmValues.of(values), PODS, file);
        int start = all.indexOf(which);
        return all.substring(start + which.length() + 1, all.indexOf("COMMIT", start) + "COMMIT\n".length());
    }

    static ModeCheck nat(AgentConfig expected, String table) {
        return LabModeChecks.natRules("node-1", expected, PODS, IptablesSave.parse(table), table);
    }

    static ModeCheck mangle(AgentConfig expected, String table) {
        return LabModeChecks.bpfEmulation("node-1", expected, IptablesSave.parse(table), table);
    }

    @Test
    void theIptablesRulesTheLabWritesPass() {
        ModeCheck c = nat(expected(values("bpf.masquerade", false), new IpMasqAgentFile.Absent()), natTable(values("bpf.masquerade", false)));
        assertThat(c.status()).as(c.message()).isEqualTo(ModeCheck.Status.PASSED);
        assertThat(c.message()).isEqualTo("MASQUERADE 10.44.0.0/24 ! -d 10.44.0.0/16 present");
        assertThat(c.check()).isEqualTo("iptables-save -t nat: CILIUM_POST_nat");
        assertThat(c.node()).isEqualTo("node-1");
    }

    @Test
    void aMasqueradeRuleWithAnotherExclusionCidrFails() {
        AgentConfig iptables = expected(values("bpf.masquerade", false), new IpMasqAgentFile.Absent());
        String wrong = natTable(values("bpf.masquerade", false)).replace("! -d 10.44.0.0/16", "! -d 10.44.0.0/24");
        ModeCheck c = nat(iptables, wrong);
        assertThat(c.status()).isEqualTo(ModeCheck.Status.FAILED);
        assertThat(c.message()).contains("expected MASQUERADE of 10.44.0.0/24 to destinations outside 10.44.0.0/16")
                .contains("found: -A CILIUM_POST_nat -s 10.44.0.0/24 ! -d 10.44.0.0/24");
        String unexcluded = natTable(values("bpf.masquerade", false)).replace(" ! -d 10.44.0.0/16", "");
        assertThat(nat(iptables, unexcluded).status()).as("no exclusion at all").isEqualTo(ModeCheck.Status.FAILED);
    }

    @Test
    void aMasqueradeRuleForOtherSourcesOrWithoutItsFeederFails() {
        AgentConfig iptables = expected(values("bpf.masquerade", false), new IpMasqAgentFile.Absent());
        String otherSource = natTable(values("bpf.masquerade", false)).replace("-s 10.44.0.0/24 ! -d", "-s 10.44.1.0/24 ! -d");
        assertThat(nat(iptables, otherSource).status()).isEqualTo(ModeCheck.Status.FAILED);
        String unfed = natTable(values("bpf.masquerade", false)).replace(FEEDER, "");
        assertThat(nat(iptables, unfed).status()).isEqualTo(ModeCheck.Status.FAILED);
        assertThat(nat(iptables, unfed).evidence()).isEqualTo(unfed);
    }

    @Test
    void nativeRoutingNeedsTheNodeSetRule() {
        AgentConfig iptables = expected(values("bpf.masquerade", false), new IpMasqAgentFile.Absent());
        String withoutNodeSet = natTable(values("bpf.masquerade", false)).lines()
                .filter(l -> !l.contains("cilium_node_set_v4")).reduce("", (a, b) -> a + b + "\n");
        ModeCheck c = nat(iptables, withoutNodeSet);
        assertThat(c.status()).isEqualTo(ModeCheck.Status.FAILED);
        assertThat(c.message()).isEqualTo("native routing: the 'exclude traffic to cluster nodes' ipset rule is missing");
    }

    @Test
    void egressInterfacesAreMatchedInsteadOfTheSource() {
        Map<String, Object> eth0 = values("bpf.masquerade", false, "egressMasqueradeInterfaces", "eth0");
        AgentConfig expected = expected(eth0, new IpMasqAgentFile.Absent());
        assertThat(nat(expected, natTable(eth0)).status()).isEqualTo(ModeCheck.Status.PASSED);
        assertThat(nat(expected, natTable(eth0).replace("-o eth0", "-o eth1")).status()).isEqualTo(ModeCheck.Status.FAILED);
    }

    @Test
    void iptablesModeWithoutTheRuleFailsAndNamesTheFallback() {
        AgentConfig fellBack = expected(values("bpf.masquerade", true, "kubeProxyReplacement", "disabled"), new IpMasqAgentFile.Absent());
        ModeCheck c = nat(fellBack, "*nat\n" + FEEDER + "COMMIT\n");
        assertThat(c.status()).isEqualTo(ModeCheck.Status.FAILED);
        assertThat(c.message()).contains("iptables mode expected (BPF fell back: BPF masquerade requires NodePort")
                .contains("the lab does not emulate Cilium's fallback");
    }

    @Test
    void bpfModeMustHaveNoMasqueradeRule() {
        AgentConfig bpf = expected(values("bpf.masquerade", true), new IpMasqAgentFile.Absent());
        ModeCheck none = nat(bpf, natTable(values("bpf.masquerade", true)));
        assertThat(none.status()).isEqualTo(ModeCheck.Status.PASSED);
        assertThat(none.message()).isEqualTo("no 'cilium masquerade non-cluster' rule, as in bpf mode");
        ModeCheck stale = nat(bpf, natTable(values("bpf.masquerade", false)));
        assertThat(stale.status()).isEqualTo(ModeCheck.Status.FAILED);
        assertThat(stale.message()).startsWith("expected no masquerade rule in bpf mode, found: -A CILIUM_POST_nat");
    }

    @Test
    void theBpfEmulationIsPresentExactlyInBpfMode() {
        AgentConfig bpf = expected(values("bpf.masquerade", true), new IpMasqAgentFile.Absent());
        AgentConfig iptables = expected(values("bpf.masquerade", false), new IpMasqAgentFile.Absent());
        String bpfMangle = table(values("bpf.masquerade", true), new IpMasqAgentFile.Absent(), "*mangle");
        String iptablesMangle = table(values("bpf.masquerade", false), new IpMasqAgentFile.Absent(), "*mangle");
        assertThat(mangle(bpf, bpfMangle).status()).isEqualTo(ModeCheck.Status.PASSED);
        assertThat(mangle(bpf, bpfMangle).message()).isEqualTo("BPF-semantics SNAT rules present (no ip-masq-agent)");
        assertThat(mangle(bpf, iptablesMangle).status()).isEqualTo(ModeCheck.Status.FAILED);
        assertThat(mangle(bpf, iptablesMangle).message()).isEqualTo("BPF mode expected but the lab's BPF-semantics rules are missing");
        assertThat(mangle(iptables, iptablesMangle).status()).isEqualTo(ModeCheck.Status.PASSED);
        assertThat(mangle(iptables, bpfMangle).status()).isEqualTo(ModeCheck.Status.FAILED);
        assertThat(mangle(iptables, bpfMangle).message()).isEqualTo("BPF-semantics rules present, but the agent would run iptables");
        AgentConfig fellBack = expected(values("bpf.masquerade", true, "kubeProxyReplacement", "disabled"), new IpMasqAgentFile.Absent());
        assertThat(mangle(fellBack, bpfMangle).message()).contains("(fallback: BPF masquerade requires NodePort");
    }

    @Test
    void theIpMasqAgentChainMustHoldExactlyTheOraclesCidrs() {
        Map<String, Object> agent = values("bpf.masquerade", true, "ipMasqAgent.enabled", true);
        AgentConfig expected = expected(agent, RFC1918_ONLY);
        String mangle = table(agent, RFC1918_ONLY, "*mangle");
        ModeCheck ok = mangle(expected, mangle);
        assertThat(ok.status()).as(ok.message()).isEqualTo(ModeCheck.Status.PASSED);
        assertThat(ok.message()).isEqualTo("ip-masq-agent CIDRs match the oracle's 2 entries");
        ModeCheck defaults = mangle(expected, table(agent, new IpMasqAgentFile.Absent(), "*mangle"));
        assertThat(defaults.status()).isEqualTo(ModeCheck.Status.FAILED);
        assertThat(defaults.message()).contains("missing []").contains("unexpected [").contains("10.0.0.0/8");
        ModeCheck fewer = mangle(expected, mangle.replace("-A IP-MASQ-AGENT -d 192.168.0.0/16", "-A IP-MASQ-AGENT -d 192.168.0.0/24"));
        assertThat(fewer.message()).contains("missing [192.168.0.0/16], unexpected [192.168.0.0/24]");
    }

    @Test
    void onlyMarksInTheLabsOwnChainsCountAsTheBpfEmulation() {
        AgentConfig iptables = expected(values("bpf.masquerade", false), new IpMasqAgentFile.Absent());
        AgentConfig bpf = expected(values("bpf.masquerade", true), new IpMasqAgentFile.Absent());
        String unrelated = "-A PREROUTING -j MARK --set-xmark 0x1/0x1\n-A LAB_BPF_SNAT -d 10.44.0.0/16 -j RETURN\n"
                + "-A IP-MASQ-AGENT -d 10.0.0.0/8 -j RETURN\n";
        assertThat(mangle(iptables, unrelated).status()).as("a MARK elsewhere, and no MARK in the lab's chains")
                .isEqualTo(ModeCheck.Status.PASSED);
        assertThat(mangle(bpf, unrelated).status()).isEqualTo(ModeCheck.Status.FAILED);
        assertThat(mangle(bpf, "-A IP-MASQ-AGENT -j MARK --set-xmark 0x1000/0x1000\n").status()).isEqualTo(ModeCheck.Status.PASSED);
        assertThat(mangle(bpf, "-A LAB_BPF_SNAT -j MARK --set-xmark 0x1000/0x1000\n").status()).isEqualTo(ModeCheck.Status.PASSED);
    }

    /** ip6tables' mangle table as the lab writes it for a 1.14+ mode (LabRules6.forMode), read back by bpfEmulation6. */
    private static ModeCheck mangle6(Map<String, Object> values, IpMasqAgentFile file, int minor, AgentConfig expected) {
        String all = LabRules6.forMode(HelmValues.of(values), minor, io.masqharness.net.Cidr6.parse("fd00:44::/64"),
                io.masqharness.net.Ipv6.parse("fd00:29::11"), "lab0", file);
        String table = all.substring(all.indexOf("*mangle") + "*mangle\n".length());
        return LabModeChecks.bpfEmulation6("node-1", expected, IptablesSave.parse(table), table);
    }

    private static Map<String, Object> dual(Object... more) {
        Map<String, Object> v = values("routingMode", "native", "kubeProxyReplacement", "true", "ipv6.enabled", true,
                "ipv6NativeRoutingCIDR", "fd00:44::/56");
        v.remove("tunnel");
        for (int i = 0; i < more.length; i += 2) {
            v.put((String) more[i], more[i + 1]);
        }
        return v;
    }

    private static AgentConfig expected114(Map<String, Object> values, IpMasqAgentFile file) {
        return AgentConfigDeriver.derive(HelmValues.of(values), file, io.masqharness.oracle.CiliumVersion.parse("1.14.6"));
    }

    /** PR #23165: from 1.14 the lab's IPv6 BPF rules are there exactly when the oracle's agent masquerades IPv6 with BPF. */
    @Test
    void theIpv6BpfEmulationIsCheckedAgainstTheOraclesIpv6Mode() {
        Map<String, Object> bpf = dual("bpf.masquerade", true);
        assertThat(mangle6(bpf, new IpMasqAgentFile.Absent(), 14, expected114(bpf, new IpMasqAgentFile.Absent())).status())
                .isEqualTo(ModeCheck.Status.PASSED);
        ModeCheck stale = mangle6(bpf, new IpMasqAgentFile.Absent(), 14, expected114(dual(), new IpMasqAgentFile.Absent()));
        assertThat(stale.status()).isEqualTo(ModeCheck.Status.FAILED);
        assertThat(stale.message()).contains("the agent masquerades IPv6 with ip6tables");
        ModeCheck missing = mangle6(dual(), new IpMasqAgentFile.Absent(), 14, expected114(bpf, new IpMasqAgentFile.Absent()));
        assertThat(missing.status()).isEqualTo(ModeCheck.Status.FAILED);
        assertThat(missing.message()).contains("IPv6 BPF masquerading expected (Cilium 1.14.6)");
        ModeCheck none = mangle6(dual("enableIPv6Masquerade", false), new IpMasqAgentFile.Absent(), 14,
                expected114(dual("enableIPv6Masquerade", false), new IpMasqAgentFile.Absent()));
        assertThat(none.status()).isEqualTo(ModeCheck.Status.PASSED);
        assertThat(none.message()).isEqualTo("no IPv6 BPF-semantics rules, as the agent has none");
    }

    /** PR #23219: the IPv6 ip-masq-agent entries in the lab's chain must be the oracle's (fe80::/10 included). */
    @Test
    void theIpv6IpMasqAgentEntriesAreCheckedAgainstTheOraclesList() {
        Map<String, Object> agent = dual("bpf.masquerade", true, "ipMasqAgent.enabled", true);
        IpMasqAgentFile ula = new IpMasqAgentFile.Present(List.of(), false, List.of(io.masqharness.net.Cidr6.parse("fd77::/16")), false);
        ModeCheck ok = mangle6(agent, ula, 14, expected114(agent, ula));
        assertThat(ok.status()).isEqualTo(ModeCheck.Status.PASSED);
        assertThat(ok.message()).isEqualTo("IPv6 ip-masq-agent CIDRs match the oracle's 2 entries");
        ModeCheck differs = mangle6(agent, new IpMasqAgentFile.Absent(), 14, expected114(agent, ula));
        assertThat(differs.status()).isEqualTo(ModeCheck.Status.FAILED);
        assertThat(differs.message()).contains("IPv6 ip-masq-agent CIDRs differ").contains("fd77::/16");
        Map<String, Object> plain = dual("bpf.masquerade", true);
        assertThat(mangle6(plain, new IpMasqAgentFile.Absent(), 14, expected114(plain, new IpMasqAgentFile.Absent())).message())
                .isEqualTo("IPv6 BPF-semantics SNAT rules present (no ip-masq-agent)");
    }

    static final List<String> DEVICES = List.of("lab0", "vp-pod-a", "pod-a eth0");
    static final String LINKS_9000 = "[lab0] 3: lab0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 9000 qdisc noqueue state UP\n"
            + "[vp-pod-a] 5: vp-pod-a@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 9000 qdisc noqueue master lab0 state UP\n"
            + "[pod-a eth0] 2: eth0@if5: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 9000 qdisc noqueue state UP\n";

    @Test
    void theMtuMustBeOnEveryDevice() {
        ModeCheck ok = LabModeChecks.mtu("node-1", 9000, DEVICES, LINKS_9000);
        assertThat(ok.status()).as(ok.message()).isEqualTo(ModeCheck.Status.PASSED);
        assertThat(ok.message()).isEqualTo("mtu 9000 on lab0, vp-pod-a, pod-a eth0");
        assertThat(ok.check()).isEqualTo("lab tuning: MTU 9000 on pods and their node side (ip link)");
        ModeCheck pod = LabModeChecks.mtu("node-1", 9000, DEVICES, LINKS_9000.replace("eth0@if5: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 9000",
                "eth0@if5: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450"));
        assertThat(pod.status()).isEqualTo(ModeCheck.Status.FAILED);
        assertThat(pod.message()).isEqualTo("expected mtu 9000 (Helm MTU, else the lab's default 1450), found pod-a eth0: mtu 1450");
        assertThat(pod.evidence()).contains("[pod-a eth0]");
        ModeCheck gone = LabModeChecks.mtu("node-1", 9000, DEVICES, LINKS_9000.lines().filter(l -> !l.startsWith("[vp-pod-a]"))
                .reduce("", (a, b) -> a + b + "\n"));
        assertThat(gone.message()).endsWith("found vp-pod-a: no MTU read");
        assertThat(LabModeChecks.mtu("node-1", 1450, DEVICES, LINKS_9000).message())
                .contains("lab0: mtu 9000; vp-pod-a: mtu 9000; pod-a eth0: mtu 9000");
        assertThat(LabModeChecks.mtu("node-1", 9000, DEVICES, "[lab0] Device \"lab0\" does not exist.\n").status())
                .isEqualTo(ModeCheck.Status.FAILED);
    }

    @Test
    void theCongestionControlMustBeInEveryPodsNamespace() {
        LabTuning bbr = LabTuning.of(HelmValues.of(Map.of("bandwidthManager.enabled", true, "bandwidthManager.bbr", true)));
        ModeCheck ok = LabModeChecks.congestionControl("node-1", bbr, "bbr", List.of("pod-a", "pod-b"), "[pod-a] bbr\n[pod-b] bbr\n");
        assertThat(ok.status()).as(ok.message()).isEqualTo(ModeCheck.Status.PASSED);
        assertThat(ok.message()).startsWith("bbr in pod-a, pod-b (bandwidthManager.enabled and bandwidthManager.bbr")
                .contains("BPF host routing and kernel 5.18, which the lab does not model");
        ModeCheck one = LabModeChecks.congestionControl("node-1", bbr, "bbr", List.of("pod-a", "pod-b"), "[pod-a] bbr\n[pod-b] cubic\n");
        assertThat(one.status()).isEqualTo(ModeCheck.Status.FAILED);
        assertThat(one.message()).endsWith("found pod-b: 'cubic'");
        ModeCheck unread = LabModeChecks.congestionControl("node-1", bbr, "bbr", List.of("pod-a", "pod-b"), "[pod-a] bbr\n");
        assertThat(unread.message()).endsWith("found pod-b: not read");
        LabTuning none = LabTuning.of(HelmValues.of(Map.of()));
        ModeCheck plain = LabModeChecks.congestionControl("node-1", none, "cubic", List.of("pod-a"), "[pod-a] cubic\n");
        assertThat(plain.status()).isEqualTo(ModeCheck.Status.PASSED);
        assertThat(plain.message()).isEqualTo("cubic in pod-a (no BBR asked (bandwidthManager.enabled and .bbr): the lab node's default)");
        assertThat(LabModeChecks.congestionControl("node-1", none, "cubic", List.of("pod-a"), "[pod-a] bbr\n").status())
                .isEqualTo(ModeCheck.Status.FAILED);
    }

    static final Optional<Cidr> NATIVE = Optional.of(Cidr.parse("10.44.0.0/16"));

    /** The raw table as the lab writes it (setup's feeders plus the mode's chains), as iptables-save prints it. */
    static String rawTable(Map<String, Object> values) {
        String all = LabRules.forMode(HelmValues.of(values), PODS, new IpMasqAgentFile.Absent());
        return "*raw\n-A PREROUTING -m comment --comment \"lab-feeder: LAB_NOTRACK_EXEMPT\" -j LAB_NOTRACK_EXEMPT\n"
                + "-A PREROUTING -m comment --comment \"cilium-feeder: CILIUM_PRE_raw\" -j CILIUM_PRE_raw\n"
                + "-A OUTPUT -m comment --comment \"cilium-feeder: CILIUM_OUTPUT_raw\" -j CILIUM_OUTPUT_raw\n"
                + all.substring(all.indexOf("*raw") + "*raw\n".length());
    }

    static ModeCheck raw(boolean expected, String table) {
        return LabModeChecks.noTrack("node-1", expected, NATIVE, IptablesSave.parse(table), table);
    }

    @Test
    void theNoTrackRulesAreThereExactlyWhenAskedFor() {
        String on = rawTable(values("bpf.masquerade", true, "installNoConntrackIptablesRules", true));
        String off = rawTable(values("bpf.masquerade", true));
        ModeCheck ok = raw(true, on);
        assertThat(ok.status()).as(ok.message()).isEqualTo(ModeCheck.Status.PASSED);
        assertThat(ok.message()).isEqualTo("pod traffic to and from 10.44.0.0/16 is not tracked (4 rules, fed from PREROUTING and OUTPUT)");
        assertThat(ok.evidence().lines()).hasSize(4);
        assertThat(raw(false, off).status()).isEqualTo(ModeCheck.Status.PASSED);
        assertThat(raw(false, off).message()).isEqualTo("no 'cilium: NOTRACK for pod traffic' rules: pod traffic is tracked");
        ModeCheck stale = raw(false, on);
        assertThat(stale.status()).isEqualTo(ModeCheck.Status.FAILED);
        assertThat(stale.message()).startsWith("installNoConntrackIptablesRules is not asked for, but found: [-A CILIUM_PRE_raw -d 10.44.0.0/16");
        ModeCheck missing = raw(true, off);
        assertThat(missing.status()).isEqualTo(ModeCheck.Status.FAILED);
        assertThat(missing.message()).contains("CILIUM_PRE_raw -d 10.44.0.0/16 -j CT --notrack").contains("CILIUM_OUTPUT_raw -s 10.44.0.0/16");
        assertThat(LabModeChecks.noTrack("node-1", true, Optional.empty(), IptablesSave.parse(on), on).message())
                .isEqualTo("installNoConntrackIptablesRules needs ipv4NativeRoutingCIDR: Cilium keys the rules on it");
    }

    @Test
    void eachNoTrackRuleAndFeederCounts() {
        String on = rawTable(values("bpf.masquerade", true, "installNoConntrackIptablesRules", true));
        for (String line : on.lines().filter(l -> l.contains("NOTRACK for pod traffic")).toList()) {
            ModeCheck c = raw(true, on.replace(line + "\n", ""));
            assertThat(c.status()).as("without " + line).isEqualTo(ModeCheck.Status.FAILED);
        }
        assertThat(raw(true, on.replace("-A CILIUM_OUTPUT_raw -s 10.44.0.0/16", "-A CILIUM_OUTPUT_raw -s 10.44.0.0/24")).message())
                .contains("missing: [CILIUM_OUTPUT_raw -s 10.44.0.0/16 -j CT --notrack]");
        assertThat(raw(true, on.replace("-A CILIUM_PRE_raw -s 10.44.0.0/16 -m comment --comment \"cilium: NOTRACK for pod traffic\" -j CT --notrack",
                "-A CILIUM_PRE_raw -s 10.44.0.0/16 -m comment --comment \"cilium: NOTRACK for pod traffic\" -j CT --zone 1")).message())
                .contains("CILIUM_PRE_raw -s 10.44.0.0/16 -j CT --notrack");
        assertThat(raw(true, on.replace("-A CILIUM_PRE_raw -d 10.44.0.0/16 -m comment --comment \"cilium: NOTRACK for pod traffic\" -j CT --notrack",
                "-A CILIUM_PRE_raw -d 10.44.0.0/16 -m comment --comment \"cilium: NOTRACK for pod traffic\" -j ACCEPT --notrack")).message())
                .contains("CILIUM_PRE_raw -d 10.44.0.0/16 -j CT --notrack");
        assertThat(raw(true, on.replace("-A OUTPUT -m comment --comment \"cilium-feeder: CILIUM_OUTPUT_raw\" -j CILIUM_OUTPUT_raw\n", "")).message())
                .isEqualTo("installNoConntrackIptablesRules asked for, missing: [the feeder OUTPUT -> CILIUM_OUTPUT_raw]");
        assertThat(raw(true, on.replace("-A PREROUTING -m comment --comment \"cilium-feeder: CILIUM_PRE_raw\" -j CILIUM_PRE_raw\n", "")).message())
                .isEqualTo("installNoConntrackIptablesRules asked for, missing: [the feeder PREROUTING -> CILIUM_PRE_raw]");
        assertThat(raw(true, on.replace("-A PREROUTING -m comment --comment \"cilium-feeder: CILIUM_PRE_raw\" -j CILIUM_PRE_raw",
                "-A OUTPUT -m comment --comment \"cilium-feeder: CILIUM_PRE_raw\" -j CILIUM_PRE_raw")).status())
                .as("a feeder from the wrong hook").isEqualTo(ModeCheck.Status.FAILED);
    }

    @Test
    void unmodelledTogglesAreNotApplicableNeverPassed() {
        List<ModeCheck> na = LabModeChecks.unmodelled("node-2", HelmValues.of(values("bpf.hostLegacyRouting", false, "hubble.enabled", false)));
        assertThat(na).extracting(ModeCheck::status).containsOnly(ModeCheck.Status.NOT_APPLICABLE);
        assertThat(na).extracting(ModeCheck::check).containsExactly("tuning: kube-proxy replacement (KubeProxyReplacement line)",
                "tuning: BPF host routing (Host Routing line)", "tuning: Hubble (Hubble line)");
        assertThat(na.get(1).message()).isEqualTo("bpf.hostLegacyRouting=false: only a Cilium agent can carry out and report this toggle;"
                + " the lab reference datapath (not Cilium) does not model it");
        assertThat(na).extracting(ModeCheck::node).containsOnly("node-2");
    }
}
