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

/**
 * inspect judges a capture by its own release's rules, and answers the upgrade question for a captured node. The captures
 * are composed in the shape the 1.15 chart and agent print (routing-mode and kube-proxy-replacement "true" as the
 * cilium-1.15.0 chart's templates/cilium-configmap.yaml writes them).
 */
class InspectVersionsTest extends ConsoleCapturingTest {

    static final String STATUS_115 = """
            KVStore:                 Ok   Disabled
            Kubernetes:              Ok   1.28 (v1.28.3+k3s2) [linux/amd64]
            Cilium:                  Ok   1.15.6 (v1.15.6-a09e05e6)
            IPAM:                    IPv4: 5/254 allocated from 10.42.0.0/24,
            Masquerading:            BPF   [eth0]   10.42.0.0/16 [IPv4: Enabled, IPv6: Disabled]
            """;

    static final String CONFIG_115 = """
            data:
              routing-mode: "native"
              ipv4-native-routing-cidr: "10.42.0.0/16"
              auto-direct-node-routes: "true"
              kube-proxy-replacement: "true"
              enable-bpf-masquerade: "true"
              enable-ipv4-masquerade: "true"
            """;

    private JsonNode json() throws IOException {
        return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aCaptureIsJudgedByTheReleaseItsStatusLineNames(@TempDir Path dir) throws IOException {
        Path status = Files.writeString(dir.resolve("status.txt"), STATUS_115);
        Path config = Files.writeString(dir.resolve("cilium-config.yaml"), CONFIG_115);
        int exit = Main.run("inspect", "--status", status.toString(), "--config", config.toString(),
                "--scenario", "scenarios/masquerade-toggle.yaml", "--mode", "bpf", "--json");
        JsonNode j = json();
        assertThat(j.get("expected").get("ciliumVersion").asText()).isEqualTo("1.15.6");
        assertThat(j.get("expected").get("basis")).anySatisfy(b -> assertThat(b.asText())
                .isEqualTo("rules: Cilium 1.15.6 (the captured status's Cilium line)"));
        assertThat(j.get("checks")).anySatisfy(c -> {
            assertThat(c.get("check").asText()).isEqualTo(io.masqharness.inspect.InspectJudge.CONFIG_CHECK);
            assertThat(c.get("status").asText()).as(c.get("message").asText()).isEqualTo("PASSED");
        });
        assertThat(j.get("expected").get("agent").asText()).isEqualTo("BPF");
        assertThat(exit).isZero();
    }

    /** PR #29778: under 1.15 a captured config whose BPF masquerading lacks NodePort is one the agent would not run. */
    @Test
    void aCapturedConfigThe115AgentWouldNotRunFailsTheConfigCheckNamingTheRelease(@TempDir Path dir) throws IOException {
        Path status = Files.writeString(dir.resolve("status.txt"), STATUS_115);
        Path config = Files.writeString(dir.resolve("cilium-config.yaml"), CONFIG_115.replace("\"true\"\n  enable-bpf", "\"false\"\n  enable-bpf"));
        int exit = Main.run("inspect", "--status", status.toString(), "--config", config.toString(),
                "--scenario", "scenarios/masquerade-toggle.yaml", "--mode", "bpf", "--json");
        assertThat(exit).isEqualTo(1);
        assertThat(json().get("checks")).anySatisfy(c -> assertThat(c.get("message").asText())
                .startsWith("Cilium 1.15.6 would not run this configuration: unable to initialize BPF masquerade support"));
    }

    @Test
    void upgradeToAnswersTheUpgradeQuestionForTheCapturedNode(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("cilium-config.yaml"), """
                data:
                  tunnel: "disabled"
                  ipv4-native-routing-cidr: "10.42.0.0/16"
                  auto-direct-node-routes: "true"
                  kube-proxy-replacement: "strict"
                  enable-bpf-masquerade: "true"
                """);
        int exit = Main.run("inspect", "--config", config.toString(), "--cilium-version", "1.13.4", "--upgrade-to", "1.15.8", "--json");
        assertThat(exit).as("the upgrade breaks the node's configuration").isEqualTo(2);
        JsonNode u = json().get("upgrade");
        assertThat(u.get("from").asText()).isEqualTo("1.13.4");
        assertThat(u.get("to").asText()).isEqualTo("1.15.8");
        assertThat(u.get("modes").get(0).get("before").get("effectiveMode").asText()).isEqualTo("bpf");
        assertThat(u.get("modes").get(0).get("after").get("refused").asText()).contains("tunnel was deprecated in v1.14");
        out.reset();
        assertThat(Main.run("inspect", "--config", config.toString(), "--cilium-version", "1.13.4", "--upgrade-to", "1.14.3"))
                .as("1.14 still reads tunnel and strict").isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("from Cilium 1.13.4 to 1.14.3").contains("exit 0: nothing changes");
    }

    @Test
    void upgradeToWithoutAConfigIsBadInput(@TempDir Path dir) throws IOException {
        Path status = Files.writeString(dir.resolve("status.txt"), STATUS_115);
        assertThat(Main.run("inspect", "--status", status.toString(), "--upgrade-to", "1.16")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--upgrade-to needs the node's cilium-config");
    }

    /** With --scenario the captured node is judged on the scenario's nodes and destinations: nothing is assumed. */
    @Test
    void upgradeToOnAScenariosNodesAssumesNoNodes(@TempDir Path dir) throws IOException {
        Path config = Files.writeString(dir.resolve("cilium-config.yaml"), CONFIG_115);
        Path status = Files.writeString(dir.resolve("status.txt"), STATUS_115);
        int exit = Main.run("inspect", "--status", status.toString(), "--config", config.toString(), "--scenario",
                "scenarios/masquerade-toggle.yaml", "--mode", "bpf", "--upgrade-to", "1.16.0", "--json");
        JsonNode u = json().get("upgrade");
        assertThat(u.get("from").asText()).as("the captured status's release").isEqualTo("1.15.6");
        assertThat(u.get("unverified")).noneSatisfy(x -> assertThat(x.asText()).contains("two are assumed"))
                .anySatisfy(x -> assertThat(x.asText()).contains("values read from cilium-config"));
        assertThat(u.get("modes").get(0).get("after").get("effectiveMode").asText()).isEqualTo("bpf");
        assertThat(exit).isZero();
    }
}
