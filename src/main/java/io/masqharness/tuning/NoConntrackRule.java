package io.masqharness.tuning;

/** Bypassing iptables connection tracking: {@code installNoConntrackIptablesRules=true}. Facts §2.4. */
final class NoConntrackRule {

    static final String SOURCE = "chart cilium-1.13.4 templates/cilium-configmap.yaml (install-no-conntrack-iptables-rules, forced"
            + " false for azure/eni/gke/chaining); daemon/cmd/daemon_main.go initEnv (1.13 line),"
            + " daemon/cmd/kube_proxy_replacement.go (1.14 line); PR #18482; pkg/datapath/iptables/iptables.go"
            + " addNoTrackPodTrafficRules; facts/cilium-tuning-series.md §2.4";
    private static final String UNSETTLED = "the four messages were read in 1.13/1.14 development snapshots, not at the release tag";

    private NoConntrackRule() {
    }

    static ToggleVerdict judge(TuningContext c, boolean bpfHostRouting) {
        boolean asked = c.bool("installNoConntrackIptablesRules", false);
        Verdicts v = new Verdicts(Toggle.NO_CONNTRACK, Verdicts.onOff(asked), c.set("installNoConntrackIptablesRules"), SOURCE);
        String note = c.restartNote("installNoConntrackIptablesRules");
        if (!asked) {
            return v.of("disabled", Outcome.OFF, "pod traffic through the host stack is tracked by netfilter (the default)" + note,
                    ToggleVerdict.Stage.NONE);
        }
        String forced = c.bool("azure.enabled", false) ? "azure.enabled" : c.bool("eni.enabled", false) ? "eni.enabled"
                : c.bool("gke.enabled", false) ? "gke.enabled" : c.chaining().map(m -> "cni.chainingMode=" + m).orElse(null);
        if (forced != null) {
            return v.of("disabled", Outcome.IGNORED, "the chart writes install-no-conntrack-iptables-rules: \"false\" with " + forced
                    + ", whatever the value" + note, ToggleVerdict.Stage.HELM);
        }
        String refusal = !c.nativeRouting() ? "install-no-conntrack-iptables-rules requires the agent to run in direct routing mode."
                : !c.bool("ipv4.enabled", true) ? "install-no-conntrack-iptables-rules requires IPv4 support."
                : !c.fullKpr() ? "install-no-conntrack-iptables-rules requires the agent to run with kube-proxy-replacement="
                + c.fullKprWord() + "."
                : c.masquerading() && !c.bool("bpf.masquerade", false)
                ? "install-no-conntrack-iptables-rules requires the agent to run with enable-bpf-masquerade." : null;
        if (refusal != null) {
            return v.of("disabled", Outcome.REFUSED, refusal + note, c.version().atLeast(14, 0) ? ToggleVerdict.Stage.KPR_INIT
                    : ToggleVerdict.Stage.INIT_ENV, SOURCE, UNSETTLED);
        }
        if (c.values().get("ipv4NativeRoutingCIDR").isEmpty()) {
            return v.of("enabled", Outcome.ON, "the NOTRACK rules are keyed on the native-routing CIDR, which is unset (possible with"
                    + " masquerading off): the key may be on with no rule installed" + note, ToggleVerdict.Stage.NONE, SOURCE,
                    "older iptables code formats the unset CIDR, newer code skips the rules (half-enabled); which 1.13.4 does is open");
        }
        return v.of("enabled", Outcome.ON, "NOTRACK rules for pod traffic in the raw table (`iptables -t raw -S` shows 'cilium:"
                + " NOTRACK for pod traffic'; no status line)" + (bpfHostRouting ? "; with BPF host routing pod traffic already"
                + " skips netfilter, so they change little" : "") + note, ToggleVerdict.Stage.NONE, SOURCE, UNSETTLED);
    }
}
