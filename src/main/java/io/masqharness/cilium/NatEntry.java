package io.masqharness.cilium;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of {@code cilium bpf nat list} (map cilium_snat_v4_external), e.g.
 * {@code TCP OUT 10.0.1.23:41234 -> 198.51.100.7:8080 XLATE_SRC 172.18.0.2:41234 Created=5sec NeedsCT=0}.
 * For ICMP echo the echo id sits in the port position.
 */
public record NatEntry(String protocol, String direction, String source, int sourcePort, String destination,
                       int destinationPort, String translation, String translatedAddress, int translatedPort, String line) {

    private static final Pattern LINE = Pattern.compile(
            "^(TCP|UDP|ICMP|SCTP|ANY)\\s+(OUT|IN)\\s+(\\S+):(\\d+)\\s+->\\s+(\\S+):(\\d+)\\s+(XLATE_SRC|XLATE_DST)\\s+(\\S+):(\\d+)\\b.*$");

    public static List<NatEntry> parse(String output) {
        List<NatEntry> entries = new ArrayList<>();
        for (String raw : output.split("\n")) {
            Matcher m = LINE.matcher(raw.strip());
            if (m.matches()) {
                entries.add(new NatEntry(m.group(1), m.group(2), m.group(3), Integer.parseInt(m.group(4)), m.group(5),
                        Integer.parseInt(m.group(6)), m.group(7), m.group(8), Integer.parseInt(m.group(9)), raw.strip()));
            }
        }
        return entries;
    }

    /** An egress SNAT entry for a flow from {@code source} to {@code destination}:{@code destinationPort}. */
    public static List<NatEntry> snatFor(List<NatEntry> entries, String source, String destination, int destinationPort) {
        return entries.stream().filter(e -> e.direction().equals("OUT") && e.translation().equals("XLATE_SRC")
                && e.source().equals(source) && e.destination().equals(destination)
                && e.destinationPort() == destinationPort).toList();
    }
}
