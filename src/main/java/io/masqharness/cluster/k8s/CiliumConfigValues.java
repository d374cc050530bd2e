package io.masqharness.cluster.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.masqharness.cluster.ClusterException;
import io.masqharness.net.Cidr;
import io.masqharness.oracle.IpMasqAgentFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a deployed Cilium's masquerading configuration back as the Helm values that produce it
 * (the {@code cilium-config} keys the 1.13 chart writes), so the oracle can reason about a cluster
 * the harness did not install, and so an opted-in mode switch can be undone.
 */
public final class CiliumConfigValues {

    /** Helm value -> cilium-config key, for every value the oracle reads. */
    static final Map<String, String> HELM_TO_CONFIG = new LinkedHashMap<>();

    static {
        HELM_TO_CONFIG.put("enableIPv4Masquerade", "enable-ipv4-masquerade");
        HELM_TO_CONFIG.put("enableIPv6Masquerade", "enable-ipv6-masquerade");
        HELM_TO_CONFIG.put("ipv4.enabled", "enable-ipv4");
        HELM_TO_CONFIG.put("ipv6.enabled", "enable-ipv6");
        HELM_TO_CONFIG.put("bpf.masquerade", "enable-bpf-masquerade");
        HELM_TO_CONFIG.put("ipMasqAgent.enabled", "enable-ip-masq-agent");
        HELM_TO_CONFIG.put("kubeProxyReplacement", "kube-proxy-replacement");
        HELM_TO_CONFIG.put("tunnel", "tunnel");
        HELM_TO_CONFIG.put("ipv4NativeRoutingCIDR", "ipv4-native-routing-cidr");
        HELM_TO_CONFIG.put("ipv6NativeRoutingCIDR", "ipv6-native-routing-cidr");
        HELM_TO_CONFIG.put("remoteNodeIdentity", "enable-remote-node-identity");
        HELM_TO_CONFIG.put("egressMasqueradeInterfaces", "egress-masquerade-interfaces");
        HELM_TO_CONFIG.put("nodePort.enabled", "enable-node-port");
        HELM_TO_CONFIG.put("socketLB.enabled", "bpf-lb-sock");
        HELM_TO_CONFIG.put("sctp.enabled", "enable-sctp");
    }

    private CiliumConfigValues() {
    }

    /** The Helm values, as far as cilium-config shows them (absent keys keep the oracle's defaults). */
    public static Map<String, Object> helmValues(Map<String, String> ciliumConfig) {
        Map<String, Object> values = new LinkedHashMap<>();
        HELM_TO_CONFIG.forEach((helm, config) -> {
            String v = ciliumConfig.get(config);
            if (v != null && !v.isBlank()) {
                values.put(helm, v.equals("true") || v.equals("false") ? Boolean.valueOf(v) : v.trim());
            }
        });
        return values;
    }

    /**
     * The {@code --set} arguments that put back what {@code changedKeys} were before, from the
     * original cilium-config. A key that cilium-config cannot tell is refused before anything changes.
     */
    public static Map<String, Object> restoreValues(Iterable<String> changedKeys, Map<String, String> originalConfig) {
        Map<String, Object> restore = new LinkedHashMap<>();
        Map<String, Object> original = helmValues(originalConfig);
        for (String key : changedKeys) {
            if (!HELM_TO_CONFIG.containsKey(key)) {
                throw new ClusterException("plan the restore of " + key, "cilium-config", "the harness cannot read " + key
                        + "'s original value back from cilium-config, so it will not change it on an existing cluster"
                        + " (restorable keys: " + HELM_TO_CONFIG.keySet() + ")");
            }
            restore.put(key, original.getOrDefault(key, defaultOf(key)));
        }
        return restore;
    }

    /** The chart default when cilium-config does not carry the key. */
    private static Object defaultOf(String key) {
        return switch (key) {
            case "enableIPv4Masquerade", "enableIPv6Masquerade", "remoteNodeIdentity", "ipv4.enabled" -> true;
            case "kubeProxyReplacement" -> "disabled";
            case "tunnel" -> "vxlan";
            case "ipv4NativeRoutingCIDR", "ipv6NativeRoutingCIDR", "egressMasqueradeInterfaces" -> "";
            default -> false;
        };
    }

    /**
     * The ip-masq-agent ConfigMap's {@code config} key (JSON or YAML) as the 1.13 agent reads it
     * (pkg/ipmasq/ipmasq.go {@code readConfig}): no ConfigMap or no key is no file; a zero-length
     * value is an empty file (the default list applies); anything else, even whitespace or
     * {@code {}}, is a parsed file with no defaults. An IPv6 CIDR makes 1.13 reject the whole file
     * and keep its previous map, which nobody can predict: that is refused here.
     */
    public static Optional<IpMasqAgentFile> ipMasqAgentConfig(Map<String, String> configMapData) {
        if (configMapData == null || !configMapData.containsKey("config")) {
            return Optional.empty();
        }
        String raw = configMapData.get("config") == null ? "" : configMapData.get("config");
        if (raw.isEmpty()) {
            return Optional.of(new IpMasqAgentFile.Empty());
        }
        try {
            JsonNode n = new YAMLMapper().readTree(raw);
            List<Cidr> cidrs = new ArrayList<>();
            if (n != null) {
                for (JsonNode c : n.path("nonMasqueradeCIDRs")) {
                    if (c.asText().contains(":")) {
                        throw new ClusterException("read ConfigMap ip-masq-agent", "config", "nonMasqueradeCIDRs holds the IPv6 CIDR "
                                + c.asText() + ": Cilium 1.13's ip-masq-agent is IPv4-only and rejects the whole file ('only IPv4 is"
                                + " supported'), keeping whatever its map held before, which the harness cannot predict");
                    }
                    cidrs.add(Cidr.parse(c.asText()));
                }
            }
            return Optional.of(new IpMasqAgentFile.Present(cidrs, n != null && n.path("masqLinkLocal").asBoolean(false)));
        } catch (IOException | IllegalArgumentException e) {
            throw new ClusterException("read ConfigMap ip-masq-agent", "config", e.getMessage());
        }
    }
}
