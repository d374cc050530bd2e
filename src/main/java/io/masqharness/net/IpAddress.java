package io.masqharness.net;

/** An IPv4 or IPv6 address, parsed strictly; {@code toString} is the canonical text tools print. */
public sealed interface IpAddress permits Ipv4, Ipv6 {

    Family family();

    /** An IPv6 address when the text has a ':', else an IPv4 address. */
    static IpAddress parse(String text) {
        return Ipv4.looksLikeIpv6(text) ? Ipv6.parse(text) : Ipv4.parse(text);
    }
}
