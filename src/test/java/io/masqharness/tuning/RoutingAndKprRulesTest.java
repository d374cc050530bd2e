package io.masqharness.tuning;

import static io.masqharness.tuning.Tuning.answer;
import static io.masqharness.tuning.Tuning.base;
import static io.masqharness.tuning.Tuning.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Native routing (facts §2.1), kube-proxy replacement (§2.2), BPF masquerading as a tuning toggle (§1.4). */
class RoutingAndKprRulesTest {

    private static ToggleVerdict routing(String version, Map<String, Object> values) {
        return answer(version, "6.2", values).toggle(Toggle.NATIVE_ROUTING);
    }

    @Test
    void nativeRoutingOnWithTunnelDisabledIn113AndRoutingModeIn114() {
        ToggleVerdict v = routing("1.13.4", base());
        assertThat(v).extracting(ToggleVerdict::requested, ToggleVerdict::effective, ToggleVerdict::outcome, ToggleVerdict::explicit)
                .containsExactly("native", "native", Outcome.ON, true);
        assertThat(v.why()).contains("autoDirectNodeRoutes installs a route").contains("10.42.0.0/16").contains("cilium-config tunnel");
        assertThat(v.unverified()).isEmpty();
        ToggleVerdict v14 = routing("1.14.0", with(base(), "tunnel", null, "routingMode", "native"));
        assertThat(v14.outcome()).isEqualTo(Outcome.ON);
        assertThat(v14.why()).contains("cilium-config routing-mode");
        assertThat(routing("1.16.3", with(base(), "tunnel", null, "routingMode", "native", "kubeProxyReplacement", "true")).why())
                .contains("`Routing: Network: Native`");
    }

    @Test
    void routingModeIsUnknownTo113() {
        ToggleVerdict v = routing("1.13.4", with(base(), "tunnel", null, "routingMode", "native", "autoDirectNodeRoutes", false));
        assertThat(v.requested()).isEqualTo("tunnel");
        assertThat(v.effective()).isEqualTo("tunnel");
        assertThat(v.outcome()).isEqualTo(Outcome.OFF);
        assertThat(v.explicit()).isTrue();
    }

    /** VersionRule TUNNEL_IGNORED: the 1.15.0-1.15.7 charts do not read tunnel (facts §2.1 item 1, §4 #2). */
    @Test
    void tunnelDisabledIsIgnoredBy1150ChartAndRefusedBy1158() {
        ToggleVerdict v = routing("1.15.3", with(base(), "autoDirectNodeRoutes", false, "kubeProxyReplacement", "true"));
        assertThat(v.outcome()).isEqualTo(Outcome.IGNORED);
        assertThat(v.effective()).isEqualTo("tunnel");
        assertThat(v.why()).contains("does not read tunnel=disabled").contains("routingMode=native");
        TuningAnswer refused = answer("1.15.8", "6.2", with(base(), "autoDirectNodeRoutes", false, "kubeProxyReplacement", "true"));
        assertThat(refused.toggle(Toggle.NATIVE_ROUTING).outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(refused.refused()).get().asString().contains("tunnel was deprecated in v1.14 and has been removed in v1.15");
    }

    /** daemon_main.go initEnv, PR #15196 (since 1.10): fatal in 1.13 too. */
    @Test
    void autoDirectNodeRoutesWithTunnelIsRefused() {
        TuningAnswer a13 = answer("1.13.4", "6.2", with(base(), "tunnel", "vxlan", "bpf.masquerade", false));
        assertThat(a13.toggle(Toggle.NATIVE_ROUTING).outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(a13.refused()).get().asString().startsWith("nativeRouting: auto-direct-node-routes cannot be used with tunneling");
        TuningAnswer a14 = answer("1.14.5", "6.2", with(base(), "tunnel", null, "routingMode", "tunnel"));
        assertThat(a14.toggle(Toggle.NATIVE_ROUTING).outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(a14.toggle(Toggle.NATIVE_ROUTING).why()).contains("auto-direct-node-routes cannot be used with tunneling");
    }

    /** pkg/option/config.go checkIPv4NativeRoutingCIDR. */
    @Test
    void nativeRoutingWithoutCidrIsRefused() {
        TuningAnswer a = answer("1.13.4", "6.2", with(base(), "ipv4NativeRoutingCIDR", null));
        assertThat(a.toggle(Toggle.NATIVE_ROUTING).outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(a.refused()).get().asString().contains("native routing cidr must be configured");
    }

    @Test
    void tunnelByDefaultIsOffAndWithoutAutoRoutesNativeWarnsOfBlackHoles() {
        ToggleVerdict off = routing("1.13.4", Map.of());
        assertThat(off).extracting(ToggleVerdict::requested, ToggleVerdict::effective, ToggleVerdict::outcome, ToggleVerdict::explicit)
                .containsExactly("tunnel", "tunnel", Outcome.OFF, false);
        assertThat(off.why()).contains("tunnel (vxlan)").contains("encapsulated");
        ToggleVerdict bare = routing("1.13.4", with(base(), "autoDirectNodeRoutes", false));
        assertThat(bare.outcome()).isEqualTo(Outcome.ON);
        assertThat(bare.why()).contains("black-holed");
        assertThat(bare.unverified()).get().asString().contains("inferred");
    }

    @Test
    void theModesOwnChangeSaysNothingHappensUntilAgentsRestart() {
        ToggleVerdict changed = answer("1.13.4", "6.2", base(), Set.of("tunnel")).toggle(Toggle.NATIVE_ROUTING);
        assertThat(changed.why()).contains("rollOutCiliumPods=false").contains("until the agents restart");
        ToggleVerdict rolled = answer("1.13.4", "6.2", with(base(), "rollOutCiliumPods", true), Set.of("tunnel"))
                .toggle(Toggle.NATIVE_ROUTING);
        assertThat(rolled.why()).doesNotContain("rollOutCiliumPods");
        assertThat(answer("1.13.4", "6.2", base(), Set.of("MTU")).toggle(Toggle.NATIVE_ROUTING).why()).doesNotContain("rollOutCiliumPods");
    }

    // --- kube-proxy replacement: facts §2.2; chart 1.13.4 / 1.16.0; kubeproxy-free.rst

    @Test
    void strictIsFullReplacementWithItsStatusWord() {
        ToggleVerdict v = answer("1.13.4", "6.2", base()).toggle(Toggle.KUBE_PROXY_REPLACEMENT);
        assertThat(v).extracting(ToggleVerdict::requested, ToggleVerdict::effective, ToggleVerdict::outcome)
                .containsExactly("strict", "strict", Outcome.ON);
        assertThat(v.why()).contains("`KubeProxyReplacement: Strict`").contains("K3s backend adds");
        ToggleVerdict t = answer("1.14.0", "6.2", with(base(), "kubeProxyReplacement", "true", "k8sServiceHost", "10.0.0.1"))
                .toggle(Toggle.KUBE_PROXY_REPLACEMENT);
        assertThat(t.why()).contains("`KubeProxyReplacement: True`").contains("k8sServiceHost set");
    }

    @Test
    void strictOnAKernelWithoutSocketLbUdpIsRefused() {
        TuningAnswer a = answer("1.13.4", "4.19.50", base());
        assertThat(a.toggle(Toggle.KUBE_PROXY_REPLACEMENT).outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(a.refused()).get().asString().contains("needs kernel 4.19.57, 5.1.16, 5.2.0 or newer");
        assertThat(answer("1.13.4", "4.19.57", base()).toggle(Toggle.KUBE_PROXY_REPLACEMENT).outcome()).isEqualTo(Outcome.ON);
        assertThat(answer("1.15.0", "4.19.1", with(base(), "tunnel", null, "routingMode", "native", "kubeProxyReplacement", "true"))
                .toggle(Toggle.KUBE_PROXY_REPLACEMENT).unverified()).isPresent();
    }

    @Test
    void trueOnThe113ChartIsRefusedByHelm() {
        TuningAnswer a = answer("1.13.4", "6.2", with(base(), "kubeProxyReplacement", "true"));
        ToggleVerdict v = a.toggle(Toggle.KUBE_PROXY_REPLACEMENT);
        assertThat(v.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(v.requested()).isEqualTo("true");
        assertThat(a.refused()).get().asString().contains("kubeproxyReplacement must be explicitly set");
    }

    @Test
    void probeIsRefusedIn113AndTheRestIsStillRead() {
        TuningAnswer a = answer("1.13.4", "6.2", with(base(), "kubeProxyReplacement", "probe"));
        assertThat(a.toggle(Toggle.KUBE_PROXY_REPLACEMENT).outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(a.refused()).get().asString().contains("'probe' was removed");
        assertThat(a.toggle(Toggle.NATIVE_ROUTING).outcome()).isEqualTo(Outcome.ON);
    }

    @Test
    void strictIsRefusedBy116Chart() {
        TuningAnswer a = answer("1.16.3", "6.2", with(base(), "tunnel", null, "routingMode", "native"));
        assertThat(a.toggle(Toggle.KUBE_PROXY_REPLACEMENT).outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(a.refused()).get().asString().startsWith("kubeProxyReplacement: Helm refuses");
    }

    @Test
    void partialAndDisabled() {
        ToggleVerdict partial = answer("1.13.4", "6.2", with(base(), "kubeProxyReplacement", "partial", "nodePort.enabled", true))
                .toggle(Toggle.KUBE_PROXY_REPLACEMENT);
        assertThat(partial.outcome()).isEqualTo(Outcome.ON);
        assertThat(partial.effective()).isEqualTo("partial");
        assertThat(partial.why()).contains("nodePort.enabled=true");
        ToggleVerdict falseNodePort = answer("1.14.0", "6.2", with(base(), "kubeProxyReplacement", "false", "nodePort.enabled", true))
                .toggle(Toggle.KUBE_PROXY_REPLACEMENT);
        assertThat(falseNodePort.outcome()).isEqualTo(Outcome.ON);
        ToggleVerdict off = answer("1.13.4", "6.2", Map.of()).toggle(Toggle.KUBE_PROXY_REPLACEMENT);
        assertThat(off).extracting(ToggleVerdict::requested, ToggleVerdict::effective, ToggleVerdict::outcome, ToggleVerdict::explicit)
                .containsExactly("disabled", "disabled", Outcome.OFF, false);
        assertThat(off.why()).contains("falling back to");
        ToggleVerdict falseOff = answer("1.14.0", "6.2", with(base(), "kubeProxyReplacement", "false"))
                .toggle(Toggle.KUBE_PROXY_REPLACEMENT);
        assertThat(falseOff.outcome()).isEqualTo(Outcome.OFF);
    }

    // --- BPF masquerading as the oracle derives it (AgentConfigDeriver), facts §1.4

    @Test
    void bpfMasqueradeOnFallbackAndRefused() {
        ToggleVerdict on = answer("1.13.4", "6.2", base()).toggle(Toggle.BPF_MASQUERADE);
        assertThat(on).extracting(ToggleVerdict::requested, ToggleVerdict::effective, ToggleVerdict::outcome).containsExactly("bpf", "bpf", Outcome.ON);
        assertThat(on.why()).contains("`Masquerading: BPF");
        ToggleVerdict fallback = answer("1.13.4", "6.2", with(base(), "kubeProxyReplacement", "disabled", "autoDirectNodeRoutes", true))
                .toggle(Toggle.BPF_MASQUERADE);
        assertThat(fallback.outcome()).isEqualTo(Outcome.FALLBACK);
        assertThat(fallback.effective()).isEqualTo("iptables");
        assertThat(fallback.why()).contains("BPF masquerade requires NodePort").contains("legacy host routing").contains("`Masquerading: IPTables");
        TuningAnswer refused = answer("1.15.5", "6.2", with(base(), "tunnel", null, "routingMode", "native", "kubeProxyReplacement", "false"));
        assertThat(refused.toggle(Toggle.BPF_MASQUERADE).outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(refused.refused()).get().asString().contains("unable to initialize BPF masquerade support");
        ToggleVerdict iptables = answer("1.13.4", "6.2", with(base(), "bpf.masquerade", false)).toggle(Toggle.BPF_MASQUERADE);
        assertThat(iptables).extracting(ToggleVerdict::requested, ToggleVerdict::outcome).containsExactly("iptables", Outcome.OFF);
        assertThat(iptables.why()).contains("falls back to legacy");
    }

    @Test
    void bpfMasqueradeWithMasqueradingOff() {
        ToggleVerdict v = answer("1.13.4", "6.2", with(base(), "enableIPv4Masquerade", false)).toggle(Toggle.BPF_MASQUERADE);
        assertThat(v).extracting(ToggleVerdict::effective, ToggleVerdict::outcome).containsExactly("disabled", Outcome.FALLBACK);
        assertThat(v.why()).contains("nothing to do").contains("`Masquerading: Disabled");
        ToggleVerdict off = answer("1.13.4", "6.2", with(base(), "enableIPv4Masquerade", false, "bpf.masquerade", false))
                .toggle(Toggle.BPF_MASQUERADE);
        assertThat(off.outcome()).isEqualTo(Outcome.OFF);
        assertThat(off.why()).doesNotContain("nothing to do");
    }

    /** Cilium 1.13 has no IPv6 BPF masquerading: 'BPF masquerade is not supported for IPv6.' (initEnv). */
    @Test
    void ipv6BpfMasqueradeIsRefusedIn113() {
        TuningAnswer a = answer("1.13.4", "6.2", with(base(), "ipv6.enabled", true, "ipv6NativeRoutingCIDR", "fd00::/64"));
        assertThat(a.toggle(Toggle.BPF_MASQUERADE).outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(a.refused()).get().asString().contains("BPF masquerade is not supported for IPv6.");
        assertThat(a.toggle(Toggle.BPF_MASQUERADE)).extracting(ToggleVerdict::requested, ToggleVerdict::effective).containsExactly("bpf", "bpf");
        ToggleVerdict agentWithoutBpf = answer("1.13.4", "6.2", with(base(), "bpf.masquerade", false, "ipMasqAgent.enabled", true))
                .toggle(Toggle.BPF_MASQUERADE);
        assertThat(agentWithoutBpf).extracting(ToggleVerdict::effective, ToggleVerdict::outcome).containsExactly("iptables", Outcome.REFUSED);
        assertThat(agentWithoutBpf.why()).contains("BPF ip-masq-agent requires");
    }
}
