package io.masqharness.tuning;

import java.util.ArrayList;
import java.util.List;

/**
 * BPF host routing: the agent's default when the kernel and configuration allow it ({@code bpf.hostLegacyRouting=false}
 * only says so), silently legacy otherwise, logged at Info. Facts §2.5; §4 #5.
 */
final class HostRoutingRule {

    static final String SOURCE = "daemon/cmd/kube_proxy_replacement.go finishKubeProxyReplacementInit (1.14 development"
            + " snapshot, same structure in 1.13); daemon/cmd/daemon.go BPF masquerade fallback; chart cilium-1.13.4"
            + " enable-host-legacy-routing; tuning guide (kernel 5.10); real 1.13.4 status outputs; facts/cilium-tuning-series.md §2.5";

    private HostRoutingRule() {
    }

    static ToggleVerdict judge(TuningContext c) {
        boolean legacyAsked = c.bool("bpf.hostLegacyRouting", false);
        Verdicts v = new Verdicts(Toggle.HOST_ROUTING, legacyAsked ? "legacy" : "bpf", c.set("bpf.hostLegacyRouting"), SOURCE);
        String note = c.restartNote("bpf.hostLegacyRouting");
        if (legacyAsked) {
            return v.of("legacy", Outcome.OFF, "bpf.hostLegacyRouting=true: legacy host routing through the host stack and iptables"
                    + "; evidence: " + line(c, "Legacy") + note, ToggleVerdict.Stage.HOST_ROUTING);
        }
        List<String> reasons = reasons(c);
        if (reasons.isEmpty()) {
            return v.of("bpf", Outcome.ON, "kernel " + c.kernel() + " ≥ 5.10, full kube-proxy replacement, "
                    + (c.masquerading() ? "BPF masquerading" : "no masquerading") + ": BPF host routing (bpf_redirect_neigh/peer);"
                    + " evidence: " + line(c, "BPF") + note, ToggleVerdict.Stage.HOST_ROUTING, SOURCE, unsettled(c));
        }
        return v.of("legacy", Outcome.FALLBACK, "silently legacy (an Info log line): " + String.join("; ", reasons)
                + "; evidence: " + line(c, "Legacy") + note, ToggleVerdict.Stage.HOST_ROUTING, SOURCE, unsettled(c));
    }

    /** Every reason the agent falls back, in the order it checks them; empty when BPF host routing is in force. */
    static List<String> reasons(TuningContext c) {
        List<String> r = new ArrayList<>();
        String fallingBack = " Falling back to legacy host routing (enable-host-legacy-routing=true).";
        if (c.chaining().isPresent()) {
            r.add("the chart writes enable-host-legacy-routing: \"true\" with cni.chainingMode=" + c.chaining().get());
        }
        if (!c.nodePort()) {
            r.add("no BPF NodePort (kubeProxyReplacement=" + c.helm().kubeProxyReplacement() + "): 'Auto-disabling … and falling back"
                    + " to \"enable-host-legacy-routing\"'");
        }
        if (c.ipsec()) {
            r.add("BPF host routing is incompatible with enable-ipsec." + fallingBack);
        }
        if (c.masquerading() && !c.bpfMasquerade()) {
            r.add("BPF host routing requires enable-bpf-masquerade." + fallingBack + " (masquerading is iptables"
                    + (c.bool("bpf.masquerade", false) ? ", BPF masquerading having fallen back" : "") + ")");
        }
        if (c.nodePort() && !c.fullKpr()) {
            r.add("BPF host routing requires kube-proxy-replacement=" + c.fullKprWord() + "." + fallingBack);
        }
        if (c.bool("endpointRoutes.enabled", false) && c.ipv6()) {
            r.add("BPF host routing is currently not supported with enable-endpoint-routes when IPv6 is enabled." + fallingBack);
        }
        if (!c.kernel().atLeast(5, 10)) {
            r.add("BPF host routing requires kernel 5.10 or newer." + fallingBack + " (kernel " + c.kernel() + ")");
        }
        return r;
    }

    private static String line(TuningContext c, String word) {
        return c.version().atLeast(16, 0) ? "`Routing: Network: … Host: " + word + "`" : "`Host Routing: " + word + "`";
    }

    private static String unsettled(TuningContext c) {
        return c.version().atLeast(15, 0) ? "the fallback list was read in a 1.14 development snapshot; main keeps only iptables"
                + " masquerading and kube-proxy-replacement != true, and when that reached 1.15/1.16 was not checked" : null;
    }
}
