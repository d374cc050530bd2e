package io.masqharness.tuning;

/**
 * The bandwidth manager: {@code bandwidthManager.enabled=true} (kernel 5.1, readable procfs, host devices, no IPsec; each
 * missing one turns it off with a warning). Facts §2.9.
 */
final class BandwidthManagerRule {

    static final String SOURCE = "pkg/bandwidth/bandwidth.go ProbeBandwidthManager/InitBandwidthManager (1.13 line) and its later"
            + " manager.probe; daemon/cmd/daemon_main.go initEnv (IPsec); chart cilium-1.13.4 (enable-bandwidth-manager only when"
            + " enabled); real 1.13.4 status 'EDT with BPF [CUBIC] [eth0]'; facts/cilium-tuning-series.md §2.9";

    private BandwidthManagerRule() {
    }

    static ToggleVerdict judge(TuningContext c) {
        boolean asked = c.bool("bandwidthManager.enabled", false);
        Verdicts v = new Verdicts(Toggle.BANDWIDTH_MANAGER, Verdicts.onOff(asked), c.set("bandwidthManager.enabled"), SOURCE);
        String note = c.restartNote("bandwidthManager.enabled");
        if (!asked) {
            return v.of("disabled", Outcome.OFF, "no bandwidth manager (the default); evidence: `BandwidthManager: Disabled`" + note,
                    ToggleVerdict.Stage.NONE);
        }
        if (!c.kernel().atLeast(5, 1)) {
            return v.of("disabled", Outcome.FALLBACK, "BPF bandwidth manager needs kernel 5.1 or newer. Disabling the feature. (kernel "
                    + c.kernel() + "; a warning, the agent runs); evidence: `BandwidthManager: Disabled`" + note,
                    ToggleVerdict.Stage.BANDWIDTH_PROBE);
        }
        if (c.ipsec()) {
            return v.of("disabled", Outcome.FALLBACK, "The bandwidth manager cannot be used with IPSec. Disabling the bandwidth manager."
                    + " (a warning); evidence: `BandwidthManager: Disabled`" + note, ToggleVerdict.Stage.BANDWIDTH_PROBE);
        }
        return v.of("enabled", Outcome.ON, "EDT rate limiting and fq on every host device (kernel " + c.kernel() + " ≥ 5.1); it also"
                + " needs a readable /proc/sys/net/core/default_qdisc and detected devices, which a scenario cannot tell (without them"
                + " it turns off with a warning); evidence: `BandwidthManager: EDT with BPF [" + (c.bool("bandwidthManager.bbr", false)
                ? "BBR" : "CUBIC") + "] [devices]`" + note, ToggleVerdict.Stage.BANDWIDTH_PROBE, SOURCE,
                "procfs and device detection are unknown from a scenario");
    }
}
