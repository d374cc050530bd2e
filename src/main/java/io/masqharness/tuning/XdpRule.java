package io.masqharness.tuning;

import java.util.Set;

/**
 * XDP acceleration of NodePort: {@code loadBalancer.acceleration=native} (1.13; {@code best-effort} from 1.15). Needs BPF
 * NodePort and a native-XDP driver on every device Cilium selects: an attach failure is fatal. Facts §2.11.
 */
final class XdpRule {

    static final String SOURCE = "chart cilium-1.13.4/1.15.0 values.yaml (loadBalancer.acceleration; best-effort PR #28666);"
            + " daemon/cmd/kube_proxy_replacement.go; issues #24768, #25453 (attach failures fatal), #32699 (best-effort skips);"
            + " PR #21364 (XDP with tunnelling); facts/cilium-tuning-series.md §2.11";

    private XdpRule() {
    }

    static ToggleVerdict judge(TuningContext c) {
        String mode = c.string("loadBalancer.acceleration", "disabled").toLowerCase();
        Verdicts v = new Verdicts(Toggle.XDP_ACCELERATION, mode, c.set("loadBalancer.acceleration"), SOURCE);
        String note = c.restartNote("loadBalancer.acceleration");
        Set<String> accepted = c.version().atLeast(15, 0) ? Set.of("disabled", "native", "generic", "best-effort")
                : Set.of("disabled", "native", "generic");
        if (!accepted.contains(mode)) {
            return v.of("disabled", Outcome.REFUSED, "Invalid value for --bpf-lb-acceleration: " + mode + " (" + c.version().line()
                    + " accepts " + String.join(", ", new java.util.TreeSet<>(accepted)) + ")" + note, ToggleVerdict.Stage.KPR_INIT);
        }
        if (mode.equals("disabled")) {
            return v.of("disabled", Outcome.OFF, "no XDP acceleration (the default); evidence: verbose `XDP Acceleration: Disabled`" + note,
                    ToggleVerdict.Stage.NONE);
        }
        if (!c.nodePort()) {
            return v.of("disabled", Outcome.FALLBACK, "without BPF NodePort (kubeProxyReplacement=" + c.helm().kubeProxyReplacement()
                    + ") the agent does not apply acceleration" + note, ToggleVerdict.Stage.KPR_INIT, SOURCE,
                    "read from the agent code (acceleration is validated and applied only with NodePort), not seen on a release");
        }
        String tunnel = c.nativeRouting() ? "" : "; with tunnel routing (allowed since PR #21364)";
        if (mode.equals("best-effort")) {
            return v.of("best-effort", Outcome.ON, "XDP on the devices whose driver supports it; the others are skipped silently"
                    + " ('Failed to attach XDP program, ignoring due to best-effort mode') and the status still says Best-Effort"
                    + tunnel + note, ToggleVerdict.Stage.XDP_ATTACH, SOURCE, "which devices have a native-XDP driver is unknown from a scenario");
        }
        return v.of(mode, Outcome.ON, "XDP " + mode + " on every device Cilium selects" + tunnel + ". The scenario does not say the"
                + " nodes' NIC drivers: this assumes each has " + (mode.equals("native") ? "native XDP (mlx5, ice, veth, …); a device"
                + " without it makes the agent refuse to start ('Failed to compile XDP program … attaching XDP program to interface …')"
                : "generic XDP (testing only)") + "; evidence: verbose `XDP Acceleration: " + (mode.equals("native") ? "Native" : "Generic")
                + "`" + note, ToggleVerdict.Stage.XDP_ATTACH, SOURCE, "the nodes' NIC drivers are unknown from a scenario");
    }
}
