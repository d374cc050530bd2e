package io.masqharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.masqharness.cilium.Golden;
import io.masqharness.cilium.SysdumpLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code inspect} end to end: exit status, the JSON fields, held against scenarios/ip-masq-agent.yaml. */
class InspectCommandTest extends ConsoleCapturingTest {

    static final String SCENARIO = "scenarios/ip-masq-agent.yaml";
    static final String G = Golden.DIR.toString() + "/";

    @TempDir
    Path dir;

    int run(String... args) {
        List<String> all = new ArrayList<>(List.of("inspect"));
        all.addAll(List.of(args));
        return Main.run(all.toArray(String[]::new));
    }

    JsonNode json() throws Exception {
        return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    }

    String[] bpfAgentNode(String mode) {
        return new String[] {"--status", G + "cilium-status-bpf-ip-masq-agent.txt", "--ipmasq", G + "cilium-bpf-ipmasq-list.txt",
                "--iptables", G + "iptables-save-nat-bpf-mode.txt", "--nat", G + "cilium-bpf-nat-list.txt",
                "--scenario", SCENARIO, "--mode", mode, "--json"};
    }

    @Test
    void aStateThatMatchesTheModePasses() throws Exception {
        assertThat(run(bpfAgentNode("rfc1918"))).isZero();
        JsonNode j = json();
        // the masquerading checks pass; the tuning checks pass or cannot tell from these captures (no cilium-config: no routing)
        assertThat(j.path("checks")).isNotEmpty().allSatisfy(c -> assertThat(c.path("status").asText())
                .isIn(c.path("check").asText().startsWith("tuning ") ? List.of("PASSED", "NOT_APPLICABLE") : List.of("PASSED")));
        assertThat(j.path("checks")).anySatisfy(c -> assertThat(c.path("check").asText()).isEqualTo("tuning nativeRouting"));
        assertThat(j.path("status").path("masquerading").asText()).isEqualTo("BPF");
        assertThat(j.path("status").path("ipMasqAgent").asBoolean()).isTrue();
        assertThat(j.path("expected").path("from").asText()).isEqualTo("pod:node-1");
        assertThat(j.path("expected").path("flows")).anySatisfy(f -> {
            assertThat(f.path("destination").asText()).isEqualTo("rfc1918");
            assertThat(f.path("source").asText()).isEqualTo("pod-ip");
        }).anySatisfy(f -> {
            assertThat(f.path("destination").asText()).isEqualTo("cgnat");
            assertThat(f.path("source").asText()).isEqualTo("node-ip");
            assertThat(f.path("sourceAddress").asText()).isEqualTo("172.28.0.11");
        });
    }

    @Test
    void aStateThatContradictsTheModeFailsWithTheReason() throws Exception {
        assertThat(run(bpfAgentNode("defaults"))).isEqualTo(1);
        JsonNode ipmasq = failed(json(), "cilium bpf ipmasq list");
        assertThat(ipmasq.path("message").asText()).contains("missing [100.64.0.0/10,");
        assertThat(json().path("expected").path("flows")).anySatisfy(f -> {
            assertThat(f.path("destination").asText()).isEqualTo("cgnat");
            assertThat(f.path("source").asText()).as("the captured map has no 100.64/10: the node masquerades it").isEqualTo("node-ip");
        });
        out.reset();
        assertThat(run(bpfAgentNode("rfc1918-masq-link-local"))).isEqualTo(1);
        assertThat(failed(json(), "cilium bpf ipmasq list").path("message").asText()).contains("unexpected [169.254.0.0/16]");
    }

    @Test
    void aSilentFallbackToIptablesFailsTheStatusAndRuleChecks() throws Exception {
        assertThat(run("--status", G + "cilium-status-iptables.txt", "--iptables", G + "iptables-save-nat-iptables-mode.txt",
                "--scenario", SCENARIO, "--mode", "rfc1918", "--json")).isEqualTo(1);
        JsonNode j = json();
        assertThat(failed(j, "cilium status Masquerading line").path("message").asText())
                .isEqualTo("expected BPF (ip-masq-agent), the agent runs IPTables (a silent fallback: see the agent log)");
        assertThat(failed(j, "iptables-save -t nat (cilium-agent)").path("message").asText()).contains("present, expected absent in bpf mode");
        assertThat(j.path("expected").path("agent").asText()).isEqualTo("IPTables");
    }

    @Test
    void capturedConfigurationIsHeldAgainstTheMode() throws Exception {
        assertThat(run("--config", G + "config/composed-v1.13-mixed-quoting.yaml", "--ip-masq-agent-config",
                G + "ip-masq-agent/composed-json-string.yaml", "--scenario", SCENARIO, "--mode", "rfc1918", "--json")).isEqualTo(1);
        JsonNode j = json();
        assertThat(failed(j, "captured cilium-config").path("message").asText()).contains("it gives IPTables, the mode BPF (ip-masq-agent)");
        assertThat(failed(j, "captured ip-masq-agent config").path("message").asText()).contains("masqLinkLocal=true");
        assertThat(j.path("config").path("enable-bpf-masquerade").asText()).isEqualTo("false");
        assertThat(j.path("ipMasqAgentConfig").path("masqLinkLocal").asBoolean()).isTrue();
        assertThat(j.path("problems")).anySatisfy(p -> assertThat(p.path("message").asText()).contains("unquoted boolean"));
    }

    @Test
    void everyFieldIsPresentOnlyForTheInputsGiven() throws Exception {
        assertThat(run("--status", G + "status/docs-v1.9-no-cidr-no-families.txt", "--json")).isZero();
        JsonNode j = json();
        assertThat(j.fieldNames()).toIterable().containsExactly("status", "problems");
        assertThat(j.path("status").fieldNames()).toIterable()
                .containsExactly("masquerading", "ipMasqAgent", "devices", "excludedCidrs", "ipv4", "ipv6", "tuning");
        assertThat(j.path("status").path("ipv4").isNull()).isTrue();
        assertThat(j.path("status").path("tuning").isObject()).isTrue();
        assertThat(j.path("status").path("tuning")).as("the grep kept no tuning line").isEmpty();
        out.reset();
        assertThat(run("--nat", G + "nat/nat46-brackets-blank-line.txt", "--iptables", G + "iptables/composed-eni-egress-interfaces.txt",
                "--ipmasq", G + "ipmasq/composed-no-entries.txt", "--json")).isZero();
        j = json();
        assertThat(j.path("ipMasqMap").isArray()).isTrue();
        assertThat(j.path("ipMasqMap")).isEmpty();
        assertThat(j.path("nat").get(0).fieldNames()).toIterable().containsExactly("protocol", "direction", "from", "to", "xlateSrc", "xlateDst");
        assertThat(j.path("masqueradeRules").get(0).fieldNames()).toIterable()
                .containsExactly("chain", "source", "notDestination", "outInterface", "target", "comment");
        assertThat(j.path("masqueradeRules").get(0).path("source").isNull()).isTrue();
        assertThat(j.has("checks")).isFalse();
    }

    @Test
    void aSysdumpIsJudgedAgentByAgent() throws Exception {
        Path zip = new SysdumpLayout().config(Golden.read("config/composed-v1.13-kubectl-json.json"))
                .agent("cilium-7xkqp", Map.of("cilium status --verbose", Golden.read("cilium-status-bpf-ip-masq-agent.txt"),
                        "cilium bpf ipmasq list", Golden.read("cilium-bpf-ipmasq-list.txt"),
                        "iptables-save -c", Golden.read("iptables-save-nat-bpf-mode.txt")))
                .agent("cilium-zz9pd", Map.of("cilium status --verbose", Golden.read("cilium-status-iptables.txt")))
                .zip(dir.resolve("cilium-sysdump-" + SysdumpLayout.TS + ".zip"));
        assertThat(run("--sysdump", zip.toString(), "--scenario", SCENARIO, "--mode", "rfc1918", "--json")).isEqualTo(1);
        JsonNode j = json();
        assertThat(j.path("config").path("tunnel").asText()).isEqualTo("disabled");
        assertThat(j.path("nodes")).hasSize(2);
        assertThat(j.path("nodes").get(0).path("checks")).allSatisfy(c -> assertThat(c.path("status").asText()).isEqualTo("PASSED"));
        assertThat(failed(j.path("nodes").get(1), "cilium status Masquerading line").path("message").asText()).contains("runs IPTables");
        out.reset();
        assertThat(run("--sysdump", zip.toString(), "--node", "7xkqp", "--scenario", SCENARIO, "--mode", "rfc1918", "--json")).isZero();
        assertThat(json().path("node").asText()).isEqualTo("cilium-7xkqp");
        assertThat(run("--sysdump", zip.toString(), "--node", "nope")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--node nope matches none");
    }

    @Test
    void unreadableInputExitsTwoNamingFileAndLineWithoutAStackTrace() throws Exception {
        Path bad = Files.writeString(dir.resolve("status.txt"), "KVStore: Ok\nMasquerading:   Sometimes\n");
        assertThat(run("--status", bad.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("inspect: " + bad + ":2: unrecognised Masquerading line: "
                + "'Masquerading:   Sometimes' (expected IPTables, BPF, BPF (ip-masq-agent) or Disabled after 'Masquerading:')\n");
        err.reset();
        assertThat(run("--iptables", G + "iptables/issue-14859-row-without-chain.txt")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("inspect: " + G + "iptables/issue-14859-row-without-chain.txt:1: ")
                .doesNotContain("Exception");
        err.reset();
        assertThat(run("--nat", dir.resolve("missing.txt").toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("missing.txt: cannot read");
        assertThat(run("--nat", dir.toString())).isEqualTo(2);
        assertThat(run()).isEqualTo(2);
        assertThat(run("--status", G + "cilium-status-bpf.txt", "--mode", "rfc1918")).isEqualTo(2);
        assertThat(run("--status", G + "cilium-status-bpf.txt", "--scenario", SCENARIO, "--mode", "no-such-mode")).isEqualTo(2);
    }

    @Test
    void theReadableSummaryWithoutJson() throws Exception {
        assertThat(run(bpfAgentNode("defaults")[0], bpfAgentNode("defaults")[1], "--ipmasq", G + "cilium-bpf-ipmasq-list.txt",
                "--scenario", SCENARIO, "--mode", "defaults")).isEqualTo(1);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("masquerading: BPF (ip-masq-agent) devices [eth0, eth1] excluded [10.42.0.0/16] IPv4 true IPv6 false")
                .contains("FAILED         cilium bpf ipmasq list: expected").contains("cgnat 100.64.77.10 tcp: node-ip 172.28.0.11");
    }

    @Test
    void aStatusAsLongAsItsColumnIsStillApartFromTheChecksName(@TempDir Path dir) throws Exception {
        Path status = dir.resolve("status.txt");
        // Only the Masquerading line: no 'Cilium:' line, so the health check is not applicable.
        Files.writeString(status, "Masquerading:   BPF (ip-masq-agent)   [eth0, eth1]   10.42.0.0/16 [IPv4: Enabled, IPv6: Disabled]\n");
        run("--status", status.toString(), "--scenario", SCENARIO, "--mode", "rfc1918");
        List<String> checks = out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.matches("    (PASSED|FAILED|NOT_APPLICABLE).*"))
                .toList();
        assertThat(checks).anySatisfy(l -> assertThat(l).startsWith("    NOT_APPLICABLE "))
                .allSatisfy(l -> assertThat(l).matches("    (PASSED|FAILED|NOT_APPLICABLE) +[a-z].*"));
    }

    @Test
    void theTuningLinesOfANewerAgentUnderStatusTuning() throws Exception {
        assertThat(run("--status", G + "status/v1.16.4-talos-tunnel-legacy-tcx.txt", "--json")).isZero();
        JsonNode t = json().path("status").path("tuning");
        assertThat(t.fieldNames()).toIterable().containsExactly("kubeProxyReplacement", "hostRouting", "routing", "attachMode",
                "deviceMode", "bandwidthManager", "ipv4BigTcp", "ipv6BigTcp", "hubble");
        assertThat(t.path("kubeProxyReplacement").path("mode").asText()).isEqualTo("True");
        assertThat(t.path("kubeProxyReplacement").path("devices").get(0).asText()).isEqualTo("enx22989c9b16a0");
        assertThat(t.path("routing").path("network").asText()).isEqualTo("Tunnel");
        assertThat(t.path("routing").path("tunnelProtocol").asText()).isEqualTo("vxlan");
        assertThat(t.path("hostRouting").asText()).isEqualTo("Legacy");
        assertThat(t.path("attachMode").asText()).isEqualTo("TCX");
        assertThat(t.path("ipv4BigTcp").path("enabled").asBoolean(true)).isFalse();
        assertThat(t.path("ipv4BigTcp").path("maxGso").isNull()).isTrue();
        assertThat(t.path("hubble").path("state").asText()).isEqualTo("Ok");
        out.reset();
        assertThat(run("--status", G + "status/v1.15-kind-grep-xdp-native.txt", "--json")).isZero();
        JsonNode grep = json();
        assertThat(grep.path("status").path("masquerading").isNull()).isTrue();
        assertThat(grep.path("status").path("tuning").fieldNames()).toIterable().containsExactly("xdpAcceleration");
        assertThat(grep.path("status").path("tuning").path("xdpAcceleration").asText()).isEqualTo("Native");
        assertThat(grep.path("problems")).anySatisfy(p -> assertThat(p.path("message").asText()).contains("no 'Masquerading:' line"));
        out.reset();
        assertThat(run("--status", G + "status/v1.15.1-verbose-abridged-own-line-notes-zh.txt")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("  tuning: kubeProxyReplacement {mode=True, devices=[ens192],"
                + " directRoutingDevice=ens192}, hostRouting BPF, hubble {state=Ok, enabled=true}, nodePortMode DSR,"
                + " dsrDispatchMode IP Option/Extension, xdpAcceleration Disabled");
    }

    @Test
    void utf16FromPowerShellIsRead() throws Exception {
        Path p = dir.resolve("status.txt");
        Files.write(p, ("Masquerading:   IPTables [IPv4: Enabled, IPv6: Disabled]\r\n").getBytes(StandardCharsets.UTF_16));
        assertThat(run("--status", p.toString(), "--json")).isZero();
        assertThat(json().path("status").path("masquerading").asText()).isEqualTo("IPTables");
    }

    static JsonNode failed(JsonNode node, String check) {
        for (JsonNode c : node.path("checks")) {
            if (c.path("check").asText().equals(check)) {
                assertThat(c.path("status").asText()).as(check).isEqualTo("FAILED");
                return c;
            }
        }
        throw new AssertionError("no check " + check + " in " + node.path("checks"));
    }
}
