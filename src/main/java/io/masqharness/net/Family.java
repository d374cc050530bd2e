package io.masqharness.net;

/** An address family, spelled as scenarios and reports write it: {@code ipv4} or {@code ipv6}. */
public enum Family {
    IPV4, IPV6;

    public String label() {
        return name().toLowerCase();
    }

    /** {@code ipv4} or {@code ipv6}, case-insensitive; anything else is refused with what was expected. */
    public static Family fromLabel(String text) {
        for (Family f : values()) {
            if (f.label().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown address family '" + text + "' (expected ipv4 or ipv6)");
    }
}
