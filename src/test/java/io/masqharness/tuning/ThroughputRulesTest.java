package io.masqharness.tuning;

import static io.masqharness.tuning.Tuning.answer;
import static io.masqharness.tuning.Tuning.base;
import static io.masqharness.tuning.Tuning.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** IPv6 BIG TCP (§2.6), Hubble (§2.7), MTU (§2.8), bandwidth manager (§2.9), BBR (§2.10), XDP (§2.11), map sizes (§2.12). */
class ThroughputRulesTest {

    /** IPv6 with BPF masquerading needs enableIPv6Masquerade=false in 1.13 (facts §2.6 item 2). */
    private static Map<String, Object> bigTcp() {
        return with(base(), "enableIPv6BIGTCP", true, "ipv6.enabled", true, "enableIPv6Masquerade", false);
    }

    // --- bigtcp.go InitBIGTCP: devices, kernel 5.19 (warn) → veth, tunnel, encryption, legacy host routing (fatal)

    @Test
    void bigTcpOnWithItsPrerequisitesSaysTheNicIsUnknown() {
        ToggleVerdict v = answer("1.13.4", "6.2", bigTcp(), Set.of("enableIPv6BIGTCP")).toggle(Toggle.BIG_TCP_IPV6);
        assertThat(v).extracting(ToggleVerdict::requested, ToggleVerdict::effective, ToggleVerdict::outcome)
                .containsExactly("enabled", "enabled", Outcome.ON);
        assertThat(v.why()).contains("gso_max_size 196608").contains("does not say the nodes' NIC").contains("`IPv6 BIG TCP: Enabled`")
                .contains("recreated").contains("until the agents restart");
        assertThat(v.unverified()).get().asString().isEqualTo("the NIC's tso_max_size is unknown from a scenario");
        ToggleVerdict noV6 = answer("1.13.4", "6.2", with(base(), "enableIPv6BIGTCP", true)).toggle(Toggle.BIG_TCP_IPV6);
        assertThat(noV6.why()).contains("ipv6.enabled=false");
        assertThat(noV6.unverified()).get().asString().contains("missing IPv6 check");
    }

    @Test
    void bigTcpOnAnOldKernelTurnsItselfOffBeforeTheFatalChecks() {
        ToggleVerdict v = answer("1.13.4", "5.18", bigTcp()).toggle(Toggle.BIG_TCP_IPV6);
        assertThat(v).extracting(ToggleVerdict::effective, ToggleVerdict::outcome).containsExactly("disabled", Outcome.FALLBACK);
        assertThat(v.why()).contains("needs kernel 5.19 or newer");
        // legacy host routing too (iptables masquerading), but the kernel check comes first: no refusal
        assertThat(answer("1.13.4", "5.18", with(bigTcp(), "bpf.masquerade", false)).refused()).isEmpty();
        assertThat(answer("1.13.4", "5.19", bigTcp()).toggle(Toggle.BIG_TCP_IPV6).outcome()).isEqualTo(Outcome.ON);
    }

    @Test
    void bigTcpIsFatalWithTunnelEncryptionOrLegacyHostRouting() {
        assertThat(answer("1.13.4", "6.2", with(bigTcp(), "tunnel", "vxlan", "autoDirectNodeRoutes", false, "bpf.masquerade", false))
                .toggle(Toggle.BIG_TCP_IPV6).why()).startsWith("IPv6 BIG TCP is not supported in tunneling mode");
        assertThat(answer("1.13.4", "6.2", with(bigTcp(), "encryption.enabled", true, "encryption.type", "wireguard"))
                .toggle(Toggle.BIG_TCP_IPV6).why()).startsWith("IPv6 BIG TCP is not supported with encryption enabled");
        TuningAnswer legacy = answer("1.13.4", "6.2", with(bigTcp(), "bpf.masquerade", false));
        assertThat(legacy.toggle(Toggle.BIG_TCP_IPV6).outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(legacy.refused()).get().asString().startsWith("bigTcpIpv6: IPv6 BIG TCP is not supported with legacy host routing");
        assertThat(answer("1.13.4", "6.2", base()).toggle(Toggle.BIG_TCP_IPV6).outcome()).isEqualTo(Outcome.OFF);
    }

    // --- Hubble: validate.yaml

    @Test
    void hubbleDisabledAloneIsFineButNotWithRelayOn() {
        ToggleVerdict off = answer("1.13.4", "6.2", with(base(), "hubble.enabled", false)).toggle(Toggle.HUBBLE);
        assertThat(off).extracting(ToggleVerdict::requested, ToggleVerdict::effective, ToggleVerdict::outcome, ToggleVerdict::explicit)
                .containsExactly("disabled", "disabled", Outcome.OFF, true);
        assertThat(off.why()).contains("`Hubble: Disabled`");
        TuningAnswer relay = answer("1.13.4", "6.2", with(base(), "hubble.enabled", false, "hubble.relay.enabled", true, "hubble.ui.enabled", true));
        assertThat(relay.toggle(Toggle.HUBBLE).outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(relay.refused()).get().asString().contains("Hubble Relay requires .Values.hubble.enabled=true")
                .contains("hubble.ui.enabled=false");
        assertThat(answer("1.13.4", "6.2", with(base(), "hubble.ui.enabled", true)).toggle(Toggle.HUBBLE).why())
                .contains("Hubble UI requires .Values.hubble.relay.enabled=true");
        ToggleVerdict on = answer("1.13.4", "6.2", base()).toggle(Toggle.HUBBLE);
        assertThat(on).extracting(ToggleVerdict::requested, ToggleVerdict::outcome, ToggleVerdict::explicit)
                .containsExactly("enabled", Outcome.ON, false);
        assertThat(answer("1.13.4", "6.2", with(base(), "hubble.relay.enabled", true, "hubble.ui.enabled", true)).refused()).isEmpty();
    }

    // --- MTU: chart (mtu only when != 0), pkg/mtu

    @Test
    void mtuSetAutoAndNonsense() {
        ToggleVerdict jumbo = answer("1.13.4", "6.2", with(base(), "MTU", 9000), Set.of("MTU")).toggle(Toggle.MTU);
        assertThat(jumbo).extracting(ToggleVerdict::requested, ToggleVerdict::effective, ToggleVerdict::outcome)
                .containsExactly("9000", "9000", Outcome.ON);
        assertThat(jumbo.why()).contains("mtu: \"9000\"").contains("drop while the agent reports Ok").contains("recreated");
        assertThat(jumbo.unverified()).isEmpty();
        ToggleVerdict tunnel = answer("1.13.4", "6.2", with(base(), "MTU", 9000, "tunnel", "vxlan", "autoDirectNodeRoutes", false,
                "bpf.masquerade", false)).toggle(Toggle.MTU);
        assertThat(tunnel.why()).contains("9000 - 50");
        assertThat(tunnel.unverified()).isPresent();
        ToggleVerdict auto = answer("1.13.4", "6.2", base()).toggle(Toggle.MTU);
        assertThat(auto).extracting(ToggleVerdict::requested, ToggleVerdict::effective, ToggleVerdict::outcome)
                .containsExactly("auto", "auto", Outcome.OFF);
        assertThat(answer("1.13.4", "6.2", with(base(), "MTU", 0)).toggle(Toggle.MTU).outcome()).isEqualTo(Outcome.OFF);
        assertThat(answer("1.13.4", "6.2", with(base(), "MTU", "jumbo")).toggle(Toggle.MTU).outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(answer("1.13.4", "6.2", with(base(), "MTU", 1279)).toggle(Toggle.MTU).outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(answer("1.13.4", "6.2", with(base(), "MTU", 1280)).toggle(Toggle.MTU).outcome()).isEqualTo(Outcome.ON);
    }

    // --- bandwidth manager and BBR: pkg/bandwidth/bandwidth.go (procfs → kernel 5.1 → BBR 5.18 → BBR legacy → IPsec)

    @Test
    void bandwidthManagerTurnsItselfOffOnOldKernelsAndWithIpsec() {
        Map<String, Object> bwm = with(base(), "bandwidthManager.enabled", true);
        ToggleVerdict on = answer("1.13.4", "5.1", bwm).toggle(Toggle.BANDWIDTH_MANAGER);
        assertThat(on).extracting(ToggleVerdict::requested, ToggleVerdict::effective, ToggleVerdict::outcome)
                .containsExactly("enabled", "enabled", Outcome.ON);
        assertThat(on.why()).contains("[CUBIC]").contains("default_qdisc");
        ToggleVerdict old = answer("1.13.4", "5.0", bwm).toggle(Toggle.BANDWIDTH_MANAGER);
        assertThat(old).extracting(ToggleVerdict::effective, ToggleVerdict::outcome).containsExactly("disabled", Outcome.FALLBACK);
        assertThat(old.why()).contains("needs kernel 5.1 or newer");
        assertThat(answer("1.13.4", "6.2", with(bwm, "encryption.enabled", true)).toggle(Toggle.BANDWIDTH_MANAGER).why())
                .contains("cannot be used with IPSec");
        assertThat(answer("1.13.4", "6.2", base()).toggle(Toggle.BANDWIDTH_MANAGER).outcome()).isEqualTo(Outcome.OFF);
    }

    @Test
    void bbrWithoutTheBandwidthManagerIsIgnoredByTheChart() {
        ToggleVerdict v = answer("1.13.4", "6.2", with(base(), "bandwidthManager.bbr", true)).toggle(Toggle.BBR);
        assertThat(v).extracting(ToggleVerdict::requested, ToggleVerdict::effective, ToggleVerdict::outcome)
                .containsExactly("enabled", "disabled", Outcome.IGNORED);
        assertThat(v.why()).contains("renders neither");
    }

    @Test
    void bbrNeeds518AndBpfHostRouting() {
        Map<String, Object> bbr = with(base(), "bandwidthManager.enabled", true, "bandwidthManager.bbr", true);
        ToggleVerdict on = answer("1.13.4", "5.18", bbr).toggle(Toggle.BBR);
        assertThat(on.outcome()).isEqualTo(Outcome.ON);
        assertThat(on.why()).contains("[BBR]").contains("keep CUBIC");
        assertThat(answer("1.13.4", "5.18", bbr).toggle(Toggle.BANDWIDTH_MANAGER).why()).contains("[BBR]");
        TuningAnswer old = answer("1.13.4", "5.15", bbr);
        assertThat(old.toggle(Toggle.BBR).outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(old.refused()).get().asString().contains("Cannot enable --enable-bbr, needs kernel 5.18 or newer.");
        ToggleVerdict ancient = answer("1.13.4", "4.19.57", bbr).toggle(Toggle.BBR);
        assertThat(ancient.outcome()).isEqualTo(Outcome.FALLBACK);
        TuningAnswer ipsec = answer("1.13.4", "6.2", with(bbr, "encryption.enabled", true, "encryption.type", "wireguard",
                "bandwidthManager.enabled", true));
        assertThat(ipsec.toggle(Toggle.BBR).outcome()).isEqualTo(Outcome.ON);
        assertThat(answer("1.13.4", "6.2", base()).toggle(Toggle.BBR).outcome()).isEqualTo(Outcome.OFF);
    }

    @Test
    void bbrAfterTheBandwidthManagerTurnedItselfOffWithIpsecIsNotInForce() {
        ToggleVerdict bwmOff = BandwidthManagerRule.judge(context(with(base(), "bandwidthManager.enabled", true, "encryption.enabled", true)));
        ToggleVerdict v = BbrRule.judge(context(with(base(), "bandwidthManager.enabled", true, "bandwidthManager.bbr", true)), bwmOff, true);
        assertThat(v.outcome()).isEqualTo(Outcome.FALLBACK);
        assertThat(v.unverified()).isPresent();
    }

    // --- XDP: values.yaml loadBalancer.acceleration, issues #24768, #25453, #32699

    @Test
    void xdpNativeAssumesTheDriverAndSaysSo() {
        ToggleVerdict v = answer("1.13.4", "6.2", with(base(), "loadBalancer.acceleration", "native")).toggle(Toggle.XDP_ACCELERATION);
        assertThat(v).extracting(ToggleVerdict::requested, ToggleVerdict::effective, ToggleVerdict::outcome)
                .containsExactly("native", "native", Outcome.ON);
        assertThat(v.why()).contains("does not say the nodes' NIC drivers").contains("Failed to compile XDP program")
                .contains("XDP Acceleration: Native").doesNotContain("tunnel");
        assertThat(v.unverified()).isPresent();
        assertThat(answer("1.13.4", "6.2", with(base(), "loadBalancer.acceleration", "generic")).toggle(Toggle.XDP_ACCELERATION).why())
                .contains("Generic");
        assertThat(answer("1.13.4", "6.2", with(base(), "loadBalancer.acceleration", "native", "tunnel", "vxlan", "autoDirectNodeRoutes",
                false, "bpf.masquerade", false)).toggle(Toggle.XDP_ACCELERATION).why()).contains("PR #21364");
    }

    @Test
    void xdpBestEffortOnlyFrom115AndNothingWithoutNodePort() {
        ToggleVerdict early = answer("1.14.5", "6.2", with(base(), "loadBalancer.acceleration", "best-effort")).toggle(Toggle.XDP_ACCELERATION);
        assertThat(early.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(early.why()).contains("Invalid value for --bpf-lb-acceleration: best-effort");
        ToggleVerdict late = answer("1.15.5", "6.2", with(base(), "tunnel", null, "routingMode", "native", "kubeProxyReplacement", "true",
                "loadBalancer.acceleration", "best-effort")).toggle(Toggle.XDP_ACCELERATION);
        assertThat(late).extracting(ToggleVerdict::effective, ToggleVerdict::outcome).containsExactly("best-effort", Outcome.ON);
        assertThat(late.why()).contains("ignoring due to best-effort mode");
        ToggleVerdict noNodePort = answer("1.13.4", "6.2", with(base(), "kubeProxyReplacement", "disabled", "loadBalancer.acceleration",
                "native")).toggle(Toggle.XDP_ACCELERATION);
        assertThat(noNodePort).extracting(ToggleVerdict::effective, ToggleVerdict::outcome).containsExactly("disabled", Outcome.FALLBACK);
        ToggleVerdict off = answer("1.13.4", "6.2", base()).toggle(Toggle.XDP_ACCELERATION);
        assertThat(off).extracting(ToggleVerdict::requested, ToggleVerdict::outcome, ToggleVerdict::explicit)
                .containsExactly("disabled", Outcome.OFF, false);
    }

    // --- map sizes: checkMapSizeLimits

    @Test
    void mapSizesInAndOutOfRange() {
        ToggleVerdict on = answer("1.13.4", "6.2", with(base(), "bpf.ctTcpMax", 524288, "bpf.natMax", 524288)).toggle(Toggle.MAP_SIZES);
        assertThat(on).extracting(ToggleVerdict::requested, ToggleVerdict::effective, ToggleVerdict::outcome, ToggleVerdict::explicit)
                .containsExactly("ctTcpMax=524288, natMax=524288", "ctTcpMax=524288, natMax=524288", Outcome.ON, true);
        ToggleVerdict small = answer("1.13.4", "6.2", with(base(), "bpf.ctAnyMax", 1023)).toggle(Toggle.MAP_SIZES);
        assertThat(small.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(small.why()).contains("specified CT tables values 1023 must exceed minimum 1024");
        assertThat(small.unverified()).isEmpty();
        assertThat(answer("1.13.4", "6.2", with(base(), "bpf.ctTcpMax", 1024)).toggle(Toggle.MAP_SIZES).outcome()).isEqualTo(Outcome.ON);
        assertThat(answer("1.13.4", "6.2", with(base(), "bpf.ctTcpMax", 16777216)).toggle(Toggle.MAP_SIZES).outcome()).isEqualTo(Outcome.ON);
        assertThat(answer("1.13.4", "6.2", with(base(), "bpf.natMax", 16777217)).toggle(Toggle.MAP_SIZES).why())
                .contains("specified NAT table size 16777217 must not exceed maximum 16777216");
        assertThat(answer("1.13.4", "6.2", with(base(), "bpf.natMax", "lots")).toggle(Toggle.MAP_SIZES).why()).contains("not a number");
        ToggleVerdict ratio = answer("1.13.4", "6.2", with(base(), "bpf.mapDynamicSizeRatio", 1.5)).toggle(Toggle.MAP_SIZES);
        assertThat(ratio.why()).contains("must be in [0, 1]");
        assertThat(ratio.unverified()).isPresent();
        assertThat(answer("1.13.4", "6.2", with(base(), "bpf.mapDynamicSizeRatio", 0)).toggle(Toggle.MAP_SIZES).outcome()).isEqualTo(Outcome.ON);
        assertThat(answer("1.13.4", "6.2", with(base(), "bpf.mapDynamicSizeRatio", 1)).toggle(Toggle.MAP_SIZES).outcome()).isEqualTo(Outcome.ON);
        assertThat(answer("1.13.4", "6.2", with(base(), "bpf.mapDynamicSizeRatio", -0.1)).toggle(Toggle.MAP_SIZES).outcome())
                .isEqualTo(Outcome.REFUSED);
        assertThat(answer("1.13.4", "6.2", with(base(), "bpf.mapDynamicSizeRatio", "x")).toggle(Toggle.MAP_SIZES).why()).contains("not a number");
        assertThat(answer("1.13.4", "6.2", with(base(), "bpf.policyMapMax", 1)).toggle(Toggle.MAP_SIZES).outcome()).isEqualTo(Outcome.ON);
        ToggleVerdict none = answer("1.13.4", "6.2", base()).toggle(Toggle.MAP_SIZES);
        assertThat(none).extracting(ToggleVerdict::requested, ToggleVerdict::outcome, ToggleVerdict::explicit)
                .containsExactly("default", Outcome.OFF, false);
    }

    private static TuningContext context(Map<String, Object> values) {
        io.masqharness.oracle.HelmValues v = io.masqharness.oracle.HelmValues.of(values);
        io.masqharness.oracle.CiliumVersion version = io.masqharness.oracle.CiliumVersion.parse("1.13.4");
        return new TuningContext(v, Set.of(), version, Kernel.parse("6.2"), io.masqharness.oracle.HelmResolution.of(v, version), true, true);
    }
}
