package io.masqharness.cluster.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.cluster.ModeCheck;
import io.masqharness.cluster.Pod;
import io.masqharness.conformance.Backends;
import io.masqharness.net.Cidr6;
import io.masqharness.net.Ipv6;
import io.masqharness.probe.IcmpEcho;
import io.masqharness.probe.ProbeImage;
import io.masqharness.probe.Probes;
import io.masqharness.probe.SnatAnswer;
import io.masqharness.scenario.CiliumSpec;
import io.masqharness.scenario.ClusterSpec;
import io.masqharness.scenario.ModeSpec;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioFacts;
import io.masqharness.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/**
 * Real IPv6 packets through the lab's reference datapath, with the IPv6 plan given by hand and the
 * expected sources written from the facts (research note cilium-1.13-ipv6.md), not from the oracle:
 * in iptables mode ip6tables masquerades a pod's IPv6 to its node's for TCP, UDP and ICMPv6 echo; in
 * BPF mode with {@code enableIPv6Masquerade=false} the pod's IPv6 leaves as it is; to a pod on the
 * other node it keeps the pod's IPv6 in both. Nothing is left in Docker and the host's IPv6
 * forwarding is untouched.
 */
class LabIpv6DatapathIT {

    static final Ipv6 NODE_1 = Ipv6.parse("fd00:172:29::11");
    static final Ipv6 EXTERNAL = Ipv6.parse("fd00:172:29::100");
    static final Ipv6 PUBLIC = Ipv6.parse("fd00:198:20::10");
    static final LabIpv6 PLAN = new LabIpv6(Cidr6.parse("fd00:172:29::/64"), List.of(NODE_1, Ipv6.parse("fd00:172:29::12")),
            List.of(Cidr6.parse("fd00:10:44::/64"), Cidr6.parse("fd00:10:44:1::/64")), EXTERNAL, List.of(PUBLIC));
    static final Duration STEP = Duration.ofSeconds(20);

    @Test
    void ipv6LeavesWithTheNodesAddressInIptablesModeAndThePodsInBpfMode() throws Exception {
        Scenario loaded = new ScenarioLoader().load(Path.of("src/test/resources/scenarios/lab-ipv6-datapath.yaml"));
        // Given here, not in the file: the IPv6 plan is the test's, and the loader need not know IPv6 keys for this test.
        Map<String, Object> values = new java.util.LinkedHashMap<>(loaded.cilium().values());
        values.put("ipv6.enabled", true);
        values.put("ipv6NativeRoutingCIDR", "fd00:10:44::/56");
        Scenario scenario = new Scenario(loaded.file(), loaded.name(), loaded.cluster(), new CiliumSpec(loaded.cilium().version(), values),
                loaded.modes(), loaded.destinations(), loaded.probes(), loaded.expect(), loaded.latency());
        Backends.unavailable(scenario, ClusterSpec.Backend.LAB).ifPresent(reason -> Assumptions.abort("lab cannot run here: " + reason));
        String forwardingBefore = hostIpv6Forwarding();
        String runId;
        try (LabCluster lab = LabCluster.start(scenario, ProbeImage.fromProject().resolve(System.out::println), System.out::println,
                Optional.of(PLAN))) {
            runId = lab.runId();
            Pod pod = lab.pods().get(0);
            Pod remote = lab.pods().stream().filter(p -> !p.node().equals(pod.node())).findFirst().orElseThrow();
            String podV6 = pod.ipv6().orElseThrow().toString();
            assertThat(podV6).isEqualTo("fd00:10:44::10");
            assertThat(pod.host().run(STEP, "ip", "-6", "route").stdout()).as("no IPv6 default route in a pod")
                    .doesNotContain("default");
            assertThat(lab.nodes().get(0).run(STEP, "ip", "-6", "route").stdout()).as("nor on a node").doesNotContain("default");

            observe(lab, scenario.mode("iptables"), pod, remote, NODE_1.toString(), 100);
            observe(lab, scenario.mode("bpf"), pod, remote, podV6, 200);
        }
        assertThat(DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of("io.masqharness.run", runId)).exec()).as("containers left by " + runId).isEmpty();
        assertThat(DockerClientFactory.instance().client().listNetworksCmd().exec())
                .noneMatch(n -> runId.equals(n.getLabels() == null ? null : n.getLabels().get("io.masqharness.run")));
        assertThat(hostIpv6Forwarding()).as("the host's net.ipv6.conf.all.forwarding").isEqualTo(forwardingBefore);
    }

    private static void observe(LabCluster lab, ModeSpec mode, Pod pod, Pod remote, String expectedSource, int payload) {
        lab.applyMode(mode);
        List<ModeCheck> checks = lab.verifyMode(mode, ScenarioFacts.agentConfig(lab.scenario(), mode));
        assertThat(checks).filteredOn(c -> c.check().startsWith("ip6tables")).hasSize(2)
                .allSatisfy(c -> assertThat(c.status()).as(c.message()).isEqualTo(ModeCheck.Status.PASSED));
        String remoteV6 = remote.ipv6().orElseThrow().toString();
        Map<String, Map<String, SnatAnswer>> byProtocol = new java.util.LinkedHashMap<>();
        for (String protocol : List.of("tcp", "udp")) {
            Map<String, SnatAnswer> answers = Probes.snat(pod.host(), List.of(PUBLIC.toString(), remoteV6), protocol);
            byProtocol.put(protocol, answers);
            assertThat(answers.get(PUBLIC.toString()).observed()).as("%s %s to %s: %s", mode.name(), protocol, PUBLIC,
                    answers.get(PUBLIC.toString())).containsExactly(expectedSource);
        }
        assertThat(Probes.ping(pod.host(), Map.of(PUBLIC.toString(), payload)).get(PUBLIC.toString()).replied())
                .as("%s ICMPv6 echo reply", mode.name()).isTrue();
        List<String> sources = List.of();
        for (int i = 0; i < 10 && sources.isEmpty(); i++) {
            sources = IcmpEcho.parse(lab.icmpCapture(lab.externalHost())).stream()
                    .filter(e -> e.request() && e.length() == payload + 8).map(IcmpEcho::source).toList();
            sleep();
        }
        assertThat(sources).as("%s: the ICMPv6 echo request's source captured on the external host", mode.name())
                .containsExactly(expectedSource);
        byProtocol.forEach((protocol, answers) -> assertThat(answers.get(remoteV6).observed())
                .as("%s %s to the other node's pod: %s", mode.name(), protocol, answers.get(remoteV6))
                .containsExactly(pod.ipv6().orElseThrow().toString()));
    }

    private static String hostIpv6Forwarding() throws Exception {
        return Files.readString(Path.of("/proc/sys/net/ipv6/conf/all/forwarding")).strip();
    }

    private static void sleep() {
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
