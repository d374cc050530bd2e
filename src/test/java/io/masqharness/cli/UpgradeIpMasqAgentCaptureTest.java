package io.masqharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.masqharness.cilium.IpMasqAgentConfigCapture;
import io.masqharness.net.Cidr6;
import io.masqharness.oracle.IpMasqAgentFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code upgrade --config … --ip-masq-agent-config F} reads {@code masqLinkLocalIPv6} (pkg/ipmasq/ipmasq.go, PR #23219:
 * fe80::/10 is not masqueraded unless it is true) and passes it to the oracle instead of assuming false.
 */
class UpgradeIpMasqAgentCaptureTest extends ConsoleCapturingTest {

    private static final Cidr6 LINK_LOCAL_V6 = Cidr6.parse("fe80::/10");

    private static final String CONFIG_MAP = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: ip-masq-agent, namespace: kube-system}
            data:
              config: |
                nonMasqueradeCIDRs: [10.0.0.0/8, "fd00:42::/48"]
                masqLinkLocal: false
                masqLinkLocalIPv6: true
            """;

    @Test
    void theCaptureReadsMasqLinkLocalIpv6AndTheCommandPassesItOn() {
        IpMasqAgentConfigCapture capture = IpMasqAgentConfigCapture.parse(CONFIG_MAP);
        assertThat(capture.masqLinkLocalIPv6()).isTrue();
        assertThat(capture.problems()).isEmpty();
        IpMasqAgentFile file = UpgradeCommand.file(capture).orElseThrow();
        assertThat(io.masqharness.inspect.InspectJudge.file(capture)).as("inspect reads the capture the same way").isEqualTo(file);
        assertThat(file).isInstanceOfSatisfying(IpMasqAgentFile.Rejected.class, r ->
                assertThat(r.masqLinkLocalIPv6()).as("kept until a 1.14+ agent reads the IPv6 entry").isTrue());
        assertThat(file.readBy(io.masqharness.oracle.CiliumVersion.parse("1.14.5")).effectiveCidrsV6())
                .containsExactly(Cidr6.parse("fd00:42::/48")).doesNotContain(LINK_LOCAL_V6);
    }

    @Test
    void absentItIsFalseAndNotABooleanItIsAProblem() {
        IpMasqAgentFile file = UpgradeCommand.file(IpMasqAgentConfigCapture.parse("nonMasqueradeCIDRs: [10.0.0.0/8]\n")).orElseThrow();
        assertThat(file).isInstanceOfSatisfying(IpMasqAgentFile.Present.class, p -> assertThat(p.masqLinkLocalIPv6()).isFalse());
        assertThat(file.effectiveCidrsV6()).containsExactly(LINK_LOCAL_V6);
        IpMasqAgentConfigCapture bad = IpMasqAgentConfigCapture.parse("nonMasqueradeCIDRs: []\nmasqLinkLocalIPv6: \"yes\"\n");
        assertThat(bad.masqLinkLocalIPv6()).isNull();
        assertThat(bad.problems()).singleElement().satisfies(p -> assertThat(p.message()).startsWith("masqLinkLocalIPv6 is")
                .contains("not a boolean"));
    }

    @Test
    void theCommandReadsTheCapturedFileEndToEnd(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("cilium-config.yaml");
        Files.writeString(config, """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: cilium-config, namespace: kube-system}
                data:
                  routing-mode: "native"
                  ipv4-native-routing-cidr: "10.42.0.0/16"
                  auto-direct-node-routes: "true"
                  kube-proxy-replacement: "true"
                  enable-bpf-masquerade: "true"
                  enable-ip-masq-agent: "true"
                """);
        Path agent = dir.resolve("ip-masq-agent.yaml");
        Files.writeString(agent, CONFIG_MAP);
        int status = Main.run("upgrade", "--config", config.toString(), "--from", "1.14.5", "--to", "1.15.8",
                "--ip-masq-agent-config", agent.toString(), "--json");
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isIn(0, 1);
        JsonNode j = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(j.get("modes")).singleElement().satisfies(m ->
                assertThat(m.get("before").get("effectiveMode").asText()).isEqualTo("bpf"));
    }
}
