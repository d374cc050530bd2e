package io.masqharness.cluster.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.masqharness.cluster.ClusterException;
import io.masqharness.net.Cidr;
import io.masqharness.oracle.AgentConfig;
import io.masqharness.oracle.AgentConfigDeriver;
import io.masqharness.oracle.HelmValues;
import io.masqharness.oracle.IpMasqAgentFile;
import io.masqharness.oracle.MasqueradeMode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CiliumConfigValuesTest {

    /** What the 1.13 chart writes for the seed's BPF mode (native routing, kube-proxy replacement). */
    static final Map<String, String> BPF_NATIVE = Map.of("enable-ipv4-masquerade", "true", "enable-bpf-masquerade", "true",
            "kube-proxy-replacement", "strict", "tunnel", "disabled", "ipv4-native-routing-cidr", "10.42.0.0/16",
            "enable-remote-node-identity", "true", "enable-ipv6", "false", "cluster-name", "default");

    @Test
    void ciliumConfigReadsBackAsHelmValuesTheOracleUnderstands() {
        Map<String, Object> values = CiliumConfigValues.helmValues(BPF_NATIVE);
        assertThat(values).containsEntry("bpf.masquerade", true).containsEntry("kubeProxyReplacement", "strict")
                .containsEntry("tunnel", "disabled").containsEntry("ipv4NativeRoutingCIDR", "10.42.0.0/16")
                .doesNotContainKey("cluster-name");
        AgentConfig agent = AgentConfigDeriver.derive(HelmValues.of(values), new IpMasqAgentFile.Absent());
        assertThat(agent.mode()).isEqualTo(MasqueradeMode.BPF);
    }

    @Test
    void restoreSetsBackTheOriginalValuesOfWhatModesChanged() {
        assertThat(CiliumConfigValues.restoreValues(List.of("bpf.masquerade", "ipMasqAgent.enabled"), BPF_NATIVE))
                .containsExactly(Map.entry("bpf.masquerade", true), Map.entry("ipMasqAgent.enabled", false));
    }

    @Test
    void aKeyThatCannotBeRestoredIsRefusedUpFront() {
        assertThatThrownBy(() -> CiliumConfigValues.restoreValues(List.of("bpf.hostLegacyRouting"), BPF_NATIVE))
                .isInstanceOf(ClusterException.class).hasMessageContaining("cannot read bpf.hostLegacyRouting's original value");
    }

    @Test
    void ipMasqAgentConfigMapReadsAsTheAgentDoes() {
        assertThat(CiliumConfigValues.ipMasqAgentConfig(Map.of("config", "{\"nonMasqueradeCIDRs\":[\"10.0.0.0/8\"],\"masqLinkLocal\":true}")))
                .contains(new IpMasqAgentFile.Present(List.of(Cidr.parse("10.0.0.0/8")), true));
        assertThat(CiliumConfigValues.ipMasqAgentConfig(Map.of("config", "nonMasqueradeCIDRs:\n- 192.168.0.0/16\n")))
                .contains(new IpMasqAgentFile.Present(List.of(Cidr.parse("192.168.0.0/16")), false));
        assertThat(CiliumConfigValues.ipMasqAgentConfig(Map.of("config", "{}"))).contains(new IpMasqAgentFile.Present(List.of(), false));
        assertThat(CiliumConfigValues.ipMasqAgentConfig(null)).isEmpty();
    }

    /** D7: 1.13 applies the default list to a zero-length file (readConfig: len(raw) == 0), not to a blank or {} one. */
    @Test
    void aZeroLengthConfigIsAnEmptyFileWithDefaultsNotAnEmptyList() {
        assertThat(CiliumConfigValues.ipMasqAgentConfig(Map.of("config", ""))).contains(new IpMasqAgentFile.Empty());
        assertThat(CiliumConfigValues.ipMasqAgentConfig(Map.of("config", ""))).get().extracting(IpMasqAgentFile::effectiveCidrs)
                .asList().hasSize(12);
        assertThat(CiliumConfigValues.ipMasqAgentConfig(Map.of("config", "\n"))).contains(new IpMasqAgentFile.Present(List.of(), false));
        assertThat(CiliumConfigValues.ipMasqAgentConfig(Map.of("other", "x"))).isEmpty();
    }

    /** 1.13 rejects a whole file with an IPv6 CIDR and keeps its old map: nothing to predict, so the harness says so. */
    @Test
    void anIpv6NonMasqueradeCidrIsRefusedNotSilentlyDropped() {
        assertThatThrownBy(() -> CiliumConfigValues.ipMasqAgentConfig(Map.of("config", "{\"nonMasqueradeCIDRs\":[\"10.0.0.0/8\",\"fd00::/8\"]}")))
                .isInstanceOf(ClusterException.class).hasMessageContaining("fd00::/8").hasMessageContaining("rejects the whole file");
    }
}
