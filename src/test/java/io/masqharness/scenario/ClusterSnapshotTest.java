package io.masqharness.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.masqharness.net.Cidr;
import io.masqharness.net.Cidr6;
import io.masqharness.net.Family;
import io.masqharness.net.Ipv4;
import io.masqharness.net.Ipv6;
import io.masqharness.oracle.CiliumVersion;
import io.masqharness.oracle.IpMasqAgentFile;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A cluster or a capture as a one-mode scenario: what is read, what is assumed (and said), and the destinations judged. */
class ClusterSnapshotTest {

    static NodeSpec node(int i, String pods) {
        return new NodeSpec("n" + i, Ipv4.parse("192.168.5.1" + i), Cidr.parse(pods));
    }

    @Test
    void aCaptureHasTwoAssumedNodesInItsPoolAndSaysSo() {
        ClusterSnapshot s = ClusterSnapshot.fromConfig("capture c.yaml", CiliumVersion.parse("1.14.2"),
                Map.of("cluster-pool-ipv4-cidr", "10.0.0.0/8 10.1.0.0/16", "routing-mode", "native", "ipv4-native-routing-cidr", "10.0.0.0/8"),
                Optional.empty());
        assertThat(s.nodes()).extracting(n -> n.name() + " " + n.ip() + " " + n.podCidr())
                .containsExactly("node-1 172.28.0.11 10.0.0.0/24", "node-2 172.28.0.12 10.0.1.0/24");
        assertThat(s.notes()).hasSize(2).last().asString().contains("two are assumed").contains("from 10.0.0.0/8");
        assertThat(s.values()).containsEntry("routingMode", "native");
        assertThat(s.valuesFrom()).isEqualTo("cilium-config");
        assertThat(s.dualStack()).isFalse();
        ClusterSnapshot nativeOnly = ClusterSnapshot.fromConfig("c", CiliumVersion.parse("1.13.4"),
                Map.of("cluster-pool-ipv4-cidr", "nonsense", "ipv4-native-routing-cidr", "10.50.0.0/16"), Optional.empty());
        assertThat(nativeOnly.nodes().get(1).podCidr().toString()).as("an unreadable pool falls to the native CIDR").isEqualTo("10.50.1.0/24");
        assertThat(ClusterSnapshot.fromConfig("c", CiliumVersion.parse("1.13.4"), Map.of(), Optional.empty()).nodes().get(0).podCidr()
                .toString()).isEqualTo("10.42.0.0/24");
    }

    @Test
    void aDualStackCaptureGetsIpv6NodesAndIpv6Destinations() {
        ClusterSnapshot s = ClusterSnapshot.fromConfig("c", CiliumVersion.parse("1.14.2"), Map.of("enable-ipv6", "true",
                "ipv6-native-routing-cidr", "fd00:50::/56"), Optional.empty());
        assertThat(s.dualStack()).isTrue();
        assertThat(s.nodes().get(1).ipv6()).contains(Ipv6.parse("fd00:28::12"));
        assertThat(s.nodes().get(1).podCidrV6()).contains(Cidr6.parse("fd00:50:0:1::/64"));
        Scenario sc = s.toScenario(List.of());
        assertThat(sc.destinations(Family.IPV6)).extracting(DestinationSpec::name).containsExactly("public", "ula");
        assertThat(ClusterSnapshot.fromConfig("c", CiliumVersion.parse("1.14.2"), Map.of("enable-ipv6", "true"), Optional.empty())
                .nodes().get(0).podCidrV6()).contains(Cidr6.parse("fd00:42::/64"));
        assertThat(ClusterSnapshot.fromConfig("c", CiliumVersion.parse("1.14.2"), Map.of("enable-ipv6", "true",
                "cluster-pool-ipv6-cidr", "bad", "ipv6-native-routing-cidr", "fd00:60::/56"), Optional.empty()).nodes().get(0).podCidrV6())
                .contains(Cidr6.parse("fd00:60::/64"));
    }

    @Test
    void defaultDestinationsInsideTheClustersRangesAreLeftOut() {
        ClusterSnapshot s = new ClusterSnapshot("c", "1.13.4", Map.of("ipv4NativeRoutingCIDR", "100.64.0.0/10"),
                "Helm release", List.of(node(1, "192.168.76.0/24"), node(2, "192.168.77.0/24")), Optional.of(new IpMasqAgentFile.Empty()),
                List.of());
        Scenario sc = s.toScenario(List.of());
        assertThat(sc.destinations()).extracting(DestinationSpec::name).containsExactly("public", "link-local");
        assertThat(sc.modes()).singleElement().satisfies(m -> {
            assertThat(m.name()).isEqualTo("current");
            assertThat(m.ipMasqAgentConfig()).containsInstanceOf(IpMasqAgentFile.Empty.class);
        });
        assertThat(sc.cluster().subnet().toString()).isEqualTo("192.168.5.8/29");
        assertThat(sc.cluster().podCidr().toString()).isEqualTo("192.168.76.0/23");
        assertThat(sc.cluster().dualStack()).isFalse();
        assertThat(sc.cilium().version()).isEqualTo("1.13.4");
        List<DestinationSpec> given = List.of(new DestinationSpec("api", Ipv4.parse("203.0.113.9")));
        assertThat(s.toScenario(given).destinations()).isEqualTo(given);
        assertThat(new ClusterSnapshot("c", "1.13.4", Map.of(), "x", List.of(node(1, "10.9.0.0/24")), Optional.empty(), List.of())
                .toScenario(List.of()).destinations()).extracting(DestinationSpec::name).containsExactly("public", "rfc1918", "link-local", "cgnat");
    }

    @Test
    void theCoveringCidrIsTheSmallestHoldingEveryAddress() {
        assertThat(ClusterSnapshot.covering(List.of(Ipv4.parse("10.0.0.1"))).toString()).isEqualTo("10.0.0.1/32");
        assertThat(ClusterSnapshot.covering(List.of(Ipv4.parse("10.0.0.1"), Ipv4.parse("10.0.0.2"))).toString()).isEqualTo("10.0.0.0/30");
        assertThat(ClusterSnapshot.covering(List.of(Ipv4.parse("10.0.0.1"), Ipv4.parse("10.0.1.1"))).toString()).isEqualTo("10.0.0.0/23");
        assertThat(ClusterSnapshot.covering(List.of(Ipv4.parse("1.0.0.1"), Ipv4.parse("200.0.0.1"))).toString()).isEqualTo("0.0.0.0/0");
        assertThatThrownBy(() -> new ClusterSnapshot("c", "1.13.4", Map.of(), "x", List.of(), Optional.empty(), List.of()))
                .hasMessageContaining("no node was read");
    }
}
