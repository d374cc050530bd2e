package io.masqharness.cluster.kubeconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.masqharness.cluster.ClusterException;
import io.masqharness.cluster.k8s.MockCilium;
import io.masqharness.cluster.k8s.VertxPerMockClient;
import io.masqharness.oracle.MasqueradeMode;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioFacts;
import io.masqharness.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = VertxPerMockClient.class)
class KubeconfigClusterTest {

    static final Scenario TOGGLE = new ScenarioLoader().load(Path.of("scenarios/masquerade-toggle.yaml"));

    KubernetesMockServer server;
    KubernetesClient client;

    @BeforeEach
    void existingCiliumInBpfModeWithTheAgent() {
        Map<String, String> config = new HashMap<>(MockCilium.BPF_CONFIG);
        config.put("enable-ip-masq-agent", "true");
        MockCilium.seed(client, "cilium-system", config);
        client.configMaps().inNamespace("cilium-system").resource(new ConfigMapBuilder().withNewMetadata().withName("ip-masq-agent")
                .withNamespace("cilium-system").endMetadata().addToData("config", "{\"nonMasqueradeCIDRs\":[\"10.0.0.0/8\"]}").build())
                .create();
    }

    @Test
    void theCurrentModeIsReadFromTheCluster() {
        KubeconfigCluster c = new KubeconfigCluster(TOGGLE, client, "", false, line -> { });
        var mode = c.currentMode();
        var agent = ScenarioFacts.agentConfig(TOGGLE, mode);
        assertThat(agent.mode()).isEqualTo(MasqueradeMode.BPF);
        assertThat(agent.ipMasqAgent()).isTrue();
        assertThat(agent.ipMasqAgentCidrs()).extracting(Object::toString).containsExactly("10.0.0.0/8", "169.254.0.0/16");
        assertThat(c.clusterFacts().node("node-1").ip()).hasToString("192.168.5.11");
        assertThat(c.canSwitchModes()).isFalse();
    }

    @Test
    void readOnlyMakesNoWriteCall() throws Exception {
        KubeconfigCluster c = new KubeconfigCluster(TOGGLE, client, "", false, line -> { });
        int before = server.getRequestCount();
        assertThatThrownBy(() -> c.applyMode(TOGGLE.mode("bpf"))).isInstanceOf(ClusterException.class)
                .hasMessageContaining("read-only").hasMessageContaining("-Dharness.kubeconfig.allowModeSwitch=true");
        c.close();
        assertThat(server.getRequestCount()).as("requests after the refusal (close writes nothing either)").isEqualTo(before);
    }

    @Test
    void aModeWhoseValuesCouldNotBeRestoredIsRefusedBeforeAnyChange() throws Exception {
        KubeconfigCluster c = new KubeconfigCluster(TOGGLE, client, "", true, line -> { });
        var unrestorable = new io.masqharness.scenario.ModeSpec("legacy-routing", java.util.Map.of("bpf.hostLegacyRouting", true),
                java.util.Optional.empty());
        int before = server.getRequestCount();
        assertThatThrownBy(() -> c.applyMode(unrestorable)).isInstanceOf(ClusterException.class)
                .hasMessageContaining("cannot read bpf.hostLegacyRouting's original value");
        assertThat(server.getRequestCount()).isEqualTo(before);
        c.close();
    }
}
