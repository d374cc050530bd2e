package io.masqharness.cluster.k8s;

import java.util.Optional;

/**
 * The network device that holds a node's InternalIP ({@code ens5}, {@code bond0}, {@code eth0} in
 * K3s-in-Docker), or why it is not known.
 */
public record NodeDevice(Optional<String> name, String note) {

    /** What the oracle is told when the device could not be read: it matters only with egressMasqueradeInterfaces. */
    public static final String UNKNOWN = "(device unknown)";

    public static NodeDevice of(String name) {
        return new NodeDevice(Optional.of(name), "");
    }

    public static NodeDevice unknown(String why) {
        return new NodeDevice(Optional.empty(), why);
    }

    /**
     * From {@code ip -o -4 addr show}: the device of the line whose address is {@code ip}
     * ({@code 2: ens5    inet 10.0.1.5/24 brd ... scope global ens5\ ...}; a VLAN's {@code @parent} dropped).
     */
    public static NodeDevice holding(String ipAddrShow, String ip) {
        for (String line : ipAddrShow.split("\n")) {
            String[] f = line.trim().split("\\s+");
            for (int i = 2; i + 1 < f.length; i++) {
                if (f[i].equals("inet") && f[i + 1].startsWith(ip + "/")) {
                    return of(f[1].replaceFirst("@.*$", "").replaceFirst(":$", ""));
                }
            }
        }
        return unknown("no device holds " + ip + " in `ip -o -4 addr show`: " + ipAddrShow.lines().map(String::strip)
                .map(l -> l.replaceFirst("\\\\.*$", "")).toList());
    }

    /** The name for the oracle and the reports. */
    public String nameOrUnknown() {
        return name.orElse(UNKNOWN);
    }

    @Override
    public String toString() {
        return name.orElse("unknown: " + note);
    }
}
