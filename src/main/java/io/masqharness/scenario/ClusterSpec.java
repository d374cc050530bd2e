package io.masqharness.scenario;

import io.masqharness.net.Cidr;
import io.masqharness.net.Ipv4;
import java.util.List;

/**
 * @param externalHost the address of the external host on the node network (destinations are routed to it)
 */
public record ClusterSpec(Backend backend, String k3sImage, List<NodeSpec> nodes, Cidr subnet, Cidr podCidr,
                          Ipv4 externalHost) {

    public enum Backend {
        K3S, KUBECONFIG, LAB;

        public String label() {
            return name().toLowerCase();
        }
    }

    public ClusterSpec {
        nodes = List.copyOf(nodes);
    }

    /**
     * The same cluster on another node network of the same size: every node and the external host
     * keep their offset in the subnet (.11 stays .11). Backends that must pick a free network at
     * start (K3s) run on the relocated spec.
     */
    public ClusterSpec relocatedTo(Cidr other) {
        if (other.prefixLength() != subnet.prefixLength()) {
            throw new IllegalArgumentException("cannot move the node network " + subnet + " to " + other + ": not the same size");
        }
        long base = Integer.toUnsignedLong(subnet.network().bits());
        java.util.function.UnaryOperator<Ipv4> move = ip -> other.address(Integer.toUnsignedLong(ip.bits()) - base);
        return new ClusterSpec(backend, k3sImage, nodes.stream().map(n -> new NodeSpec(n.name(), move.apply(n.ip()), n.podCidr())).toList(),
                other, podCidr, move.apply(externalHost));
    }
}
