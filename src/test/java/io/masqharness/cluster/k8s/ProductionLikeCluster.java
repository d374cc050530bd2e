package io.masqharness.cluster.k8s;

import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.OutputStreamMessage;
import io.fabric8.kubernetes.client.server.mock.StatusStreamMessage;
import io.masqharness.cluster.kubeconfig.KubeconfigCluster;
import java.util.List;
import java.util.Map;

/**
 * A cluster shaped like the ones the kubeconfig backend meets (EKS- or kubeadm-like), in the mock
 * API server: Cilium 1.13.4 installed by Helm with its default IPAM (cluster-pool: no ipam key,
 * ranges on CiliumNodes), BPF masquerading with native routing; a control-plane node tainted
 * NoSchedule and two workers, each with its address on ens5; and a Windows node Cilium does not run on.
 */
public final class ProductionLikeCluster {

    public static final String NS = "kube-system";
    public static final Map<String, String> CONFIG = Map.of("enable-ipv4-masquerade", "true", "enable-bpf-masquerade", "true",
            "kube-proxy-replacement", "strict", "tunnel", "disabled", "ipv4-native-routing-cidr", "10.0.0.0/8",
            "cluster-pool-ipv4-cidr", "10.0.0.0/8", "cluster-pool-ipv4-mask-size", "24");
    /** name, InternalIP, the operator's range for it. */
    public static final List<List<String>> LINUX_NODES = List.of(List.of("cp-1", "172.31.5.10", "10.0.0.0/24"),
            List.of("worker-1", "172.31.5.11", "10.0.1.0/24"), List.of("worker-2", "172.31.5.12", "10.0.2.0/24"));

    private ProductionLikeCluster() {
    }

    public static void seed(KubernetesClient client, KubernetesMockServer server) {
        MockCilium.seedCilium(client, NS, CONFIG);
        client.apps().daemonSets().inNamespace(NS).withName("cilium").edit(ds -> {
            ds.getMetadata().setAnnotations(Map.of(KubeconfigCluster.RELEASE_NAME, "cilium", KubeconfigCluster.RELEASE_NAMESPACE, NS));
            ds.getSpec().getTemplate().setSpec(new io.fabric8.kubernetes.api.model.PodSpecBuilder().addNewContainer()
                    .withName(CiliumKube.AGENT_CONTAINER).withImage("quay.io/cilium/cilium:v1.13.4").endContainer().build());
            return ds;
        });
        CiliumIpam ipam = CiliumIpam.of(CONFIG);
        for (List<String> n : LINUX_NODES) {
            MockCilium.node(client, NS, ipam, n.get(0), n.get(1), n.get(2), true);
            ipAddrShowInAgent(server, "cilium-" + n.get(0), n.get(1));
        }
        client.nodes().withName("cp-1").edit(n -> {
            n.getMetadata().getLabels().put("node-role.kubernetes.io/control-plane", "");
            n.getSpec().setTaints(List.of(new TaintBuilder().withKey("node-role.kubernetes.io/control-plane").withEffect("NoSchedule")
                    .build()));
            return n;
        });
        client.nodes().resource(new io.fabric8.kubernetes.api.model.NodeBuilder().withNewMetadata().withName("win-1")
                .addToLabels("kubernetes.io/os", "windows").endMetadata().withNewSpec().endSpec().withNewStatus().addNewAddress()
                .withType("InternalIP").withAddress("172.31.5.20").endAddress().endStatus().build()).create();
        MockCilium.grantEverything(server);
    }

    /** What {@code ip -o -4 addr show} prints in the agent of a node whose address is on ens5 (an EC2 Nitro node). */
    static void ipAddrShowInAgent(KubernetesMockServer server, String pod, String ip) {
        String out = "1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever\n"
                + "2: ens5    inet " + ip + "/20 metric 100 brd 172.31.15.255 scope global dynamic ens5\\       valid_lft 2936sec"
                + " preferred_lft 2936sec\n"
                + "4: cilium_host    inet 10.0.9.1/32 scope global cilium_host\\       valid_lft forever preferred_lft forever\n";
        server.expect().get().withPath("/api/v1/namespaces/" + NS + "/pods/" + pod + "/exec?command=ip&command=-o&command=-4"
                + "&command=addr&command=show&container=cilium-agent&stdout=true&stderr=true").andUpgradeToWebSocket()
                .open(new OutputStreamMessage(out), new StatusStreamMessage(0)).done().always();
    }

    /** The probe pods' addresses: each node's first pod address. */
    public static MockProbeKubelet kubelet(KubernetesClient client) {
        return MockProbeKubelet.start(client, node -> LINUX_NODES.stream().filter(n -> n.get(0).equals(node)).findFirst()
                .map(n -> List.of(n.get(2).replace(".0/24", ".23"))).orElseThrow(), node -> LINUX_NODES.stream()
                .filter(n -> n.get(0).equals(node)).findFirst().map(n -> List.of(n.get(1))).orElseThrow());
    }
}
