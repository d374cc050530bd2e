package io.masqharness.cluster.lab;

import io.masqharness.cilium.MasqueradeRules;
import io.masqharness.net.Cidr;
import io.masqharness.oracle.HelmValues;
import io.masqharness.oracle.IpMasqAgentFile;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The lab's reference datapath, as iptables rules written from the facts: the rules Cilium 1.13
 * installs in iptables mode, and BPF masquerading's semantics (TCP, UDP and ICMP echo only; other
 * ICMP needing SNAT dropped) with the upstream Kubernetes ip-masq-agent's chain for
 * nonMasqueradeCIDRs. Deliberately independent of the oracle: it reads the Helm values itself and
 * does not emulate Cilium's fallback or refusals, so a mismatch shows up in mode verification.
 */
public final class LabRules {

    public static final String BPF_CHAIN = "LAB_BPF_SNAT";
    public static final String BPF_NAT_CHAIN = "LAB_BPF_SNAT_nat";
    public static final String IP_MASQ_CHAIN = "IP-MASQ-AGENT";
    public static final String SNAT_MARK = "0x1000/0x1000";

    /**
     * The upstream Kubernetes ip-masq-agent's default nonMasqueradeCIDRs (kept here on purpose,
     * not taken from the oracle, so the lab and the oracle check each other).
     */
    static final List<String> UPSTREAM_DEFAULTS = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
            "100.64.0.0/10", "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "198.18.0.0/15",
            "198.51.100.0/24", "203.0.113.0/24", "240.0.0.0/4");

    public enum Kind { IPTABLES, BPF, NONE }

    private LabRules() {
    }

    /** What the lab installs for these values: its own reading, not the oracle's. */
    public static Kind kind(HelmValues values) {
        if (!values.bool("enableIPv4Masquerade", true)) {
            return Kind.NONE;
        }
        return values.bool("bpf.masquerade", false) ? Kind.BPF : Kind.IPTABLES;
    }

    /** Chains and feeders, installed once per node. */
    public static String setup(List<String> nodeIps) {
        StringBuilder s = new StringBuilder();
        s.append("ipset create ").append(MasqueradeRules.NODE_SET).append(" hash:ip family inet -exist\n");
        nodeIps.forEach(ip -> s.append("ipset add ").append(MasqueradeRules.NODE_SET).append(' ').append(ip).append(" -exist\n"));
        s.append("iptables -t nat -N ").append(MasqueradeRules.CHAIN).append('\n');
        s.append("iptables -t nat -N ").append(BPF_NAT_CHAIN).append('\n');
        s.append("iptables -t mangle -N ").append(BPF_CHAIN).append('\n');
        s.append("iptables -t mangle -N ").append(IP_MASQ_CHAIN).append('\n');
        s.append("iptables -t nat -I POSTROUTING 1 -m comment --comment \"").append(MasqueradeRules.FEEDER_COMMENT)
                .append("\" -j ").append(MasqueradeRules.CHAIN).append('\n');
        s.append("iptables -t nat -A POSTROUTING -m comment --comment \"lab-feeder: ").append(BPF_NAT_CHAIN)
                .append("\" -j ").append(BPF_NAT_CHAIN).append('\n');
        s.append("iptables -t mangle -A POSTROUTING -m comment --comment \"lab-feeder: ").append(BPF_CHAIN)
                .append("\" -j ").append(BPF_CHAIN).append('\n');
        return s.toString();
    }

    /**
     * {@code iptables-restore --noflush} input that replaces the lab chains' rules with the mode's.
     *
     * @param nodePodCidr the node's pod CIDR (the masquerade rule's source)
     * @param device      the node's egress device
     * @param agentFile   the ip-masq-agent ConfigMap state (only read in BPF mode with the agent)
     */
    public static String forMode(HelmValues values, Cidr nodePodCidr, IpMasqAgentFile agentFile) {
        Kind kind = kind(values);
        String exclusion = values.cidr("ipv4NativeRoutingCIDR").orElse(nodePodCidr).toString();
        String pods = nodePodCidr.toString();
        List<String> nat = new ArrayList<>();
        List<String> mangle = new ArrayList<>();
        if (kind == Kind.IPTABLES) {
            String egress = values.string("egressMasqueradeInterfaces", "");
            nat.add("-A " + MasqueradeRules.CHAIN + " -s " + pods + " -m set --match-set " + MasqueradeRules.NODE_SET
                    + " dst -m comment --comment \"" + MasqueradeRules.NODE_SET_COMMENT + "\" -j ACCEPT");
            nat.add("-A " + MasqueradeRules.CHAIN + (egress.isEmpty() ? " -s " + pods + " ! -d " + exclusion + " ! -o cilium_+"
                    : " ! -d " + exclusion + " -o " + egress)
                    + " -m comment --comment \"" + MasqueradeRules.MASQUERADE_COMMENT + "\" -j MASQUERADE"
                    + (values.bool("iptablesRandomFully", false) ? " --random-fully" : ""));
        } else if (kind == Kind.BPF) {
            String c = " -m comment --comment ";
            mangle.add("-A " + BPF_CHAIN + " ! -s " + pods + c + "\"lab bpf-masq: only local endpoints are SNATed\" -j RETURN");
            mangle.add("-A " + BPF_CHAIN + " -d " + exclusion + c + "\"lab bpf-masq: SNAT exclusion CIDR\" -j RETURN");
            mangle.add("-A " + BPF_CHAIN + " -m set --match-set " + MasqueradeRules.NODE_SET + " dst"
                    + c + "\"lab bpf-masq: remote-node identity is not SNATed\" -j RETURN");
            if (values.bool("ipMasqAgent.enabled", false)) {
                mangle.add("-A " + BPF_CHAIN + c + "\"lab bpf-masq: ip-masq-agent\" -j " + IP_MASQ_CHAIN);
                mangle.add("-A " + BPF_CHAIN + " -m mark ! --mark " + SNAT_MARK + " -j RETURN");
                ipMasqAgentCidrs(agentFile).forEach(cidr -> mangle.add("-A " + IP_MASQ_CHAIN + " -d " + cidr
                        + c + "\"ip-masq-agent: local traffic is not subject to MASQUERADE\" -j RETURN"));
                mangle.add("-A " + IP_MASQ_CHAIN + c + "\"ip-masq-agent: outbound traffic is subject to MASQUERADE"
                        + " (must be last in chain)\" -j MARK --set-xmark " + SNAT_MARK);
            } else {
                mangle.add("-A " + BPF_CHAIN + " -j MARK --set-xmark " + SNAT_MARK);
            }
            mangle.add("-A " + BPF_CHAIN + " -p icmp -m icmp --icmp-type echo-request -j RETURN");
            mangle.add("-A " + BPF_CHAIN + " -p icmp -m icmp --icmp-type echo-reply -j RETURN");
            mangle.add("-A " + BPF_CHAIN + " -p icmp" + c + "\"lab bpf-masq: DROP_NAT_UNSUPP_PROTO\" -j DROP");
            for (String proto : List.of("tcp", "udp", "icmp")) {
                nat.add("-A " + BPF_NAT_CHAIN + " -p " + proto + " -m mark --mark " + SNAT_MARK
                        + c + "\"lab bpf-masq: SNAT to the node IP\" -j MASQUERADE");
            }
        }
        return "*nat\n:" + MasqueradeRules.CHAIN + " - [0:0]\n:" + BPF_NAT_CHAIN + " - [0:0]\n"
                + lines(nat) + "COMMIT\n*mangle\n:" + BPF_CHAIN + " - [0:0]\n:" + IP_MASQ_CHAIN + " - [0:0]\n"
                + lines(mangle) + "COMMIT\n";
    }

    /** The upstream agent's list: defaults when there is no config or it is empty, link-local unless masqLinkLocal. */
    static List<String> ipMasqAgentCidrs(IpMasqAgentFile file) {
        List<String> cidrs = new ArrayList<>();
        boolean masqLinkLocal = false;
        if (file instanceof IpMasqAgentFile.Present p) {
            p.nonMasqueradeCidrs().forEach(c -> cidrs.add(c.toString()));
            masqLinkLocal = p.masqLinkLocal();
        } else {
            cidrs.addAll(UPSTREAM_DEFAULTS);
        }
        if (!masqLinkLocal && !cidrs.contains("169.254.0.0/16")) {
            cidrs.add(0, "169.254.0.0/16");
        }
        return cidrs;
    }

    private static String lines(List<String> rules) {
        return rules.stream().flatMap(r -> Stream.of(r, "\n")).reduce("", String::concat);
    }
}
