package io.masqharness.oracle;

import io.masqharness.net.IpAddress;
import java.util.Optional;

/**
 * The source address a flow must arrive with, and why. Immutable; compact {@code toString} such as
 * {@code node-ip(172.28.0.11)} or {@code dropped}.
 */
public record Expectation(Source source, Optional<IpAddress> sourceAddress, String reason) {

    public enum Source {
        /** Masqueraded to the address of the node's egress device. */
        NODE_IP("node-ip"),
        /** Leaves with the pod's own address. */
        POD_IP("pod-ip"),
        /** Host traffic routed via cilium_host, which carries the router (cilium_host) address. */
        ROUTER_IP("router-ip"),
        /** The datapath drops it. */
        DROPPED("dropped");

        private final String label;

        Source(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        public static Source fromLabel(String label) {
            for (Source s : values()) {
                if (s.label.equals(label)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown source '" + label + "' (expected node-ip, pod-ip, router-ip or dropped)");
        }
    }

    public static Expectation nodeIp(IpAddress nodeIp, String reason) {
        return new Expectation(Source.NODE_IP, Optional.of(nodeIp), reason);
    }

    public static Expectation podIp(Optional<? extends IpAddress> podIp, String reason) {
        return new Expectation(Source.POD_IP, podIp.map(IpAddress.class::cast), reason);
    }

    public static Expectation routerIp(String reason) {
        return new Expectation(Source.ROUTER_IP, Optional.empty(), reason);
    }

    public static Expectation dropped(String reason) {
        return new Expectation(Source.DROPPED, Optional.empty(), reason);
    }

    @Override
    public String toString() {
        return source.label() + sourceAddress.map(a -> "(" + a + ")").orElse("");
    }
}
