package io.masqharness.cluster;

import io.masqharness.net.Family;
import io.masqharness.net.IpAddress;
import io.masqharness.net.Ipv4;
import io.masqharness.net.Ipv6;
import java.util.Optional;

/**
 * A probe pod: its own address, and the node it runs on.
 *
 * @param ipv6 the pod's IPv6 address, on a dual-stack cluster
 */
public record Pod(String name, String node, Ipv4 ip, Host host, Optional<Ipv6> ipv6) {

    /** An IPv4-only pod. */
    public Pod(String name, String node, Ipv4 ip, Host host) {
        this(name, node, ip, host, Optional.empty());
    }

    /** The pod's address in a family, if it has one. */
    public Optional<IpAddress> address(Family family) {
        return family == Family.IPV4 ? Optional.of(ip) : ipv6.map(IpAddress.class::cast);
    }

    @Override
    public String toString() {
        return name + " (" + ip + ipv6.map(v6 -> ", " + v6).orElse("") + " on " + node + ")";
    }
}
