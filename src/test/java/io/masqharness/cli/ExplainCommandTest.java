package io.masqharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplainCommandTest extends ConsoleCapturingTest {


    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void jsonAnswerHasTheContractFields() throws IOException {
        int status = Main.run("explain", "--scenario", "scenarios/ip-masq-agent.yaml", "--mode", "defaults",
                "--from", "pod:node-2", "--to", "cgnat", "--protocol", "udp", "--json");
        assertThat(status).isZero();
        JsonNode json = new ObjectMapper().readTree(stdout());
        assertThat(json.get("effectiveMode").asText()).isEqualTo("bpf");
        assertThat(json.get("ipMasqAgent").asBoolean()).isTrue();
        assertThat(json.get("source").asText()).isEqualTo("pod-ip");
        assertThat(json.get("reason").asText()).contains("100.64.0.0/10");
    }

    @Test
    void nodeIpAnswerCarriesTheAddress() throws IOException {
        int status = Main.run("explain", "--scenario", "scenarios/masquerade-toggle.yaml", "--mode", "bpf",
                "--from", "pod:node-2", "--to", "public", "--protocol", "icmp-echo", "--json");
        assertThat(status).isZero();
        JsonNode json = new ObjectMapper().readTree(stdout());
        assertThat(json.get("source").asText()).isEqualTo("node-ip");
        assertThat(json.get("sourceAddress").asText()).isEqualTo("172.28.0.12");
    }

    @Test
    void refusedConfigurationExitsWithTwoAndSaysWhy(@TempDir Path dir) throws IOException {
        Path scenario = dir.resolve("s.yaml");
        Files.writeString(scenario, """
                name: refused
                modes: [{name: agent, values: {bpf.masquerade: true, ipMasqAgent.enabled: true}}]
                destinations: [{name: public, ip: 198.20.0.10}]
                """);
        int status = Main.run("explain", "--scenario", scenario.toString(), "--mode", "agent", "--to", "public");
        assertThat(status).isEqualTo(2);
        assertThat(stderr()).contains("would refuse mode 'agent'").contains("BPF ip-masq-agent requires");
    }

    @Test
    void invalidScenarioExitsWithTwoWithoutStackTrace(@TempDir Path dir) throws IOException {
        Path scenario = dir.resolve("s.yaml");
        Files.writeString(scenario, "name: x\nmodes: 3\n");
        int status = Main.run("explain", "--scenario", scenario.toString(), "--matrix");
        assertThat(status).isEqualTo(2);
        assertThat(stderr()).contains("modes: found 3, expected a list of modes").doesNotContain("\tat ");
    }

    @Test
    void badArgumentsExitWithTwo() {
        assertThat(Main.run("explain", "--scenario", "scenarios/lab.yaml", "--mode", "bpf", "--to", "public",
                "--protocol", "gre")).isEqualTo(2);
        assertThat(stderr()).contains("unknown protocol 'gre'");
        assertThat(Main.run("explain", "--scenario", "scenarios/lab.yaml", "--mode", "nope", "--to", "public")).isEqualTo(2);
        assertThat(stderr()).contains("no mode named 'nope'");
        assertThat(Main.run("explain", "--scenario", "scenarios/lab.yaml", "--mode", "bpf")).isEqualTo(2);
    }

    @Test
    void matrixMarksWhatChangesBetweenModes() {
        int status = Main.run("explain", "--scenario", "scenarios/lab.yaml", "--matrix");
        assertThat(status).isZero();
        assertThat(stdout()).contains("mode bpf-ip-masq-agent: BPF (ip-masq-agent)")
                .containsPattern("rfc1918\\s+192\\.168\\.77\\.10\\s+tcp\\s+node-ip\\s+node-ip\\s+pod-ip \\*")
                .containsPattern("pod:node-2\\s+10\\.44\\.1\\.10\\s+udp\\s+pod-ip\\s+pod-ip\\s+pod-ip\\s+pod-ip\\n");
    }
}
