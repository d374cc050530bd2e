package io.masqharness.cluster.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.masqharness.cluster.ClusterException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * Review D6 through Helm's own code: helm-java's native Helm lists the releases a cluster stores
 * (Secrets of type helm.sh/release.v1, served here by the mock API server) and the harness takes
 * the chart version from the deployed one.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = VertxPerMockClient.class)
class CiliumHelmReleaseTest {

    KubernetesClient client;
    final java.util.List<io.fabric8.kubernetes.api.model.Secret> stored = new java.util.concurrent.CopyOnWriteArrayList<>();
    io.fabric8.kubernetes.client.server.mock.KubernetesMockServer server;

    /**
     * Helm (client-go) asks for protobuf first; the mock answers JSON, so it must say so.
     */
    @org.junit.jupiter.api.BeforeEach
    void answerHelmsListInJson() {
        server.expect().get().withPath("/api/v1/namespaces/kube-system/secrets?labelSelector=owner%3Dhelm")
                .andReply(200, request -> new io.fabric8.kubernetes.api.model.SecretListBuilder().withItems(stored).build())
                .withHeader("Content-Type", "application/json").always();
    }

    String kubeconfig() {
        return MockCilium.kubeconfig(client);
    }

    /** A release as Helm 3 stores it: the Secret's release key holds base64(gzip(JSON)). */
    void storeRelease(String namespace, String name, int revision, String status, String chartVersion) throws Exception {
        String json = """
                {"name":"%s","namespace":"%s","version":%d,"info":{"status":"%s","first_deployed":"2026-11-01T10:00:00Z",
                 "last_deployed":"2026-11-01T10:00:00Z"},"chart":{"metadata":{"name":"cilium","version":"%s","appVersion":"%s",
                 "apiVersion":"v2"}},"config":{"kubeProxyReplacement":"strict"}}""".formatted(name, namespace, revision, status,
                chartVersion, chartVersion);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(json.getBytes(StandardCharsets.UTF_8));
        }
        String helmEncoded = Base64.getEncoder().encodeToString(gz.toByteArray());
        stored.add(new SecretBuilder().withNewMetadata()
                .withName("sh.helm.release.v1." + name + ".v" + revision).withNamespace(namespace)
                .addToLabels("owner", "helm").addToLabels("name", name).addToLabels("status", status)
                .addToLabels("version", Integer.toString(revision)).endMetadata().withType("helm.sh/release.v1")
                .addToData("release", Base64.getEncoder().encodeToString(helmEncoded.getBytes(StandardCharsets.UTF_8))).build());
    }

    @Test
    void theDeployedReleasesChartVersionIsWhatSwitchesUse() throws Exception {
        storeRelease("kube-system", "cilium", 1, "superseded", "1.13.1");
        storeRelease("kube-system", "cilium", 2, "deployed", "1.13.2");
        var release = CiliumHelm.deployedRelease(kubeconfig(), "kube-system", "cilium");
        assertThat(release.getChart()).isEqualTo("cilium-1.13.2");
        assertThat(CiliumHelm.chartVersion(release.getName(), release.getChart())).isEqualTo("1.13.2");
    }

    @Test
    void noDeployedReleaseIsARefusalNamingWhatIsThere() throws Exception {
        storeRelease("kube-system", "other", 1, "deployed", "1.0.0");
        assertThatThrownBy(() -> CiliumHelm.deployedRelease(kubeconfig(), "kube-system", "cilium")).isInstanceOf(ClusterException.class)
                .hasMessageContaining("no deployed release named 'cilium'").hasMessageContaining("[other]");
    }
}
