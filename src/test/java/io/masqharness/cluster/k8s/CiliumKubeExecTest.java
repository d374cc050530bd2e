package io.masqharness.cluster.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.ErrorStreamMessage;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.OutputStreamMessage;
import io.fabric8.kubernetes.client.server.mock.StatusStreamMessage;
import io.masqharness.cluster.ExecResult;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Exec into cilium-agent, against the mock API server's expectations (exec is a websocket; CRUD mode does not answer it). */
@EnableKubernetesMockClient(kubernetesClientBuilderCustomizer = VertxPerMockClient.class)
class CiliumKubeExecTest {

    static final String NS = "kube-system";
    static final String EXEC = "/api/v1/namespaces/kube-system/pods/cilium-abc/exec?command=cilium&command=";

    KubernetesMockServer server;
    KubernetesClient client;

    @Test
    void execRunsInTheAgentContainerAndReturnsItsStatus() {
        var pod = new PodBuilder().withNewMetadata().withName("cilium-abc").withNamespace(NS).addToLabels("k8s-app", "cilium")
                .endMetadata().withNewSpec().withNodeName("node-1").addNewContainer().withName("cilium-agent").endContainer()
                .endSpec().build();
        server.expect().get().withPath("/api/v1/namespaces/kube-system/pods/cilium-abc").andReturn(200, pod).always();
        server.expect().get().withPath("/api/v1/namespaces/kube-system/pods?labelSelector=k8s-app%3Dcilium")
                .andReturn(200, new PodListBuilder().addToItems(pod).build()).always();
        server.expect().get().withPath(EXEC + "status&container=cilium-agent&stdout=true&stderr=true")
                .andUpgradeToWebSocket()
                .open(new OutputStreamMessage("Masquerading:   BPF   [eth0]   10.42.0.0/16 [IPv4: Enabled, IPv6: Disabled]\n"),
                        new StatusStreamMessage(0))
                .done().always();
        server.expect().get().withPath(EXEC + "bpf&command=ipmasq&command=list&container=cilium-agent&stdout=true&stderr=true")
                .andUpgradeToWebSocket()
                .open(new ErrorStreamMessage("error dumping contents of map: not found\n"), new StatusStreamMessage(1))
                .done().always();
        CiliumKube kube = new CiliumKube(client, NS, "cilium", false, line -> { }, Clock.systemUTC());

        ExecResult status = kube.execInAgent("cilium-abc", Duration.ofSeconds(10), "cilium", "status");
        assertThat(status.exitCode()).isZero();
        assertThat(status.stdout()).contains("Masquerading:   BPF");
        ExecResult ipmasq = kube.execInAgent("cilium-abc", Duration.ofSeconds(10), "cilium", "bpf", "ipmasq", "list");
        assertThat(ipmasq.exitCode()).isEqualTo(1);
        assertThat(ipmasq.stderr()).contains("error dumping contents of map");
        assertThat(kube.agentPodsByNode()).containsEntry("node-1", "cilium-abc");
    }
}
