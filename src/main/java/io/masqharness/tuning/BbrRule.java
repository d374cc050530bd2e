package io.masqharness.tuning;

/**
 * BBR for pods: {@code bandwidthManager.bbr=true}; rendered only with the bandwidth manager; kernel 5.18 and BPF host
 * routing or the agent refuses to start. Facts §2.10; §1.4.
 */
final class BbrRule {

    static final String SOURCE = "pkg/bandwidth/bandwidth.go (kernel 5.18 probe bpf_skb_set_tstamp; 'BPF bandwidth manager's BBR setup"
            + " requires BPF host routing.'); chart cilium-1.13.4 (enable-bbr only with enable-bandwidth-manager); tuning guide;"
            + " facts/cilium-tuning-series.md §2.10";

    private BbrRule() {
    }

    static ToggleVerdict judge(TuningContext c, ToggleVerdict bandwidthManager, boolean bpfHostRouting) {
        boolean asked = c.bool("bandwidthManager.bbr", false);
        Verdicts v = new Verdicts(Toggle.BBR, Verdicts.onOff(asked), c.set("bandwidthManager.bbr"), SOURCE);
        String note = c.restartNote("bandwidthManager.bbr", "bandwidthManager.enabled")
                + (asked ? " Sockets opened before keep CUBIC: recreate the pods." : "");
        if (!asked) {
            return v.of("disabled", Outcome.OFF, "pods use the kernel's congestion control (CUBIC)" + note, ToggleVerdict.Stage.NONE);
        }
        if (!c.bool("bandwidthManager.enabled", false)) {
            return v.of("disabled", Outcome.IGNORED, "bandwidthManager.enabled is false: the chart renders neither enable-bandwidth-manager"
                    + " nor enable-bbr" + note, ToggleVerdict.Stage.HELM);
        }
        if (!c.kernel().atLeast(5, 1)) {
            return v.of("disabled", Outcome.FALLBACK, "the bandwidth manager turned itself off (kernel " + c.kernel() + " < 5.1) before"
                    + " BBR is looked at; evidence: `BandwidthManager: Disabled`" + note, ToggleVerdict.Stage.BANDWIDTH_PROBE);
        }
        if (!c.kernel().atLeast(5, 18)) {
            return v.of("disabled", Outcome.REFUSED, "Cannot enable --enable-bbr, needs kernel 5.18 or newer. (kernel " + c.kernel()
                    + ")" + note, ToggleVerdict.Stage.BANDWIDTH_PROBE);
        }
        if (!bpfHostRouting) {
            return v.of("disabled", Outcome.REFUSED, "BPF bandwidth manager's BBR setup requires BPF host routing. (host routing fell"
                    + " back to legacy: see hostRouting)" + note, ToggleVerdict.Stage.BANDWIDTH_INIT);
        }
        if (bandwidthManager.outcome() != Outcome.ON) {
            return v.of("disabled", Outcome.FALLBACK, "the bandwidth manager is off (" + bandwidthManager.effective() + "), so BBR is not"
                    + " applied" + note, ToggleVerdict.Stage.BANDWIDTH_PROBE, SOURCE,
                    "with IPsec, 1.13 turns the bandwidth manager off in initEnv, later lines after the BBR checks");
        }
        return v.of("enabled", Outcome.ON, "BBR for pods (kernel " + c.kernel() + " ≥ 5.18, BPF host routing); evidence:"
                + " `BandwidthManager: EDT with BPF [BBR] [devices]`" + note, ToggleVerdict.Stage.BANDWIDTH_INIT);
    }
}
