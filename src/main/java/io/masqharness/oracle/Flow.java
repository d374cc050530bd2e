package io.masqharness.oracle;

import io.masqharness.net.Ipv4;
import java.util.Optional;

/**
 * One flow to predict: from a pod (or the host network) of a node, to an address, over a protocol.
 * An IPv6 destination is carried as text, since only its family matters to the oracle.
 */
public record Flow(Origin from, String node, Optional<Ipv4> podIp, String destination, Protocol protocol) {

    public enum Origin { POD, NODE }

    public static Flow fromPod(String node, String destination, Protocol protocol) {
        return new Flow(Origin.POD, node, Optional.empty(), destination, protocol);
    }

    public static Flow fromNode(String node, String destination, Protocol protocol) {
        return new Flow(Origin.NODE, node, Optional.empty(), destination, protocol);
    }

    public Flow withPodIp(Ipv4 ip) {
        return new Flow(from, node, Optional.of(ip), destination, protocol);
    }

    public boolean ipv6() {
        return Ipv4.looksLikeIpv6(destination);
    }

    public Ipv4 destinationIpv4() {
        return Ipv4.parse(destination);
    }

    @Override
    public String toString() {
        return from.name().toLowerCase() + ":" + node + " -> " + destination + " " + protocol;
    }
}
