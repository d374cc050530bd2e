package io.masqharness.scenario;

import io.masqharness.net.Cidr;
import io.masqharness.net.Ipv4;

public record NodeSpec(String name, Ipv4 ip, Cidr podCidr) {
}
