package io.masqharness.cilium;

import java.util.List;

/**
 * One line of {@code cilium bpf nat list}, e.g.
 * {@code TCP OUT 10.0.1.23:41234 -> 198.51.100.7:8080 XLATE_SRC 172.18.0.2:41234 Created=5sec NeedsCT=0}.
 * IPv6 and NAT46/64 entries print their addresses in brackets ({@code [2001:db8::2]:33388}); the fields here
 * hold them without. For ICMP echo the echo id sits in the port position. What follows the translation
 * ({@code Created=408sec ago}, {@code NeedsCT=1}) varies by version and is not read.
 */
public record NatEntry(String protocol, String direction, String source, int sourcePort, String destination,
                       int destinationPort, String translation, String translatedAddress, int translatedPort, String line) {

    /** Parses every entry of a capture; see {@link NatList} for what else the capture may hold. */
    public static List<NatEntry> parse(String output) {
        return NatList.parse(output).entries();
    }

    /** An egress SNAT entry for a flow from {@code source} to {@code destination}:{@code destinationPort}. */
    public static List<NatEntry> snatFor(List<NatEntry> entries, String source, String destination, int destinationPort) {
        return entries.stream().filter(e -> e.direction().equals("OUT") && e.translation().equals("XLATE_SRC")
                && e.source().equals(source) && e.destination().equals(destination)
                && e.destinationPort() == destinationPort).toList();
    }

    public String from() {
        return source + ":" + sourcePort;
    }

    public String to() {
        return destination + ":" + destinationPort;
    }

    /** {@code address:port} the source is rewritten to (OUT entries), else null (JSON null). */
    public String xlateSrc() {
        return translation.equals("XLATE_SRC") ? translatedAddress + ":" + translatedPort : null;
    }

    /** {@code address:port} the destination is rewritten to (IN entries), else null (JSON null). */
    public String xlateDst() {
        return translation.equals("XLATE_DST") ? translatedAddress + ":" + translatedPort : null;
    }

    /** An OUT entry that rewrites the source address (entries for the host's own connections keep it). */
    public boolean translatesSource() {
        return translation.equals("XLATE_SRC") && !translatedAddress.equals(source);
    }
}
