package io.masqharness.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.masqharness.net.Cidr;
import io.masqharness.oracle.IpMasqAgentFile;
import io.masqharness.oracle.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ScenarioLoaderTest {

    static final String VALID = """
            name: t
            cluster: {backend: lab, nodes: 2, network: {subnet: 172.28.0.0/24}, podCIDR: 10.42.0.0/16}
            cilium: {version: 1.13.4, values: {tunnel: disabled, ipv4NativeRoutingCIDR: 10.42.0.0/16, kubeProxyReplacement: strict}}
            modes:
              - {name: iptables, values: {bpf.masquerade: false, ipMasqAgent.enabled: false}}
              - name: agent
                values: {bpf.masquerade: true, ipMasqAgent.enabled: true}
                ipMasqAgentConfig: {nonMasqueradeCIDRs: [10.0.0.0/8], masqLinkLocal: true}
            destinations:
              - {name: public, ip: 198.20.0.10}
            """;

    @TempDir
    Path dir;

    Path write(String content) throws IOException {
        Path file = dir.resolve("scenario.yaml");
        Files.writeString(file, content);
        return file;
    }

    Scenario load(String content) throws IOException {
        return new ScenarioLoader().load(write(content));
    }

    @Test
    void loadsTheContractWithDefaults() throws IOException {
        Scenario s = load(VALID);
        assertThat(s.cluster().backend()).isEqualTo(ClusterSpec.Backend.LAB);
        assertThat(s.cluster().k3sImage()).isEqualTo("rancher/k3s:v1.26.6-k3s1");
        assertThat(s.cluster().nodes()).extracting(NodeSpec::name).containsExactly("node-1", "node-2");
        assertThat(s.cluster().nodes().get(1).podCidr()).isEqualTo(Cidr.parse("10.42.1.0/24"));
        assertThat(s.cluster().nodes().get(1).ip()).hasToString("172.28.0.12");
        assertThat(s.probes()).containsExactly(Protocol.TCP, Protocol.UDP, Protocol.ICMP_ECHO);
        assertThat(s.mode("agent").ipMasqAgentConfig()).contains(
                new IpMasqAgentFile.Present(List.of(Cidr.parse("10.0.0.0/8")), true));
        assertThat(s.mode("iptables").ipMasqAgentConfig()).isEmpty();
        assertThat(s.mode("agent").values()).containsEntry("bpf.masquerade", true);
        assertThat(s.cilium().values()).containsEntry("tunnel", "disabled");
    }

    @Test
    void nestedAndDottedHelmValuesFlattenAlike() throws IOException {
        Scenario s = load(VALID.replace("{bpf.masquerade: false,", "{bpf: {masquerade: false},"));
        assertThat(s.mode("iptables").values()).containsEntry("bpf.masquerade", false);
    }

    @Test
    void emptyConfigMappingIsAnEmptyButPresentConfig() throws IOException {
        Scenario s = load(VALID.replace("{nonMasqueradeCIDRs: [10.0.0.0/8], masqLinkLocal: true}", "{}"));
        assertThat(s.mode("agent").ipMasqAgentConfig()).contains(new IpMasqAgentFile.Present(List.of(), false));
    }

    @Test
    void explicitNodesAndLatency() throws IOException {
        Scenario s = load(VALID.replace("nodes: 2", "nodes: [{name: a, ip: 172.28.0.50, podCIDR: 10.42.9.0/24}]")
                + "latency: {kinds: [udp-rr], rate: 100, duration: 500ms, trials: 4, regression: {minEffect: 2.5%, alpha: 0.05, gate: [p99]}}\n");
        assertThat(s.cluster().nodes()).containsExactly(new NodeSpec("a", io.masqharness.net.Ipv4.parse("172.28.0.50"),
                Cidr.parse("10.42.9.0/24")));
        assertThat(s.latency()).hasValueSatisfying(l -> {
            assertThat(l.duration()).isEqualTo(Duration.ofMillis(500));
            assertThat(l.minEffect()).isEqualTo(0.025);
            assertThat(l.kinds()).containsExactly("udp-rr");
            assertThat(l.trials()).isEqualTo(4);
            assertThat(l.alpha()).isEqualTo(0.05);
            assertThat(l.gate()).containsExactly("p99");
        });
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                bad("unknown top-level key", VALID + "destinatons: []\n",
                        "destinatons: unknown key 'destinatons' (did you mean 'destinations'?)"),
                bad("unknown cluster key", VALID.replace("nodes: 2", "nodse: 2"),
                        "cluster.nodse: unknown key 'nodse' (did you mean 'nodes'?)"),
                bad("CIDR with host bits in ip-masq-agent config", VALID.replace("[10.0.0.0/8]", "[10.1.0.0/8]"),
                        "modes[1].ipMasqAgentConfig.nonMasqueradeCIDRs[0]: found \"10.1.0.0/8\", expected an IPv4 CIDR",
                        "did you mean 10.0.0.0/8?"),
                bad("prefix length out of range", VALID.replace("[10.0.0.0/8]", "[10.0.0.0/33]"),
                        "modes[1].ipMasqAgentConfig.nonMasqueradeCIDRs[0]", "prefix length 33 > 32"),
                bad("IPv6 where IPv4 is required", VALID.replace("[10.0.0.0/8]", "[\"fd00::/8\"]"),
                        "nonMasqueradeCIDRs[0]", "IPv6 CIDR; an IPv4 CIDR is required"),
                bad("wrong type for masqLinkLocal", VALID.replace("masqLinkLocal: true", "masqLinkLocal: maybe"),
                        "modes[1].ipMasqAgentConfig.masqLinkLocal: found \"maybe\", expected true or false"),
                bad("unknown backend", VALID.replace("backend: lab", "backend: kind"),
                        "cluster.backend: found \"kind\", expected one of [k3s, kubeconfig, lab]"),
                bad("node count as text", VALID.replace("nodes: 2", "nodes: two"),
                        "cluster.nodes: found \"two\", expected a node count 1..10 or a list of {name, ip, podCIDR}"),
                bad("too many nodes", VALID.replace("nodes: 2", "nodes: 50"),
                        "cluster.nodes: found 50, expected a node count, a whole number 1..10"),
                bad("pod CIDR overlapping node network", VALID.replace("podCIDR: 10.42.0.0/16", "podCIDR: 172.28.0.0/16"),
                        "cluster.podCIDR: pod CIDR 172.28.0.0/16 overlaps the node network 172.28.0.0/24"),
                bad("duplicate mode names", VALID.replace("name: agent", "name: iptables"),
                        "modes[1].name: mode name 'iptables' is used twice"),
                bad("missing modes", VALID.substring(0, VALID.indexOf("modes:")) + "destinations: [{name: p, ip: 198.20.0.10}]\n",
                        "modes: missing, expected a list of modes"),
                bad("destination inside pod CIDR", VALID.replace("198.20.0.10", "10.42.3.4"),
                        "destinations[0].ip: destination 10.42.3.4 is inside the pod CIDR 10.42.0.0/16"),
                bad("destination IPv6", VALID.replace("198.20.0.10", "\"2001:db8::1\""),
                        "destinations[0].ip: found \"2001:db8::1\", expected an IPv4 address", "IPv6"),
                bad("unknown probe", VALID + "probes: [tcp, udpp]\n",
                        "probes[1]: found \"udpp\", expected tcp, udp, sctp, icmp-echo", "(did you mean 'udp'?)"),
                bad("Helm value typo", VALID.replace("{bpf.masquerade: false,", "{bpf.masqurade: false,"),
                        "modes[0].values.bpf.masqurade: unknown Helm value 'bpf.masqurade' (did you mean 'bpf.masquerade'?)"),
                bad("Helm boolean as text", VALID.replace("{bpf.masquerade: false,", "{bpf.masquerade: nope,"),
                        "modes[0].values.bpf.masquerade: found \"nope\", expected true or false"),
                bad("bad tunnel", VALID.replace("tunnel: disabled", "tunnel: ipip"),
                        "cilium.values.tunnel: found \"ipip\", expected vxlan, geneve or disabled"),
                bad("K3s version with plus", VALID.replace("backend: lab", "backend: lab, k3sImage: rancher/k3s:v1.26.6+k3s1"),
                        "cluster.k3sImage", "tagged rancher/k3s:v1.26.6-k3s1"),
                bad("Cilium version of no supported line", VALID.replace("version: 1.13.4", "version: 1.17.0"),
                        "cilium.version: found \"1.17.0\", expected a Cilium version of a supported line: 1.13.x, 1.14.x,"
                                + " 1.15.x or 1.16.x"),
                bad("duration without unit", VALID + "latency: {duration: 10}\n",
                        "latency.duration: found 10, expected a duration from 100ms to 1h", "a unit is required"),
                bad("negative rate", VALID + "latency: {rate: -5}\n",
                        "latency.rate: found -5, expected requests per second, a whole number 1..100000"),
                bad("absurd duration", VALID + "latency: {duration: 48h}\n",
                        "latency.duration: found \"48h\", expected a duration from 100ms to 1h"),
                bad("expect with unknown mode", VALID + "expect: [{mode: ebpf, to: public, protocol: tcp, source: node-ip}]\n",
                        "expect[0].mode: found \"ebpf\", expected a mode name: [iptables, agent]"),
                bad("expect with unknown source", VALID + "expect: [{mode: agent, to: public, protocol: tcp, source: host-ip}]\n",
                        "expect[0].source: found \"host-ip\", expected node-ip, pod-ip or dropped"),
                bad("expect from the host network", VALID + "expect: [{mode: agent, from: node, to: public, protocol: tcp, source: node-ip}]\n",
                        "expect[0].from: found \"node\", expected pod or pod:NODE with NODE one of [node-1, node-2]: flows are probed"
                                + " from pods only"),
                bad("expect from a named node's host network", VALID + "expect: [{mode: agent, from: node:node-2, to: public, protocol: tcp,"
                        + " source: node-ip}]\n", "expect[0].from: found \"node:node-2\", expected pod or pod:NODE"),
                bad("expect router-ip", VALID + "expect: [{mode: agent, to: public, protocol: tcp, source: router-ip}]\n",
                        "expect[0].source: found \"router-ip\", expected node-ip, pod-ip or dropped: router-ip is the source of"
                                + " host-network flows"),
                bad("expect to the source's own node", VALID + "expect: [{mode: agent, from: pod:node-2, to: pod:node-2, protocol: tcp,"
                        + " source: pod-ip}]\n", "expect[0].to: found \"pod:node-2\", expected a destination, or another node than"
                        + " the source's own node-2"),
                bad("expect to the first node from a pod of it", VALID + "expect: [{mode: agent, to: node:node-1, protocol: tcp,"
                        + " source: pod-ip}]\n", "expect[0].to: found \"node:node-1\"", "own node-1"),
                bad("expect a protocol that is not probed", VALID + "probes: [tcp, udp]\nexpect: [{mode: agent, to: public,"
                        + " protocol: icmp-echo, source: node-ip}]\n",
                        "expect[0].protocol: found \"icmp-echo\", expected one of the protocols this scenario probes, [tcp, udp]"),
                bad("expect a protocol no probe sends", VALID + "probes: [tcp, sctp]\nexpect: [{mode: agent, to: public,"
                        + " protocol: sctp, source: pod-ip}]\n",
                        "expect[0].protocol: found \"sctp\", expected one of the protocols this scenario probes, [tcp]"),
                bad("too few trials for alpha", VALID + "latency: {trials: 3, regression: {alpha: 0.01}}\n",
                        "latency.trials: found 3 trials per mode, expected at least 5 for alpha 0.01: with 3 trials against 3 the"
                                + " exact Mann-Whitney U test cannot go below p = 0.1, so no regression could ever be found"),
                bad("default trials too few for a strict alpha", VALID + "latency: {regression: {alpha: 0.001}}\n",
                        "latency.trials: the default of 5 trials per mode, expected at least 7 for alpha 0.001"),
                bad("gate of an unknown metric", VALID + "latency: {regression: {gate: [p50, p95]}}\n",
                        "latency.regression.gate[1]: found \"p95\", expected one of [p50, p99, goodput, retransmits]"),
                bad("gate listing a metric twice", VALID + "latency: {regression: {gate: [p50, p50]}}\n",
                        "latency.regression.gate[1]: metric 'p50' is listed twice"),
                bad("empty gate", VALID + "latency: {regression: {gate: []}}\n",
                        "latency.regression.gate: found a list, expected at least one metric"),
                bad("config given twice", VALID.replace("ipMasqAgent.enabled: true}", "ipMasqAgent.enabled: true, ipMasqAgent.config.masqLinkLocal: true}"),
                        "modes[1].ipMasqAgentConfig: the ip-masq-agent config is given twice"),
                bad("duplicate key", VALID + "name: again\n", "is not valid YAML", "Duplicate field 'name'"),
                bad("not a mapping", "- just\n- a list\n", "found a list at the top level, expected a mapping"),
                bad("empty file", "  \n", "is empty, expected a scenario with at least name, modes and destinations"),
                bad("broken YAML", "name: [unclosed\n", "is not valid YAML at line"),
                bad("node outside network", VALID.replace("nodes: 2", "nodes: [{name: a, ip: 10.9.9.9}]"),
                        "cluster.nodes[0].ip: node IP 10.9.9.9 is outside the node network 172.28.0.0/24"),
                bad("overlapping node pod CIDRs", VALID.replace("nodes: 2",
                                "nodes: [{name: a, podCIDR: 10.42.0.0/24}, {name: b, podCIDR: 10.42.0.0/23}]"),
                        "cluster.nodes[1].podCIDR: node pod CIDR 10.42.0.0/23 overlaps a's 10.42.0.0/24"));
    }

    static Arguments bad(String what, String yaml, String... messages) {
        return Arguments.of(what, yaml, messages);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedScenarioNamesFileFieldAndExpectation(String what, String yaml, String[] messages) throws IOException {
        Path file = write(yaml);
        assertThatThrownBy(() -> new ScenarioLoader().load(file))
                .isInstanceOf(ScenarioException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageContainingAll(messages);
    }

    @Test
    void everyProblemIsReportedAtOnce() throws IOException {
        Path file = write(VALID.replace("backend: lab", "backend: kind").replace("198.20.0.10", "1.2.3"));
        assertThatThrownBy(() -> new ScenarioLoader().load(file))
                .isInstanceOfSatisfying(ScenarioException.class, e -> assertThat(e.problems())
                        .extracting(ScenarioException.Problem::path)
                        .containsExactly("cluster.backend", "destinations[0].ip"));
    }

    @Test
    void latencyDefaultsGateBothMetricsWithFiveTrialsAtOnePercent() throws IOException {
        assertThat(load(VALID + "latency: {}\n").latency()).hasValueSatisfying(l -> {
            assertThat(l.trials()).isEqualTo(5);
            assertThat(l.alpha()).isEqualTo(0.01);
            assertThat(l.minEffect()).isEqualTo(0.05);
            assertThat(l.gate()).containsExactly("p50", "p99");
            assertThat(l.kinds()).containsExactly("tcp-rr", "tcp-crr");
            assertThat(l.rate()).isEqualTo(1000);
            assertThat(l.duration()).isEqualTo(Duration.ofSeconds(10));
        });
        assertThat(load(VALID + "latency: {trials: 3, regression: {alpha: 0.1}}\n").latency())
                .as("3 a side reach p = 0.1 exactly").hasValueSatisfying(l -> assertThat(l.trials()).isEqualTo(3));
    }

    @Test
    void binaryJunkAndHugeFilesAreRejectedBeforeParsing() throws IOException {
        Path junk = dir.resolve("junk.yaml");
        Files.write(junk, new byte[] {0x7f, 'E', 'L', 'F', 0, 1, 2});
        assertThatThrownBy(() -> new ScenarioLoader().load(junk)).hasMessageContaining("binary data");
        Path huge = dir.resolve("huge.yaml");
        Files.writeString(huge, "# " + "x".repeat((int) ScenarioLoader.MAX_BYTES));
        assertThatThrownBy(() -> new ScenarioLoader().load(huge)).hasMessageContaining("a scenario is at most");
        assertThatThrownBy(() -> new ScenarioLoader().load(dir.resolve("missing.yaml"))).hasMessageEndingWith("does not exist");
    }

    @Test
    void shippedScenariosLoad() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("scenarios"))) {
            List<Path> yamls = files.filter(p -> p.toString().endsWith(".yaml")).toList();
            assertThat(yamls).extracting(p -> p.getFileName().toString())
                    .contains("masquerade-toggle.yaml", "ip-masq-agent.yaml", "lab.yaml");
            for (Path p : yamls) {
                Scenario s = new ScenarioLoader().load(p);
                var upgrade = ScenarioUpgrade.of(s);
                for (ModeSpec mode : s.modes()) {
                    if (upgrade.isPresent()) {
                        // an upgrade scenario may show a mode the starting release refuses: it must run after the upgrade
                        ModeSpec after = upgrade.get().after().mode(ScenarioUpgrade.afterName(mode.name(), upgrade.get().to()));
                        assertThat(ScenarioFacts.agentConfig(upgrade.get().after(), after)).as("%s mode %s after the upgrade", p, mode.name())
                                .isNotNull();
                    } else {
                        assertThat(ScenarioFacts.agentConfig(s, mode)).as("%s mode %s", p, mode.name()).isNotNull();
                    }
                }
            }
        }
    }
}
