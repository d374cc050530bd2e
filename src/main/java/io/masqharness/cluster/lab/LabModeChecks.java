package io.masqharness.cluster.lab;

import io.masqharness.cilium.IptablesRule;
import io.masqharness.cilium.MasqueradeRules;
import io.masqharness.cluster.ModeCheck;
import io.masqharness.net.Cidr;
import io.masqharness.net.Cidr6;
import io.masqharness.oracle.AgentConfig;
import io.masqharness.oracle.MasqueradeMode;
import io.masqharness.oracle.Routing;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads a lab node's rules back and compares them with the mode the oracle expects. */
final class LabModeChecks {

    private LabModeChecks() {
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
