package io.masqharness.oracle;

import static io.masqharness.oracle.OracleFixtures.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How each chart reads the values the oracle depends on, value by value, against the chart of the release (github.com/cilium/charts
 * cilium-X.tgz): templates/cilium-configmap.yaml and templates/validate.yaml.
 */
class HelmResolutionTest {

    private static HelmResolution resolve(String version, Object... kv) {
        return HelmResolution.of(HelmValues.of(values(kv)), CiliumVersion.parse(version));
    }

    private static ValueNote note(HelmResolution r, String key) {
        return r.notes().stream().filter(n -> n.key().equals(key)).findFirst()
                .orElseThrow(() -> new AssertionError("no note for " + key + " in " + r.notes()));
    }

    /** chart cilium-1.13.4 templates/cilium-configmap.yaml:396-405 writes tunnel only; routingMode and tunnelProtocol are unknown. */
    @Test
    void the113ChartIgnoresRoutingModeAndTunnelProtocolAndSaysWhatToWriteInstead() {
        HelmResolution r = resolve("1.13.4", "routingMode", "tunnel", "tunnelProtocol", "geneve");
        assertThat(r.routing()).isEqualTo(Routing.VXLAN);
        assertThat(note(r, "routingMode").suggestion()).isEqualTo("tunnel: geneve");
        assertThat(note(r, "tunnelProtocol").suggestion()).isEqualTo("tunnel: geneve");
        assertThat(note(r, "tunnelProtocol").kind()).isEqualTo(ValueNote.Kind.IGNORED);
        assertThat(note(resolve("1.13.4", "routingMode", "native"), "routingMode").suggestion()).isEqualTo("tunnel: disabled");
        assertThat(resolve("1.13.4", "tunnel", "disabled", "routingMode", " ").notes()).as("a blank value is no value").isEmpty();
        assertThat(resolve("1.13.4", "tunnel", "geneve").routing()).isEqualTo(Routing.GENEVE);
    }

    /** chart cilium-1.14.0 templates/cilium-configmap.yaml:437-457: tunnel, then routingMode and tunnelProtocol written after it. */
    @Test
    void in114BothSpellingsAreReadAndAContradictionIsUnverified() {
        HelmResolution agree = resolve("1.14.2", "tunnel", "disabled", "routingMode", "native");
        assertThat(agree.routing()).isEqualTo(Routing.NATIVE);
        assertThat(agree.unverified()).isEmpty();
        assertThat(note(agree, "tunnel").kind()).isEqualTo(ValueNote.Kind.DEPRECATED);
        HelmResolution clash = resolve("1.14.2", "tunnel", "disabled", "routingMode", "tunnel", "tunnelProtocol", "geneve");
        assertThat(clash.routing()).isEqualTo(Routing.GENEVE);
        assertThat(clash.unverified()).singleElement().satisfies(u -> assertThat(u).contains("routing-mode twice"));
        assertThat(resolve("1.14.2", "tunnel", "geneve").routing()).isEqualTo(Routing.GENEVE);
        assertThat(resolve("1.14.2").routing()).as("the chart's default case").isEqualTo(Routing.VXLAN);
        assertThat(resolve("1.14.2").rules()).contains(VersionRule.ROUTING_MODE, VersionRule.KPR_TRUE_FALSE);
        assertThatThrownBy(() -> resolve("1.14.2", "routingMode", "direct")).hasMessageContaining("invalid routing mode 'direct'");
    }

    /** chart cilium-1.15.0 (tunnel ignored: routing-mode from routingMode only), where routingMode is given too no clash is possible. */
    @Test
    void in115AnIgnoredTunnelBesideRoutingModeChangesNothing() {
        HelmResolution r = resolve("1.15.3", "tunnel", "vxlan", "routingMode", "native");
        assertThat(r.routing()).isEqualTo(Routing.NATIVE);
        assertThat(r.unverified()).isEmpty();
        assertThat(note(r, "tunnel").problem()).isEqualTo("the 1.15.3 chart ignores it");
        assertThat(note(resolve("1.15.3", "tunnel", "disabled"), "tunnel").problem()).endsWith("routing falls back to the default, tunnel (vxlan)");
        assertThat(resolve("1.15.3", "routingMode", "tunnel", "tunnelProtocol", "geneve").routing()).isEqualTo(Routing.GENEVE);
    }

    /** chart cilium-1.13.4 cilium-configmap.yaml:56-58 and cilium-1.14.0 :66-68: the values each chart accepts, and what KPR enables. */
    @Test
    void kubeProxyReplacementPerChart() {
        HelmResolution helm113 = resolve("1.13.4", "kubeProxyReplacement", "false");
        assertThat(helm113.helmRefusal()).isPresent();
        assertThat(helm113.kubeProxyReplacement()).isEqualTo("disabled");
        assertThat(note(helm113, "kubeProxyReplacement").suggestion()).isEqualTo("kubeProxyReplacement: disabled");
        assertThat(note(resolve("1.13.4", "kubeProxyReplacement", "true"), "kubeProxyReplacement").suggestion())
                .isEqualTo("kubeProxyReplacement: strict");
        assertThat(resolve("1.13.4").kubeProxyReplacement()).isEqualTo("disabled");
        assertThat(resolve("1.13.4", "kubeProxyReplacement", "partial", "nodePort.enabled", true).nodePort()).isTrue();
        assertThat(resolve("1.13.4", "kubeProxyReplacement", "partial").socketLb()).isFalse();
        assertThat(resolve("1.13.4", "kubeProxyReplacement", "strict").socketLb()).isTrue();
        assertThat(resolve("1.14.0").kubeProxyReplacement()).isEqualTo("false");
        assertThat(resolve("1.14.0", "socketLB.enabled", true).socketLb()).isTrue();
        assertThat(resolve("1.14.0", "kubeProxyReplacement", "true").notes()).isEmpty();
        assertThat(note(resolve("1.14.0", "kubeProxyReplacement", "partial"), "kubeProxyReplacement").suggestion())
                .startsWith("kubeProxyReplacement: false (with nodePort.enabled");
        assertThat(note(resolve("1.15.0", "kubeProxyReplacement", "disabled"), "kubeProxyReplacement").suggestion())
                .isEqualTo("kubeProxyReplacement: false");
        assertThat(resolve("1.15.0", "kubeProxyReplacement", "disabled").nodePort()).isFalse();
        assertThat(resolve("1.16.0", "kubeProxyReplacement", "disabled").helmRefusal()).isPresent();
        assertThatThrownBy(() -> resolve("1.14.0", "kubeProxyReplacement", "probe")).isInstanceOf(HelmRefusedException.class)
                .hasMessageContaining("true, false, disabled (deprecated)");
        assertThatThrownBy(() -> resolve("1.16.0", "kubeProxyReplacement", "maybe")).hasMessageContaining("(true or false) to continue");
    }

    /** chart cilium-1.15.0 values.yaml:2241; cilium-1.16.0 (not written); cilium-1.16.2 validate.yaml:21-22. */
    @Test
    void remoteNodeIdentityNotesPerRelease() {
        assertThat(note(resolve("1.15.0", "remoteNodeIdentity", false), "remoteNodeIdentity").suggestion())
                .isEqualTo("remove it after turning it on (BPF masquerading needs it until 1.16)");
        assertThat(note(resolve("1.15.0", "remoteNodeIdentity", true), "remoteNodeIdentity").suggestion()).isEqualTo("remove it");
        assertThat(resolve("1.15.0", "remoteNodeIdentity", false).remoteNodeIdentity()).isFalse();
        assertThat(resolve("1.14.0", "remoteNodeIdentity", false).notes()).isEmpty();
        HelmResolution ignored = resolve("1.16.1", "remoteNodeIdentity", true);
        assertThat(ignored.helmRefusal()).isEmpty();
        assertThat(note(ignored, "remoteNodeIdentity").problem()).isEqualTo("the 1.16.1 chart ignores it");
        assertThat(note(resolve("1.16.2", "remoteNodeIdentity", false), "remoteNodeIdentity").problem())
                .isEqualTo("the 1.16.2 chart ignores it: remote nodes have the remote-node identity anyway");
        assertThat(resolve("1.16.2", "remoteNodeIdentity", false).remoteNodeIdentity()).isTrue();
        HelmResolution refused = resolve("1.16.2", "remoteNodeIdentity", true);
        assertThat(refused.helmRefusal()).hasValueSatisfying(e -> assertThat(e.rule()).contains(VersionRule.REMOTE_NODE_IDENTITY_REFUSED));
        assertThat(resolve("1.16.0").rules()).contains(VersionRule.REMOTE_NODE_IDENTITY_ALWAYS);
    }

    /** Values a line does not know yet: enableMasqueradeRouteSource (1.15, PR #27618), masqLinkLocalIPv6 (1.14, PR #23219). */
    @Test
    void valuesFromLaterReleasesAreReportedAsIgnored() {
        ValueNote routeSource = note(resolve("1.14.9", "enableMasqueradeRouteSource", true), "enableMasqueradeRouteSource");
        assertThat(routeSource.kind()).isEqualTo(ValueNote.Kind.IGNORED);
        assertThat(routeSource.mustChange()).isTrue();
        assertThat(routeSource.toString()).startsWith("enableMasqueradeRouteSource: unknown to 1.14").endsWith("-> remove it");
        assertThat(note(resolve("1.13.4", "ipMasqAgent.config.masqLinkLocalIPv6", true), "ipMasqAgent.config.masqLinkLocalIPv6")
                .problem()).startsWith("unknown to 1.13");
        assertThat(resolve("1.15.0", "enableMasqueradeRouteSource", true).notes()).isEmpty();
        assertThat(resolve("1.14.0", "ipMasqAgent.config.masqLinkLocalIPv6", true).notes()).isEmpty();
        assertThat(note(resolve("1.14.0", "kubeProxyReplacement", "strict"), "kubeProxyReplacement").mustChange()).isFalse();
    }

    /** The chart's keys read back (templates/cilium-configmap.yaml of each release): how a captured cilium-config is judged. */
    @Test
    void aCiliumConfigReadsBackAsTheValuesOfItsRelease() {
        Map<String, String> v114 = Map.of("routing-mode", "tunnel", "tunnel-protocol", "geneve", "kube-proxy-replacement", "true",
                "enable-bpf-masquerade", "true", "enable-masquerade-to-route-source", "false", "ipv4-native-routing-cidr", " ",
                "auto-direct-node-routes", "false");
        Map<String, Object> read = ChartConfigKeys.helmValues(v114, CiliumVersion.parse("1.14.1"));
        assertThat(read).containsEntry("routingMode", "tunnel").containsEntry("tunnelProtocol", "geneve")
                .containsEntry("kubeProxyReplacement", "true").containsEntry("bpf.masquerade", true)
                .containsEntry("autoDirectNodeRoutes", false).doesNotContainKeys("tunnel", "ipv4NativeRoutingCIDR", "enableMasqueradeRouteSource");
        assertThat(ChartConfigKeys.helmValues(v114, CiliumVersion.parse("1.15.0"))).containsEntry("enableMasqueradeRouteSource", false);
        assertThat(ChartConfigKeys.helmValues(Map.of("routing-mode", "native", "tunnel-protocol", "vxlan"), CiliumVersion.parse("1.14.1")))
                .containsOnlyKeys("routingMode");
        assertThat(ChartConfigKeys.helmValues(Map.of("tunnel", "disabled"), CiliumVersion.parse("1.13.4")))
                .containsExactly(Map.entry("tunnel", "disabled"));
        assertThat(ChartConfigKeys.helmValues(Map.of("routing-mode", "native"), CiliumVersion.parse("1.13.4")))
                .as("a 1.14+ key judged by 1.13 rules").containsExactly(Map.entry("tunnel", "disabled"));
        assertThat(ChartConfigKeys.helmValues(Map.of("routing-mode", "tunnel", "tunnel-protocol", "geneve"), CiliumVersion.parse("1.13.4")))
                .containsExactly(Map.entry("tunnel", "geneve"));
        assertThat(ChartConfigKeys.helmValues(Map.of("tunnel", "vxlan"), CiliumVersion.parse("1.14.1"))).containsExactly(Map.entry("tunnel", "vxlan"));
        assertThat(ChartConfigKeys.helmValues(Map.of("egress-masquerade-interfaces", "eth0 "), CiliumVersion.parse("1.14.1")))
                .containsExactly(Map.entry("egressMasqueradeInterfaces", "eth0"));
    }

    @Test
    void versionsCompareByReleaseNotByHowTheyAreWritten() {
        assertThat(CiliumVersion.parse("1.15")).isEqualTo(CiliumVersion.parse("v1.15.19")).hasSameHashCodeAs(CiliumVersion.parse("1.15.19"));
        assertThat(CiliumVersion.parse("1.15.1")).isNotEqualTo(CiliumVersion.parse("1.15.10")).isNotEqualTo("1.15.1");
        assertThat(CiliumVersion.parse("1.14.1").hashCode()).isNotEqualTo(CiliumVersion.parse("1.15.1").hashCode());
        assertThat(CiliumVersion.parse("1.16.2").toString()).isEqualTo("1.16.2");
        assertThat(CiliumVersion.parse("1.16.2").line()).isEqualTo("1.16");
        assertThat(CiliumVersion.isSupported("1.16.2")).isTrue();
        assertThat(CiliumVersion.isSupported("2.0.0")).isFalse();
        assertThat(CiliumVersion.parse("1.15.0").atLeast(15, 0)).isTrue();
        assertThat(CiliumVersion.parse("1.14.19").atLeast(15, 0)).isFalse();
        assertThat(VersionRule.TUNNEL_REFUSED.id()).isEqualTo("tunnel-refused");
        assertThat(VersionRule.TUNNEL_REFUSED.toString()).isEqualTo("tunnel-refused");
        assertThat(VersionRule.TUNNEL_REFUSED.rule()).contains("tunnel was deprecated in v1.14");
        assertThat(VersionRule.TUNNEL_REFUSED.unverified()).isEmpty();
        assertThat(new RefusedConfigurationException("x").by()).isEqualTo("agent");
        assertThat(new HelmRefusedException("x", VersionRule.TUNNEL_REFUSED).by()).isEqualTo("helm");
    }

    /** What a capture shows the agent runs replaces the derived mode, the rest kept (inspect's status line and ipmasq map). */
    @Test
    void aRunningModeKeepsTheRestOfTheConfiguration() {
        AgentConfig dual = AgentConfigDeriver.derive(HelmValues.of(values("routingMode", "native", "ipv4NativeRoutingCIDR", "10.42.0.0/16",
                "ipv6.enabled", true, "ipv6NativeRoutingCIDR", "fd00:42::/56", "kubeProxyReplacement", "true", "bpf.masquerade", true)),
                new IpMasqAgentFile.Absent(), CiliumVersion.parse("1.14.0"));
        AgentConfig iptables = dual.running(MasqueradeMode.IPTABLES, false, new IpMasqAgentFile.Absent());
        assertThat(iptables.mode()).isEqualTo(MasqueradeMode.IPTABLES);
        assertThat(iptables.modeV6()).isEqualTo(MasqueradeMode.IPTABLES);
        assertThat(iptables.ipv6NativeRoutingCidr()).isEqualTo(dual.ipv6NativeRoutingCidr());
        assertThat(dual.running(MasqueradeMode.BPF, true, new IpMasqAgentFile.Absent()).modeV6()).isEqualTo(MasqueradeMode.BPF);
        AgentConfig noV6 = AgentConfigDeriver.derive(HelmValues.of(values("routingMode", "native", "ipv4NativeRoutingCIDR", "10.42.0.0/16",
                "kubeProxyReplacement", "true")), new IpMasqAgentFile.Absent(), CiliumVersion.parse("1.14.0"));
        assertThat(noV6.running(MasqueradeMode.BPF, false, new IpMasqAgentFile.Absent()).modeV6()).isEqualTo(MasqueradeMode.DISABLED);
        AgentConfig in113 = AgentConfigDeriver.derive(HelmValues.of(values("ipv6.enabled", true)), new IpMasqAgentFile.Absent());
        assertThat(in113.running(MasqueradeMode.BPF, false, new IpMasqAgentFile.Absent()).modeV6())
                .as("1.13 has no IPv6 BPF masquerading").isEqualTo(MasqueradeMode.IPTABLES);
        assertThat(dual.exclusionCidr(io.masqharness.net.Cidr.parse("10.42.0.0/24")).toString()).isEqualTo("10.42.0.0/16");
    }

    /** pkg/ipmasq/ipmasq.go as 1.14 reads a file (PR #23219): IPv6 entries by the colon in them, whatever their place. */
    @Test
    void aFileIsSplitByFamilyWhereverTheIpv6EntryIs() {
        IpMasqAgentFile first = IpMasqAgentFile.of(List.of("::/0"), false, true);
        assertThat(first).isInstanceOf(IpMasqAgentFile.Rejected.class);
        IpMasqAgentFile read = first.readBy(CiliumVersion.parse("1.14.0"));
        assertThat(read.effectiveCidrs()).extracting(Object::toString).containsExactly("169.254.0.0/16");
        assertThat(read.effectiveCidrsV6()).extracting(Object::toString).containsExactly("::/0");
        assertThat(IpMasqAgentFile.of(List.of("10.0.0.0/8"), true, false)).isInstanceOf(IpMasqAgentFile.Present.class);
        assertThat(IpMasqAgentFile.of(List.of("10.0.0.0/8"), true).effectiveCidrs()).extracting(Object::toString).containsExactly("10.0.0.0/8");
        assertThat(((IpMasqAgentFile.Rejected) first).keeping(List.of(), "x").masqLinkLocalIPv6()).isTrue();
        assertThat(first.readBy(CiliumVersion.parse("1.13.4"))).isSameAs(first);
    }
}
