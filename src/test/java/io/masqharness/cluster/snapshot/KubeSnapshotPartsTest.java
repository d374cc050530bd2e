package io.masqharness.cluster.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.masqharness.cluster.ClusterException;
import io.masqharness.cluster.k8s.KubeNode;
import io.masqharness.net.Cidr;
import io.masqharness.oracle.IpMasqAgentFile;
import io.masqharness.scenario.NodeSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pure parts of what a cluster snapshot is read from: Helm values, the image tag, node ranges, the ip-masq-agent file. */
class KubeSnapshotPartsTest {

    @Test
    void nestedHelmValuesBecomeDottedKeysWithListsKeptAndNullsLeftOut() throws Exception {
        Map<String, Object> flat = KubeSnapshotReader.flatten(new ObjectMapper().readTree("""
                {"bpf": {"masquerade": true, "mapDynamicSizeRatio": 0.0025}, "ipv4NativeRoutingCIDR": "10.42.0.0/16",
                 "egressMasqueradeInterfaces": ["eth0", "ens5"], "tolerations": [{"operator": "Exists"}],
                 "hubble": {}, "cluster": {"name": null}}
                """));
        assertThat(flat).containsEntry("bpf.masquerade", true).containsEntry("bpf.mapDynamicSizeRatio", 0.0025)
                .containsEntry("ipv4NativeRoutingCIDR", "10.42.0.0/16")
                .containsEntry("egressMasqueradeInterfaces", List.of("eth0", "ens5"))
                .containsEntry("tolerations", List.of("{\"operator\":\"Exists\"}"))
                .doesNotContainKeys("hubble", "cluster.name", "cluster");
    }

    @Test
    void theVersionIsTheCiliumContainersTagNotASidecars() {
        assertThat(KubeSnapshotReader.imageVersion(daemonSet("docker.io/library/busybox:1.36",
                "quay.io/cilium/cilium:v1.15.6@sha256:0123abcd"))).isEqualTo("1.15.6");
        assertThatThrownBy(() -> KubeSnapshotReader.imageVersion(daemonSet("docker.io/library/busybox:1.36", "quay.io/cilium/cilium:latest")))
                .isInstanceOf(ClusterException.class).hasMessageContaining("image 'quay.io/cilium/cilium:latest' carries no supported version tag");
    }

    @Test
    void nodesWithoutAPodCidrTakeTheirSlashTwentyFourOfTheClusterPoolAndSaySo() {
        List<String> notes = new ArrayList<>();
        List<NodeSpec> nodes = KubeSnapshotReader.nodes(List.of(new KubeNode("a", "172.28.0.11", Optional.of(Cidr.parse("10.42.7.0/24"))),
                new KubeNode("b", "172.28.0.12", Optional.empty())), Map.of("cluster-pool-ipv4-cidr", "10.0.0.0/8 10.1.0.0/16"), notes);
        assertThat(nodes).extracting(n -> n.name() + " " + n.ip() + " " + n.podCidr())
                .containsExactly("a 172.28.0.11 10.42.7.0/24", "b 172.28.0.12 10.0.1.0/24");
        assertThat(notes).containsExactly("node b has no spec.podCIDR: assumed 10.0.1.0/24 of the cluster pool 10.0.0.0/8");
        assertThatThrownBy(() -> KubeSnapshotReader.nodes(List.of(new KubeNode("c", "172.28.0.13", Optional.empty())), Map.of(),
                new ArrayList<>())).isInstanceOf(ClusterException.class).hasMessageContaining("the node's pod range is unknown");
    }

    @Test
    void theIpMasqAgentConfigMapIsTheFileTheAgentReads() {
        assertThat(KubeSnapshotReader.ipMasqAgentFile(Optional.empty())).isEmpty();
        assertThat(KubeSnapshotReader.ipMasqAgentFile(Optional.of(new ConfigMapBuilder().addToData("other", "x").build()))).isEmpty();
        assertThat(KubeSnapshotReader.ipMasqAgentFile(Optional.of(new ConfigMapBuilder().addToData("config", "").build())))
                .containsInstanceOf(IpMasqAgentFile.Empty.class);
        assertThat(KubeSnapshotReader.ipMasqAgentFile(Optional.of(new ConfigMapBuilder().addToData("config",
                "nonMasqueradeCIDRs: [10.0.0.0/8]\nmasqLinkLocal: true\n").build())))
                .contains(IpMasqAgentFile.of(List.of("10.0.0.0/8"), true, false));
        assertThatThrownBy(() -> KubeSnapshotReader.ipMasqAgentFile(Optional.of(new ConfigMapBuilder().addToData("config", "[: nope").build())))
                .isInstanceOf(ClusterException.class);
    }

    private static DaemonSet daemonSet(String... images) {
        DaemonSetBuilder b = new DaemonSetBuilder().withNewMetadata().withName("cilium").endMetadata();
        var spec = b.withNewSpec().withNewTemplate().withNewSpec();
        for (int i = 0; i < images.length; i++) {
            spec = spec.addNewContainer().withName("c" + i).withImage(images[i]).endContainer();
        }
        return spec.endSpec().endTemplate().endSpec().build();
    }
}
