package io.masqharness.tuning;

import java.util.Set;

/**
 * NodePort DSR: {@code loadBalancer.mode=dsr|hybrid} with {@code loadBalancer.dsrDispatch} (opt, ipip; geneve from 1.14).
 * Facts §2.3.
 */
final class DsrRule {

    static final String SOURCE = "chart cilium-1.13.4 templates/cilium-configmap.yaml (bpf-lb-mode, bpf-lb-dsr-dispatch, rendered"
            + " only when set); daemon/cmd/kube_proxy_replacement.go initKubeProxyReplacementOptions; issues #10847, #22003;"
            + " PR #23890 (Geneve dispatch, 1.14); facts/cilium-tuning-series.md §2.3";

    private static final Set<String> MODES = Set.of("snat", "dsr", "hybrid");

    private DsrRule() {
    }

    static ToggleVerdict judge(TuningContext c) {
        String mode = c.string("loadBalancer.mode", "snat").toLowerCase();
        String dispatch = c.string("loadBalancer.dsrDispatch", "opt").toLowerCase();
        Verdicts v = new Verdicts(Toggle.DSR, mode, c.set("loadBalancer.mode"), SOURCE);
        String note = c.restartNote("loadBalancer.mode", "loadBalancer.dsrDispatch");
        if (!MODES.contains(mode)) {
            return v.of(mode, Outcome.REFUSED, "Invalid value for --bpf-lb-mode: " + mode + " (snat, dsr or hybrid)" + note,
                    ToggleVerdict.Stage.KPR_INIT);
        }
        if (mode.equals("snat")) {
            return v.of("snat", Outcome.OFF, "NodePort in SNAT mode (the default): replies go back through the ingress node" + note,
                    ToggleVerdict.Stage.NONE);
        }
        if (!c.nodePort()) {
            return v.of("snat", Outcome.FALLBACK, "without BPF NodePort (kubeProxyReplacement=" + c.helm().kubeProxyReplacement()
                    + ") there is no NodePort datapath to run " + mode + " in: cilium-config says " + mode + ", the agent has none"
                    + note, ToggleVerdict.Stage.KPR_INIT, SOURCE, "inferred from the agent code (mode applied only with NodePort)");
        }
        boolean geneve = dispatch.equals("geneve") && c.version().atLeast(14, 0);
        if (!Set.of("opt", "ipip").contains(dispatch) && !geneve) {
            return v.of(mode, Outcome.REFUSED, "Invalid value for --bpf-lb-dsr-dispatch: " + dispatch + note, ToggleVerdict.Stage.KPR_INIT);
        }
        if (dispatch.equals("ipip") && !c.bool("loadBalancer.standalone", false)) {
            return v.of(mode, Outcome.REFUSED, "DSR dispatch mode ipip only supported for --datapath-mode=lb-only" + note,
                    ToggleVerdict.Stage.KPR_INIT);
        }
        if (mode.equals("hybrid") && !dispatch.equals("opt")) {
            return v.of(mode, Outcome.REFUSED, "hybrid mode works only with dsrDispatch=opt (got " + dispatch + ")" + note,
                    ToggleVerdict.Stage.KPR_INIT);
        }
        if (!c.nativeRouting()) {
            if (geneve && c.helm().routing() == io.masqharness.oracle.Routing.GENEVE) {
                return on(v, mode, "DSR dispatched in Geneve (tunnelProtocol=geneve, PR #23890)" + note);
            }
            if (!c.version().atLeast(14, 0)) {
                return v.of(mode, Outcome.REFUSED, "Node Port \"" + mode + "\" mode cannot be used with " + c.helm().routing().label()
                        + " tunneling. (set tunnel=disabled, or loadBalancer.mode=snat)" + note, ToggleVerdict.Stage.KPR_INIT, SOURCE,
                        "1.13.4 may still fall back to SNAT silently ('Disabling NodePort's \"dsr\" mode feature due to tunneling"
                                + " mode being enabled', up to 1.12) instead of refusing (issue #22003's fix); the verbose Mode: line tells");
            }
            return v.of(mode, Outcome.REFUSED, "Node Port \"" + mode + "\" mode cannot be used with " + c.helm().routing().label()
                    + " tunneling. (set routingMode=native, or DSR in Geneve: tunnelProtocol=geneve with dsrDispatch=geneve)" + note,
                    ToggleVerdict.Stage.KPR_INIT, SOURCE, c.version().atLeast(15, 0) ? "the message was read in a 1.14 development"
                            + " snapshot" : null);
        }
        return on(v, mode, "NodePort " + mode + " with " + dispatch + " dispatch on native routing; cloud fabrics that drop IP"
                + " options break opt dispatch" + note);
    }

    private static ToggleVerdict on(Verdicts v, String mode, String why) {
        return v.of(mode, Outcome.ON, why + "; evidence: `cilium status --verbose` Mode: " + (mode.equals("dsr") ? "DSR" : "Hybrid"),
                ToggleVerdict.Stage.NONE);
    }
}
