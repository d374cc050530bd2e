package io.masqharness.oracle;

import io.masqharness.net.Cidr6;
import io.masqharness.net.IpAddress;
import io.masqharness.net.Ipv6;
import java.util.Optional;

/**
 * BPF masquerading of IPv6, from Cilium 1.14 ({@link VersionRule#IPV6_BPF_MASQUERADE}, PR #23165):
 * {@code snat_v6_needs_masquerade} in bpf/lib/nat.h follows IPv4's order (facts D1): the SNAT exclusion
 * CIDR ({@code IPV6_SNAT_EXCLUSION_DST_CIDR}: {@code ipv6NativeRoutingCIDR}, else the node's IPv6 pod
 * CIDR), the ip-masq-agent's IPv6 list ({@code cilium_ipmasq_v6}, PR #23219), in native routing the
 * remote-node identity, then every non-reply packet of a local endpoint is SNATed to the node's IPv6;
 * tunnelled traffic is never SNATed (bpf_overlay). {@code snat_v6_nat} translates TCP, UDP (SCTP when
 * enabled) and ICMPv6 echo request; other ICMPv6 needing SNAT is dropped (facts D2).
 */
final class Ipv6BpfRules {

    private Ipv6BpfRules() {
    }

    static Expectation fromPod(ClusterFacts cluster, AgentConfig agent, ClusterFacts.Node node, Optional<IpAddress> pod,
                               Cidr6 podCidr, Ipv6 nodeIp, Ipv6 dst, Protocol protocol) {
        Optional<Cidr6> exclusion = agent.exclusionV6(podCidr);
        if (exclusion.filter(c -> c.contains(dst)).isPresent()) {
            return Expectation.podIp(pod, "destination " + dst + " is inside the IPv6 SNAT exclusion CIDR " + exclusion.get()
                    + (agent.ipv6NativeRoutingCidr().isPresent() ? " (ipv6NativeRoutingCIDR)"
                    : " (the node's IPv6 pod CIDR: ipv6NativeRoutingCIDR is unset)") + ", never masqueraded by BPF");
        }
        Optional<ClusterFacts.Node> podOwner = cluster.nodeWithPodV6(dst);
        if (podOwner.isPresent() && agent.routing().tunnelling()) {
            return Expectation.podIp(pod, "destination " + dst + " is a pod on " + podOwner.get().name() + ": tunnelled through "
                    + agent.routing().tunnelDevice() + ", which BPF masquerading never translates (no SNAT in bpf_overlay)");
        }
        if (agent.ipMasqAgent()) {
            for (Cidr6 cidr : agent.ipMasqAgentFile().effectiveCidrsV6()) {
                if (cidr.contains(dst)) {
                    return Expectation.podIp(pod, "BPF ip-masq-agent: IPv6 destination " + dst + " is in nonMasqueradeCIDR "
                            + cidr + " (cilium_ipmasq_v6)").by(VersionRule.IPV6_IP_MASQ_AGENT);
                }
            }
        }
        Optional<ClusterFacts.Node> remoteNode = cluster.nodeWithIpv6(dst);
        if (remoteNode.isPresent() && agent.routing() == Routing.NATIVE) {
            return Expectation.podIp(pod, "destination " + dst + " is node " + remoteNode.get().name() + "'s IPv6: in native"
                    + " routing BPF masquerading skips destinations with the remote-node identity");
        }
        String where = remoteNode.map(n -> "destination " + dst + " is node " + n.name() + "'s IPv6 (no tunnel endpoint for a"
                + " node address, so it leaves through " + node.device() + ")").orElse("destination " + dst + " is outside the"
                + " IPv6 exclusion CIDR" + (agent.ipMasqAgent() ? " and every IPv6 ip-masq-agent CIDR" : ""));
        Expectation e = switch (protocol.kind()) {
            case TCP, UDP -> Expectation.nodeIp(nodeIp, "BPF mode (IPv6): " + where + "; " + protocol
                    + " is SNATed to the node's IPv6 on " + node.device());
            case SCTP -> agent.sctp()
                    ? Expectation.nodeIp(nodeIp, "BPF mode (IPv6): " + where + "; SCTP is translated (sctp.enabled=true)")
                    : Expectation.podIp(pod, "BPF mode (IPv6): " + where + "; SCTP without sctp.enabled passes untranslated");
            case ICMP -> Expectation.nodeIp(nodeIp, "BPF mode (IPv6): " + where + "; ICMPv6 echo request is translated"
                    + " (its identifier takes the port's place); other ICMPv6 types needing SNAT would be dropped");
        };
        return MasqueradeOracle.nodeAddress(agent, agent.ipMasqAgent() ? e.by(VersionRule.IPV6_IP_MASQ_AGENT) : e);
    }
}
