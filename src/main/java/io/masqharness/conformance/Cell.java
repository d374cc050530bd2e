package io.masqharness.conformance;

import io.masqharness.cluster.Pod;
import io.masqharness.oracle.Protocol;

/** One flow of the matrix: in a mode, from a pod, to a target, over a protocol. */
public record Cell(String mode, Pod pod, String target, String address, Protocol protocol) {
    @Override
    public String toString() {
        return "[" + mode + "] " + pod.name() + " -> " + target + " (" + address + ") " + protocol;
    }
}
