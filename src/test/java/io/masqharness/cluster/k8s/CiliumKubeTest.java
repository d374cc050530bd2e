package io.masqharness.cluster.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.masqharness.cluster.ClusterException;
import io.masqharness.net.Cidr;
import io.masqharness.oracle.IpMasqAgentFile;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true, kubernetesClientBuilderCustomizer = VertxPerMockClient.class)
class CiliumKubeTest {

    static final String NS = "kube-system";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);

    KubernetesMockServer server;
    KubernetesClient client;
    final List<String> progress = new ArrayList<>();

    CiliumKube kube(boolean allowWrites) {
        return new CiliumKube(client, NS, "cilium", allowWrites, progress::add, CLOCK);
    }

    @BeforeEach
    void ciliumDaemonSet() {
        client.apps().daemonSets().inNamespace(NS).resource(agents(2, 2, 2, 0)).create();
    }

    static DaemonSet agents(int desired, int updated, int ready, int unavailable) {
        return new DaemonSetBuilder().withNewMetadata().withName("cilium").withNamespace(NS).withGeneration(2L)
                .addToLabels("k8s-app", "cilium").endMetadata()
                .withNewSpec().withNewSelector().addToMatchLabels("k8s-app", "cilium").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("k8s-app", "cilium").addToAnnotations("keep", "me").endMetadata()
                .withNewSpec().addNewContainer().withName("cilium-agent").withImage("quay.io/cilium/cilium:v1.13.4").endContainer()
                .endSpec().endTemplate().endSpec()
                .withNewStatus().withObservedGeneration(2L).withDesiredNumberScheduled(desired).withUpdatedNumberScheduled(updated)
                .withNumberReady(ready).withNumberUnavailable(unavailable).endStatus().build();
    }

    void ciliumConfig(String ipam) {
        client.configMaps().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata()
                .withName("cilium-config").withNamespace(NS).endMetadata().addToData(CiliumIpam.CONFIG_KEY, ipam).build()).create();
    }

    @Test
    void discoversCiliumAndTheNodesItRunsOn() {
        ciliumConfig("kubernetes");
        MockCilium.node(client, NS, new CiliumIpam("kubernetes"), "node-1", "172.28.0.11", "10.42.0.0/24", true);
        // A Windows node: Cilium's DaemonSet does not run there, and it has no pod range of Cilium's.
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("win-1").endMetadata().withNewSpec().endSpec()
                .withNewStatus().addNewAddress().withType("InternalIP").withAddress("172.28.0.21").endAddress().endStatus().build()).create();
        CiliumKube kube = CiliumKube.discover(client, false, progress::add);
        assertThat(kube.namespace()).isEqualTo(NS);
        assertThat(kube.nodes()).containsExactly(new KubeNode("node-1", "172.28.0.11", Optional.of(Cidr.parse("10.42.0.0/24"))));
        assertThat(kube.nodesWithoutAgent()).containsExactly("win-1");
    }

    /**
     * Review 2, N2: with Cilium's default IPAM the operator hands out ranges on CiliumNodes; a Node's
     * spec.podCIDR, where kube-controller-manager also allocates one, is a range pods never get.
     */
    @Test
    void withClusterPoolIpamEachNodesRangeIsItsCiliumNodes() {
        client.configMaps().inNamespace(NS).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata()
                .withName("cilium-config").withNamespace(NS).endMetadata().addToData("tunnel", "vxlan").build()).create();
        MockCilium.node(client, NS, new CiliumIpam("cluster-pool"), "node-1", "10.0.1.5", "10.0.64.0/24", true);
        client.nodes().withName("node-1").edit(n -> {
            n.getSpec().setPodCIDR("10.244.1.0/24");
            return n;
        });
        CiliumKube kube = kube(false);
        assertThat(kube.ipam().mode()).as("no ipam key: the agent's default").isEqualTo("cluster-pool");
        assertThat(kube.nodes()).singleElement().satisfies(n -> assertThat(n.podCidr()).contains(Cidr.parse("10.0.64.0/24")));
    }

    @Test
    void withMultiPoolIpamEachNodesRangeIsWhatPoolDefaultAllocatedIt() {
        ciliumConfig("multi-pool");
        MockCilium.node(client, NS, new CiliumIpam("multi-pool"), "node-1", "10.0.1.5", "10.10.3.0/24", true);
        assertThat(kube(false).nodes()).singleElement().satisfies(n -> assertThat(n.podCidr()).contains(Cidr.parse("10.10.3.0/24")));
    }

    @Test
    void ipamModesWithoutPerNodeRangesAreRefusedSayingWhy() {
        ciliumConfig("eni");
        MockCilium.node(client, NS, new CiliumIpam("kubernetes"), "node-1", "10.0.1.5", "10.0.64.0/24", true);
        assertThatThrownBy(() -> kube(false).nodes()).isInstanceOf(ClusterException.class)
                .hasMessageContaining("Cilium's IPAM mode is eni: pods take addresses of the AWS ENIs attached to each node")
                .hasMessageContaining("inspect --sysdump");
    }

    @Test
    void ipMasqAgentConfigMapIsCreatedReplacedAndDeleted() {
        CiliumKube kube = kube(true);
        kube.writeIpMasqAgentConfig(new IpMasqAgentFile.Present(List.of(Cidr.parse("10.0.0.0/8")), false));
        ConfigMap created = client.configMaps().inNamespace(NS).withName("ip-masq-agent").get();
        assertThat(created.getData()).containsEntry("config", "{\"nonMasqueradeCIDRs\":[\"10.0.0.0/8\"],\"masqLinkLocal\":false}");

        kube.writeIpMasqAgentConfig(new IpMasqAgentFile.Present(List.of(), true));
        assertThat(client.configMaps().inNamespace(NS).withName("ip-masq-agent").get().getData())
                .containsEntry("config", "{\"nonMasqueradeCIDRs\":[],\"masqLinkLocal\":true}");

        kube.writeIpMasqAgentConfig(new IpMasqAgentFile.Empty());
        assertThat(client.configMaps().inNamespace(NS).withName("ip-masq-agent").get().getData()).containsEntry("config", "");

        kube.deleteIpMasqAgentConfig();
        assertThat(client.configMaps().inNamespace(NS).withName("ip-masq-agent").get()).isNull();
        assertThat(progress).anyMatch(l -> l.contains("deleted ConfigMap kube-system/ip-masq-agent"));
    }

    /** The file as written reaches the agent: IPv6 entries (1.14 reads them, 1.13 rejects the file) and masqLinkLocalIPv6. */
    @Test
    void ipv6EntriesAreWrittenAsTheScenarioWroteThem() {
        assertThat(CiliumKube.ipMasqAgentConfigText(IpMasqAgentFile.Rejected.fresh(List.of("10.0.0.0/8", "fd77::/16"), true)))
                .isEqualTo("{\"nonMasqueradeCIDRs\":[\"10.0.0.0/8\",\"fd77::/16\"],\"masqLinkLocal\":true}");
        assertThat(CiliumKube.ipMasqAgentConfigText(new IpMasqAgentFile.Present(List.of(Cidr.parse("10.0.0.0/8")), false,
                List.of(io.masqharness.net.Cidr6.parse("fd77::/16")), true)))
                .isEqualTo("{\"nonMasqueradeCIDRs\":[\"10.0.0.0/8\",\"fd77::/16\"],\"masqLinkLocal\":false,\"masqLinkLocalIPv6\":true}");
    }

    /** D7: the user's ConfigMap (Helm's labels and annotations, YAML with a comment) comes back exactly as it was. */
    @Test
    void aUsersConfigMapIsRestoredExactlyAfterTheRunRewroteIt() {
        ConfigMap users = new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata().withName("ip-masq-agent").withNamespace(NS)
                .addToLabels("app.kubernetes.io/managed-by", "Helm").addToAnnotations("meta.helm.sh/release-name", "cilium")
                .endMetadata().addToData("config", "nonMasqueradeCIDRs:\n  - 10.0.0.0/8   # the office\nmasqLinkLocal: true\n")
                .addToData("other", "kept").build();
        client.configMaps().inNamespace(NS).resource(users).create();
        CiliumKube kube = kube(true);
        java.util.Optional<ConfigMap> found = kube.ipMasqAgentConfigMap();
        kube.writeIpMasqAgentConfig(new IpMasqAgentFile.Present(List.of(), false));
        ConfigMap during = client.configMaps().inNamespace(NS).withName("ip-masq-agent").get();
        assertThat(during.getData()).containsEntry("config", "{\"nonMasqueradeCIDRs\":[],\"masqLinkLocal\":false}")
                .containsEntry("other", "kept");
        assertThat(during.getMetadata().getLabels()).isEqualTo(users.getMetadata().getLabels());

        kube.restoreIpMasqAgentConfigMap(found);
        ConfigMap after = client.configMaps().inNamespace(NS).withName("ip-masq-agent").get();
        assertThat(after.getData()).isEqualTo(users.getData());
        assertThat(after.getMetadata().getLabels()).isEqualTo(users.getMetadata().getLabels());
        assertThat(after.getMetadata().getAnnotations()).isEqualTo(users.getMetadata().getAnnotations());

        kube.deleteIpMasqAgentConfig();
        kube.restoreIpMasqAgentConfigMap(found);
        assertThat(client.configMaps().inNamespace(NS).withName("ip-masq-agent").get().getData()).isEqualTo(users.getData());
        kube.restoreIpMasqAgentConfigMap(java.util.Optional.empty());
        assertThat(client.configMaps().inNamespace(NS).withName("ip-masq-agent").get()).as("none before the run, none after").isNull();
    }

    @Test
    void restartPatchesThePodTemplateAndKeepsItsOtherAnnotations() {
        kube(true).restartAgents();
        var annotations = client.apps().daemonSets().inNamespace(NS).withName("cilium").get()
                .getSpec().getTemplate().getMetadata().getAnnotations();
        assertThat(annotations).containsEntry("kubectl.kubernetes.io/restartedAt", "2026-11-25T12:00:00Z").containsEntry("keep", "me");
    }

    @Test
    void rolloutWaitReturnsWhenEveryAgentIsUpdatedAndReady() {
        kube(true).awaitRollout(Duration.ofSeconds(5));
        assertThat(progress).anyMatch(l -> l.contains("rolled out") && l.contains("ready 2/2"));
    }

    @Test
    void rolloutWaitIsBoundedAndSaysWhatItSawLast() {
        client.apps().daemonSets().inNamespace(NS).resource(agents(2, 1, 1, 1)).update();
        assertThatThrownBy(() -> kube(true).awaitRollout(Duration.ofSeconds(1)))
                .isInstanceOf(ClusterException.class)
                .hasMessageContaining("DaemonSet kube-system/cilium")
                .hasMessageContaining("not complete after 1 s")
                .hasMessageContaining("updated 1/2, ready 1/2, unavailable 1");
    }

    @Test
    void readOnlyMakesNoWriteCall() throws InterruptedException {
        CiliumKube readOnly = kube(false);
        int before = server.getRequestCount();
        assertThatThrownBy(readOnly::deleteIpMasqAgentConfig)
                .isInstanceOf(ClusterException.class).hasMessageContaining("-Dharness.kubeconfig.allowModeSwitch=true");
        assertThatThrownBy(readOnly::restartAgents).isInstanceOf(ClusterException.class).hasMessageContaining("read-only");
        assertThat(server.getRequestCount()).as("requests sent by refused writes").isEqualTo(before);
        assertThat(readOnly.agentConfig()).isEmpty();
        assertThat(server.getLastRequest().getMethod()).isEqualTo("GET");
    }
}
