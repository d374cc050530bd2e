package io.masqharness.conformance;

import io.masqharness.cluster.Pod;
import io.masqharness.net.Family;
import io.masqharness.net.IpAddress;
import io.masqharness.oracle.Protocol;

/** One flow of the matrix: in a mode, from a pod, to a target, over a protocol. */
public record Cell(String mode, Pod pod, String target, String address, Protocol protocol) {

    /** The flow's family: its destination's. */
    public Family family() {
        return IpAddress.parse(address).family();
    }

    /** The probing pod's own address in the flow's family (what a pod-ip expectation means). */
    public String podAddress() {
        return pod.address(family()).map(Object::toString).orElse("?");
    }
    @Override
    public String toString() {
        return "[" + mode + "] " + pod.name() + " -> " + target + " (" + address + ") " + protocol;
    }
}
