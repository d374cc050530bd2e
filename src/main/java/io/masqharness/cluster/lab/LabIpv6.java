package io.masqharness.cluster.lab;

import io.masqharness.net.Cidr6;
import io.masqharness.net.Ipv6;
import java.util.ArrayList;
import java.util.List;

/**
 * The lab's IPv6 plan on a dual-stack scenario: addresses on the lab's own VXLAN fabric and pod
 * bridges, never on a Docker network (Docker 20.10 gives an IPv6 network no isolation). Every
 * address must be a unique local address in fd00::/8, and no IPv6 default route is ever added:
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
        destinations.stream().filter(ip -> !ULA.contains(ip)).forEach(ip -> outside.add("destination " + ip));
        if (!outside.isEmpty()) {
            throw new IllegalArgumentException("the lab uses IPv6 unique local addresses only (" + ULA + "), so that no IPv6"
                    + " probe can be routed off this machine; outside it: " + String.join(", ", outside));
        }
        List<Ipv6> onFabric = new ArrayList<>(nodeIps);
        onFabric.add(external);
        onFabric.stream().filter(ip -> !subnet.contains(ip)).findFirst().ifPresent(ip -> {
            throw new IllegalArgumentException(ip + " is not on the IPv6 node network " + subnet);
        });
    }

    /** The {@code index}-th probe pod's IPv6 address on node {@code node} (the same offsets as IPv4: .10, .11, ...). */
    public Ipv6 podAddress(int node, int index) {
        return nodePodCidrs.get(node).address(10 + index);
    }

    /** The node's bridge address: its pods' gateway. */
    Ipv6 gateway(int node) {
        return nodePodCidrs.get(node).address(1);
    }
}
