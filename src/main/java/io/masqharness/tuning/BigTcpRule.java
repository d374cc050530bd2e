package io.masqharness.tuning;

/**
 * IPv6 BIG TCP: {@code enableIPv6BIGTCP=true}. The agent's order (pkg/datapath/linux/bigtcp/bigtcp.go InitBIGTCP): no
 * devices or kernel &lt; 5.19 turn it off with a warning; then tunnelling, encryption and legacy host routing are fatal; a
 * device refusing the size turns it off again. Facts §2.6.
 */
final class BigTcpRule {

    static final String SOURCE = "pkg/datapath/linux/bigtcp/bigtcp.go InitBIGTCP (IPv6-only revision of the 1.13 line); PR #20349;"
            + " chart cilium-1.13.4 enable-ipv6-big-tcp; tuning guide; facts/cilium-tuning-series.md §2.6";

    private BigTcpRule() {
    }

    static ToggleVerdict judge(TuningContext c, boolean bpfHostRouting) {
        boolean asked = c.bool("enableIPv6BIGTCP", false);
        Verdicts v = new Verdicts(Toggle.BIG_TCP_IPV6, Verdicts.onOff(asked), c.set("enableIPv6BIGTCP"), SOURCE);
        String note = c.restartNote("enableIPv6BIGTCP") + (asked ? " Pods created before keep 64 KiB GSO/GRO until recreated." : "");
        if (!asked) {
            return v.of("disabled", Outcome.OFF, "IPv6 BIG TCP off (the default); evidence: `IPv6 BIG TCP: Disabled`" + note,
                    ToggleVerdict.Stage.NONE);
        }
        if (!c.kernel().atLeast(5, 19)) {
            return v.of("disabled", Outcome.FALLBACK, "Cannot enable --enable-ipv6-big-tcp, needs kernel 5.19 or newer (kernel "
                    + c.kernel() + "; a warning, the agent runs); evidence: `IPv6 BIG TCP: Disabled`" + note, ToggleVerdict.Stage.BIG_TCP);
        }
        String fatal = !c.nativeRouting() ? "IPv6 BIG TCP is not supported in tunneling mode"
                : c.encryption() ? "IPv6 BIG TCP is not supported with encryption enabled"
                : !bpfHostRouting ? "IPv6 BIG TCP is not supported with legacy host routing (host routing fell back to legacy:"
                + " see hostRouting)" : null;
        if (fatal != null) {
            return v.of("disabled", Outcome.REFUSED, fatal + note, ToggleVerdict.Stage.BIG_TCP);
        }
        String family = c.ipv6() ? "" : "; ipv6.enabled=false: the agent still sets the sizes and says Enabled, but no IPv6 traffic"
                + " uses them";
        return v.of("enabled", Outcome.ON, "kernel " + c.kernel() + " ≥ 5.19, native routing, BPF host routing; every device"
                + " Cilium selects must accept gso_max_size 196608 (mlx4/mlx5, veth): the scenario does not say the nodes' NIC"
                + " drivers, and a device that refuses turns BIG TCP off with a warning ('Could not modify gro_max_size and"
                + " gso_max_size, disabling BIG TCP'; most virtio_net VMs)" + family + "; evidence: `IPv6 BIG TCP: Enabled`" + note,
                ToggleVerdict.Stage.BIG_TCP, SOURCE, c.ipv6() ? "the NIC's tso_max_size is unknown from a scenario"
                        : "the NIC's tso_max_size is unknown from a scenario; the missing IPv6 check is read from the 1.13-line code (facts [L])");
    }
}
