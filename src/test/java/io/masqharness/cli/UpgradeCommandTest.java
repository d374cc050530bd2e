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
 * The upgrade command's contract (issue 22): the JSON shape, the exit codes 0/1/2, and the three sources. Expected
 * verdicts come from the facts and the charts at the release tags (VersionRulesTest names each), not from the oracle.
 */
class UpgradeCommandTest extends ConsoleCapturingTest {

    private JsonNode json() throws IOException {
        return new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
    }

    private static List<String> keys(JsonNode n) {
        List<String> k = new ArrayList<>();
        n.fieldNames().forEachRemaining(k::add);
        return k;
    }

    private static Path scenario(Path dir, String yaml) throws IOException {
        Path p = dir.resolve("s.yaml");
        Files.writeString(p, yaml);
        return p;
    }

    /** chart cilium-1.15.8+ templates/validate.yaml refuses tunnel; masquerade-toggle.yaml sets tunnel: disabled. */
    @Test
    void theJsonHasExactlyTheContractsFieldsAndABreakingUpgradeExitsWithTwo() throws IOException {
        int status = Main.run("upgrade", "--scenario", "scenarios/masquerade-toggle.yaml", "--to", "1.15", "--json");
        assertThat(status).isEqualTo(2);
        JsonNode j = json();
        assertThat(keys(j)).containsExactly("from", "to", "modes", "values", "unverified");
        assertThat(j.get("from").asText()).isEqualTo("1.13.4");
        assertThat(j.get("to").asText()).isEqualTo("1.15");
        assertThat(j.get("modes")).hasSize(2);
        for (JsonNode m : j.get("modes")) {
            assertThat(keys(m)).containsExactly("mode", "before", "after", "changes");
            assertThat(keys(m.get("before"))).containsExactly("effectiveMode", "refused");
            assertThat(m.get("before").get("refused").isNull()).isTrue();
            assertThat(m.get("after").get("refused").asText()).contains("tunnel was deprecated in v1.14 and has been removed in v1.15.");
            assertThat(m.get("changes").isArray()).isTrue();
        }
        assertThat(j.get("modes").get(0).get("before").get("effectiveMode").asText()).isEqualTo("iptables");
        assertThat(j.get("values")).anySatisfy(v -> {
            assertThat(keys(v)).containsExactly("key", "problem", "suggestion");
            assertThat(v.get("key").asText()).isEqualTo("tunnel");
            assertThat(v.get("suggestion").asText()).isEqualTo("routingMode: native");
        });
        assertThat(j.get("unverified").isArray()).isTrue();
    }

    /** chart cilium-1.16.0 templates/cilium-configmap.yaml:69-71: strict is refused by Helm. */
    @Test
    void to116TheStrictSpellingBreaksEveryMode() throws IOException {
        assertThat(Main.run("upgrade", "--scenario", "scenarios/lab.yaml", "--to", "1.16.0", "--json")).isEqualTo(2);
        JsonNode j = json();
        assertThat(j.get("modes")).allSatisfy(m -> assertThat(m.get("after").get("refused").asText())
                .startsWith("Helm refuses the values: kubeProxyReplacement must be explicitly set to a valid value (true or false)"));
        assertThat(j.get("values")).anySatisfy(v -> assertThat(v.get("suggestion").asText()).isEqualTo("kubeProxyReplacement: true"));
    }

    /** 1.14 still reads tunnel and strict (deprecated): nothing changes for lab.yaml's flows, exit 0, deprecations listed. */
    @Test
    void anUpgradeThatChangesNothingExitsWithZeroAndStillListsTheDeprecations() throws IOException {
        assertThat(Main.run("upgrade", "--scenario", "scenarios/lab.yaml", "--to", "1.14.5", "--json")).isZero();
        JsonNode j = json();
        assertThat(j.get("modes")).allSatisfy(m -> {
            assertThat(m.get("before")).isEqualTo(m.get("after"));
            assertThat(m.get("changes")).isEmpty();
        });
        assertThat(j.get("values")).extracting(v -> v.get("key").asText()).containsExactlyInAnyOrder("tunnel", "kubeProxyReplacement");
    }

    /**
     * 1.13's default kubeProxyReplacement (disabled) ignores nodePort.enabled, so BPF masquerading falls back to iptables; 1.14's
     * default (false) honours it (chart cilium-1.14.0 cilium-configmap.yaml:14,680): the mode turns BPF, and BPF NAT drops the
     * ICMP timestamp iptables translated (bpf/lib/nat.h, facts 1.2). Exit 1.
     */
    @Test
    void aModeThatChangesImplementationAndItsFlowsExitsWithOne(@TempDir Path dir) throws IOException {
        Path s = scenario(dir, """
                name: nodeport
                cluster: {nodes: 2, network: {subnet: 172.28.0.0/24}, podCIDR: 10.42.0.0/16}
                cilium:
                  version: 1.13.4
                  values: {tunnel: disabled, ipv4NativeRoutingCIDR: 10.42.0.0/16, nodePort.enabled: true}
                modes: [{name: bpf, values: {bpf.masquerade: true}}]
                destinations: [{name: public, ip: 198.20.0.10}]
                probes: [tcp, icmp-timestamp]
                """);
        assertThat(Main.run("upgrade", "--scenario", s.toString(), "--to", "1.14.0", "--json")).isEqualTo(1);
        JsonNode mode = json().get("modes").get(0);
        assertThat(mode.get("before").get("effectiveMode").asText()).isEqualTo("iptables");
        assertThat(mode.get("after").get("effectiveMode").asText()).isEqualTo("bpf");
        assertThat(mode.get("changes")).anySatisfy(c -> {
            assertThat(keys(c)).containsExactly("from", "to", "protocol", "before", "after");
            assertThat(c.get("to").asText()).isEqualTo("public");
            assertThat(c.get("protocol").asText()).isEqualTo("icmp-13");
            assertThat(c.get("before").asText()).isEqualTo("node-ip");
            assertThat(c.get("after").asText()).isEqualTo("dropped");
        });
        assertThat(mode.get("changes")).noneSatisfy(c -> assertThat(c.get("protocol").asText()).isEqualTo("tcp"));
    }

    /**
     * A node's own traffic changes too: 1.13 ignores nodePort.enabled without kube-proxy replacement, 1.14 honours it,
     * and BPF NodePort drops the node's non-echo ICMP (issue #23955); the pods, masqueraded by iptables, do not change.
     */
    @Test
    void aNodesOwnFlowThatChangesIsListedFromTheNode(@TempDir Path dir) throws IOException {
        Path s = scenario(dir, """
                name: nodeport-host
                cluster: {nodes: 2, network: {subnet: 172.28.0.0/24}, podCIDR: 10.42.0.0/16}
                cilium:
                  version: 1.13.4
                  values: {tunnel: disabled, ipv4NativeRoutingCIDR: 10.42.0.0/16, nodePort.enabled: true}
                modes: [{name: iptables, values: {bpf.masquerade: false}}]
                destinations: [{name: public, ip: 198.20.0.10}]
                probes: [tcp, icmp-timestamp]
                """);
        assertThat(Main.run("upgrade", "--scenario", s.toString(), "--to", "1.14.0", "--json")).isEqualTo(1);
        JsonNode changes = json().get("modes").get(0).get("changes");
        assertThat(changes).isNotEmpty().allSatisfy(c -> {
            assertThat(c.get("from").asText()).startsWith("node:");
            assertThat(c.get("protocol").asText()).isEqualTo("icmp-13");
            assertThat(c.get("before").asText()).isEqualTo("node-ip");
            assertThat(c.get("after").asText()).isEqualTo("dropped");
        }).anySatisfy(c -> assertThat(c.get("from").asText() + " -> " + c.get("to").asText()).isEqualTo("node:node-1 -> public"));
    }

    /** A changed flow's answer brings its own unsettled fact: I4 (several egress interfaces) on 1.15, whose fix may be backported. */
    @Test
    void theUnsettledFactsOfAChangedFlowsAnswerAreListed(@TempDir Path dir) throws IOException {
        Path s = scenario(dir, """
                name: egress-interfaces
                cluster: {nodes: 2, network: {subnet: 172.28.0.0/24}, podCIDR: 10.42.0.0/16}
                cilium:
                  version: 1.13.4
                  values: {egressMasqueradeInterfaces: "eth+ ens+"}
                modes: [{name: iptables, values: {bpf.masquerade: false}}]
                destinations: [{name: public, ip: 198.20.0.10}]
                probes: [tcp]
                """);
        assertThat(Main.run("upgrade", "--scenario", s.toString(), "--to", "1.15.0", "--json")).isEqualTo(1);
        JsonNode j = json();
        assertThat(j.get("modes").get(0).get("changes")).anySatisfy(c -> {
            assertThat(c.get("to").asText()).isEqualTo("public");
            assertThat(c.get("before").asText()).isEqualTo("node-ip");
            assertThat(c.get("after").asText()).isEqualTo("pod-ip");
        });
        assertThat(j.get("unverified")).anySatisfy(u -> assertThat(u.asText()).startsWith("I4:").contains("#36103"));
    }

    /** PR #23165: IPv6 BPF masquerading from 1.14; 1.13 refuses BPF with IPv6 masquerading (PR #17906). */
    @Test
    void aModeRefusedBefore1_14RunsAfterItAndIpv6FlowsAreMasqueraded(@TempDir Path dir) throws IOException {
        Path s = scenario(dir, Files.readString(Path.of("scenarios/dual-stack.yaml"))
                .replace("{name: bpf, values: {bpf.masquerade: true, enableIPv6Masquerade: false, ipMasqAgent.enabled: false}}",
                        "{name: bpf, values: {bpf.masquerade: true, enableIPv6Masquerade: true, ipMasqAgent.enabled: false}}")
                .replaceAll("(?s)expect:.*?latency:", "latency:"));
        assertThat(Main.run("upgrade", "--scenario", s.toString(), "--to", "1.14.0", "--json")).isEqualTo(1);
        JsonNode bpf = json().get("modes").get(1);
        assertThat(bpf.get("before").get("refused").asText()).contains("BPF masquerade is not supported for IPv6.");
        assertThat(bpf.get("after").get("effectiveMode").asText()).isEqualTo("bpf");
        assertThat(bpf.get("after").get("refused").isNull()).isTrue();
        assertThat(bpf.get("changes")).as("no flow is compared with a refused side").isEmpty();
    }

    @Test
    void theTextAnswerSaysWhatBreaksAndTheExitMeaning() {
        assertThat(Main.run("upgrade", "--scenario", "scenarios/masquerade-toggle.yaml", "--to", "1.16")).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("from Cilium 1.13.4 to 1.16")
                .contains("mode bpf: bpf -> REFUSED (Helm refuses the values")
                .contains("tunnel: ").contains("exit 2: a mode breaks after the upgrade");
    }

    @Test
    void badInputExitsWithTwoNamingTheOption() {
        assertThat(Main.run("upgrade", "--scenario", "scenarios/lab.yaml", "--to", "1.17.0")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--to").contains("1.13.x, 1.14.x, 1.15.x or 1.16.x");
        err.reset();
        assertThat(Main.run("upgrade", "--to", "1.15")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("exactly one of --scenario, --kubeconfig, --config");
        err.reset();
        assertThat(Main.run("upgrade", "--scenario", "scenarios/masquerade-toggle.yaml", "--from", "1.15.0", "--to", "1.14.0")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("older than the running 1.15.0");
    }

    /** A captured 1.13 cilium-config (tunnel: disabled, as the 1.13.4 chart writes it) read by inspect's parser. */
    @Test
    void aCapturedConfigIsJudgedWithAssumedNodesThatTheAnswerNames(@TempDir Path dir) throws IOException {
        Path config = dir.resolve("cilium-config.yaml");
        Files.writeString(config, """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: cilium-config, namespace: kube-system}
                data:
                  tunnel: "disabled"
                  ipv4-native-routing-cidr: "10.42.0.0/16"
                  auto-direct-node-routes: "true"
                  kube-proxy-replacement: "strict"
                  enable-bpf-masquerade: "true"
                """);
        assertThat(Main.run("upgrade", "--config", config.toString(), "--to", "1.15.8", "--json")).as("--from is required").isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--config needs --from");
        out.reset();
        assertThat(Main.run("upgrade", "--config", config.toString(), "--from", "1.13.4", "--to", "1.15.8", "--json")).isEqualTo(2);
        JsonNode j = json();
        assertThat(j.get("modes")).singleElement().satisfies(m -> {
            assertThat(m.get("mode").asText()).isEqualTo("current");
            assertThat(m.get("before").get("effectiveMode").asText()).isEqualTo("bpf");
            assertThat(m.get("after").get("refused").asText()).contains("tunnel was deprecated");
        });
        assertThat(j.get("unverified")).anySatisfy(u -> assertThat(u.asText()).contains("values read from cilium-config"));
        assertThat(j.get("unverified")).anySatisfy(u -> assertThat(u.asText()).contains("two are assumed"));
    }

    /** facts H5: a 1.15 answer resting on strict read as true says it is unverified, in JSON and text. */
    @Test
    void anAnswerRestingOnAnUnsettledFactSaysSo(@TempDir Path dir) throws IOException {
        Path s = scenario(dir, """
                name: vxlan
                cluster: {nodes: 2, network: {subnet: 172.28.0.0/24}, podCIDR: 10.42.0.0/16}
                cilium: {version: 1.13.4, values: {kubeProxyReplacement: strict}}
                modes: [{name: bpf, values: {bpf.masquerade: true}}]
                destinations: [{name: public, ip: 198.20.0.10}]
                """);
        assertThat(Main.run("upgrade", "--scenario", s.toString(), "--to", "1.15.6", "--json")).isZero();
        assertThat(json().get("unverified")).anySatisfy(u -> assertThat(u.asText()).startsWith("H5:"));
        out.reset();
        assertThat(Main.run("upgrade", "--scenario", s.toString(), "--to", "1.15.6")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("mode bpf: bpf -> bpf (unchanged)")
                .contains("unverified (the answer rests on facts not settled against the release):\n  - H5:")
                .contains("exit 0: nothing changes");
    }
}
