package io.masqharness.suites;

import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.conformance.CellResult;
import io.masqharness.net.Family;
import io.masqharness.oracle.Expectation;
import io.masqharness.oracle.Protocol;
import io.masqharness.scenario.ClusterSpec;
import io.masqharness.scenario.LatencySpec;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite on {@code scenarios/dual-stack.yaml}, on the lab whatever the file's backend:
 * real IPv4 and IPv6 packets (TCP, UDP, ICMP and ICMPv6 echo) through every mode, each IPv6 cell
 * judged against the oracle's IPv6 rules, the scenario's explicit IPv6 expectations, latency over
 * both families, and a wrong IPv6 expectation failing readably. Only two things differ from the
 * file: the backend (lab) and the latency trials' length and floor, which are scenarios/lab.yaml's
 * (the file's 5 x 10 s trials per mode, kind, path and family would take CI half an hour; its 5% floor
 * is for Cilium, not for a 2-core build machine).
 */
class DualStackConformanceIT extends ConformanceIT {

    @Override
    Path scenarioFile() {
        return Path.of("scenarios/dual-stack.yaml");
    }

    @Override
    Scenario scenario() {
        Scenario file = super.scenario();
        LatencySpec asked = file.latency().orElseThrow(() -> new AssertionError(scenarioFile() + " has no latency block"));
        LatencySpec lab = new ScenarioLoader().load(Path.of("scenarios/lab.yaml")).latency().orElseThrow();
        return file.withLatency(Optional.of(new LatencySpec(asked.kinds(), lab.rate(), lab.duration(), lab.trials(), lab.minEffect(),
                lab.alpha(), lab.gate(), asked.families(), lab.warmup())));
    }

    @Override
    ClusterSpec.Backend backend(Scenario s) {
        return ClusterSpec.Backend.LAB;
    }

    @Test
    @Order(2)
    void aWrongIpv6ExpectationFailsReadably() {
        turnAround(Family.IPV6);
    }

    /**
     * Guards the suite against passing without IPv6: every mode probed every protocol over IPv6 and
     * judged it, and the switch the issue is about shows: a pod's IPv6 to the public destination
     * leaves with the node's address in iptables mode and with the pod's own in the BPF modes.
     */
    @Test
    @Order(2)
    void everyModeJudgedIpv6CellsAndTheSwitchChangedTheirSource() {
        Assumptions.assumeFalse(resultsByMode.isEmpty(), "no mode ran");
        assertThat(resultsByMode.keySet()).containsExactlyInAnyOrder("iptables", "bpf", "bpf-ip-masq-agent");
        resultsByMode.forEach((mode, results) -> {
            Map<Protocol, Long> judged = results.stream().filter(r -> r.cell().family() == Family.IPV6 && r.verdict().applicable())
                    .collect(Collectors.groupingBy(r -> r.cell().protocol(), Collectors.counting()));
            assertThat(judged).as("IPv6 cells judged in mode %s", mode).containsOnlyKeys(Protocol.TCP, Protocol.UDP, Protocol.ICMP_ECHO);
            Expectation.Source publicSource = source(results, "public");
            assertThat(publicSource).as("mode %s: pod -> public over IPv6", mode)
                    .isEqualTo(mode.equals("iptables") ? Expectation.Source.NODE_IP : Expectation.Source.POD_IP);
        });
    }

    private static Expectation.Source source(List<CellResult> results, String target) {
        return results.stream().filter(r -> r.cell().family() == Family.IPV6 && r.cell().target().equals(target)
                        && r.cell().protocol().equals(Protocol.TCP)).map(r -> r.expected().source()).distinct()
                .reduce((a, b) -> { throw new AssertionError("pods disagree on " + target + ": " + a + " and " + b); })
                .orElseThrow(() -> new AssertionError("no IPv6 TCP cell to " + target));
    }
}
