package io.masqharness.cluster.lab;

import io.masqharness.cilium.IptablesRule;
import io.masqharness.cilium.MasqueradeRules;
import io.masqharness.cluster.ModeCheck;
import io.masqharness.net.Cidr;
import io.masqharness.net.Cidr6;
import io.masqharness.oracle.AgentConfig;
import io.masqharness.oracle.MasqueradeMode;
import io.masqharness.oracle.Routing;
import io.masqharness.oracle.HelmValues;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Reads a lab node's rules back and compares them with the mode the oracle expects. */
final class LabModeChecks {

    /** One line of evidence per device or namespace: {@code [LABEL] WHAT THE COMMAND PRINTED}. */
    private static final Pattern LABELLED = Pattern.compile("^\\[([^\\]]+)\\] ?(.*)$");
    private static final Pattern MTU = Pattern.compile("\\bmtu (\\d+)\\b");
    static final String NOT_MODELLED = "only a Cilium agent can carry out and report this toggle; the " + LabCluster.DATAPATH
            + " does not model it";

    private LabModeChecks() {
    }

    /**
     * The MTU of each device the mode sets it on, from {@code ip -o link show} (one {@code [LABEL] line} per device).
     *
     * @param devices the labels that must be there (pod eth0s, node-side veths, the bridge)
     */
    static ModeCheck mtu(String node, int expected, List<String> devices, String evidence) {
        String check = "lab tuning: MTU " + expected + " on pods and their node side (ip link)";
        Map<String, String> read = labelled(evidence);
        List<String> wrong = new ArrayList<>();
        for (String device : devices) {
            String line = read.get(device);
            Matcher m = line == null ? null : MTU.matcher(line);
            if (m == null || !m.find()) {
                wrong.add(device + ": no MTU read");
            } else if (Integer.parseInt(m.group(1)) != expected) {
                wrong.add(device + ": mtu " + m.group(1));
            }
        }
        return wrong.isEmpty()
                ? ModeCheck.passed(node, check, "mtu " + expected + " on " + String.join(", ", devices), evidence)
                : ModeCheck.failed(node, check, "expected mtu " + expected + " (Helm MTU, else the lab's default " + LabTuning.DEFAULT_MTU
                + "), found " + String.join("; ", wrong), evidence);
    }

    /**
     * The congestion control of each pod's namespace, from {@code sysctl -n net.ipv4.tcp_congestion_control} run in it
     * (one {@code [NAMESPACE] value} line each).
     */
    static ModeCheck congestionControl(String node, LabTuning tuning, String expected, List<String> namespaces, String evidence) {
        String check = "lab tuning: TCP congestion control in the pods' namespaces (sysctl)";
        Map<String, String> read = labelled(evidence);
        List<String> wrong = namespaces.stream().filter(ns -> !expected.equals(read.getOrDefault(ns, "").trim()))
                .map(ns -> ns + ": " + (read.containsKey(ns) ? "'" + read.get(ns).trim() + "'" : "not read")).toList();
        String why = tuning.bbr() ? "bandwidthManager.enabled and bandwidthManager.bbr: BBR for pods (Cilium also needs BPF host routing"
                + " and kernel 5.18, which the lab does not model)"
                : "no BBR asked (bandwidthManager.enabled and .bbr): the lab node's default";
        return wrong.isEmpty()
                ? ModeCheck.passed(node, check, expected + " in " + String.join(", ", namespaces) + " (" + why + ")", evidence)
                : ModeCheck.failed(node, check, "expected " + expected + " (" + why + "), found " + String.join("; ", wrong), evidence);
    }

    /**
     * Cilium's conntrack-bypass rules in the raw table ({@link LabRules#noTrackRules}): all four and their feeders when the mode
     * asks for them, none otherwise.
     */
    static ModeCheck noTrack(String node, boolean expected, Optional<Cidr> nativeRoutingCidr, List<IptablesRule> raw, String evidence) {
        String check = "iptables-save -t raw: " + LabRules.PRE_RAW_CHAIN + " and " + LabRules.OUTPUT_RAW_CHAIN + " NOTRACK rules";
        List<IptablesRule> notrack = raw.stream().filter(r -> r.comment().filter(LabRules.NOTRACK_COMMENT::equals).isPresent()).toList();
        if (!expected) {
            return notrack.isEmpty()
                    ? ModeCheck.passed(node, check, "no '" + LabRules.NOTRACK_COMMENT + "' rules: pod traffic is tracked", "")
                    : ModeCheck.failed(node, check, "installNoConntrackIptablesRules is not asked for, but found: "
                    + notrack.stream().map(IptablesRule::line).toList(), evidence);
        }
        if (nativeRoutingCidr.isEmpty()) {
            return ModeCheck.failed(node, check, "installNoConntrackIptablesRules needs ipv4NativeRoutingCIDR: Cilium keys the rules on it",
                    evidence);
        }
        String cidr = nativeRoutingCidr.get().toString();
        List<String> missing = new ArrayList<>();
        for (String chain : List.of(LabRules.PRE_RAW_CHAIN, LabRules.OUTPUT_RAW_CHAIN)) {
            for (String flag : List.of("-d", "-s")) {
                boolean there = notrack.stream().anyMatch(r -> r.chain().equals(chain) && r.option(flag).filter(cidr::equals).isPresent()
                        && r.target().filter("CT"::equals).isPresent() && r.tokens().contains("--notrack"));
                if (!there) {
                    missing.add(chain + " " + flag + " " + cidr + " -j CT --notrack");
                }
            }
        }
        for (String[] feeder : List.of(new String[] {"PREROUTING", LabRules.PRE_RAW_CHAIN}, new String[] {"OUTPUT", LabRules.OUTPUT_RAW_CHAIN})) {
            if (raw.stream().noneMatch(r -> r.chain().equals(feeder[0]) && r.target().filter(feeder[1]::equals).isPresent())) {
                missing.add("the feeder " + feeder[0] + " -> " + feeder[1]);
            }
        }
        return missing.isEmpty()
                ? ModeCheck.passed(node, check, "pod traffic to and from " + cidr + " is not tracked (4 rules, fed from PREROUTING and OUTPUT)",
                notrack.stream().map(IptablesRule::line).collect(Collectors.joining("\n")))
                : ModeCheck.failed(node, check, "installNoConntrackIptablesRules asked for, missing: " + missing, evidence);
    }

    /** Every tuning toggle the values ask for that the lab does not model: not applicable, with what was asked. */
    static List<ModeCheck> unmodelled(String node, HelmValues values) {
        return LabTuning.unmodelled(values).stream().map(u -> ModeCheck.notApplicable(node, "tuning: " + u.toggle(),
                u.requested() + ": " + NOT_MODELLED)).toList();
    }

    private static Map<String, String> labelled(String evidence) {
        Map<String, String> read = new LinkedHashMap<>();
        evidence.lines().map(LABELLED::matcher).filter(Matcher::matches).forEach(m -> read.put(m.group(1), m.group(2)));
        return read;
    }

    /** The same inspection as on a Cilium agent: the CILIUM_POST_nat masquerade rule, present or absent. */
    static ModeCheck natRules(String node, AgentConfig expected, Cidr podCidr, List<IptablesRule> nat, String evidence) {
        String check = "iptables-save -t nat: CILIUM_POST_nat";
        Optional<IptablesRule> masq = MasqueradeRules.masqueradeRule(nat);
        if (expected.mode() != MasqueradeMode.IPTABLES) {
            return masq.isEmpty()
                    ? ModeCheck.passed(node, check, "no 'cilium masquerade non-cluster' rule, as in " + expected.mode().label() + " mode", evidence)
                    : ModeCheck.failed(node, check, "expected no masquerade rule in " + expected.mode().label()
                    + " mode, found: " + masq.get().line(), evidence);
        }
        if (masq.isEmpty()) {
            return ModeCheck.failed(node, check, "iptables mode expected"
                    + expected.fallback().map(f -> " (BPF fell back: " + f + ")").orElse("")
                    + " but CILIUM_POST_nat has no 'cilium masquerade non-cluster' MASQUERADE rule"
                    + " (the lab does not emulate Cilium's fallback)", evidence);
        }
        String exclusion = expected.exclusionCidr(podCidr).toString();
        IptablesRule r = masq.get();
        boolean sourceOk = expected.egressMasqueradeInterfaces().isEmpty() ? r.option("-s").filter(podCidr.toString()::equals).isPresent()
                : r.option("-o").filter(expected.egressMasqueradeInterfaces()::equals).isPresent();
        if (!sourceOk || r.negatedOption("-d").filter(exclusion::equals).isEmpty() || !MasqueradeRules.hasFeeder(nat)) {
            return ModeCheck.failed(node, check, "expected MASQUERADE of " + podCidr + " to destinations outside "
                    + exclusion + " fed from POSTROUTING, found: " + r.line(), evidence);
        }
        if (expected.routing() == Routing.NATIVE && MasqueradeRules.nodeSetRule(nat).isEmpty()) {
            return ModeCheck.failed(node, check, "native routing: the 'exclude traffic to cluster nodes' ipset rule is missing", evidence);
        }
        return ModeCheck.passed(node, check, "MASQUERADE " + podCidr + " ! -d " + exclusion + " present", r.line());
    }

    /**
     * The IPv6 twin of {@link #natRules}: ip6tables' CILIUM_POST_nat holds the masquerade rule exactly
     * when IPv6 is masqueraded by ip6tables (never in BPF mode: 1.13 has no IPv6 BPF masquerading, and from
     * 1.14 BPF does it, {@link #bpfEmulation6}).
     *
     * @param masquerades whether the oracle's agent masquerades IPv6 (with ip6tables)
     * @param exclusion   the oracle's IPv6 exclusion CIDR for this node
     */
    static ModeCheck natRules6(String node, boolean masquerades, Cidr6 podCidr, Cidr6 exclusion, List<IptablesRule> nat,
                               String evidence) {
        String check = "ip6tables-save -t nat: CILIUM_POST_nat";
        Optional<IptablesRule> masq = MasqueradeRules.masqueradeRule(nat);
        if (!MasqueradeRules.hasFeeder(nat)) {
            return ModeCheck.failed(node, check, "ip6tables POSTROUTING does not feed CILIUM_POST_nat", evidence);
        }
        if (!masquerades) {
            return masq.isEmpty()
                    ? ModeCheck.passed(node, check, "no IPv6 'cilium masquerade non-cluster' rule: pod IPv6 leaves as it is", evidence)
                    : ModeCheck.failed(node, check, "expected no IPv6 masquerade rule (IPv6 is not masqueraded in this mode),"
                    + " found: " + masq.get().line(), evidence);
        }
        if (masq.isEmpty()) {
            return ModeCheck.failed(node, check, "IPv6 masquerading by ip6tables expected, but CILIUM_POST_nat has no"
                    + " 'cilium masquerade non-cluster' MASQUERADE rule", evidence);
        }
        IptablesRule r = masq.get();
        if (r.option("-s").filter(podCidr.toString()::equals).isEmpty()
                || r.negatedOption("-d").filter(exclusion.toString()::equals).isEmpty()) {
            return ModeCheck.failed(node, check, "expected MASQUERADE of " + podCidr + " to destinations outside " + exclusion
                    + ", found: " + r.line(), evidence);
        }
        if (nat.stream().noneMatch(x -> x.chain().equals(MasqueradeRules.CHAIN) && x.tokens().contains(LabRules6.NODE_SET_V6))) {
            return ModeCheck.failed(node, check, "native routing: the '" + LabRules6.NODE_SET_V6 + "' ACCEPT rule is missing", evidence);
        }
        return ModeCheck.passed(node, check, "MASQUERADE " + podCidr + " ! -d " + exclusion + " present", r.line());
    }

    /**
     * The IPv6 twin of {@link #bpfEmulation} (Cilium 1.14 on): the lab's BPF-semantics chain in ip6tables' mangle table is
     * there exactly when the oracle's agent masquerades IPv6 with BPF, and its ip-masq-agent entries are the oracle's IPv6 list.
     */
    static ModeCheck bpfEmulation6(String node, AgentConfig expected, List<IptablesRule> mangle, String evidence) {
        String check = "lab IPv6 BPF-masquerade emulation (ip6tables mangle " + LabRules.BPF_CHAIN + ")";
        boolean marks = mangle.stream().anyMatch(r -> r.target().filter("MARK"::equals).isPresent()
                && (r.chain().equals(LabRules.BPF_CHAIN) || r.chain().equals(LabRules.IP_MASQ_CHAIN)));
        if (expected.modeV6() != MasqueradeMode.BPF) {
            return marks ? ModeCheck.failed(node, check, "IPv6 BPF-semantics rules present, but the agent masquerades IPv6 "
                    + (expected.modeV6() == MasqueradeMode.DISABLED ? "not at all" : "with ip6tables"), evidence)
                    : ModeCheck.passed(node, check, "no IPv6 BPF-semantics rules, as the agent has none", "");
        }
        if (!marks) {
            return ModeCheck.failed(node, check, "IPv6 BPF masquerading expected (Cilium " + expected.version().text()
                    + ") but the lab's IPv6 BPF-semantics rules are missing", evidence);
        }
        if (!expected.ipMasqAgent()) {
            return ModeCheck.passed(node, check, "IPv6 BPF-semantics SNAT rules present (no ip-masq-agent)", "");
        }
        Set<String> inChain = mangle.stream().filter(r -> r.chain().equals(LabRules.IP_MASQ_CHAIN))
                .filter(r -> r.target().filter("RETURN"::equals).isPresent())
                .map(r -> r.option("-d").orElse("?")).collect(Collectors.toSet());
        Set<String> wanted = expected.ipMasqAgentFile().effectiveCidrsV6().stream().map(Object::toString).collect(Collectors.toSet());
        return inChain.equals(wanted)
                ? ModeCheck.passed(node, check, "IPv6 ip-masq-agent CIDRs match the oracle's " + wanted.size() + " entries", "")
                : ModeCheck.failed(node, check, "IPv6 ip-masq-agent CIDRs differ from the oracle's: lab " + inChain + ", oracle " + wanted,
                evidence);
    }

    /** The lab's BPF-semantics chain, and the ip-masq-agent CIDRs in it, against the oracle's list. */
    static ModeCheck bpfEmulation(String node, AgentConfig expected, List<IptablesRule> mangle, String evidence) {
        String check = "lab BPF-masquerade emulation (mangle " + LabRules.BPF_CHAIN + ")";
        boolean marks = mangle.stream().anyMatch(r -> r.target().filter("MARK"::equals).isPresent()
                && (r.chain().equals(LabRules.BPF_CHAIN) || r.chain().equals(LabRules.IP_MASQ_CHAIN)));
        if (expected.mode() != MasqueradeMode.BPF) {
            return marks ? ModeCheck.failed(node, check, "BPF-semantics rules present, but the agent would run "
                    + expected.mode().label() + expected.fallback().map(f -> " (fallback: " + f + ")").orElse(""), evidence)
                    : ModeCheck.passed(node, check, "no BPF-semantics rules, as in " + expected.mode().label() + " mode", "");
        }
        if (!marks) {
            return ModeCheck.failed(node, check, "BPF mode expected but the lab's BPF-semantics rules are missing", evidence);
        }
        if (!expected.ipMasqAgent()) {
            return ModeCheck.passed(node, check, "BPF-semantics SNAT rules present (no ip-masq-agent)", "");
        }
        Set<String> inChain = mangle.stream().filter(r -> r.chain().equals(LabRules.IP_MASQ_CHAIN))
                .filter(r -> r.target().filter("RETURN"::equals).isPresent())
                .map(r -> r.option("-d").orElse("?")).collect(Collectors.toSet());
        Set<String> wanted = expected.ipMasqAgentCidrs().stream().map(Cidr::toString).collect(Collectors.toSet());
        if (!inChain.equals(wanted)) {
            Set<String> missing = new HashSet<>(wanted);
            missing.removeAll(inChain);
            Set<String> extra = new HashSet<>(inChain);
            extra.removeAll(wanted);
            return ModeCheck.failed(node, check, "ip-masq-agent CIDRs differ from the oracle's: missing " + missing
                    + ", unexpected " + extra, evidence);
        }
        return ModeCheck.passed(node, check, "ip-masq-agent CIDRs match the oracle's " + wanted.size() + " entries", "");
    }
}
