package io.masqharness.scenario;

import io.masqharness.net.Cidr;
import io.masqharness.net.Cidr6;
import io.masqharness.net.Ipv4;
import io.masqharness.net.Ipv6;
import java.util.Optional;

/**
 * @param ipv6      the node's IPv6 address on the node network, on a dual-stack cluster
 * @param podCidrV6 the node's IPv6 pod CIDR, on a dual-stack cluster
 */
public record NodeSpec(String name, Ipv4 ip, Cidr podCidr, Optional<Ipv6> ipv6, Optional<Cidr6> podCidrV6) {

    /** An IPv4-only node. */
    public NodeSpec(String name, Ipv4 ip, Cidr podCidr) {
        this(name, ip, podCidr, Optional.empty(), Optional.empty());
    }
}
