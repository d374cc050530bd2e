package io.masqharness.cluster.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.masqharness.cluster.ClusterException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = VertxPerMockClient.class)
class ProbeWorkloadTest {

    KubernetesClient client;
    final List<String> progress = new ArrayList<>();

    @Test
    void probeDaemonSetRunsTheAgentInItsOwnLabelledNamespace() {
        DaemonSet ds = ProbeWorkload.daemonSet("masq-harness-1234", "masq-harness-probe:abc");
        var container = ds.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("masq-harness-probe:abc");
        assertThat(container.getCommand()).containsExactly("probe", "serve", "--tcp-port", "7000", "--udp-port", "7001",
                "--max-seconds", "7200");
        assertThat(container.getImagePullPolicy()).isEqualTo("IfNotPresent");
        assertThat(ds.getMetadata().getLabels()).containsEntry(ProbeWorkload.OWNER_LABEL, ProbeWorkload.OWNER);
    }

    @Test
    void deployWaitsBoundedThenNamespaceCleanUpRemovesEverything() {
        ProbeWorkload probes = new ProbeWorkload(client, "masq-harness-1234", progress::add);
        // The mock server runs no kubelet: no pod ever becomes ready, so the bounded wait must give up and say so.
        assertThatThrownBy(() -> probes.deploy("masq-harness-probe:abc", 2, Duration.ofSeconds(1)))
                .isInstanceOf(ClusterException.class).hasMessageContaining("fewer than 2 ready after 1 s");
        assertThat(client.namespaces().withName("masq-harness-1234").get().getMetadata().getLabels())
                .containsEntry(ProbeWorkload.OWNER_LABEL, ProbeWorkload.OWNER);
        assertThat(client.apps().daemonSets().inNamespace("masq-harness-1234").withName(ProbeWorkload.NAME).get()).isNotNull();
        probes.remove();
        assertThat(client.namespaces().withName("masq-harness-1234").get()).isNull();
        assertThat(progress).contains("deleted namespace masq-harness-1234");
    }

    /** D8: Baseline Pod Security forbids the host-network, NET_ADMIN probes; the namespace says privileged, and a refusal is named. */
    @Test
    void theProbeNamespaceAllowsItsPodsAndARefusalIsNamedOnTimeout() {
        client.v1().events().inNamespace("masq-harness-5678").resource(new io.fabric8.kubernetes.api.model.EventBuilder().withNewMetadata()
                .withName("refused").withNamespace("masq-harness-5678").endMetadata().withReason("FailedCreate")
                .withMessage("pods \"masq-probe-host-x\" is forbidden: violates PodSecurity \"baseline:latest\": host namespaces (hostNetwork=true)")
                .withNewInvolvedObject().withKind("DaemonSet").withName(ProbeWorkload.NAME).endInvolvedObject().build()).create();
        ProbeWorkload probes = new ProbeWorkload(client, "masq-harness-5678", progress::add);
        assertThatThrownBy(() -> probes.deploy("masq-harness-probe:abc", 1, Duration.ofSeconds(1)))
                .isInstanceOf(ClusterException.class).hasMessageContaining("FailedCreate events of masq-probe")
                .hasMessageContaining("violates PodSecurity");
        assertThat(client.namespaces().withName("masq-harness-5678").get().getMetadata().getLabels())
                .containsEntry("pod-security.kubernetes.io/enforce", "privileged")
                .containsEntry("pod-security.kubernetes.io/audit", "privileged")
                .containsEntry("pod-security.kubernetes.io/warn", "privileged");
        probes.remove();
    }
}
