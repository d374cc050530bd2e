package io.masqharness.oracle;

import io.masqharness.net.IpAddress;
import java.util.List;
import java.util.Optional;

/**
 * The source address a flow must arrive with, and why. Immutable; compact {@code toString} such as
 * {@code node-ip(172.28.0.11)} or {@code dropped}. {@code rules} names the version rules beyond the
 * 1.13 baseline that decided it (none for a 1.13 answer).
 */
public record Expectation(Source source, Optional<IpAddress> sourceAddress, String reason, List<VersionRule> rules) {

    public Expectation {
        rules = List.copyOf(rules);
    }

    public Expectation(Source source, Optional<IpAddress> sourceAddress, String reason) {
        this(source, sourceAddress, reason, List.of());
    }

    /** The same answer, decided also by {@code rule}. */
    public Expectation by(VersionRule rule) {
        List<VersionRule> more = new java.util.ArrayList<>(rules);
        if (!more.contains(rule)) {
            more.add(rule);
        }
        return new Expectation(source, sourceAddress, reason, more);
    }

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
