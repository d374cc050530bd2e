package io.masqharness.net;

/**
 * An IPv4 prefix such as 10.42.0.0/16, parsed strictly: the address must be the network address
 * (no host bits set), so a typo like 10.42.1.0/16 is reported instead of silently widened.
 */
public record Cidr(Ipv4 network, int prefixLength) {

    public Cidr {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0..32");
        }
        if ((network.bits() & ~mask(prefixLength)) != 0) {
            throw new IllegalArgumentException("host bits set in " + network + "/" + prefixLength);
        }
    }

    public static Cidr parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a CIDR is required");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR (expected ADDRESS/PREFIX, e.g. 10.0.0.0/8)");
        }
        String address = text.substring(0, slash);
        String length = text.substring(slash + 1);
        if (Ipv4.looksLikeIpv6(address)) {
            throw new IllegalArgumentException("'" + text + "' is an IPv6 CIDR; an IPv4 CIDR is required");
        }
        Ipv4 ip;
        try {
            ip = Ipv4.parse(address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR: " + e.getMessage());
        }
        if (length.isEmpty() || length.length() > 2 || !length.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR (prefix length '" + length + "' is not 0..32)");
        }
        int prefix = Integer.parseInt(length);
        if (prefix > 32) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR (prefix length " + prefix + " > 32)");
        }
        if ((ip.bits() & ~mask(prefix)) != 0) {
            Cidr meant = new Cidr(new Ipv4(ip.bits() & mask(prefix)), prefix);
            throw new IllegalArgumentException("'" + text + "' has host bits set (did you mean " + meant + "?)");
        }
        return new Cidr(ip, prefix);
    }

    public boolean contains(Ipv4 address) {
        return (address.bits() & mask(prefixLength)) == network.bits();
    }

    public boolean overlaps(Cidr other) {
        int shorter = Math.min(prefixLength, other.prefixLength);
        return (network.bits() & mask(shorter)) == (other.network.bits() & mask(shorter));
    }

    public long size() {
        return 1L << (32 - prefixLength);
    }

    /** The n-th address of this prefix (0 is the network address). */
    public Ipv4 address(long n) {
        if (n < 0 || n >= size()) {
            throw new IllegalArgumentException("offset " + n + " is outside " + this);
        }
        return network.plus(n);
    }

    /** The n-th sub-prefix of the given length, e.g. the 2nd /24 of 10.42.0.0/16 is 10.42.1.0/24. */
    public Cidr subnet(int length, int n) {
        if (length < prefixLength || length > 32) {
            throw new IllegalArgumentException("/" + length + " is not a sub-prefix of " + this);
        }
        long count = 1L << (length - prefixLength);
        if (n < 0 || n >= count) {
            throw new IllegalArgumentException(this + " has only " + count + " /" + length + " prefixes");
        }
        return new Cidr(network.plus(n * (1L << (32 - length))), length);
    }

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    @Override
    public String toString() {
        return network + "/" + prefixLength;
    }
}
