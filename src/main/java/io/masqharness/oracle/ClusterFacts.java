package io.masqharness.oracle;

import io.masqharness.net.Cidr;
import io.masqharness.net.Ipv4;
import java.util.List;
import java.util.Optional;

/** The nodes of a cluster as the datapath sees them. */
public record ClusterFacts(List<Node> nodes) {

    /**
     * @param device the node's egress device (what {@code egressMasqueradeInterfaces} is matched against)
     */
    public record Node(String name, Ipv4 ip, Cidr podCidr, String device) {
    }

    public ClusterFacts {
        nodes = List.copyOf(nodes);
        if (nodes.isEmpty()) {
            throw new OracleException("a cluster needs at least one node");
        }
    }

    public Node node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new OracleException("no node named '" + name + "' (nodes: "
                        + nodes.stream().map(Node::name).toList() + ")"));
    }

    public Optional<Node> nodeWithIp(Ipv4 ip) {
        return nodes.stream().filter(n -> n.ip().equals(ip)).findFirst();
    }

    public Optional<Node> nodeWithPod(Ipv4 ip) {
        return nodes.stream().filter(n -> n.podCidr().contains(ip)).findFirst();
    }
}
