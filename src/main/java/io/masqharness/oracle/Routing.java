package io.masqharness.oracle;

/**
 * The routing mode: Helm {@code tunnel} in Cilium 1.13 (vxlan, the default, geneve, or disabled for native
 * routing); {@code routingMode} and {@code tunnelProtocol} from 1.14 ({@link HelmResolution}).
 */
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

    /** {@code native}, {@code tunnel (vxlan)} or {@code tunnel (geneve)}. */
    public String label() {
        return this == NATIVE ? "native" : "tunnel (" + name().toLowerCase() + ")";
    }

    public boolean tunnelling() {
        return this != NATIVE;
    }

    public String tunnelDevice() {
        return this == GENEVE ? "cilium_geneve" : "cilium_vxlan";
    }
}
