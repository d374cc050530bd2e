package io.masqharness.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.masqharness.doctor.Kubeconfigs;
import io.masqharness.cluster.Cluster;
import io.masqharness.cluster.k8s.MockCilium;
import io.masqharness.cluster.k8s.MockProbeKubelet;
import io.masqharness.cluster.k8s.VertxPerMockClient;
import io.masqharness.scenario.ClusterSpec;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole kubeconfig run (start, probe, verify, report, clean up) against the mock API server,
 * whose pods cannot exec, so the run fails and collects every diagnostic it can. Then everything
 * it left (progress, stdout and stderr with the client's logs, the report and its diagnostics) is
 * searched for the kubeconfig's secrets and contents; and every write request the API server saw
 * is checked to touch only the harness's own probe namespace.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = VertxPerMockClient.class)
class KubeconfigRunSecretsTest {

    static final String TOKEN = "tok-" + UUID.randomUUID();
    static final String OTHER_USERS_KEY = Base64.getEncoder().encodeToString(("key-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8));
    static final String PASSWORD = "pw-" + UUID.randomUUID();

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
    void aReadOnlyRunLeaksNoSecretAndWritesNothingOutsideItsOwnNamespace() throws Exception {
        MockCilium.seed(client, "kube-system", MockCilium.BPF_CONFIG);
        MockCilium.grantEverything(server);
        List<String> namespacesBefore = client.namespaces().list().getItems().stream().map(n -> n.getMetadata().getName()).toList();
        while (server.takeRequest(100, TimeUnit.MILLISECONDS) != null) {
            // The seeding's requests: only the run's are judged below.
        }
        // The mock runs no kubelet: this one marks the probe DaemonSets ready and gives them a pod on node-1.
        kubelet = MockProbeKubelet.start(client, List.of("10.42.0.10"), List.of("192.168.5.11"));
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: mock, cluster: {server: "%s", insecure-skip-tls-verify: true}}]
                users:
                  - {name: harness, user: {token: "%s"}}
                  - {name: admin, user: {client-key-data: "%s", username: admin, password: "%s"}}
                contexts: [{name: mock, context: {cluster: mock, user: harness}}]
                current-context: mock
                """.formatted(client.getMasterUrl().toString(), TOKEN, OTHER_USERS_KEY, PASSWORD));
        Path scenarioFile = dir.resolve("existing.yaml");
        Files.writeString(scenarioFile, """
                name: existing
                cluster: {backend: kubeconfig, nodes: 1, network: {subnet: 192.168.5.0/24}, podCIDR: 10.42.0.0/16}
                cilium: {version: 1.13.4, values: {tunnel: disabled, ipv4NativeRoutingCIDR: 10.42.0.0/16,
                  autoDirectNodeRoutes: true, kubeProxyReplacement: strict}}
                modes:
                  - {name: bpf, values: {bpf.masquerade: true}}
                destinations:
                  - {name: public, ip: 198.20.0.10}
                probes: [tcp]
                """);
        System.setProperty(Kubeconfigs.PROPERTY, kubeconfig.toString());
        System.setProperty(Kubeconfigs.PROBE_IMAGE, "registry.example/masq-harness-probe:abc");
        Scenario scenario = new ScenarioLoader().load(scenarioFile);

        List<String> progress = Collections.synchronizedList(new ArrayList<>());
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        Path reports = dir.resolve("reports");
        Path written;
        System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(console, true, StandardCharsets.UTF_8));
        try {
            RunReport report = new RunReport(scenario);
            Backends.unavailable(scenario, ClusterSpec.Backend.KUBECONFIG).ifPresent(r -> report.problem(r, null));
            try (Cluster cluster = Backends.start(scenario, ClusterSpec.Backend.KUBECONFIG, progress::add)) {
                report.add(ModeExecution.execute(scenario, cluster, cluster.currentMode(), progress::add));
                written = report.write(reports, cluster, cluster.datapath());
            }
        } finally {
            System.setOut(out);
            System.setErr(err);
        }

        String summary = Files.readString(written.resolve("summary.json"));
        assertThat(summary).as("the run got far enough to have something to leak: it probed and failed")
                .contains("\"mode\" : \"current\"").contains("\"status\" : \"FAILED\"");
        assertThat(progress).anyMatch(l -> l.startsWith("deployed probe DaemonSets"));
        StringBuilder everything = new StringBuilder(String.join("\n", progress)).append('\n').append(console);
        try (Stream<Path> files = Files.walk(reports)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                everything.append('\n').append(Files.readString(f));
            }
        }
        String kubeconfigText = Files.readString(kubeconfig);
        assertThat(everything.toString()).as("%d characters of progress, logs, report and diagnostics", everything.length())
                .doesNotContain(TOKEN).doesNotContain(OTHER_USERS_KEY).doesNotContain(PASSWORD)
                .doesNotContain(new String(Base64.getDecoder().decode(OTHER_USERS_KEY), StandardCharsets.UTF_8))
                .doesNotContain("current-context").doesNotContain(kubeconfigText.lines().filter(l -> l.contains("token")).findFirst().orElseThrow());

        kubelet.close();
        List<String> writes = new ArrayList<>();
        int reads = 0;
        for (var r = server.takeRequest(1, TimeUnit.SECONDS); r != null; r = server.takeRequest(100, TimeUnit.MILLISECONDS)) {
            if (r.getMethod().equals("GET")) {
                reads++;
            } else {
                writes.add(r.getMethod() + " " + r.getPath());
            }
        }
        assertThat(reads).as("the run read the cluster").isPositive();
        assertThat(writes).as("write requests of a read-only run (and of the test's stand-in kubelet)").isNotEmpty()
                .allMatch(w -> w.matches("(POST|PUT|PATCH|DELETE) /api(s/apps)?/v1/namespaces/masq-harness-[0-9a-f]{8}(/.*)?(\\?.*)?")
                        || w.equals("POST /api/v1/namespaces")
                        || w.equals("POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews"),
                        "in namespace masq-harness-*, creating a namespace, or asking what this user may do (nothing is stored)");
        assertThat(client.namespaces().list().getItems()).as("namespaces after the run: the harness's own is gone again")
                .extracting(n -> n.getMetadata().getName()).isEqualTo(namespacesBefore);
    }
}
