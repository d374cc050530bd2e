package io.masqharness.cluster.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeListBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.OutputStreamMessage;
import io.fabric8.kubernetes.client.server.mock.StatusStreamMessage;
import io.masqharness.cilium.Golden;
import io.masqharness.cluster.ExecResult;
import io.masqharness.cluster.Host;
import io.masqharness.cluster.ModeCheck;
import io.masqharness.cluster.ModeCheck.Status;
import io.masqharness.cluster.Pod;
import io.masqharness.net.Ipv4;
import io.masqharness.oracle.AgentConfig;
import io.masqharness.oracle.IpMasqAgentFile;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The live path: the agent's commands run by exec (mock API server), their text judged by the same checks inspect runs. */
@EnableKubernetesMockClient(kubernetesClientBuilderCustomizer = VertxPerMockClient.class)
class CiliumModeChecksLiveTest {

    static final String NS = "kube-system";
    static final String EXEC = "/api/v1/namespaces/kube-system/pods/cilium-abc/exec?";
    static final String STREAMS = "container=cilium-agent&stdout=true&stderr=true";

    KubernetesMockServer server;
    KubernetesClient client;
    final List<String> probes = new ArrayList<>();

    @BeforeEach
    void agentOnNodeOneNoneOnNodeTwo() {
        var node1 = new NodeBuilder().withNewMetadata().withName("node-1").endMetadata().withNewSpec().withPodCIDR("10.42.0.0/24")
                .endSpec().withNewStatus().addNewAddress().withType("InternalIP").withAddress("172.28.0.11").endAddress().endStatus().build();
        var node2 = new NodeBuilder().withNewMetadata().withName("node-2").endMetadata().withNewSpec().withPodCIDR("10.42.1.0/24")
                .endSpec().withNewStatus().addNewAddress().withType("InternalIP").withAddress("172.28.0.12").endAddress().endStatus().build();
        server.expect().get().withPath("/api/v1/nodes").andReturn(200, new NodeListBuilder().addToItems(node1, node2).build()).always();
        var agent = new PodBuilder().withNewMetadata().withName("cilium-abc").withNamespace(NS).addToLabels("k8s-app", "cilium")
                .endMetadata().withNewSpec().withNodeName("node-1").addNewContainer().withName("cilium-agent").endContainer().endSpec().build();
        server.expect().get().withPath("/api/v1/namespaces/kube-system/pods/cilium-abc").andReturn(200, agent).always();
        server.expect().get().withPath("/api/v1/namespaces/kube-system/pods?labelSelector=k8s-app%3Dcilium")
                .andReturn(200, new PodListBuilder().addToItems(agent).build()).always();
        exec("command=cilium&command=status&", Golden.read("cilium-status-bpf.txt"));
        exec("command=iptables-save&command=-t&command=nat&", Golden.read("iptables-save-nat-bpf-mode.txt"));
        exec("command=cilium&command=bpf&command=ipmasq&command=list&", Golden.read("cilium-bpf-ipmasq-list.txt"));
        exec("command=cilium&command=bpf&command=nat&command=list&", Golden.read("cilium-bpf-nat-list.txt"));
        server.expect().get().withPath("/api/v1/namespaces/kube-system/pods/cilium-abc/log?pretty=false&container=cilium-agent&tailLines=5000")
                .andReturn(200, "level=info msg=\"BPF masquerading enabled\"\nlevel=info msg=\"unrelated\"\n").always();
    }

    void exec(String command, String stdout) {
        server.expect().get().withPath(EXEC + command + STREAMS).andUpgradeToWebSocket()
                .open(new OutputStreamMessage(stdout), new StatusStreamMessage(0)).done().always();
    }

    List<ModeCheck> verify(AgentConfig expected) {
        return verify(expected, new io.masqharness.oracle.ClusterFacts(List.of(new io.masqharness.oracle.ClusterFacts.Node("node-1",
                Ipv4.parse("172.28.0.11"), io.masqharness.net.Cidr.parse("10.42.0.0/24"), "eth0"))));
    }

    List<ModeCheck> verify(AgentConfig expected, io.masqharness.oracle.ClusterFacts facts) {
        CiliumKube kube = new CiliumKube(client, NS, "cilium", false, line -> { }, Clock.systemUTC());
        Host host = new Host() {
            public String name() {
                return "probe-1";
            }

            public Ipv4 ip() {
                return Ipv4.parse("10.42.0.23");
            }

            public ExecResult exec(Duration timeout, String... command) {
                probes.add(String.join(" ", command));
                return new ExecResult(0, "", "");
            }
        };
        return CiliumModeChecks.verifyAll(kube, facts, List.of(new Pod("probe-1", "node-1", Ipv4.parse("10.42.0.23"), host)), expected,
                // A pod address inside the native-routing CIDR first: BPF mode does not masquerade it, so the flow goes to the second.
                List.of(Ipv4.parse("10.42.1.9"), Ipv4.parse("198.20.0.10")), Duration.ofSeconds(5), AgentSettlingTest.SHORT);
    }

    @Test
    void aNodeInTheExpectedModePassesAndANodeCiliumDoesNotRunOnIsNotJudged() {
        List<ModeCheck> checks = verify(CiliumCaptureChecksTest.BPF);
        assertThat(checks).extracting(ModeCheck::node, ModeCheck::check, ModeCheck::status).containsExactly(
                tuple("node-2", "Cilium agent pod", Status.NOT_APPLICABLE),
                tuple("node-1", "cilium status health", Status.PASSED),
                tuple("node-1", "cilium status Masquerading line", Status.PASSED),
                tuple("node-1", "iptables-save -t nat (cilium-agent)", Status.PASSED),
                tuple("node-1", "cilium bpf nat list XLATE_SRC entry", Status.PASSED));
        assertThat(probes).containsExactly("probe snat --target 198.20.0.10:7000 --protocol tcp --count 1");
    }

    /** The nodes the run was told of and the agents that run now disagree: neither side passes by having nothing to check. */
    @Test
    void anAgentOfANodeTheRunDidNotKnowAndAKnownNodeWithoutOneBothFail() {
        var facts = new io.masqharness.oracle.ClusterFacts(List.of(new io.masqharness.oracle.ClusterFacts.Node("node-3",
                Ipv4.parse("172.28.0.13"), io.masqharness.net.Cidr.parse("10.42.2.0/24"), "eth0")));
        assertThat(verify(CiliumCaptureChecksTest.BPF, facts)).extracting(ModeCheck::node, ModeCheck::check, ModeCheck::status)
                .containsExactly(tuple("node-2", "Cilium agent pod", Status.NOT_APPLICABLE), tuple("node-3", "Cilium agent pod", Status.FAILED),
                        tuple("node-1", "Cilium agent pod", Status.FAILED));
        assertThat(probes).isEmpty();
    }

    @Test
    void theIpMasqAgentMapIsAwaitedThenJudged() {
        List<ModeCheck> checks = verify(CiliumCaptureChecksTest.RFC1918);
        assertThat(checks).filteredOn(c -> c.node().equals("node-1")).extracting(ModeCheck::check, ModeCheck::status).contains(
                tuple("cilium bpf ipmasq list", Status.PASSED),
                tuple("cilium status Masquerading line", Status.FAILED),
                tuple("cilium-agent log", Status.FAILED));
        assertThat(checks).filteredOn(c -> c.check().equals("cilium-agent log")).singleElement()
                .satisfies(c -> assertThat(c.evidence()).isEqualTo("level=info msg=\"BPF masquerading enabled\""));
    }

    @Test
    void noNatFlowWhenTheModeMasqueradesNoDestinationOfTheScenario() {
        AgentConfig everything = CiliumModeChecksTest.agent(Map.of("bpf.masquerade", true, "ipMasqAgent.enabled", true),
                new IpMasqAgentFile.Present(List.of(io.masqharness.net.Cidr.parse("198.20.0.0/16")), true));
        List<ModeCheck> checks = verify(everything);
        assertThat(checks).filteredOn(c -> c.check().equals("cilium bpf nat list XLATE_SRC entry")).singleElement()
                .satisfies(c -> assertThat(c.status()).isEqualTo(Status.NOT_APPLICABLE));
        assertThat(probes).isEmpty();
    }

    @Test
    void iptablesModeRunsNoNatFlow() {
        List<ModeCheck> checks = verify(CiliumCaptureChecksTest.IPTABLES);
        assertThat(checks).extracting(ModeCheck::check).doesNotContain("cilium bpf nat list XLATE_SRC entry", "cilium bpf ipmasq list");
        assertThat(probes).isEmpty();
    }
}
