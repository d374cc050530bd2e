package io.masqharness.cluster.lab;

import io.masqharness.oracle.HelmValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the lab's reference datapath makes of the tuning series' Helm values: the three toggles a datapath of
 * iptables rules and network namespaces can honestly carry out, read from the values themselves (not from an
 * oracle), and the toggles it cannot, which only a Cilium agent can answer for (facts: cilium-tuning-series.md).
 *
 * <ul>
 *   <li><b>MTU</b> ({@code MTU}, facts §2.8): Cilium sets the MTU of cilium_host, the lxc* veths and pod eth0 when it
 *   creates them. The lab sets it on lab0 (its cilium_host), the vp-* veths (its lxc*) and each pod's eth0. Without an
 *   MTU value the pods keep the lab's default {@link #DEFAULT_MTU}; the lab does not model Cilium's auto-detection
 *   (which inherits the MTU of the node's device, here the fabric's).</li>
 *   <li><b>BBR</b> ({@code bandwidthManager.enabled} and {@code bandwidthManager.bbr}, facts §2.10): congestion control
 *   {@code bbr} in the pods' network namespaces ({@code net.ipv4.tcp_congestion_control} is per namespace); without it
 *   the node's default ({@link #nodeDefault}). The chart renders {@code enable-bbr} only with the bandwidth manager on,
 *   so {@code bbr} alone is ignored, as here.</li>
 *   <li><b>Conntrack bypass</b> ({@code installNoConntrackIptablesRules}, facts §2.4): Cilium's raw-table NOTRACK rules
 *   for the IPv4 native-routing CIDR ({@link LabRules#NOTRACK_COMMENT}).</li>
 * </ul>
 *
 * @param mtu         the MTU asked for, if any
 * @param bbr         whether pods get BBR (bandwidth manager on and BBR asked for)
 * @param noConntrack whether the NOTRACK rules are installed
 */
public record LabTuning(Optional<Integer> mtu, boolean bbr, boolean noConntrack) {

    /** The MTU the lab's pods, veths and bridges have when no MTU is asked for: its fabric's (VXLAN over a 1500 network). */
    public static final int DEFAULT_MTU = 1450;
    /** What VXLAN adds to each frame (outer Ethernet 14, IPv4 20, UDP 8, VXLAN 8): the Docker network must carry that much more. */
    public static final int VXLAN_OVERHEAD = 50;
    /** The congestion control the lab sets for BBR. */
    public static final String BBR = "bbr";
    /** Linux's default congestion control (CONFIG_DEFAULT_TCP_CONG), Debian's kernels' too: the lab's nodes have it where they may. */
    public static final String LINUX_DEFAULT = "cubic";
    /** The congestion control any network namespace may choose: the kernel builds it in and marks it unrestricted. */
    public static final String UNRESTRICTED = "reno";

    /** A toggle of the tuning series the mode asks for and only Cilium can carry out or report. */
    public record Unmodelled(String toggle, String requested) {
    }

    public static LabTuning of(HelmValues values) {
        Optional<Integer> mtu = values.get("MTU").map(Object::toString).map(String::trim).filter(s -> !s.isEmpty())
                .map(s -> {
                    int m;
                    try {
                        m = Integer.parseInt(s);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("Helm value MTU=" + s + " is not a number");
                    }
                    if (m != 0 && (m < 1280 || m > 65535)) {
                        throw new IllegalArgumentException("Helm value MTU=" + m + " is outside 1280..65535 (0: auto-detect)");
                    }
                    return m;
                })
                .filter(m -> m != 0);
        boolean bbr = values.bool("bandwidthManager.enabled", false) && values.bool("bandwidthManager.bbr", false);
        return new LabTuning(mtu, bbr, values.bool("installNoConntrackIptablesRules", false));
    }

    /** The MTU of the pods' devices and their node side in this mode. */
    public int podMtu() {
        return mtu.orElse(DEFAULT_MTU);
    }

    /**
     * The congestion control a pod's namespace gets: {@link #BBR}, or the node's default ({@link #nodeDefault}), which
     * Cilium leaves alone unless the bandwidth manager sets BBR.
     */
    public String congestionControl(String nodeDefault) {
        return bbr ? BBR : nodeDefault;
    }

    /**
     * The congestion control the lab's nodes have by default, for their own sockets and every pod namespace:
     * {@link #LINUX_DEFAULT} where this host lets a namespace other than its own choose it, else {@link #UNRESTRICTED}.
     * Not this host's own default, which a new namespace would inherit: on the build machine that is bbr already, and a
     * BBR mode would then have nothing to differ from.
     *
     * @param allowed this host's {@code net.ipv4.tcp_allowed_congestion_control}: what a namespace other than the
     *                host's may choose ({@code tcp_set_default_congestion_control} refuses the rest with EPERM)
     */
    public static String nodeDefault(String allowed) {
        return List.of(allowed.trim().split("\\s+")).contains(LINUX_DEFAULT) ? LINUX_DEFAULT : UNRESTRICTED;
    }

    /** The largest MTU any of these values asks for: what the lab's underlay must carry (at least the default). */
    public static int fabricMtu(List<HelmValues> modes) {
        return modes.stream().map(LabTuning::of).map(LabTuning::podMtu).reduce(DEFAULT_MTU, Math::max);
    }

    /**
     * The tuning toggles these values ask for that the lab does not carry out: each is reported not applicable,
     * never passed. Keys as in the Cilium 1.13.4 chart (facts §0), with their 1.14+ spellings where they differ.
     */
    public static List<Unmodelled> unmodelled(HelmValues values) {
        List<Unmodelled> out = new ArrayList<>();
        values.get("kubeProxyReplacement").ifPresent(v -> out.add(new Unmodelled("kube-proxy replacement (KubeProxyReplacement line)",
                "kubeProxyReplacement=" + v)));
        present(values, "loadBalancer.mode", "loadBalancer.dsrDispatch").ifPresent(v -> out.add(new Unmodelled(
                "NodePort DSR (verbose KubeProxyReplacement Mode line)", v)));
        present(values, "bpf.hostLegacyRouting").ifPresent(v -> out.add(new Unmodelled("BPF host routing (Host Routing line)", v)));
        present(values, "enableIPv6BIGTCP", "enableIPv4BIGTCP").ifPresent(v -> out.add(new Unmodelled(
                "BIG TCP (IPv6/IPv4 BIG TCP lines, gso_max_size)", v)));
        present(values, "hubble.enabled", "hubble.relay.enabled", "hubble.ui.enabled").ifPresent(v -> out.add(new Unmodelled(
                "Hubble (Hubble line)", v)));
        present(values, "bandwidthManager.enabled").ifPresent(v -> out.add(new Unmodelled(
                "bandwidth manager's EDT rate limiting and fq qdiscs (BandwidthManager line)", v)));
        present(values, "loadBalancer.acceleration").ifPresent(v -> out.add(new Unmodelled("XDP acceleration (XDP Acceleration line)", v)));
        present(values, "bpf.mapDynamicSizeRatio", "bpf.ctTcpMax", "bpf.ctAnyMax", "bpf.natMax", "bpf.neighMax", "bpf.policyMapMax",
                "bpf.lbMapMax", "bpf.preallocateMaps").ifPresent(v -> out.add(new Unmodelled("eBPF map sizes (verbose BPF Maps table)", v)));
        return out;
    }

    private static Optional<String> present(HelmValues values, String... keys) {
        List<String> set = new ArrayList<>();
        for (String k : keys) {
            values.get(k).ifPresent(v -> set.add(k + "=" + v));
        }
        return set.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", set));
    }
}
