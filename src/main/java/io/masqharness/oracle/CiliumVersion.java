package io.masqharness.oracle;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Cilium release of a line the oracle knows: 1.13.x to 1.16.x. A line given without its patch
 * ({@code 1.15}) stands for the newest patch release of that line the oracle was checked against
 * (the charts of every patch release were read, see {@link VersionRule}); {@link #text()} keeps
 * what was written.
 */
public record CiliumVersion(int minor, int patch, String text) implements Comparable<CiliumVersion> {

    public static final String SUPPORTED = "1.13.x, 1.14.x, 1.15.x or 1.16.x";

    /** The newest patch release of each line whose chart was read (github.com/cilium/charts). */
    static final Map<Integer, Integer> NEWEST_PATCH = Map.of(13, 18, 14, 19, 15, 19, 16, 19);

    private static final Pattern VERSION = Pattern.compile("v?1\\.(\\d{1,2})(?:\\.(\\d{1,3}))?");

    public static final CiliumVersion V1_13_4 = parse("1.13.4");

    /** @throws IllegalArgumentException naming the supported lines */
    public static CiliumVersion parse(String text) {
        String t = text == null ? "" : text.trim();
        Matcher m = VERSION.matcher(t);
        if (!m.matches() || !NEWEST_PATCH.containsKey(Integer.parseInt(m.group(1)))) {
            throw new IllegalArgumentException("Cilium version '" + t + "' is not supported (supported: " + SUPPORTED
                    + "; e.g. 1.15.6, or 1.15 for its newest patch release)");
        }
        int minor = Integer.parseInt(m.group(1));
        int patch = m.group(2) == null ? NEWEST_PATCH.get(minor) : Integer.parseInt(m.group(2));
        return new CiliumVersion(minor, patch, t.startsWith("v") ? t.substring(1) : t);
    }

    /** Whether a version text names a supported line. */
    public static boolean isSupported(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public boolean atLeast(int minorAtLeast, int patchAtLeast) {
        return minor > minorAtLeast || minor == minorAtLeast && patch >= patchAtLeast;
    }

    /** {@code 1.15} for any 1.15.x. */
    public String line() {
        return "1." + minor;
    }

    /** {@code 1.15.19} even when written as {@code 1.15}. */
    public String full() {
        return "1." + minor + "." + patch;
    }

    @Override
    public int compareTo(CiliumVersion o) {
        return minor != o.minor ? Integer.compare(minor, o.minor) : Integer.compare(patch, o.patch);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CiliumVersion v && v.minor == minor && v.patch == patch;
    }

    @Override
    public int hashCode() {
        return minor * 1000 + patch;
    }

    @Override
    public String toString() {
        return text;
    }
}
