package io.masqharness.oracle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Helm values rewritten in the target version's spelling before {@code helm upgrade --version}: what
 * {@link HelmResolution}'s notes ask for, and nothing else. {@code tunnel} becomes {@code routingMode} (and
 * {@code tunnelProtocol}) from 1.14, {@code kubeProxyReplacement} strict|partial|disabled becomes true|false
 * from 1.14, {@code remoteNodeIdentity} goes from 1.16. Every change is listed, as plan and the report show it.
 *
 * @param values  the values to pass to the target's chart
 * @param changes one line per value changed: {@code tunnel: disabled -> routingMode: native}
 */
public record ValueRewrite(Map<String, Object> values, List<String> changes) {

    public ValueRewrite {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        changes = List.copyOf(changes);
    }

    public static ValueRewrite forTarget(Map<String, Object> written, CiliumVersion target) {
        Map<String, Object> out = new LinkedHashMap<>(written);
        List<String> changes = new ArrayList<>();
        if (target.atLeast(14, 0)) {
            Object tunnel = out.remove("tunnel");
            if (tunnel != null && !out.containsKey("routingMode")) {
                String t = tunnel.toString().trim();
                out.put("routingMode", t.equals("disabled") ? "native" : "tunnel");
                if (!t.equals("disabled")) {
                    out.put("tunnelProtocol", t);
                }
                changes.add("tunnel: " + t + " -> routingMode: " + out.get("routingMode")
                        + (t.equals("disabled") ? "" : ", tunnelProtocol: " + t));
            } else if (tunnel != null) {
                changes.add("tunnel: " + tunnel + " removed (routingMode: " + out.get("routingMode") + " is given)");
            }
            Object kpr = out.get("kubeProxyReplacement");
            if (kpr != null && List.of("strict", "partial", "disabled").contains(kpr.toString().trim().toLowerCase())) {
                String now = kpr.toString().trim().equalsIgnoreCase("strict") ? "true" : "false";
                out.put("kubeProxyReplacement", now);
                changes.add("kubeProxyReplacement: " + kpr + " -> " + now + (kpr.toString().equalsIgnoreCase("partial")
                        ? " (nodePort.enabled and socketLB.enabled keep choosing the features)" : ""));
            }
        }
        if (target.atLeast(16, 0) && out.containsKey("remoteNodeIdentity")) {
            changes.add("remoteNodeIdentity: " + out.remove("remoteNodeIdentity") + " removed (always on from 1.16)");
        }
        if (!VersionRule.ROUTE_SOURCE.appliesTo(target) && out.containsKey("enableMasqueradeRouteSource")) {
            changes.add("enableMasqueradeRouteSource: " + out.remove("enableMasqueradeRouteSource") + " removed (unknown to "
                    + target.line() + ")");
        }
        return new ValueRewrite(out, changes);
    }
}
