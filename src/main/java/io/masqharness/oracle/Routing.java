package io.masqharness.oracle;

/** Helm {@code tunnel} in Cilium 1.13: vxlan (default), geneve, or disabled (native routing). */
public enum Routing {
    VXLAN, GENEVE, NATIVE;

    public static Routing fromHelm(String tunnel) {
        return switch (tunnel.toLowerCase()) {
            case "vxlan" -> VXLAN;
            case "geneve" -> GENEVE;
            case "disabled" -> NATIVE;
            default -> throw new RefusedConfigurationException("invalid tunnel mode '" + tunnel
                    + "' (Helm tunnel must be vxlan, geneve or disabled in Cilium 1.13)");
        };
    }

    public boolean tunnelling() {
        return this != NATIVE;
    }

    public String tunnelDevice() {
        return this == GENEVE ? "cilium_geneve" : "cilium_vxlan";
    }
}
