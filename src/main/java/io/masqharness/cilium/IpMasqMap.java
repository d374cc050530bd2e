package io.masqharness.cilium;

import java.util.LinkedHashSet;
import java.util.Set;

/** {@code cilium bpf ipmasq list}: the CIDRs in cilium_ipmasq_v4, or why there are none. */
public record IpMasqMap(State state, Set<String> cidrs) {

    public enum State { ENTRIES, EMPTY, MAP_ABSENT }

    public static IpMasqMap parse(int exitCode, String stdout, String stderr) {
        if (exitCode != 0 || stderr.contains("error dumping contents of map")) {
            if (stderr.contains("error dumping contents of map") || stdout.contains("error dumping contents of map")) {
                return new IpMasqMap(State.MAP_ABSENT, Set.of());
            }
            throw new IllegalArgumentException("cilium bpf ipmasq list failed (exit " + exitCode + "): " + stderr.strip());
        }
        Set<String> cidrs = new LinkedHashSet<>();
        for (String line : stdout.split("\n")) {
            String s = line.strip();
            if (!s.isEmpty() && !s.startsWith("IP PREFIX/ADDRESS") && !s.startsWith("No entries found")) {
                cidrs.add(s);
            }
        }
        return cidrs.isEmpty() ? new IpMasqMap(State.EMPTY, Set.of()) : new IpMasqMap(State.ENTRIES, Set.copyOf(cidrs));
    }
}
