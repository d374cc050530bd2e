package io.masqharness.scenario;

import io.masqharness.net.Family;
import io.masqharness.net.IpAddress;
import io.masqharness.net.Ipv4;

/** An address the external host answers on; a name may be given once per family (two entries). */
public record DestinationSpec(String name, IpAddress ip) {

    public Family family() {
        return ip.family();
    }

    /** The address of an IPv4 destination; for the IPv4-only paths (they filter with {@link Scenario#destinations(Family)}). */
    public Ipv4 ipv4() {
        if (ip instanceof Ipv4 v4) {
            return v4;
        }
        throw new IllegalStateException("destination " + name + " (" + ip + ") is not IPv4");
    }
}
