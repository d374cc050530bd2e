package io.masqharness.cluster.lab;

import io.masqharness.cilium.MasqueradeRules;
import io.masqharness.net.Cidr6;
import io.masqharness.net.Ipv6;
import io.masqharness.oracle.HelmValues;
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
 */
public final class LabRules6 {

    public static final String NODE_SET_V6 = "cilium_node_set_v6";
    static final String LOOPBACK_COMMENT = "cilium host->cluster from ::1 masquerade";

    private LabRules6() {
    }

    /** Whether the lab installs IPv6 masquerade rules for these values: its own reading, not the oracle's. */
    public static boolean masquerades(HelmValues values) {
        return values.bool("ipv6.enabled", false) && values.bool("enableIPv6Masquerade", true)
                && !values.bool("bpf.masquerade", false);
    }

    /** The ip6tables chain, its feeder and the node set (every node's IPv6), installed once per node. */
    public static String setup(List<Ipv6> nodeIps) {
        StringBuilder s = new StringBuilder();
        s.append("ipset create ").append(NODE_SET_V6).append(" hash:ip family inet6 -exist\n");
        nodeIps.forEach(ip -> s.append("ipset add ").append(NODE_SET_V6).append(' ').append(ip).append(" -exist\n"));
        s.append("ip6tables -t nat -N ").append(MasqueradeRules.CHAIN).append('\n');
        s.append("ip6tables -t nat -I POSTROUTING 1 -m comment --comment \"").append(MasqueradeRules.FEEDER_COMMENT)
                .append("\" -j ").append(MasqueradeRules.CHAIN).append('\n');
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
        List<String> nat = new ArrayList<>();
        if (masquerades(values)) {
            String exclusion = values.string("ipv6NativeRoutingCIDR", "").isEmpty() ? nodePodCidr.toString()
                    : Cidr6.parse(values.string("ipv6NativeRoutingCIDR", "")).toString();
            String egress = values.string("egressMasqueradeInterfaces", "");
            String pods = nodePodCidr.toString();
            String c = " -m comment --comment ";
            nat.add("-A " + MasqueradeRules.CHAIN + " -s " + pods + " -m set --match-set " + NODE_SET_V6 + " dst"
                    + c + "\"" + MasqueradeRules.NODE_SET_COMMENT + "\" -j ACCEPT");
            nat.add("-A " + MasqueradeRules.CHAIN + (egress.isEmpty() ? " -s " + pods + " ! -d " + exclusion + " ! -o cilium_+"
                    : " ! -d " + exclusion + " -o " + egress)
                    + c + "\"" + MasqueradeRules.MASQUERADE_COMMENT + "\" -j MASQUERADE"
                    + (values.bool("iptablesRandomFully", false) ? " --random-fully" : ""));
            nat.add("-A " + MasqueradeRules.CHAIN + " -s ::1/128 -o " + localDevice + c + "\"" + LOOPBACK_COMMENT
                    + "\" -j SNAT --to-source " + nodeIp);
        }
        StringBuilder s = new StringBuilder("*nat\n:" + MasqueradeRules.CHAIN + " - [0:0]\n");
        nat.forEach(r -> s.append(r).append('\n'));
        return s.append("COMMIT\n").toString();
    }
}
