package io.masqharness.oracle;

import io.masqharness.net.Cidr;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the ip-masq-agent finds at /etc/config/ip-masq-agent (pkg/ipmasq/ipmasq.go). The three
 * states matter: the default CIDR list applies only when the file is missing or zero-length; any
 * non-empty file, even {@code {}} or {@code {"nonMasqueradeCIDRs":[]}}, gets no defaults.
 */
public sealed interface IpMasqAgentFile {

    List<Cidr> DEFAULT_NON_MASQUERADE_CIDRS = Stream.of(
            "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "192.0.0.0/24",
            "192.0.2.0/24", "192.88.99.0/24", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
            "240.0.0.0/4").map(Cidr::parse).toList();

    Cidr LINK_LOCAL = Cidr.parse("169.254.0.0/16");

    /** No file: the ConfigMap does not exist (or lacks the key). */
    record Absent() implements IpMasqAgentFile { }

    /** A zero-length file. */
    record Empty() implements IpMasqAgentFile { }

    /** A parsed, non-empty file. */
    record Present(List<Cidr> nonMasqueradeCidrs, boolean masqLinkLocal) implements IpMasqAgentFile {
        public Present {
            nonMasqueradeCidrs = List.copyOf(nonMasqueradeCidrs);
        }
    }

    /** Exactly what the agent puts into the cilium_ipmasq_v4 map, in a stable order. */
    default List<Cidr> effectiveCidrs() {
        List<Cidr> result = new ArrayList<>();
        boolean masqLinkLocal = false;
        if (this instanceof Present p) {
            result.addAll(p.nonMasqueradeCidrs());
            masqLinkLocal = p.masqLinkLocal();
        } else {
            result.addAll(DEFAULT_NON_MASQUERADE_CIDRS);
        }
        if (!masqLinkLocal && !result.contains(LINK_LOCAL)) {
            result.add(LINK_LOCAL);
        }
        return List.copyOf(result);
    }

    /** Why a CIDR is in the effective list, for reasons a person reads. */
    default String origin(Cidr cidr) {
        if (cidr.equals(LINK_LOCAL) && !(this instanceof Present p && p.nonMasqueradeCidrs().contains(LINK_LOCAL))) {
            return "added because masqLinkLocal is false";
        }
        if (this instanceof Present) {
            return "from nonMasqueradeCIDRs in the config";
        }
        return this instanceof Empty ? "from the default list (config file is empty)" : "from the default list (no config file)";
    }

    default String describe() {
        if (this instanceof Present p) {
            return "config nonMasqueradeCIDRs=" + p.nonMasqueradeCidrs() + ", masqLinkLocal=" + p.masqLinkLocal();
        }
        return this instanceof Empty ? "empty config file (defaults apply)" : "no config file (defaults apply)";
    }
}
