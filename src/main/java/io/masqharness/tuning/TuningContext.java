package io.masqharness.tuning;

import io.masqharness.oracle.CiliumVersion;
import io.masqharness.oracle.HelmResolution;
import io.masqharness.oracle.HelmValues;
import io.masqharness.oracle.Routing;
import java.util.Optional;
import java.util.Set;

/**
 * What every toggle rule reads: the flattened values, the release, the node's kernel, and what the chart and the
 * masquerading oracle made of the values (routing, kube-proxy replacement, BPF masquerading after its fallback).
 *
 * @param modeKeys    the keys the mode itself sets (on top of the base values): what its {@code helm upgrade} changes
 * @param helm        the chart's reading of routing and kube-proxy replacement
 * @param bpfMasquerade whether the agent runs BPF masquerading (the oracle's answer, after its silent fallback)
 * @param masquerading  whether IPv4 masquerading is on at all
 */
record TuningContext(HelmValues values, Set<String> modeKeys, CiliumVersion version, Kernel kernel, HelmResolution helm,
                     boolean bpfMasquerade, boolean masquerading) {

    boolean set(String key) {
        return values.get(key).filter(v -> !v.toString().isBlank()).isPresent();
    }

    boolean bool(String key, boolean defaultValue) {
        return values.bool(key, defaultValue);
    }

    String string(String key, String defaultValue) {
        return values.string(key, defaultValue);
    }

    boolean nativeRouting() {
        return helm.routing() == Routing.NATIVE;
    }

    /** strict (1.13, deprecated later) or true (1.14+): every kube-proxy feature in BPF. */
    boolean fullKpr() {
        return helm.kubeProxyReplacement().equals("strict") || helm.kubeProxyReplacement().equals("true");
    }

    /** The spelling of full replacement this release's messages use. */
    String fullKprWord() {
        return version.atLeast(15, 0) ? "true" : "strict";
    }

    boolean nodePort() {
        return helm.nodePort();
    }

    /** encryption.enabled with type ipsec (the chart's default type). */
    boolean ipsec() {
        return bool("encryption.enabled", false) && string("encryption.type", "ipsec").equals("ipsec");
    }

    boolean encryption() {
        return bool("encryption.enabled", false);
    }

    boolean ipv6() {
        return bool("ipv6.enabled", false);
    }

    /** cni.chainingMode other than none: the chart forces legacy host routing and no conntrack bypass. */
    Optional<String> chaining() {
        String mode = string("cni.chainingMode", "none");
        return mode.isEmpty() || mode.equals("none") ? Optional.empty() : Optional.of(mode);
    }

    /**
     * The note for a toggle the mode itself changes: {@code --reuse-values} with {@code rollOutCiliumPods} off (the
     * chart default, values.yaml of 1.13.4-1.16) changes cilium-config only, and running agents keep their
     * configuration until restarted (facts §1.2).
     */
    String restartNote(String... keys) {
        boolean changed = false;
        for (String k : keys) {
            changed |= modeKeys.contains(k);
        }
        if (!changed || bool("rollOutCiliumPods", false)) {
            return "";
        }
        return " The mode's helm upgrade changes only cilium-config (rollOutCiliumPods=false, the chart default): nothing"
                + " changes until the agents restart (the harness restarts them after each switch).";
    }
}
