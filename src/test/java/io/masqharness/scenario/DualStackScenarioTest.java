package io.masqharness.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.net.Cidr;
import io.masqharness.net.Cidr6;
import io.masqharness.net.Family;
import io.masqharness.net.IpAddress;
import io.masqharness.net.Ipv6;
import io.masqharness.oracle.IpMasqAgentFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dual-stack fields of a scenario: what they default to, and every error with file, field, found and expected. */
class DualStackScenarioTest {

    static final String DUAL = """
            name: dual
            cluster:
              backend: lab
              network: {subnet: 172.28.0.0/24, subnetV6: "fd00:28::/64"}
              podCIDR: 10.42.0.0/16
              podCIDRv6: "fd00:42::/56"
            cilium:
              values: {ipv6.enabled: true, ipv6NativeRoutingCIDR: "fd00:42::/56", kubeProxyReplacement: strict}
            modes:
              - {name: iptables, values: {bpf.masquerade: false}}
            destinations:
              - {name: public, ip: 198.20.0.10}
              - {name: public, ip: "2001:db8:20::10"}
            """;

    @TempDir
    Path dir;

    Scenario load(String content) throws IOException {
        Path file = dir.resolve("dual.yaml");
        Files.writeString(file, content);
        return new ScenarioLoader().load(file);
    }

    List<String> problems(String content) throws IOException {
        Path file = dir.resolve("dual.yaml");
        Files.writeString(file, content);
        try {
            new ScenarioLoader().load(file);
            return List.of();
        } catch (ScenarioException e) {
            assertThat(e.getMessage()).startsWith(file.toString());
            return e.problems().stream().map(p -> p.path() + ": " + p.message()).toList();
        }
    }

    @Test
    void bothPrefixesMakeADualStackClusterWithPairedAddresses() throws IOException {
        Scenario s = load(DUAL);
        assertThat(s.cluster().dualStack()).isTrue();
        assertThat(s.cluster().externalHostV6()).contains(Ipv6.parse("fd00:28::100"));
        NodeSpec n2 = s.cluster().nodes().get(1);
        assertThat(n2.ipv6()).as(".12 pairs with ::12").contains(Ipv6.parse("fd00:28::12"));
        assertThat(n2.podCidrV6()).as("the second /64 of the /56").contains(Cidr6.parse("fd00:42:0:1::/64"));
        assertThat(s.destinations(Family.IPV6)).extracting(DestinationSpec::ip).containsExactly(IpAddress.parse("2001:db8:20::10"));
        assertThat(s.destination("public")).get().extracting(DestinationSpec::family).as("a bare name is its IPv4 entry")
                .isEqualTo(Family.IPV4);
        assertThat(ScenarioFacts.resolveTarget(s, "public", java.util.Optional.of(Family.IPV6))).isEqualTo("2001:db8:20::10");
        assertThat(ScenarioFacts.resolveTarget(s, "pod:node-2", java.util.Optional.of(Family.IPV6))).isEqualTo("fd00:42:0:1::10");
        assertThat(ScenarioFacts.clusterFacts(s).dualStack()).isTrue();
    }

    @Test
    void ipv4OnlyScenariosStayIpv4Only() throws IOException {
        Scenario s = load(ScenarioLoaderTest.VALID);
        assertThat(s.cluster().dualStack()).isFalse();
        assertThat(s.cluster().nodes()).allSatisfy(n -> assertThat(n.ipv6()).isEmpty());
        assertThat(s.latency().map(LatencySpec::families)).isEmpty();
        assertThat(load(ScenarioLoaderTest.VALID + "latency: {}\n").latency().get().families()).containsExactly(Family.IPV4);
    }

    @Test
    void onePrefixWithoutTheOtherIsRefused() throws IOException {
        assertThat(problems(DUAL.replace("  podCIDRv6: \"fd00:42::/56\"\n", "")
                .replace("ipv6.enabled: true, ipv6NativeRoutingCIDR: \"fd00:42::/56\", ", "")
                .replace("  - {name: public, ip: \"2001:db8:20::10\"}\n", ""))).containsExactly(
                "cluster.podCIDRv6: missing, expected an IPv6 CIDR: a dual-stack cluster needs both cluster.network.subnetV6 (the node"
                        + " network's IPv6 prefix, e.g. fd00:28::/64) and cluster.podCIDRv6 (e.g. fd00:42::/56); give both or neither");
    }

    @Test
    void prefixesAreCheckedForFamilySizeAndOverlap() throws IOException {
        assertThat(problems(DUAL.replace("subnetV6: \"fd00:28::/64\"", "subnetV6: 172.29.0.0/24"))).first().asString()
                .startsWith("cluster.network.subnetV6: found \"172.29.0.0/24\", expected an IPv6 CIDR such as fd00:42::/56");
        assertThat(problems(DUAL.replace("podCIDRv6: \"fd00:42::/56\"", "podCIDRv6: \"fd00:42::/80\""))).contains(
                "cluster.podCIDRv6: found \"fd00:42::/80\", expected an IPv6 pod CIDR between /32 and /64 (each node gets a /64,"
                        + " K3s's default node-cidr-mask-size-ipv6)");
        assertThat(problems(DUAL.replace("subnetV6: \"fd00:28::/64\"", "subnetV6: \"fd00:42::/64\""))).contains(
                "cluster.podCIDRv6: IPv6 pod CIDR fd00:42::/56 overlaps the IPv6 node network fd00:42::/64; they must be disjoint");
        assertThat(problems(DUAL.replace("subnetV6: \"fd00:28::/64\"", "subnetV6: \"fd00:28::/120\""))).first().asString()
                .startsWith("cluster.network.subnetV6: found \"fd00:28::/120\", expected an IPv6 node network between /48 and /112");
    }

    @Test
    void explicitNodesTakeIpv6FieldsOnlyOnADualStackCluster() throws IOException {
        String nodes = DUAL.replace("  podCIDR: 10.42.0.0/16\n", """
                  podCIDR: 10.42.0.0/16
                  nodes:
                    - {name: a, ip: 172.28.0.11, podCIDR: 10.42.0.0/24, ipv6: "fd00:28::a", podCIDRv6: "fd00:42:0:10::/64"}
                    - {name: b, ip: 172.28.0.12, podCIDR: 10.42.1.0/24, ipv6: "fd00:29::b"}
                """);
        assertThat(problems(nodes)).containsExactly(
                "cluster.nodes[1].ipv6: node IPv6 fd00:29::b is outside the IPv6 node network fd00:28::/64");
        Scenario ok = load(nodes.replace("fd00:29::b", "fd00:28::b"));
        assertThat(ok.cluster().nodes().get(0).podCidrV6()).contains(Cidr6.parse("fd00:42:0:10::/64"));
        assertThat(problems(ScenarioLoaderTest.VALID.replace("nodes: 2", "nodes: [{name: a, ipv6: \"fd00::1\"}]")))
                .contains("cluster.nodes[0].ipv6: ipv6 needs a dual-stack cluster (cluster.network.subnetV6 and cluster.podCIDRv6)");
    }

    @Test
    void ipv6DestinationsAreCheckedLikeIpv4Ones() throws IOException {
        String v6 = "  - {name: public, ip: \"2001:db8:20::10\"}\n";
        assertThat(problems(DUAL.replace(v6, "  - {name: in, ip: \"fd00:42:0:1::5\"}\n"))).containsExactly(
                "destinations[1].ip: destination fd00:42:0:1::5 is inside the IPv6 pod CIDR fd00:42::/56; destinations are"
                        + " addresses outside the cluster (pods are probed as pod:NODE)");
        assertThat(problems(DUAL.replace(v6, "  - {name: ll, ip: \"fe80::1\"}\n"))).singleElement().asString()
                .contains("destinations[1].ip: destination fe80::1 is IPv6 link-local");
        assertThat(problems(DUAL.replace(v6, "  - {name: m, ip: \"ff02::1\"}\n"))).singleElement().asString()
                .contains("unspecified, loopback or multicast");
        assertThat(problems(DUAL.replace(v6, v6 + v6))).containsExactly(
                "destinations[2].name: destination name 'public' is used twice for ipv6; a name may be given once per family"
                        + " (one IPv4 and one IPv6 entry)",
                "destinations[2].ip: destination 2001:db8:20::10 is listed twice");
        assertThat(problems(DUAL.replace(v6, "  - {name: bad, ip: \"2001:db8::zz\"}\n"))).singleElement().asString()
                .startsWith("destinations[1].ip: found \"2001:db8::zz\", expected an IPv4 address such as 198.20.0.10 or an IPv6 address");
    }

    @Test
    void anIpv6DestinationOrIpv6EnabledNeedsADualStackCluster() throws IOException {
        assertThat(problems(ScenarioLoaderTest.VALID.replace("destinations:\n", "destinations:\n  - {name: six, ip: \"2001:db8::1\"}\n")))
                .containsExactly("destinations[0].ip: found \"2001:db8::1\", expected an IPv4 address: the cluster is IPv4-only, and"
                        + " an IPv6 address needs a dual-stack cluster (cluster.network.subnetV6 and cluster.podCIDRv6)");
        String v4only = DUAL.replace("  network: {subnet: 172.28.0.0/24, subnetV6: \"fd00:28::/64\"}\n", "")
                .replace("  podCIDRv6: \"fd00:42::/56\"\n", "").replace("  - {name: public, ip: \"2001:db8:20::10\"}\n", "");
        assertThat(problems(v4only)).singleElement().asString().startsWith("cilium.values: ipv6.enabled is true on an IPv4-only"
                + " cluster; ipv6.enabled=true needs a dual-stack cluster");
    }

    @Test
    void theIpv6NativeRoutingCidrIsAnIpv6Cidr() throws IOException {
        assertThat(problems(DUAL.replace("ipv6NativeRoutingCIDR: \"fd00:42::/56\"", "ipv6NativeRoutingCIDR: 10.42.0.0/16")))
                .singleElement().asString().startsWith("cilium.values.ipv6NativeRoutingCIDR: found \"10.42.0.0/16\", expected an IPv6 CIDR");
        assertThat(problems(DUAL.replace("ipv6NativeRoutingCIDR: \"fd00:42::/56\"", "ipv6NativeRoutingCIDR: \"fd00:42:1::/40\"")))
                .singleElement().asString().contains("host bits set");
    }

    @Test
    void expectationsNameTheirFamilyWhenTheDestinationHasBoth() throws IOException {
        String expect = "expect:\n  - {mode: iptables, to: public, protocol: tcp, source: node-ip%s}\n";
        assertThat(problems(DUAL + expect.formatted(""))).containsExactly(
                "expect[0].family: missing, expected ipv4 or ipv6: destination 'public' is given in both families");
        assertThat(load(DUAL + expect.formatted(", family: ipv6")).expect().get(0).family()).isEqualTo(Family.IPV6);
        assertThat(problems(DUAL + expect.formatted(", family: ipv7"))).containsExactly(
                "expect[0].family: found \"ipv7\", expected ipv4 or ipv6 (did you mean 'ipv4'?)");
        String only4 = DUAL.replace("  - {name: public, ip: \"2001:db8:20::10\"}\n", "  - {name: six, ip: \"2001:db8:20::10\"}\n");
        assertThat(problems(only4 + expect.formatted(", family: ipv6"))).containsExactly(
                "expect[0].family: found \"ipv6\", expected ipv4: destination 'public' has no ipv6 address");
        assertThat(load(only4 + "expect:\n  - {mode: iptables, to: six, protocol: tcp, source: node-ip}\n").expect().get(0).family())
                .as("an IPv6-only destination makes an IPv6 flow").isEqualTo(Family.IPV6);
    }

    @Test
    void latencyFamiliesNeedADestinationOfTheirOwn() throws IOException {
        assertThat(load(DUAL + "latency: {families: [ipv4, ipv6]}\n").latency().get().families())
                .containsExactly(Family.IPV4, Family.IPV6);
        assertThat(problems(DUAL.replace("  - {name: public, ip: \"2001:db8:20::10\"}\n", "") + "latency: {families: [ipv6]}\n"))
                .containsExactly("latency.families[0]: no ipv6 destination to measure ipv6 latency against; add one to destinations");
        assertThat(problems(DUAL + "latency: {families: [ipv4, ipv4]}\n")).containsExactly(
                "latency.families[1]: family 'ipv4' is listed twice");
        assertThat(problems(ScenarioLoaderTest.VALID + "latency: {families: [ipv6]}\n")).containsExactly(
                "latency.families[0]: found \"ipv6\", expected ipv4: the cluster is IPv4-only (IPv6 latency needs"
                        + " cluster.network.subnetV6 and cluster.podCIDRv6)");
    }

    /** pkg/ipmasq/ipmasq.go:63-71 at v1.13.4: an IPv6 entry makes the agent reject the whole file; the scenario may say so on purpose. */
    @Test
    void anIpv6NonMasqueradeCidrIsLoadedAsTheFileTheAgentRejects() throws IOException {
        String modes = """
                  - {name: agent, values: {bpf.masquerade: true, enableIPv6Masquerade: false, ipMasqAgent.enabled: true},
                     ipMasqAgentConfig: {nonMasqueradeCIDRs: [10.0.0.0/8]}}
                  - {name: agent-v6, values: {bpf.masquerade: true, enableIPv6Masquerade: false, ipMasqAgent.enabled: true},
                     ipMasqAgentConfig: {nonMasqueradeCIDRs: [10.0.0.0/8, "fd00::/8"]}}
                """;
        Scenario s = load(DUAL.replace("destinations:", modes + "destinations:"));
        IpMasqAgentFile first = ScenarioFacts.ipMasqAgentFile(s, s.mode("iptables"));
        assertThat(first).isInstanceOf(IpMasqAgentFile.Absent.class);
        IpMasqAgentFile rejected = ScenarioFacts.ipMasqAgentFile(s, s.mode("agent-v6"));
        assertThat(rejected).isInstanceOf(IpMasqAgentFile.Rejected.class);
        assertThat(rejected.effectiveCidrs()).as("the previous mode's agent filled the map; the rejected file leaves it")
                .containsExactly(Cidr.parse("10.0.0.0/8"), Cidr.parse("169.254.0.0/16"));
        assertThat(rejected.describe()).contains("mode agent");
    }
}
