package io.masqharness.tuning;

import static io.masqharness.tuning.Tuning.answer;
import static io.masqharness.tuning.Tuning.base;
import static io.masqharness.tuning.Tuning.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** DSR (facts §2.3), the conntrack bypass (§2.4), BPF host routing (§2.5). */
class DatapathRulesTest {

    private static ToggleVerdict dsr(String version, Map<String, Object> values) {
        return answer(version, "6.2", values).toggle(Toggle.DSR);
    }

    @Test
    void dsrOnNativeRoutingWithNodePort() {
        ToggleVerdict v = dsr("1.13.4", with(base(), "loadBalancer.mode", "dsr"));
        assertThat(v).extracting(ToggleVerdict::requested, ToggleVerdict::effective, ToggleVerdict::outcome, ToggleVerdict::explicit)
                .containsExactly("dsr", "dsr", Outcome.ON, true);
        assertThat(v.why()).contains("opt dispatch").contains("Mode: DSR");
        assertThat(dsr("1.13.4", with(base(), "loadBalancer.mode", "hybrid")).why()).contains("Mode: Hybrid");
        ToggleVerdict snat = dsr("1.13.4", base());
        assertThat(snat).extracting(ToggleVerdict::requested, ToggleVerdict::outcome, ToggleVerdict::explicit)
                .containsExactly("snat", Outcome.OFF, false);
    }

    /** Issue #22003 (fatal on DSR + tunnelling) vs the ≤1.12 silent SNAT: unsettled for 1.13.4 (facts §7 item 1). */
    @Test
    void dsrWithTunnelIsRefusedAndUnsettledFor113() {
        TuningAnswer a = answer("1.13.4", "6.2", with(base(), "tunnel", "vxlan", "autoDirectNodeRoutes", false, "bpf.masquerade", false,
                "loadBalancer.mode", "dsr"));
        ToggleVerdict v = a.toggle(Toggle.DSR);
        assertThat(v.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(v.why()).contains("cannot be used with tunnel (vxlan) tunneling");
        assertThat(v.unverified()).get().asString().contains("fall back to SNAT silently");
        ToggleVerdict v14 = dsr("1.14.2", with(base(), "tunnel", null, "routingMode", "tunnel", "autoDirectNodeRoutes", false,
                "bpf.masquerade", false, "loadBalancer.mode", "dsr"));
        assertThat(v14.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(v14.why()).contains("tunnelProtocol=geneve");
        assertThat(v14.unverified()).isEmpty();
        assertThat(dsr("1.15.1", with(base(), "tunnel", null, "routingMode", "tunnel", "autoDirectNodeRoutes", false,
                "bpf.masquerade", false, "kubeProxyReplacement", "true", "loadBalancer.mode", "dsr")).unverified()).isPresent();
    }

    /** PR #23890: DSR dispatched in Geneve from 1.14. */
    @Test
    void dsrInGeneveFrom114() {
        ToggleVerdict v = dsr("1.14.2", with(base(), "tunnel", null, "routingMode", "tunnel", "tunnelProtocol", "geneve",
                "autoDirectNodeRoutes", false, "bpf.masquerade", false, "loadBalancer.mode", "dsr", "loadBalancer.dsrDispatch", "geneve"));
        assertThat(v.outcome()).isEqualTo(Outcome.ON);
        assertThat(v.why()).contains("Geneve");
        assertThat(dsr("1.13.4", with(base(), "loadBalancer.mode", "dsr", "loadBalancer.dsrDispatch", "geneve")).outcome())
                .isEqualTo(Outcome.REFUSED);
    }

    @Test
    void dsrDispatchCombinationsTheAgentRefuses() {
        assertThat(dsr("1.13.4", with(base(), "loadBalancer.mode", "dsr", "loadBalancer.dsrDispatch", "ipip")).why())
                .contains("ipip only supported for --datapath-mode=lb-only");
        assertThat(dsr("1.13.4", with(base(), "loadBalancer.mode", "dsr", "loadBalancer.dsrDispatch", "ipip",
                "loadBalancer.standalone", true)).outcome()).isEqualTo(Outcome.ON);
        ToggleVerdict hybrid = dsr("1.13.4", with(base(), "loadBalancer.mode", "hybrid", "loadBalancer.dsrDispatch", "ipip",
                "loadBalancer.standalone", true));
        assertThat(hybrid.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(hybrid.why()).contains("hybrid mode works only with dsrDispatch=opt");
        assertThat(dsr("1.13.4", with(base(), "loadBalancer.mode", "fast")).why()).contains("Invalid value for --bpf-lb-mode: fast");
        assertThat(dsr("1.13.4", with(base(), "loadBalancer.mode", "dsr", "loadBalancer.dsrDispatch", "gre")).why())
                .contains("Invalid value for --bpf-lb-dsr-dispatch: gre");
    }

    @Test
    void dsrWithoutNodePortIsNotInForce() {
        ToggleVerdict v = dsr("1.13.4", with(base(), "kubeProxyReplacement", "disabled", "loadBalancer.mode", "dsr"));
        assertThat(v).extracting(ToggleVerdict::effective, ToggleVerdict::outcome).containsExactly("snat", Outcome.FALLBACK);
        assertThat(v.why()).contains("without BPF NodePort (kubeProxyReplacement=disabled)");
        assertThat(v.unverified()).isPresent();
    }

    // --- conntrack bypass: initEnv (1.13 line) / kube_proxy_replacement.go (1.14), PR #18482, chart 1.13.4

    @Test
    void noConntrackOnWithItsPrerequisites() {
        ToggleVerdict v = answer("1.13.4", "6.2", with(base(), "installNoConntrackIptablesRules", true)).toggle(Toggle.NO_CONNTRACK);
        assertThat(v).extracting(ToggleVerdict::requested, ToggleVerdict::effective, ToggleVerdict::outcome)
                .containsExactly("enabled", "enabled", Outcome.ON);
        assertThat(v.why()).contains("NOTRACK for pod traffic").contains("change little");
        ToggleVerdict legacy = answer("1.13.4", "5.4", with(base(), "installNoConntrackIptablesRules", true)).toggle(Toggle.NO_CONNTRACK);
        assertThat(legacy.why()).doesNotContain("change little");
        ToggleVerdict noMasq = answer("1.13.4", "6.2", with(base(), "installNoConntrackIptablesRules", true, "enableIPv4Masquerade", false,
                "bpf.masquerade", false, "ipv4NativeRoutingCIDR", null)).toggle(Toggle.NO_CONNTRACK);
        assertThat(noMasq.outcome()).isEqualTo(Outcome.ON);
        assertThat(noMasq.unverified()).get().asString().contains("half-enabled");
        assertThat(answer("1.13.4", "6.2", base()).toggle(Toggle.NO_CONNTRACK).outcome()).isEqualTo(Outcome.OFF);
    }

    @Test
    void noConntrackIsFatalWithoutEachPrerequisite() {
        Map<String, Object> on = with(base(), "installNoConntrackIptablesRules", true);
        assertThat(answer("1.13.4", "6.2", with(on, "tunnel", "vxlan", "autoDirectNodeRoutes", false, "bpf.masquerade", false))
                .toggle(Toggle.NO_CONNTRACK).why()).startsWith("install-no-conntrack-iptables-rules requires the agent to run in direct routing mode.");
        assertThat(answer("1.13.4", "6.2", with(on, "ipv4.enabled", false, "ipv6.enabled", true, "enableIPv6Masquerade", false))
                .toggle(Toggle.NO_CONNTRACK).why()).startsWith("install-no-conntrack-iptables-rules requires IPv4 support.");
        ToggleVerdict partial = answer("1.13.4", "6.2", with(on, "kubeProxyReplacement", "partial", "nodePort.enabled", true))
                .toggle(Toggle.NO_CONNTRACK);
        assertThat(partial.why()).startsWith("install-no-conntrack-iptables-rules requires the agent to run with kube-proxy-replacement=strict.");
        assertThat(partial.stage()).isEqualTo(ToggleVerdict.Stage.INIT_ENV);
        TuningAnswer iptables = answer("1.13.4", "6.2", with(on, "bpf.masquerade", false));
        assertThat(iptables.toggle(Toggle.NO_CONNTRACK).outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(iptables.refused()).get().asString().contains("requires the agent to run with enable-bpf-masquerade.");
        ToggleVerdict v15 = answer("1.15.3", "6.2", with(on, "tunnel", null, "routingMode", "native", "kubeProxyReplacement", "false",
                "bpf.masquerade", false)).toggle(Toggle.NO_CONNTRACK);
        assertThat(v15.why()).contains("kube-proxy-replacement=true.");
        assertThat(v15.stage()).isEqualTo(ToggleVerdict.Stage.KPR_INIT);
    }

    @Test
    void noConntrackIsForcedOffByTheChartForCloudsAndChaining() {
        Map<String, Object> on = with(base(), "installNoConntrackIptablesRules", true);
        for (String key : new String[] {"azure.enabled", "eni.enabled", "gke.enabled"}) {
            ToggleVerdict v = answer("1.13.4", "6.2", with(on, key, true)).toggle(Toggle.NO_CONNTRACK);
            assertThat(v.outcome()).as(key).isEqualTo(Outcome.IGNORED);
            assertThat(v.why()).contains(key);
        }
        assertThat(answer("1.13.4", "6.2", with(on, "cni.chainingMode", "aws-cni")).toggle(Toggle.NO_CONNTRACK).why())
                .contains("cni.chainingMode=aws-cni");
    }

    // --- BPF host routing: finishKubeProxyReplacementInit; the interlock of facts §1.4

    @Test
    void hostRoutingBpfWhenEverythingIsThere() {
        ToggleVerdict v = answer("1.13.4", "5.10", base()).toggle(Toggle.HOST_ROUTING);
        assertThat(v).extracting(ToggleVerdict::requested, ToggleVerdict::effective, ToggleVerdict::outcome, ToggleVerdict::explicit)
                .containsExactly("bpf", "bpf", Outcome.ON, false);
        assertThat(v.why()).contains("`Host Routing: BPF`").contains("BPF masquerading");
        assertThat(answer("1.13.4", "6.2", with(base(), "enableIPv4Masquerade", false)).toggle(Toggle.HOST_ROUTING).why())
                .contains("no masquerading");
        assertThat(answer("1.16.3", "6.2", with(base(), "tunnel", null, "routingMode", "native", "kubeProxyReplacement", "true"))
                .toggle(Toggle.HOST_ROUTING).why()).contains("`Routing: Network: … Host: BPF`");
    }

    @Test
    void hostRoutingFallsBackSilentlyForEachMissingPrerequisite() {
        assertThat(answer("1.13.4", "5.4", base()).toggle(Toggle.HOST_ROUTING).why())
                .contains("requires kernel 5.10 or newer").contains("kernel 5.4");
        assertThat(answer("1.13.4", "6.2", with(base(), "bpf.masquerade", false)).toggle(Toggle.HOST_ROUTING).why())
                .contains("requires enable-bpf-masquerade").doesNotContain("having fallen back");
        assertThat(answer("1.13.4", "6.2", with(base(), "kubeProxyReplacement", "partial", "nodePort.enabled", true))
                .toggle(Toggle.HOST_ROUTING).why()).contains("requires kube-proxy-replacement=strict.");
        assertThat(answer("1.13.4", "6.2", with(base(), "kubeProxyReplacement", "disabled")).toggle(Toggle.HOST_ROUTING).why())
                .contains("no BPF NodePort").contains("having fallen back");
        assertThat(answer("1.13.4", "6.2", with(base(), "encryption.enabled", true)).toggle(Toggle.HOST_ROUTING).why())
                .contains("incompatible with enable-ipsec");
        assertThat(answer("1.13.4", "6.2", with(base(), "encryption.enabled", true, "encryption.type", "wireguard"))
                .toggle(Toggle.HOST_ROUTING).outcome()).isEqualTo(Outcome.ON);
        assertThat(answer("1.13.4", "6.2", with(base(), "endpointRoutes.enabled", true, "ipv6.enabled", true, "enableIPv6Masquerade", false))
                .toggle(Toggle.HOST_ROUTING).why()).contains("enable-endpoint-routes when IPv6");
        assertThat(answer("1.13.4", "6.2", with(base(), "endpointRoutes.enabled", true)).toggle(Toggle.HOST_ROUTING).outcome())
                .isEqualTo(Outcome.ON);
        assertThat(answer("1.13.4", "6.2", with(base(), "cni.chainingMode", "generic-veth")).toggle(Toggle.HOST_ROUTING).why())
                .contains("cni.chainingMode=generic-veth");
        ToggleVerdict v = answer("1.13.4", "5.4", base()).toggle(Toggle.HOST_ROUTING);
        assertThat(v).extracting(ToggleVerdict::effective, ToggleVerdict::outcome).containsExactly("legacy", Outcome.FALLBACK);
        assertThat(v.why()).contains("`Host Routing: Legacy`");
        assertThat(answer("1.15.3", "5.4", with(base(), "tunnel", null, "routingMode", "native", "kubeProxyReplacement", "true"))
                .toggle(Toggle.HOST_ROUTING).unverified()).isPresent();
    }

    @Test
    void hostRoutingAskedLegacyIsOff() {
        ToggleVerdict v = answer("1.13.4", "6.2", with(base(), "bpf.hostLegacyRouting", true)).toggle(Toggle.HOST_ROUTING);
        assertThat(v).extracting(ToggleVerdict::requested, ToggleVerdict::effective, ToggleVerdict::outcome, ToggleVerdict::explicit)
                .containsExactly("legacy", "legacy", Outcome.OFF, true);
        assertThat(answer("1.13.4", "6.2", with(base(), "bpf.hostLegacyRouting", false)).toggle(Toggle.HOST_ROUTING).explicit()).isTrue();
    }

    @Test
    void everyReasonIsListedInTheAgentsOrder() {
        assertThat(HostRoutingRule.reasons(context(with(base(), "bpf.masquerade", false, "encryption.enabled", true), "5.4")))
                .hasSize(3).first().asString().contains("ipsec");
    }

    private static TuningContext context(Map<String, Object> values, String kernel) {
        io.masqharness.oracle.HelmValues v = io.masqharness.oracle.HelmValues.of(values);
        io.masqharness.oracle.CiliumVersion version = io.masqharness.oracle.CiliumVersion.parse("1.13.4");
        return new TuningContext(v, java.util.Set.of(), version, Kernel.parse(kernel),
                io.masqharness.oracle.HelmResolution.of(v, version), false, true);
    }
}
