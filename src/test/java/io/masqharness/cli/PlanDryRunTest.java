package io.masqharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.masqharness.cluster.k8s.MockCilium;
import io.masqharness.cluster.k8s.VertxPerMockClient;
import io.masqharness.doctor.Kubeconfigs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code plan --dry-run}: the steps a run would take on a live cluster, read from it, none taken. */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = VertxPerMockClient.class)
class PlanDryRunTest {

    KubernetesMockServer server;
    KubernetesClient client;

    @AfterEach
    void clear() {
        System.clearProperty(Kubeconfigs.PROPERTY);
    }

    @Test
    void aDryRunListsTheStepsAndSendsNoWrite(@TempDir Path dir) throws Exception {
        MockCilium.seed(client, "kube-system", MockCilium.BPF_CONFIG);
        while (server.takeRequest(100, TimeUnit.MILLISECONDS) != null) {
            // The seeding's requests.
        }
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, MockCilium.kubeconfig(client));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = Main.run("plan", "--scenario", "scenarios/masquerade-toggle.yaml", "--backend", "kubeconfig", "--dry-run",
                    "--kubeconfig", kubeconfig.toString(), "--probe-image", "registry.example/masq-harness-probe:abc");
        } finally {
            System.setOut(saved);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(text).isZero();
        assertThat(text).containsSubsequence("a run would take these 3 steps, in order; none was taken",
                "1. create namespace masq-harness-", "pod-security.kubernetes.io/enforce=privileged",
                "2. create DaemonSets masq-probe and masq-probe-host", "registry.example/masq-harness-probe:abc",
                "3. delete namespace masq-harness-");
        List<String> writes = new ArrayList<>();
        for (var r = server.takeRequest(1, TimeUnit.SECONDS); r != null; r = server.takeRequest(100, TimeUnit.MILLISECONDS)) {
            if (!r.getMethod().equals("GET")) {
                writes.add(r.getMethod() + " " + r.getPath());
            }
        }
        assertThat(writes).as("requests other than reads").isEmpty();
    }
}
