package io.masqharness.oracle;

import io.masqharness.net.Cidr;
import io.masqharness.net.Cidr6;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the ip-masq-agent finds at /etc/config/ip-masq-agent (pkg/ipmasq/ipmasq.go). The states
 * matter: the default CIDR list applies only when the file is missing or zero-length; any
 * non-empty file, even {@code {}} or {@code {"nonMasqueradeCIDRs":[]}}, gets no defaults; and a
 * file with an IPv6 CIDR is rejected whole by 1.13 ({@link Rejected}), and read by 1.14 on
 * ({@link #readBy}: IPv6 entries and {@code masqLinkLocalIPv6}, PR #23219).
 */
public sealed interface IpMasqAgentFile {

    List<Cidr> DEFAULT_NON_MASQUERADE_CIDRS = Stream.of(
            "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "192.0.0.0/24",
            "192.0.2.0/24", "192.88.99.0/24", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
            "240.0.0.0/4").map(Cidr::parse).toList();

    Cidr LINK_LOCAL = Cidr.parse("169.254.0.0/16");

    /** Added to the IPv6 list unless masqLinkLocalIPv6 is true (1.14 on, pkg/ipmasq/ipmasq.go). */
    Cidr6 LINK_LOCAL_V6 = Cidr6.parse("fe80::/10");

    /** No file: the ConfigMap does not exist (or lacks the key). */
    record Absent() implements IpMasqAgentFile { }

    /** A zero-length file. */
    record Empty() implements IpMasqAgentFile { }

    /** A parsed, non-empty file; its IPv6 part is read from 1.14 on. */
    record Present(List<Cidr> nonMasqueradeCidrs, boolean masqLinkLocal, List<Cidr6> nonMasqueradeCidrsV6,
                   boolean masqLinkLocalIPv6) implements IpMasqAgentFile {
        public Present {
            nonMasqueradeCidrs = List.copyOf(nonMasqueradeCidrs);
            nonMasqueradeCidrsV6 = List.copyOf(nonMasqueradeCidrsV6);
        }

        /** An IPv4-only file. */
        public Present(List<Cidr> nonMasqueradeCidrs, boolean masqLinkLocal) {
            this(nonMasqueradeCidrs, masqLinkLocal, List.of(), false);
        }
    }

    /**
     * A file Cilium 1.13's agent refuses to read: it lists an IPv6 CIDR. Every entry goes through
     * {@code parseCIDRv4} ("Invalid CIDR %s: only IPv4 is supported", pkg/ipmasq/ipmasq.go:63-71)
     * while the JSON is decoded, so the whole file fails ("Failed to de-serialize json",
     * ipmasq.go:241-243) and {@code Update()} returns before touching the map (ipmasq.go:178-182);
     * the agent only logs "Failed to update" (ipmasq.go:134-136). Not fatal, not IPv4-entries-applied:
     * cilium_ipmasq_v4 keeps what it held, neither defaults nor link-local are added.
     *
     * @param nonMasqueradeCidrs the entries as written, IPv4 and IPv6
     * @param mapKept            what the map still holds: empty on a fresh map, else an earlier mode's entries
     * @param keptFrom           where {@code mapKept} comes from, for reasons ("a fresh map", "mode rfc1918")
     */
    record Rejected(List<String> nonMasqueradeCidrs, boolean masqLinkLocal, List<Cidr> mapKept, String keptFrom,
                    boolean masqLinkLocalIPv6) implements IpMasqAgentFile {
        public Rejected {
            nonMasqueradeCidrs = List.copyOf(nonMasqueradeCidrs);
            mapKept = List.copyOf(mapKept);
        }

        public Rejected(List<String> nonMasqueradeCidrs, boolean masqLinkLocal, List<Cidr> mapKept, String keptFrom) {
            this(nonMasqueradeCidrs, masqLinkLocal, mapKept, keptFrom, false);
        }

        /** As a fresh agent finds it: the map was just created (pkg/datapath/maps/map.go removes it while the agent is off). */
        public static Rejected fresh(List<String> written, boolean masqLinkLocal) {
            return new Rejected(written, masqLinkLocal, List.of(), "a fresh map");
        }

        public Rejected keeping(List<Cidr> cidrs, String from) {
            return new Rejected(nonMasqueradeCidrs, masqLinkLocal, cidrs, from, masqLinkLocalIPv6);
        }

        /** The agent's own error for the first entry it cannot read. */
        public String agentError() {
            String first = nonMasqueradeCidrs.stream().filter(c -> c.indexOf(':') >= 0).findFirst().orElse("?");
            return "Failed to de-serialize json: Invalid CIDR " + first + ": only IPv4 is supported";
        }
    }

    /**
     * The file as written ({@code nonMasqueradeCIDRs} as text): {@link Present} when every entry is
     * IPv4, else {@link Rejected#fresh} (a caller that knows what the map held before says so with
     * {@link Rejected#keeping}).
     */
    static IpMasqAgentFile of(List<String> nonMasqueradeCidrs, boolean masqLinkLocal) {
        return of(nonMasqueradeCidrs, masqLinkLocal, false);
    }

    /** As {@link #of(List, boolean)}, keeping {@code masqLinkLocalIPv6} for the versions that read it. */
    static IpMasqAgentFile of(List<String> nonMasqueradeCidrs, boolean masqLinkLocal, boolean masqLinkLocalIPv6) {
        if (nonMasqueradeCidrs.stream().anyMatch(c -> c.indexOf(':') >= 0)) {
            return new Rejected(nonMasqueradeCidrs, masqLinkLocal, List.of(), "a fresh map", masqLinkLocalIPv6);
        }
        return new Present(nonMasqueradeCidrs.stream().map(Cidr::parse).toList(), masqLinkLocal, List.of(), masqLinkLocalIPv6);
    }

    /**
     * The file as a version's agent reads it: 1.13 rejects one with IPv6 entries (as {@link #of} says),
     * 1.14 on reads the IPv6 entries into their own list ({@link VersionRule#IPV6_IP_MASQ_AGENT}).
     */
    default IpMasqAgentFile readBy(CiliumVersion version) {
        if (this instanceof Rejected r && VersionRule.IPV6_IP_MASQ_AGENT.appliesTo(version)) {
            List<Cidr> v4 = r.nonMasqueradeCidrs().stream().filter(c -> c.indexOf(':') < 0).map(Cidr::parse).toList();
            List<Cidr6> v6 = r.nonMasqueradeCidrs().stream().filter(c -> c.indexOf(':') >= 0).map(Cidr6::parse).toList();
            return new Present(v4, r.masqLinkLocal(), v6, r.masqLinkLocalIPv6());
        }
        return this;
    }

    /** What the agent puts into cilium_ipmasq_v6 (1.14 on): the file's IPv6 entries, fe80::/10 unless masqLinkLocalIPv6. */
    default List<Cidr6> effectiveCidrsV6() {
        if (this instanceof Rejected) {
            return List.of();
        }
        List<Cidr6> result = new ArrayList<>();
        boolean masqLinkLocalV6 = false;
        if (this instanceof Present p) {
            result.addAll(p.nonMasqueradeCidrsV6());
            masqLinkLocalV6 = p.masqLinkLocalIPv6();
        }
        if (!masqLinkLocalV6 && !result.contains(LINK_LOCAL_V6)) {
            result.add(LINK_LOCAL_V6);
        }
        return List.copyOf(result);
    }

    /** Exactly what the agent puts into the cilium_ipmasq_v4 map, in a stable order. */
    default List<Cidr> effectiveCidrs() {
        if (this instanceof Rejected r) {
            return r.mapKept();
        }
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
        if (this instanceof Rejected r) {
            return "kept in cilium_ipmasq_v4 from " + r.keptFrom() + ": the agent rejected this config (" + r.agentError() + ")";
        }
        if (cidr.equals(LINK_LOCAL) && !(this instanceof Present p && p.nonMasqueradeCidrs().contains(LINK_LOCAL))) {
            return "added because masqLinkLocal is false";
        }
        if (this instanceof Present) {
            return "from nonMasqueradeCIDRs in the config";
        }
        return this instanceof Empty ? "from the default list (config file is empty)" : "from the default list (no config file)";
    }

    default String describe() {
        if (this instanceof Rejected r) {
            return "config rejected by the agent (" + r.agentError() + "): cilium_ipmasq_v4 keeps " + r.mapKept()
                    + " (" + r.keptFrom() + ")";
        }
        if (this instanceof Present p) {
            return "config nonMasqueradeCIDRs=" + p.nonMasqueradeCidrs() + (p.nonMasqueradeCidrsV6().isEmpty() ? ""
                    : " + " + p.nonMasqueradeCidrsV6()) + ", masqLinkLocal=" + p.masqLinkLocal()
                    + (p.masqLinkLocalIPv6() ? ", masqLinkLocalIPv6=true" : "");
        }
        return this instanceof Empty ? "empty config file (defaults apply)" : "no config file (defaults apply)";
    }
}
