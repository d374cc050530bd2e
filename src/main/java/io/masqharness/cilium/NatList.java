package io.masqharness.cilium;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A {@code cilium bpf nat list} capture: its entries (OUT and IN, IPv4, IPv6 and NAT46/64), and problems
 * with lines that are neither entries nor the tool's own messages. No header; an empty map prints nothing.
 */
public record NatList(List<NatEntry> entries, List<InputProblem> problems) {

    private static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "ICMP", "ICMPv6", "SCTP", "ANY");

    public NatList {
        entries = List.copyOf(entries);
        problems = List.copyOf(problems);
    }

    public static NatList parse(String text) {
        List<NatEntry> entries = new ArrayList<>();
        List<InputProblem> problems = new ArrayList<>();
        boolean recognised = false;
        PastedLine firstUnknown = null;
        for (PastedLine line : PastedLines.of(text)) {
            NatEntry e = entry(line.text());
            if (e != null) {
                entries.add(e);
                recognised = true;
            } else if (isToolMessage(line.text())) {
                recognised = true;
                problems.add(InputProblem.at(line.number(), "the tool reported: '" + StatusCapture.abbreviate(line.text()) + "'"));
            } else if (!PastedLines.isPromptOrComment(line.text())) {
                firstUnknown = firstUnknown == null ? line : firstUnknown;
                problems.add(InputProblem.at(line.number(), "not an entry of `cilium bpf nat list`: '"
                        + StatusCapture.abbreviate(line.text()) + "'; left out"));
            }
        }
        if (!recognised && firstUnknown != null) {
            throw new CiliumInputException(firstUnknown.number(), "not `cilium bpf nat list` output (expected entries such as"
                    + " 'TCP OUT 10.0.1.23:41234 -> 198.51.100.7:8080 XLATE_SRC 172.18.0.2:41234 ...'): '"
                    + StatusCapture.abbreviate(firstUnknown.text()) + "'");
        }
        return new NatList(entries, problems);
    }

    private static boolean isToolMessage(String text) {
        String t = text.toLowerCase();
        return t.startsWith("unable to") || t.startsWith("error") || t.contains("no entries found");
    }

    /** {@code PROTO DIR ADDR:PORT -> ADDR:PORT XLATE_X ADDR:PORT [anything]}, or null. */
    static NatEntry entry(String text) {
        String[] t = text.split("\\s+", 9);
        if (t.length < 7 || !PROTOCOLS.contains(t[0]) || !(t[1].equals("OUT") || t[1].equals("IN")) || !t[3].equals("->")
                || !(t[5].equals("XLATE_SRC") || t[5].equals("XLATE_DST"))) {
            return null;
        }
        String[] from = endpoint(t[2]);
        String[] to = endpoint(t[4]);
        String[] xlate = endpoint(t[6]);
        if (from == null || to == null || xlate == null) {
            return null;
        }
        return new NatEntry(t[0], t[1], from[0], Integer.parseInt(from[1]), to[0], Integer.parseInt(to[1]), t[5], xlate[0],
                Integer.parseInt(xlate[1]), text);
    }

    /** {@code 10.0.0.1:80} or {@code [2001:db8::1]:80} as {address, port}, or null. */
    static String[] endpoint(String s) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || !Addresses.isPort(s.substring(colon + 1))) {
            return null;
        }
        String address = s.substring(0, colon);
        if (address.startsWith("[") && address.endsWith("]") && address.length() > 2) {
            address = address.substring(1, address.length() - 1);
            return Addresses.isIpv6(address) || Addresses.isIpv4(address) ? new String[] {address, s.substring(colon + 1)} : null;
        }
        return Addresses.isIpv4(address) ? new String[] {address, s.substring(colon + 1)} : null;
    }
}
