package io.masqharness.suites;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.masqharness.explain.Explainer;
import io.masqharness.oracle.Protocol;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;

/**
 * Dynamic tests shaped as the conformance suite's (a container per mode, a test per flow named by
 * what it checks), run in the unit-test phase so that the JUnit XML Surefire writes for them is there
 * for {@code JUnitXmlNamesIT} to read. Each checks the oracle on {@code scenarios/lab.yaml} against
 * the scenario's own explicit expectations and the basic masquerading rule.
 */
class DynamicNamesTest {

    record Case(String mode, String to, String protocol, Protocol parsed, String source) {
        String name() {
            return "pod -> " + to + " " + protocol + " => " + source;
        }
    }

    static final List<Case> CASES = List.of(
            new Case("iptables", "public", "tcp", Protocol.TCP, "node-ip"),
            new Case("bpf", "public", "icmp-echo", Protocol.ICMP_ECHO, "node-ip"),
            new Case("bpf-ip-masq-agent", "rfc1918", "tcp", Protocol.TCP, "pod-ip"));

    @TestFactory
    Stream<DynamicNode> modes() {
        Scenario lab = new ScenarioLoader().load(Path.of("scenarios/lab.yaml"));
        return CASES.stream().map(c -> dynamicContainer("mode " + c.mode() + " on the lab", Stream.of(dynamicTest(c.name(),
                () -> assertThat(Explainer.explain(lab, c.mode(), "pod:node-1", c.to(), c.parsed()).source())
                        .isEqualTo(c.source())))));
    }
}
