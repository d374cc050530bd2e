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
}
