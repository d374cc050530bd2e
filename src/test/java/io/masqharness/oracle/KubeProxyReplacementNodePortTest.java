package io.masqharness.oracle;

import static io.masqharness.oracle.OracleFixtures.agent;
import static io.masqharness.oracle.OracleFixtures.fromPod;
import static io.masqharness.oracle.OracleFixtures.values;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Cilium 1.13's BPF masquerading needs BPF NodePort, and kube-proxy replacement decides NodePort
 * before the masquerading check (daemon/cmd/kube_proxy_replacement.go, initKubeProxyReplacementOptions):
 * {@code strict} turns NodePort on whatever {@code nodePort.enabled} says; {@code disabled} turns it off
 * whatever it says (disableNodePort()); {@code partial} leaves it to {@code nodePort.enabled}
 * (--enable-node-port, default false). Then daemon_main.go falls back to iptables without NodePort
 * (facts/cilium-1.13-masquerading.md, "Mode selection and silent fallback"). Native routing, so
 * socket-LB plays no part.
 */
class KubeProxyReplacementNodePortTest {

    static Map<String, Object> nativeRouting(String kpr, String nodePort) {
        Map<String, Object> v = new HashMap<>(values("tunnel", "disabled", "ipv4NativeRoutingCIDR", "10.42.0.0/16",
                "kubeProxyReplacement", kpr, "bpf.masquerade", true));
        if (!nodePort.equals("absent")) {
            v.put("nodePort.enabled", Boolean.parseBoolean(nodePort));
        }
        return v;
    }

    @ParameterizedTest(name = "kubeProxyReplacement={0}, nodePort.enabled={1}: {2}")
    @CsvSource({
            "strict, absent, BPF", "strict, true, BPF", "strict, false, BPF",
            "partial, true, BPF", "partial, false, IPTABLES", "partial, absent, IPTABLES",
            "disabled, true, IPTABLES", "disabled, false, IPTABLES", "disabled, absent, IPTABLES"})
    void nodePortDecidesWhetherBpfMasqueradingStaysOn(String kpr, String nodePort, MasqueradeMode mode) {
        AgentConfig a = agent(nativeRouting(kpr, nodePort));
        assertThat(a.requestedBpf()).isTrue();
        assertThat(a.mode()).isEqualTo(mode);
        if (mode == MasqueradeMode.IPTABLES) {
            assertThat(a.fallback()).hasValueSatisfying(f -> assertThat(f).startsWith("BPF masquerade requires NodePort")
                    .contains("kubeProxyReplacement=" + kpr).endsWith("Falling back to iptables-based masquerading."));
            assertThat(a.statusLabel()).isEqualTo("IPTables");
        } else {
            assertThat(a.fallback()).isEmpty();
            assertThat(a.statusLabel()).isEqualTo("BPF");
        }
    }

    @ParameterizedTest(name = "kubeProxyReplacement={0}, nodePort.enabled={1}: ICMP timestamp from a pod to a public address")
    @CsvSource({"strict, false, dropped", "partial, true, dropped", "partial, false, node-ip", "disabled, true, node-ip"})
    void aFallbackChangesWhatHappensToFlowsNotOnlyTheStatusLine(String kpr, String nodePort, String source) {
        // BPF mode drops ICMP it cannot translate; iptables masquerades it (facts: "BPF mode: what is translated").
        assertThat(fromPod(agent(nativeRouting(kpr, nodePort)), OracleFixtures.PUBLIC, Protocol.parse("icmp-timestamp")).source().label())
                .isEqualTo(source);
    }
}
