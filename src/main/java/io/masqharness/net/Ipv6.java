package io.masqharness.net;

/**
 * An IPv6 address as two 64-bit halves, parsed strictly: eight groups of 1-4 hex digits, at most
 * one {@code ::}, no zone ({@code %eth0}), no brackets and no embedded IPv4 (none of the harness's
 * inputs needs them, and each hides a mistake more often than it carries meaning). {@code toString}
 * is RFC 5952's canonical form, the one ip6tables-save, tcpdump and iproute2 print.
 */
public record Ipv6(long high, long low) implements IpAddress, Comparable<Ipv6> {

    public static Ipv6 parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("an IPv6 address is required");
        }
        if (text.indexOf(':') < 0) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv6 address (expected groups of hex digits"
                    + " separated by ':', such as fd00:10::1)");
        }
        if (text.indexOf('%') >= 0 || text.indexOf('[') >= 0 || text.indexOf('.') >= 0) {
            throw new IllegalArgumentException("'" + text + "' is not a plain IPv6 address (no zone, brackets or"
                    + " embedded IPv4, e.g. fd00:10::1)");
        }
        int doubleColon = text.indexOf("::");
        if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv6 address ('::' appears more than once)");
        }
        String[] head = groups(text, doubleColon < 0 ? text : text.substring(0, doubleColon));
        String[] tail = doubleColon < 0 ? new String[0] : groups(text, text.substring(doubleColon + 2));
        int given = head.length + tail.length;
        if (doubleColon < 0 ? given != 8 : given > 7) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv6 address (" + given + " groups; expected 8,"
                    + " or fewer with one '::')");
        }
        int[] words = new int[8];
        for (int i = 0; i < head.length; i++) {
            words[i] = word(text, head[i]);
        }
        for (int i = 0; i < tail.length; i++) {
            words[8 - tail.length + i] = word(text, tail[i]);
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < 4; i++) {
            high = (high << 16) | words[i];
            low = (low << 16) | words[i + 4];
        }
        return new Ipv6(high, low);
    }

    private static String[] groups(String text, String part) {
        return part.isEmpty() ? new String[0] : part.split(":", -1);
    }

    private static int word(String text, String group) {
        if (group.isEmpty() || group.length() > 4 || !group.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv6 address (group '" + group + "')");
        }
        return Integer.parseInt(group, 16);
    }

    @Override
    public Family family() {
        return Family.IPV6;
    }

    /** The 16-bit group at index 0..7. */
    int group(int index) {
        long half = index < 4 ? high : low;
        return (int) (half >>> (16 * (3 - index % 4))) & 0xffff;
    }

    /** This address plus {@code offset} in its low 64 bits (carrying into the high half). */
    public Ipv6 plus(long offset) {
        long sum = low + offset;
        long carry = Long.compareUnsigned(sum, low) < 0 ? 1 : 0;
        return new Ipv6(high + carry, sum);
    }

    @Override
    public int compareTo(Ipv6 other) {
        int byHigh = Long.compareUnsigned(high, other.high);
        return byHigh != 0 ? byHigh : Long.compareUnsigned(low, other.low);
    }

    @Override
    public String toString() {
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && group(j) == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i, j);
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLength - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(group(i)));
        }
        return s.toString();
    }
}
