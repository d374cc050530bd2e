package io.masqharness.cluster.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.server.mock.OutputStreamMessage;
import io.fabric8.kubernetes.client.server.mock.StatusStreamMessage;
import io.masqharness.cilium.Golden;
import io.masqharness.cluster.ClusterException;
import io.masqharness.cluster.ExecResult;
import io.masqharness.cluster.Host;
import io.masqharness.cluster.ModeCheck;
import io.masqharness.cluster.Pod;
import io.masqharness.net.Cidr;
import io.masqharness.net.Ipv4;
import io.masqharness.oracle.ClusterFacts;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Right after an agent restart (review 2, N4 and N8): its status may be a transient Warning, the
 * first flows may leave before bpf_host is the new mode's, and its endpoints are regenerated some
 * seconds after it is Ready. Each is taken again, bounded, and judged from the last take. The
 * mock API server answers each exec once the first way, then the settled way.
 */
@EnableKubernetesMockClient(kubernetesClientBuilderCustomizer = VertxPerMockClient.class)
class AgentSettlingTest {

    static final String NS = "kube-system";
    static final String EXEC = "/api/v1/namespaces/kube-system/pods/cilium-abc/exec?";
    static final String STREAMS = "container=cilium-agent&stdout=true&stderr=true";
    static final AgentSettling.Bounds SHORT = new AgentSettling.Bounds(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofMillis(50));
    static final String HOST_REGENERATING = """
            [{"id": 1803, "status": {"state": "regenerating", "identity": {"id": 1, "labels": ["reserved:host"]}}},
             {"id": 912, "status": {"state": "restoring", "identity": {"id": 4, "labels": ["reserved:health"]}}}]""";
    static final String ALL_READY = """
            [{"id": 1803, "status": {"state": "ready", "labels": {"security-relevant": ["reserved:host"]}}},
             {"id": 912, "status": {"state": "ready", "identity": {"id": 4, "labels": ["reserved:health"]}}}]""";

    KubernetesMockServer server;
    KubernetesClient client;
    final List<String> probes = new ArrayList<>();
    final List<String> progress = new ArrayList<>();

    @BeforeEach
    void anAgentOnNodeOne() {
        var agent = new PodBuilder().withNewMetadata().withName("cilium-abc").withNamespace(NS).addToLabels("k8s-app", "cilium")
                .endMetadata().withNewSpec().withNodeName("node-1").addNewContainer().withName("cilium-agent").endContainer().endSpec().build();
        server.expect().get().withPath("/api/v1/namespaces/kube-system/pods/cilium-abc").andReturn(200, agent).always();
        server.expect().get().withPath("/api/v1/namespaces/kube-system/pods?labelSelector=k8s-app%3Dcilium")
                .andReturn(200, new PodListBuilder().addToItems(agent).build()).always();
    }

    void exec(String command, String stdout, int exit, boolean once) {
        var e = server.expect().get().withPath(EXEC + command + STREAMS).andUpgradeToWebSocket()
                .open(new OutputStreamMessage(stdout), new StatusStreamMessage(exit)).done();
        if (once) {
            e.once();
        } else {
            e.always();
        }
    }

    CiliumKube kube() {
        return new CiliumKube(client, NS, "cilium", false, progress::add, Clock.systemUTC());
    }

    List<ModeCheck> verifyBpf() {
        Host host = new Host() {
            public String name() {
                return "probe-1";
            }

            public Ipv4 ip() {
                return Ipv4.parse("10.42.0.23");
            }

            public ExecResult exec(Duration timeout, String... command) {
                probes.add(String.join(" ", command));
                return new ExecResult(0, "", "");
            }
        };
        var facts = new ClusterFacts(List.of(new ClusterFacts.Node("node-1", Ipv4.parse("172.28.0.11"), Cidr.parse("10.42.0.0/24"), "eth0")));
        return CiliumModeChecks.verifyAll(kube(), facts, List.of(new Pod("probe-1", "node-1", Ipv4.parse("10.42.0.23"), host)),
                CiliumCaptureChecksTest.BPF, List.of(Ipv4.parse("198.20.0.10")), Duration.ofSeconds(5), SHORT);
    }

    void settledAgent() {
        exec("command=iptables-save&command=-t&command=nat&", Golden.read("iptables-save-nat-bpf-mode.txt"), 0, false);
        server.expect().get().withPath("/api/v1/nodes").andReturn(200, new io.fabric8.kubernetes.api.model.NodeListBuilder().addNewItem()
                .withNewMetadata().withName("node-1").endMetadata().endItem().build()).always();
    }

    /** N8: `cilium status` exits 1 while a probe is stale; a Warning that clears within the bound is not a failed mode. */
    @Test
    void aTransientWarningIsTakenAgainAndTheHealthJudgedFromTheLastStatus() {
        exec("command=cilium&command=status&", Golden.read("cilium-status-bpf.txt").replaceFirst("Cilium:(\\s+)Ok",
                "Cilium:$1Warning   Stale status data"), 1, true);
        exec("command=cilium&command=status&", Golden.read("cilium-status-bpf.txt"), 0, false);
        exec("command=cilium&command=bpf&command=nat&command=list&", Golden.read("cilium-bpf-nat-list.txt"), 0, false);
        settledAgent();
        List<ModeCheck> checks = verifyBpf();
        assertThat(checks).filteredOn(c -> c.check().equals(CiliumModeChecks.HEALTH_CHECK)).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(ModeCheck.Status.PASSED);
            assertThat(c.message()).contains("(after 2 attempts over");
        });
    }

    /** N4: the first flow after the restart left without its SNAT entry; the next, after bpf_host was regenerated, has it. */
    @Test
    void theNatEntryCheckFlowsAgainUntilTheEntryIsThere() {
        exec("command=cilium&command=status&", Golden.read("cilium-status-bpf.txt"), 0, false);
        exec("command=cilium&command=bpf&command=nat&command=list&", "", 0, true);
        exec("command=cilium&command=bpf&command=nat&command=list&", Golden.read("cilium-bpf-nat-list.txt"), 0, false);
        settledAgent();
        List<ModeCheck> checks = verifyBpf();
        assertThat(checks).filteredOn(c -> c.check().equals(CiliumModeChecks.NAT_CHECK)).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(ModeCheck.Status.PASSED);
            assertThat(c.message()).contains("(after 2 flows over");
        });
        assertThat(probes).hasSize(2);
    }

    @Test
    void aNatEntryThatNeverComesFailsAfterTheBoundNamingTheFlows() {
        exec("command=cilium&command=status&", Golden.read("cilium-status-bpf.txt"), 0, false);
        exec("command=cilium&command=bpf&command=nat&command=list&", "", 0, false);
        settledAgent();
        assertThat(verifyBpf()).filteredOn(c -> c.check().equals(CiliumModeChecks.NAT_CHECK)).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(ModeCheck.Status.FAILED);
            assertThat(c.message()).startsWith("no SNAT entry for 10.42.0.23 -> 198.20.0.10:7000 after a flow (after ");
        });
        assertThat(probes.size()).as("flows within the 2 s bound, 50 ms apart").isGreaterThan(2);
    }

    /** N4: a switch is over when every endpoint, the host's included, is regenerated, not when the agents are Ready. */
    @Test
    void aSwitchWaitsUntilTheHostEndpointIsRegenerated() {
        exec("command=cilium&command=endpoint&command=list&command=-o&command=json&", HOST_REGENERATING, 0, true);
        exec("command=cilium&command=endpoint&command=list&command=-o&command=json&", ALL_READY, 0, false);
        kube().awaitEndpointsRegenerated(Duration.ofSeconds(20));
        assertThat(progress).singleElement().asString().startsWith("every endpoint of the 1 agent(s), the host's included, regenerated");
    }

    /**
     * N4 through the switch itself: {@link ModeSwitch#apply} is over when the restarted agents' endpoints are
     * regenerated, not when the rollout is complete. The agent lists its host endpoint regenerating once, then ready.
     */
    @Test
    void aModeSwitchIsOverOnlyWhenTheRestartedAgentsEndpointsAreRegenerated() {
        var rolledOut = new DaemonSetBuilder().withNewMetadata().withName("cilium").withNamespace(NS).withGeneration(2L).endMetadata()
                .withNewSpec().withNewTemplate().withNewMetadata().endMetadata().endTemplate().endSpec().withNewStatus()
                .withObservedGeneration(2L).withDesiredNumberScheduled(1).withUpdatedNumberScheduled(1).withNumberReady(1)
                .withNumberUnavailable(0).endStatus().build();
        server.expect().get().withPath("/apis/apps/v1/namespaces/kube-system/daemonsets/cilium").andReturn(200, rolledOut).always();
        server.expect().patch().withPath("/apis/apps/v1/namespaces/kube-system/daemonsets/cilium").andReturn(200, rolledOut).always();
        exec("command=cilium&command=endpoint&command=list&command=-o&command=json&", HOST_REGENERATING, 0, true);
        exec("command=cilium&command=endpoint&command=list&command=-o&command=json&", ALL_READY, 0, false);
        List<Map<String, Object>> upgrades = new ArrayList<>();
        ModeSwitch.Release release = new ModeSwitch.Release() {
            public String release() {
                return "cilium";
            }

            public String chartSource() {
                return "cilium/cilium 1.13.4";
            }

            public void upgradeReusingValues(Map<String, Object> values, Duration bound) {
                upgrades.add(values);
            }
        };
        var kube = new CiliumKube(client, NS, "cilium", true, progress::add, Clock.systemUTC());

        new ModeSwitch(release, kube, progress::add).apply("mode bpf", Map.of("bpf.masquerade", true),
                new ModeSwitch.IpMasqAgentStep.Leave("the chart renders it"), Duration.ofMinutes(1), Duration.ofMinutes(1));

        assertThat(upgrades).containsExactly(Map.of("bpf.masquerade", true));
        assertThat(progress).hasSizeGreaterThan(2);
        assertThat(progress.get(progress.size() - 2)).startsWith("DaemonSet kube-system/cilium rolled out in ");
        String last = progress.get(progress.size() - 1);
        assertThat(last).startsWith("every endpoint of the 1 agent(s), the host's included, regenerated (ready) after ");
        assertThat(Double.parseDouble(last.replaceFirst("^.* after ([0-9.,]+) s$", "$1").replace(',', '.')))
                .as("seconds waited: the host endpoint was listed regenerating first, and is listed again 2 s later").isGreaterThanOrEqualTo(2.0);
    }

    @Test
    void endpointsThatAreNeverRegeneratedFailTheSwitchNamingThem() {
        exec("command=cilium&command=endpoint&command=list&command=-o&command=json&", HOST_REGENERATING, 0, false);
        assertThatThrownBy(() -> kube().awaitEndpointsRegenerated(Duration.ofSeconds(1))).isInstanceOf(ClusterException.class)
                .hasMessageContaining("node-1 (cilium-abc)").hasMessageContaining("not every endpoint is ready after 1 s")
                .hasMessageContaining("host endpoint 1803 regenerating, endpoint 912 restoring");
    }

    @Test
    void whatTheEndpointListSaysIsReadAsTheApiModelWritesIt() {
        assertThat(AgentEndpoints.parse(ALL_READY).regenerated()).isTrue();
        assertThat(AgentEndpoints.parse(HOST_REGENERATING).regenerated()).isFalse();
        assertThat(AgentEndpoints.parse("[{\"id\": 1, \"status\": {\"state\": \"ready\"}}]").pending())
                .isEqualTo("no host endpoint (reserved:host) listed yet");
        assertThat(AgentEndpoints.parse("Error: cannot connect").pending()).startsWith("not JSON: Error: cannot connect");
        assertThat(AgentEndpoints.parse("[]").regenerated()).isFalse();
    }
}
