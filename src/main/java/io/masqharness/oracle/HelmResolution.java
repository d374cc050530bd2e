package io.masqharness.oracle;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How one Cilium version's chart reads the Helm values that decide masquerading: the routing mode
 * (from {@code tunnel} or {@code routingMode}/{@code tunnelProtocol}, whichever the version reads),
 * kube-proxy replacement and what it turns on, remote-node identity, and every value the version
 * refuses, ignores or deprecates ({@link #notes()}). {@link #helmRefusal()} is set when Helm itself
 * would fail to render the chart.
 */
public record HelmResolution(
        CiliumVersion version,
        Routing routing,
        String kubeProxyReplacement,
        boolean nodePort,
        boolean socketLb,
        boolean remoteNodeIdentity,
        List<ValueNote> notes,
        Optional<HelmRefusedException> helmRefusal,
        Set<VersionRule> rules,
        List<String> unverified) {

    private static final Set<String> KPR_113 = Set.of("disabled", "partial", "strict");
    private static final Set<String> KPR_114 = Set.of("disabled", "partial", "strict", "true", "false");

    public HelmResolution {
        notes = List.copyOf(notes);
        rules = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(rules));
        unverified = List.copyOf(unverified);
    }

    public static HelmResolution of(HelmValues v, CiliumVersion version) {
        return new Resolver(v, version).resolve();
    }

    /** Collects the notes, rules and refusal while reading the values in the chart's order. */
    private static final class Resolver {
        private final HelmValues v;
        private final CiliumVersion version;
        private final List<ValueNote> notes = new ArrayList<>();
        private final Set<VersionRule> rules = new LinkedHashSet<>();
        private final List<String> unverified = new ArrayList<>();
        private HelmRefusedException refusal;

        Resolver(HelmValues v, CiliumVersion version) {
            this.v = v;
            this.version = version;
        }

        HelmResolution resolve() {
            Routing routing = routing();
            String kpr = kubeProxyReplacement();
            boolean all = kpr.equals("strict") || kpr.equals("true");
            boolean individual = kpr.equals("partial") || kpr.equals("false");
            boolean nodePort = all || individual && v.bool("nodePort.enabled", false);
            boolean socketLb = all || individual && v.bool("socketLB.enabled", false);
            boolean remoteNodeIdentity = remoteNodeIdentity();
            unknownBefore("enableMasqueradeRouteSource", VersionRule.ROUTE_SOURCE, "the chart has no such value before 1.15"
                    + " (routes' source addresses are not used)");
            unknownBefore("ipMasqAgent.config.masqLinkLocalIPv6", VersionRule.IPV6_IP_MASQ_AGENT,
                    "the 1.13 ip-masq-agent does not read it (IPv6 has no ip-masq-agent before 1.14)");
            return new HelmResolution(version, routing, kpr, nodePort, socketLb, remoteNodeIdentity, notes,
                    Optional.ofNullable(refusal), rules, unverified);
        }

        private Routing routing() {
            Optional<String> tunnel = v.get("tunnel").map(Object::toString).map(String::trim).filter(s -> !s.isEmpty());
            Optional<String> mode = v.get("routingMode").map(Object::toString).map(String::trim).filter(s -> !s.isEmpty());
            Optional<String> protocol = v.get("tunnelProtocol").map(Object::toString).map(String::trim).filter(s -> !s.isEmpty());
            if (!version.atLeast(14, 0)) {
                mode.ifPresent(m -> note("routingMode", ValueNote.Kind.IGNORED, VersionRule.ROUTING_MODE,
                        "the " + version.line() + " chart has no routingMode: it is ignored", "tunnel: "
                        + (m.equals("native") ? "disabled" : protocol.orElse("vxlan"))));
                protocol.ifPresent(p -> note("tunnelProtocol", ValueNote.Kind.IGNORED, VersionRule.ROUTING_MODE,
                        "the " + version.line() + " chart has no tunnelProtocol: it is ignored", "tunnel: " + p));
                return Routing.fromHelm(tunnel.orElse("vxlan"));
            }
            boolean tunnelRead = !version.atLeast(15, 0);
            if (tunnel.isPresent()) {
                tunnelNote(tunnel.get(), mode.isPresent());
            }
            rules.add(VersionRule.ROUTING_MODE);
            if (mode.isPresent()) {
                Routing r = switch (mode.get()) {
                    case "native" -> Routing.NATIVE;
                    case "tunnel" -> Routing.fromHelm(protocol.orElse("vxlan"));
                    default -> throw new RefusedConfigurationException("invalid routing mode '" + mode.get()
                            + "' (Helm routingMode must be native or tunnel in Cilium " + version.line() + ")");
                };
                if (tunnel.isPresent() && tunnelRead && Routing.fromHelm(tunnel.get()) != r) {
                    unverified.add("both tunnel=" + tunnel.get() + " and routingMode=" + mode.get() + " given: the "
                            + version.line() + " chart writes routing-mode twice; that the later one (routingMode) wins was not checked");
                }
                return r;
            }
            return tunnelRead ? Routing.fromHelm(tunnel.orElse("vxlan")) : Routing.fromHelm(protocol.orElse("vxlan"));
        }

        private void tunnelNote(String tunnel, boolean routingModeGiven) {
            String suggestion = tunnel.equals("disabled") ? "routingMode: native"
                    : "routingMode: tunnel, tunnelProtocol: " + tunnel;
            if (VersionRule.TUNNEL_REFUSED.appliesTo(version)) {
                note("tunnel", ValueNote.Kind.REFUSED, VersionRule.TUNNEL_REFUSED, "Helm refuses it in " + version.full()
                        + ": 'tunnel was deprecated in v1.14 and has been removed in v1.15.'", suggestion);
                refuse("tunnel was deprecated in v1.14 and has been removed in v1.15. (Helm, chart " + version.full()
                        + "; set " + suggestion + " and remove tunnel)", VersionRule.TUNNEL_REFUSED);
            } else if (VersionRule.TUNNEL_IGNORED.appliesTo(version)) {
                note("tunnel", ValueNote.Kind.IGNORED, VersionRule.TUNNEL_IGNORED, "the " + version.full()
                        + " chart ignores it" + (routingModeGiven ? "" : ": routing falls back to the default, tunnel (vxlan)"),
                        suggestion);
            } else {
                note("tunnel", ValueNote.Kind.DEPRECATED, VersionRule.ROUTING_MODE, "deprecated in 1.14 (still read: tunnel="
                        + tunnel + " is " + (tunnel.equals("disabled") ? "routing-mode native" : "routing-mode tunnel, " + tunnel)
                        + "); Helm refuses it from 1.15.8 and 1.16.2, and 1.15.0-1.15.7 and 1.16.0-1.16.1 ignore it", suggestion);
            }
        }

        private String kubeProxyReplacement() {
            Optional<String> given = v.get("kubeProxyReplacement").map(Object::toString).map(s -> s.trim().toLowerCase());
            if (!version.atLeast(14, 0)) {
                String kpr = given.orElse("disabled");
                if (!KPR_113.contains(kpr)) {
                    if (kpr.equals("true") || kpr.equals("false")) {
                        note("kubeProxyReplacement", ValueNote.Kind.REFUSED, VersionRule.KPR_TRUE_FALSE_REFUSED,
                                "the " + version.line() + " chart refuses " + kpr, "kubeProxyReplacement: " + (kpr.equals("true") ? "strict" : "disabled"));
                        refuse("kubeproxyReplacement must be explicitly set to a valid value (disabled, partial, or strict) to"
                                + " continue. (Helm, chart " + version.full() + ": '" + kpr + "' is a 1.14+ value)", VersionRule.KPR_TRUE_FALSE_REFUSED);
                        return "disabled";
                    }
                    throw new RefusedConfigurationException("Invalid value for --kube-proxy-replacement: " + kpr
                            + " (Cilium 1.13 accepts disabled, partial or strict" + (kpr.equals("probe") ? "; 'probe' was removed in 1.13)" : ")"));
                }
                return kpr;
            }
            rules.add(VersionRule.KPR_TRUE_FALSE);
            String kpr = given.orElse("false");
            if (!KPR_114.contains(kpr)) {
                throw new HelmRefusedException("kubeProxyReplacement must be explicitly set to a valid value ("
                        + (version.atLeast(16, 0) ? "true or false" : "true, false, disabled (deprecated), partial (deprecated),"
                        + " or strict (deprecated)") + ") to continue. (Helm, chart " + version.full() + ": '" + kpr + "')",
                        VersionRule.KPR_TRUE_FALSE);
            }
            if (kpr.equals("true") || kpr.equals("false")) {
                return kpr;
            }
            String suggestion = kpr.equals("strict") ? "kubeProxyReplacement: true"
                    : kpr.equals("partial") ? "kubeProxyReplacement: false (with nodePort.enabled and socketLB.enabled as before)"
                    : "kubeProxyReplacement: false";
            if (version.atLeast(16, 0)) {
                note("kubeProxyReplacement", ValueNote.Kind.REFUSED, VersionRule.KPR_LEGACY_REFUSED, "Helm refuses '" + kpr
                        + "' in 1.16 (and the agent does too)", suggestion);
                refuse("kubeProxyReplacement must be explicitly set to a valid value (true or false) to continue. (Helm, chart "
                        + version.full() + ": '" + kpr + "' was removed in 1.16; set " + suggestion + ")", VersionRule.KPR_LEGACY_REFUSED);
            } else {
                note("kubeProxyReplacement", ValueNote.Kind.DEPRECATED, VersionRule.KPR_TRUE_FALSE, "'" + kpr
                        + "' is deprecated since 1.14; 1.16 refuses it", suggestion);
            }
            return kpr;
        }

        private boolean remoteNodeIdentity() {
            Optional<Object> given = v.get("remoteNodeIdentity");
            if (version.atLeast(16, 0)) {
                rules.add(VersionRule.REMOTE_NODE_IDENTITY_ALWAYS);
                if (given.isPresent()) {
                    boolean on = v.bool("remoteNodeIdentity", true);
                    if (on && VersionRule.REMOTE_NODE_IDENTITY_REFUSED.appliesTo(version)) {
                        note("remoteNodeIdentity", ValueNote.Kind.REFUSED, VersionRule.REMOTE_NODE_IDENTITY_REFUSED,
                                "Helm refuses it in " + version.full(), "remove it (remote nodes always have the remote-node identity)");
                        refuse("remoteNodeIdentity was deprecated in v1.15 and has been removed in v1.16. (Helm, chart "
                                + version.full() + "; remove remoteNodeIdentity)", VersionRule.REMOTE_NODE_IDENTITY_REFUSED);
                    } else {
                        note("remoteNodeIdentity", ValueNote.Kind.IGNORED, VersionRule.REMOTE_NODE_IDENTITY_ALWAYS,
                                "the " + version.full() + " chart ignores it" + (on ? "" : ": remote nodes have the remote-node identity anyway"),
                                "remove it");
                    }
                }
                return true;
            }
            if (given.isPresent() && version.atLeast(15, 0)) {
                note("remoteNodeIdentity", ValueNote.Kind.DEPRECATED, VersionRule.REMOTE_NODE_IDENTITY_DEPRECATED,
                        "deprecated in 1.15, removed in 1.16 (always on)", "remove it" + (v.bool("remoteNodeIdentity", true) ? ""
                                : " after turning it on (BPF masquerading needs it until 1.16)"));
            }
            return v.bool("remoteNodeIdentity", true);
        }

        private void unknownBefore(String key, VersionRule since, String why) {
            if (v.get(key).isPresent() && !since.appliesTo(version)) {
                note(key, ValueNote.Kind.IGNORED, since, "unknown to " + version.line() + ": " + why, "remove it");
            }
        }

        private void note(String key, ValueNote.Kind kind, VersionRule rule, String problem, String suggestion) {
            notes.add(new ValueNote(key, kind, problem, suggestion, rule));
            rules.add(rule);
        }

        private void refuse(String message, VersionRule rule) {
            if (refusal == null) {
                refusal = new HelmRefusedException(message, rule);
            }
        }
    }
}
