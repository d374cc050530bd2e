package io.masqharness.oracle;

import io.masqharness.net.Family;
import io.masqharness.net.IpAddress;
import io.masqharness.net.Ipv4;
import io.masqharness.net.Ipv6;
import java.util.Optional;

/**
 * One flow to predict: from a pod (or the host network) of a node, to an address, over a protocol.
 * The destination's text decides the family: an IPv6 address makes it an IPv6 flow.
 */
public record Flow(Origin from, String node, Optional<IpAddress> podIp, String destination, Protocol protocol) {

    public enum Origin { POD, NODE }

    public static Flow fromPod(String node, String destination, Protocol protocol) {
        return new Flow(Origin.POD, node, Optional.empty(), destination, protocol);
    }

    public static Flow fromNode(String node, String destination, Protocol protocol) {
        return new Flow(Origin.NODE, node, Optional.empty(), destination, protocol);
    }

    /** The probing pod's own address in the flow's family. */
    public Flow withPodIp(IpAddress ip) {
        return new Flow(from, node, Optional.of(ip), destination, protocol);
    }

    public boolean ipv6() {
        return Ipv4.looksLikeIpv6(destination);
    }

    /** The destination's family: what {@link MasqueradeOracle#expect} branches on. */
    public Family family() {
        return ipv6() ? Family.IPV6 : Family.IPV4;
    }

    public Ipv4 destinationIpv4() {
        return Ipv4.parse(destination);
    }

    public Ipv6 destinationIpv6() {
        return Ipv6.parse(destination);
    }

    @Override
    public String toString() {
        return from.name().toLowerCase() + ":" + node + " -> " + destination + " " + protocol;
    }
}
