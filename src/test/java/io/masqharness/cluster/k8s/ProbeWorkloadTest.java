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
        DaemonSet ds = ProbeWorkload.daemonSet("masq-harness-1234", "masq-harness-probe:abc", List.of("node-1"));
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
        assertThatThrownBy(() -> probes.deploy("masq-harness-probe:abc", List.of("node-1", "node-2"), Duration.ofSeconds(1)))
                .isInstanceOf(ClusterException.class).hasMessageContaining("not ready on all 2 node(s) after 1 s")
                .hasMessageContaining("not ready: [node-1: no pod, node-2: no pod]");
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
        assertThatThrownBy(() -> probes.deploy("masq-harness-probe:abc", List.of("node-1"), Duration.ofSeconds(1)))
                .isInstanceOf(ClusterException.class).hasMessageContaining("FailedCreate events of masq-probe")
                .hasMessageContaining("violates PodSecurity");
        assertThat(client.namespaces().withName("masq-harness-5678").get().getMetadata().getLabels())
                .containsEntry("pod-security.kubernetes.io/enforce", "privileged")
                .containsEntry("pod-security.kubernetes.io/audit", "privileged")
                .containsEntry("pod-security.kubernetes.io/warn", "privileged");
        probes.remove();
    }

    /** A probe pod as the kubelet reports it on a dual-stack cluster: podIP the first family, podIPs both (IPv4 first). */
    void probePod(String name, String app, String node, String hostIp, String... podIps) {
        client.pods().inNamespace("masq-harness-6").resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                .withName(name).withNamespace("masq-harness-6").addToLabels("app", app).endMetadata()
                .withNewSpec().withNodeName(node).endSpec()
                .withNewStatus().withHostIP(hostIp).withPodIP(podIps[0])
                .withPodIPs(java.util.Arrays.stream(podIps).map(io.fabric8.kubernetes.api.model.PodIP::new).toList()).endStatus().build())
                .create();
    }

    @Test
    void onADualStackClusterPodsAndNodesCarryTheirIpv6Addresses() {
        probePod("masq-probe-a", ProbeWorkload.NAME, "node-1", "192.168.5.11", "10.42.0.7", "fd00:42::7");
        probePod("masq-probe-host-a", ProbeWorkload.HOST_NAME, "node-1", "192.168.5.11", "192.168.5.11", "fd00:28::11");
        ProbeWorkload probes = new ProbeWorkload(client, "masq-harness-6", progress::add);
        var nodes = List.of(new KubeNode("node-1", "192.168.5.11", java.util.Optional.empty(),
                java.util.Optional.of(io.masqharness.net.Ipv6.parse("fd00:28::11")), java.util.Optional.empty()));

        var pod = probes.probePods(true).get(0);
        assertThat(pod.ipv6()).hasValue(io.masqharness.net.Ipv6.parse("fd00:42::7"));
        assertThat(pod.host().ipv6()).as("flows start from the pod's own IPv6").isEqualTo(pod.ipv6());
        assertThat(pod).hasToString("masq-probe-a (10.42.0.7, fd00:42::7 on node-1)");
        var node = probes.nodeHosts(nodes, true).get(0);
        assertThat(node.name()).isEqualTo("node-1");
        assertThat(node.ipv6()).as("the node's IPv6 InternalIP").hasValue(io.masqharness.net.Ipv6.parse("fd00:28::11"));

        assertThat(probes.probePods(false).get(0).ipv6()).as("IPv6 not probed: IPv4 only").isEmpty();
        assertThat(probes.nodeHosts(nodes, false).get(0).ipv6()).isEmpty();
    }

    @Test
    void aPodWithoutAnIpv6AddressOnADualStackClusterIsNamed() {
        probePod("masq-probe-b", ProbeWorkload.NAME, "node-2", "192.168.5.12", "10.42.1.9");
        ProbeWorkload probes = new ProbeWorkload(client, "masq-harness-6", progress::add);
        assertThatThrownBy(() -> probes.probePods(true)).isInstanceOf(ClusterException.class)
                .hasMessageContaining("masq-harness-6/masq-probe-b").hasMessageContaining("status.podIPs is [10.42.1.9]")
                .hasMessageContaining("gave this pod no IPv6 address");
    }

    @Test
    void theHostProbesCaptureIcmpv6EchoButNotNeighbourDiscovery() {
        var command = ProbeWorkload.hostDaemonSet("ns", "img", List.of("node-1")).getSpec().getTemplate().getSpec().getContainers().get(0)
                .getCommand();
        assertThat(command.get(2)).contains("tcpdump -i \"$DEV\" -n -l --immediate-mode 'icmp or (icmp6 and (ip6[40] == 128 or ip6[40] == 129))'"
                + " > /tmp/icmp.log");
    }

    /**
     * Review 2, N3: nodes of real clusters have ens5, bond0, ...; the capture listens on the device
     * that holds the node's InternalIP (the Downward API's status.hostIP), and a capture that did
     * not start keeps the pod unready instead of leaving an empty log (HostProbeCaptureIT runs it).
     */
    @Test
    void theNodeCaptureListensOnTheDeviceHoldingTheNodesAddressAndIsReadyOnlyOnceListening() {
        var container = ProbeWorkload.hostDaemonSet("ns", "img", List.of("node-1")).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getCommand().get(2)).doesNotContain("eth0").contains("$HOST_IP").contains("> /tmp/icmp.device")
                .endsWith("exec probe serve --tcp-port 7000 --udp-port 7001 --max-seconds 7200");
        assertThat(container.getEnv()).singleElement().satisfies(e -> {
            assertThat(e.getName()).isEqualTo("HOST_IP");
            assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("status.hostIP");
        });
        assertThat(container.getReadinessProbe().getExec().getCommand()).containsExactly("sh", "-c", "grep -q 'listening on' /tmp/icmp.log.err");
    }

    /** Review 2, N9: the probes go exactly where Cilium's agents run, Linux only, past every taint (as Cilium's agent does). */
    @Test
    void theProbesGoOnlyWhereCiliumRunsWhateverTheTaints() {
        var spec = ProbeWorkload.daemonSet("ns", "img", List.of("cp-1", "worker-1")).getSpec().getTemplate().getSpec();
        assertThat(spec.getNodeSelector()).containsExactly(java.util.Map.entry("kubernetes.io/os", "linux"));
        assertThat(spec.getTolerations()).singleElement().satisfies(t -> {
            assertThat(t.getOperator()).isEqualTo("Exists");
            assertThat(t.getKey()).isNull();
        });
        var field = spec.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms().get(0)
                .getMatchFields().get(0);
        assertThat(field.getKey()).isEqualTo("metadata.name");
        assertThat(field.getValues()).containsExactly("cp-1", "worker-1");
    }
}
