package io.masqharness.cluster.k8s;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;

/** An existing Cilium as the mock API server holds it: its DaemonSet, cilium-config, and node-1. */
public final class MockCilium {

    /** Native routing on 10.42.0.0/16 with kube-proxy replacement, BPF masquerading, Kubernetes IPAM (ranges on the Nodes). */
    public static final Map<String, String> BPF_CONFIG = Map.of("enable-ipv4-masquerade", "true", "enable-bpf-masquerade", "true",
            "kube-proxy-replacement", "strict", "tunnel", "disabled", "ipv4-native-routing-cidr", "10.42.0.0/16", "ipam", "kubernetes");

    private MockCilium() {
    }

    /** Cilium's DaemonSet and cilium-config in {@code namespace}, and node-1 (192.168.5.11, pods 10.42.0.0/24) running its agent. */
    public static void seed(KubernetesClient client, String namespace, Map<String, String> ciliumConfig) {
        seedCilium(client, namespace, ciliumConfig);
        node(client, namespace, CiliumIpam.of(ciliumConfig), "node-1", "192.168.5.11", "10.42.0.0/24", true);
    }

    /**
     * Revision {@code revision} of Helm release "cilium" as Helm 3 stores it: the Secret's release key holds
     * base64(gzip(JSON)), base64-encoded again by Kubernetes; {@code configJson} is its user-supplied values.
     */
    public static void storeHelmRelease(KubernetesClient client, String namespace, int revision, String status, String chartVersion,
                                        String configJson) throws java.io.IOException {
        String json = """
                {"name":"cilium","namespace":"%s","version":%d,"info":{"status":"%s"},"chart":{"metadata":{"name":"cilium",
                 "version":"%s"}},"config":%s}""".formatted(namespace, revision, status, chartVersion, configJson);
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        String helmEncoded = java.util.Base64.getEncoder().encodeToString(gz.toByteArray());
        client.secrets().inNamespace(namespace).resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata()
                .withName("sh.helm.release.v1.cilium.v" + revision).withNamespace(namespace).addToLabels("owner", "helm")
                .addToLabels("name", "cilium").addToLabels("status", status).addToLabels("version", Integer.toString(revision))
                .endMetadata().withType("helm.sh/release.v1").addToData("release", java.util.Base64.getEncoder()
                        .encodeToString(helmEncoded.getBytes(java.nio.charset.StandardCharsets.UTF_8))).build()).create();
    }

    /** Cilium's DaemonSet and cilium-config, no node. */
    public static void seedCilium(KubernetesClient client, String namespace, Map<String, String> ciliumConfig) {
        client.apps().daemonSets().inNamespace(namespace).resource(new DaemonSetBuilder().withNewMetadata().withName("cilium")
                .withNamespace(namespace).addToLabels(CiliumKube.AGENT_LABEL, CiliumKube.AGENT_LABEL_VALUE).endMetadata()
                .withNewSpec().withNewTemplate().withNewMetadata().endMetadata().endTemplate().endSpec().build()).create();
        client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder().withNewMetadata().withName("cilium-config")
                .withNamespace(namespace).endMetadata().addToData(ciliumConfig).build()).create();
    }

    /**
     * A Linux node with its InternalIP and pod range where the IPAM mode keeps it (the Node's
     * spec.podCIDR for Kubernetes IPAM, its CiliumNode's spec.ipam.podCIDRs for cluster-pool), and,
     * with {@code agent}, a running pod of Cilium's agent DaemonSet on it. Returns the Node to adjust.
     */
    public static io.fabric8.kubernetes.api.model.Node node(KubernetesClient client, String namespace, CiliumIpam ipam, String name,
                                                            String ip, String podCidr, boolean agent) {
        var node = new NodeBuilder().withNewMetadata().withName(name).addToLabels("kubernetes.io/os", "linux").endMetadata()
                .withNewSpec().endSpec().withNewStatus().addNewAddress().withType("InternalIP").withAddress(ip).endAddress().endStatus()
                .build();
        if (ipam.mode().equals("kubernetes")) {
            node.getSpec().setPodCIDR(podCidr);
            node.getSpec().setPodCIDRs(List.of(podCidr));
        } else {
            client.genericKubernetesResources(CiliumKube.CILIUM_NODES).resource(ciliumNode(name, ipam, podCidr)).create();
        }
        node = client.nodes().resource(node).create();
        if (agent) {
            client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName("cilium-" + name)
                    .withNamespace(namespace).addToLabels(CiliumKube.AGENT_LABEL, CiliumKube.AGENT_LABEL_VALUE).endMetadata()
                    .withNewSpec().withNodeName(name).withHostNetwork(true).addNewContainer().withName(CiliumKube.AGENT_CONTAINER)
                    .endContainer().endSpec().withNewStatus().withPhase("Running").withHostIP(ip).withPodIP(ip).endStatus().build()).create();
        }
        return node;
    }

    /** A CiliumNode as the operator leaves it: cluster-pool's spec.ipam.podCIDRs, or multi-pool's allocation from pool default. */
    public static GenericKubernetesResource ciliumNode(String name, CiliumIpam ipam, String podCidr) {
        GenericKubernetesResource cn = new GenericKubernetesResource();
        cn.setApiVersion("cilium.io/v2");
        cn.setKind("CiliumNode");
        cn.setMetadata(new ObjectMetaBuilder().withName(name).build());
        Map<String, Object> ipamSpec = ipam.mode().equals("multi-pool")
                ? Map.of("pools", Map.of("allocated", List.of(Map.of("pool", "default", "cidrs", List.of(podCidr)))))
                : Map.of("podCIDRs", List.of(podCidr));
        cn.setAdditionalProperty("spec", Map.of("ipam", ipamSpec));
        return cn;
    }

    /** The agent on a node answers {@code cilium endpoint list -o json} with its endpoints regenerated (the host's ready). */
    public static void endpointsRegenerated(io.fabric8.kubernetes.client.server.mock.KubernetesMockServer server, String namespace,
                                            String node) {
        server.expect().get().withPath("/api/v1/namespaces/" + namespace + "/pods/cilium-" + node + "/exec?command=cilium&command=endpoint"
                + "&command=list&command=-o&command=json&container=cilium-agent&stdout=true&stderr=true").andUpgradeToWebSocket()
                .open(new io.fabric8.kubernetes.client.server.mock.OutputStreamMessage("[{\"id\": 1803, \"status\": {\"state\": \"ready\","
                        + " \"identity\": {\"id\": 1, \"labels\": [\"reserved:host\"]}}}]"),
                        new io.fabric8.kubernetes.client.server.mock.StatusStreamMessage(0)).done().always();
    }

    /** A kubeconfig that reaches the mock API server with a token, its context in namespace default. */
    public static String kubeconfig(KubernetesClient client) {
        return """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
                users: [{name: u, user: {token: "t"}}]
                contexts: [{name: mock, context: {cluster: mock, user: u, namespace: default}}]
                current-context: mock
                """.formatted(client.getMasterUrl().toString());
    }

    /**
     * Stands for the DaemonSet controller the mock server lacks: every new generation of the Cilium
     * DaemonSet is observed and rolled out at once (desired = updated = ready = 1).
     */
    public static AutoCloseable rolloutController(KubernetesClient client, String namespace) {
        var done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread t = new Thread(() -> {
            while (!done.get()) {
                var ds = client.apps().daemonSets().inNamespace(namespace).withName("cilium").get();
                Long generation = ds == null ? null : ds.getMetadata().getGeneration();
                if (generation != null && (ds.getStatus() == null || !generation.equals(ds.getStatus().getObservedGeneration()))) {
                    client.apps().daemonSets().inNamespace(namespace).withName("cilium").editStatus(d -> {
                        d.setStatus(new io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder().withObservedGeneration(generation)
                                .withDesiredNumberScheduled(1).withUpdatedNumberScheduled(1).withNumberReady(1).withNumberUnavailable(0).build());
                        return d;
                    });
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "mock-daemonset-controller");
        t.setDaemon(true);
        t.start();
        return () -> {
            done.set(true);
            t.join(5000);
        };
    }

    /** Answers every SelfSubjectAccessReview (which a CRUD mock stores but never judges) with "allowed". */
    public static void grantEverything(io.fabric8.kubernetes.client.server.mock.KubernetesMockServer server) {
        answerAccessReviews(server, review -> true);
    }

    /** Answers each SelfSubjectAccessReview with what {@code allowed} says of its resource attributes. */
    public static void answerAccessReviews(io.fabric8.kubernetes.client.server.mock.KubernetesMockServer server,
                                           java.util.function.Predicate<io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes> allowed) {
        server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews").andReply(201, request -> {
            var review = io.fabric8.kubernetes.client.utils.Serialization.unmarshal(request.getBody().readUtf8(),
                    io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview.class);
            review.setStatus(new io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatusBuilder()
                    .withAllowed(allowed.test(review.getSpec().getResourceAttributes())).build());
            return review;
        }).always();
    }
}
