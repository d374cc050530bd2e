package io.masqharness.oracle;

import static io.masqharness.oracle.OracleFixtures.CLUSTER;
import static io.masqharness.oracle.OracleFixtures.PUBLIC;
import static io.masqharness.oracle.OracleFixtures.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One test per {@link VersionRule}, each naming the source its expected values come from: the chart of
 * the release (github.com/cilium/charts cilium-X.tgz), the upgrade notes, or the PR (facts/cilium-masquerading-1.14-1.16.md).
 */
class VersionRulesTest {

    private static AgentConfig derive(String version, Map<String, Object> values) {
        return AgentConfigDeriver.derive(HelmValues.of(values), new IpMasqAgentFile.Absent(), CiliumVersion.parse(version));
    }

    /** Native routing with kube-proxy replacement, in 1.14+ spelling. */
    private static Map<String, Object> nativeKprTrue(Object... more) {
        Map<String, Object> v = values("routingMode", "native", "ipv4NativeRoutingCIDR", "10.42.0.0/16",
                "autoDirectNodeRoutes", true, "kubeProxyReplacement", "true");
        v.putAll(values(more));
        return v;
    }

    @Test
    void versionsOfTheFourLinesParseAndOthersAreRefusedNamingTheSupportedOnes() {
        assertThat(CiliumVersion.parse("v1.14.2").full()).isEqualTo("1.14.2");
        assertThat(CiliumVersion.parse("1.15").full()).as("a line alone is its newest patch release read").isEqualTo("1.15.19");
        assertThat(CiliumVersion.parse("1.15").text()).isEqualTo("1.15");
        assertThatThrownBy(() -> CiliumVersion.parse("1.17.0")).hasMessageContaining("1.13.x, 1.14.x, 1.15.x or 1.16.x");
        assertThatThrownBy(() -> CiliumVersion.parse("1.12.9")).hasMessageContaining("not supported");
        assertThat(CiliumVersion.parse("1.15.8")).isGreaterThan(CiliumVersion.parse("1.15.7")).isLessThan(CiliumVersion.parse("1.16.0"));
    }

    @Test
    void aLinesDifferencesReadAsAShortList() {
        assertThat(VersionRule.in(CiliumVersion.parse("1.13.4"))).containsExactly(VersionRule.BASELINE, VersionRule.KPR_TRUE_FALSE_REFUSED);
        assertThat(VersionRule.in(CiliumVersion.parse("1.16.0"))).contains(VersionRule.TUNNEL_IGNORED, VersionRule.KPR_LEGACY_REFUSED,
                VersionRule.FALLBACK_FATAL).doesNotContain(VersionRule.TUNNEL_REFUSED, VersionRule.IPV6_BPF_HOST_FIREWALL);
        assertThat(VersionRule.in(CiliumVersion.parse("1.16.2"))).contains(VersionRule.TUNNEL_REFUSED, VersionRule.REMOTE_NODE_IDENTITY_REFUSED)
                .doesNotContain(VersionRule.TUNNEL_IGNORED);
    }

    /** chart cilium-1.14.0 templates/cilium-configmap.yaml:428-457: tunnel still read, routingMode written after it. */
    @Test
    void routingModeFrom114WithTunnelStillReadButDeprecated() {
        AgentConfig legacy = derive("1.14.0", values("tunnel", "disabled", "ipv4NativeRoutingCIDR", "10.42.0.0/16"));
        assertThat(legacy.routing()).isEqualTo(Routing.NATIVE);
        assertThat(legacy.notes()).singleElement().satisfies(n -> {
            assertThat(n.key()).isEqualTo("tunnel");
            assertThat(n.kind()).isEqualTo(ValueNote.Kind.DEPRECATED);
            assertThat(n.suggestion()).isEqualTo("routingMode: native");
        });
        assertThat(derive("1.14.0", values("routingMode", "tunnel", "tunnelProtocol", "geneve")).routing()).isEqualTo(Routing.GENEVE);
        AgentConfig in113 = derive("1.13.4", values("routingMode", "native", "ipv4NativeRoutingCIDR", "10.42.0.0/16"));
        assertThat(in113.routing()).as("chart cilium-1.13.4 has no routingMode: the default tunnel applies").isEqualTo(Routing.VXLAN);
        assertThat(in113.notes()).extracting(ValueNote::key, ValueNote::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("routingMode", ValueNote.Kind.IGNORED));
    }

    /** chart cilium-1.15.0..1.15.7 and 1.16.0..1.16.1: routing-mode from routingMode only, no tunnel check in validate.yaml. */
    @Test
    void tunnelIsSilentlyIgnoredBy1150To1157And1160To1161() {
        Map<String, Object> v = values("tunnel", "disabled", "ipv4NativeRoutingCIDR", "10.42.0.0/16", "kubeProxyReplacement", "true");
        for (String version : new String[] {"1.15.0", "1.15.7", "1.16.1"}) {
            AgentConfig a = derive(version, v);
            assertThat(a.routing()).as(version + " falls back to the chart's default routing").isEqualTo(Routing.VXLAN);
            assertThat(a.notes()).anySatisfy(n -> assertThat(n.kind()).isEqualTo(ValueNote.Kind.IGNORED));
            assertThat(a.rules()).contains(VersionRule.TUNNEL_IGNORED);
        }
        Map<String, Object> withRoutes = new java.util.HashMap<>(v);
        withRoutes.put("autoDirectNodeRoutes", true);
        assertThatThrownBy(() -> derive("1.15.3", withRoutes)).isInstanceOf(RefusedConfigurationException.class)
                .hasMessageContaining("auto-direct-node-routes cannot be used with tunneling")
                .hasMessageContaining("ignores it");
    }

    /** chart cilium-1.15.8 and cilium-1.16.2 templates/validate.yaml: fail "tunnel was deprecated in v1.14 and has been removed in v1.15." */
    @Test
    void helmRefusesTunnelFrom1158And1162() {
        for (String version : new String[] {"1.15.8", "1.15.19", "1.16.2", "1.16"}) {
            assertThatThrownBy(() -> derive(version, values("tunnel", "vxlan"))).isInstanceOf(HelmRefusedException.class)
                    .hasMessageContaining("tunnel was deprecated in v1.14 and has been removed in v1.15.")
                    .hasMessageContaining("routingMode: tunnel, tunnelProtocol: vxlan")
                    .satisfies(e -> assertThat(((RefusedConfigurationException) e).by()).isEqualTo("helm"));
        }
    }

    /** chart cilium-1.13.4 templates/cilium-configmap.yaml:56-58 accepts only disabled, partial or strict. */
    @Test
    void the113ChartRefusesTheTrueFalseSpelling() {
        assertThatThrownBy(() -> derive("1.13.4", values("kubeProxyReplacement", "true"))).isInstanceOf(HelmRefusedException.class)
                .hasMessageContaining("kubeproxyReplacement must be explicitly set to a valid value (disabled, partial, or strict)");
    }

    /** chart cilium-1.14.0 templates/cilium-configmap.yaml:14 (default "false") and :680-681 (enable-node-port for partial or false). */
    @Test
    void from114TheDefaultFalseHonoursNodePortEnabled() {
        Map<String, Object> v = values("routingMode", "native", "ipv4NativeRoutingCIDR", "10.42.0.0/16", "nodePort.enabled", true,
                "bpf.masquerade", true);
        assertThat(derive("1.14.0", v).mode()).isEqualTo(MasqueradeMode.BPF);
        Map<String, Object> v113 = values("tunnel", "disabled", "ipv4NativeRoutingCIDR", "10.42.0.0/16", "nodePort.enabled", true,
                "bpf.masquerade", true);
        assertThat(derive("1.13.4", v113).fallback()).as("1.13's default, disabled, ignores nodePort.enabled")
                .hasValueSatisfying(f -> assertThat(f).contains("requires NodePort"));
        assertThat(derive("1.14.0", nativeKprTrue("kubeProxyReplacement", "strict")).notes())
                .anySatisfy(n -> assertThat(n.suggestion()).isEqualTo("kubeProxyReplacement: true"));
    }

    /** chart cilium-1.16.0 templates/cilium-configmap.yaml:69-71; PR #31286. */
    @Test
    void helm116RefusesStrictPartialAndDisabled() {
        for (String kpr : new String[] {"strict", "partial", "disabled"}) {
            assertThatThrownBy(() -> derive("1.16.0", nativeKprTrue("kubeProxyReplacement", kpr))).isInstanceOf(HelmRefusedException.class)
                    .hasMessageContaining("kubeProxyReplacement must be explicitly set to a valid value (true or false) to continue.");
        }
        assertThat(derive("1.16.0", nativeKprTrue("bpf.masquerade", true)).mode()).isEqualTo(MasqueradeMode.BPF);
    }

    /** PR #29778 and the 1.15 upgrade notes: a missing prerequisite fails agent init instead of falling back. */
    @Test
    void from115AMissingBpfPrerequisiteIsFatalInsteadOfAFallback() {
        Map<String, Object> noNodePort = values("routingMode", "native", "ipv4NativeRoutingCIDR", "10.42.0.0/16", "bpf.masquerade", true);
        AgentConfig v114 = derive("1.14.5", noNodePort);
        assertThat(v114.mode()).isEqualTo(MasqueradeMode.IPTABLES);
        assertThat(v114.fallback()).hasValueSatisfying(f -> assertThat(f).contains("Falling back to iptables-based masquerading."));
        assertThatThrownBy(() -> derive("1.15.0", noNodePort)).isInstanceOf(RefusedConfigurationException.class)
                .hasMessageStartingWith("unable to initialize BPF masquerade support: BPF masquerade requires NodePort")
                .satisfies(e -> assertThat(((RefusedConfigurationException) e).rule()).contains(VersionRule.FALLBACK_FATAL));
    }

    /** PR #29778: "BPF masquerade requires (--enable-ipv4-masquerade="true" or --enable-ipv6-masquerade="true")". */
    @Test
    void from115BpfWithoutAnyMasqueradingIsFatal() {
        Map<String, Object> v = nativeKprTrue("enableIPv4Masquerade", false, "bpf.masquerade", true);
        assertThat(derive("1.14.0", v).mode()).isEqualTo(MasqueradeMode.DISABLED);
        assertThatThrownBy(() -> derive("1.15.0", v)).hasMessageContaining("BPF masquerade requires (--enable-ipv4-masquerade=\"true\" or");
    }

    /**
     * Remote-node identity: required (fallback) through 1.14, fatal in 1.15 (PR #29778), gone in 1.16 (chart cilium-1.16.0 has no
     * enable-remote-node-identity; 1.16 upgrade notes), and refused by Helm when true from chart cilium-1.16.2 validate.yaml:21-22.
     */
    @Test
    void remoteNodeIdentityAcrossTheLines() {
        assertThat(derive("1.14.0", nativeKprTrue("bpf.masquerade", true, "remoteNodeIdentity", false)).fallback())
                .hasValueSatisfying(f -> assertThat(f).contains("remote node identities"));
        assertThatThrownBy(() -> derive("1.15.2", nativeKprTrue("bpf.masquerade", true, "remoteNodeIdentity", false)))
                .hasMessageContaining("BPF masquerade requires remote node identities");
        assertThat(derive("1.15.2", nativeKprTrue("remoteNodeIdentity", true)).notes())
                .anySatisfy(n -> assertThat(n.kind()).isEqualTo(ValueNote.Kind.DEPRECATED));
        AgentConfig v1160 = derive("1.16.0", nativeKprTrue("bpf.masquerade", true, "remoteNodeIdentity", false));
        assertThat(v1160.mode()).isEqualTo(MasqueradeMode.BPF);
        assertThat(v1160.notes()).anySatisfy(n -> assertThat(n.kind()).isEqualTo(ValueNote.Kind.IGNORED));
        assertThatThrownBy(() -> derive("1.16.2", nativeKprTrue("remoteNodeIdentity", true))).isInstanceOf(HelmRefusedException.class)
                .hasMessageContaining("remoteNodeIdentity was deprecated in v1.15 and has been removed in v1.16.");
        assertThat(derive("1.16.2", nativeKprTrue("remoteNodeIdentity", false)).notes()).singleElement()
                .satisfies(n -> assertThat(n.kind()).isEqualTo(ValueNote.Kind.IGNORED));
    }

    /** PR #17906 (1.13 fatal) and PR #23165 (v1.14.0 release notes: BPF masquerading for IPv6). */
    @Test
    void ipv6BpfMasqueradingArrivesIn114() {
        Map<String, Object> dual = nativeKprTrue("ipv6.enabled", true, "ipv6NativeRoutingCIDR", "fd00:42::/56", "bpf.masquerade", true);
        AgentConfig a = derive("1.14.0", dual);
        assertThat(a.modeV6()).isEqualTo(MasqueradeMode.BPF);
        assertThat(a.rules()).contains(VersionRule.IPV6_BPF_MASQUERADE);
        Map<String, Object> dual113 = new java.util.HashMap<>(dual);
        dual113.remove("routingMode");
        dual113.put("tunnel", "disabled");
        dual113.put("kubeProxyReplacement", "strict");
        assertThatThrownBy(() -> derive("1.13.4", dual113)).hasMessageContaining("BPF masquerade is not supported for IPv6.");
    }

    /** PR #23165 commit 10 (fatal with the host firewall in 1.14/1.15), lifted by PR #31511 before v1.16.0-pre.3 (PR #32685). */
    @Test
    void ipv6BpfMasqueradingWithTheHostFirewallIsRefusedIn114And115Only() {
        Map<String, Object> dual = nativeKprTrue("ipv6.enabled", true, "ipv6NativeRoutingCIDR", "fd00:42::/56", "bpf.masquerade", true,
                "hostFirewall.enabled", true);
        assertThatThrownBy(() -> derive("1.14.0", dual)).hasMessageContaining("IPv6 BPF masquerade is not supported along with the host firewall.");
        assertThatThrownBy(() -> derive("1.15.19", dual)).hasMessageContaining("host firewall");
        assertThat(derive("1.16.0", dual).modeV6()).isEqualTo(MasqueradeMode.BPF);
    }

    /** PR #23219: IPv6 nonMasqueradeCIDRs and masqLinkLocalIPv6 (fe80::/10 added unless true), pkg/ipmasq/ipmasq.go. */
    @Test
    void theIpMasqAgentReadsIpv6EntriesFrom114() {
        IpMasqAgentFile written = IpMasqAgentFile.of(java.util.List.of("10.0.0.0/8", "fd77::/16"), false, false);
        assertThat(written).as("1.13 rejects the whole file").isInstanceOf(IpMasqAgentFile.Rejected.class);
        IpMasqAgentFile read = written.readBy(CiliumVersion.parse("1.14.0"));
        assertThat(read.effectiveCidrs()).extracting(Object::toString).containsExactly("10.0.0.0/8", "169.254.0.0/16");
        assertThat(read.effectiveCidrsV6()).extracting(Object::toString).containsExactly("fd77::/16", "fe80::/10");
        assertThat(IpMasqAgentFile.of(java.util.List.of("fd77::/16"), false, true).readBy(CiliumVersion.parse("1.14.0")).effectiveCidrsV6())
                .extracting(Object::toString).containsExactly("fd77::/16");
        assertThat(new IpMasqAgentFile.Absent().effectiveCidrsV6()).extracting(Object::toString).as("no IPv6 defaults but link-local")
                .containsExactly("fe80::/10");
    }

    /** facts M4: 1.14 on, the ip-masq-agent needs IPv4 or IPv6 masquerading (1.13: IPv4). */
    @Test
    void theIpMasqAgentServesAnIpv6OnlyMasqueradeFrom114() {
        Map<String, Object> v = nativeKprTrue("ipv6.enabled", true, "ipv6NativeRoutingCIDR", "fd00:42::/56", "enableIPv4Masquerade", false,
                "bpf.masquerade", true, "ipMasqAgent.enabled", true);
        AgentConfig a = derive("1.14.0", v);
        assertThat(a.ipMasqAgent()).isTrue();
        assertThat(a.modeV6()).isEqualTo(MasqueradeMode.BPF);
        assertThat(a.statusLabel()).isEqualTo("BPF (ip-masq-agent)");
    }

    /** PR #27747 (C7): the native-routing CIDR is optional with the ip-masq-agent from 1.15 (not settled at the tag). */
    @Test
    void from115TheIpMasqAgentMakesTheNativeRoutingCidrOptional() {
        Map<String, Object> v = values("routingMode", "native", "autoDirectNodeRoutes", true, "kubeProxyReplacement", "true",
                "bpf.masquerade", true, "ipMasqAgent.enabled", true);
        assertThatThrownBy(() -> derive("1.14.19", v)).hasMessageContaining("native routing cidr must be configured");
        AgentConfig a = derive("1.15.0", v);
        assertThat(a.mode()).isEqualTo(MasqueradeMode.BPF);
        assertThat(a.exclusion(io.masqharness.net.Cidr.parse("10.42.0.0/24"))).as("no pod-CIDR fallback with the agent").isEmpty();
        assertThat(a.unverified()).anySatisfy(u -> assertThat(u).startsWith("C7/M5"));
    }

    /** PR #27618: enableMasqueradeRouteSource from 1.15 (chart cilium-1.15.0 values.yaml:1822), refused with BPF masquerading. */
    @Test
    void routeSourceMasqueradingIsA115ValueThatBpfRefuses() {
        assertThat(derive("1.14.0", nativeKprTrue("enableMasqueradeRouteSource", true)).notes())
                .anySatisfy(n -> assertThat(n.problem()).contains("unknown to 1.14"));
        assertThat(derive("1.15.0", nativeKprTrue("enableMasqueradeRouteSource", true)).mode()).isEqualTo(MasqueradeMode.IPTABLES);
        assertThatThrownBy(() -> derive("1.15.0", nativeKprTrue("enableMasqueradeRouteSource", true, "bpf.masquerade", true)))
                .hasMessageContaining("BPF masquerading to route source");
    }

    /** daemon_main.go initEnv (TunnelingEnabled() && EnableAutoDirectRouting), the 1.15.3 log in facts/cilium-tuning-series.md. */
    @Test
    void autoDirectNodeRoutesWithTunnellingIsRefused() {
        assertThatThrownBy(() -> derive("1.14.0", values("routingMode", "tunnel", "autoDirectNodeRoutes", true)))
                .hasMessageContaining("auto-direct-node-routes cannot be used with tunneling.");
    }

    /** facts C8: 1.16 keeps socket-LB as a prerequisite in tunnel mode, unverified (PR #33728 is on main after the branch cut). */
    @Test
    void socketLbInTunnelModeStaysRequiredIn116ButUnverified() {
        Map<String, Object> v = values("routingMode", "tunnel", "kubeProxyReplacement", "false", "nodePort.enabled", true,
                "bpf.masquerade", true);
        assertThatThrownBy(() -> derive("1.16.0", v)).hasMessageContaining("requires socket-LB")
                .satisfies(e -> assertThat(((RefusedConfigurationException) e).unverified()).anySatisfy(u -> assertThat(u).startsWith("C8")));
        assertThatThrownBy(() -> derive("1.15.0", v)).satisfies(e ->
                assertThat(((RefusedConfigurationException) e).unverified()).isEmpty());
    }

    /** facts H5 (issue #32711): strict on 1.15 is read as true here, and said to be unverified. */
    @Test
    void strictOn115CarriesTheOpenQuestion() {
        AgentConfig a = derive("1.15.5", nativeKprTrue("kubeProxyReplacement", "strict", "bpf.masquerade", true));
        assertThat(a.mode()).isEqualTo(MasqueradeMode.BPF);
        assertThat(a.unverified()).anySatisfy(u -> assertThat(u).startsWith("H5"));
        assertThat(derive("1.14.5", nativeKprTrue("kubeProxyReplacement", "strict", "bpf.masquerade", true)).unverified()).isEmpty();
    }

    /**
     * facts I4: 1.15/1.16 join several egressMasqueradeInterfaces into one '-o eth0,eth1' (iptables.go, 1.16-era
     * revision), which matches no device: the pod IP, unless PR #36103 (1.17) was backported, which is unverified.
     */
    @Test
    void severalEgressInterfacesOn115And116MasqueradeNothing() {
        AgentConfig a = derive("1.15.0", nativeKprTrue("egressMasqueradeInterfaces", "eth0 eth1"));
        FlowAnswer answer = MasqueradeOracle.answer(CLUSTER, a, Flow.fromPod("node-1", PUBLIC, Protocol.TCP));
        assertThat(answer.expectation().source()).isEqualTo(Expectation.Source.POD_IP);
        assertThat(answer.expectation().reason()).contains("'-o eth0,eth1'").contains("PR #36103");
        assertThat(answer.rules()).contains(VersionRule.EGRESS_INTERFACES_JOINED_115);
        assertThat(answer.unverified()).singleElement().satisfies(u -> assertThat(u).startsWith("I4").contains("1.15 patch"));
        assertThat(a.unverified()).as("only the flows the catch-all rule would masquerade rest on it").isEmpty();
        assertThat(MasqueradeOracle.answer(CLUSTER, a, Flow.fromPod("node-1", OracleFixtures.NODE_2, Protocol.TCP)).unverified())
                .as("a flow the node-set rule keeps either way").isEmpty();

        FlowAnswer on116 = MasqueradeOracle.answer(CLUSTER, derive("1.16.3", nativeKprTrue("egressMasqueradeInterfaces", "eth+,ens+")),
                Flow.fromPod("node-1", PUBLIC, Protocol.UDP));
        assertThat(on116.expectation().source()).isEqualTo(Expectation.Source.POD_IP);
        assertThat(on116.rules()).contains(VersionRule.EGRESS_INTERFACES_JOINED_116).doesNotContain(VersionRule.EGRESS_INTERFACES_JOINED_115);
        assertThat(on116.unverified()).singleElement().satisfies(u -> assertThat(u).startsWith("I4")
                .contains("backported to this 1.16 patch release"));
    }

    /** One interface, 1.14's string flag, and the route-source rules (PR #36103's title) keep the node IP, settled. */
    @Test
    void oneEgressInterfaceEarlierLinesAndRouteSourceKeepTheNodeIp() {
        FlowAnswer one = MasqueradeOracle.answer(CLUSTER, derive("1.15.0", nativeKprTrue("egressMasqueradeInterfaces", "eth0")),
                Flow.fromPod("node-1", PUBLIC, Protocol.TCP));
        assertThat(one.expectation().source()).isEqualTo(Expectation.Source.NODE_IP);
        assertThat(one.unverified()).isEmpty();
        FlowAnswer v114 = MasqueradeOracle.answer(CLUSTER, derive("1.14.0", nativeKprTrue("egressMasqueradeInterfaces", "eth0 eth1")),
                Flow.fromPod("node-1", PUBLIC, Protocol.TCP));
        assertThat(v114.expectation().source()).isEqualTo(Expectation.Source.NODE_IP);
        assertThat(v114.unverified()).isEmpty();
        AgentConfig routeSource = derive("1.16.3", nativeKprTrue("egressMasqueradeInterfaces", "eth0 eth1",
                "enableMasqueradeRouteSource", true));
        assertThat(routeSource.rules()).contains(VersionRule.ROUTE_SOURCE);
        FlowAnswer viaRoute = MasqueradeOracle.answer(CLUSTER, routeSource, Flow.fromPod("node-1", PUBLIC, Protocol.TCP));
        assertThat(viaRoute.expectation().source()).isEqualTo(Expectation.Source.NODE_IP);
        assertThat(viaRoute.rules()).doesNotContain(VersionRule.EGRESS_INTERFACES_JOINED_116);
    }

    /** facts C1: in 1.14 the fallback also applies when only IPv6 is masqueraded (unverified). */
    @Test
    void anIpv6OnlyMasqueradeFallsBackIn114AndSaysItIsUnverified() {
        Map<String, Object> v = values("routingMode", "native", "ipv4NativeRoutingCIDR", "10.42.0.0/16", "ipv6.enabled", true,
                "ipv6NativeRoutingCIDR", "fd00:42::/56", "enableIPv4Masquerade", false, "bpf.masquerade", true);
        AgentConfig a = derive("1.14.0", v);
        assertThat(a.modeV6()).isEqualTo(MasqueradeMode.IPTABLES);
        assertThat(a.fallback()).isPresent();
        assertThat(a.unverified()).anySatisfy(u -> assertThat(u).startsWith("C1"));
    }

    @Test
    void a113AnswerRestsOnTheBaselineAlone() {
        AgentConfig a = derive("1.13.4", values("tunnel", "disabled", "ipv4NativeRoutingCIDR", "10.42.0.0/16", "kubeProxyReplacement", "strict",
                "bpf.masquerade", true));
        FlowAnswer answer = MasqueradeOracle.answer(CLUSTER, a, Flow.fromPod("node-1", PUBLIC, Protocol.ICMP_ECHO));
        assertThat(answer.rules()).containsExactly(VersionRule.BASELINE);
        assertThat(answer.unverified()).isEmpty();
        assertThat(VersionRule.BASELINE.source()).contains("v1.13.4");
    }

    /** PR #29778's MasqueradingEnabled(): from 1.15 an IPv6-only masquerade gets BPF masquerading (PR #23165 for IPv6). */
    @Test
    void anIpv6OnlyMasqueradeIsBpfMasqueradedFrom115() {
        Map<String, Object> v = nativeKprTrue("ipv6.enabled", true, "ipv6NativeRoutingCIDR", "fd00:42::/56", "enableIPv4Masquerade", false,
                "bpf.masquerade", true);
        AgentConfig a = derive("1.15.0", v);
        assertThat(a.mode()).isEqualTo(MasqueradeMode.DISABLED);
        assertThat(a.modeV6()).isEqualTo(MasqueradeMode.BPF);
        assertThat(a.statusLabel()).isEqualTo("BPF");
        assertThat(a.unverified()).isEmpty();
    }

    /** C7 holds for both families: an IPv6 native-routing CIDR is optional with the ip-masq-agent from 1.15 too. */
    @Test
    void from115TheIpMasqAgentMakesTheIpv6NativeRoutingCidrOptionalToo() {
        Map<String, Object> v = nativeKprTrue("ipv6.enabled", true, "bpf.masquerade", true, "ipMasqAgent.enabled", true);
        AgentConfig a = derive("1.15.0", v);
        assertThat(a.exclusionV6(io.masqharness.net.Cidr6.parse("fd00:42::/64"))).isEmpty();
        assertThat(a.exclusion(io.masqharness.net.Cidr.parse("10.42.0.0/24"))).as("the IPv4 CIDR is given").hasValue(
                io.masqharness.net.Cidr.parse("10.42.0.0/16"));
        assertThat(a.unverified()).singleElement().satisfies(u -> assertThat(u).startsWith("C7/M5"));
        assertThatThrownBy(() -> derive("1.14.0", v)).hasMessageContaining("--ipv6-native-routing-cidr")
                .hasMessageContaining("--routing-mode=native");
    }

    /** facts 1.6 (1.13) and M4 (1.14): the ip-masq-agent after a fallback is refused, saying why BPF fell back. */
    @Test
    void theIpMasqAgentAfterA114FallbackIsRefusedSayingWhy() {
        Map<String, Object> v = values("routingMode", "native", "ipv4NativeRoutingCIDR", "10.42.0.0/16", "bpf.masquerade", true,
                "ipMasqAgent.enabled", true);
        assertThatThrownBy(() -> derive("1.14.0", v)).hasMessageStartingWith("BPF ip-masq-agent requires (--enable-ipv4-masquerade=\"true\" or")
                .hasMessageContaining("(BPF masquerading fell back: BPF masquerade requires NodePort")
                .satisfies(e -> assertThat(((RefusedConfigurationException) e).rule()).contains(VersionRule.IP_MASQ_AGENT_EITHER_FAMILY));
        assertThatThrownBy(() -> derive("1.14.0", nativeKprTrue("ipMasqAgent.enabled", true)))
                .hasMessageEndingWith("and --enable-bpf-masquerade=\"true\"");
        Map<String, Object> noCidr = values("routingMode", "native", "kubeProxyReplacement", "true", "bpf.masquerade", true,
                "ipMasqAgent.enabled", true);
        assertThatThrownBy(() -> derive("1.14.0", noCidr)).hasMessageContaining("the ip-masq-agent makes it optional from 1.15")
                .satisfies(e -> assertThat(((RefusedConfigurationException) e).rule()).isEmpty());
        assertThatThrownBy(() -> derive("1.13.4", values("tunnel", "disabled"))).hasMessageContaining("--tunnel=disabled")
                .hasMessageNotContaining("optional");
    }

    /** The refusal names the ignored tunnel value only when there is one (daemon_main.go initEnv message, chart notes). */
    @Test
    void autoDirectNodeRoutesRefusalQuotesOnlyTheTunnelNote() {
        assertThatThrownBy(() -> derive("1.14.0", values("routingMode", "tunnel", "autoDirectNodeRoutes", true,
                "kubeProxyReplacement", "strict"))).hasMessageContaining("(routing is tunnel (vxlan); set routingMode: native")
                .hasMessageNotContaining("deprecated");
    }

    /** The IPv6 BPF answers say which exclusion CIDR and list applied (facts D1). */
    @Test
    void ipv6BpfAnswersNameTheirExclusionAndList() {
        Map<String, Object> dual = values("routingMode", "tunnel", "kubeProxyReplacement", "true", "ipv6.enabled", true, "bpf.masquerade", true);
        AgentConfig vxlan = derive("1.14.0", dual);
        var facts = Ipv6RulesTest.DUAL;
        Expectation own = MasqueradeOracle.expect(facts, vxlan, Flow.fromPod("node-1", "fd00:42::20", Protocol.TCP));
        assertThat(own.source()).isEqualTo(Expectation.Source.POD_IP);
        Expectation pub = MasqueradeOracle.expect(facts, vxlan, Flow.fromPod("node-1", Ipv6RulesTest.PUBLIC_V6, Protocol.UDP));
        assertThat(pub.reason()).contains("is outside the IPv6 exclusion CIDR;").contains("udp is SNATed to the node's IPv6 on eth0");
        assertThat(pub.rules()).containsExactly(VersionRule.IPV6_BPF_MASQUERADE);
        Map<String, Object> nat = nativeKprTrue("ipv6.enabled", true, "bpf.masquerade", true, "ipv6NativeRoutingCIDR", "fd00:42::/56");
        Expectation excl = MasqueradeOracle.expect(facts, derive("1.14.0", nat), Flow.fromPod("node-1", Ipv6RulesTest.POD_ON_NODE_2_V6,
                Protocol.TCP));
        assertThat(excl.reason()).contains("(ipv6NativeRoutingCIDR), never masqueraded by BPF");
        Map<String, Object> natNoCidr = new java.util.HashMap<>(dual);
        natNoCidr.put("routingMode", "native");
        natNoCidr.put("ipv4NativeRoutingCIDR", "10.42.0.0/16");
        natNoCidr.put("enableIPv6Masquerade", true);
        natNoCidr.put("ipv6NativeRoutingCIDR", "fd00:42::/56");
        Expectation agentList = MasqueradeOracle.expect(facts, AgentConfigDeriver.derive(HelmValues.of(withAgent(natNoCidr)),
                new IpMasqAgentFile.Absent(), CiliumVersion.parse("1.14.0")), Flow.fromPod("node-1", Ipv6RulesTest.PUBLIC_V6, Protocol.TCP));
        assertThat(agentList.reason()).contains("and every IPv6 ip-masq-agent CIDR");
        Expectation off = MasqueradeOracle.expect(facts, derive("1.14.0", nativeKprTrue("ipv6.enabled", true, "ipv6NativeRoutingCIDR",
                "fd00:42::/56", "enableIPv6Masquerade", false)), Flow.fromPod("node-1", Ipv6RulesTest.PUBLIC_V6, Protocol.TCP));
        assertThat(off.reason()).as("no BPF asked for: nothing said of BPF").doesNotContain("BPF");
    }

    private static Map<String, Object> withAgent(Map<String, Object> v) {
        Map<String, Object> m = new java.util.HashMap<>(v);
        m.put("ipMasqAgent.enabled", true);
        return m;
    }

    /** facts I6 (1.14 notes): host-network IPv6 to pods rests on the unchecked cilium_host address from 1.14. */
    @Test
    void hostIpv6ToAPodIsUnverifiedFrom114() {
        Map<String, Object> dual = nativeKprTrue("ipv6.enabled", true, "ipv6NativeRoutingCIDR", "fd00:42::/56");
        FlowAnswer toPod = MasqueradeOracle.answer(Ipv6RulesTest.DUAL, derive("1.14.0", dual),
                Flow.fromNode("node-1", Ipv6RulesTest.POD_ON_NODE_2_V6, Protocol.TCP));
        assertThat(toPod.expectation().sourceAddress()).contains(Ipv6RulesTest.NODE_1_V6);
        assertThat(toPod.unverified()).singleElement().satisfies(u -> assertThat(u).startsWith("I6:"));
        assertThat(MasqueradeOracle.answer(Ipv6RulesTest.DUAL, derive("1.14.0", dual),
                Flow.fromNode("node-1", Ipv6RulesTest.PUBLIC_V6, Protocol.TCP)).unverified()).isEmpty();
        Map<String, Object> dual113 = new java.util.HashMap<>(dual);
        dual113.remove("routingMode");
        dual113.put("tunnel", "disabled");
        dual113.put("kubeProxyReplacement", "strict");
        assertThat(MasqueradeOracle.answer(Ipv6RulesTest.DUAL, derive("1.13.4", dual113),
                Flow.fromNode("node-1", Ipv6RulesTest.POD_ON_NODE_2_V6, Protocol.TCP)).unverified()).isEmpty();
    }
}
