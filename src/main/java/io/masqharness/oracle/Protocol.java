package io.masqharness.oracle;

import java.util.Map;

/**
 * A probe protocol as written in scenarios and on the command line: {@code tcp}, {@code udp},
 * {@code sctp}, {@code icmp-echo} or {@code icmp-<type>} (a number 0-255 or a name such as
 * {@code icmp-timestamp}).
 */
public record Protocol(Kind kind, int icmpType) {

    public enum Kind { TCP, UDP, SCTP, ICMP }

    public static final int ICMP_ECHO_REPLY = 0;
    public static final int ICMP_ECHO_REQUEST = 8;

    public static final Protocol TCP = new Protocol(Kind.TCP, -1);
    public static final Protocol UDP = new Protocol(Kind.UDP, -1);
    public static final Protocol SCTP = new Protocol(Kind.SCTP, -1);
    public static final Protocol ICMP_ECHO = new Protocol(Kind.ICMP, ICMP_ECHO_REQUEST);

    private static final Map<String, Integer> ICMP_NAMES = Map.of(
            "echo", ICMP_ECHO_REQUEST, "echo-reply", ICMP_ECHO_REPLY, "dest-unreach", 3,
            "source-quench", 4, "redirect", 5, "time-exceeded", 11, "parameter-problem", 12,
            "timestamp", 13, "timestamp-reply", 14, "address-mask", 17);

    public static final String EXPECTED = "tcp, udp, sctp, icmp-echo or icmp-<type> (0-255 or a name: "
            + String.join(", ", ICMP_NAMES.keySet().stream().sorted().toList()) + ")";

    public static Protocol parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase();
        switch (t) {
            case "tcp": return TCP;
            case "udp": return UDP;
            case "sctp": return SCTP;
            default: break;
        }
        if (t.startsWith("icmp-")) {
            String type = t.substring(5);
            Integer named = ICMP_NAMES.get(type);
            if (named != null) {
                return new Protocol(Kind.ICMP, named);
            }
            if (!type.isEmpty() && type.length() <= 3 && type.chars().allMatch(Character::isDigit)
                    && Integer.parseInt(type) <= 255) {
                return new Protocol(Kind.ICMP, Integer.parseInt(type));
            }
        }
        throw new IllegalArgumentException("unknown protocol '" + text + "' (expected " + EXPECTED + ")");
    }

    /** ICMP echo request or reply: the only ICMP types BPF masquerading translates. */
    public boolean isIcmpEcho() {
        return kind == Kind.ICMP && (icmpType == ICMP_ECHO_REQUEST || icmpType == ICMP_ECHO_REPLY);
    }

    @Override
    public String toString() {
        if (kind != Kind.ICMP) {
            return kind.name().toLowerCase();
        }
        return icmpType == ICMP_ECHO_REQUEST ? "icmp-echo" : "icmp-" + icmpType;
    }
}
