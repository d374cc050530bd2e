package io.masqharness.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.masqharness.net.Cidr;
import io.masqharness.net.Cidr6;
import io.masqharness.net.Ipv4;
import io.masqharness.net.Ipv6;
import io.masqharness.oracle.IpMasqAgentFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replica scenario file: loads as any scenario, keeps what decides masquerading, and says what it left out. */
class ReplicaScenarioTest {

    static final List<DestinationSpec> TO = List.of(new DestinationSpec("api", Ipv4.parse("198.20.0.10")));

    private static Scenario load(Path dir, String yaml) throws IOException {
        Path f = dir.resolve("r.yaml");
        Files.writeString(f, yaml);
        return new ScenarioLoader().load(f);
    }

    @Test
    void aFilesIpv6EntriesAndFlagsAreKeptAsWritten(@TempDir Path dir) throws IOException {
        NodeSpec n1 = new NodeSpec("a", Ipv4.parse("10.0.0.5"), Cidr.parse("10.244.3.0/24"), Optional.of(Ipv6.parse("fd00:1::5")),
                Optional.of(Cidr6.parse("fd00:244:0:3::/64")));
        NodeSpec n2 = new NodeSpec("b", Ipv4.parse("10.0.0.6"), Cidr.parse("10.244.4.0/24"), Optional.of(Ipv6.parse("fd00:1::6")),
                Optional.of(Cidr6.parse("fd00:244:0:4::/64")));
        IpMasqAgentFile file = new IpMasqAgentFile.Present(List.of(Cidr.parse("10.0.0.0/8")), true, List.of(Cidr6.parse("fd77::/16")), true);
        ClusterSnapshot s = new ClusterSnapshot("cluster x", "1.14.2", Map.of("routingMode", "native", "ipv4NativeRoutingCIDR", "10.244.0.0/16",
                "ipv6.enabled", true, "ipv6NativeRoutingCIDR", "fd00:244::/56", "k8sServiceHost", "10.0.0.1"), "Helm release", List.of(n1, n2),
                Optional.of(file), List.of("a note"));
        String yaml = ReplicaScenario.yaml(s, List.of(TO.get(0), new DestinationSpec("v6", Ipv6.parse("2001:db8:20::10"))),
                ClusterSpec.Backend.LAB, Optional.empty());
        assertThat(yaml).startsWith("# Replicates cluster x: Cilium 1.14.2, values from Helm release, 2 nodes (read-only).\n")
                .contains("# Left out (they describe the original cluster, not its masquerading): k8sServiceHost\n")
                .contains("# Note: a note\n");
        Scenario r = load(dir, yaml);
        assertThat(r.cluster().backend()).isEqualTo(ClusterSpec.Backend.LAB);
        assertThat(r.cluster().podCidr().toString()).isEqualTo("10.244.0.0/16");
        assertThat(r.cluster().podCidrV6()).contains(Cidr6.parse("fd00:244::/56"));
        assertThat(r.cluster().subnet().toString()).isEqualTo("172.28.0.0/24");
        assertThat(r.modes().get(0).ipMasqAgentConfig()).hasValueSatisfying(f -> {
            IpMasqAgentFile read = f.readBy(io.masqharness.oracle.CiliumVersion.parse("1.14.2"));
            assertThat(read.effectiveCidrsV6()).extracting(Object::toString).containsExactly("fd77::/16");
            assertThat(read.effectiveCidrs()).extracting(Object::toString).containsExactly("10.0.0.0/8");
        });
    }

    @Test
    void theNodeNetworkAvoidsThePodsAndTheDestinationsAndARejectedFileIsWrittenAsItWas(@TempDir Path dir) throws IOException {
        NodeSpec n = new NodeSpec("a", Ipv4.parse("10.0.0.5"), Cidr.parse("172.28.0.0/24"));
        ClusterSnapshot s = new ClusterSnapshot("c", "1.13.4", Map.of("tunnel", "disabled", "ipv4NativeRoutingCIDR", "172.28.0.0/16"),
                "cilium-config", List.of(n), Optional.of(IpMasqAgentFile.Rejected.fresh(List.of("10.0.0.0/8", "fd77::/16"), true)), List.of());
        String yaml = ReplicaScenario.yaml(s, List.of(new DestinationSpec("x", Ipv4.parse("172.29.0.50"))), ClusterSpec.Backend.K3S,
                Optional.of("1.15.8"));
        assertThat(yaml).contains("subnet: 172.30.0.0/24").contains("upgradeTo: 1.15.8").contains("podCIDR: 172.28.0.0/16")
                .contains("- fd77::/16").contains("masqLinkLocal: true").doesNotContain("# Left out").doesNotContain("# Note");
        assertThatThrownBy(() -> ReplicaScenario.yaml(s, List.of(), ClusterSpec.Backend.K3S, Optional.empty()))
                .hasMessageContaining("needs the destinations");
    }
}
