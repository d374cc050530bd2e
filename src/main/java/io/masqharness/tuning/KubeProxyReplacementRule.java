package io.masqharness.tuning;

import java.util.Optional;

/**
 * Kube-proxy replacement: {@code kubeProxyReplacement=strict} (1.13) / {@code true} (1.14+; legacy values deprecated,
 * refused by the 1.16 chart), with {@code k8sServiceHost}/{@code k8sServicePort}. Facts §2.2.
 */
final class KubeProxyReplacementRule {

    static final String SOURCE = "chart cilium-1.13.4 templates/cilium-configmap.yaml (kube-proxy-replacement), 1.16.0"
            + " (true|false only, issue #36131); daemon/cmd/kube_proxy_replacement.go probeKubeProxyReplacementOptions;"
            + " Documentation/network/kubernetes/kubeproxy-free.rst; facts/cilium-tuning-series.md §2.2";

    private KubeProxyReplacementRule() {
    }

    static ToggleVerdict judge(TuningContext c, Optional<String> helmRefusal) {
        String kpr = c.helm().kubeProxyReplacement();
        String given = c.values().get("kubeProxyReplacement").map(Object::toString).map(s -> s.strip().toLowerCase()).orElse(kpr);
        Verdicts v = new Verdicts(Toggle.KUBE_PROXY_REPLACEMENT, given, c.set("kubeProxyReplacement"), SOURCE);
        String note = c.restartNote("kubeProxyReplacement");
        if (helmRefusal.isPresent()) {
            return v.of(given, Outcome.REFUSED, helmRefusal.get() + note, ToggleVerdict.Stage.HELM);
        }
        if (c.fullKpr() && !c.kernel().hasSocketLbUdp()) {
            return v.of(kpr, Outcome.REFUSED, "BPF host-reachable services for UDP needs kernel 4.19.57, 5.1.16, 5.2.0 or newer"
                    + " (kernel " + c.kernel() + "; full replacement turns socket-LB on and refuses to start without it)" + note,
                    ToggleVerdict.Stage.KPR_INIT, SOURCE, c.version().atLeast(15, 0) ? "the probe's wording read in a 1.14"
                            + " development snapshot; 1.15+ not read" : null);
        }
        if (c.fullKpr()) {
            return v.of(kpr, Outcome.ON, "full replacement: NodePort, ExternalIPs, HostPort, socket-LB in BPF; kube-proxy must be"
                    + " gone (K3s --disable-kube-proxy) and the agent must reach the API server without ClusterIP (k8sServiceHost"
                    + (c.set("k8sServiceHost") ? " set" : " not in the values: the K3s backend adds the server's address; elsewhere an"
                    + " agent on a node without kube-proxy cannot reach the API server's ClusterIP")
                    + "); evidence: `KubeProxyReplacement: " + (kpr.equals("true") ? "True" : "Strict") + "`" + note, ToggleVerdict.Stage.NONE);
        }
        if (kpr.equals("partial") || kpr.equals("false") && c.nodePort()) {
            return v.of(kpr, Outcome.ON, "partial replacement: only the features enabled one by one (nodePort.enabled="
                    + c.bool("nodePort.enabled", false) + "); BPF host routing and the conntrack bypass need full replacement" + note,
                    ToggleVerdict.Stage.NONE);
        }
        return v.of(kpr, Outcome.OFF, "kube-proxy replacement off: kube-proxy's iptables handle services; the agent turns NodePort"
                + " off and falls back to legacy host routing ('Auto-disabling \"enable-node-port\" … falling back to"
                + " \"enable-host-legacy-routing\"')" + note, ToggleVerdict.Stage.NONE);
    }
}
