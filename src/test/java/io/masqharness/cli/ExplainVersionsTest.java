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

/**
 * {@code explain} on the newer lines: {@code --json} names the release ({@code ciliumVersion}), the version rules the
 * answer rests on ({@code rules[{id, rule, source}]}), what is unsettled ({@code unverified}) and the values the
 * release deprecates, ignores or refuses ({@code values}); {@code --matrix} exits 2 when a mode would be refused, else 0.
 */
class ExplainVersionsTest extends ConsoleCapturingTest {

    @TempDir
    Path dir;

    private Path scenario(String version, String values, String modes) throws IOException {
        Path s = dir.resolve("s-" + version + ".yaml");
        Files.writeString(s, "name: v" + version.replace('.', '-') + "\n"
                + "cilium:\n  version: " + version + "\n  values: {" + values + "}\n"
                + "modes: [" + modes + "]\n"
                + "destinations: [{name: public, ip: 198.20.0.10}]\n");
        return s;
    }

    private JsonNode json() throws IOException {
        return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    }

    private static List<String> ids(JsonNode rules) {
        List<String> ids = new ArrayList<>();
        rules.forEach(r -> {
            assertThat(r.get("rule").asText()).as("rule %s says what it is", r.get("id")).isNotBlank();
            assertThat(r.get("source").asText()).as("rule %s names its source", r.get("id")).isNotBlank();
            ids.add(r.get("id").asText());
        });
        return ids;
    }

    /** 1.14: tunnel and strict are still read, and deprecated (Documentation/operations/upgrade.rst 1.14 notes, PR #26577). */
    @Test
    void on114TheJsonNamesTheRulesAndTheDeprecatedValuesAndNothingUnsettled() throws IOException {
        Path s = scenario("1.14.5", "tunnel: disabled, ipv4NativeRoutingCIDR: 10.42.0.0/16, kubeProxyReplacement: strict",
                "{name: bpf, values: {bpf.masquerade: true}}");
        assertThat(Main.run("explain", "--scenario", s.toString(), "--mode", "bpf", "--to", "public", "--json")).isZero();
        JsonNode j = json();
        assertThat(j.get("ciliumVersion").asText()).isEqualTo("1.14.5");
        assertThat(j.get("effectiveMode").asText()).isEqualTo("bpf");
        assertThat(j.get("source").asText()).isEqualTo("node-ip");
        assertThat(ids(j.get("rules"))).contains("routing-mode", "kpr-true-false");
        assertThat(j.get("values")).extracting(v -> v.get("key").asText()).containsExactlyInAnyOrder("tunnel", "kubeProxyReplacement");
        assertThat(j.get("values")).anySatisfy(v -> assertThat(v.get("suggestion").asText()).isEqualTo("routingMode: native"));
        assertThat(j.has("unverified")).as("1.14 BPF to the world rests on no unsettled fact").isFalse();
    }

    /** 1.15: strict is read as true, unverified (facts H5, issue #32711); several egress interfaces match nothing (I4). */
    @Test
    void on115TheJsonCarriesTheUnsettledFactsOfTheAnswer() throws IOException {
        Path s = scenario("1.15.6", "routingMode: native, ipv4NativeRoutingCIDR: 10.42.0.0/16, autoDirectNodeRoutes: true,"
                + " kubeProxyReplacement: strict", "{name: bpf, values: {bpf.masquerade: true}},"
                + " {name: interfaces, values: {bpf.masquerade: false, egressMasqueradeInterfaces: 'eth+,ens+'}}");
        assertThat(Main.run("explain", "--scenario", s.toString(), "--mode", "bpf", "--to", "public", "--json")).isZero();
        JsonNode bpf = json();
        assertThat(bpf.get("ciliumVersion").asText()).isEqualTo("1.15.6");
        assertThat(ids(bpf.get("rules"))).contains("routing-mode", "kpr-true-false", "kpr-strict-1.15");
        assertThat(bpf.get("unverified").asText()).startsWith("H5").contains("#32711");
        assertThat(bpf.get("values")).singleElement().satisfies(v -> assertThat(v.get("key").asText()).isEqualTo("kubeProxyReplacement"));

        out.reset();
        assertThat(Main.run("explain", "--scenario", s.toString(), "--mode", "interfaces", "--to", "public", "--json")).isZero();
        JsonNode interfaces = json();
        assertThat(interfaces.get("source").asText()).isEqualTo("pod-ip");
        assertThat(ids(interfaces.get("rules"))).contains("egress-masquerade-interfaces-joined-1.15");
        assertThat(interfaces.get("unverified").asText()).contains("I4:").contains("1.15 patch release");
    }

    /** 1.16: the node address comes from the node-address table (facts S1); remoteNodeIdentity=false is ignored. */
    @Test
    void on116ABpfNodeIpAnswerSaysTheNodeAddressIsUnsettled() throws IOException {
        Path s = scenario("1.16.1", "routingMode: native, ipv4NativeRoutingCIDR: 10.42.0.0/16, autoDirectNodeRoutes: true,"
                + " kubeProxyReplacement: 'true', remoteNodeIdentity: false", "{name: bpf, values: {bpf.masquerade: true}}");
        assertThat(Main.run("explain", "--scenario", s.toString(), "--mode", "bpf", "--to", "public", "--json")).isZero();
        JsonNode j = json();
        assertThat(j.get("ciliumVersion").asText()).isEqualTo("1.16.1");
        assertThat(j.get("source").asText()).isEqualTo("node-ip");
        assertThat(ids(j.get("rules"))).contains("remote-node-identity-always", "bpf-masquerade-node-address-1.16");
        assertThat(j.get("rules")).anySatisfy(r -> assertThat(r.get("source").asText()).contains("PR #30457"));
        assertThat(j.get("unverified").asText()).startsWith("S1").contains("node-address table");
        assertThat(j.get("values")).singleElement().satisfies(v -> assertThat(v.get("key").asText()).isEqualTo("remoteNodeIdentity"));

        out.reset();
        assertThat(Main.run("explain", "--scenario", s.toString(), "--mode", "bpf", "--from", "node:node-1", "--to", "public",
                "--protocol", "icmp-timestamp", "--json")).isZero();
        JsonNode host = json();
        assertThat(host.get("source").asText()).isEqualTo("dropped");
        assertThat(ids(host.get("rules"))).contains("host-icmp-nat-conflict");
        assertThat(host.get("unverified").asText()).contains("D4:");
    }

    @Test
    void matrixOn114ExitsZeroAndNamesTheRelease() throws IOException {
        Path s = scenario("1.14.5", "routingMode: native, ipv4NativeRoutingCIDR: 10.42.0.0/16, autoDirectNodeRoutes: true,"
                + " kubeProxyReplacement: 'false'", "{name: iptables, values: {bpf.masquerade: false}},"
                + " {name: bpf, values: {bpf.masquerade: true}}");
        assertThat(Main.run("explain", "--scenario", s.toString(), "--matrix")).as("1.14 falls back to iptables silently").isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Cilium 1.14.5").contains("BPF masquerade requires NodePort");
    }

    /** PR #29778: from 1.15 a missing BPF masquerading prerequisite makes the agent fail: exit 2, the mode named. */
    @Test
    void matrixOn115ExitsTwoWhenTheAgentWouldRefuseAMode() throws IOException {
        Path s = scenario("1.15.6", "routingMode: native, ipv4NativeRoutingCIDR: 10.42.0.0/16, autoDirectNodeRoutes: true,"
                + " kubeProxyReplacement: 'false'", "{name: iptables, values: {bpf.masquerade: false}},"
                + " {name: bpf, values: {bpf.masquerade: true}}");
        assertThat(Main.run("explain", "--scenario", s.toString(), "--matrix", "--json")).isEqualTo(2);
        JsonNode m = json();
        assertThat(m.get("ciliumVersion").asText()).isEqualTo("1.15.6");
        assertThat(m.get("modes")).anySatisfy(c -> {
            assertThat(c.get("name").asText()).isEqualTo("bpf");
            assertThat(c.get("refused").asText()).contains("unable to initialize BPF masquerade support");
        });
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Cilium 1.15.6 would refuse mode 'bpf'");
    }

    @Test
    void matrixOn116ExitsZeroAndMarksTheUnsettledCells() throws IOException {
        Path s = scenario("1.16.3", "routingMode: native, ipv4NativeRoutingCIDR: 10.42.0.0/16, autoDirectNodeRoutes: true,"
                + " kubeProxyReplacement: 'true'", "{name: iptables, values: {bpf.masquerade: false}},"
                + " {name: bpf, values: {bpf.masquerade: true}}");
        assertThat(Main.run("explain", "--scenario", s.toString(), "--matrix", "--json")).isZero();
        JsonNode m = json();
        assertThat(m.get("ciliumVersion").asText()).isEqualTo("1.16.3");
        List<String> unsettled = new ArrayList<>();
        m.get("rows").forEach(r -> r.get("cells").forEach(c -> {
            if (c.hasNonNull("unverified")) {
                unsettled.add(r.get("target").asText() + " " + r.get("protocol").asText() + " " + c.get("source").asText()
                        + " " + c.get("unverified").asText());
            }
        }));
        assertThat(unsettled).isNotEmpty().allSatisfy(u -> assertThat(u).contains(" node-ip S1"));
    }
}
