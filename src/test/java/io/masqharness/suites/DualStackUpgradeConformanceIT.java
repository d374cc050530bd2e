package io.masqharness.suites;

import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.conformance.CellResult;
import io.masqharness.conformance.UpgradeChanges;
import io.masqharness.net.Family;
import io.masqharness.oracle.Expectation;
import io.masqharness.oracle.Protocol;
import io.masqharness.scenario.ClusterSpec;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioUpgrade;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * {@code scenarios/upgrade-dual-stack-1.13-to-1.14.yaml} on the lab with real IPv4 and IPv6 packets: 1.13.4 refuses BPF
 * masquerading with IPv6 masquerading on (PR #17906), so the BPF modes do not run before the upgrade; after it, 1.14.6
 * masquerades IPv6 with BPF (PR #23165): a pod's IPv6 to a public address arrives from its node's IPv6, TCP, UDP and ICMPv6
 * echo alike, and the ip-masq-agent's IPv6 entry keeps a pod's own address (PR #23219).
 */
class DualStackUpgradeConformanceIT extends ConformanceIT {

    @Override
    Path scenarioFile() {
        return Path.of("scenarios/upgrade-dual-stack-1.13-to-1.14.yaml");
    }

    @Override
    ClusterSpec.Backend backend(Scenario s) {
        return ClusterSpec.Backend.LAB;
    }

    @Test
    @Order(2)
    void ipv6IsBpfMasqueradedOnlyAfterTheUpgrade() {
        Assumptions.assumeFalse(outcomesByMode.isEmpty(), "no mode ran");
        assertThat(refused.keySet()).as("1.13.4 refuses BPF with IPv6 masquerading").containsExactlyInAnyOrder("bpf", "bpf-ip-masq-agent");
        assertThat(outcomesByMode.keySet()).containsExactlyInAnyOrder("iptables", "iptables@1.14.6", "bpf@1.14.6",
                "bpf-ip-masq-agent@1.14.6");
        assertThat(outcomesByMode.values()).allSatisfy(o -> assertThat(o.verified()).as(o.mode().name()).isTrue());
        List<CellResult> bpf = outcomesByMode.get("bpf@1.14.6").results();
        for (Protocol p : List.of(Protocol.TCP, Protocol.UDP, Protocol.ICMP_ECHO)) {
            CellResult toPublic = cell(bpf, "public", p);
            assertThat(toPublic.expected().source()).as("%s over IPv6 to public after the upgrade", p).isEqualTo(Expectation.Source.NODE_IP);
            assertThat(toPublic.verdict().passed()).as(toPublic.verdict().message()).isTrue();
        }
        CellResult ula = cell(outcomesByMode.get("bpf-ip-masq-agent@1.14.6").results(), "ula", Protocol.UDP);
        assertThat(ula.expected().source()).isEqualTo(Expectation.Source.POD_IP);
        assertThat(ula.verdict().passed()).as(ula.verdict().message()).isTrue();
        Scenario s = scenario();
        UpgradeChanges.Report changes = UpgradeChanges.of(ScenarioUpgrade.of(s).orElseThrow(), outcomesByMode, outcomesByMode, refused);
        assertThat(changes.modes()).filteredOn(m -> m.mode().equals("iptables")).singleElement()
                .satisfies(m -> assertThat(m.changed()).as("the control mode").isEmpty());
        assertThat(changes.modes()).filteredOn(m -> !m.mode().equals("iptables"))
                .allSatisfy(m -> assertThat(m.before()).startsWith("did not run: Cilium 1.13.4 refuses this mode: BPF masquerade is not supported for IPv6."));
    }

    private static CellResult cell(List<CellResult> results, String target, Protocol p) {
        return results.stream().filter(r -> r.cell().family() == Family.IPV6 && r.cell().target().equals(target)
                && r.cell().protocol().equals(p)).findFirst().orElseThrow(() -> new AssertionError("no IPv6 " + p + " cell to " + target));
    }
}
