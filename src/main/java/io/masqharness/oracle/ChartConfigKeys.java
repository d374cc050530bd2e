package io.masqharness.oracle;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code cilium-config} keys the chart writes from the Helm values the oracle reads, read back: what a
 * captured or deployed {@code cilium-config} says the values were, in the Helm spelling of the version it
 * came from. Only the running configuration is known this way, not how the release spelled it: a 1.14
 * {@code routing-mode: native} may have been written as {@code tunnel: disabled} ({@link #SPELLING_CAVEAT}).
 */
public final class ChartConfigKeys {

    /** Said wherever values read from cilium-config are judged for an upgrade. */
    public static final String SPELLING_CAVEAT = "values read from cilium-config, not from the Helm release: how the release"
            + " spells them (tunnel or routingMode; strict or true) is not known, and a deprecated spelling would be reused by"
            + " helm upgrade --reuse-values";

    /** Helm value -> cilium-config key, the same in every chart from 1.13 to 1.16 (chart templates/cilium-configmap.yaml). */
    private static final Map<String, String> SHARED = new LinkedHashMap<>();

    static {
        SHARED.put("enableIPv4Masquerade", "enable-ipv4-masquerade");
        SHARED.put("enableIPv6Masquerade", "enable-ipv6-masquerade");
        SHARED.put("ipv4.enabled", "enable-ipv4");
        SHARED.put("ipv6.enabled", "enable-ipv6");
        SHARED.put("bpf.masquerade", "enable-bpf-masquerade");
        SHARED.put("ipMasqAgent.enabled", "enable-ip-masq-agent");
        SHARED.put("kubeProxyReplacement", "kube-proxy-replacement");
        SHARED.put("ipv4NativeRoutingCIDR", "ipv4-native-routing-cidr");
        SHARED.put("ipv6NativeRoutingCIDR", "ipv6-native-routing-cidr");
        SHARED.put("remoteNodeIdentity", "enable-remote-node-identity");
        SHARED.put("egressMasqueradeInterfaces", "egress-masquerade-interfaces");
        SHARED.put("nodePort.enabled", "enable-node-port");
        SHARED.put("socketLB.enabled", "bpf-lb-sock");
        SHARED.put("sctp.enabled", "enable-sctp");
        SHARED.put("autoDirectNodeRoutes", "auto-direct-node-routes");
        SHARED.put("hostFirewall.enabled", "enable-host-firewall");
        SHARED.put("enableMasqueradeRouteSource", "enable-masquerade-to-route-source");
    }

    private ChartConfigKeys() {
    }

    /** The Helm values a {@code cilium-config} of that version says were given (absent keys stay absent). */
    public static Map<String, Object> helmValues(Map<String, String> config, CiliumVersion version) {
        Map<String, Object> values = new LinkedHashMap<>();
        SHARED.forEach((helm, key) -> {
            String v = config.get(key);
            if (v != null && !v.isBlank()) {
                values.put(helm, v.equals("true") || v.equals("false") ? Boolean.valueOf(v) : v.trim());
            }
        });
        if (!VersionRule.ROUTE_SOURCE.appliesTo(version)) {
            values.remove("enableMasqueradeRouteSource");
        }
        String tunnel = config.get("tunnel");
        String routingMode = config.get("routing-mode");
        if (version.atLeast(14, 0) && routingMode != null) {
            values.put("routingMode", routingMode.trim());
            if (config.get("tunnel-protocol") != null && routingMode.trim().equals("tunnel")) {
                values.put("tunnelProtocol", config.get("tunnel-protocol").trim());
            }
        } else if (tunnel != null) {
            values.put("tunnel", tunnel.trim());
        } else if (routingMode != null) {
            values.put("tunnel", routingMode.trim().equals("native") ? "disabled" : config.getOrDefault("tunnel-protocol", "vxlan").trim());
        }
        if (values.get("kubeProxyReplacement") instanceof Boolean b) {
            values.put("kubeProxyReplacement", b.toString());
        }
        return values;
    }
}
