package io.masqharness.net;

/**
 * An IPv4 address, parsed strictly: four decimal octets 0-255, no leading zeros, nothing else.
 * (Leading zeros are rejected because some tools read them as octal.)
 */
public record Ipv4(int bits) implements IpAddress, Comparable<Ipv4> {

    public static Ipv4 parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("an IPv4 address is required");
        }
        if (text.indexOf(':') >= 0) {
            throw new IllegalArgumentException("'" + text + "' is an IPv6 address; an IPv4 address is required");
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address (expected four octets such as 192.168.0.1)");
        }
        int bits = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)
                    || (part.length() > 1 && part.charAt(0) == '0')) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address (octet '" + part + "')");
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw new IllegalArgumentException("'" + text + "' is not an IPv4 address (octet " + octet + " > 255)");
            }
            bits = (bits << 8) | octet;
        }
        return new Ipv4(bits);
    }

    public static boolean looksLikeIpv6(String text) {
        return text != null && text.indexOf(':') >= 0;
    }

    @Override
    public Family family() {
        return Family.IPV4;
    }

    public Ipv4 plus(long offset) {
        return new Ipv4((int) (Integer.toUnsignedLong(bits) + offset));
    }

    @Override
    public int compareTo(Ipv4 other) {
        return Integer.compareUnsigned(bits, other.bits);
    }

    @Override
    public String toString() {
        return ((bits >>> 24) & 0xff) + "." + ((bits >>> 16) & 0xff) + "." + ((bits >>> 8) & 0xff) + "." + (bits & 0xff);
    }
}
