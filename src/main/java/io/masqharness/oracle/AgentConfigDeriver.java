package io.masqharness.oracle;

import io.masqharness.net.Cidr;
import java.util.Optional;
import java.util.Set;

/**
 * Derives the effective agent configuration from Helm values the way the Cilium 1.13 agent does
 * (daemon/cmd/kube_proxy_replacement.go, daemon/cmd/daemon.go, daemon/cmd/daemon_main.go,
 * pkg/option/config.go), including its refusals and its silent fallback to iptables.
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
        boolean ipv4Masquerade = v.bool("enableIPv4Masquerade", true);
        boolean ipv6 = v.bool("ipv6.enabled", false);
        boolean ipv6Masquerade = ipv6 && v.bool("enableIPv6Masquerade", true);
        boolean bpfRequested = v.bool("bpf.masquerade", false);
        Optional<Cidr> nativeCidr = v.cidr("ipv4NativeRoutingCIDR");
        boolean remoteNodeIdentity = v.bool("remoteNodeIdentity", true);
        String egressInterfaces = v.string("egressMasqueradeInterfaces", "");
        boolean ipMasqAgent = v.bool("ipMasqAgent.enabled", false);
        boolean strict = kpr.equals("strict");
        boolean partial = kpr.equals("partial");
        boolean nodePort = strict || (partial && v.bool("nodePort.enabled", false));
        boolean socketLb = strict || (partial && v.bool("socketLB.enabled", false));

        if (routing == Routing.NATIVE && ipv4Masquerade && nativeCidr.isEmpty()) {
            throw new RefusedConfigurationException("native routing cidr must be configured with option"
                    + " --ipv4-native-routing-cidr in combination with --enable-ipv4-masquerade=true"
                    + " --tunnel=disabled (set Helm ipv4NativeRoutingCIDR)");
        }
        if (ipv6Masquerade && bpfRequested) {
            throw new RefusedConfigurationException("BPF masquerade is not supported for IPv6."
                    + " (with ipv6.enabled=true set enableIPv6Masquerade=false, or bpf.masquerade=false)");
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
                v.bool("sctp.enabled", false), ipv6, ipv6Masquerade, fallback);
    }
}
