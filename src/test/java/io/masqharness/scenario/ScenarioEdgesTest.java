package io.masqharness.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.masqharness.net.Cidr;
import io.masqharness.net.Ipv4;
import io.masqharness.oracle.IpMasqAgentFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loader at the edges of each range (the last accepted value and the first refused one), the
 * defaults it fills in, and what the scenario's facts resolve to.
 */
class ScenarioEdgesTest {

    static final String VALID = ScenarioLoaderTest.VALID;

    @TempDir
    Path dir;

    Path write(String content) throws IOException {
        Path file = dir.resolve("edge.yaml");
        Files.writeString(file, content);
        return file;
    }

    Scenario load(String content) throws IOException {
        return new ScenarioLoader().load(write(content));
    }

    /** Every problem of the file as "field: message". */
    List<String> problems(String content) throws IOException {
        Path file = write(content);
        try {
            new ScenarioLoader().load(file);
            return List.of();
        } catch (ScenarioException e) {
            return e.problems().stream().map(p -> p.path() + ": " + p.message()).toList();
        }
    }

    /** The switch is helm upgrade --reuse-values: what an earlier mode set stays on the cluster unless a later mode sets it again. */
    @Test
    void aModeMustSetWhatAnEarlierModeChangedAwayFromTheBase() throws IOException {
        String back = VALID.replace("""
                    ipMasqAgentConfig: {nonMasqueradeCIDRs: [10.0.0.0/8], masqLinkLocal: true}
                """, """
                    ipMasqAgentConfig: {nonMasqueradeCIDRs: [10.0.0.0/8], masqLinkLocal: true}
                  - {name: iptables-again, values: {bpf.masquerade: false}}
                """);
        assertThat(problems(back)).containsExactly("modes[2].values: mode 'iptables-again' does not set ipMasqAgent.enabled, which mode"
                + " 'agent' set to true: `helm upgrade --reuse-values` keeps true on the cluster while this mode is judged with the"
                + " chart's default; set ipMasqAgent.enabled in this mode");
        assertThat(problems(back.replace("iptables-again, values: {bpf.masquerade: false}", "iptables-again, values: {bpf.masquerade: false, ipMasqAgent.enabled: false}")))
                .as("set again explicitly").isEmpty();
        assertThat(problems(back.replace("kubeProxyReplacement: strict}", "kubeProxyReplacement: strict, ipMasqAgent.enabled: true}")))
                .as("what the earlier mode left is the base value anyway").isEmpty();
    }

    /**
     * The latency trials switch through the modes in turn, the last back to the first: with a latency section the
     * first mode must also set what a later mode changed away from the base; without one it need not.
     */
    @Test
    void withLatencyTrialsTheFirstModeMustSetWhatTheLastModeChanged() throws IOException {
        String cycling = """
                name: t
                cluster: {backend: lab, nodes: 2, network: {subnet: 172.28.0.0/24}, podCIDR: 10.42.0.0/16}
                cilium: {version: 1.13.4, values: {tunnel: disabled, ipv4NativeRoutingCIDR: 10.42.0.0/16, kubeProxyReplacement: strict}}
                modes:
                  - {name: first, values: {bpf.masquerade: false}}
                  - {name: middle, values: {bpf.masquerade: true, ipMasqAgent.enabled: false}}
                  - name: last
                    values: {bpf.masquerade: true, ipMasqAgent.enabled: true}
                    ipMasqAgentConfig: {nonMasqueradeCIDRs: [10.0.0.0/8], masqLinkLocal: true}
                destinations:
                  - {name: public, ip: 198.20.0.10}
                latency: {kinds: [udp-rr]}
                """;
        assertThat(problems(cycling)).containsExactly("modes[0].values: mode 'first' does not set ipMasqAgent.enabled, which mode"
                + " 'last' set to true: `helm upgrade --reuse-values` keeps true on the cluster while this mode is judged with the"
                + " chart's default (the latency trials switch through the modes in turn, the last back to the first);"
                + " set ipMasqAgent.enabled in this mode");
        String noLatency = cycling.replace("latency: {kinds: [udp-rr]}\n", "");
        assertThat(noLatency).doesNotContain("latency");
        assertThat(load(noLatency).modes()).as("without latency trials the run never goes back to the first mode").hasSize(3);
        assertThat(problems(cycling.replace("{bpf.masquerade: false}", "{bpf.masquerade: false, ipMasqAgent.enabled: false}")))
                .as("the first mode sets it again").isEmpty();
    }

    /** The base values with one more (a tuning key): its problems, or none. */
    List<String> withBaseValue(String value) throws IOException {
        return problems(VALID.replace("kubeProxyReplacement: strict}", "kubeProxyReplacement: strict, " + value + "}"));
    }

    /** The tuning rules' keys are checked for their type at load, each problem naming its field. */
    @Test
    void tuningKeysOfTheWrongTypeAreRefusedAtLoadNamingTheField() throws IOException {
        assertThat(problems(VALID.replace("{bpf.masquerade: false,", "{bpf.masquerade: false, bandwidthManager.enabled: \"yes\","))).containsExactly(
                "modes[0].values.bandwidthManager.enabled: found \"yes\", expected true or false");
        assertThat(withBaseValue("hubble: {enabled: maybe}")).containsExactly("cilium.values.hubble.enabled: found \"maybe\", expected true or false");
        assertThat(withBaseValue("MTU: big")).containsExactly(
                "cilium.values.MTU: found \"big\", expected an MTU, a whole number from 0 (0: the device's MTU)");
        assertThat(withBaseValue("MTU: -1")).containsExactly(
                "cilium.values.MTU: found -1, expected an MTU, a whole number from 0 (0: the device's MTU)");
        assertThat(withBaseValue("MTU: 1500.5")).singleElement().asString().startsWith("cilium.values.MTU: found 1500.5, expected an MTU");
        assertThat(withBaseValue("bpf.ctTcpMax: lots")).containsExactly(
                "cilium.values.bpf.ctTcpMax: found \"lots\", expected a map size, a whole number of entries");
        assertThat(withBaseValue("bpf.lbMapMax: -5")).containsExactly(
                "cilium.values.bpf.lbMapMax: found -5, expected a map size, a whole number of entries");
        assertThat(withBaseValue("bpf.mapDynamicSizeRatio: 1.5")).containsExactly("cilium.values.bpf.mapDynamicSizeRatio: found 1.5,"
                + " expected a fraction of total memory from 0 to 1, e.g. 0.0025 (0 turns dynamic sizing off)");
        assertThat(withBaseValue("bpf.mapDynamicSizeRatio: half")).singleElement().asString()
                .startsWith("cilium.values.bpf.mapDynamicSizeRatio: found \"half\", expected a fraction of total memory");
        assertThat(withBaseValue("loadBalancer.acceleration: fast")).containsExactly(
                "cilium.values.loadBalancer.acceleration: found \"fast\", expected disabled, native, generic or best-effort (best-effort from 1.15)");
        assertThat(withBaseValue("loadBalancer: {mode: direct}")).containsExactly(
                "cilium.values.loadBalancer.mode: found \"direct\", expected snat, dsr or hybrid");
        assertThat(withBaseValue("loadBalancer.dsrDispatch: true")).containsExactly(
                "cilium.values.loadBalancer.dsrDispatch: found true, expected opt, ipip or geneve (geneve from 1.14)");
        assertThat(withBaseValue("encryption.type: aes")).containsExactly(
                "cilium.values.encryption.type: found \"aes\", expected ipsec or wireguard");
    }

    /** What the tuning rules accept loads as given: their own ranges (MTU 1280, CT sizes, best-effort before 1.15) are the agent's. */
    @Test
    void tuningKeysOfTheRightTypeLoadAsGiven() throws IOException {
        Scenario s = load(VALID.replace("kubeProxyReplacement: strict}", "kubeProxyReplacement: strict, MTU: 9000,"
                + " bpf.mapDynamicSizeRatio: 0.005, bpf.ctTcpMax: 100, bpf.natMax: \"524288\", loadBalancer.acceleration: best-effort,"
                + " loadBalancer.mode: dsr, bandwidthManager: {enabled: true, bbr: \"true\"}, hubble.enabled: false}"));
        assertThat(s.cilium().values()).containsEntry("MTU", 9000L).containsEntry("bpf.mapDynamicSizeRatio", 0.005)
                .containsEntry("bpf.ctTcpMax", 100L).containsEntry("bpf.natMax", "524288")
                .containsEntry("loadBalancer.acceleration", "best-effort").containsEntry("loadBalancer.mode", "dsr")
                .containsEntry("bandwidthManager.enabled", true).containsEntry("bandwidthManager.bbr", true)
                .containsEntry("hubble.enabled", false);
        assertThat(withBaseValue("MTU: 0")).isEmpty();
        assertThat(withBaseValue("MTU: \"1450\"")).isEmpty();
        assertThat(withBaseValue("bpf.mapDynamicSizeRatio: 0")).as("0 turns dynamic sizing off").isEmpty();
        assertThat(withBaseValue("bpf.mapDynamicSizeRatio: 1")).isEmpty();
        assertThat(withBaseValue("cni.chainingMode: generic-veth")).isEmpty();
    }

    @Test
    void theNodeNetworkMayBeFromSlashEightToSlashTwentyEight() throws IOException {
        assertThat(load(VALID.replace("subnet: 172.28.0.0/24", "subnet: 172.0.0.0/8").replace("10.42.0.0/16", "10.42.0.0/16"))
                .cluster().subnet()).isEqualTo(Cidr.parse("172.0.0.0/8"));
        Scenario small = load(VALID.replace("subnet: 172.28.0.0/24", "subnet: 172.28.0.0/28"));
        assertThat(small.cluster().externalHost()).as("the external host takes the last usable address of a small network")
                .isEqualTo(Ipv4.parse("172.28.0.14"));
        assertThat(load(VALID).cluster().externalHost()).isEqualTo(Ipv4.parse("172.28.0.100"));
        assertThat(problems(VALID.replace("subnet: 172.28.0.0/24", "subnet: 172.28.0.0/29"))).containsExactly(
                "cluster.network.subnet: found \"172.28.0.0/29\", expected a subnet between /8 and /28 (room for the nodes and the"
                        + " external host)");
        assertThat(problems(VALID.replace("subnet: 172.28.0.0/24", "subnet: 172.0.0.0/7"))).singleElement().asString()
                .startsWith("cluster.network.subnet: found \"172.0.0.0/7\", expected a subnet between /8 and /28");
    }

    @Test
    void podCidrsUpToSlashTwentyFourAreAccepted() throws IOException {
        assertThat(load(VALID.replace("podCIDR: 10.42.0.0/16", "podCIDR: 10.42.0.0/24").replace("nodes: 2", "nodes: 1"))
                .cluster().podCidr()).isEqualTo(Cidr.parse("10.42.0.0/24"));
        assertThat(problems(VALID.replace("podCIDR: 10.42.0.0/16", "podCIDR: 10.42.0.0/25"))).contains(
                "cluster.podCIDR: found \"10.42.0.0/25\", expected a pod CIDR of /24 or wider (each node gets a /24)");
    }

    @Test
    void theExternalHostMustBeOnTheNodeNetworkAndApartFromTheNodes() throws IOException {
        assertThat(load(VALID.replace("backend: lab", "backend: lab, externalHost: 172.28.0.200")).cluster().externalHost())
                .isEqualTo(Ipv4.parse("172.28.0.200"));
        assertThat(problems(VALID.replace("backend: lab", "backend: lab, externalHost: 10.9.9.9"))).containsExactly(
                "cluster.externalHost: external host 10.9.9.9 is outside the node network 172.28.0.0/24");
        assertThat(problems(VALID.replace("backend: lab", "backend: lab, externalHost: 172.28.0.11")
                .replace("nodes: 2", "nodes: [{name: a, ip: 172.28.0.11}]"))).containsExactly(
                "cluster.nodes[0].ip: node IP 172.28.0.11 is already used by another node or the external host");
    }

    @Test
    void listedNodesGetAddressesInOrderAndMustNotRepeat() throws IOException {
        Scenario s = load(VALID.replace("nodes: 2", "nodes: [{name: a}, {name: b}]"));
        assertThat(s.cluster().nodes()).containsExactly(
                new NodeSpec("a", Ipv4.parse("172.28.0.11"), Cidr.parse("10.42.0.0/24")),
                new NodeSpec("b", Ipv4.parse("172.28.0.12"), Cidr.parse("10.42.1.0/24")));
        assertThat(problems(VALID.replace("nodes: 2", "nodes: [{name: a}, {name: a, ip: 172.28.0.11}]"))).containsExactly(
                "cluster.nodes[1].name: node name 'a' is used twice",
                "cluster.nodes[1].ip: node IP 172.28.0.11 is already used by another node or the external host");
        assertThat(problems(VALID.replace("nodes: 2", "nodes: []"))).containsExactly("cluster.nodes: found a list, expected 1..10 nodes");
        assertThat(problems(VALID.replace("nodes: 2", "nodes: {a: 1}"))).containsExactly(
                "cluster.nodes: found a mapping, expected a node count 1..10 or a list of {name, ip, podCIDR}");
        assertThat(problems(VALID.replace("nodes: 2", "nodes: [{name: a, podCIDR: 10.43.0.0/24}]"))).containsExactly(
                "cluster.nodes[0].podCIDR: node pod CIDR 10.43.0.0/24 is outside the cluster pod CIDR 10.42.0.0/16");
        assertThat(problems(VALID.replace("nodes: 2", "nodes: [{name: a, podCIDR: 10.0.0.0/8}]"))).containsExactly(
                "cluster.nodes[0].podCIDR: node pod CIDR 10.0.0.0/8 is outside the cluster pod CIDR 10.42.0.0/16");
        assertThat(load(VALID.replace("nodes: 2", "nodes: 10")).cluster().nodes()).hasSize(10);
        assertThat(load(VALID.replace("nodes: 2", "nodes: 1")).cluster().nodes()).hasSize(1);
        assertThat(problems(VALID.replace("nodes: 2", "nodes: 0"))).containsExactly(
                "cluster.nodes: found 0, expected a node count, a whole number 1..10");
    }

    @Test
    void destinationsMustBeUnicastOutsideTheClusterAndListedOnce() throws IOException {
        String two = VALID + "  - {name: other, ip: %s}\n";
        assertThat(problems(two.formatted("198.20.0.10"))).containsExactly("destinations[1].ip: destination 198.20.0.10 is listed twice");
        assertThat(problems(two.formatted("172.28.0.50"))).containsExactly("destinations[1].ip: destination 172.28.0.50 is inside the"
                + " node network 172.28.0.0/24; nodes are probed as node:NODE, destinations must be elsewhere");
        for (String special : List.of("127.0.0.1", "224.0.0.1", "239.255.255.255", "255.255.255.255")) {
            assertThat(problems(two.formatted(special))).as(special).containsExactly("destinations[1].ip: destination " + special
                    + " is loopback, multicast or broadcast; expected a unicast address");
        }
        assertThat(load(two.formatted("223.255.255.254")).destinations()).hasSize(2);
        assertThat(load(two.formatted("240.0.0.1")).destinations()).as("class E is not multicast").hasSize(2);
        assertThat(load(two.formatted("126.255.255.255")).destinations()).hasSize(2);
        assertThat(load(two.formatted("128.0.0.1")).destinations()).hasSize(2);
        assertThat(problems(VALID + "  - {name: other}\n")).containsExactly(
                "destinations[1].ip: missing, expected an IPv4 address the external host answers on");
        assertThat(problems(VALID.replace("destinations:\n  - {name: public, ip: 198.20.0.10}\n", "destinations: []\n")))
                .containsExactly("destinations: found a list, expected at least one destination");
        assertThat(problems(VALID + "  - {name: public, ip: 198.20.0.11}\n")).containsExactly(
                "destinations[1].name: destination name 'public' is used twice");
    }

    @Test
    void probesDefaultToAllThreeAndMayNotBeEmpty() throws IOException {
        assertThat(problems(VALID + "probes: []\n")).containsExactly("probes: found a list, expected at least one probe protocol");
        assertThat(load(VALID + "probes: [udp]\n").probes()).containsExactly(io.masqharness.oracle.Protocol.UDP);
    }

    @Test
    void modesMustBeAListOfNamedModes() throws IOException {
        String noModes = VALID.substring(0, VALID.indexOf("modes:")) + "modes: []\n" + VALID.substring(VALID.indexOf("destinations:"));
        assertThat(problems(noModes)).containsExactly("modes: found a list, expected at least one mode");
        String notAList = VALID.substring(0, VALID.indexOf("modes:")) + "modes: iptables\n" + VALID.substring(VALID.indexOf("destinations:"));
        assertThat(problems(notAList)).containsExactly("modes: found \"iptables\", expected a list of modes, each {name, values,"
                + " ipMasqAgentConfig}");
        assertThat(problems(VALID.replace("{name: iptables, values: {bpf.masquerade: false, ipMasqAgent.enabled: false}}", "{values: {}}"))).containsExactly(
                "modes[0].name: missing, expected the mode's name (lower-case letters, digits and '-')");
        assertThat(problems(VALID.replace("name: t\n", "name: Tee\n"))).containsExactly(
                "name: found \"Tee\", expected the scenario's name: lower-case letters, digits and '-', at most 63 characters");
    }

    @Test
    void eachMeasurementWarmsUpForHalfASecondUnlessTheScenarioSaysOtherwise() throws IOException {
        assertThat(load(VALID + "latency: {rate: 100}\n").latency().orElseThrow().warmup()).hasMillis(500);
        assertThat(load(VALID + "latency: {warmup: 200ms}\n").latency().orElseThrow().warmup()).hasMillis(200);
        assertThat(problems(VALID + "latency: {warmup: 5}\n")).containsExactly(
                "latency.warmup: found 5, expected a duration from 100ms to 1h such as 500ms, 10s, 2m (a unit is required)");
    }

    @Test
    void latencyRangesIncludeTheirEnds() throws IOException {
        LatencySpec low = load(VALID + "latency: {rate: 1, duration: 100ms, trials: 100}\n").latency().orElseThrow();
        assertThat(low.rate()).isEqualTo(1);
        assertThat(low.duration()).hasMillis(100);
        assertThat(low.trials()).isEqualTo(100);
        LatencySpec high = load(VALID + "latency: {rate: 100000, duration: 1h, regression: {minEffect: 0.5, alpha: 0.5}}\n")
                .latency().orElseThrow();
        assertThat(high.rate()).isEqualTo(100_000);
        assertThat(high.duration()).hasHours(1);
        assertThat(high.minEffect()).isEqualTo(0.5);
        assertThat(high.alpha()).isEqualTo(0.5);
        assertThat(load(VALID + "latency: {duration: 2m}\n").latency().orElseThrow().duration()).hasMinutes(2);
        assertThat(load(VALID + "latency: {duration: 90s}\n").latency().orElseThrow().duration()).hasSeconds(90);
        assertThat(problems(VALID + "latency: {rate: 100001}\n")).containsExactly(
                "latency.rate: found 100001, expected requests per second, a whole number 1..100000");
        assertThat(problems(VALID + "latency: {duration: 99ms}\n")).containsExactly(
                "latency.duration: found \"99ms\", expected a duration from 100ms to 1h such as 500ms, 10s, 2m");
        assertThat(problems(VALID + "latency: {duration: 61m}\n")).singleElement().asString().startsWith("latency.duration: found \"61m\"");
        assertThat(problems(VALID + "latency: {trials: 101}\n")).containsExactly(
                "latency.trials: found 101, expected trials per mode, a whole number 1..100");
        assertThat(problems(VALID + "latency: {regression: {alpha: 0.51}}\n")).containsExactly(
                "latency.regression.alpha: found 0.51, expected a significance level above 0 and at most 0.5, e.g. 0.01");
        assertThat(problems(VALID + "latency: {regression: {alpha: 0}}\n")).singleElement().asString()
                .startsWith("latency.regression.alpha: found 0, expected a significance level");
        assertThat(problems(VALID + "latency: {regression: {minEffect: 0%}}\n")).containsExactly(
                "latency.regression.minEffect: found \"0%\", expected an effect-size floor such as 5% (or 0.05), between 0% and 100%");
        assertThat(problems(VALID + "latency: {regression: {minEffect: 100%}}\n")).singleElement().asString()
                .startsWith("latency.regression.minEffect: found \"100%\"");
        assertThat(problems(VALID + "latency: {regression: {minEffect: 1}}\n")).singleElement().asString()
                .startsWith("latency.regression.minEffect: found 1, expected an effect-size floor");
        assertThat(problems(VALID + "latency: {regression: {minEffect: lots}}\n")).singleElement().asString()
                .startsWith("latency.regression.minEffect: found \"lots\"");
        assertThat(load(VALID + "latency: {regression: {minEffect: 99.5%}}\n").latency().orElseThrow().minEffect()).isEqualTo(0.995);
        assertThat(problems(VALID + "latency: {kinds: tcp-rr}\n")).containsExactly(
                "latency.kinds: found \"tcp-rr\", expected a list of [tcp-rr, tcp-crr, udp-rr, tcp-stream]");
    }

    @Test
    void aFileOfExactlyTheLimitLoadsAndOneByteMoreDoesNot() throws IOException {
        String padded = VALID + "#" + "x".repeat((int) ScenarioLoader.MAX_BYTES - VALID.length() - 2) + "\n";
        assertThat(padded.length()).isEqualTo(ScenarioLoader.MAX_BYTES);
        assertThat(load(padded).name()).isEqualTo("t");
        assertThatThrownBy(() -> load(padded + "\n")).hasMessageEndingWith("is 1048577 bytes; a scenario is at most 1048576 bytes"
                + " (is this the right file?)");
        assertThatThrownBy(() -> new ScenarioLoader().load(dir)).hasMessageEndingWith("is a directory, expected a scenario file (.yaml)");
        assertThatThrownBy(() -> load("name: t\n\u00e9t\u00e9: [")).hasMessageContaining("is not valid YAML");
        Path latin1 = dir.resolve("latin1.yaml");
        Files.write(latin1, new byte[] {'n', 'a', 'm', 'e', ':', ' ', (byte) 0xe9, '\n'});
        assertThatThrownBy(() -> new ScenarioLoader().load(latin1)).hasMessageEndingWith("is not UTF-8 text, expected a YAML text file");
    }

    @Test
    void helmValuesAreCheckedWhereMasqueradingDependsOnThem() throws IOException {
        String base = VALID.replace("    ipMasqAgentConfig: {nonMasqueradeCIDRs: [10.0.0.0/8], masqLinkLocal: true}\n", "")
                .replace("kubeProxyReplacement: strict}", "kubeProxyReplacement: strict, %s}");
        Map<String, Object> values = load(base.formatted("debug.enabled: true, operator.replicas: 1, image.tag: v1, ratio: 0.5,"
                + " devices: [eth0, eth1], labels: {}, egressMasqueradeInterfaces: eth0, ipMasqAgent.config.nonMasqueradeCIDRs: [10.0.0.0/8]"))
                .cilium().values();
        assertThat(values).containsEntry("debug.enabled", true).containsEntry("operator.replicas", 1L).containsEntry("image.tag", "v1")
                .containsEntry("ratio", 0.5).containsEntry("devices", List.of("eth0", "eth1")).containsEntry("labels", Map.of())
                .containsEntry("egressMasqueradeInterfaces", "eth0")
                .containsEntry("ipMasqAgent.config.nonMasqueradeCIDRs", List.of("10.0.0.0/8"));
        assertThat(problems(base.formatted("image.tag: null"))).containsExactly(
                "cilium.values.image.tag: found an empty value (null), expected a value (omit the key to use the chart's default)");
        assertThat(problems(VALID.replace("ipv4NativeRoutingCIDR: 10.42.0.0/16", "ipv4NativeRoutingCIDR: 10.42.0.1/16")))
                .singleElement().asString()
                .startsWith("cilium.values.ipv4NativeRoutingCIDR: found \"10.42.0.1/16\", expected an IPv4 CIDR");
        assertThat(problems(VALID.replace("kubeProxyReplacement: strict", "kubeProxyReplacement: [strict]"))).singleElement().asString()
                .isEqualTo("cilium.values.kubeProxyReplacement: found a list, expected a text value");
        assertThat(problems(VALID.replace("values: {tunnel", "values: {bpf: {masquerade: true}, bpf.masquerade: true, tunnel")))
                .containsExactly("cilium.values.bpf.masquerade: Helm value bpf.masquerade is given twice (once nested, once dotted)");
        assertThat(problems(VALID.replace("values: {tunnel: disabled, ipv4NativeRoutingCIDR: 10.42.0.0/16, kubeProxyReplacement: strict}",
                "values: [tunnel]"))).containsExactly("cilium.values: found a list, expected a mapping of Helm values (dotted keys as in"
                + " --set, or nested)");
        assertThat(problems(base.formatted("ipMasqAgent.config.nonMasqueradeCIDRs: 10.0.0.0/8"))).containsExactly(
                "cilium.values.ipMasqAgent.config.nonMasqueradeCIDRs: found \"10.0.0.0/8\", expected a list of IPv4 CIDRs");
    }

    @Test
    void fieldsDescribeWhatTheyFound() {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(Field.describe(null)).isEqualTo("nothing");
        assertThat(Field.describe(json.nullNode())).isEqualTo("an empty value (null)");
        assertThat(Field.describe(json.createObjectNode())).isEqualTo("a mapping");
        assertThat(Field.describe(json.createArrayNode())).isEqualTo("a list");
        assertThat(Field.describe(json.getNodeFactory().numberNode(7))).isEqualTo("7");
        assertThat(Field.describe(json.getNodeFactory().textNode("x".repeat(60)))).isEqualTo("\"" + "x".repeat(60) + "\"");
        assertThat(Field.describe(json.getNodeFactory().textNode("x".repeat(61)))).isEqualTo("\"" + "x".repeat(60) + "…\"");
        Field f = new Field(json.createObjectNode(), "modes[0]", Path.of("f.yaml"), new java.util.ArrayList<>());
        assertThat(f.path()).isEqualTo("modes[0]");
        assertThat(f.child("values").path()).isEqualTo("modes[0].values");
    }

    @Test
    void theFactsOfAScenarioResolveTargetsAndTheAgentsConfigFile() throws IOException {
        Scenario s = load(VALID);
        assertThat(ScenarioFacts.resolveTarget(s, "public")).isEqualTo("198.20.0.10");
        assertThat(ScenarioFacts.resolveTarget(s, "node:node-2")).isEqualTo("172.28.0.12");
        assertThat(ScenarioFacts.resolveTarget(s, "pod:node-2")).isEqualTo("10.42.1.10");
        assertThat(ScenarioFacts.resolveTarget(s, "8.8.8.8")).isEqualTo("8.8.8.8");
        assertThat(ScenarioFacts.resolveTarget(s, "2001:db8::1")).isEqualTo("2001:db8::1");
        assertThatThrownBy(() -> ScenarioFacts.resolveTarget(s, "nowhere")).hasMessageEndingWith(
                "destinations: 'nowhere' is neither a destination name [public], node:NODE, pod:NODE nor an IP address");
        assertThatThrownBy(() -> ScenarioFacts.resolveTarget(s, "node:node-7")).hasMessageEndingWith(
                "cluster.nodes: no node named 'node-7' (nodes: [node-1, node-2])");
        assertThat(ScenarioFacts.node(s, "node-2").ip()).isEqualTo(Ipv4.parse("172.28.0.12"));
        assertThat(ScenarioFacts.probePodAddress(s.cluster().nodes().get(1), 1)).isEqualTo(Ipv4.parse("10.42.1.11"));
        assertThat(ScenarioFacts.targets(s)).containsExactly(Map.entry("public", "198.20.0.10"));
        assertThat(ScenarioFacts.clusterFacts(s).nodes()).extracting(n -> n.name() + " " + n.ip() + " " + n.podCidr() + " " + n.device())
                .containsExactly("node-1 172.28.0.11 10.42.0.0/24 eth0", "node-2 172.28.0.12 10.42.1.0/24 eth0");

        assertThat(ScenarioFacts.ipMasqAgentFile(s, s.mode("iptables"))).isEqualTo(new IpMasqAgentFile.Absent());
        assertThat(ScenarioFacts.ipMasqAgentFile(s, s.mode("agent")))
                .isEqualTo(new IpMasqAgentFile.Present(List.of(Cidr.parse("10.0.0.0/8")), true));
        String helmConfig = "ipMasqAgent.config.nonMasqueradeCIDRs: [192.168.0.0/16, 10.0.0.0/8], ipMasqAgent.config.masqLinkLocal: true";
        Scenario helm = load(VALID.replace("    ipMasqAgentConfig: {nonMasqueradeCIDRs: [10.0.0.0/8], masqLinkLocal: true}\n", "")
                .replace("values: {bpf.masquerade: false,", "values: {bpf.masquerade: false, " + helmConfig + ",")
                .replace("values: {bpf.masquerade: true, ipMasqAgent.enabled: true}",
                        "values: {bpf.masquerade: true, ipMasqAgent.enabled: true, " + helmConfig + "}"));
        assertThat(ScenarioFacts.ipMasqAgentFile(helm, helm.mode("iptables"))).as("from Helm's ipMasqAgent.config.*")
                .isEqualTo(new IpMasqAgentFile.Present(List.of(Cidr.parse("192.168.0.0/16"), Cidr.parse("10.0.0.0/8")), true));
        assertThat(ScenarioFacts.helmValues(helm, helm.mode("agent")).bool("bpf.masquerade", false)).isTrue();
        assertThatThrownBy(() -> s.mode("ebpf")).hasMessageEndingWith("modes: no mode named 'ebpf' (modes: [iptables, agent])");
        assertThat(s.destination("public")).isPresent();
        assertThat(s.destination("private")).isEmpty();
        assertThat(ClusterSpec.Backend.KUBECONFIG.label()).isEqualTo("kubeconfig");
    }

    @Test
    void explicitExpectationsLoadAsWritten() throws IOException {
        Scenario s = load(VALID + "expect:\n  - {mode: agent, to: node:node-2, protocol: udp, source: pod-ip}\n"
                + "  - {mode: iptables, from: pod:node-2, to: public, protocol: tcp, source: node-ip}\n");
        assertThat(s.expect()).containsExactly(
                new ExpectSpec("agent", "pod", "node:node-2", io.masqharness.oracle.Protocol.UDP,
                        io.masqharness.oracle.Expectation.Source.POD_IP),
                new ExpectSpec("iptables", "pod:node-2", "public", io.masqharness.oracle.Protocol.TCP,
                        io.masqharness.oracle.Expectation.Source.NODE_IP));
    }

    @Test
    void clusterAndCiliumFieldsTakeTheirUsualSpellings() throws IOException {
        assertThat(load(VALID.replace("version: 1.13.4", "version: v1.13.6")).cilium().version()).isEqualTo("1.13.6");
        assertThat(load(VALID.replace("backend: lab", "backend: lab, k3sImage: rancher/k3s:v1.27.1-k3s1")).cluster().k3sImage())
                .isEqualTo("rancher/k3s:v1.27.1-k3s1");
        assertThat(problems(VALID.replace("backend: lab", "backend: lab, k3sImage: Rancher/K3s"))).containsExactly(
                "cluster.k3sImage: found \"Rancher/K3s\", expected an image reference such as rancher/k3s:v1.26.6-k3s1");
        assertThat(problems(VALID.replace("backend: lab", "backend: lba"))).containsExactly(
                "cluster.backend: found \"lba\", expected one of [k3s, kubeconfig, lab] (did you mean 'lab'?)");
        assertThat(problems(VALID.replace("cluster: {backend: lab, nodes: 2, network: {subnet: 172.28.0.0/24}, podCIDR: 10.42.0.0/16}",
                "cluster: 5"))).containsExactly("cluster: found 5, expected a mapping with backend, k3sImage, nodes, network, podCIDR");
        assertThat(problems(VALID.replace("subnet: 172.28.0.0/24", "subnet: 24"))).containsExactly(
                "cluster.network.subnet: found 24, expected an IPv4 CIDR such as 10.0.0.0/8");
        assertThat(problems(VALID.replace("values: {tunnel: disabled", "values: {tunnel: [vxlan]"))).containsExactly(
                "cilium.values.tunnel: found a list, expected vxlan, geneve or disabled");
        assertThat(load(VALID.replace("{bpf.masquerade: false,", "{bpf.masquerade: \"false\",")).mode("iptables").values())
                .containsEntry("bpf.masquerade", false);
    }

    @Test
    void nodeListsReachTheirLimitsExactly() throws IOException {
        StringBuilder ten = new StringBuilder("nodes: [");
        for (int i = 0; i < 11; i++) {
            ten.append(i == 0 ? "" : ", ").append("{name: n").append(i).append('}');
        }
        String eleven = ten + "]";
        String exactlyTen = eleven.replace(", {name: n10}", "");
        assertThat(load(VALID.replace("nodes: 2", exactlyTen)).cluster().nodes()).hasSize(10);
        assertThat(problems(VALID.replace("nodes: 2", eleven))).contains("cluster.nodes: found a list, expected 1..10 nodes");
        assertThat(load(VALID.replace("nodes: 2", "nodes: [{name: a, podCIDR: 10.42.0.0/16}]")).cluster().nodes().get(0).podCidr())
                .as("a node may take the whole pod CIDR").isEqualTo(Cidr.parse("10.42.0.0/16"));
    }

    @Test
    void theAgentsConfigGivenAsHelmValuesAndAsAConfigMapIsRefused() throws IOException {
        assertThat(problems(VALID.replace("kubeProxyReplacement: strict}", "kubeProxyReplacement: strict,"
                + " ipMasqAgent.config.nonMasqueradeCIDRs: [10.0.0.0/8]}"))).containsExactly(
                "modes[1].ipMasqAgentConfig: the ip-masq-agent config is given twice (here and as Helm ipMasqAgent.config.*); keep one");
    }

    @Test
    void aModeThatIsNotAMappingIsOneProblem() throws IOException {
        assertThat(problems(VALID.replace("  - {name: iptables, values: {bpf.masquerade: false, ipMasqAgent.enabled: false}}", "  - iptables"))).containsExactly(
                "modes[0]: found \"iptables\", expected a mode {name, values, ipMasqAgentConfig}");
    }
}
