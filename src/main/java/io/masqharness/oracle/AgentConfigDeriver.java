package io.masqharness.oracle;

import io.masqharness.net.Cidr;
import io.masqharness.net.Cidr6;
import java.util.Optional;
import java.util.Set;

/**
 * Derives the effective agent configuration from Helm values the way the Cilium 1.13 agent does
 * (daemon/cmd/kube_proxy_replacement.go, daemon/cmd/daemon.go, daemon/cmd/daemon_main.go,
 * pkg/option/config.go), including its refusals and its silent fallback to iptables. Refusals come
 * in the agent's order: {@code initEnv()} (daemon_main.go) runs before {@code newDaemon()}, whose
 * first step is {@code Config.Validate} (daemon.go:418), so a configuration with several problems
 * is refused with the message the agent would print first.
 */
public final class AgentConfigDeriver {

    private static final Set<String> KPR_MODES = Set.of("disabled", "partial", "strict");

    private AgentConfigDeriver() {
    }

    /**
     * @throws RefusedConfigurationException when the agent would not start
     */
    public static AgentConfig derive(HelmValues v, IpMasqAgentFile file) {
        String kpr = v.string("kubeProxyReplacement", "disabled").toLowerCase();
        if (!KPR_MODES.contains(kpr)) {
            throw new RefusedConfigurationException("Invalid value for --kube-proxy-replacement: " + kpr
                    + " (Cilium 1.13 accepts disabled, partial or strict"
                    + (kpr.equals("probe") ? "; 'probe' was removed in 1.13)" : ")"));
        }
        Routing routing = Routing.fromHelm(v.string("tunnel", "vxlan"));
        boolean ipv4 = v.bool("ipv4.enabled", true);
        boolean ipv6 = v.bool("ipv6.enabled", false);
        // The flags are ANDed with their family (pkg/option/config.go:3035-3036): a plain IPv4 install has
        // enable-ipv6-masquerade "true" in cilium-config and still runs without IPv6 masquerading.
        boolean ipv4Masquerade = ipv4 && v.bool("enableIPv4Masquerade", true);
        boolean ipv6Masquerade = ipv6 && v.bool("enableIPv6Masquerade", true);
        boolean bpfRequested = v.bool("bpf.masquerade", false);
        Optional<Cidr> nativeCidr = v.cidr("ipv4NativeRoutingCIDR");
        Optional<Cidr6> nativeCidrV6 = v.cidr6("ipv6NativeRoutingCIDR");
        boolean remoteNodeIdentity = v.bool("remoteNodeIdentity", true);
        String egressInterfaces = v.string("egressMasqueradeInterfaces", "");
        boolean ipMasqAgent = v.bool("ipMasqAgent.enabled", false);
        boolean strict = kpr.equals("strict");
        boolean partial = kpr.equals("partial");
        boolean nodePort = strict || (partial && v.bool("nodePort.enabled", false));
        boolean socketLb = strict || (partial && v.bool("socketLB.enabled", false));

        if (!ipv4 && !ipv6) {
            // daemon/cmd/daemon_main.go:1318-1319 (initEnv)
            throw new RefusedConfigurationException("Either IPv4 or IPv6 addressing must be enabled"
                    + " (set ipv4.enabled=true or ipv6.enabled=true)");
        }
        if (ipv6Masquerade && bpfRequested) {
            // daemon/cmd/daemon_main.go:1410-1412 (initEnv), on the configured flag: before, and whatever, the
            // BPF prerequisites and their fallback in newDaemon, so a fallback never saves this configuration.
            throw new RefusedConfigurationException("BPF masquerade is not supported for IPv6."
                    + " (Cilium 1.13 masquerades IPv6 with ip6tables only: with ipv6.enabled=true and bpf.masquerade=true"
                    + " set enableIPv6Masquerade=false, and IPv6 pod traffic then leaves with the pod's address;"
                    + " or keep bpf.masquerade=false)");
        }
        if (routing == Routing.NATIVE && ipv4Masquerade && nativeCidr.isEmpty()) {
            // pkg/option/config.go:3548-3558 (checkIPv4NativeRoutingCIDR), from Validate (config.go:2721)
            throw new RefusedConfigurationException("native routing cidr must be configured with option"
                    + " --ipv4-native-routing-cidr in combination with --enable-ipv4-masquerade=true"
                    + " --tunnel=disabled (set Helm ipv4NativeRoutingCIDR)");
        }
        if (routing == Routing.NATIVE && ipv6Masquerade && nativeCidrV6.isEmpty()) {
            // pkg/option/config.go:3561-3570 (checkIPv6NativeRoutingCIDR), from Validate (config.go:2725)
            throw new RefusedConfigurationException("native routing cidr must be configured"
                    + " with option --ipv6-native-routing-cidr in combination with --enable-ipv6-masquerade --tunnel=disabled"
                    + " --enable-ipv6=true (set Helm ipv6NativeRoutingCIDR, or enableIPv6Masquerade=false)");
        }

        boolean bpf = ipv4Masquerade && bpfRequested;
        Optional<String> fallback = Optional.empty();
        if (bpf) {
            String why = null;
            if (!nodePort) {
                why = "BPF masquerade requires NodePort (--enable-node-port=\"true\"): kubeProxyReplacement="
                        + kpr + (partial ? " without nodePort.enabled=true" : " (needs strict, or partial with nodePort.enabled=true)");
            } else if (!remoteNodeIdentity) {
                why = "BPF masquerade requires remote node identities (--enable-remote-node-identity=\"true\")";
            } else if (!egressInterfaces.isEmpty()) {
                why = "BPF masquerade does not allow to specify devices via --egress-masquerade-interfaces (use --devices instead)";
            } else if (routing.tunnelling() && !socketLb) {
                why = "BPF masquerade requires socket-LB (--bpf-lb-sock=\"true\") when tunnelling";
            }
            if (why != null) {
                bpf = false;
                fallback = Optional.of(why + ". Falling back to iptables-based masquerading.");
            }
        }
        if (ipMasqAgent && !bpf) {
            throw new RefusedConfigurationException("BPF ip-masq-agent requires --enable-ipv4-masquerade=\"true\""
                    + " and --enable-bpf-masquerade=\"true\""
                    + fallback.map(f -> " (BPF masquerading fell back: " + f + ")").orElse(""));
        }
        MasqueradeMode mode = !ipv4Masquerade ? MasqueradeMode.DISABLED
                : bpf ? MasqueradeMode.BPF : MasqueradeMode.IPTABLES;
        return new AgentConfig(bpfRequested, mode, ipMasqAgent, file, routing, nativeCidr, egressInterfaces,
                v.bool("sctp.enabled", false), ipv6, ipv6Masquerade, fallback, nativeCidrV6);
    }
}
