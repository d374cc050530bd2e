package io.masqharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Unattended runs meet bad input: every malformed scenario below makes the command line exit 2 with
 * one clear message naming the file and the field, and no stack trace.
 */
class BadInputTest {

    static final String BASE = """
            name: t
            cluster: {backend: lab, nodes: 2, network: {subnet: 172.28.0.0/24}, podCIDR: 10.42.0.0/16}
            cilium: {version: 1.13.4, values: {tunnel: disabled, ipv4NativeRoutingCIDR: 10.42.0.0/16, kubeProxyReplacement: strict}}
            modes:
              - {name: iptables, values: {bpf.masquerade: false}}
              - {name: agent, values: {bpf.masquerade: true, ipMasqAgent.enabled: true}, ipMasqAgentConfig: {nonMasqueradeCIDRs: [10.0.0.0/8]}}
            destinations: [{name: public, ip: 198.20.0.10}]
            """;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedErr;
    private PrintStream savedOut;

    @TempDir
    Path dir;

    @BeforeEach
    void capture() {
        savedErr = System.err;
        savedOut = System.out;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(savedErr);
        System.setOut(savedOut);
    }

    static String replace(String from, String to) {
        if (!BASE.contains(from)) {
            throw new IllegalArgumentException("the base scenario has no '" + from + "'");
        }
        return BASE.replace(from, to);
    }

    static Arguments bad(String yaml, String field, String expected) {
        return Arguments.of(yaml, field, expected);
    }

    static Stream<Arguments> variants() {
        return Stream.of(
                // wrong types
                bad(replace("name: t", "name: 42"), "name", "expected the scenario's name"),
                bad(replace("name: t", "name: [a]"), "name", "found a list"),
                bad(replace("name: t", "name: Has Spaces"), "name", "lower-case letters"),
                bad(replace("nodes: 2", "nodes: true"), "cluster.nodes", "expected a node count"),
                bad(replace("nodes: 2", "nodes: 2.5"), "cluster.nodes", "a whole number"),
                bad(replace("nodes: 2", "nodes: {a: 1}"), "cluster.nodes", "found a mapping"),
                bad(replace("network: {subnet: 172.28.0.0/24}", "network: 172.28.0.0/24"), "cluster.network", "expected a mapping with subnet"),
                bad(replace("{bpf.masquerade: false}", "[bpf.masquerade]"), "modes[0].values", "expected a mapping of Helm values"),
                bad(replace("destinations: [{name: public, ip: 198.20.0.10}]", "destinations: public"), "destinations", "found \"public\""),
                bad(BASE + "probes: tcp\n", "probes", "expected a list of protocols"),
                bad(BASE + "expect: {mode: agent}\n", "expect", "expected a list of expectations"),
                bad(BASE + "latency: fast\n", "latency", "expected a mapping with kinds"),
                bad(BASE + "latency: {trials: many}\n", "latency.trials", "trials per mode"),
                bad(BASE + "latency: {regression: {alpha: high}}\n", "latency.regression.alpha", "a significance level"),
                bad(replace("ipMasqAgentConfig: {nonMasqueradeCIDRs: [10.0.0.0/8]}", "ipMasqAgentConfig: yes"),
                        "modes[1].ipMasqAgentConfig", "expected a mapping with nonMasqueradeCIDRs"),
                bad(replace("[10.0.0.0/8]", "10.0.0.0/8"), "modes[1].ipMasqAgentConfig.nonMasqueradeCIDRs", "expected a list of IPv4 CIDRs"),
                // unknown keys
                bad(BASE + "nmae: x\n", "nmae", "did you mean 'name'?"),
                bad(replace("backend: lab", "backend: lab, k3simage: x"), "cluster.k3simage", "did you mean 'k3sImage'?"),
                bad(replace("{name: iptables,", "{nme: iptables, name: iptables,"), "modes[0].nme", "did you mean 'name'?"),
                bad(replace("{name: public, ip: 198.20.0.10}", "{name: public, ipp: 198.20.0.10, ip: 198.20.0.10}"), "destinations[0].ipp", "did you mean 'ip'?"),
                bad(replace("nonMasqueradeCIDRs: [10.0.0.0/8]", "nonMasqueradeCIDR: [10.0.0.0/8]"), "modes[1].ipMasqAgentConfig.nonMasqueradeCIDR",
                        "did you mean 'nonMasqueradeCIDRs'?"),
                bad(replace("version: 1.13.4,", "versoin: 1.13.4,"), "cilium.versoin", "did you mean 'version'?"),
                bad(BASE + "latency: {rtae: 10}\n", "latency.rtae", "did you mean 'rate'?"),
                bad(replace("{bpf.masquerade: false}", "{ipMasqAgent.enabld: false}"), "modes[0].values.ipMasqAgent.enabld", "did you mean 'ipMasqAgent.enabled'?"),
                // bad or overlapping CIDRs
                bad(replace("podCIDR: 10.42.0.0/16", "podCIDR: 10.42.0.0/33"), "cluster.podCIDR", "prefix length 33 > 32"),
                bad(replace("podCIDR: 10.42.0.0/16", "podCIDR: 10.42.0.1/16"), "cluster.podCIDR", "did you mean 10.42.0.0/16?"),
                bad(replace("podCIDR: 10.42.0.0/16", "podCIDR: 10.42.0.0/26"), "cluster.podCIDR", "/24 or wider"),
                bad(replace("podCIDR: 10.42.0.0/16", "podCIDR: 172.28.0.0/16"), "cluster.podCIDR", "overlaps the node network"),
                bad(replace("subnet: 172.28.0.0/24", "subnet: 172.28.0.0/30"), "cluster.network.subnet", "between /8 and /28"),
                bad(replace("subnet: 172.28.0.0/24", "subnet: 172.28.0/24"), "cluster.network.subnet", "four octets"),
                bad(replace("ipv4NativeRoutingCIDR: 10.42.0.0/16", "ipv4NativeRoutingCIDR: 10.42.0.0"), "cilium.values.ipv4NativeRoutingCIDR", "expected ADDRESS/PREFIX"),
                bad(replace("[10.0.0.0/8]", "[10.0.0.0/8, 10.0.0.0/8]"), "modes[1].ipMasqAgentConfig.nonMasqueradeCIDRs[1]", "listed twice"),
                bad(replace("nodes: 2", "nodes: [{name: a, podCIDR: 10.42.0.0/24}, {name: b, podCIDR: 10.42.0.128/25}]"), "cluster.nodes[1].podCIDR", "overlaps a's"),
                bad(replace("nodes: 2", "nodes: [{name: a, podCIDR: 10.99.0.0/24}]"), "cluster.nodes[0].podCIDR", "outside the cluster pod CIDR"),
                // IPv6 where IPv4 is required
                bad(replace("198.20.0.10", "\"2001:db8::10\""), "destinations[0].ip", "IPv6 address"),
                bad(replace("podCIDR: 10.42.0.0/16", "podCIDR: \"fd00::/48\""), "cluster.podCIDR", "IPv6 CIDR"),
                bad(replace("subnet: 172.28.0.0/24", "subnet: \"fd00:1::/64\""), "cluster.network.subnet", "IPv6 CIDR"),
                bad(replace("nodes: 2", "nodes: [{name: a, ip: \"fd00:1::11\"}]"), "cluster.nodes[0].ip", "IPv6 address"),
                // unknown modes or probes
                bad(BASE + "expect: [{mode: bfp, to: public, protocol: tcp, source: node-ip}]\n", "expect[0].mode", "a mode name: [iptables, agent]"),
                bad(BASE + "expect: [{mode: agent, to: nowhere, protocol: tcp, source: node-ip}]\n", "expect[0].to", "a destination name"),
                bad(BASE + "expect: [{mode: agent, from: pod:node-9, to: public, protocol: tcp, source: node-ip}]\n", "expect[0].from", "NODE one of [node-1, node-2]"),
                bad(BASE + "probes: [icmp-999]\n", "probes[0]", "expected tcp, udp, sctp, icmp-echo"),
                bad(BASE + "probes: [gre]\n", "probes[0]", "expected tcp, udp, sctp, icmp-echo"),
                bad(BASE + "latency: {kinds: [tcp_rr]}\n", "latency.kinds[0]", "did you mean 'tcp-rr'?"),
                // negative or absurd durations and rates
                bad(BASE + "latency: {duration: -5s}\n", "latency.duration", "a duration from 100ms to 1h"),
                bad(BASE + "latency: {duration: 10 s}\n", "latency.duration", "a duration from 100ms to 1h"),
                bad(BASE + "latency: {duration: 5d}\n", "latency.duration", "a duration from 100ms to 1h"),
                bad(BASE + "latency: {duration: 10ms}\n", "latency.duration", "a duration from 100ms to 1h"),
                bad(BASE + "latency: {rate: 0}\n", "latency.rate", "a whole number 1..100000"),
                bad(BASE + "latency: {rate: 10000000}\n", "latency.rate", "a whole number 1..100000"),
                bad(BASE + "latency: {trials: 0}\n", "latency.trials", "a whole number 1..100"),
                bad(BASE + "latency: {regression: {minEffect: 150%}}\n", "latency.regression.minEffect", "between 0% and 100%"),
                bad(BASE + "latency: {regression: {minEffect: -5%}}\n", "latency.regression.minEffect", "an effect-size floor"),
                // missing fields
                bad(BASE.replace("name: t\n", ""), "name", "missing, expected the scenario's name"),
                bad(BASE.substring(0, BASE.indexOf("destinations:")), "destinations", "missing, expected a list of destinations"),
                bad(replace("{name: public, ip: 198.20.0.10}", "{name: public}"), "destinations[0].ip", "missing, expected an IPv4 address"),
                bad(BASE + "expect: [{mode: agent, to: public, source: node-ip}]\n", "expect[0].protocol", "missing, expected tcp"),
                bad(replace("modes:\n", "modes: []\nunused:\n"), "modes", "at least one mode"));
    }

    @ParameterizedTest(name = "[{index}] {1}: {2}")
    @MethodSource("variants")
    void malformedScenarioExitsWithTwoNamingFileAndField(String yaml, String field, String expected) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, yaml);
        int status = Main.run("explain", "--scenario", file.toString(), "--matrix");
        String message = err.toString(StandardCharsets.UTF_8);
        assertThat(status).as(message).isEqualTo(2);
        assertThat(message).contains(file + ": " + field + ": ").contains(expected).doesNotContain("\tat ").doesNotContain("Exception");
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of(new byte[0], "is empty"),
                Arguments.of("\n\n   \n".getBytes(StandardCharsets.UTF_8), "is empty"),
                Arguments.of(new byte[] {(byte) 0xff, (byte) 0xfe, 0x41, 0x00, 0x42}, "binary data"),
                Arguments.of(new byte[] {(byte) 0xc3, 0x28, 0x41}, "not UTF-8 text"),
                Arguments.of("name: [unclosed\n".getBytes(StandardCharsets.UTF_8), "is not valid YAML at line"),
                Arguments.of("- a\n- b\n".getBytes(StandardCharsets.UTF_8), "found a list at the top level"),
                Arguments.of("just a string".getBytes(StandardCharsets.UTF_8), "at the top level"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("badFiles")
    void brokenFilesExitWithTwo(byte[] content, String expected) throws Exception {
        Path file = dir.resolve("broken.yaml");
        Files.write(file, content);
        assertThat(Main.run("explain", "--scenario", file.toString(), "--matrix")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(file.toString()).contains(expected).doesNotContain("\tat ");
    }

    static Stream<Arguments> badArguments() {
        return Stream.of(
                Arguments.of(new String[] {"explode"}, "Unmatched argument"),
                Arguments.of(new String[] {"explain"}, "Missing required option: '--scenario=FILE'"),
                Arguments.of(new String[] {"explain", "--scenario", "scenarios/lab.yaml", "--mode", "bpf", "--to", "public", "--protocol", "icmp-x"}, "unknown protocol"),
                Arguments.of(new String[] {"explain", "--scenario", "scenarios/lab.yaml", "--mode", "bpf", "--to", "999.1.1.1"}, "neither a destination name"),
                Arguments.of(new String[] {"explain", "--scenario", "scenarios/lab.yaml", "--mode", "bpf", "--to", "public", "--from", "pod:node-7"}, "no node named 'node-7'"),
                Arguments.of(new String[] {"plan", "--scenario", "scenarios/lab.yaml", "--backend", "kind"}, "Invalid value for option '--backend'"),
                Arguments.of(new String[] {"compare", "nowhere-a", "nowhere-b"}, "does not exist"),
                Arguments.of(new String[] {"compare", "a", "b", "--alpha", "2"}, "--alpha in (0, 0.5]"));
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("badArguments")
    void badArgumentsExitWithTwo(String[] args, String expected) {
        assertThat(Main.run(args)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(expected).doesNotContain("\tat ");
    }
}
