package io.masqharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.masqharness.cilium.Golden;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code inspect --scenario --mode} runs the tuning checks the live backends run, on real captures (golden/README.md). */
class InspectTuningTest extends ConsoleCapturingTest {

    static final String G = Golden.DIR.toString() + "/status/";

    private static Path scenario(Path dir, String version, String modeValues) throws Exception {
        return scenario(dir, version, "{tunnel: disabled, ipv4NativeRoutingCIDR: 10.0.0.0/16, autoDirectNodeRoutes: true,"
                + " kubeProxyReplacement: strict}", modeValues);
    }

    private static Path scenario(Path dir, String version, String base, String modeValues) throws Exception {
        Path s = dir.resolve("s.yaml");
        Files.writeString(s, """
                name: tuned
                cilium:
                  version: %s
                  values: %s
                modes:
                  - {name: tuned, values: %s}
                destinations: [{name: public, ip: 198.20.0.10}]
                """.formatted(version, base, modeValues));
        return s;
    }

    private JsonNode check(String name) throws Exception {
        JsonNode json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        for (JsonNode c : json.path("checks")) {
            if (c.path("check").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + json.path("checks"));
    }

    /** A 1.13.4 agent printing `Host Routing: Legacy`: a mode asking for BPF host routing fails with that line. */
    @Test
    void legacyHostRoutingOfARealCaptureFailsTheMode(@TempDir Path dir) throws Exception {
        Path s = scenario(dir, "1.13.4", "{bpf.masquerade: false, bpf.hostLegacyRouting: false}");
        int status = Main.run("inspect", "--status", G + "v1.13.4-trailing-notes-zh.txt", "--scenario", s.toString(), "--mode", "tuned",
                "--json");
        assertThat(status).isEqualTo(1);
        JsonNode host = check("tuning hostRouting");
        assertThat(host.path("status").asText()).isEqualTo("FAILED");
        assertThat(host.path("evidence").asText()).startsWith("Host Routing:            Legacy");
        assertThat(host.path("message").asText()).contains("requires enable-bpf-masquerade");
        assertThat(check("tuning kubeProxyReplacement").path("status").asText()).isEqualTo("PASSED");
    }

    /** The same mode against a 1.15.1 agent that runs BPF host routing and DSR: the tuning checks pass. */
    @Test
    void aCaptureInTheModePasses(@TempDir Path dir) throws Exception {
        Path s = scenario(dir, "1.15.1", "{routingMode: native, ipv4NativeRoutingCIDR: 10.0.0.0/16, autoDirectNodeRoutes: true,"
                + " kubeProxyReplacement: \"true\"}", "{bpf.masquerade: true, bpf.hostLegacyRouting: false, loadBalancer.mode: dsr}");
        Main.run("inspect", "--status", G + "v1.15.1-verbose-abridged-own-line-notes-zh.txt", "--scenario", s.toString(), "--mode",
                "tuned", "--json");
        assertThat(check("tuning hostRouting").path("status").asText()).isEqualTo("PASSED");
        assertThat(check("tuning dsr").path("status").asText()).isEqualTo("PASSED");
        assertThat(check("tuning dsr").path("message").asText()).contains("DSR as the mode asks");
        assertThat(check("tuning kubeProxyReplacement").path("message").asText()).contains("True");
    }
}
