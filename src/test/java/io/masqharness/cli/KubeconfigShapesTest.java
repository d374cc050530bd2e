package io.masqharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.masqharness.cluster.Host;
import io.masqharness.cluster.k8s.MockCilium;
import io.masqharness.cluster.k8s.MockProbeKubelet;
import io.masqharness.cluster.k8s.ProductionLikeCluster;
import io.masqharness.cluster.k8s.VertxPerMockClient;
import io.masqharness.cluster.kubeconfig.KubeconfigCluster;
import io.masqharness.doctor.Kubeconfigs;
import io.masqharness.oracle.Flow;
import io.masqharness.oracle.MasqueradeOracle;
import io.masqharness.oracle.Protocol;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioFacts;
import io.masqharness.scenario.ScenarioLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubeconfig backend on a cluster shaped like production ({@link ProductionLikeCluster}):
 * cluster-pool IPAM, nodes whose address is on ens5, a control plane tainted NoSchedule and a
 * Windows node Cilium does not run on. Each shape is what review 2 found the backend getting
 * wrong (N2, N3, N9), and doctor, plan and the dry run say what a run will find and touch.
 */
@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = VertxPerMockClient.class)
class KubeconfigShapesTest {

    static final Scenario TOGGLE = new ScenarioLoader().load(Path.of("scenarios/masquerade-toggle.yaml"));

    KubernetesMockServer server;
    KubernetesClient client;
    @TempDir
    Path dir;
    final List<String> progress = new ArrayList<>();
    Path kubeconfig;

    @BeforeEach
    void productionLikeCluster() throws Exception {
        ProductionLikeCluster.seed(client, server);
        kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, MockCilium.kubeconfig(client));
    }

    @AfterEach
    void clear() {
        System.clearProperty(Kubeconfigs.PROPERTY);
        System.clearProperty(Kubeconfigs.PROBE_IMAGE);
    }

    KubeconfigCluster connect() throws Exception {
        return KubeconfigCluster.connect(TOGGLE, Files.readString(kubeconfig), false, progress::add);
    }

    /** N2: Cilium's default IPAM keeps each node's range on its CiliumNode; the Nodes carry none. */
    @Test
    void aClusterPoolClustersRangesAreItsCiliumNodes() throws Exception {
        try (KubeconfigCluster c = connect()) {
            var facts = c.clusterFacts();
            assertThat(facts.nodes()).extracting(n -> n.name() + " " + n.podCidr())
                    .containsExactly("cp-1 10.0.0.0/24", "worker-1 10.0.1.0/24", "worker-2 10.0.2.0/24");
            assertThat(facts.nodeWithPod(io.masqharness.net.Ipv4.parse("10.0.2.23"))).map(n -> n.name()).contains("worker-2");
        }
        assertThat(progress).contains("IPAM: cluster-pool, pod ranges from each CiliumNode's spec.ipam.podCIDRs (allocated by the"
                + " Cilium operator)");
    }

    /** N3: the device that holds each node's address is read in its agent and is what the oracle reasons with. */
    @Test
    void anEns5NodeIsKnownByItsOwnDevice() throws Exception {
        try (KubeconfigCluster c = connect()) {
            var facts = c.clusterFacts();
            assertThat(facts.nodes()).extracting(n -> n.device()).containsOnly("ens5");
            var agent = ScenarioFacts.agentConfig(TOGGLE, c.currentMode());
            assertThat(MasqueradeOracle.expect(facts, agent, Flow.fromPod("worker-1", "198.20.0.10", Protocol.TCP)).reason())
                    .contains("ens5").doesNotContain("eth0");
        }
    }

    /**
     * N9: the probes go where Cilium runs, the tainted control plane included (every taint is
     * tolerated, as by Cilium's agent); the Windows node gets none and the run waits for three
     * ready pods per DaemonSet, not four.
     */
    @Test
    void aTaintedControlPlaneIsProbedAndANodeWithoutCiliumIsLeftOut() throws Exception {
        try (MockProbeKubelet kubelet = ProductionLikeCluster.kubelet(client);
             KubeconfigCluster c = KubeconfigCluster.start(TOGGLE, Files.readString(kubeconfig), "registry.example/masq-harness-probe:abc",
                     false, progress::add)) {
            assertThat(c.nodes()).extracting(Host::name).containsExactlyInAnyOrder("cp-1", "worker-1", "worker-2");
            assertThat(c.pods()).extracting(p -> p.node() + " " + p.ip()).containsExactlyInAnyOrder("cp-1 10.0.0.23", "worker-1 10.0.1.23",
                    "worker-2 10.0.2.23");
        }
        assertThat(progress).contains("the run puts the cluster back at its end, and on Ctrl-C or SIGTERM; if it is killed (kill -9,"
                + " a CI job cancelled past its grace period), undo it by hand:")
                .anyMatch(l -> l.startsWith("  kubectl delete namespace masq-harness-"));
        assertThat(progress).contains("nodes without a Cilium agent, not probed or judged: [win-1]")
                .anyMatch(l -> l.startsWith("deployed probe DaemonSets") && l.endsWith("on 3 node(s): cp-1, worker-1, worker-2"));
    }

    static String run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            int exit = Main.run(args);
            return bytes.toString(StandardCharsets.UTF_8) + "(exit " + exit + ")\n";
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** What a newcomer reads before a run on such a cluster: what the cluster has, and every step the run takes on it. */
    @Test
    void doctorAndTheDryRunSayWhatTheClusterHasAndWhatARunTouches() {
        String doctor = run("doctor", "--backend", "kubeconfig", "--kubeconfig", kubeconfig.toString(),
                "--probe-image", "registry.example/masq-harness-probe:abc");
        String dryRun = run("plan", "--scenario", "scenarios/masquerade-toggle.yaml", "--backend", "kubeconfig", "--dry-run",
                "--kubeconfig", kubeconfig.toString(), "--probe-image", "registry.example/masq-harness-probe:abc");
        System.out.println("$ doctor --backend kubeconfig ...\n" + doctor + "\n$ plan --backend kubeconfig --dry-run ...\n" + dryRun);
        assertThat(doctor).contains("PASS  Cilium IPAM              cluster-pool, pod ranges from each CiliumNode's spec.ipam.podCIDRs"
                        + " (allocated by the Cilium operator): cp-1 10.0.0.0/24, worker-1 10.0.1.0/24, worker-2 10.0.2.0/24")
                .contains("PASS  nodes                    3 run Cilium's agent and get probe pods: cp-1, worker-1, worker-2; without an"
                        + " agent, so neither probed nor judged: win-1")
                .contains("PASS  node NICs                cp-1 172.31.5.10 on ens5, worker-1 172.31.5.11 on ens5, worker-2 172.31.5.12 on ens5")
                .contains("all 13 rights the run needs are granted").doesNotContain("FAIL")
                .containsSubsequence("what a run of masquerade-toggle would do on this cluster", "1. create namespace masq-harness-",
                        "2. create DaemonSets masq-probe and masq-probe-host", "on the 3 nodes Cilium runs on", "3. delete namespace")
                .endsWith("(exit 0)\n");
        assertThat(dryRun).contains("IPAM: cluster-pool").contains("[cp-1 ens5, worker-1 ens5, worker-2 ens5]")
                .contains("nodes without a Cilium agent, not probed or judged: [win-1]").contains("none was taken")
                .containsPattern("undone by hand with:\n +kubectl delete namespace masq-harness-[0-9a-f]{8} --ignore-not-found\n")
                .endsWith("(exit 0)\n");
    }

    /** The cluster's cilium-config set to IPAM {@code mode}, then what doctor says of it. */
    String doctorWithIpam(String mode) {
        client.configMaps().inNamespace(ProductionLikeCluster.NS).withName("cilium-config").edit(cm -> {
            cm.getData().put("ipam", mode);
            return cm;
        });
        return run("doctor", "--backend", "kubeconfig", "--kubeconfig", kubeconfig.toString(),
                "--probe-image", "registry.example/masq-harness-probe:abc");
    }

    static final String REFUSED_IPAM_FIX = "\n      fix: judge each agent from what it shows instead: `inspect --sysdump` (a `cilium sysdump`"
            + " of the cluster) runs the same mode checks without probes\n";

    /** Issue 21: an IPAM mode with no per-node range (here EKS's ENI) is recognised and refused, with what to do instead. */
    @Test
    void doctorRefusesEniIpamSayingWhyAndWhatToDoInstead() {
        String doctor = doctorWithIpam("eni");
        assertThat(doctor).contains("\nFAIL  Cilium IPAM              Cilium's IPAM mode is eni: pods take addresses of the AWS ENIs attached to"
                + " each node, so a node has no pod range of its own. The harness tells which node a pod is on, and what the agent"
                + " excludes from masquerading, from per-node ranges (IPAM kubernetes, cluster-pool or multi-pool), so it cannot judge"
                + " this cluster's flows" + REFUSED_IPAM_FIX)
                .doesNotContain("PASS  Cilium IPAM").doesNotContain("node NICs")
                .contains("the kubeconfig backend cannot run here: 1 check(s) failed").endsWith("(exit 1)\n");
    }

    /** Issue 21: the same for AKS's Azure IPAM. */
    @Test
    void doctorRefusesAzureIpamSayingWhyAndWhatToDoInstead() {
        String doctor = doctorWithIpam("azure");
        assertThat(doctor).contains("\nFAIL  Cilium IPAM              Cilium's IPAM mode is azure: pods take addresses of the Azure network"
                + " interfaces of each node, so a node has no pod range of its own. The harness tells which node a pod is on, and what"
                + " the agent excludes from masquerading, from per-node ranges (IPAM kubernetes, cluster-pool or multi-pool), so it"
                + " cannot judge this cluster's flows" + REFUSED_IPAM_FIX)
                .doesNotContain("PASS  Cilium IPAM").doesNotContain("node NICs")
                .contains("the kubeconfig backend cannot run here: 1 check(s) failed").endsWith("(exit 1)\n");
    }
}
