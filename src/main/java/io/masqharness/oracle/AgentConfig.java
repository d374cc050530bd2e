package io.masqharness.oracle;

import io.masqharness.net.Cidr;
import io.masqharness.net.Cidr6;
import java.util.List;
import java.util.Optional;

/**
 * The masquerading configuration a Cilium agent ends up running with, which may differ from what was
 * asked: {@code fallback} holds the agent's reason when BPF masquerading was requested but silently
 * replaced by iptables (up to 1.14).
 *
 * @param requestedBpf        Helm {@code bpf.masquerade} as set
 * @param mode                the effective implementation
 * @param ipMasqAgent         BPF ip-masq-agent active
 * @param ipMasqAgentFile     the agent's config file state (meaningful when ipMasqAgent)
 * @param routing             tunnel or native routing
 * @param nativeRoutingCidr   Helm {@code ipv4NativeRoutingCIDR}
 * @param egressMasqueradeInterfaces Helm {@code egressMasqueradeInterfaces} ("" when unset)
 * @param sctp                Helm {@code sctp.enabled}
 * @param ipv6                Helm {@code ipv6.enabled}
 * @param ipv6Masquerade      effective IPv6 masquerading: Helm {@code enableIPv6Masquerade} and {@code ipv6.enabled}
 *                            (pkg/option/config.go:3036); Cilium 1.13 does it with ip6tables only
 * @param fallback            why BPF masquerading fell back to iptables, if it did
 * @param ipv6NativeRoutingCidr Helm {@code ipv6NativeRoutingCIDR}
 * @param version             the Cilium release whose rules derived this configuration
 * @param modeV6              the effective IPv6 implementation (BPF from 1.14 on)
 * @param podCidrExcluded     whether, without a native-routing CIDR, the node's pod CIDR is the exclusion CIDR
 *                            (not with the ip-masq-agent from 1.15 on)
 * @param rules               the version rules this configuration was derived with (beyond the 1.13 baseline)
 * @param unverified          the unsettled facts the derivation rested on, each saying why
 * @param notes               the Helm values this version refuses, ignores or deprecates
 * @param nodePort            BPF NodePort on (kube-proxy replacement, or nodePort.enabled where the version honours it):
 *                            the port-collision SNAT of host traffic then applies (facts §1.1 step 1, D4)
 */
public record AgentConfig(
        boolean requestedBpf,
        MasqueradeMode mode,
        boolean ipMasqAgent,
        IpMasqAgentFile ipMasqAgentFile,
        Routing routing,
        Optional<Cidr> nativeRoutingCidr,
        String egressMasqueradeInterfaces,
        boolean sctp,
        boolean ipv6,
        boolean ipv6Masquerade,
        Optional<String> fallback,
        Optional<Cidr6> ipv6NativeRoutingCidr,
        CiliumVersion version,
        MasqueradeMode modeV6,
        boolean podCidrExcluded,
        java.util.Set<VersionRule> rules,
        List<String> unverified,
        List<ValueNote> notes,
        boolean nodePort) {

    public AgentConfig {
        rules = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(rules));
        unverified = List.copyOf(unverified);
        notes = List.copyOf(notes);
    }

    /** A Cilium 1.13 configuration: IPv6 is masqueraded by ip6tables when at all. */
    public AgentConfig(boolean requestedBpf, MasqueradeMode mode, boolean ipMasqAgent, IpMasqAgentFile ipMasqAgentFile,
                       Routing routing, Optional<Cidr> nativeRoutingCidr, String egressMasqueradeInterfaces, boolean sctp,
                       boolean ipv6, boolean ipv6Masquerade, Optional<String> fallback, Optional<Cidr6> ipv6NativeRoutingCidr) {
        this(requestedBpf, mode, ipMasqAgent, ipMasqAgentFile, routing, nativeRoutingCidr, egressMasqueradeInterfaces, sctp,
                ipv6, ipv6Masquerade, fallback, ipv6NativeRoutingCidr, CiliumVersion.V1_13_4,
                ipv6Masquerade ? MasqueradeMode.IPTABLES : MasqueradeMode.DISABLED, true, java.util.Set.of(), List.of(), List.of(), false);
    }

    /** The same configuration with another IPv4 mode and ip-masq-agent state (what a capture shows the agent runs). */
    public AgentConfig running(MasqueradeMode runningMode, boolean runningIpMasqAgent, IpMasqAgentFile file) {
        return new AgentConfig(requestedBpf, runningMode, runningIpMasqAgent, file, routing, nativeRoutingCidr,
                egressMasqueradeInterfaces, sctp, ipv6, ipv6Masquerade, fallback, ipv6NativeRoutingCidr, version,
                modeV6 == MasqueradeMode.DISABLED ? modeV6 : runningMode == MasqueradeMode.BPF && version.atLeast(14, 0)
                        ? MasqueradeMode.BPF : MasqueradeMode.IPTABLES, podCidrExcluded, rules, unverified, notes, nodePort);
    }

    /** Without IPv6 native routing: the configurations read from IPv4-only captures. */
    public AgentConfig(boolean requestedBpf, MasqueradeMode mode, boolean ipMasqAgent, IpMasqAgentFile ipMasqAgentFile,
                       Routing routing, Optional<Cidr> nativeRoutingCidr, String egressMasqueradeInterfaces, boolean sctp,
                       boolean ipv6, boolean ipv6Masquerade, Optional<String> fallback) {
        this(requestedBpf, mode, ipMasqAgent, ipMasqAgentFile, routing, nativeRoutingCidr, egressMasqueradeInterfaces, sctp,
                ipv6, ipv6Masquerade, fallback, Optional.empty());
    }

    /** The CIDRs in cilium_ipmasq_v4, empty when the ip-masq-agent is off. */
    public List<Cidr> ipMasqAgentCidrs() {
        return ipMasqAgent ? ipMasqAgentFile.effectiveCidrs() : List.of();
    }

    /** Destinations in this CIDR are never masqueraded: the native-routing CIDR, else the node's pod CIDR. */
    public Cidr exclusionCidr(Cidr nodePodCidr) {
        return nativeRoutingCidr.orElse(nodePodCidr);
    }

    /**
     * The SNAT exclusion CIDR as this version's agent sets it: the native-routing CIDR, else the node's pod
     * CIDR, except with the ip-masq-agent from 1.15 on (none then: PR #27747).
     */
    public Optional<Cidr> exclusion(Cidr nodePodCidr) {
        return nativeRoutingCidr.or(() -> podCidrExcluded ? Optional.of(nodePodCidr) : Optional.empty());
    }

    /** As {@link #exclusion} for IPv6. */
    public Optional<Cidr6> exclusionV6(Cidr6 nodePodCidrV6) {
        return ipv6NativeRoutingCidr.or(() -> podCidrExcluded ? Optional.of(nodePodCidrV6) : Optional.empty());
    }

    /**
     * IPv6 destinations in this CIDR are never masqueraded: {@code ipv6NativeRoutingCIDR}, else the
     * node's IPv6 pod CIDR (pkg/datapath/config.go:134-140, RemoteSNATDstAddrExclusionCIDRv6).
     */
    public Cidr6 exclusionCidrV6(Cidr6 nodePodCidrV6) {
        return ipv6NativeRoutingCidr.orElse(nodePodCidrV6);
    }

    /**
     * The {@code [IPv4: …, IPv6: …]} part of the status line: the effective flags, whatever the
     * implementation (pkg/client/client.go FormatStatusResponse, daemon/cmd/status.go).
     */
    public String statusFamilies() {
        return "[IPv4: " + (mode == MasqueradeMode.DISABLED ? "Disabled" : "Enabled") + ", IPv6: "
                + (ipv6Masquerade ? "Enabled" : "Disabled") + "]";
    }

    /** How {@code cilium status} names the mode: IPTables, BPF, BPF (ip-masq-agent) or Disabled. */
    public String statusLabel() {
        MasqueradeMode shown = mode == MasqueradeMode.DISABLED && modeV6 == MasqueradeMode.BPF ? modeV6 : mode;
        return switch (shown) {
            case IPTABLES -> "IPTables";
            case BPF -> ipMasqAgent ? "BPF (ip-masq-agent)" : "BPF";
            case DISABLED -> "Disabled";
        };
    }
}
