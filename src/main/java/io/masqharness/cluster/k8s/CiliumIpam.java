package io.masqharness.cluster.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.masqharness.cluster.ClusterException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where a Cilium cluster's per-node pod ranges are, by its IPAM mode ({@code ipam} in
 * {@code cilium-config}; absent, the agent's default {@code cluster-pool}, pkg/option/config.go
 * {@code flags.String(option.IPAM, ipamOption.IPAMClusterPool, ...)}). The range is what the agent
 * excludes from masquerading when {@code ipv4-native-routing-cidr} is unset ({@code
 * node.GetIPv4AllocRange()}, pkg/datapath/iptables) and what tells which node a pod is on.
 * <ul>
 * <li>{@code kubernetes}: the Node's {@code spec.podCIDRs}, allocated by kube-controller-manager;</li>
 * <li>{@code cluster-pool} (and 1.13's {@code cluster-pool-v2beta}): the CiliumNode's
 * {@code spec.ipam.podCIDRs}, allocated by the Cilium operator (Documentation/network/concepts/ipam/cluster-pool.rst);
 * a Node's {@code spec.podCIDR}, when kube-controller-manager also allocates one, is not the range pods get;</li>
 * <li>{@code multi-pool} (1.14+): the CiliumNode's {@code spec.ipam.pools.allocated} entry of pool
 * {@code default}, where a pod gets its address when neither it nor its namespace names a pool
 * (multi-pool.rst), as the probe pods do;</li>
 * <li>{@code eni}, {@code azure}, {@code alibabacloud}, {@code crd}, {@code delegated-plugin}: no
 * per-node range the harness can read; refused, saying why.</li>
 * </ul>
 */
public record CiliumIpam(String mode) {

    public static final String CONFIG_KEY = "ipam";
    public static final String DEFAULT = "cluster-pool";
    /** The pool a pod's address comes from in multi-pool mode when nothing names another. */
    public static final String DEFAULT_POOL = "default";

    /** What {@code cilium-config} says, or the agent's default. */
    public static CiliumIpam of(Map<String, String> ciliumConfig) {
        String mode = ciliumConfig.getOrDefault(CONFIG_KEY, "").strip();
        return new CiliumIpam(mode.isEmpty() ? DEFAULT : mode);
    }

    /** Whether the ranges are on CiliumNode objects (the run then needs to list them). */
    public boolean readsCiliumNodes() {
        return switch (mode) {
            case "cluster-pool", "cluster-pool-v2beta", "multi-pool" -> true;
            default -> false;
        };
    }

    /** Why the harness cannot work out each node's pod range in this mode; empty when it can. */
    public Optional<String> unsupported() {
        String why = switch (mode) {
            case "kubernetes", "cluster-pool", "cluster-pool-v2beta", "multi-pool" -> null;
            case "eni" -> "pods take addresses of the AWS ENIs attached to each node";
            case "azure" -> "pods take addresses of the Azure network interfaces of each node";
            case "alibabacloud" -> "pods take addresses of the Alibaba Cloud ENIs of each node";
            case "crd" -> "an external operator fills each CiliumNode's address pool (spec.ipam.pool)";
            case "delegated-plugin" -> "another CNI plugin hands out the addresses";
            default -> "the harness does not know this mode";
        };
        return Optional.ofNullable(why).map(w -> "Cilium's IPAM mode is " + mode + ": " + w + ", so a node has no pod range of its"
                + " own. The harness tells which node a pod is on, and what the agent excludes from masquerading, from"
                + " per-node ranges (IPAM kubernetes, cluster-pool or multi-pool), so it cannot judge this cluster's flows");
    }

    /** Where the ranges are read from, as a person reads it. */
    public String source() {
        return switch (mode) {
            case "kubernetes" -> "each Node's spec.podCIDRs (Kubernetes IPAM)";
            case "cluster-pool", "cluster-pool-v2beta" -> "each CiliumNode's spec.ipam.podCIDRs (allocated by the Cilium operator)";
            case "multi-pool" -> "each CiliumNode's spec.ipam.pools.allocated, pool '" + DEFAULT_POOL + "' (where the probe pods take"
                    + " their addresses)";
            default -> "nowhere: " + unsupported().orElse("");
        };
    }

    /** The fix a refusal comes with. */
    public static final String UNSUPPORTED_FIX = "judge each agent from what it shows instead: `inspect --sysdump` (a `cilium sysdump` of"
            + " the cluster) runs the same mode checks without probes";

    /** Refuses when the mode has no per-node range. */
    public void requireSupported() {
        unsupported().ifPresent(why -> {
            throw new ClusterException("read each node's pod range", "cilium-config " + CONFIG_KEY + ": " + mode, why + "; "
                    + UNSUPPORTED_FIX);
        });
    }

    /**
     * A node's pod ranges (both families, as written) in this mode: from the Node's
     * {@code spec.podCIDR(s)}, or from its CiliumNode ({@code ciliumNode} empty when there is none).
     */
    public List<String> podCidrs(String podCidr, List<String> podCidrs, Optional<JsonNode> ciliumNode) {
        List<String> ranges = new ArrayList<>();
        if (mode.equals("kubernetes")) {
            if (podCidr != null) {
                ranges.add(podCidr);
            }
            if (podCidrs != null) {
                podCidrs.stream().filter(c -> !ranges.contains(c)).forEach(ranges::add);
            }
            return ranges;
        }
        JsonNode ipam = ciliumNode.map(n -> n.path("spec").path("ipam")).orElse(null);
        if (ipam == null) {
            return ranges;
        }
        if (mode.equals("multi-pool")) {
            for (JsonNode pool : ipam.path("pools").path("allocated")) {
                if (DEFAULT_POOL.equals(pool.path("pool").asText())) {
                    pool.path("cidrs").forEach(c -> ranges.add(c.asText()));
                }
            }
            return ranges;
        }
        ipam.path("podCIDRs").forEach(c -> ranges.add(c.asText()));
        return ranges;
    }
}
