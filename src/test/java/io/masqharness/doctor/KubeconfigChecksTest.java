package io.masqharness.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.masqharness.cluster.k8s.MockCilium;
import io.masqharness.cluster.k8s.VertxPerMockClient;
import io.masqharness.cluster.kubeconfig.KubeconfigCluster;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = VertxPerMockClient.class)
class KubeconfigChecksTest {

    KubernetesMockServer server;
    KubernetesClient client;

    @BeforeEach
    void cilium() {
        MockCilium.seed(client, "kube-system", MockCilium.BPF_CONFIG);
        client.apps().daemonSets().inNamespace("kube-system").withName("cilium").edit(ds -> {
            ds.getSpec().getTemplate().setSpec(new io.fabric8.kubernetes.api.model.PodSpecBuilder().addNewContainer().withName("cilium-agent")
                    .withImage("quay.io/cilium/cilium:v1.13.4@sha256:bde8800d61aaad8b8451b10e247ac7bdeb7af187bb698f83d40ad75a38c1ee6b")
                    .endContainer().build());
            return ds;
        });
    }

    @Test
    void aReadOnlyRunNeedsNoReleaseAndOnlyReadAndProbeRights() {
        MockCilium.grantEverything(server);
        List<Check> checks = KubeconfigChecks.cluster(client, false);
        assertThat(checks).extracting(Check::name, Check::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("Cilium", Check.Status.PASS),
                org.assertj.core.groups.Tuple.tuple("Helm release", Check.Status.WARN),
                org.assertj.core.groups.Tuple.tuple("masquerading", Check.Status.PASS),
                org.assertj.core.groups.Tuple.tuple("Cilium IPAM", Check.Status.PASS),
                org.assertj.core.groups.Tuple.tuple("nodes", Check.Status.PASS),
                org.assertj.core.groups.Tuple.tuple("node NICs", Check.Status.WARN),
                org.assertj.core.groups.Tuple.tuple("permissions", Check.Status.PASS));
        assertThat(checks.get(0).found()).startsWith("1.13.4 in kube-system");
        assertThat(checks.get(2).found()).isEqualTo("cilium-config enable-ipv4-masquerade=true, enable-bpf-masquerade=true,"
                + " kube-proxy-replacement=strict, tunnel=disabled, ipv4-native-routing-cidr=10.42.0.0/16 (a read-only run verifies and"
                + " probes the mode this is)");
        assertThat(checks.get(3).found()).isEqualTo("kubernetes, pod ranges from each Node's spec.podCIDRs (Kubernetes IPAM): node-1"
                + " 10.42.0.0/24");
        assertThat(checks.get(5).found()).as("this mock answers no exec").startsWith("node-1 192.168.5.11 on (device unknown)");
        assertThat(checks.get(6).found()).as("Kubernetes IPAM: no CiliumNodes to read").isEqualTo("all 12 rights the run needs are granted");
    }

    @Test
    void switchingNeedsTheReleaseAndWriteRightsAndNamesWhatIsDenied() {
        MockCilium.answerAccessReviews(server, r -> !(r.getVerb().equals("patch") && r.getResource().equals("daemonsets")));
        List<Check> checks = KubeconfigChecks.cluster(client, true);
        assertThat(checks).filteredOn(c -> c.name().equals("Helm release")).singleElement()
                .satisfies(c -> assertThat(c.status()).isEqualTo(Check.Status.FAIL));
        assertThat(checks).filteredOn(c -> c.name().equals("permissions")).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(Check.Status.FAIL);
            assertThat(c.found()).isEqualTo("not granted: patch apps/daemonsets in kube-system (restart the agents)");
        });

        client.apps().daemonSets().inNamespace("kube-system").withName("cilium").edit(ds -> {
            ds.getMetadata().setAnnotations(Map.of(KubeconfigCluster.RELEASE_NAME, "cilium", KubeconfigCluster.RELEASE_NAMESPACE, "kube-system"));
            return ds;
        });
        assertThat(KubeconfigChecks.cluster(client, true)).filteredOn(c -> c.name().equals("Helm release")).singleElement()
                .satisfies(c -> assertThat(c.status()).isEqualTo(Check.Status.PASS));
    }

    @Test
    void kernelVersionsCompareNumerically() {
        assertThat(DockerChecks.compare(DockerChecks.numbers("6.18.44-fc-v782"), DockerChecks.KERNEL_BPF_HOST_ROUTING)).isPositive();
        assertThat(DockerChecks.compare(DockerChecks.numbers("4.19.56"), DockerChecks.KERNEL_BASE)).isNegative();
        assertThat(DockerChecks.compare(DockerChecks.numbers("4.19.57-gke"), DockerChecks.KERNEL_BASE)).isZero();
        assertThat(DockerChecks.compare(DockerChecks.numbers("1.41"), DockerChecks.MIN_API)).isZero();
        assertThat(DockerChecks.compare(DockerChecks.numbers("1.40"), DockerChecks.MIN_API)).isNegative();
    }

    @Test
    void aFailedCheckIsOneReasonLineWithItsFix() {
        Check c = Check.fail("privileged containers", "Docker refused one", "allow it");
        assertThat(c.line()).isEqualTo("FAIL  privileged containers    Docker refused one\n      fix: allow it");
        assertThat(Doctor.blocking(List.of(Check.pass("Docker", "20.10"), c, Check.warn("cgroup version", "v1", "v2"))))
                .contains("privileged containers: Docker refused one (fix: allow it)");
        assertThat(Doctor.blocking(List.of(Check.pass("Docker", "20.10")))).isEmpty();
    }
}
