package io.masqharness.oracle;

import io.masqharness.net.Cidr;
import io.masqharness.net.Cidr6;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Derives the effective agent configuration from Helm values the way a Cilium agent does, one
 * release's rules at a time: the 1.13 agent (daemon/cmd/kube_proxy_replacement.go, daemon/cmd/daemon.go,
 * daemon/cmd/daemon_main.go, pkg/option/config.go at v1.13.4) and what 1.14 to 1.16 change
 * ({@link VersionRule}), including refusals and the silent fallback to iptables (gone in 1.15).
 * Refusals come in the agent's order: {@code initEnv()} (daemon_main.go) runs before {@code newDaemon()},
 * whose first step is {@code Config.Validate} (daemon.go:418), so a configuration with several problems
 * is refused with the message the agent would print first. Helm's own refusals
 * ({@link HelmResolution}) come before all of them: nothing is deployed.
 */
public final class AgentConfigDeriver {

    private AgentConfigDeriver() {
    }

    /** Cilium 1.13's rules. */
    public static AgentConfig derive(HelmValues v, IpMasqAgentFile file) {
        return derive(v, file, CiliumVersion.V1_13_4);
    }

    /**
     * @throws RefusedConfigurationException when the agent would not start ({@link HelmRefusedException}
     *                                       when Helm would not even render the chart)
     */
    public static AgentConfig derive(HelmValues v, IpMasqAgentFile written, CiliumVersion version) {
        HelmResolution helm = HelmResolution.of(v, version);
        if (helm.helmRefusal().isPresent()) {
            throw helm.helmRefusal().get();
        }
        return new Derivation(v, written.readBy(version), version, helm).run();
    }

    /** One derivation: the values read once, then the agent's checks in its order. */
    private static final class Derivation {
        private final HelmValues v;
        private final IpMasqAgentFile file;
        private final CiliumVersion version;
        private final HelmResolution helm;
        private final Set<VersionRule> rules;
        private final Set<String> unverified;
        private final Routing routing;
        private final boolean ipv4;
        private final boolean ipv6;
        private final boolean ipv4Masquerade;
        private final boolean ipv6Masquerade;
        private final boolean bpfRequested;
        private final Optional<Cidr> nativeCidr;
        private final Optional<Cidr6> nativeCidrV6;
        private final String egressInterfaces;
        private final boolean ipMasqAgent;

        Derivation(HelmValues v, IpMasqAgentFile file, CiliumVersion version, HelmResolution helm) {
            this.v = v;
            this.file = file;
            this.version = version;
            this.helm = helm;
            this.rules = new LinkedHashSet<>(helm.rules());
            this.unverified = new LinkedHashSet<>(helm.unverified());
            this.routing = helm.routing();
            this.ipv4 = v.bool("ipv4.enabled", true);
            this.ipv6 = v.bool("ipv6.enabled", false);
            // The flags are ANDed with their family (pkg/option/config.go:3035-3036): a plain IPv4 install has
            // enable-ipv6-masquerade "true" in cilium-config and still runs without IPv6 masquerading.
            this.ipv4Masquerade = ipv4 && v.bool("enableIPv4Masquerade", true);
            this.ipv6Masquerade = ipv6 && v.bool("enableIPv6Masquerade", true);
            this.bpfRequested = v.bool("bpf.masquerade", false);
            this.nativeCidr = v.cidr("ipv4NativeRoutingCIDR");
            this.nativeCidrV6 = v.cidr6("ipv6NativeRoutingCIDR");
            this.egressInterfaces = v.string("egressMasqueradeInterfaces", "");
            this.ipMasqAgent = v.bool("ipMasqAgent.enabled", false);
        }

        AgentConfig run() {
            initEnvChecks();
            validateChecks();
            boolean bpfFamiliesMasqueraded = has(VersionRule.FALLBACK_BOTH_FAMILIES) || has(VersionRule.FALLBACK_FATAL)
                    ? ipv4Masquerade || ipv6Masquerade : ipv4Masquerade;
            boolean bpf = bpfFamiliesMasqueraded && bpfRequested;
            Optional<String> fallback = Optional.empty();
            if (bpf) {
                Optional<String> missing = missingBpfPrerequisite();
                if (missing.isPresent()) {
                    if (has(VersionRule.FALLBACK_FATAL)) {
                        throw refused("unable to initialize BPF masquerade support: " + missing.get(), VersionRule.FALLBACK_FATAL);
                    }
                    if (has(VersionRule.FALLBACK_BOTH_FAMILIES) && !ipv4Masquerade) {
                        use(VersionRule.FALLBACK_BOTH_FAMILIES);
                    }
                    bpf = false;
                    fallback = Optional.of(missing.get() + ". Falling back to iptables-based masquerading.");
                }
            }
            if (bpf && v.bool("enableMasqueradeRouteSource", false) && has(VersionRule.ROUTE_SOURCE)) {
                throw refused("BPF masquerading to route source (--enable-masquerade-to-route-source=\"true\") currently not"
                        + " supported with BPF-based masquerading (--enable-bpf-masquerade=\"true\")"
                        + " (set enableMasqueradeRouteSource=false, or bpf.masquerade=false)", VersionRule.ROUTE_SOURCE);
            }
            ipMasqAgentChecks(bpf, fallback);
            if (bpfRequested && !bpfFamiliesMasqueraded && has(VersionRule.NO_MASQUERADING_FATAL)) {
                throw refused("BPF masquerade requires (--enable-ipv4-masquerade=\"true\" or --enable-ipv6-masquerade=\"true\")"
                        + " (set bpf.masquerade=false, or turn masquerading on)", VersionRule.NO_MASQUERADING_FATAL);
            }
            MasqueradeMode mode = !ipv4Masquerade ? MasqueradeMode.DISABLED : bpf ? MasqueradeMode.BPF : MasqueradeMode.IPTABLES;
            MasqueradeMode modeV6 = !ipv6Masquerade ? MasqueradeMode.DISABLED
                    : bpf && has(VersionRule.IPV6_BPF_MASQUERADE) ? MasqueradeMode.BPF : MasqueradeMode.IPTABLES;
            if (modeV6 == MasqueradeMode.BPF) {
                rules.add(VersionRule.IPV6_BPF_MASQUERADE);
            }
            if (mode == MasqueradeMode.IPTABLES && v.bool("enableMasqueradeRouteSource", false) && has(VersionRule.ROUTE_SOURCE)) {
                // The route-source rules replace the catch-all MASQUERADE (PR #27618); answers read it from the rules.
                use(VersionRule.ROUTE_SOURCE);
            }
            boolean podCidrExcluded = !(ipMasqAgent && has(VersionRule.IP_MASQ_AGENT_NATIVE_CIDR_OPTIONAL));
            if (!podCidrExcluded && (nativeCidr.isEmpty() || ipv6Masquerade && nativeCidrV6.isEmpty())) {
                use(VersionRule.IP_MASQ_AGENT_NATIVE_CIDR_OPTIONAL);
            }
            return new AgentConfig(bpfRequested, mode, ipMasqAgent && bpf, file, routing, nativeCidr, egressInterfaces,
                    v.bool("sctp.enabled", false), ipv6, ipv6Masquerade, fallback, nativeCidrV6, version, modeV6,
                    podCidrExcluded, rules, new ArrayList<>(unverified), helm.notes(), helm.nodePort());
        }

        /** daemon/cmd/daemon_main.go initEnv(). */
        private void initEnvChecks() {
            if (!ipv4 && !ipv6) {
                // daemon/cmd/daemon_main.go:1318-1319 (initEnv)
                throw refused("Either IPv4 or IPv6 addressing must be enabled (set ipv4.enabled=true or ipv6.enabled=true)", null);
            }
            if (ipv6Masquerade && bpfRequested && !has(VersionRule.IPV6_BPF_MASQUERADE)) {
                // daemon/cmd/daemon_main.go:1410-1412 (initEnv), on the configured flag: before, and whatever, the
                // BPF prerequisites and their fallback in newDaemon, so a fallback never saves this configuration.
                throw refused("BPF masquerade is not supported for IPv6."
                        + " (Cilium 1.13 masquerades IPv6 with ip6tables only: with ipv6.enabled=true and bpf.masquerade=true"
                        + " set enableIPv6Masquerade=false, and IPv6 pod traffic then leaves with the pod's address;"
                        + " or keep bpf.masquerade=false)", null);
            }
            if (ipv6Masquerade && bpfRequested && v.bool("hostFirewall.enabled", false) && has(VersionRule.IPV6_BPF_HOST_FIREWALL)) {
                throw refused("IPv6 BPF masquerade is not supported along with the host firewall."
                        + " (set enableIPv6Masquerade=false or hostFirewall.enabled=false; 1.16 lifts this)", VersionRule.IPV6_BPF_HOST_FIREWALL);
            }
            if (routing.tunnelling() && v.bool("autoDirectNodeRoutes", false) && has(VersionRule.AUTO_DIRECT_ROUTES_TUNNEL)) {
                throw refused("auto-direct-node-routes cannot be used with tunneling. Packets must be routed through the tunnel"
                        + " device. (routing is " + routing.label() + (helm.notes().stream().anyMatch(n -> n.key().equals("tunnel"))
                        ? ": " + helm.notes().stream().filter(n -> n.key().equals("tunnel")).findFirst().get().problem() : "")
                        + "; set routingMode: native, or autoDirectNodeRoutes=false)", VersionRule.AUTO_DIRECT_ROUTES_TUNNEL);
            }
        }

        /** pkg/option/config.go Validate: the native-routing CIDRs (checkIPv4NativeRoutingCIDR, checkIPv6NativeRoutingCIDR). */
        private void validateChecks() {
            boolean agentExempt = ipMasqAgent && has(VersionRule.IP_MASQ_AGENT_NATIVE_CIDR_OPTIONAL);
            String flag = version.atLeast(14, 0) ? "--routing-mode=native" : "--tunnel=disabled";
            if (routing == Routing.NATIVE && ipv4Masquerade && nativeCidr.isEmpty() && !agentExempt) {
                // pkg/option/config.go:3548-3558 (checkIPv4NativeRoutingCIDR), from Validate (config.go:2721)
                throw refused("native routing cidr must be configured with option --ipv4-native-routing-cidr in combination with"
                        + " --enable-ipv4-masquerade=true " + flag + " (set Helm ipv4NativeRoutingCIDR"
                        + (ipMasqAgent ? "; the ip-masq-agent makes it optional from 1.15" : "") + ")", null);
            }
            if (routing == Routing.NATIVE && ipv6Masquerade && nativeCidrV6.isEmpty() && !agentExempt) {
                // pkg/option/config.go:3561-3570 (checkIPv6NativeRoutingCIDR), from Validate (config.go:2725)
                throw refused("native routing cidr must be configured with option --ipv6-native-routing-cidr in combination with"
                        + " --enable-ipv6-masquerade " + flag + " --enable-ipv6=true (set Helm ipv6NativeRoutingCIDR,"
                        + " or enableIPv6Masquerade=false)", null);
            }
        }

        /** The first BPF masquerading prerequisite missing (daemon/cmd/daemon.go newDaemon), if any. */
        private Optional<String> missingBpfPrerequisite() {
            String kpr = helm.kubeProxyReplacement();
            if (kpr.equals("strict") && has(VersionRule.KPR_STRICT_115)) {
                use(VersionRule.KPR_STRICT_115);
            }
            if (!helm.nodePort()) {
                boolean individual = kpr.equals("partial") || kpr.equals("false");
                return Optional.of("BPF masquerade requires NodePort (--enable-node-port=\"true\"): kubeProxyReplacement=" + kpr
                        + (individual ? " without nodePort.enabled=true"
                        : version.atLeast(14, 0) ? " (needs true, or false with nodePort.enabled=true)"
                        : " (needs strict, or partial with nodePort.enabled=true)"));
            }
            if (!helm.remoteNodeIdentity()) {
                return Optional.of("BPF masquerade requires remote node identities (--enable-remote-node-identity=\"true\")");
            }
            if (!egressInterfaces.isEmpty()) {
                return Optional.of("BPF masquerade does not allow to specify devices via --egress-masquerade-interfaces"
                        + " (use --devices instead)");
            }
            if (routing.tunnelling() && !helm.socketLb()) {
                if (has(VersionRule.SOCKET_LB_TUNNEL_116)) {
                    use(VersionRule.SOCKET_LB_TUNNEL_116);
                }
                return Optional.of("BPF masquerade requires socket-LB (--bpf-lb-sock=\"true\") when tunnelling");
            }
            return Optional.empty();
        }

        private void ipMasqAgentChecks(boolean bpf, Optional<String> fallback) {
            if (!ipMasqAgent || bpf) {
                return;
            }
            if (has(VersionRule.IP_MASQ_AGENT_EITHER_FAMILY)) {
                throw refused("BPF ip-masq-agent requires (--enable-ipv4-masquerade=\"true\" or --enable-ipv6-masquerade=\"true\")"
                        + " and --enable-bpf-masquerade=\"true\""
                        + fallback.map(f -> " (BPF masquerading fell back: " + f + ")").orElse(""), VersionRule.IP_MASQ_AGENT_EITHER_FAMILY);
            }
            throw refused("BPF ip-masq-agent requires --enable-ipv4-masquerade=\"true\" and --enable-bpf-masquerade=\"true\""
                    + fallback.map(f -> " (BPF masquerading fell back: " + f + ")").orElse(""), null);
        }

        private boolean has(VersionRule rule) {
            return rule.appliesTo(version);
        }

        /** The answer rests on this rule: name it, and carry its unsettled part. */
        private void use(VersionRule rule) {
            rules.add(rule);
            rule.unverified().ifPresent(unverified::add);
        }

        /** @param rule the version rule that decided the refusal, null for the 1.13 baseline's */
        private RefusedConfigurationException refused(String message, VersionRule rule) {
            if (rule != null) {
                use(rule);
            }
            return new RefusedConfigurationException(message, rule, new ArrayList<>(unverified));
        }
    }
}
