package io.masqharness.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.masqharness.cluster.Cluster;
import io.masqharness.cluster.k8s.MockCilium;
import io.masqharness.cluster.k8s.MockProbeKubelet;
import io.masqharness.cluster.k8s.VertxPerMockClient;
import io.masqharness.doctor.Kubeconfigs;
import io.masqharness.scenario.ClusterSpec;
import io.masqharness.scenario.ModeSpec;
import io.masqharness.scenario.ScenarioFacts;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A read-only kubeconfig run against a dual-stack cluster as the mock API server holds it (node-1
 * with an IPv6 InternalIP and pod CIDR, cilium-config with enable-ipv6, probe pods with both
 * addresses in status.podIPs): the run plans and attempts IPv6 flows from the pod's IPv6 address
 * to the scenario's IPv6 destinations, judged by the oracle's IPv6 rules. The mock's pods cannot
 * exec, so every flow fails unanswered; what is checked is that the IPv6 cells are there, with the
 * right addresses and expectations.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = VertxPerMockClient.class)
class KubeconfigDualStackRunTest {

    KubernetesMockServer server;
    KubernetesClient client;
    @TempDir
    Path dir;
    private MockProbeKubelet kubelet;

    @AfterEach
    void clear() {
        if (kubelet != null) {
            kubelet.close();
        }
        System.clearProperty(Kubeconfigs.PROPERTY);
        System.clearProperty(Kubeconfigs.PROBE_IMAGE);
    }

    @Test
    void ipv6FlowsAreProbedFromThePodsIpv6AddressWhereTheClusterHasIpv6() throws Exception {
        MockCilium.seed(client, "kube-system", Map.of("enable-ipv4-masquerade", "true", "enable-bpf-masquerade", "false",
                "kube-proxy-replacement", "strict", "tunnel", "disabled", "ipv4-native-routing-cidr", "10.42.0.0/16",
                "enable-ipv4", "true", "enable-ipv6", "true", "enable-ipv6-masquerade", "true", "ipv6-native-routing-cidr", "fd00:42::/56",
                "ipam", "kubernetes"));
        client.nodes().withName("node-1").edit(n -> {
            n.getSpec().setPodCIDRs(List.of("10.42.0.0/24", "fd00:42::/64"));
            n.getStatus().getAddresses().add(new NodeAddress("fd00:28::11", "InternalIP"));
            return n;
        });
        MockCilium.grantEverything(server);
        kubelet = MockProbeKubelet.start(client, List.of("10.42.0.10", "fd00:42::10"), List.of("192.168.5.11", "fd00:28::11"));
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, MockCilium.kubeconfig(client));
        Path scenarioFile = dir.resolve("existing.yaml");
        Files.writeString(scenarioFile, """
                name: existing-dual
                cluster: {backend: kubeconfig, nodes: 1, network: {subnet: 192.168.5.0/24, subnetV6: "fd00:28::/64"},
                  podCIDR: 10.42.0.0/16, podCIDRv6: "fd00:42::/56"}
                cilium: {version: 1.13.4, values: {tunnel: disabled, ipv4NativeRoutingCIDR: 10.42.0.0/16,
                  ipv6NativeRoutingCIDR: "fd00:42::/56", ipv6.enabled: true, autoDirectNodeRoutes: true, kubeProxyReplacement: strict}}
                modes:
                  - {name: iptables, values: {bpf.masquerade: false}}
                destinations:
                  - {name: public, ip: 198.20.0.10}
                  - {name: public, ip: "2001:db8:20::10"}
                probes: [tcp]
                """);
        System.setProperty(Kubeconfigs.PROPERTY, kubeconfig.toString());
        System.setProperty(Kubeconfigs.PROBE_IMAGE, "registry.example/masq-harness-probe:abc");
        Scenario scenario = new ScenarioLoader().load(scenarioFile);

        List<String> progress = Collections.synchronizedList(new ArrayList<>());
        List<CellResult> cells;
        try (Cluster cluster = Backends.start(scenario, ClusterSpec.Backend.KUBECONFIG, progress::add)) {
            assertThat(cluster.pods()).singleElement().hasToString("masq-probe-node-1 (10.42.0.10, fd00:42::10 on node-1)");
            assertThat(cluster.nodes()).singleElement().satisfies(n -> assertThat(n.ipv6()).hasValueSatisfying(
                    v6 -> assertThat(v6).hasToString("fd00:28::11")));
            ModeSpec current = cluster.currentMode();
            cells = ModeRun.run(scenario, cluster, current, ScenarioFacts.agentConfig(scenario, current), progress::add);
        }

        assertThat(progress).contains("address families: ipv4, ipv6 (IPv6 masquerading on, ipv6-native-routing-cidr fd00:42::/56)");
        assertThat(cells).extracting(c -> c.cell().family() + " " + c.cell().address() + " " + c.expected().sourceAddress().orElseThrow())
                .as("IPv4 as before, then IPv6 from the pod's IPv6 address, masqueraded by ip6tables to node-1's IPv6 InternalIP")
                .containsExactly("IPV4 198.20.0.10 192.168.5.11", "IPV6 2001:db8:20::10 fd00:28::11");
        assertThat(cells).allSatisfy(c -> assertThat(c.verdict().passed()).as("the mock's pods cannot exec: %s", c).isFalse());
    }

    /** The kubelet the mock lacks: readies the probe DaemonSets with a dual-stack pod on node-1. */
}
