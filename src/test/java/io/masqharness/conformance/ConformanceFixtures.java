package io.masqharness.conformance;

import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Scenarios for the conformance layer's tests: two lab nodes, native routing, three destinations. */
final class ConformanceFixtures {

    static final String PUBLIC = "198.20.0.10";
    static final String RFC1918 = "192.168.77.10";
    static final String NODE_1 = "172.29.0.11";
    static final String NODE_2 = "172.29.0.12";
    static final String POD_1 = "10.44.0.10";
    static final String POD_2 = "10.44.1.10";

    private ConformanceFixtures() {
    }

    /** Two nodes, modes iptables and bpf (and an ip-masq-agent mode exempting RFC 1918), the given probes and extra YAML. */
    static Scenario twoNodes(Path dir, String probes, String more) {
        Path file = dir.resolve("two-nodes.yaml");
        try {
            Files.writeString(file, """
                    name: two-nodes
                    cluster: {backend: lab, nodes: 2, network: {subnet: 172.29.0.0/24}, podCIDR: 10.44.0.0/16}
                    cilium: {version: 1.13.4, values: {tunnel: disabled, ipv4NativeRoutingCIDR: 10.44.0.0/16,
                      autoDirectNodeRoutes: true, kubeProxyReplacement: strict}}
                    modes:
                      - {name: iptables, values: {bpf.masquerade: false, ipMasqAgent.enabled: false}}
                      - {name: bpf, values: {bpf.masquerade: true, ipMasqAgent.enabled: false}}
                      - name: agent
                        values: {bpf.masquerade: true, ipMasqAgent.enabled: true}
                        ipMasqAgentConfig: {nonMasqueradeCIDRs: [192.168.0.0/16]}
                    destinations:
                      - {name: public, ip: 198.20.0.10}
                      - {name: rfc1918, ip: 192.168.77.10}
                    probes: [%s]
                    %s
                    """.formatted(probes, more));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ScenarioLoader().load(file);
    }
}
