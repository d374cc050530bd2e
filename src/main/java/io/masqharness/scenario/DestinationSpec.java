package io.masqharness.scenario;

import io.masqharness.net.Ipv4;

/** An address the external host answers on. */
public record DestinationSpec(String name, Ipv4 ip) {
}
