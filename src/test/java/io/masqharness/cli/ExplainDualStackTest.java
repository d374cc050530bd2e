package io.masqharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code explain} on scenarios/dual-stack.yaml: both families side by side, and Cilium 1.13's refusal of BPF with IPv6 masquerading. */
class ExplainDualStackTest extends ConsoleCapturingTest {

    static final String SCENARIO = "scenarios/dual-stack.yaml";


    /** The table's row for a target, family and protocol, split into columns. */
    private List<String> row(String table, String target, String family, String protocol) {
        return table.lines().map(l -> List.of(l.trim().split("\\s{2,}")))
                .filter(c -> c.size() > 3 && c.get(0).equals(target) && c.get(1).equals(family) && c.get(3).equals(protocol))
                .findFirst().orElseThrow(() -> new AssertionError("no row " + target + " " + family + " " + protocol + " in\n" + table));
    }

    @Test
    void theMatrixShowsIpv4AndIpv6RowsSideBySideWithTheChangedCellsMarked() {
        assertThat(Main.run("explain", "--scenario", SCENARIO, "--matrix")).isEqualTo(0);
        String table = out.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("mode iptables: IPTables [IPv4: Enabled, IPv6: Enabled]")
                .contains("mode bpf: BPF [IPv4: Enabled, IPv6: Disabled]");
        assertThat(row(table, "public", "ipv4", "tcp")).containsExactly("public", "ipv4", "198.20.0.10", "tcp", "node-ip", "node-ip", "node-ip");
        assertThat(row(table, "public", "ipv6", "tcp")).as("BPF mode leaves pod IPv6 as is: the switch changes it")
                .containsExactly("public", "ipv6", "2001:db8:20::10", "tcp", "node-ip", "pod-ip *", "pod-ip");
        assertThat(row(table, "ula", "ipv6", "icmp-echo")).containsExactly("ula", "ipv6", "fd77::10", "icmp-echo", "node-ip", "pod-ip *", "pod-ip");
        assertThat(row(table, "pod:node-2", "ipv6", "udp")).containsExactly("pod:node-2", "ipv6", "fd00:42:0:1::10", "udp", "pod-ip", "pod-ip", "pod-ip");
        List<String> lines = table.lines().toList();
        int v4 = lines.indexOf(lines.stream().filter(l -> l.startsWith("public") && l.contains("ipv4") && l.contains(" tcp ")).findFirst().orElseThrow());
        assertThat(lines.get(v4 + 1)).as("the IPv6 row follows its IPv4 row").startsWith("public").contains("ipv6").contains(" tcp ");
    }

    @Test
    void theJsonMatrixCarriesTheFamilyOfEachRow() throws IOException {
        assertThat(Main.run("explain", "--scenario", SCENARIO, "--matrix", "--json")).isEqualTo(0);
        JsonNode m = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        JsonNode v6 = m.get("rows").get(1);
        assertThat(v6.get("family").asText()).isEqualTo("ipv6");
        assertThat(v6.get("cells").get(0).get("sourceAddress").asText()).isEqualTo("fd00:28::11");
        assertThat(v6.get("cells").get(1).get("changed").asBoolean()).isTrue();
        assertThat(m.get("modes").get(1).get("families").asText()).isEqualTo("[IPv4: Enabled, IPv6: Disabled]");
    }

    @Test
    void familyPicksTheEntryOfADestinationGivenInBoth() {
        assertThat(Main.run("explain", "--scenario", SCENARIO, "--mode", "bpf", "--to", "public", "--family", "ipv6")).isEqualTo(0);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("(2001:db8:20::10)").contains("source: pod-ip")
                .contains("BPF masquerading never translates IPv6");
        out.reset();
        assertThat(Main.run("explain", "--scenario", SCENARIO, "--mode", "bpf", "--to", "public")).isEqualTo(0);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("(198.20.0.10)").contains("source: node-ip 172.28.0.11")
                .as("the status line's families, as cilium status prints them").contains("agent:  BPF [IPv4: Enabled, IPv6: Disabled]");
        out.reset();
        assertThat(Main.run("explain", "--scenario", SCENARIO, "--mode", "iptables", "--to", "public", "--json")).isEqualTo(0);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"statusFamilies\" : \"[IPv4: Enabled, IPv6: Enabled]\"");
        out.reset();
        assertThat(Main.run("explain", "--scenario", "scenarios/lab.yaml", "--mode", "bpf", "--to", "public", "--json")).isEqualTo(0);
        assertThat(out.toString(StandardCharsets.UTF_8)).as("IPv4-only: no families").doesNotContain("statusFamilies");
        assertThat(Main.run("explain", "--scenario", SCENARIO, "--mode", "bpf", "--to", "public", "--family", "ipv9")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--family: unknown address family 'ipv9' (expected ipv4 or ipv6)");
    }

    /** daemon/cmd/daemon_main.go:1410-1412 at v1.13.4: the agent exits; explain says so and names the way out. */
    @Test
    void bpfWithIpv6MasqueradingOnIsRefusedWithTheWayOut(@TempDir Path dir) throws IOException {
        Path scenario = dir.resolve("s.yaml");
        Files.writeString(scenario, Files.readString(Path.of(SCENARIO))
                .replace("{name: bpf, values: {bpf.masquerade: true, enableIPv6Masquerade: false, ipMasqAgent.enabled: false}}",
                        "{name: bpf, values: {bpf.masquerade: true, enableIPv6Masquerade: true, ipMasqAgent.enabled: false}}"));
        assertThat(Main.run("explain", "--scenario", scenario.toString(), "--mode", "bpf", "--to", "public")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("would refuse mode 'bpf'")
                .contains("BPF masquerade is not supported for IPv6.").contains("set enableIPv6Masquerade=false");
        err.reset();
        assertThat(Main.run("explain", "--scenario", scenario.toString(), "--matrix")).as("the table is printed, and the refusal is the status")
                .isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("mode bpf: REFUSED by Cilium: BPF masquerade is not supported for IPv6.");
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("Cilium 1.13.4 would refuse mode 'bpf' (BPF masquerade is not supported"
                + " for IPv6.").contains(scenario.toString());
    }
}
