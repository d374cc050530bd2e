package io.masqharness.tuning;

import static io.masqharness.tuning.Tuning.base;
import static io.masqharness.tuning.Tuning.with;
import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.oracle.CiliumVersion;
import io.masqharness.oracle.HelmValues;
import io.masqharness.oracle.IpMasqAgentFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The agent's own lines against what the mode asks for, on real captures of newer agents (src/test/resources/golden/README.md
 * gives each capture's source and release): a toggle not in force fails with the line, and with the oracle's reason.
 */
class TuningChecksTest {

    private static final Path G = Path.of("src/test/resources/golden/status");

    private static String golden(String name) throws IOException {
        return Files.readString(G.resolve(name));
    }

    private static TuningExpectation expectation(String version, Map<String, Object> values) {
        return new TuningExpectation("m", HelmValues.of(values), values.keySet(), new IpMasqAgentFile.Absent(), CiliumVersion.parse(version));
    }

    private static AgentEvidence status(String text) {
        return new AgentEvidence(Optional.of(text), Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static TuningCheck only(List<TuningCheck> checks, Toggle t) {
        return checks.stream().filter(c -> c.toggle() == t).findFirst().orElseThrow();
    }

    /** 1.13.4 walkthrough: KPR Strict, Host Routing Legacy (iptables masquerading). */
    @Test
    void v1134LegacyHostRoutingFailsAModeThatAsksForBpfHostRouting() throws IOException {
        Map<String, Object> values = with(base(), "bpf.masquerade", false, "bpf.hostLegacyRouting", false);
        List<TuningCheck> checks = expectation("1.13.4", values).judge(Optional.of("6.2.0"), status(golden("v1.13.4-trailing-notes-zh.txt")));
        assertThat(checks).extracting(TuningCheck::toggle).containsExactlyInAnyOrder(Toggle.NATIVE_ROUTING, Toggle.KUBE_PROXY_REPLACEMENT,
                Toggle.HOST_ROUTING);
        TuningCheck host = only(checks, Toggle.HOST_ROUTING);
        assertThat(host.status()).isEqualTo(TuningCheck.Status.FAILED);
        assertThat(host.name()).isEqualTo("tuning hostRouting");
        assertThat(host.evidence()).startsWith("Host Routing:            Legacy");
        assertThat(host.message()).contains("asks for BPF, the agent reports Legacy").contains("predicted, fallback")
                .contains("requires enable-bpf-masquerade");
        TuningCheck kpr = only(checks, Toggle.KUBE_PROXY_REPLACEMENT);
        assertThat(kpr.status()).isEqualTo(TuningCheck.Status.PASSED);
        assertThat(kpr.evidence()).startsWith("KubeProxyReplacement:    Strict");
        assertThat(only(checks, Toggle.NATIVE_ROUTING).status()).isEqualTo(TuningCheck.Status.NOT_APPLICABLE);
    }

    @Test
    void anUnpredictedFallbackSaysSo() throws IOException {
        Map<String, Object> values = with(base(), "bpf.hostLegacyRouting", false);
        TuningCheck host = only(expectation("1.13.4", values).judge(Optional.of("6.2"), status(golden("v1.13.4-trailing-notes-zh.txt"))),
                Toggle.HOST_ROUTING);
        assertThat(host.status()).isEqualTo(TuningCheck.Status.FAILED);
        assertThat(host.message()).contains("a silent fallback the oracle did not predict");
    }

    /** 1.13.4 K3s blog after bandwidthManager.enabled=true: CUBIC. BBR asked for fails; the bandwidth manager passes. */
    @Test
    void v1134BandwidthManagerCubicFailsBbr() throws IOException {
        Map<String, Object> values = with(base(), "bandwidthManager.enabled", true, "bandwidthManager.bbr", true);
        List<TuningCheck> checks = expectation("1.13.4", values).judge(Optional.of("6.2"), status(golden("v1.13.4-grep-bandwidthmanager-cubic.txt")));
        assertThat(only(checks, Toggle.BANDWIDTH_MANAGER).status()).isEqualTo(TuningCheck.Status.PASSED);
        TuningCheck bbr = only(checks, Toggle.BBR);
        assertThat(bbr.status()).isEqualTo(TuningCheck.Status.FAILED);
        assertThat(bbr.message()).contains("asks for BBR, the agent reports CUBIC");
        assertThat(bbr.evidence()).isEqualTo("BandwidthManager:        EDT with BPF [CUBIC] [eth0, eth1]");
        assertThat(checks).extracting(TuningCheck::toggle).doesNotContain(Toggle.HOST_ROUTING);
        Map<String, Object> bpfHost = with(values, "bpf.hostLegacyRouting", false);
        TuningCheck host = only(expectation("1.13.4", bpfHost).judge(Optional.of("6.2"), status(golden("v1.13.4-grep-bandwidthmanager-cubic.txt"))),
                Toggle.HOST_ROUTING);
        assertThat(host.status()).isEqualTo(TuningCheck.Status.NOT_APPLICABLE);
        assertThat(host.message()).contains("no readable 'Host Routing:' line").doesNotContain("verbose");
    }

    /** 1.15.1 verbose: KPR True, Host Routing BPF, Mode DSR, XDP Disabled. */
    @Test
    void v1151VerboseDsrPassesAndXdpFails() throws IOException {
        Map<String, Object> values = with(base(), "tunnel", null, "routingMode", "native", "kubeProxyReplacement", "true",
                "loadBalancer.mode", "dsr", "loadBalancer.acceleration", "native");
        List<TuningCheck> checks = expectation("1.15.1", values).judge(Optional.empty(),
                status(golden("v1.15.1-verbose-abridged-own-line-notes-zh.txt")));
        assertThat(only(checks, Toggle.DSR).status()).isEqualTo(TuningCheck.Status.PASSED);
        assertThat(only(checks, Toggle.DSR).evidence()).startsWith("Mode:                   DSR");
        assertThat(only(checks, Toggle.KUBE_PROXY_REPLACEMENT).status()).isEqualTo(TuningCheck.Status.PASSED);
        TuningCheck xdp = only(checks, Toggle.XDP_ACCELERATION);
        assertThat(xdp.status()).isEqualTo(TuningCheck.Status.FAILED);
        assertThat(xdp.message()).contains("asks for Native, the agent reports Disabled").contains("did not predict");
        assertThat(xdp.evidence()).startsWith("XDP Acceleration:       Disabled");
    }

    /** 1.15 kind `| grep XDP`: Native alone. A plain capture without the verbose line is not applicable, naming --verbose. */
    @Test
    void xdpNativeFromAGrepAndMissingInAPlainStatus() throws IOException {
        Map<String, Object> values = with(base(), "tunnel", null, "routingMode", "native", "kubeProxyReplacement", "true",
                "loadBalancer.acceleration", "native");
        TuningCheck xdp = only(expectation("1.15.1", values).judge(Optional.empty(), status(golden("v1.15-kind-grep-xdp-native.txt"))),
                Toggle.XDP_ACCELERATION);
        assertThat(xdp.status()).isEqualTo(TuningCheck.Status.PASSED);
        TuningCheck missing = only(expectation("1.15.1", values).judge(Optional.empty(),
                status(golden("v1.14.5-wireguard-bracketed-lines.txt"))), Toggle.XDP_ACCELERATION);
        assertThat(missing.status()).isEqualTo(TuningCheck.Status.NOT_APPLICABLE);
        assertThat(missing.message()).contains("--verbose");
        Map<String, Object> bestEffort = with(values, "loadBalancer.acceleration", "best-effort");
        assertThat(only(expectation("1.15.1", bestEffort).judge(Optional.empty(), status(golden("v1.15-kind-grep-xdp-native.txt"))),
                Toggle.XDP_ACCELERATION).message()).contains("asks for Best-Effort");
    }

    /** 1.16.4 Talos: `Routing: Network: Tunnel [vxlan]   Host: Legacy`: native routing and BPF host routing both fail. */
    @Test
    void v1164RoutingLineFailsNativeAndBpfHost() throws IOException {
        Map<String, Object> values = with(base(), "tunnel", null, "routingMode", "native", "kubeProxyReplacement", "true",
                "bpf.hostLegacyRouting", false);
        List<TuningCheck> checks = expectation("1.16.4", values).judge(Optional.of("6.6.64-talos"),
                status(golden("v1.16.4-talos-tunnel-legacy-tcx.txt")));
        TuningCheck routing = only(checks, Toggle.NATIVE_ROUTING);
        assertThat(routing.status()).isEqualTo(TuningCheck.Status.FAILED);
        assertThat(routing.message()).contains("asks for Native, the agent reports Tunnel");
        assertThat(routing.evidence()).startsWith("Routing:                 Network: Tunnel [vxlan]");
        TuningCheck host = only(checks, Toggle.HOST_ROUTING);
        assertThat(host.status()).isEqualTo(TuningCheck.Status.FAILED);
        assertThat(host.evidence()).startsWith("Routing:");
        assertThat(host.message()).contains("reports Legacy");
        assertThat(only(checks, Toggle.KUBE_PROXY_REPLACEMENT).status()).isEqualTo(TuningCheck.Status.PASSED);
    }

    /** 1.14.5: both BIG TCP lines Disabled, Host Routing BPF; BIG TCP asked for fails, the oracle did not predict it on 6.x. */
    @Test
    void v1145BigTcpDisabledFails() throws IOException {
        Map<String, Object> values = with(base(), "tunnel", null, "routingMode", "native", "kubeProxyReplacement", "true",
                "enableIPv6BIGTCP", true, "hubble.enabled", false);
        List<TuningCheck> checks = expectation("1.14.5", values).judge(Optional.of("6.1"), status(golden("v1.14.5-wireguard-bracketed-lines.txt")));
        TuningCheck big = only(checks, Toggle.BIG_TCP_IPV6);
        assertThat(big.status()).isEqualTo(TuningCheck.Status.FAILED);
        assertThat(big.evidence()).startsWith("IPv6 BIG TCP:            Disabled");
        assertThat(big.message()).contains("did not predict");
        // the capture's node runs WireGuard: with encryption in the values the oracle predicts the refusal
        TuningCheck predicted = only(expectation("1.14.5", with(values, "encryption.enabled", true, "encryption.type", "wireguard"))
                .judge(Optional.of("6.1"), status(golden("v1.14.5-wireguard-bracketed-lines.txt"))), Toggle.BIG_TCP_IPV6);
        assertThat(predicted.message()).contains("predicted, refused: IPv6 BIG TCP is not supported with encryption enabled");
        TuningCheck hubble = only(checks, Toggle.HUBBLE);
        assertThat(hubble.status()).isEqualTo(TuningCheck.Status.FAILED);
        assertThat(hubble.message()).contains("asks for Disabled, the agent reports enabled");
        assertThat(only(checks, Toggle.KUBE_PROXY_REPLACEMENT).evidence()).startsWith("KubeProxyReplacement:    True");
    }

    @Test
    void v1134HubbleDisabledPasses() throws IOException {
        TuningCheck hubble = only(expectation("1.13.3", with(base(), "hubble.enabled", false)).judge(Optional.empty(),
                status(golden("v1.13.3-external-workload-indented.txt"))), Toggle.HUBBLE);
        assertThat(hubble.status()).isEqualTo(TuningCheck.Status.PASSED);
        assertThat(hubble.evidence()).startsWith("Hubble:").contains("Disabled");
    }

    @Test
    void nativeRoutingFromCiliumConfigBefore116() {
        TuningExpectation x = expectation("1.13.4", base());
        AgentEvidence ok = new AgentEvidence(Optional.empty(), Optional.of(Map.of("tunnel", "disabled")), Optional.empty(), Optional.empty());
        assertThat(only(x.judge(Optional.empty(), ok), Toggle.NATIVE_ROUTING)).extracting(TuningCheck::status, TuningCheck::evidence)
                .containsExactly(TuningCheck.Status.PASSED, "tunnel: disabled");
        AgentEvidence tunnel = new AgentEvidence(Optional.empty(), Optional.of(Map.of("routing-mode", "tunnel", "tunnel", "disabled")),
                Optional.empty(), Optional.empty());
        TuningCheck failed = only(x.judge(Optional.empty(), tunnel), Toggle.NATIVE_ROUTING);
        assertThat(failed.status()).isEqualTo(TuningCheck.Status.FAILED);
        assertThat(failed.evidence()).isEqualTo("routing-mode: tunnel");
        AgentEvidence neither = new AgentEvidence(Optional.empty(), Optional.of(Map.of()), Optional.empty(), Optional.empty());
        assertThat(only(x.judge(Optional.empty(), neither), Toggle.NATIVE_ROUTING).message()).contains("has neither");
        assertThat(only(x.judge(Optional.empty(), AgentEvidence.NONE), Toggle.NATIVE_ROUTING).message()).contains("was not captured");
        assertThat(only(x.judge(Optional.empty(), AgentEvidence.NONE), Toggle.KUBE_PROXY_REPLACEMENT).message())
                .isEqualTo("no `cilium status` captured");
    }

    @Test
    void mtuFromConfigAndDevice() {
        TuningExpectation x = expectation("1.13.4", with(base(), "MTU", 9000));
        assertThat(only(x.judge(Optional.empty(), new AgentEvidence(Optional.empty(), Optional.of(Map.of("mtu", "9000")), Optional.of("9000\n"),
                Optional.empty())), Toggle.MTU)).extracting(TuningCheck::status, TuningCheck::evidence)
                .containsExactly(TuningCheck.Status.PASSED, "cilium_host mtu 9000");
        TuningCheck stale = only(x.judge(Optional.empty(), new AgentEvidence(Optional.empty(), Optional.of(Map.of("mtu", "9000")),
                Optional.of("1500"), Optional.empty())), Toggle.MTU);
        assertThat(stale.status()).isEqualTo(TuningCheck.Status.FAILED);
        assertThat(stale.message()).contains("cilium_host has 1500").contains("restarted");
        TuningCheck config = only(x.judge(Optional.empty(), new AgentEvidence(Optional.empty(), Optional.of(Map.of("mtu", "1500")),
                Optional.of("1500"), Optional.empty())), Toggle.MTU);
        assertThat(config.message()).contains("cilium-config says mtu: 1500");
        assertThat(config.status()).isEqualTo(TuningCheck.Status.FAILED);
        assertThat(only(x.judge(Optional.empty(), new AgentEvidence(Optional.empty(), Optional.of(Map.of("mtu", " 9000 ")), Optional.of(" "),
                Optional.empty())), Toggle.MTU)).extracting(TuningCheck::status).isEqualTo(TuningCheck.Status.PASSED);
        assertThat(only(x.judge(Optional.empty(), AgentEvidence.NONE), Toggle.MTU).status()).isEqualTo(TuningCheck.Status.NOT_APPLICABLE);
        assertThat(only(x.judge(Optional.empty(), new AgentEvidence(Optional.empty(), Optional.empty(), Optional.of("9000"),
                Optional.empty())), Toggle.MTU).status()).isEqualTo(TuningCheck.Status.PASSED);
    }

    /** Cilium's own CI checks the raw table for 'cilium: NOTRACK for pod traffic' (facts §2.4). */
    @Test
    void noConntrackFromTheRawTable() {
        TuningExpectation x = expectation("1.13.4", with(base(), "installNoConntrackIptablesRules", true));
        String raw = """
                *raw
                :CILIUM_PRE_raw - [0:0]
                -A CILIUM_PRE_raw -s 10.42.0.0/16 -m comment --comment "cilium: NOTRACK for pod traffic" -j CT --notrack
                -A CILIUM_PRE_raw -d 10.42.0.0/16 -m comment --comment "cilium: NOTRACK for pod traffic" -j CT --notrack
                COMMIT
                """;
        TuningCheck ok = only(x.judge(Optional.empty(), new AgentEvidence(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(raw))),
                Toggle.NO_CONNTRACK);
        assertThat(ok.status()).isEqualTo(TuningCheck.Status.PASSED);
        assertThat(ok.message()).startsWith("2 ");
        TuningCheck none = only(x.judge(Optional.empty(), new AgentEvidence(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of("*raw\nCOMMIT\n"))), Toggle.NO_CONNTRACK);
        assertThat(none.status()).isEqualTo(TuningCheck.Status.FAILED);
        assertThat(only(x.judge(Optional.empty(), AgentEvidence.NONE), Toggle.NO_CONNTRACK).status()).isEqualTo(TuningCheck.Status.NOT_APPLICABLE);
    }

    @Test
    void mapSizesFromCiliumConfig() {
        TuningExpectation x = expectation("1.13.4", with(base(), "bpf.ctTcpMax", 524288, "bpf.natMax", 262144));
        TuningCheck ok = only(x.judge(Optional.empty(), new AgentEvidence(Optional.empty(), Optional.of(Map.of("bpf-ct-global-tcp-max", "524288",
                "bpf-nat-global-max", "262144")), Optional.empty(), Optional.empty())), Toggle.MAP_SIZES);
        assertThat(ok.status()).isEqualTo(TuningCheck.Status.PASSED);
        TuningCheck wrong = only(x.judge(Optional.empty(), new AgentEvidence(Optional.empty(), Optional.of(Map.of("bpf-ct-global-tcp-max", "524288")),
                Optional.empty(), Optional.empty())), Toggle.MAP_SIZES);
        assertThat(wrong.status()).isEqualTo(TuningCheck.Status.FAILED);
        assertThat(wrong.evidence()).isEqualTo("bpf-nat-global-max: null");
        assertThat(only(x.judge(Optional.empty(), AgentEvidence.NONE), Toggle.MAP_SIZES).status()).isEqualTo(TuningCheck.Status.NOT_APPLICABLE);
    }

    @Test
    void anUnreadableStatusFailsTheStatusChecksAndBpfMasqueradingIsLeftToItsOwnCheck() {
        TuningExpectation x = expectation("1.13.4", base());
        List<TuningCheck> checks = x.judge(Optional.empty(), status("\u0000binary"));
        assertThat(checks).extracting(TuningCheck::toggle).doesNotContain(Toggle.BPF_MASQUERADE);
        assertThat(x.requested()).contains(Toggle.BPF_MASQUERADE);
        assertThat(only(checks, Toggle.KUBE_PROXY_REPLACEMENT).status()).isEqualTo(TuningCheck.Status.FAILED);
        assertThat(only(checks, Toggle.KUBE_PROXY_REPLACEMENT).message()).contains("unreadable");
    }

    @Test
    void anUnknownKernelIsTakenAsNew() {
        TuningExpectation x = expectation("1.13.4", with(base(), "bandwidthManager.enabled", true, "bandwidthManager.bbr", true));
        assertThat(x.on(Optional.empty()).refused()).isEmpty();
        assertThat(x.on(Optional.of("garbage")).refused()).isEmpty();
        assertThat(x.on(Optional.of("5.4")).refused()).isPresent();
        assertThat(x.modeKeys()).contains("bandwidthManager.bbr");
    }

    @Test
    void statusWords() {
        assertThat(TuningChecks.word("dsr")).isEqualTo("DSR");
        assertThat(TuningChecks.word("snat")).isEqualTo("SNAT");
        assertThat(TuningChecks.word("hybrid")).isEqualTo("Hybrid");
        assertThat(TuningChecks.word("")).isEmpty();
        assertThat(TuningChecks.xdpWord("best-effort")).isEqualTo("Best-Effort");
        assertThat(TuningChecks.xdpWord("native")).isEqualTo("Native");
        assertThat(Set.of(Outcome.values())).extracting(Outcome::label).contains("fallback", "ignored");
    }
}
