package io.masqharness.oracle;

import io.masqharness.net.Cidr6;
import io.masqharness.net.IpAddress;
import io.masqharness.net.Ipv6;
import java.util.Optional;

/**
 * Cilium 1.13's IPv6 masquerading: ip6tables only. With {@code enable-ipv6} and
 * {@code enable-ipv6-masquerade} on and BPF masquerading off, the agent installs the same rule set
 * as for IPv4, with ip6tables, the IPv6 exclusion CIDR, the node's IPv6 pod CIDR and the ipset
 * {@code cilium_node_set_v6} (pkg/datapath/iptables/iptables.go:1443-1456 calls
 * installMasqueradeRules, :1097-1160, with ip6tables, gated by pkg/option/config.go:2501-2503
 * IptablesMasqueradingIPv6Enabled). BPF masquerading has no IPv6 path at all: 1.13 writes
 * {@code ENABLE_MASQUERADE} for IPv4 only (pkg/datapath/linux/config/config.go:543-544), and
 * bpf/lib/nat.h:1325 {@code snat_v6_needed} SNATs only packets already from the NodePort address.
 * The agent refuses BPF masquerading with IPv6 masquerading on (daemon/cmd/daemon_main.go:1410-1412,
 * see {@link AgentConfigDeriver}), so an IPv6 flow under BPF masquerading always has IPv6
 * masquerading off. Line numbers are at tag v1.13.4. From 1.14 BPF masquerading translates IPv6 too
 * ({@link Ipv6BpfRules}); the ip6tables rules here stay the same.
 */
final class Ipv6Rules {

    private Ipv6Rules() {
    }

    static Expectation expect(ClusterFacts cluster, AgentConfig agent, ClusterFacts.Node node, Flow flow) {
        if (!agent.ipv6()) {
            return Expectation.dropped("IPv6 is disabled (ipv6.enabled=false): the pod has no IPv6 address to send from");
        }
        Cidr6 podCidr = node.podCidrV6().orElseThrow(() -> new OracleException("node " + node.name() + " has no IPv6 pod CIDR:"
                + " with ipv6.enabled=true and Kubernetes IPAM the agent waits for one in spec.podCIDRs and never gets ready"
                + " (pkg/k8s/init.go: \"required IPv6 PodCIDR not available\")"));
        if (flow.protocol().kind() == Protocol.Kind.ICMP && !flow.protocol().isIcmpEcho()) {
            throw new OracleException("protocol " + flow.protocol() + " names an ICMPv4 type; for an IPv6 flow only icmp-echo"
                    + " (ICMPv6 echo request, type 128) is modelled");
        }
        Ipv6 dst = flow.destinationIpv6();
        Ipv6 nodeIp = node.ipv6().orElseThrow(() -> new OracleException("node " + node.name() + " has no IPv6 address"));
        if (flow.from() == Flow.Origin.NODE) {
            Expectation e = fromHost(nodeIp, dst);
            boolean toPod = cluster.nodeWithPodV6(dst).isPresent();
            return toPod && VersionRule.CILIUM_HOST_IPV6.appliesTo(agent.version()) ? e.by(VersionRule.CILIUM_HOST_IPV6) : e;
        }
        return fromPod(cluster, agent, node, flow, podCidr, nodeIp, dst);
    }

    /**
     * Host-network IPv6 carries the node's address everywhere, also to pods: unlike IPv4 (the
     * cilium_host router address), the routes to pod CIDRs through cilium_host take the node's
     * primary external IPv6 as source (pkg/datapath/linux/node.go:369-374, createNodeRouteSpec),
     * and ip6tables' host->cluster SNAT rule writes the node's IPv6 too (pkg/node/address.go:582,
     * GetHostMasqueradeIPv6).
     */
    private static Expectation fromHost(Ipv6 nodeIp, Ipv6 dst) {
        return Expectation.nodeIp(nodeIp, "host-network IPv6 to " + dst + " carries the node's IPv6 address: Cilium's IPv6"
                + " routes via cilium_host take it as source (not a router address as for IPv4); masquerading applies to pod"
                + " sources only");
    }

    private static Expectation fromPod(ClusterFacts cluster, AgentConfig agent, ClusterFacts.Node node, Flow flow, Cidr6 podCidr,
                                       Ipv6 nodeIp, Ipv6 dst) {
        Optional<IpAddress> pod = flow.podIp();
        if (podCidr.contains(dst)) {
            return Expectation.podIp(pod, "destination " + dst + " is a pod on the same node (" + podCidr
                    + "): delivered locally, it never reaches a masquerading device");
        }
        if (nodeIp.equals(dst)) {
            return Expectation.podIp(pod, "destination " + dst + " is the pod's own node: delivered to the local host stack,"
                    + " it never leaves through a masquerading device");
        }
        if (!agent.ipv6Masquerade()) {
            boolean v113 = !VersionRule.IPV6_BPF_MASQUERADE.appliesTo(agent.version());
            return Expectation.podIp(pod, "IPv6 is not masqueraded: enableIPv6Masquerade=false, so ip6tables' CILIUM_POST_nat"
                    + " has no masquerade rule (pkg/option/config.go IptablesMasqueradingIPv6Enabled)"
                    + (agent.requestedBpf() ? v113 ? ", and BPF masquerading never translates IPv6 in Cilium 1.13"
                    + " (ENABLE_MASQUERADE is IPv4-only; ip-masq-agent's cilium_ipmasq_v4 holds IPv4 CIDRs only)"
                    : " and BPF masquerading leaves IPv6 alone too (ENABLE_MASQUERADE_IPV6 is not set)" : "")
                    + ": the pod's IPv6 leaves as is");
        }
        if (agent.modeV6() == MasqueradeMode.BPF) {
            return Ipv6BpfRules.fromPod(cluster, agent, node, pod, podCidr, nodeIp, dst, flow.protocol())
                    .by(VersionRule.IPV6_BPF_MASQUERADE);
        }
        Cidr6 exclusion = agent.exclusionCidrV6(podCidr);
        if (exclusion.contains(dst)) {
            return Expectation.podIp(pod, "destination " + dst + " is inside the IPv6 SNAT exclusion CIDR " + exclusion
                    + (agent.ipv6NativeRoutingCidr().isPresent() ? " (ipv6NativeRoutingCIDR)"
                    : " (the node's IPv6 pod CIDR: ipv6NativeRoutingCIDR is unset)")
                    + ": ip6tables' rule matches ! -d " + exclusion);
        }
        Optional<ClusterFacts.Node> podOwner = cluster.nodeWithPodV6(dst);
        if (podOwner.isPresent() && agent.routing().tunnelling()) {
            return Expectation.podIp(pod, "destination " + dst + " is a pod on " + podOwner.get().name() + ": tunnelled through "
                    + agent.routing().tunnelDevice() + " (over the IPv4 underlay), which ip6tables' rule skips (! -o cilium_+)");
        }
        Optional<ClusterFacts.Node> remoteNode = cluster.nodeWithIpv6(dst);
        if (remoteNode.isPresent() && agent.routing() == Routing.NATIVE) {
            return Expectation.podIp(pod, "destination " + dst + " is node " + remoteNode.get().name() + "'s IPv6 InternalIP: in"
                    + " native routing ip6tables' rule 'exclude traffic to cluster nodes from masquerade' accepts it"
                    + " (ipset cilium_node_set_v6, filled from the nodes' IPv6 InternalIPs: pkg/node/manager/manager.go:419-420)");
        }
        String egress = agent.egressMasqueradeInterfaces();
        if (!egress.isEmpty() && !MasqueradeOracle.matchesInterfaces(egress, node.device())) {
            return Expectation.podIp(pod, "ip6tables masquerades only traffic leaving through egressMasqueradeInterfaces="
                    + egress + "; this flow leaves through " + node.device());
        }
        String towardsNode = remoteNode.map(n -> " (node " + n.name() + "'s IPv6 has no tunnel endpoint, so the packet leaves"
                + " through " + node.device() + ")").orElse("");
        return Expectation.nodeIp(nodeIp, "ip6tables mode: CILIUM_POST_nat 'cilium masquerade non-cluster' MASQUERADEs pod"
                + " sources " + podCidr + " to IPv6 destinations outside " + exclusion + " leaving through "
                + (egress.isEmpty() ? "a non-cilium_+ device" : egress) + towardsNode
                + "; ip6tables translates every protocol conntrack tracks (ICMPv6 echo by its identifier)"
                + (agent.mode() == MasqueradeMode.DISABLED ? " (IPv4 masquerading is off; IPv6's is not)" : ""));
    }
}
