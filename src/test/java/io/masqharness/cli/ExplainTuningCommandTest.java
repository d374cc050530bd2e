package io.masqharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code explain --tuning}: the JSON contract of issue 23, the exit statuses, the kernel. */
class ExplainTuningCommandTest extends ConsoleCapturingTest {

    private static final String SERIES = """
            name: tuning
            cilium:
              version: 1.13.4
              values: {tunnel: disabled, ipv4NativeRoutingCIDR: 10.42.0.0/16, autoDirectNodeRoutes: true, kubeProxyReplacement: strict}
            modes:
              - {name: iptables, values: {bpf.masquerade: false}}
              - {name: bpf, values: {bpf.masquerade: true}}
              - {name: bbr-on-iptables, values: {bpf.masquerade: false, bandwidthManager.enabled: true, bandwidthManager.bbr: true}}
              - {name: bbr, values: {bpf.masquerade: true, bandwidthManager.enabled: true, bandwidthManager.bbr: true}}
            destinations: [{name: public, ip: 198.20.0.10}]
            """;

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static Path scenario(Path dir) throws IOException {
        Path s = dir.resolve("tuning.yaml");
        Files.writeString(s, SERIES);
        return s;
    }

    @Test
    void jsonIsExactlyTheContract(@TempDir Path dir) throws IOException {
        int status = Main.run("explain", "--tuning", "--scenario", scenario(dir).toString(), "--mode", "bpf", "--kernel", "5.15", "--json");
        assertThat(status).isZero();
        JsonNode json = new ObjectMapper().readTree(stdout());
        List<String> fields = new ArrayList<>();
        json.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("mode", "refused", "toggles");
        assertThat(json.get("mode").asText()).isEqualTo("bpf");
        assertThat(json.get("refused").isNull()).isTrue();
        assertThat(json.get("toggles")).hasSize(13);
        for (JsonNode t : json.get("toggles")) {
            List<String> f = new ArrayList<>();
            t.fieldNames().forEachRemaining(f::add);
            assertThat(f).containsExactly("name", "requested", "effective", "outcome", "why");
            assertThat(t.get("outcome").asText()).isIn("on", "off", "fallback", "refused", "ignored");
        }
        JsonNode host = json.get("toggles").get(5);
        assertThat(host.get("name").asText()).isEqualTo("hostRouting");
        assertThat(host.get("effective").asText()).isEqualTo("bpf");
        assertThat(json.get("toggles").get(2).get("why").asText()).contains("until the agents restart");
    }

    /** iptables masquerading → host routing silently legacy (exit 0); with BBR on top the agent refuses (exit 2). */
    @Test
    void legacyHostRoutingIsAFallbackAndBbrOnItIsRefused(@TempDir Path dir) throws IOException {
        Path s = scenario(dir);
        assertThat(Main.run("explain", "--tuning", "--scenario", s.toString(), "--mode", "iptables", "--kernel", "6.2", "--json")).isZero();
        JsonNode host = new ObjectMapper().readTree(stdout()).get("toggles").get(5);
        assertThat(host.get("outcome").asText()).isEqualTo("fallback");
        assertThat(host.get("effective").asText()).isEqualTo("legacy");
        out.reset();
        assertThat(Main.run("explain", "--tuning", "--scenario", s.toString(), "--mode", "bbr-on-iptables", "--kernel", "6.2", "--json"))
                .isEqualTo(2);
        JsonNode json = new ObjectMapper().readTree(stdout());
        assertThat(json.get("refused").asText()).contains("BBR setup requires BPF host routing");
        assertThat(stderr()).contains("would refuse mode 'bbr-on-iptables'");
        out.reset();
        assertThat(Main.run("explain", "--tuning", "--scenario", s.toString(), "--mode", "bbr", "--kernel", "6.2")).isZero();
        assertThat(stdout()).contains("Cilium 1.13.4, kernel 6.2").contains("mode bbr: runs").contains("bbr");
        assertThat(Main.run("explain", "--tuning", "--scenario", s.toString(), "--mode", "bbr", "--kernel", "5.15")).isEqualTo(2);
        assertThat(stderr()).contains("needs kernel 5.18 or newer");
    }

    @Test
    void theKernelDefaultsToThisMachines(@TempDir Path dir) throws IOException {
        assertThat(Main.run("explain", "--tuning", "--scenario", scenario(dir).toString(), "--mode", "bpf")).isZero();
        assertThat(stdout()).contains("kernel " + System.getProperty("os.version"));
    }

    @Test
    void badInputExitsWithTwo(@TempDir Path dir) throws IOException {
        Path s = scenario(dir);
        assertThat(Main.run("explain", "--tuning", "--scenario", s.toString(), "--mode", "bpf", "--kernel", "new")).isEqualTo(2);
        assertThat(stderr()).contains("--kernel: kernel 'new' is not a kernel release");
        assertThat(Main.run("explain", "--tuning", "--scenario", s.toString())).isEqualTo(2);
        assertThat(stderr()).contains("--tuning needs --mode");
        assertThat(Main.run("explain", "--tuning", "--scenario", s.toString(), "--mode", "nope")).isEqualTo(2);
        assertThat(stderr()).contains("no mode named 'nope'");
        assertThat(Main.run("explain", "--tuning", "--scenario", s.toString(), "--mode", "bpf", "--matrix")).isEqualTo(2);
        assertThat(Main.run("explain", "--scenario", s.toString(), "--mode", "bpf", "--to", "public", "--kernel", "5.10")).isEqualTo(2);
        assertThat(stderr()).contains("--kernel goes with --tuning");
    }
}
