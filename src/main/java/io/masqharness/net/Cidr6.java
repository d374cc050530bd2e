package io.masqharness.net;

/**
 * An IPv6 prefix such as fd00:10:244::/56, parsed as strictly as {@link Cidr}: the address must be
 * the network address, so fd00:10:244:1::/56 is reported instead of silently widened.
 */
public record Cidr6(Ipv6 network, int prefixLength) {

    public Cidr6 {
        if (prefixLength < 0 || prefixLength > 128) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is outside 0..128");
        }
        if ((network.high() & ~highMask(prefixLength)) != 0 || (network.low() & ~lowMask(prefixLength)) != 0) {
            throw new IllegalArgumentException("host bits set in " + network + "/" + prefixLength);
        }
    }

    public static Cidr6 parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("an IPv6 CIDR is required");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR (expected ADDRESS/PREFIX, e.g. fd00:10:244::/56)");
        }
        String address = text.substring(0, slash);
        String length = text.substring(slash + 1);
        if (!Ipv4.looksLikeIpv6(address)) {
            throw new IllegalArgumentException("'" + text + "' is an IPv4 CIDR; an IPv6 CIDR is required");
        }
        Ipv6 ip;
        try {
            ip = Ipv6.parse(address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR: " + e.getMessage());
        }
        if (length.isEmpty() || length.length() > 3 || !length.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR (prefix length '" + length + "' is not 0..128)");
        }
        int prefix = Integer.parseInt(length);
        if (prefix > 128) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR (prefix length " + prefix + " > 128)");
        }
        Ipv6 masked = new Ipv6(ip.high() & highMask(prefix), ip.low() & lowMask(prefix));
        if (!masked.equals(ip)) {
            throw new IllegalArgumentException("'" + text + "' has host bits set (did you mean " + masked + "/" + prefix + "?)");
        }
        return new Cidr6(ip, prefix);
    }

    public boolean contains(Ipv6 address) {
        return (address.high() & highMask(prefixLength)) == network.high()
                && (address.low() & lowMask(prefixLength)) == network.low();
    }

    public boolean overlaps(Cidr6 other) {
        int shorter = Math.min(prefixLength, other.prefixLength);
        return (network.high() & highMask(shorter)) == (other.network.high() & highMask(shorter))
                && (network.low() & lowMask(shorter)) == (other.network.low() & lowMask(shorter));
    }

    /** The n-th address of this prefix (0 is the network address); n must fit in the prefix. */
    public Ipv6 address(long n) {
        if (n < 0 || (prefixLength > 65 && n >= (1L << (128 - prefixLength)))) {
            throw new IllegalArgumentException("offset " + n + " is outside " + this);
        }
        return network.plus(n);
    }

    /** The n-th sub-prefix of the given length, e.g. the 2nd /64 of fd00:10:244::/56 is fd00:10:244:1::/64. */
    public Cidr6 subnet(int length, int n) {
        if (length < prefixLength || length > 128) {
            throw new IllegalArgumentException("/" + length + " is not a sub-prefix of " + this);
        }
        int bits = length - prefixLength;
        if (n < 0 || (bits < 31 && n >= (1 << bits))) {
            throw new IllegalArgumentException(this + " has only " + (1L << Math.min(bits, 62)) + " /" + length + " prefixes");
        }
        int shift = 128 - length;
        long high = network.high();
        long low = network.low();
        if (shift >= 64) {
            high += ((long) n) << (shift - 64);
        } else {
            long add = ((long) n) << shift;
            long sum = low + add;
            high += (Long.compareUnsigned(sum, low) < 0 ? 1 : 0) + (shift == 0 ? 0 : (((long) n) >>> (64 - shift)));
            low = sum;
        }
        return new Cidr6(new Ipv6(high, low), length);
    }

    private static long highMask(int prefix) {
        return prefix == 0 ? 0 : prefix >= 64 ? -1L : -1L << (64 - prefix);
    }

    private static long lowMask(int prefix) {
        return prefix <= 64 ? 0 : -1L << (128 - prefix);
    }

    @Override
    public String toString() {
        return network + "/" + prefixLength;
    }
}
