package io.masqharness.oracle;

import static io.masqharness.oracle.OracleFixtures.agent;
import static io.masqharness.oracle.OracleFixtures.nativeKpr;
import static io.masqharness.oracle.OracleFixtures.values;
import static io.masqharness.oracle.OracleFixtures.vxlanKpr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AgentConfigDeriverTest {

    @Test
    void defaultInstallIsIptablesOverVxlan() {
        AgentConfig a = agent(values());
        assertThat(a.mode()).isEqualTo(MasqueradeMode.IPTABLES);
        assertThat(a.routing()).isEqualTo(Routing.VXLAN);
        assertThat(a.fallback()).isEmpty();
        assertThat(a.statusLabel()).isEqualTo("IPTables");
    }

    @Test
    void bpfWithStrictKubeProxyReplacementIsBpf() {
        AgentConfig a = agent(nativeKpr("bpf.masquerade", true));
        assertThat(a.mode()).isEqualTo(MasqueradeMode.BPF);
        assertThat(a.statusLabel()).isEqualTo("BPF");
    }

    @Test
    void bpfWithoutKubeProxyReplacementFallsBackSilently() {
        AgentConfig a = agent(values("tunnel", "disabled", "ipv4NativeRoutingCIDR", "10.42.0.0/16", "bpf.masquerade", true));
        assertThat(a.mode()).isEqualTo(MasqueradeMode.IPTABLES);
        assertThat(a.requestedBpf()).isTrue();
        assertThat(a.fallback()).hasValueSatisfying(f -> assertThat(f)
                .contains("BPF masquerade requires NodePort").endsWith("Falling back to iptables-based masquerading."));
    }

    @Test
    void partialKubeProxyReplacementNeedsNodePortEnabled() {
        assertThat(agent(nativeKpr("kubeProxyReplacement", "partial", "bpf.masquerade", true)).mode())
                .isEqualTo(MasqueradeMode.IPTABLES);
        assertThat(agent(nativeKpr("kubeProxyReplacement", "partial", "nodePort.enabled", true, "bpf.masquerade", true)).mode())
                .isEqualTo(MasqueradeMode.BPF);
    }

    @Test
    void partialWithNodePortStillFallsBackWhenTunnellingWithoutSocketLb() {
        AgentConfig a = agent(values("kubeProxyReplacement", "partial", "nodePort.enabled", true, "bpf.masquerade", true));
        assertThat(a.mode()).isEqualTo(MasqueradeMode.IPTABLES);
        assertThat(a.fallback().orElseThrow()).contains("socket-LB");
        AgentConfig withSocketLb = agent(values("kubeProxyReplacement", "partial", "nodePort.enabled", true,
                "socketLB.enabled", true, "bpf.masquerade", true));
        assertThat(withSocketLb.mode()).isEqualTo(MasqueradeMode.BPF);
    }

    @Test
    void strictEnablesSocketLbSoTunnellingKeepsBpf() {
        assertThat(agent(vxlanKpr("bpf.masquerade", true)).mode()).isEqualTo(MasqueradeMode.BPF);
    }

    @Test
    void remoteNodeIdentityOffFallsBack() {
        AgentConfig a = agent(nativeKpr("bpf.masquerade", true, "remoteNodeIdentity", false));
        assertThat(a.mode()).isEqualTo(MasqueradeMode.IPTABLES);
        assertThat(a.fallback().orElseThrow()).contains("remote node identities");
    }

    @Test
    void egressMasqueradeInterfacesFallsBack() {
        AgentConfig a = agent(nativeKpr("bpf.masquerade", true, "egressMasqueradeInterfaces", "eth0"));
        assertThat(a.mode()).isEqualTo(MasqueradeMode.IPTABLES);
        assertThat(a.fallback().orElseThrow()).contains("--egress-masquerade-interfaces");
    }

    @Test
    void ipv4MasqueradeOffDisablesBothModes() {
        assertThat(agent(nativeKpr("enableIPv4Masquerade", false, "bpf.masquerade", true)).mode())
                .isEqualTo(MasqueradeMode.DISABLED);
        assertThat(agent(values("enableIPv4Masquerade", false)).statusLabel()).isEqualTo("Disabled");
    }

    @Test
    void ipMasqAgentRequiresBpfMasquerade() {
        assertThatThrownBy(() -> agent(nativeKpr("ipMasqAgent.enabled", true)))
                .isInstanceOf(RefusedConfigurationException.class)
                .hasMessageContaining("BPF ip-masq-agent requires --enable-ipv4-masquerade=\"true\" and --enable-bpf-masquerade=\"true\"");
    }

    @Test
    void ipMasqAgentAfterFallbackIsRefusedNotIptables() {
        assertThatThrownBy(() -> agent(values("bpf.masquerade", true, "ipMasqAgent.enabled", true)))
                .isInstanceOf(RefusedConfigurationException.class)
                .hasMessageContaining("BPF ip-masq-agent requires")
                .hasMessageContaining("fell back");
    }

    @Test
    void ipMasqAgentWithBpfShowsInStatus() {
        assertThat(agent(nativeKpr("bpf.masquerade", true, "ipMasqAgent.enabled", true)).statusLabel())
                .isEqualTo("BPF (ip-masq-agent)");
    }

    @Test
    void ipv6MasqueradeWithBpfIsRefused() {
        assertThatThrownBy(() -> agent(nativeKpr("ipv6.enabled", true, "bpf.masquerade", true)))
                .isInstanceOf(RefusedConfigurationException.class)
                .hasMessageContaining("BPF masquerade is not supported for IPv6.");
        assertThat(agent(nativeKpr("ipv6.enabled", true, "enableIPv6Masquerade", false, "bpf.masquerade", true)).mode())
                .isEqualTo(MasqueradeMode.BPF);
    }

    @Test
    void ipv6MasqueradeDefaultIsHarmlessWhileIpv6IsOff() {
        assertThat(agent(nativeKpr("bpf.masquerade", true)).ipv6Masquerade()).isFalse();
    }

    @Test
    void nativeRoutingWithoutCidrIsRefused() {
        assertThatThrownBy(() -> agent(values("tunnel", "disabled")))
                .isInstanceOf(RefusedConfigurationException.class)
                .hasMessageContaining("--ipv4-native-routing-cidr");
        assertThat(agent(values("tunnel", "disabled", "enableIPv4Masquerade", false)).mode())
                .isEqualTo(MasqueradeMode.DISABLED);
    }

    @Test
    void probeKubeProxyReplacementWasRemovedIn113() {
        assertThatThrownBy(() -> agent(values("kubeProxyReplacement", "probe")))
                .isInstanceOf(RefusedConfigurationException.class)
                .hasMessageContaining("Invalid value for --kube-proxy-replacement: probe")
                .hasMessageContaining("removed in 1.13");
    }

    @Test
    void helmStringsCountAsBooleansLikeSet() {
        assertThat(agent(nativeKpr("bpf.masquerade", "true")).mode()).isEqualTo(MasqueradeMode.BPF);
        assertThatThrownBy(() -> agent(nativeKpr("bpf.masquerade", "yes")))
                .isInstanceOf(OracleException.class).hasMessageContaining("bpf.masquerade=yes is not a boolean");
    }
}
