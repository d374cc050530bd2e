package io.masqharness.scenario;

import io.masqharness.net.Family;
import io.masqharness.oracle.Expectation;
import io.masqharness.oracle.Protocol;

/**
 * An explicit expectation, checked beside the oracle's.
 *
 * @param from   "pod" or "node", optionally with a node name ("pod:node-2"); without one, the first node
 * @param to     a destination name, "node:NAME" or "pod:NAME"
 * @param family the flow's address family: the scenario's {@code family}, else the destination's only
 *               family, else ipv4
 */
public record ExpectSpec(String mode, String from, String to, Protocol protocol, Expectation.Source source, Family family) {

    /** An IPv4 flow's expectation. */
    public ExpectSpec(String mode, String from, String to, Protocol protocol, Expectation.Source source) {
        this(mode, from, to, protocol, source, Family.IPV4);
    }
}
