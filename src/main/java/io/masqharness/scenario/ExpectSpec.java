package io.masqharness.scenario;

import io.masqharness.oracle.Expectation;
import io.masqharness.oracle.Protocol;

/**
 * An explicit expectation, checked beside the oracle's.
 *
 * @param from "pod" or "node", optionally with a node name ("pod:node-2"); without one, the first node
 * @param to   a destination name, "node:NAME" or "pod:NAME"
 */
public record ExpectSpec(String mode, String from, String to, Protocol protocol, Expectation.Source source) {
}
