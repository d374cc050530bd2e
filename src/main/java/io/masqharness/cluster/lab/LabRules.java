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
 *
 * <p>Of the tuning series it carries out what {@link LabTuning} reads: Cilium's raw-table NOTRACK rules
 * ({@link #noTrackRules}), and each pod's MTU and congestion control ({@link #tuningScript}).
 */
public final class LabRules {

    public static final String BPF_CHAIN = "LAB_BPF_SNAT";
    public static final String BPF_NAT_CHAIN = "LAB_BPF_SNAT_nat";
    public static final String IP_MASQ_CHAIN = "IP-MASQ-AGENT";
    public static final String SNAT_MARK = "0x1000/0x1000";
    /** Cilium's raw-table chains (pkg/datapath/iptables/iptables.go, {@code ciliumPreRawChain}, {@code ciliumOutputRawChain}). */
    public static final String PRE_RAW_CHAIN = "CILIUM_PRE_raw";
    public static final String OUTPUT_RAW_CHAIN = "CILIUM_OUTPUT_raw";
    /** The comment Cilium gives its conntrack-bypass rules ({@code addNoTrackPodTrafficRules}). */
    public static final String NOTRACK_COMMENT = "cilium: NOTRACK for pod traffic";
    /** The lab's own raw chain, ahead of CILIUM_PRE_raw: flows its BPF-masquerade emulation must translate stay tracked. */
    public static final String NOTRACK_EXEMPT_CHAIN = "LAB_NOTRACK_EXEMPT";

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
        // Cilium's raw chains and feeders (ciliumChains: CILIUM_PRE_raw from PREROUTING, CILIUM_OUTPUT_raw from OUTPUT); the
        // lab's exemption chain is fed first, so that what it accepts never reaches Cilium's NOTRACK rules.
        for (String chain : List.of(NOTRACK_EXEMPT_CHAIN, PRE_RAW_CHAIN, OUTPUT_RAW_CHAIN)) {
            s.append("iptables -t raw -N ").append(chain).append('\n');
        }
        s.append("iptables -t raw -A PREROUTING -m comment --comment \"lab-feeder: ").append(NOTRACK_EXEMPT_CHAIN)
                .append("\" -j ").append(NOTRACK_EXEMPT_CHAIN).append('\n');
        s.append("iptables -t raw -A PREROUTING -m comment --comment \"cilium-feeder: ").append(PRE_RAW_CHAIN)
                .append("\" -j ").append(PRE_RAW_CHAIN).append('\n');
        s.append("iptables -t raw -A OUTPUT -m comment --comment \"cilium-feeder: ").append(OUTPUT_RAW_CHAIN)
                .append("\" -j ").append(OUTPUT_RAW_CHAIN).append('\n');
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
        List<String> raw = new ArrayList<>();
        LabTuning tuning = LabTuning.of(values);
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
            List<String> notSnated = List.of(" ! -s " + pods + c + "\"lab bpf-masq: only local endpoints are SNATed\" -j RETURN",
                    " -d " + exclusion + c + "\"lab bpf-masq: SNAT exclusion CIDR\" -j RETURN",
                    " -m set --match-set " + MasqueradeRules.NODE_SET + " dst" + c + "\"lab bpf-masq: remote-node identity is not SNATed\" -j RETURN");
            notSnated.forEach(r -> mangle.add("-A " + BPF_CHAIN + r));
            if (tuning.noConntrack()) {
                // Cilium SNATs in BPF, without netfilter's conntrack; the lab's emulation is netfilter NAT, which sees no
                // untracked flow. So exactly the flows it will SNAT (the same tests as LAB_BPF_SNAT, in the same order) skip
                // Cilium's NOTRACK rules; every other pod flow is untracked, as with Cilium.
                notSnated.forEach(r -> raw.add("-A " + NOTRACK_EXEMPT_CHAIN + r));
                if (values.bool("ipMasqAgent.enabled", false)) {
                    ipMasqAgentCidrs(agentFile).forEach(cidr -> raw.add("-A " + NOTRACK_EXEMPT_CHAIN + " -d " + cidr
                            + c + "\"lab bpf-masq: ip-masq-agent CIDR, not SNATed\" -j RETURN"));
                }
                raw.add("-A " + NOTRACK_EXEMPT_CHAIN + c + "\"lab: tracked, the lab's BPF-masquerade emulation is netfilter NAT\" -j ACCEPT");
            }
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
        if (tuning.noConntrack()) {
            // Keyed on the native-routing CIDR; without one the lab installs none (what 1.13.4 does then is unsettled, facts §2.4).
            values.cidr("ipv4NativeRoutingCIDR").ifPresent(cidr -> raw.addAll(noTrackRules(cidr.toString())));
        }
        return "*nat\n:" + MasqueradeRules.CHAIN + " - [0:0]\n:" + BPF_NAT_CHAIN + " - [0:0]\n"
                + lines(nat) + "COMMIT\n*mangle\n:" + BPF_CHAIN + " - [0:0]\n:" + IP_MASQ_CHAIN + " - [0:0]\n"
                + lines(mangle) + "COMMIT\n*raw\n:" + NOTRACK_EXEMPT_CHAIN + " - [0:0]\n:" + PRE_RAW_CHAIN + " - [0:0]\n:"
                + OUTPUT_RAW_CHAIN + " - [0:0]\n" + lines(raw) + "COMMIT\n";
    }

    /**
     * Cilium's conntrack bypass as iptables-save shows it, followed from cilium/cilium pkg/datapath/iptables/iptables.go of
     * the 1.13 line: {@code installRules} calls {@code addNoTrackPodTrafficRules(ip4tables, GetIPv4NativeRoutingCIDR())}
     * when {@code skipPodTrafficConntrack(false)} (IPv4 only, install-no-conntrack-iptables-rules), which for each of
     * CILIUM_PRE_raw and CILIUM_OUTPUT_raw inserts ({@code -I}) {@code -s CIDR} and then {@code -d CIDR} with the comment
     * "cilium: NOTRACK for pod traffic" and {@code -j CT --notrack} (PR #15467 made it -s/-d, not -s and -d); inserted
     * at the top, the -d rule lists first, as in the real output in facts/cilium-tuning-series.md §2.4 and as Cilium's
     * e2e test checks them ({@code iptables -t raw -C CILIUM_PRE_raw -s <cidr> -m comment --comment 'cilium: NOTRACK for
     * pod traffic' -j CT --notrack}). Cilium's proxy NOTRACK rules in the same chains are not modelled (no L7 proxy here).
     */
    static List<String> noTrackRules(String nativeRoutingCidr) {
        List<String> rules = new ArrayList<>();
        for (String chain : List.of(PRE_RAW_CHAIN, OUTPUT_RAW_CHAIN)) {
            for (String match : List.of("-d", "-s")) {
                rules.add("-A " + chain + " " + match + " " + nativeRoutingCidr + " -m comment --comment \"" + NOTRACK_COMMENT
                        + "\" -j CT --notrack");
            }
        }
        return rules;
    }

    /**
     * The shell script that gives a node's pods the mode's MTU and congestion control ({@link LabTuning}): the MTU on each
     * pod's eth0, its node-side veth (the lab's lxc*) and the pod bridge (the lab's cilium_host), as Cilium sets them when
     * it creates a pod; the congestion control in each pod's namespace. Cilium needs the pods recreated for either to
     * apply; the lab changes the existing namespaces' devices and sysctl in place at the switch, which is what a
     * recreated pod would have (its probes open new connections after every switch; a socket opened before keeps its
     * congestion control, as with Cilium). /proc/sys is read-only in the node container: the write runs in the private
     * mount namespace {@code ip netns exec} makes, with /proc/sys remounted writable there only.
     *
     * @param bridge           the node's pod bridge
     * @param namespaces       the pods' network namespaces (each has eth0, and vp-NAME on the node)
     * @param nodeDefault      the node's default congestion control (see {@link LabTuning#congestionControl})
     */
    public static String tuningScript(LabTuning tuning, String bridge, List<String> namespaces, String nodeDefault) {
        int mtu = tuning.podMtu();
        String cc = tuning.congestionControl(nodeDefault);
        StringBuilder s = new StringBuilder();
        for (String ns : namespaces) {
            s.append("ip netns exec ").append(ns).append(" ip link set eth0 mtu ").append(mtu).append('\n');
            s.append("ip link set vp-").append(ns).append(" mtu ").append(mtu).append('\n');
            s.append("ip netns exec ").append(ns).append(" sh -ec 'mount -o remount,rw /proc/sys && sysctl -qw net.ipv4.tcp_congestion_control=")
                    .append(cc).append("'\n");
        }
        s.append("ip link set ").append(bridge).append(" mtu ").append(mtu).append('\n');
        return s.toString();
    }

    /**
     * The shell script that gives a node its default congestion control ({@link LabTuning#nodeDefault}): for the node's own
     * sockets (its network namespace, the host path's) and each pod's namespace, which would otherwise inherit this host's
     * default. As in {@link #tuningScript}, the write runs in a private mount namespace with /proc/sys remounted writable.
     */
    public static String nodeCongestionControlScript(String congestionControl, List<String> namespaces) {
        String write = "sh -ec 'mount -o remount,rw /proc/sys && sysctl -qw net.ipv4.tcp_congestion_control=" + congestionControl + "'";
        StringBuilder s = new StringBuilder("unshare -m ").append(write).append('\n');
        namespaces.forEach(ns -> s.append("ip netns exec ").append(ns).append(' ').append(write).append('\n'));
        return s.toString();
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
