package io.masqharness.cluster.kubeconfig;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.masqharness.cluster.k8s.ClusterFamilies;
import io.masqharness.cluster.k8s.CiliumIpam;
import io.masqharness.cluster.k8s.MockCilium;
import io.masqharness.cluster.k8s.VertxPerMockClient;
import io.masqharness.net.Cidr6;
import io.masqharness.net.Family;
import io.masqharness.net.Ipv6;
import io.masqharness.oracle.AgentConfig;
import io.masqharness.oracle.Expectation;
import io.masqharness.oracle.Flow;
import io.masqharness.oracle.MasqueradeOracle;
import io.masqharness.oracle.Protocol;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioFacts;
import io.masqharness.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The kubeconfig backend reads a cluster's families from what a dual-stack K3s + Cilium 1.13 shows
 * the API: each node's InternalIPs (one per family with --node-ip=v4,v6) and spec.podCIDRs (IPv4
 * first, as spec.podCIDR repeats), and cilium-config's enable-ipv6, enable-ipv6-masquerade and
 * ipv6-native-routing-cidr (keys the 1.13 chart writes, install/kubernetes/cilium/templates/cilium-configmap.yaml).
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = VertxPerMockClient.class)
class KubeconfigFamiliesTest {

    static final Scenario DUAL = new ScenarioLoader().load(Path.of("scenarios/dual-stack.yaml"));
    static final String NS = "kube-system";

    KubernetesClient client;
    final List<String> progress = new ArrayList<>();

    final List<KubeconfigCluster> connected = new ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void closeEachConnection() {
        connected.forEach(KubeconfigCluster::close);
    }

    KubeconfigCluster cluster() {
        KubernetesClient own = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(client.getConfiguration())
                .withHttpClientFactory(new io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory(io.vertx.core.Vertx.vertx())).build();
        KubeconfigCluster c = new KubeconfigCluster(DUAL, own, false, progress::add, (ns, name, dir) -> {
            throw new AssertionError("read-only");
        });
        connected.add(c);
        return c;
    }

    /** node-1 as MockCilium seeds it, made dual-stack; a node-2 with or without IPv6. */
    void dualStack(Map<String, String> config, boolean node2HasIpv6) {
        MockCilium.seed(client, NS, config);
        client.nodes().withName("node-1").edit(n -> {
            n.getSpec().setPodCIDRs(List.of("10.42.0.0/24", "fd00:42::/64"));
            n.getStatus().getAddresses().add(new io.fabric8.kubernetes.api.model.NodeAddress("fd00:28::11", "InternalIP"));
            return n;
        });
        MockCilium.node(client, NS, CiliumIpam.of(config), "node-2", "192.168.5.12", "10.42.1.0/24", true);
        client.nodes().withName("node-2").edit(n -> {
            n.getSpec().setPodCIDRs(node2HasIpv6 ? List.of("10.42.1.0/24", "fd00:42:0:1::/64") : List.of("10.42.1.0/24"));
            if (node2HasIpv6) {
                n.getStatus().getAddresses().add(new io.fabric8.kubernetes.api.model.NodeAddress("fd00:28::12", "InternalIP"));
            }
            return n;
        });
    }

    static Map<String, String> iptablesDualStack() {
        Map<String, String> config = new HashMap<>(Map.of("enable-ipv4-masquerade", "true", "enable-bpf-masquerade", "false",
                "kube-proxy-replacement", "strict", "tunnel", "disabled", "ipv4-native-routing-cidr", "10.42.0.0/16",
                "enable-ipv4", "true", "enable-ipv6", "true", "enable-ipv6-masquerade", "true"));
        config.put("ipam", "kubernetes");
        config.put("ipv6-native-routing-cidr", "fd00:42::/56");
        return config;
    }

    @Test
    void aDualStackClusterIsReadWithBothFamiliesAndTheOracleAnswersForIpv6() {
        dualStack(iptablesDualStack(), true);
        KubeconfigCluster c = cluster();
        ClusterFamilies f = c.families();
        assertThat(f.families()).containsExactly(Family.IPV4, Family.IPV6);
        assertThat(f.ipv6Masquerade()).isTrue();
        assertThat(f.ipv6NativeRoutingCidr()).contains("fd00:42::/56");
        assertThat(progress).contains("address families: ipv4, ipv6 (IPv6 masquerading on, ipv6-native-routing-cidr fd00:42::/56)");
        var node1 = c.clusterFacts().node("node-1");
        assertThat(node1.ipv6()).contains(Ipv6.parse("fd00:28::11"));
        assertThat(node1.podCidrV6()).contains(Cidr6.parse("fd00:42::/64"));
        assertThat(node1.podCidr()).hasToString("10.42.0.0/24");
        AgentConfig agent = ScenarioFacts.agentConfig(DUAL, c.currentMode());
        assertThat(agent.ipv6NativeRoutingCidr()).contains(Cidr6.parse("fd00:42::/56"));
        Expectation e = MasqueradeOracle.expect(c.clusterFacts(), agent, Flow.fromPod("node-1", "2001:db8:20::10", Protocol.TCP));
        assertThat(e.sourceAddress()).as("ip6tables masquerades to node-1's IPv6 InternalIP").contains(Ipv6.parse("fd00:28::11"));
        Expectation toNode = MasqueradeOracle.expect(c.clusterFacts(), agent, Flow.fromPod("node-1", "fd00:28::12", Protocol.TCP));
        assertThat(toNode.source()).as("cilium_node_set_v6 holds node-2's IPv6 InternalIP").isEqualTo(Expectation.Source.POD_IP);
    }

    @Test
    void ipv6MasqueradingOffIsReadFromCiliumConfig() {
        Map<String, String> config = iptablesDualStack();
        config.put("enable-bpf-masquerade", "true");
        config.put("enable-ipv6-masquerade", "false");
        dualStack(config, true);
        KubeconfigCluster c = cluster();
        assertThat(c.families().ipv6Masquerade()).isFalse();
        Expectation e = MasqueradeOracle.expect(c.clusterFacts(), ScenarioFacts.agentConfig(DUAL, c.currentMode()),
                Flow.fromPod("node-1", "2001:db8:20::10", Protocol.TCP));
        assertThat(e.source()).isEqualTo(Expectation.Source.POD_IP);
    }

    @Test
    void aNodeWithoutIpv6MeansNoIpv6ProbesAndSaysWhich() {
        dualStack(iptablesDualStack(), false);
        ClusterFamilies f = cluster().families();
        assertThat(f.families()).containsExactly(Family.IPV4);
        assertThat(f.notes()).singleElement().asString().contains("node-2 (no IPv6 InternalIP)");
        assertThat(progress).anyMatch(l -> l.contains("IPv6 destinations [public, ula] but this cluster has no IPv6"));
    }

    @Test
    void anIpv4OnlyCiliumHasNoIpv6EvenOnDualStackNodes() {
        dualStack(MockCilium.BPF_CONFIG, true);
        ClusterFamilies f = cluster().families();
        assertThat(f.families()).containsExactly(Family.IPV4);
        assertThat(f.ipv6Masquerade()).as("the chart writes enable-ipv6-masquerade true; without enable-ipv6 it is off").isFalse();
        assertThat(f.notes()).singleElement().asString().startsWith("no IPv6: cilium-config has enable-ipv6");
    }
}
