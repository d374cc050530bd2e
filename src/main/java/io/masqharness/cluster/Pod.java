package io.masqharness.cluster;

import io.masqharness.net.Ipv4;

/** A probe pod: its own address, and the node it runs on. */
public record Pod(String name, String node, Ipv4 ip, Host host) {
    @Override
    public String toString() {
        return name + " (" + ip + " on " + node + ")";
    }
}
