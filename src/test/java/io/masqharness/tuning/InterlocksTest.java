package io.masqharness.tuning;

import static io.masqharness.tuning.Tuning.answer;
import static io.masqharness.tuning.Tuning.base;
import static io.masqharness.tuning.Tuning.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Scenarios of our own in the shape people run the tuning list (one helm upgrade per step, facts §1.4, §4 #5, #7), each with a
 * wrong and a right prerequisite: the answer must change for the reason the facts give, and the mode's refusal is the first in
 * the agent's order.
 */
class InterlocksTest {

    /** The tuning series up to BBR on a 6.x kernel: everything on, nothing refused. */
    private static Map<String, Object> series() {
        return with(base(), "installNoConntrackIptablesRules", true, "loadBalancer.mode", "dsr", "enableIPv6BIGTCP", true,
                "ipv6.enabled", true, "enableIPv6Masquerade", false, "ipv6NativeRoutingCIDR", "fd00:10:42::/48", "hubble.enabled", false,
                "MTU", 9000, "bandwidthManager.enabled", true, "bandwidthManager.bbr", true, "loadBalancer.acceleration", "native",
                "bpf.ctTcpMax", 524288);
    }

    @Test
    void theWholeSeriesRunsOnARecentKernel() {
        TuningAnswer a = answer("1.13.4", "6.2.0-39-generic", series());
        assertThat(a.refused()).isEmpty();
        assertThat(a.toggles()).extracting(ToggleVerdict::outcome).containsExactly(Outcome.ON, Outcome.ON, Outcome.ON, Outcome.ON,
                Outcome.ON, Outcome.ON, Outcome.ON, Outcome.OFF, Outcome.ON, Outcome.ON, Outcome.ON, Outcome.ON, Outcome.ON);
        assertThat(a.toggle(Toggle.HOST_ROUTING).effective()).isEqualTo("bpf");
    }

    /** Wrong: iptables masquerading. Host routing silently legacy; BIG TCP (checked first) then refuses the mode. */
    @Test
    void iptablesMasqueradingTurnsHostRoutingLegacyAndBigTcpIntoACrashLoop() {
        TuningAnswer a = answer("1.13.4", "6.2", with(series(), "bpf.masquerade", false, "installNoConntrackIptablesRules", false));
        assertThat(a.toggle(Toggle.HOST_ROUTING)).extracting(ToggleVerdict::effective, ToggleVerdict::outcome)
                .containsExactly("legacy", Outcome.FALLBACK);
        assertThat(a.toggle(Toggle.BIG_TCP_IPV6).outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(a.toggle(Toggle.BBR).outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(a.refused()).get().asString().startsWith("bigTcpIpv6:");
        // Right: without BIG TCP the same chain stops at BBR
        TuningAnswer bbr = answer("1.13.4", "6.2", with(series(), "bpf.masquerade", false, "installNoConntrackIptablesRules", false,
                "enableIPv6BIGTCP", false));
        assertThat(bbr.refused()).get().asString().startsWith("bbr: BPF bandwidth manager's BBR setup requires BPF host routing.");
        TuningAnswer fixed = answer("1.13.4", "6.2", with(series(), "bandwidthManager.bbr", false, "enableIPv6BIGTCP", false,
                "bpf.masquerade", false, "installNoConntrackIptablesRules", false));
        assertThat(fixed.refused()).isEmpty();
    }

    /** Wrong: kernel 5.4 (Ubuntu 20.04). Host routing legacy (5.10), BIG TCP off (5.19), then BBR refused (5.18) before its legacy check. */
    @Test
    void anOldKernelTurnsThingsOffAndThenRefusesBbr() {
        TuningAnswer a = answer("1.13.4", "5.4.0-150-generic", series());
        assertThat(a.toggle(Toggle.HOST_ROUTING).outcome()).isEqualTo(Outcome.FALLBACK);
        assertThat(a.toggle(Toggle.BIG_TCP_IPV6).outcome()).isEqualTo(Outcome.FALLBACK);
        assertThat(a.toggle(Toggle.BANDWIDTH_MANAGER).outcome()).isEqualTo(Outcome.ON);
        assertThat(a.refused()).get().asString().startsWith("bbr: Cannot enable --enable-bbr, needs kernel 5.18 or newer.");
        assertThat(answer("1.13.4", "5.4", with(series(), "bandwidthManager.bbr", false)).refused()).isEmpty();
    }

    /** Refusals come in the agent's order: Helm first, then initEnv, Validate, KPR init, … (facts §1.4). */
    @Test
    void theFirstRefusalInTheAgentsOrderIsTheModes() {
        TuningAnswer a = answer("1.13.4", "5.15", with(series(), "hubble.relay.enabled", true, "bpf.ctAnyMax", 5));
        assertThat(a.toggles()).filteredOn(v -> v.outcome() == Outcome.REFUSED).extracting(ToggleVerdict::toggle)
                .containsExactlyInAnyOrder(Toggle.HUBBLE, Toggle.BBR, Toggle.MAP_SIZES);
        assertThat(a.refused()).get().asString().startsWith("hubble: Hubble Relay requires");
        TuningAnswer b = answer("1.13.4", "5.15", with(series(), "bpf.ctAnyMax", 5));
        assertThat(b.refused()).get().asString().startsWith("mapSizes:");
    }

    /** A Helm refusal that is none of the toggles' (remoteNodeIdentity in 1.16.2+) still refuses the mode, first. */
    @Test
    void aHelmRefusalOfAnotherValueRefusesTheMode() {
        TuningAnswer a = answer("1.16.3", "6.2", with(base(), "tunnel", null, "routingMode", "native", "kubeProxyReplacement", "true",
                "remoteNodeIdentity", true, "bpf.ctAnyMax", 5));
        assertThat(a.refused()).get().asString().contains("remoteNodeIdentity was deprecated");
        TuningAnswer agent = answer("1.13.4", "6.2", with(base(), "ipv4.enabled", false, "ipv6.enabled", false));
        assertThat(agent.refused()).get().asString().contains("Either IPv4 or IPv6");
        assertThat(agent.toggles()).noneMatch(v -> v.outcome() == Outcome.REFUSED);
    }

    @Test
    void anInvalidRoutingModeIsRoutingsRefusal() {
        TuningAnswer a = answer("1.14.0", "6.2", with(base(), "tunnel", null, "routingMode", "direct"));
        assertThat(a.toggle(Toggle.NATIVE_ROUTING).outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(a.refused()).get().asString().contains("invalid routing mode 'direct'");
        assertThat(a.toggle(Toggle.KUBE_PROXY_REPLACEMENT).outcome()).isEqualTo(Outcome.ON);
        TuningAnswer t = answer("1.13.4", "6.2", with(base(), "tunnel", "gre"));
        assertThat(t.toggle(Toggle.NATIVE_ROUTING).outcome()).isEqualTo(Outcome.REFUSED);
    }

    @Test
    void ownerOfTheMasqueradingOraclesRefusals() {
        assertThat(TuningOracle.owner(new io.masqharness.oracle.RefusedConfigurationException("native routing cidr must be configured")))
                .contains(Toggle.NATIVE_ROUTING);
        assertThat(TuningOracle.owner(new io.masqharness.oracle.RefusedConfigurationException("BPF ip-masq-agent requires x")))
                .isEmpty();
        assertThat(TuningOracle.owner(new io.masqharness.oracle.RefusedConfigurationException("BPF masquerade is not supported for IPv6.")))
                .contains(Toggle.BPF_MASQUERADE);
        assertThat(TuningOracle.owner(new io.masqharness.oracle.RefusedConfigurationException("unable to initialize BPF Masquerade")))
                .contains(Toggle.BPF_MASQUERADE);
    }

    /** JSON contract: exactly mode, refused, toggles; each toggle exactly name, requested, effective, outcome, why. */
    @Test
    void jsonHasExactlyTheContractFields() {
        TuningAnswer a = answer("1.13.4", "6.2", series(), Set.of("MTU"));
        assertThat(a.toJson()).containsOnlyKeys("mode", "refused", "toggles").containsEntry("refused", null).containsEntry("mode", "m");
        @SuppressWarnings("unchecked")
        java.util.List<Map<String, Object>> toggles = (java.util.List<Map<String, Object>>) a.toJson().get("toggles");
        assertThat(toggles).hasSize(13).allSatisfy(t -> assertThat(t).containsOnlyKeys("name", "requested", "effective", "outcome", "why"));
        assertThat(toggles).extracting(t -> t.get("name")).containsExactly("nativeRouting", "kubeProxyReplacement", "bpfMasquerade", "dsr",
                "noConntrack", "hostRouting", "bigTcpIpv6", "hubble", "mtu", "bandwidthManager", "bbr", "xdpAcceleration", "mapSizes");
        assertThat(toggles.get(8)).containsEntry("outcome", "on").containsEntry("requested", "9000");
        assertThat((String) toggles.get(8).get("why")).contains("[source: chart cilium-1.13.4").contains("until the agents restart");
        assertThat((String) toggles.get(11).get("why")).contains("(unverified: the nodes' NIC drivers are unknown from a scenario)");
        assertThat(answer("1.13.4", "5.4", series()).toJson().get("refused")).asString().startsWith("bbr:");
    }

    @Test
    void textNamesEveryToggleAndTheRefusal() {
        String text = answer("1.13.4", "5.4", series()).toText();
        assertThat(text).startsWith("mode m: REFUSED: bbr:").contains("hostRouting").contains("legacy").contains("fallback")
                .contains("[source: ");
        assertThat(text.lines().filter(l -> l.startsWith("  ") && !l.startsWith("      "))).hasSize(13);
        assertThat(answer("1.13.4", "6.2", base()).toText()).startsWith("mode m: runs");
        assertThat(answer("1.13.4", "6.2", base()).toggle(Toggle.HOST_ROUTING).toString()).isEqualTo("hostRouting: bpf -> bpf (on)");
    }

    /** When the masquerading oracle cannot answer (Helm refuses first), BPF masquerading is read from the values alone. */
    @Test
    void masqueradingWhenTheOracleCannotAnswer() {
        Map<String, Object> v116 = with(base(), "tunnel", null, "routingMode", "native", "kubeProxyReplacement", "true",
                "remoteNodeIdentity", true);
        ToggleVerdict bpf = answer("1.16.3", "6.2", v116).toggle(Toggle.BPF_MASQUERADE);
        assertThat(bpf).extracting(ToggleVerdict::effective, ToggleVerdict::outcome).containsExactly("bpf", Outcome.ON);
        assertThat(answer("1.16.3", "6.2", v116).toggle(Toggle.HOST_ROUTING).effective()).isEqualTo("bpf");
        ToggleVerdict noMasq = answer("1.16.3", "6.2", with(v116, "enableIPv4Masquerade", false)).toggle(Toggle.BPF_MASQUERADE);
        assertThat(noMasq.effective()).isEqualTo("disabled");
        ToggleVerdict v4off = answer("1.16.3", "6.2", with(v116, "ipv4.enabled", false, "ipv6.enabled", true,
                "ipv6NativeRoutingCIDR", "fd00::/64")).toggle(Toggle.BPF_MASQUERADE);
        assertThat(v4off.effective()).isEqualTo("disabled");
        ToggleVerdict iptables = answer("1.16.3", "6.2", with(v116, "bpf.masquerade", false)).toggle(Toggle.BPF_MASQUERADE);
        assertThat(iptables).extracting(ToggleVerdict::requested, ToggleVerdict::effective).containsExactly("iptables", "iptables");
        ToggleVerdict noNodePort = answer("1.16.3", "6.2", with(v116, "kubeProxyReplacement", "false")).toggle(Toggle.BPF_MASQUERADE);
        assertThat(noNodePort.effective()).isEqualTo("iptables");
        assertThat(noNodePort.why()).contains("BPF masquerading is not in force");
        // 1.13 refusing kubeProxyReplacement=true: the rest read as the chart's default (disabled), no NodePort
        ToggleVerdict kprRefused = answer("1.13.4", "6.2", with(base(), "kubeProxyReplacement", "true")).toggle(Toggle.BPF_MASQUERADE);
        assertThat(kprRefused.effective()).isEqualTo("iptables");
    }
}
