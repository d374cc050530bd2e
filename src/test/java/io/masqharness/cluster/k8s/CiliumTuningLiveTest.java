package io.masqharness.cluster.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeListBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.OutputStreamMessage;
import io.fabric8.kubernetes.client.server.mock.StatusStreamMessage;
import io.masqharness.cluster.ModeCheck;
import io.masqharness.cluster.ModeCheck.Status;
import io.masqharness.oracle.CiliumVersion;
import io.masqharness.oracle.HelmValues;
import io.masqharness.oracle.IpMasqAgentFile;
import io.masqharness.tuning.TuningExpectation;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * After a switch, each tuning toggle the mode asks for is confirmed on every agent from what it reports (exec through the mock
 * API server), the node's kernel read from nodeInfo explaining a fallback.
 */
@EnableKubernetesMockClient(kubernetesClientBuilderCustomizer = VertxPerMockClient.class)
class CiliumTuningLiveTest {

    static final String NS = "kube-system";
    static final String EXEC = "/api/v1/namespaces/kube-system/pods/cilium-abc/exec?";
    static final String STREAMS = "container=cilium-agent&stdout=true&stderr=true";
    /** A 1.13.4 agent's lines as published (facts §1.3, the EKS example: KPR Strict with iptables masquerading). */
    static final String STATUS = """
            KubeProxyReplacement:    Strict   [eth0 192.168.53.201 (Direct Routing)]
            Cilium:                  Ok   1.13.4 (v1.13.4-4061cdfc)
            IPv6 BIG TCP:            Disabled
            BandwidthManager:        EDT with BPF [CUBIC] [eth0]
            Host Routing:            Legacy
            Masquerading:            IPTables [IPv4: Enabled, IPv6: Disabled]
            Hubble:                  Ok   Current/Max Flows: 209/4095 (5.10%), Flows/s: 0.37   Metrics: Disabled
            KubeProxyReplacement Details:
              Status:                 Strict
              Mode:                   SNAT
              XDP Acceleration:       Disabled
            """;

    KubernetesMockServer server;
    KubernetesClient client;

    @BeforeEach
    void oneAgentOnAKernel515Node() {
        var node = new NodeBuilder().withNewMetadata().withName("node-1").endMetadata().withNewSpec().withPodCIDR("10.42.0.0/24").endSpec()
                .withNewStatus().addNewAddress().withType("InternalIP").withAddress("172.28.0.11").endAddress()
                .withNewNodeInfo().withKernelVersion("5.15.0-91-generic").endNodeInfo().endStatus().build();
        var bare = new NodeBuilder().withNewMetadata().withName("node-2").endMetadata().withNewStatus().endStatus().build();
        server.expect().get().withPath("/api/v1/nodes").andReturn(200, new NodeListBuilder().addToItems(node, bare).build()).always();
        var agent = new PodBuilder().withNewMetadata().withName("cilium-abc").withNamespace(NS).addToLabels("k8s-app", "cilium")
                .endMetadata().withNewSpec().withNodeName("node-1").addNewContainer().withName("cilium-agent").endContainer().endSpec().build();
        server.expect().get().withPath("/api/v1/namespaces/kube-system/pods/cilium-abc").andReturn(200, agent).always();
        server.expect().get().withPath("/api/v1/namespaces/kube-system/pods?labelSelector=k8s-app%3Dcilium")
                .andReturn(200, new PodListBuilder().addToItems(agent).build()).always();
        server.expect().get().withPath("/api/v1/namespaces/kube-system/configmaps/cilium-config").andReturn(200, new ConfigMapBuilder()
                .withNewMetadata().withName("cilium-config").endMetadata().addToData(Map.of("tunnel", "disabled", "mtu", "9000")).build()).always();
        exec("command=cilium&command=status&command=--verbose&", STATUS);
        exec("command=cat&command=%2Fsys%2Fclass%2Fnet%2Fcilium_host%2Fmtu&", "1500\n");
    }

    void exec(String command, String stdout) {
        server.expect().get().withPath(EXEC + command + STREAMS).andUpgradeToWebSocket()
                .open(new OutputStreamMessage(stdout), new StatusStreamMessage(0)).done().always();
    }

    private static TuningExpectation mode(Object... kv) {
        Map<String, Object> v = new LinkedHashMap<>(Map.of("tunnel", "disabled", "ipv4NativeRoutingCIDR", "10.42.0.0/16",
                "kubeProxyReplacement", "strict"));
        for (int i = 0; i < kv.length; i += 2) {
            v.put((String) kv[i], kv[i + 1]);
        }
        return new TuningExpectation("tuned", HelmValues.of(v), v.keySet(), new IpMasqAgentFile.Absent(), CiliumVersion.parse("1.13.4"));
    }

    @Test
    void eachAskedToggleIsJudgedFromTheAgentsOwnLines() {
        CiliumKube kube = new CiliumKube(client, NS, "cilium", false, line -> { }, Clock.systemUTC());
        assertThat(kube.nodeKernels()).containsExactly(Map.entry("node-1", "5.15.0-91-generic"));
        List<ModeCheck> checks = CiliumModeChecks.tuningForAgent(kube, "node-1", "cilium-abc", mode("bpf.hostLegacyRouting", false,
                "bandwidthManager.enabled", true, "MTU", 9000, "loadBalancer.mode", "dsr"), Optional.of("5.15.0-91-generic"));
        assertThat(checks).extracting(ModeCheck::check, ModeCheck::status).containsExactly(
                tuple("tuning nativeRouting", Status.PASSED),
                tuple("tuning kubeProxyReplacement", Status.PASSED),
                tuple("tuning dsr", Status.FAILED),
                tuple("tuning hostRouting", Status.FAILED),
                tuple("tuning mtu", Status.FAILED),
                tuple("tuning bandwidthManager", Status.PASSED));
        ModeCheck host = checks.get(3);
        assertThat(host.evidence()).isEqualTo("Host Routing:            Legacy");
        assertThat(host.message()).contains("predicted, fallback").contains("requires enable-bpf-masquerade");
        assertThat(checks.get(2).evidence()).isEqualTo("Mode:                   SNAT");
        assertThat(checks.get(4).message()).contains("cilium_host has 1500");
    }

    @Test
    void nothingAskedNothingRun() {
        CiliumKube kube = new CiliumKube(client, NS, "cilium", false, line -> { }, Clock.systemUTC());
        TuningExpectation none = new TuningExpectation("plain", HelmValues.of(Map.of()), java.util.Set.of(), new IpMasqAgentFile.Absent(),
                CiliumVersion.parse("1.13.4"));
        assertThat(CiliumModeChecks.tuningForAgent(kube, "node-1", "cilium-abc", none, Optional.empty())).isEmpty();
    }
}
