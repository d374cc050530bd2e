package io.masqharness.cilium;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What {@code cilium status [--verbose]} says about the tuning toggles, one field per line as the agent printed
 * it ({@code pkg/client} {@code FormatStatusResponse}). A field is empty when its line is absent from the capture
 * (older agents do not print it, a {@code grep} left it out): never a default.
 *
 * @param kubeProxyReplacement {@code KubeProxyReplacement:} (or the {@code Status:}/{@code Devices:} lines of the
 *                             verbose {@code KubeProxyReplacement Details:} block when only that was captured)
 * @param hostRouting          {@code Host Routing:} (up to 1.15), else the {@code Host:} part of {@code Routing:} (1.16+)
 * @param routing              {@code Routing:  Network: Tunnel [vxlan]   Host: Legacy} (1.16+)
 * @param attachMode           {@code Attach Mode:} as printed, {@code TCX} or {@code Legacy TC} (1.16+)
 * @param deviceMode           {@code Device Mode:} as printed, {@code veth}, {@code netkit} or {@code netkit-l2} (1.16+)
 * @param nodePortMode         {@code Mode:} of the verbose KubeProxyReplacement block
 * @param dsrDispatchMode      {@code DSR Dispatch Mode:} of that block as printed ({@code IP Option/Extension}, {@code Geneve}; 1.15+)
 * @param xdpAcceleration      {@code XDP Acceleration:} of that block
 */
public record TuningStatus(Optional<KubeProxyReplacement> kubeProxyReplacement, Optional<HostRouting> hostRouting,
                           Optional<Routing> routing, Optional<String> attachMode, Optional<String> deviceMode,
                           Optional<BandwidthManager> bandwidthManager, Optional<BigTcp> ipv4BigTcp, Optional<BigTcp> ipv6BigTcp,
                           Optional<Hubble> hubble, Optional<NodePortMode> nodePortMode, Optional<String> dsrDispatchMode,
                           Optional<XdpAcceleration> xdpAcceleration) {

    public static final TuningStatus NONE = new TuningStatus(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty());

    /** Whether the capture showed none of these lines. */
    public boolean isEmpty() {
        return equals(NONE);
    }

    /**
     * @param devices             device names as printed, in order
     * @param directRoutingDevice the device marked {@code (Direct Routing)}, which is not a routing-mode indicator
     */
    public record KubeProxyReplacement(KubeProxyReplacementMode mode, List<String> devices, Optional<String> directRoutingDevice) {
        public KubeProxyReplacement {
            devices = List.copyOf(devices);
        }
    }

    /** @param tunnelProtocol present in tunnel mode ({@code Network: Tunnel [vxlan]}) */
    public record Routing(Network network, Optional<String> tunnelProtocol, HostRouting host) {
    }

    /** @param congestionControl {@code CUBIC} or {@code BBR} as printed; empty when disabled, or before Cilium printed it */
    public record BandwidthManager(boolean enabled, Optional<String> congestionControl, List<String> devices) {
        public BandwidthManager {
            devices = List.copyOf(devices);
        }
    }

    /** @param maxGro and {@code maxGso}: the sizes 1.14+ prints after {@code Enabled} ({@code [196608]}, or {@code [GRO, GSO]}) */
    public record BigTcp(boolean enabled, Optional<Long> maxGro, Optional<Long> maxGso) {
    }

    /** @param state the first word of the line: {@code Ok}, {@code Warning}, {@code Failure} or {@code Disabled} */
    public record Hubble(String state) {
        public boolean enabled() {
            return !state.equals("Disabled");
        }
    }

    /** Values of {@code KubeProxyReplacement:}; 1.14 added {@code True}/{@code False}, 1.16 kept only those. */
    public enum KubeProxyReplacementMode implements Printed {
        STRICT("Strict"), PARTIAL("Partial"), PROBE("Probe"), DISABLED("Disabled"), TRUE("True"), FALSE("False");

        private final String printed;

        KubeProxyReplacementMode(String printed) {
            this.printed = printed;
        }

        @Override
        public String printed() {
            return printed;
        }
    }

    public enum HostRouting implements Printed {
        BPF("BPF"), LEGACY("Legacy");

        private final String printed;

        HostRouting(String printed) {
            this.printed = printed;
        }

        @Override
        public String printed() {
            return printed;
        }
    }

    public enum Network implements Printed {
        NATIVE("Native"), TUNNEL("Tunnel");

        private final String printed;

        Network(String printed) {
            this.printed = printed;
        }

        @Override
        public String printed() {
            return printed;
        }
    }

    public enum NodePortMode implements Printed {
        SNAT("SNAT"), DSR("DSR"), HYBRID("Hybrid");

        private final String printed;

        NodePortMode(String printed) {
            this.printed = printed;
        }

        @Override
        public String printed() {
            return printed;
        }
    }

    /** {@code strings.Title} of {@code bpf-lb-acceleration}: the agent prints {@code Disabled} when it is off. */
    public enum XdpAcceleration implements Printed {
        NATIVE("Native"), GENERIC("Generic"), BEST_EFFORT("Best-Effort"), DISABLED("Disabled");

        private final String printed;

        XdpAcceleration(String printed) {
            this.printed = printed;
        }

        @Override
        public String printed() {
            return printed;
        }
    }

    /** A value as {@code cilium status} prints it. */
    public interface Printed {
        String printed();

        /** The constant printed as {@code word} (whatever its case), if any. */
        static <E extends Enum<E> & Printed> Optional<E> of(Class<E> type, String word) {
            return Arrays.stream(type.getEnumConstants()).filter(e -> e.printed().equalsIgnoreCase(word)).findFirst();
        }
    }
}
