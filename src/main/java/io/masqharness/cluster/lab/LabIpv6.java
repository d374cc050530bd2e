package io.masqharness.cluster.lab;

import io.masqharness.net.Cidr6;
import io.masqharness.net.Family;
import io.masqharness.net.Ipv4;
import io.masqharness.net.Ipv6;
import io.masqharness.scenario.ClusterSpec;
import io.masqharness.scenario.NodeSpec;
import io.masqharness.scenario.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The lab's IPv6 plan on a dual-stack scenario: addresses on the lab's own VXLAN fabric and pod
 * bridges, never on a Docker network (Docker 20.10 gives an IPv6 network no isolation). Every
 * address of the lab's own must be a unique local address in fd00::/8; a destination may also be in
 * the documentation prefix 2001:db8::/32 (RFC 3849: never routed on the internet), which is what
 * scenarios write for "a public IPv6 address". No IPv6 default route is ever added:
 * the pods and nodes route only the node network, the pod CIDRs and each destination, so an IPv6
 * probe cannot leave the lab even through a routing mistake.
 *
 * @param subnet       the node network's IPv6 prefix (on the fabric device)
 * @param nodeIps      each node's IPv6 address, in the scenario's node order
 * @param nodePodCidrs each node's IPv6 pod CIDR, in the same order
 * @param external     the external host's IPv6 address on the node network
 * @param destinations the IPv6 destinations the external host answers on
 */
public record LabIpv6(Cidr6 subnet, List<Ipv6> nodeIps, List<Cidr6> nodePodCidrs, Ipv6 external, List<Ipv6> destinations) {

    static final Cidr6 ULA = Cidr6.parse("fd00::/8");
    static final Cidr6 DOCUMENTATION = Cidr6.parse("2001:db8::/32");

    public LabIpv6 {
        nodeIps = List.copyOf(nodeIps);
        nodePodCidrs = List.copyOf(nodePodCidrs);
        destinations = List.copyOf(destinations);
        if (nodeIps.size() != nodePodCidrs.size()) {
            throw new IllegalArgumentException(nodeIps.size() + " node IPv6 addresses for " + nodePodCidrs.size() + " IPv6 pod CIDRs");
        }
        List<String> outside = new ArrayList<>();
        if (!ULA.overlaps(subnet) || subnet.prefixLength() < ULA.prefixLength()) {
            outside.add("network " + subnet);
        }
        nodePodCidrs.stream().filter(c -> !ULA.overlaps(c) || c.prefixLength() < ULA.prefixLength())
                .forEach(c -> outside.add("pod CIDR " + c));
        nodeIps.stream().filter(ip -> !ULA.contains(ip)).forEach(ip -> outside.add("node " + ip));
        if (!ULA.contains(external)) {
            outside.add("external host " + external);
        }
        destinations.stream().filter(ip -> !ULA.contains(ip) && !DOCUMENTATION.contains(ip)).forEach(ip -> outside.add("destination " + ip));
        if (!outside.isEmpty()) {
            throw new IllegalArgumentException("the lab uses IPv6 unique local addresses only (" + ULA + "; destinations may also be"
                    + " in the documentation prefix " + DOCUMENTATION + "), so that no IPv6 probe can be routed off this machine;"
                    + " outside it: " + String.join(", ", outside));
        }
        List<Ipv6> onFabric = new ArrayList<>(nodeIps);
        onFabric.add(external);
        onFabric.stream().filter(ip -> !subnet.contains(ip)).findFirst().ifPresent(ip -> {
            throw new IllegalArgumentException(ip + " is not on the IPv6 node network " + subnet);
        });
    }

    /**
     * The plan of a dual-stack scenario ({@code cluster.network.subnetV6} and {@code cluster.podCIDRv6}),
     * empty for an IPv4-only one. A node or the external host without an IPv6 address of its own takes
     * its IPv4 address's offset in the IPv6 node network, the digits read as hex (.11 becomes ::11); a node without an IPv6 pod
     * CIDR takes the node-index-th /64 of {@code podCIDRv6}.
     *
     * @throws IllegalArgumentException naming the address that is not a unique local one
     */
    public static Optional<LabIpv6> of(Scenario scenario) {
        ClusterSpec c = scenario.cluster();
        if (!c.dualStack()) {
            return Optional.empty();
        }
        Cidr6 subnet = c.subnetV6().orElseThrow();
        Cidr6 pods = c.podCidrV6().orElseThrow();
        List<Ipv6> nodeIps = new ArrayList<>();
        List<Cidr6> nodePods = new ArrayList<>();
        for (int i = 0; i < c.nodes().size(); i++) {
            NodeSpec n = c.nodes().get(i);
            nodeIps.add(n.ipv6().orElse(offset(subnet, c, n.ip())));
            int index = i;
            nodePods.add(n.podCidrV6().orElseGet(() -> pods.subnet(Math.max(64, pods.prefixLength()), index)));
        }
        Ipv6 external = c.externalHostV6().orElse(offset(subnet, c, c.externalHost()));
        return Optional.of(new LabIpv6(subnet, nodeIps, nodePods, external,
                scenario.destinations(Family.IPV6).stream().map(d -> (Ipv6) d.ip()).toList()));
    }

    private static Ipv6 offset(Cidr6 subnet, ClusterSpec c, Ipv4 ip) {
        return subnet.address(sameDigits(Integer.toUnsignedLong(ip.bits()) - Integer.toUnsignedLong(c.subnet().network().bits())));
    }

    /**
     * The {@code index}-th probe pod's IPv6 address on node {@code node}: the digits of its IPv4
     * offset read as hex (.10 becomes ::10), as the scenario's facts write it, so a pod's two
     * addresses pair up at a glance.
     */
    public Ipv6 podAddress(int node, int index) {
        return nodePodCidrs.get(node).address(sameDigits(10 + index));
    }

    /** 11 becomes 0x11: the IPv4 offset's decimal digits as the IPv6 offset's hex digits. */
    static long sameDigits(long offset) {
        return Long.parseLong(Long.toString(offset), 16);
    }

    /** The node's bridge address: its pods' gateway. */
    Ipv6 gateway(int node) {
        return nodePodCidrs.get(node).address(1);
    }
}
