package io.masqharness.cluster.lab;

import io.masqharness.cilium.MasqueradeRules;
import io.masqharness.net.Cidr6;
import io.masqharness.net.Ipv6;
import io.masqharness.oracle.HelmValues;
import io.masqharness.oracle.IpMasqAgentFile;
import java.util.ArrayList;
import java.util.List;

/**
 * The lab's IPv6 reference datapath, as ip6tables rules written from the facts of Cilium 1.13.4
 * (research note cilium-1.13-ipv6.md): in iptables mode {@code installMasqueradeRules} runs a second
 * time with the {@code ip6tables} program (pkg/datapath/iptables/iptables.go:1443-1456), so
 * {@code CILIUM_POST_nat} in the ip6tables nat table gets the IPv4 rules' IPv6 twins: the
 * {@code cilium_node_set_v6} ACCEPT (native routing), {@code -s <node's v6 pod CIDR> ! -d <exclusion>
 * ! -o cilium_+ ... MASQUERADE} with the exclusion {@code ipv6NativeRoutingCIDR} else the node's v6
 * pod CIDR (pkg/datapath/config.go:130-140), and the {@code ::1} rule SNATing to the node's IPv6 (not
 * cilium_host's: pkg/node/address.go GetHostMasqueradeIPv6). BPF masquerading has no IPv6 in 1.13
 * (no ENABLE_MASQUERADE_IPV6; snat_v6_needed only matches the node's own address), so in BPF mode
 * the chain stays empty and pod IPv6 leaves as it is. Like {@link LabRules} it reads the Helm values
 * itself and does not emulate Cilium's refusal of BPF with IPv6 masquerading on: it then installs
 * what the BPF datapath would do, nothing. The IPv4 lab leaves out Cilium's proxy-return and hairpin
 * rules (no proxy, no services here); so does this one.
 *
 * <p>From Cilium 1.14 BPF masquerading translates IPv6 (PR #23165; bpf/lib/nat.h snat_v6_needs_masquerade and
 * snat_v6_nat, facts D1/D2): in BPF mode with IPv6 masquerading on, the lab marks in mangle what BPF would SNAT, as
 * {@link LabRules} does for IPv4: pod sources, outside the exclusion CIDR, not to another node, not in the
 * ip-masq-agent's IPv6 list (PR #23219: the file's IPv6 entries, and fe80::/10 unless masqLinkLocalIPv6), then
 * MASQUERADEs marked TCP, UDP and ICMPv6 in nat, lets echo request and reply, neighbour solicitation and
 * advertisement through, and drops every other marked ICMPv6 type (DROP_NAT_UNSUPP_PROTO).
 */
public final class LabRules6 {

    public static final String NODE_SET_V6 = "cilium_node_set_v6";
    static final String LOOPBACK_COMMENT = "cilium host->cluster from ::1 masquerade";
    static final String LINK_LOCAL_V6 = "fe80::/10";

    /** What the lab installs for IPv6. */
    public enum Kind { IPTABLES, BPF, NONE }

    private LabRules6() {
    }

    /** Whether the lab installs ip6tables masquerade rules for these values: its own reading, not the oracle's. */
    public static boolean masquerades(HelmValues values) {
        return kind(values, 13) == Kind.IPTABLES;
    }

    /** The lab's own reading of the values under a Cilium minor version: BPF masquerades IPv6 from 1.14 on. */
    public static Kind kind(HelmValues values, int ciliumMinor) {
        if (!values.bool("ipv6.enabled", false) || !values.bool("enableIPv6Masquerade", true)) {
            return Kind.NONE;
        }
        if (!values.bool("bpf.masquerade", false)) {
            return Kind.IPTABLES;
        }
        return ciliumMinor >= 14 ? Kind.BPF : Kind.NONE;
    }

    /** The ip6tables chain, its feeder and the node set (every node's IPv6), installed once per node. */
    public static String setup(List<Ipv6> nodeIps) {
        StringBuilder s = new StringBuilder();
        s.append("ipset create ").append(NODE_SET_V6).append(" hash:ip family inet6 -exist\n");
        nodeIps.forEach(ip -> s.append("ipset add ").append(NODE_SET_V6).append(' ').append(ip).append(" -exist\n"));
        s.append("ip6tables -t nat -N ").append(MasqueradeRules.CHAIN).append('\n');
        s.append("ip6tables -t nat -N ").append(LabRules.BPF_NAT_CHAIN).append('\n');
        s.append("ip6tables -t mangle -N ").append(LabRules.BPF_CHAIN).append('\n');
        s.append("ip6tables -t mangle -N ").append(LabRules.IP_MASQ_CHAIN).append('\n');
        s.append("ip6tables -t nat -I POSTROUTING 1 -m comment --comment \"").append(MasqueradeRules.FEEDER_COMMENT)
                .append("\" -j ").append(MasqueradeRules.CHAIN).append('\n');
        s.append("ip6tables -t nat -A POSTROUTING -m comment --comment \"lab-feeder: ").append(LabRules.BPF_NAT_CHAIN)
                .append("\" -j ").append(LabRules.BPF_NAT_CHAIN).append('\n');
        s.append("ip6tables -t mangle -A POSTROUTING -m comment --comment \"lab-feeder: ").append(LabRules.BPF_CHAIN)
                .append("\" -j ").append(LabRules.BPF_CHAIN).append('\n');
        return s.toString();
    }

    /**
     * {@code ip6tables-restore --noflush} input that replaces {@code CILIUM_POST_nat}'s rules with the mode's.
     *
     * @param nodePodCidr  the node's IPv6 pod CIDR (the masquerade rule's source)
     * @param nodeIp       the node's IPv6 address (the {@code ::1} rule's SNAT target)
     * @param localDevice  where the node delivers to its pods (Cilium's cilium_host; the lab's bridge)
     */
    public static String forMode(HelmValues values, Cidr6 nodePodCidr, Ipv6 nodeIp, String localDevice) {
        return forMode(values, 13, nodePodCidr, nodeIp, localDevice, new IpMasqAgentFile.Absent());
    }

    /**
     * {@code ip6tables-restore --noflush} input for the mode under a Cilium minor version: the ip6tables rules, or
     * from 1.14 the BPF emulation, whose ip-masq-agent list comes from {@code agentFile} (read only with the agent on).
     */
    public static String forMode(HelmValues values, int ciliumMinor, Cidr6 nodePodCidr, Ipv6 nodeIp, String localDevice,
                                 IpMasqAgentFile agentFile) {
        List<String> nat = new ArrayList<>();
        List<String> mangle = new ArrayList<>();
        Kind kind = kind(values, ciliumMinor);
        String exclusion = values.string("ipv6NativeRoutingCIDR", "").isEmpty() ? nodePodCidr.toString()
                : Cidr6.parse(values.string("ipv6NativeRoutingCIDR", "")).toString();
        String c = " -m comment --comment ";
        if (kind == Kind.BPF) {
            String pods = nodePodCidr.toString();
            mangle.add("-A " + LabRules.BPF_CHAIN + " ! -s " + pods + c + "\"lab bpf-masq6: only local endpoints are SNATed\" -j RETURN");
            mangle.add("-A " + LabRules.BPF_CHAIN + " -d " + exclusion + c + "\"lab bpf-masq6: SNAT exclusion CIDR\" -j RETURN");
            mangle.add("-A " + LabRules.BPF_CHAIN + " -m set --match-set " + NODE_SET_V6 + " dst"
                    + c + "\"lab bpf-masq6: remote-node identity is not SNATed\" -j RETURN");
            if (values.bool("ipMasqAgent.enabled", false)) {
                mangle.add("-A " + LabRules.BPF_CHAIN + c + "\"lab bpf-masq6: ip-masq-agent\" -j " + LabRules.IP_MASQ_CHAIN);
                mangle.add("-A " + LabRules.BPF_CHAIN + " -m mark ! --mark " + LabRules.SNAT_MARK + " -j RETURN");
                ipMasqAgentCidrs(agentFile).forEach(cidr -> mangle.add("-A " + LabRules.IP_MASQ_CHAIN + " -d " + cidr
                        + c + "\"ip-masq-agent: local traffic is not subject to MASQUERADE\" -j RETURN"));
                mangle.add("-A " + LabRules.IP_MASQ_CHAIN + c + "\"ip-masq-agent: outbound traffic is subject to MASQUERADE"
                        + " (must be last in chain)\" -j MARK --set-xmark " + LabRules.SNAT_MARK);
            } else {
                mangle.add("-A " + LabRules.BPF_CHAIN + " -j MARK --set-xmark " + LabRules.SNAT_MARK);
            }
            for (String type : List.of("echo-request", "echo-reply", "neighbour-solicitation", "neighbour-advertisement")) {
                mangle.add("-A " + LabRules.BPF_CHAIN + " -p ipv6-icmp -m icmp6 --icmpv6-type " + type + " -j RETURN");
            }
            mangle.add("-A " + LabRules.BPF_CHAIN + " -p ipv6-icmp" + c + "\"lab bpf-masq6: DROP_NAT_UNSUPP_PROTO\" -j DROP");
            for (String proto : List.of("tcp", "udp", "ipv6-icmp")) {
                nat.add("-A " + LabRules.BPF_NAT_CHAIN + " -p " + proto + " -m mark --mark " + LabRules.SNAT_MARK
                        + c + "\"lab bpf-masq6: SNAT to the node's IPv6\" -j MASQUERADE");
            }
        }
        if (kind == Kind.IPTABLES) {
            String egress = values.string("egressMasqueradeInterfaces", "");
            String pods = nodePodCidr.toString();
            nat.add("-A " + MasqueradeRules.CHAIN + " -s " + pods + " -m set --match-set " + NODE_SET_V6 + " dst"
                    + c + "\"" + MasqueradeRules.NODE_SET_COMMENT + "\" -j ACCEPT");
            nat.add("-A " + MasqueradeRules.CHAIN + (egress.isEmpty() ? " -s " + pods + " ! -d " + exclusion + " ! -o cilium_+"
                    : " ! -d " + exclusion + " -o " + egress)
                    + c + "\"" + MasqueradeRules.MASQUERADE_COMMENT + "\" -j MASQUERADE"
                    + (values.bool("iptablesRandomFully", false) ? " --random-fully" : ""));
            nat.add("-A " + MasqueradeRules.CHAIN + " -s ::1/128 -o " + localDevice + c + "\"" + LOOPBACK_COMMENT
                    + "\" -j SNAT --to-source " + nodeIp);
        }
        StringBuilder s = new StringBuilder("*nat\n:" + MasqueradeRules.CHAIN + " - [0:0]\n:" + LabRules.BPF_NAT_CHAIN + " - [0:0]\n");
        nat.forEach(r -> s.append(r).append('\n'));
        s.append("COMMIT\n*mangle\n:").append(LabRules.BPF_CHAIN).append(" - [0:0]\n:").append(LabRules.IP_MASQ_CHAIN).append(" - [0:0]\n");
        mangle.forEach(r -> s.append(r).append('\n'));
        return s.append("COMMIT\n").toString();
    }

    /** The upstream agent's IPv6 list as Cilium 1.14 reads it: the file's IPv6 entries, fe80::/10 unless masqLinkLocalIPv6. */
    static List<String> ipMasqAgentCidrs(IpMasqAgentFile file) {
        List<String> cidrs = new ArrayList<>();
        boolean masqLinkLocal = false;
        if (file instanceof IpMasqAgentFile.Present p) {
            p.nonMasqueradeCidrsV6().forEach(x -> cidrs.add(x.toString()));
            masqLinkLocal = p.masqLinkLocalIPv6();
        } else if (file instanceof IpMasqAgentFile.Rejected r) {
            r.nonMasqueradeCidrs().stream().filter(x -> x.indexOf(':') >= 0).map(x -> Cidr6.parse(x).toString()).forEach(cidrs::add);
            masqLinkLocal = r.masqLinkLocalIPv6();
        }
        if (!masqLinkLocal && !cidrs.contains(LINK_LOCAL_V6)) {
            cidrs.add(0, LINK_LOCAL_V6);
        }
        return cidrs;
    }
}
