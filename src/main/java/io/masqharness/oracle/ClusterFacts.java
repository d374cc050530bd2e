package io.masqharness.oracle;

import io.masqharness.net.Cidr;
import io.masqharness.net.Cidr6;
import io.masqharness.net.Ipv4;
import io.masqharness.net.Ipv6;
import java.util.List;
import java.util.Optional;

/** The nodes of a cluster as the datapath sees them. */
public record ClusterFacts(List<Node> nodes) {

    /**
     * @param device    the node's egress device (what {@code egressMasqueradeInterfaces} is matched against)
     * @param ipv6      the node's IPv6 InternalIP, on a dual-stack cluster
     * @param podCidrV6 the node's IPv6 pod CIDR (the IPv6 entry of {@code spec.podCIDRs}), on a dual-stack cluster
     */
    public record Node(String name, Ipv4 ip, Cidr podCidr, String device, Optional<Ipv6> ipv6, Optional<Cidr6> podCidrV6) {

        /** An IPv4-only node. */
        public Node(String name, Ipv4 ip, Cidr podCidr, String device) {
            this(name, ip, podCidr, device, Optional.empty(), Optional.empty());
        }
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

    public Optional<Node> nodeWithIpv6(Ipv6 ip) {
        return nodes.stream().filter(n -> n.ipv6().filter(ip::equals).isPresent()).findFirst();
    }

    public Optional<Node> nodeWithPodV6(Ipv6 ip) {
        return nodes.stream().filter(n -> n.podCidrV6().filter(c -> c.contains(ip)).isPresent()).findFirst();
    }

    /** Whether every node has both an IPv6 address and an IPv6 pod CIDR. */
    public boolean dualStack() {
        return nodes.stream().allMatch(n -> n.ipv6().isPresent() && n.podCidrV6().isPresent());
    }
}
