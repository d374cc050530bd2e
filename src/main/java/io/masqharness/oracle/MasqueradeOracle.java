package io.masqharness.oracle;

import io.masqharness.net.Cidr;
import io.masqharness.net.IpAddress;
import io.masqharness.net.Ipv4;
import java.util.Optional;

/**
 * Predicts the source address a flow leaves with, from the effective agent configuration (which
 * carries the Cilium version it was derived for) and the cluster's nodes. Pure: no I/O, no clock.
 * The rules are Cilium 1.13's, shared by every later line except where a {@link VersionRule} says
 * otherwise; each rule cites where it comes from (iptables: pkg/datapath/iptables/iptables.go; BPF:
 * bpf/lib/nat.h snat_v4_needs_masquerade and snat_v4_nat; ip-masq-agent: pkg/ipmasq/ipmasq.go;
 * IPv6: {@link Ipv6Rules}, and {@link Ipv6BpfRules} from 1.14).
 */
public final class MasqueradeOracle {

    private MasqueradeOracle() {
    }

    /**
     * The expected source of one flow. The flow's family ({@link Flow#family()}, from its
     * destination's text) picks the rules: IPv4 here, IPv6 in {@link Ipv6Rules}. An IPv6 flow needs
     * nodes with an IPv6 address and pod CIDR ({@link ClusterFacts#dualStack()}); its
     * {@link Expectation#sourceAddress()} is then the node's IPv6 (node-ip) or the pod's (pod-ip).
     *
     * @throws OracleException when the cluster facts cannot answer (an unknown node, a node without IPv6)
     */
    public static Expectation expect(ClusterFacts cluster, AgentConfig agent, Flow flow) {
        ClusterFacts.Node node = cluster.node(flow.node());
        if (flow.ipv6()) {
            return Ipv6Rules.expect(cluster, agent, node, flow);
        }
        Ipv4 dst = flow.destinationIpv4();
        return flow.from() == Flow.Origin.NODE
                ? HostIcmpRules.apply(agent, node, dst, flow.protocol(), fromHost(cluster, agent, node, dst))
                : fromPod(cluster, agent, node, flow, dst);
    }

    /** The expected source with every version rule and unsettled fact it rests on, the configuration's included. */
    public static FlowAnswer answer(ClusterFacts cluster, AgentConfig agent, Flow flow) {
        return FlowAnswer.of(expect(cluster, agent, flow), agent);
    }

    private static Expectation fromPod(ClusterFacts cluster, AgentConfig agent, ClusterFacts.Node node,
                                       Flow flow, Ipv4 dst) {
        Optional<IpAddress> pod = flow.podIp();
        if (node.podCidr().contains(dst)) {
            return Expectation.podIp(pod, "destination " + dst + " is a pod on the same node (" + node.podCidr()
                    + "): delivered locally, it never reaches a masquerading device");
        }
        if (node.ip().equals(dst)) {
            return Expectation.podIp(pod, "destination " + dst + " is the pod's own node: delivered to the local"
                    + " host stack, it never leaves through a masquerading device");
        }
        if (agent.mode() == MasqueradeMode.DISABLED) {
            return Expectation.podIp(pod, "IPv4 masquerading is disabled (enableIPv4Masquerade=false)");
        }
        Optional<Cidr> excluded = agent.exclusion(node.podCidr());
        if (excluded.filter(c -> c.contains(dst)).isPresent()) {
            Cidr exclusion = excluded.get();
            return Expectation.podIp(pod, "destination " + dst + " is inside the SNAT exclusion CIDR " + exclusion
                    + (agent.nativeRoutingCidr().isPresent() ? " (ipv4NativeRoutingCIDR)"
                    : " (the node's pod CIDR: ipv4NativeRoutingCIDR is unset)") + ", never masqueraded in "
                    + agent.mode().label() + " mode");
        }
        Cidr exclusion = excluded.orElse(null);
        Optional<ClusterFacts.Node> podOwner = cluster.nodeWithPod(dst);
        if (podOwner.isPresent() && agent.routing().tunnelling()) {
            return Expectation.podIp(pod, "destination " + dst + " is a pod on " + podOwner.get().name()
                    + ": tunnelled through " + agent.routing().tunnelDevice() + ", which "
                    + (agent.mode() == MasqueradeMode.BPF ? "BPF masquerading never translates (no SNAT in bpf_overlay)"
                    : "the iptables rule skips (! -o cilium_+)"));
        }
        Optional<ClusterFacts.Node> remoteNode = cluster.nodeWithIp(dst);
        if (agent.mode() == MasqueradeMode.BPF) {
            // Without an exclusion CIDR (the ip-masq-agent from 1.15 on) only the local pod CIDR would have been
            // excluded, and local pods were answered above: the verdicts do not change.
            return nodeAddress(agent, bpf(agent, node, flow, dst, pod, remoteNode));
        }
        return EgressInterfaceRules.apply(agent, iptables(agent, node, flow, dst, pod, remoteNode, exclusion), pod);
    }

    private static Expectation iptables(AgentConfig agent, ClusterFacts.Node node, Flow flow, Ipv4 dst,
                                        Optional<IpAddress> pod, Optional<ClusterFacts.Node> remoteNode, Cidr exclusion) {
        String fellBack = agent.fallback().map(f -> " [BPF masquerading was requested but fell back: " + f + "]").orElse("");
        if (remoteNode.isPresent() && agent.routing() == Routing.NATIVE) {
            return Expectation.podIp(pod, "destination " + dst + " is node " + remoteNode.get().name()
                    + ": in native routing the rule 'exclude traffic to cluster nodes from masquerade'"
                    + " accepts it (ipset cilium_node_set_v4)" + fellBack);
        }
        String egress = agent.egressMasqueradeInterfaces();
        if (!egress.isEmpty() && !matchesInterfaces(egress, node.device())) {
            return Expectation.podIp(pod, "iptables masquerades only traffic leaving through egressMasqueradeInterfaces="
                    + egress + "; this flow leaves through " + node.device() + fellBack);
        }
        String towardsNode = remoteNode.map(n -> " (node " + n.name() + "'s IP has no tunnel endpoint,"
                + " so the packet leaves through " + node.device() + ")").orElse("");
        return Expectation.nodeIp(node.ip(), "iptables mode: CILIUM_POST_nat 'cilium masquerade non-cluster'"
                + " MASQUERADEs pod sources " + node.podCidr() + " to destinations outside " + exclusion
                + " leaving through " + (egress.isEmpty() ? "a non-cilium_+ device" : egress) + towardsNode
                + "; iptables translates every protocol conntrack tracks" + fellBack);
    }

    private static Expectation bpf(AgentConfig agent, ClusterFacts.Node node, Flow flow, Ipv4 dst,
                                   Optional<IpAddress> pod, Optional<ClusterFacts.Node> remoteNode) {
        if (agent.ipMasqAgent()) {
            for (Cidr cidr : agent.ipMasqAgentCidrs()) {
                if (cidr.contains(dst)) {
                    return Expectation.podIp(pod, "BPF ip-masq-agent: destination " + dst + " is in nonMasqueradeCIDR "
                            + cidr + " (" + agent.ipMasqAgentFile().origin(cidr) + ")");
                }
            }
        }
        if (remoteNode.isPresent() && agent.routing() == Routing.NATIVE) {
            return Expectation.podIp(pod, "destination " + dst + " is node " + remoteNode.get().name()
                    + ": in native routing BPF masquerading skips destinations with the remote-node identity");
        }
        String where = remoteNode.map(n -> "destination " + dst + " is node " + n.name()
                + " (no tunnel endpoint for a node IP, so it leaves through " + node.device() + ")").orElse(
                "destination " + dst + " is outside the exclusion CIDR" + (agent.ipMasqAgent() ? " and every ip-masq-agent CIDR" : ""));
        Protocol p = flow.protocol();
        switch (p.kind()) {
            case TCP, UDP:
                return Expectation.nodeIp(node.ip(), "BPF mode: " + where + "; " + p + " is SNATed to the node IP on " + node.device());
            case SCTP:
                return agent.sctp()
                        ? Expectation.nodeIp(node.ip(), "BPF mode: " + where + "; SCTP is translated (sctp.enabled=true)")
                        : Expectation.podIp(pod, "BPF mode: " + where + "; SCTP without sctp.enabled is not a protocol"
                        + " BPF NAT handles, so it passes untranslated");
            default:
                return p.isIcmpEcho()
                        ? Expectation.nodeIp(node.ip(), "BPF mode: " + where + "; ICMP echo is translated (the echo id takes the port's place)")
                        : Expectation.dropped("BPF mode: " + where + "; BPF NAT translates only ICMP echo request/reply,"
                        + " ICMP type " + p.icmpType() + " needing SNAT is dropped (DROP_NAT_UNSUPP_PROTO)");
        }
    }

    private static Expectation fromHost(ClusterFacts cluster, AgentConfig agent, ClusterFacts.Node node, Ipv4 dst) {
        Optional<ClusterFacts.Node> podOwner = cluster.nodeWithPod(dst);
        if (podOwner.isPresent() && (podOwner.get().equals(node) || agent.routing().tunnelling())) {
            return Expectation.routerIp("host-network traffic to pod " + dst + " is routed via cilium_host, whose"
                    + " route carries the router (cilium_host) address as source");
        }
        return Expectation.nodeIp(node.ip(), "host-network traffic already carries the node's address;"
                + " masquerading applies to pod sources only");
    }

    /**
     * A BPF node-ip answer on 1.16 rests on the node-address table's choice of the node's address
     * ({@link VersionRule#BPF_NODE_ADDRESS_116}, facts S1): flagged, the verdict unchanged.
     */
    static Expectation nodeAddress(AgentConfig agent, Expectation bpfAnswer) {
        return bpfAnswer.source() == Expectation.Source.NODE_IP && VersionRule.BPF_NODE_ADDRESS_116.appliesTo(agent.version())
                ? bpfAnswer.by(VersionRule.BPF_NODE_ADDRESS_116) : bpfAnswer;
    }

    /** iptables interface match: {@code eth+} matches any name starting with {@code eth}. */
    static boolean matchesInterfaces(String spec, String device) {
        for (String iface : spec.split("[,\\s]+")) {
            if (iface.endsWith("+") ? device.startsWith(iface.substring(0, iface.length() - 1)) : device.equals(iface)) {
                return true;
            }
        }
        return false;
    }
}
