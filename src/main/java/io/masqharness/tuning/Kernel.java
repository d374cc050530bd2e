package io.masqharness.tuning;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Linux kernel release as {@code uname -r} or a Node's {@code status.nodeInfo.kernelVersion} prints it
 * ({@code 6.2.0-39-generic}, {@code 5.10.205-195.807.amzn2.x86_64}); only major.minor.patch matter to Cilium's probes.
 */
public record Kernel(int major, int minor, int patch, String text) implements Comparable<Kernel> {

    private static final Pattern RELEASE = Pattern.compile("^v?(\\d{1,3})\\.(\\d{1,3})(?:\\.(\\d{1,4}))?(?:[^\\d].*)?$");

    /** @throws IllegalArgumentException when the text does not start with major.minor */
    public static Kernel parse(String text) {
        String t = text == null ? "" : text.strip();
        Matcher m = RELEASE.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("kernel '" + t + "' is not a kernel release (expected X.Y or X.Y.Z, e.g. 5.10 or 6.2.0-39-generic)");
        }
        return new Kernel(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), m.group(3) == null ? 0 : Integer.parseInt(m.group(3)), t);
    }

    public boolean atLeast(int atLeastMajor, int atLeastMinor) {
        return atLeast(atLeastMajor, atLeastMinor, 0);
    }

    public boolean atLeast(int atLeastMajor, int atLeastMinor, int atLeastPatch) {
        return compareTo(new Kernel(atLeastMajor, atLeastMinor, atLeastPatch, "")) >= 0;
    }

    /**
     * Socket-LB for UDP, which full kube-proxy replacement turns on: 4.19.57, 5.1.16 or 5.2.0 and newer
     * (Documentation/network/kubernetes/kubeproxy-free.rst; daemon/cmd/kube_proxy_replacement.go
     * probeKubeProxyReplacementOptions).
     */
    public boolean hasSocketLbUdp() {
        return atLeast(5, 2) || major == 5 && minor == 1 && patch >= 16 || major == 4 && minor == 19 && patch >= 57;
    }

    @Override
    public int compareTo(Kernel o) {
        if (major != o.major) {
            return Integer.compare(major, o.major);
        }
        return minor != o.minor ? Integer.compare(minor, o.minor) : Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return text;
    }
}
