package io.masqharness.cluster.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.masqharness.cluster.k8s.CiliumKube;
import io.masqharness.cluster.k8s.MockCilium;
import io.masqharness.cluster.k8s.VertxPerMockClient;
import io.masqharness.oracle.IpMasqAgentFile;
import io.masqharness.scenario.ClusterSnapshot;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code upgrade --kubeconfig} reads of a cluster, against fabric8's mock API server: and that it only reads. */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = VertxPerMockClient.class)
class KubeSnapshotReaderTest {

    static final String NS = "kube-system";

    KubernetesClient client;
    KubernetesMockServer server;

    void seed(boolean helmAnnotation, String image) throws Exception {
        var ds = new DaemonSetBuilder().withNewMetadata().withName("cilium").withNamespace(NS)
                .addToLabels(CiliumKube.AGENT_LABEL, CiliumKube.AGENT_LABEL_VALUE).endMetadata()
                .withNewSpec().withNewTemplate().withNewMetadata().endMetadata().withNewSpec().addNewContainer().withName("cilium-agent")
                .withImage(image).endContainer().endSpec().endTemplate().endSpec().build();
        if (helmAnnotation) {
            ds.getMetadata().setAnnotations(Map.of(KubeSnapshotReader.RELEASE_NAME, "cilium"));
        }
        client.apps().daemonSets().inNamespace(NS).resource(ds).create();
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("cilium-config").withNamespace(NS)
                .endMetadata().addToData(Map.of("tunnel", "disabled", "ipv4-native-routing-cidr", "10.42.0.0/16", "kube-proxy-replacement",
                        "strict", "enable-bpf-masquerade", "true", "auto-direct-node-routes", "true", "ipam", "kubernetes")).build()).create();
        client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName("ip-masq-agent").withNamespace(NS)
                .endMetadata().addToData("config", "{\"nonMasqueradeCIDRs\":[\"10.0.0.0/8\"],\"masqLinkLocal\":true}").build()).create();
        for (int i = 1; i <= 2; i++) {
            MockCilium.node(client, NS, new io.masqharness.cluster.k8s.CiliumIpam("kubernetes"), "node-" + i, "192.168.5.1" + i,
                    "10.42." + (i - 1) + ".0/24", true);
        }
    }

    void storeRelease(int revision, String status, String chartVersion, String configJson) throws Exception {
        MockCilium.storeHelmRelease(client, NS, revision, status, chartVersion, configJson);
    }

    /** The requests after the first {@code taken}, other than GET (takeRequest blocks once the log is empty: bounded by the count). */
    private List<String> writes(int taken) throws InterruptedException {
        List<String> writes = new ArrayList<>();
        int n = server.getRequestCount() - taken;
        for (int i = 0; i < n; i++) {
            var r = server.takeRequest(5, java.util.concurrent.TimeUnit.SECONDS);
            if (r == null) {
                throw new AssertionError("the mock server logged " + n + " requests but handed over only " + i);
            }
            if (!r.getMethod().equals("GET")) {
                writes.add(r.getMethod() + " " + r.getPath());
            }
        }
        return writes;
    }

    @Test
    void theNewestDeployedReleasesValuesAreReadAndNothingIsWritten() throws Exception {
        seed(true, "quay.io/cilium/cilium:v1.13.2@sha256:0123");
        storeRelease(1, "superseded", "1.13.1", "{\"tunnel\":\"vxlan\"}");
        storeRelease(2, "deployed", "1.13.4", "{\"tunnel\":\"disabled\",\"ipv4NativeRoutingCIDR\":\"10.42.0.0/16\","
                + "\"kubeProxyReplacement\":\"strict\",\"autoDirectNodeRoutes\":true,\"bpf\":{\"masquerade\":true},"
                + "\"k8sServicePort\":6443}");
        int seeded = server.getRequestCount();
        for (int i = 0; i < seeded; i++) {
            server.takeRequest();
        }
        ClusterSnapshot s = KubeSnapshotReader.read(client, "cluster mock", m -> { });
        assertThat(writes(seeded)).as("read-only").isEmpty();
        assertThat(s.ciliumVersion()).as("the release's chart version wins over the image tag").isEqualTo("1.13.4");
        assertThat(s.valuesFrom()).isEqualTo("Helm release cilium revision 2");
        assertThat(s.values()).containsEntry("tunnel", "disabled").containsEntry("bpf.masquerade", true)
                .containsEntry("autoDirectNodeRoutes", true).containsEntry("k8sServicePort", 6443);
        assertThat(s.nodes()).extracting(n -> n.name() + " " + n.ip() + " " + n.podCidr())
                .containsExactly("node-1 192.168.5.11 10.42.0.0/24", "node-2 192.168.5.12 10.42.1.0/24");
        assertThat(s.ipMasqAgentFile()).hasValueSatisfying(f -> assertThat(f.effectiveCidrs()).extracting(Object::toString)
                .containsExactly("10.0.0.0/8"));
        assertThat(s.notes()).isEmpty();
    }

    @Test
    void withoutAHelmReleaseTheValuesAreReadBackFromCiliumConfigAndTheAnswerSaysSo() throws Exception {
        seed(false, "quay.io/cilium/cilium:v1.14.5@sha256:0123");
        ClusterSnapshot s = KubeSnapshotReader.read(client, "cluster mock", m -> { });
        assertThat(s.ciliumVersion()).as("from the agent image's tag").isEqualTo("1.14.5");
        assertThat(s.valuesFrom()).isEqualTo("cilium-config");
        assertThat(s.values()).containsEntry("tunnel", "disabled").containsEntry("bpf.masquerade", true)
                .containsEntry("kubeProxyReplacement", "strict");
        assertThat(s.notes()).anySatisfy(n -> assertThat(n).contains("no meta.helm.sh/release-name annotation"))
                .anySatisfy(n -> assertThat(n).contains("values read from cilium-config, not from the Helm release"));
        assertThat(s.ipMasqAgentFile()).containsInstanceOf(IpMasqAgentFile.Present.class);
    }

    @Test
    void theUpgradeCommandJudgesTheClusterAsItJudgesAScenario(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        seed(true, "quay.io/cilium/cilium:v1.13.4");
        storeRelease(1, "deployed", "1.13.4", "{\"tunnel\":\"disabled\",\"ipv4NativeRoutingCIDR\":\"10.42.0.0/16\","
                + "\"kubeProxyReplacement\":\"strict\",\"autoDirectNodeRoutes\":true,\"bpf\":{\"masquerade\":true}}");
        java.nio.file.Path kubeconfig = dir.resolve("kubeconfig");
        java.nio.file.Files.writeString(kubeconfig, MockCilium.kubeconfig(client));
        var out = new java.io.ByteArrayOutputStream();
        var saved = System.out;
        System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
        int status;
        try {
            status = io.masqharness.cli.Main.run("upgrade", "--kubeconfig", kubeconfig.toString(), "--to", "1.16.2",
                    "--destination", "api=203.0.113.50", "--json");
        } finally {
            System.setOut(saved);
        }
        assertThat(status).isEqualTo(2);
        var j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(j.get("from").asText()).isEqualTo("1.13.4");
        assertThat(j.get("modes").get(0).get("mode").asText()).isEqualTo("current");
        assertThat(j.get("modes").get(0).get("after").get("refused").asText()).startsWith("Helm refuses the values");
        assertThat(j.get("values")).extracting(v -> v.get("key").asText()).contains("tunnel", "kubeProxyReplacement");
    }

    @Test
    void replicateWritesAScenarioThatLoadsAndKeepsWhatDecidesMasquerading(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        seed(true, "quay.io/cilium/cilium:v1.13.4");
        storeRelease(1, "deployed", "1.13.4", "{\"tunnel\":\"disabled\",\"ipv4NativeRoutingCIDR\":\"10.42.0.0/16\","
                + "\"kubeProxyReplacement\":\"strict\",\"autoDirectNodeRoutes\":true,\"bpf\":{\"masquerade\":true},"
                + "\"k8sServiceHost\":\"10.0.0.1\",\"ipam\":{\"mode\":\"cluster-pool\"}}");
        java.nio.file.Path kubeconfig = dir.resolve("kubeconfig");
        java.nio.file.Files.writeString(kubeconfig, MockCilium.kubeconfig(client));
        java.nio.file.Path replica = dir.resolve("replica.yaml");
        int status = io.masqharness.cli.Main.run("replicate", "--kubeconfig", kubeconfig.toString(), "--destination", "api=198.20.0.10",
                "--destination", "partner=192.168.77.10", "--out", replica.toString(), "--upgrade-to", "1.15.8");
        assertThat(status).isZero();
        String text = java.nio.file.Files.readString(replica);
        assertThat(text).contains("# Left out").contains("k8sServiceHost");
        var s = new io.masqharness.scenario.ScenarioLoader().load(replica);
        assertThat(s.cilium().version()).isEqualTo("1.13.4");
        assertThat(s.cilium().upgradeTo()).contains("1.15.8");
        assertThat(s.cilium().values()).containsEntry("tunnel", "disabled").containsEntry("bpf.masquerade", true)
                .containsEntry("ipam.mode", "kubernetes").doesNotContainKey("k8sServiceHost");
        assertThat(s.cluster().nodes()).hasSize(2);
        assertThat(s.cluster().podCidr().toString()).isEqualTo("10.42.0.0/16");
        assertThat(s.modes()).singleElement().satisfies(m -> assertThat(m.ipMasqAgentConfig()).isPresent());
        assertThat(s.destinations()).extracting(d -> d.name() + "=" + d.ip()).containsExactly("api=198.20.0.10", "partner=192.168.77.10");
        assertThat(dir.toFile().list()).as("no draft left behind").containsExactlyInAnyOrder("kubeconfig", "replica.yaml");
    }
}
