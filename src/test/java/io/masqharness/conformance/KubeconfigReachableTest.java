package io.masqharness.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.masqharness.cluster.k8s.VertxPerMockClient;
import io.masqharness.doctor.Kubeconfigs;
import io.masqharness.scenario.ClusterSpec;
import io.masqharness.scenario.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A kubeconfig whose API server answers (fabric8's mock server): the run still needs a probe image the cluster can pull. */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = VertxPerMockClient.class)
class KubeconfigReachableTest {

    KubernetesClient client;
    io.fabric8.kubernetes.client.server.mock.KubernetesMockServer server;
    @TempDir
    Path dir;

    @AfterEach
    void clear() {
        System.clearProperty(Kubeconfigs.PROPERTY);
        System.clearProperty(Kubeconfigs.PROBE_IMAGE);
    }

    Path kubeconfig(String server) throws Exception {
        Path file = dir.resolve("kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {%s insecure-skip-tls-verify: true}}]
                users: [{name: u, user: {token: t}}]
                contexts: [{name: x, context: {cluster: c, user: u}}]
                current-context: x
                """.formatted("server: \"" + server + "\","));
        System.setProperty(Kubeconfigs.PROPERTY, file.toString());
        return file;
    }

    @Test
    void aReachableClusterStillNeedsAProbeImageItCanPull() throws Exception {
        kubeconfig(client.getMasterUrl().toString());
        io.masqharness.cluster.k8s.MockCilium.seed(client, "kube-system", io.masqharness.cluster.k8s.MockCilium.BPF_CONFIG);
        io.masqharness.cluster.k8s.MockCilium.grantEverything(server);
        Scenario scenario = ConformanceFixtures.twoNodes(dir, "tcp", "");
        assertThat(Backends.unavailable(scenario, ClusterSpec.Backend.KUBECONFIG)).hasValueSatisfying(r -> assertThat(r)
                .isEqualTo("probe image: no image named for the probe pods (fix: set -Dharness.kubeconfig.probeImage=<image> (doctor and"
                        + " plan: --probe-image) to a copy of the probe image this cluster can pull (docker tag and push"
                        + " masq-harness-probe:<hash> to your registry))"));
        System.setProperty(Kubeconfigs.PROBE_IMAGE, "registry.example/masq-harness-probe:abc");
        assertThat(Backends.unavailable(scenario, ClusterSpec.Backend.KUBECONFIG)).isEmpty();
        assertThat(Kubeconfigs.unavailable()).isEmpty();
    }

}
