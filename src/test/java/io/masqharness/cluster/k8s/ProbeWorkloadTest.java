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
}
