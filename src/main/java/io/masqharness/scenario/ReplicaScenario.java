package io.masqharness.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.masqharness.net.Cidr;
import io.masqharness.net.Cidr6;
import io.masqharness.oracle.IpMasqAgentFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scenario file that replicates a cluster on a throwaway K3s (or the lab), so an upgrade can be rehearsed
 * with real packets before production: the cluster's Cilium version and the values that decide masquerading,
 * its pod range and node count, its ip-masq-agent config, and the destinations its traffic goes to (given by
 * the user). Values that only make sense on the original cluster (API server address, IPAM pools, cloud
 * settings) are left out and listed in the file's header; Kubernetes IPAM is set, as the harness's clusters use it.
 */
public final class ReplicaScenario {

    private static final YAMLMapper YAML = YAMLMapper.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES).build();

    private ReplicaScenario() {
    }

    /** The scenario's YAML text; {@link ScenarioLoader} validates it as it would any file. */
    public static String yaml(ClusterSnapshot snapshot, List<DestinationSpec> destinations, ClusterSpec.Backend backend,
                              Optional<String> upgradeTo) {
        if (destinations.isEmpty()) {
            throw new IllegalArgumentException("a replica needs the destinations the cluster's traffic goes to (NAME=IP)");
        }
        Map<String, Object> kept = new LinkedHashMap<>();
        List<String> dropped = new ArrayList<>();
        snapshot.values().forEach((k, v) -> {
            if (HelmValueRules.decidesMasquerading(k)) {
                kept.put(k, v);
            } else {
                dropped.add(k);
            }
        });
        kept.put("ipam.mode", "kubernetes");
        Cidr pods = widened(ClusterSnapshot.covering(snapshot.nodes().stream().map(n -> n.podCidr().network()).toList()));
        Map<String, Object> cluster = new LinkedHashMap<>();
        cluster.put("backend", backend.label());
        cluster.put("nodes", snapshot.nodes().size());
        Map<String, Object> network = new LinkedHashMap<>();
        network.put("subnet", freeSubnet(pods, destinations).toString());
        boolean dual = snapshot.dualStack();
        if (dual) {
            network.put("subnetV6", "fd00:28::/64");
        }
        cluster.put("network", network);
        cluster.put("podCIDR", pods.toString());
        if (dual) {
            Cidr6 first = snapshot.nodes().get(0).podCidrV6().get();
            // K3s gives each node a /64 of the cluster's IPv6 pod range: the /56 holding the first node's
            cluster.put("podCIDRv6", first.prefixLength() > 56
                    ? new Cidr6(new io.masqharness.net.Ipv6(first.network().high() & (-1L << 8), 0), 56).toString() : first.toString());
        }
        Map<String, Object> cilium = new LinkedHashMap<>();
        cilium.put("version", snapshot.ciliumVersion());
        upgradeTo.ifPresent(u -> cilium.put("upgradeTo", u));
        cilium.put("values", kept);
        Map<String, Object> mode = new LinkedHashMap<>();
        mode.put("name", ClusterSnapshot.MODE);
        mode.put("values", Map.of());
        snapshot.ipMasqAgentFile().ifPresent(f -> mode.put("ipMasqAgentConfig", config(f)));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", "replica");
        root.put("cluster", cluster);
        root.put("cilium", cilium);
        root.put("modes", List.of(mode));
        root.put("destinations", destinations.stream().map(d -> Map.of("name", d.name(), "ip", d.ip().toString())).toList());
        root.put("probes", List.of("tcp", "udp", "icmp-echo"));
        StringBuilder head = new StringBuilder();
        head.append("# Replicates ").append(snapshot.source()).append(": Cilium ").append(snapshot.ciliumVersion()).append(", values from ")
                .append(snapshot.valuesFrom()).append(", ").append(snapshot.nodes().size()).append(" nodes (read-only).\n");
        if (!dropped.isEmpty()) {
            head.append("# Left out (they describe the original cluster, not its masquerading): ").append(String.join(", ", dropped)).append('\n');
        }
        snapshot.notes().forEach(n -> head.append("# Note: ").append(n).append('\n'));
        head.append("# Rehearse: java -jar target/cilium-masq-harness.jar plan --scenario THIS_FILE; mvn verify -Dharness.scenario=THIS_FILE\n");
        try {
            return head + YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> config(IpMasqAgentFile f) {
        Map<String, Object> c = new LinkedHashMap<>();
        if (f instanceof IpMasqAgentFile.Present p) {
            List<String> cidrs = new ArrayList<>(p.nonMasqueradeCidrs().stream().map(Object::toString).toList());
            p.nonMasqueradeCidrsV6().forEach(x -> cidrs.add(x.toString()));
            c.put("nonMasqueradeCIDRs", cidrs);
            c.put("masqLinkLocal", p.masqLinkLocal());
            if (p.masqLinkLocalIPv6()) {
                c.put("masqLinkLocalIPv6", true);
            }
        } else if (f instanceof IpMasqAgentFile.Rejected r) {
            c.put("nonMasqueradeCIDRs", r.nonMasqueradeCidrs());
            c.put("masqLinkLocal", r.masqLinkLocal());
        }
        return c;
    }

    /** At most a /16: K3s hands each node a /24 of it, as the original cluster's nodes had one each. */
    private static Cidr widened(Cidr covering) {
        return covering.prefixLength() <= 16 ? covering : new Cidr(new io.masqharness.net.Ipv4(covering.network().bits() & 0xFFFF0000), 16);
    }

    /** 172.28.0.0/24, or the next /24 of 172.16.0.0/12 clear of the pods and the destinations. */
    private static Cidr freeSubnet(Cidr pods, List<DestinationSpec> destinations) {
        for (int third = 28; third < 32; third++) {
            Cidr candidate = Cidr.parse("172." + third + ".0.0/24");
            boolean clear = !candidate.overlaps(pods) && destinations.stream().noneMatch(d -> d.ip() instanceof io.masqharness.net.Ipv4 v4
                    && candidate.contains(v4));
            if (clear) {
                return candidate;
            }
        }
        return Cidr.parse("172.20.0.0/24");
    }
}
