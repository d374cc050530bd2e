package io.masqharness.scenario;

import io.masqharness.net.Cidr;
import io.masqharness.net.Cidr6;
import io.masqharness.net.Ipv4;
import io.masqharness.net.Ipv6;
import java.util.List;
import java.util.Optional;

/**
 * @param externalHost   the address of the external host on the node network (destinations are routed to it)
 * @param subnetV6       the node network's IPv6 prefix, on a dual-stack cluster
 * @param podCidrV6      the cluster's IPv6 pod CIDR (each node gets a /64 of it), on a dual-stack cluster
 * @param externalHostV6 the external host's IPv6 address on the node network, on a dual-stack cluster
 */
public record ClusterSpec(Backend backend, String k3sImage, List<NodeSpec> nodes, Cidr subnet, Cidr podCidr,
                          Ipv4 externalHost, Optional<Cidr6> subnetV6, Optional<Cidr6> podCidrV6, Optional<Ipv6> externalHostV6) {

    public enum Backend {
        K3S, KUBECONFIG, LAB;

        public String label() {
            return name().toLowerCase();
        }
    }

    public ClusterSpec {
        nodes = List.copyOf(nodes);
    }

    /** An IPv4-only cluster. */
    public ClusterSpec(Backend backend, String k3sImage, List<NodeSpec> nodes, Cidr subnet, Cidr podCidr, Ipv4 externalHost) {
        this(backend, k3sImage, nodes, subnet, podCidr, externalHost, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Both families on the node network and for pods: {@code cluster.network.subnetV6} and {@code cluster.podCIDRv6} given. */
    public boolean dualStack() {
        return subnetV6.isPresent() && podCidrV6.isPresent();
    }

    /**
     * The same cluster on another node network of the same size: every node and the external host
     * keep their offset in the subnet (.11 stays .11). Backends that must pick a free network at
     * start (K3s) run on the relocated spec. The IPv6 node network stays: it is on no shared bridge here.
     */
    public ClusterSpec relocatedTo(Cidr other) {
        if (other.prefixLength() != subnet.prefixLength()) {
            throw new IllegalArgumentException("cannot move the node network " + subnet + " to " + other + ": not the same size");
        }
        long base = Integer.toUnsignedLong(subnet.network().bits());
        java.util.function.UnaryOperator<Ipv4> move = ip -> other.address(Integer.toUnsignedLong(ip.bits()) - base);
        return new ClusterSpec(backend, k3sImage, nodes.stream().map(n -> new NodeSpec(n.name(), move.apply(n.ip()), n.podCidr(),
                n.ipv6(), n.podCidrV6())).toList(), other, podCidr, move.apply(externalHost), subnetV6, podCidrV6, externalHostV6);
    }
}
