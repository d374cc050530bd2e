package io.masqharness.scenario;

import io.masqharness.net.Cidr;
import io.masqharness.net.Cidr6;
import io.masqharness.net.Family;
import io.masqharness.net.IpAddress;
import io.masqharness.net.Ipv4;
import io.masqharness.net.Ipv6;
import io.masqharness.oracle.ChartConfigKeys;
import io.masqharness.oracle.CiliumVersion;
import io.masqharness.oracle.IpMasqAgentFile;
import io.masqharness.oracle.Protocol;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What was read of a real cluster (or a capture of it), read-only: the Cilium version, the Helm values (from
 * the release, or read back from {@code cilium-config}), the nodes with their addresses and pod CIDRs, and the
 * ip-masq-agent file. {@link #toScenario} turns it into a one-mode scenario ({@code current}) the oracle
 * answers for, so {@code upgrade} judges a cluster exactly as it judges a scenario.
 *
 * @param source  what was read, for the answers' subject ("cluster kind-kind", "capture cilium-config.yaml")
 * @param notes   what was assumed or could not be read, said wherever the snapshot is used
 */
public record ClusterSnapshot(String source, String ciliumVersion, Map<String, Object> values, String valuesFrom, List<NodeSpec> nodes,
                              Optional<IpMasqAgentFile> ipMasqAgentFile, List<String> notes) {

    public static final String MODE = "current";

    /** Destination classes judged when the user names none: outside every cluster range, on no real host (documentation/benchmark ranges, private). */
    static final List<String[]> DEFAULT_DESTINATIONS = List.of(new String[] {"public", "198.20.0.10"},
            new String[] {"rfc1918", "192.168.77.10"}, new String[] {"link-local", "169.254.77.10"},
            new String[] {"cgnat", "100.64.77.10"}, new String[] {"public", "2001:db8:20::10"}, new String[] {"ula", "fd77::10"});

    public ClusterSnapshot {
        values = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
        nodes = List.copyOf(nodes);
        notes = List.copyOf(notes);
        if (nodes.isEmpty()) {
            throw new ScenarioException(Path.of(source), "nodes", "no node was read");
        }
    }

    /**
     * A snapshot of a captured {@code cilium-config} alone: the values read back ({@link ChartConfigKeys}), and two
     * nodes assumed in the cluster's pod range ({@code cluster-pool-ipv4-cidr}, else the native-routing CIDR, else
     * 10.42.0.0/16; one /24 each), said in {@link #notes()}.
     */
    public static ClusterSnapshot fromConfig(String source, CiliumVersion version, Map<String, String> config,
                                             Optional<IpMasqAgentFile> agentFile) {
        List<String> notes = new ArrayList<>(List.of(ChartConfigKeys.SPELLING_CAVEAT));
        Cidr pods = firstCidr(config, "cluster-pool-ipv4-cidr", "ipv4-native-routing-cidr").orElse(Cidr.parse("10.42.0.0/16"));
        boolean ipv6 = "true".equals(config.get("enable-ipv6"));
        Optional<Cidr6> podsV6 = ipv6 ? Optional.of(first6(config, "cluster-pool-ipv6-cidr", "ipv6-native-routing-cidr")
                .orElse(Cidr6.parse("fd00:42::/56"))) : Optional.empty();
        List<NodeSpec> nodes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int index = i;
            nodes.add(new NodeSpec("node-" + (i + 1), Ipv4.parse("172.28.0." + (11 + i)), pods.subnet(Math.max(24, pods.prefixLength()), i),
                    podsV6.map(p -> Ipv6.parse("fd00:28::" + (11 + index))), podsV6.map(p -> p.subnet(64, index))));
        }
        notes.add("the capture has no nodes: two are assumed, 172.28.0.11 and .12" + (ipv6 ? " (fd00:28::11, ::12)" : "")
                + ", with pod CIDRs " + nodes.stream().map(n -> n.podCidr().toString()).toList() + " from " + pods);
        return new ClusterSnapshot(source, version.text(), ChartConfigKeys.helmValues(config, version), "cilium-config", nodes,
                agentFile, notes);
    }

    private static Optional<Cidr> firstCidr(Map<String, String> config, String... keys) {
        for (String k : keys) {
            try {
                if (config.get(k) != null && !config.get(k).isBlank()) {
                    return Optional.of(Cidr.parse(config.get(k).trim().split("[\\s,]+")[0]));
                }
            } catch (IllegalArgumentException e) {
                // a key that does not parse is skipped: the next one, or the default, applies
            }
        }
        return Optional.empty();
    }

    private static Optional<Cidr6> first6(Map<String, String> config, String... keys) {
        for (String k : keys) {
            try {
                if (config.get(k) != null && !config.get(k).isBlank()) {
                    return Optional.of(Cidr6.parse(config.get(k).trim().split("[\\s,]+")[0]));
                }
            } catch (IllegalArgumentException e) {
                // as in firstCidr
            }
        }
        return Optional.empty();
    }

    public boolean dualStack() {
        return nodes.stream().allMatch(n -> n.ipv6().isPresent() && n.podCidrV6().isPresent());
    }

    /**
     * A scenario of one mode, {@code current}, with the cluster's values and nodes, to the given destinations (name to
     * address; none given: {@link #DEFAULT_DESTINATIONS} that fall outside the cluster's ranges).
     */
    public Scenario toScenario(List<DestinationSpec> destinations) {
        boolean dual = dualStack();
        List<NodeSpec> ns = dual ? nodes : nodes.stream().map(n -> new NodeSpec(n.name(), n.ip(), n.podCidr())).toList();
        Cidr subnet = covering(ns.stream().map(NodeSpec::ip).toList());
        Cidr pods = covering(ns.stream().map(n -> n.podCidr().network()).toList());
        Optional<Cidr6> podsV6 = dual ? Optional.of(ns.get(0).podCidrV6().get()) : Optional.empty();
        Optional<Cidr6> subnetV6 = dual ? Optional.of(new Cidr6(ns.get(0).ipv6().get().plus(0), 128)) : Optional.empty();
        ClusterSpec cluster = new ClusterSpec(ClusterSpec.Backend.KUBECONFIG, ScenarioLoader.DEFAULT_K3S_IMAGE, ns, subnet, pods,
                subnet.network(), subnetV6, podsV6, Optional.empty());
        List<DestinationSpec> to = destinations.isEmpty() ? defaults(ns, dual) : destinations;
        ModeSpec current = new ModeSpec(MODE, Map.of(), ipMasqAgentFile);
        return new Scenario(Path.of(source), "snapshot", cluster, new CiliumSpec(ciliumVersion, values), List.of(current), to,
                List.of(Protocol.TCP, Protocol.UDP, Protocol.ICMP_ECHO), List.of(), Optional.empty());
    }

    private List<DestinationSpec> defaults(List<NodeSpec> ns, boolean dual) {
        List<DestinationSpec> result = new ArrayList<>();
        for (String[] d : DEFAULT_DESTINATIONS) {
            IpAddress ip = Ipv4.looksLikeIpv6(d[1]) ? Ipv6.parse(d[1]) : Ipv4.parse(d[1]);
            if (ip.family() == Family.IPV6 && !dual || insideTheCluster(ip, ns)) {
                continue;
            }
            result.add(new DestinationSpec(d[0], ip));
        }
        return result;
    }

    private boolean insideTheCluster(IpAddress ip, List<NodeSpec> ns) {
        if (ip instanceof Ipv4 v4) {
            return ns.stream().anyMatch(n -> n.podCidr().contains(v4) || n.ip().equals(v4))
                    || values.get("ipv4NativeRoutingCIDR") != null && Cidr.parse(values.get("ipv4NativeRoutingCIDR").toString()).contains(v4);
        }
        Ipv6 v6 = (Ipv6) ip;
        return ns.stream().anyMatch(n -> n.podCidrV6().filter(c -> c.contains(v6)).isPresent());
    }

    /** The smallest IPv4 CIDR holding every address. */
    static Cidr covering(List<Ipv4> addresses) {
        for (int length = 32; length >= 0; length--) {
            int mask = length == 0 ? 0 : -1 << (32 - length);
            int network = addresses.get(0).bits() & mask;
            int len = length;
            if (addresses.stream().allMatch(a -> (a.bits() & mask) == network)) {
                return new Cidr(new Ipv4(network), len);
            }
        }
        throw new IllegalStateException("no covering CIDR");
    }
}
