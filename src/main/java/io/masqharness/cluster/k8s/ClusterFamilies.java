package io.masqharness.cluster.k8s;

import io.masqharness.net.Family;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The address families a running cluster has, as its nodes and Cilium's {@code cilium-config} say:
 * where IPv6 can be probed, and what Cilium 1.13 does with it. IPv6 counts only when Cilium runs it
 * ({@code enable-ipv6: "true"}) and every node has an IPv6 InternalIP and an IPv6 pod CIDR (with
 * Kubernetes IPAM the agent needs the latter to start: pkg/k8s/init.go, "required IPv6 PodCIDR not
 * available", v1.13.4).
 *
 * @param ipv6Masquerade       the agent's effective {@code enable-ipv6-masquerade}: the key (the
 *                             flag's default is true, daemon/cmd/daemon_main.go:649) ANDed with
 *                             {@code enable-ipv6} (pkg/option/config.go:3036)
 * @param ipv6NativeRoutingCidr {@code ipv6-native-routing-cidr}, when set
 * @param notes                why a family is missing, for the run's log and the report
 */
public record ClusterFamilies(List<Family> families, boolean ipv6Masquerade, Optional<String> ipv6NativeRoutingCidr,
                              List<String> notes) {

    public ClusterFamilies {
        families = List.copyOf(families);
        notes = List.copyOf(notes);
    }

    public static ClusterFamilies of(List<KubeNode> nodes, Map<String, String> ciliumConfig) {
        List<Family> families = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if ("false".equals(ciliumConfig.get("enable-ipv4"))) {
            notes.add("no IPv4: cilium-config has enable-ipv4: \"false\"");
        } else {
            families.add(Family.IPV4);
        }
        boolean ipv6Enabled = "true".equals(ciliumConfig.get("enable-ipv6"));
        List<String> withoutV6 = nodes.stream().filter(n -> !n.dualStack())
                .map(n -> n.name() + " (" + (n.internalIpV6().isEmpty() ? "no IPv6 InternalIP" : "no IPv6 entry in spec.podCIDRs") + ")")
                .toList();
        if (!ipv6Enabled) {
            notes.add("no IPv6: cilium-config has enable-ipv6: \"" + ciliumConfig.getOrDefault("enable-ipv6", "") + "\"");
        } else if (!withoutV6.isEmpty()) {
            notes.add("no IPv6 probes: enable-ipv6 is \"true\" but these nodes are not dual-stack: " + String.join(", ", withoutV6));
        } else {
            families.add(Family.IPV6);
        }
        boolean ipv6Masquerade = ipv6Enabled && !"false".equals(ciliumConfig.get("enable-ipv6-masquerade"));
        Optional<String> nativeV6 = Optional.ofNullable(ciliumConfig.get("ipv6-native-routing-cidr")).filter(c -> !c.isBlank());
        return new ClusterFamilies(families, ipv6Masquerade, nativeV6, notes);
    }

    public boolean has(Family family) {
        return families.contains(family);
    }

    /** One line for the run's log: the families, IPv6 masquerading, and why a family is missing. */
    public String describe() {
        StringBuilder s = new StringBuilder("address families: ");
        s.append(String.join(", ", families.stream().map(Family::label).toList()));
        if (has(Family.IPV6)) {
            s.append(" (IPv6 masquerading ").append(ipv6Masquerade ? "on" : "off")
                    .append(ipv6NativeRoutingCidr.map(c -> ", ipv6-native-routing-cidr " + c).orElse("")).append(')');
        }
        notes.forEach(n -> s.append("; ").append(n));
        return s.toString();
    }
}
