package io.masqharness.oracle;

import static io.masqharness.oracle.OracleFixtures.values;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The values an upgrade passes to the target's chart: each rewrite follows the replacement the release itself names (1.14 upgrade
 * notes, PR #26577: routing-mode native for tunnel=disabled, true for strict; chart cilium-1.16.2 validate.yaml for remoteNodeIdentity).
 */
class ValueRewriteTest {

    private static final Map<String, Object> SEED = values("tunnel", "disabled", "ipv4NativeRoutingCIDR", "10.42.0.0/16",
            "autoDirectNodeRoutes", true, "kubeProxyReplacement", "strict", "bpf.masquerade", true);

    @Test
    void theSeedsValuesAreRewrittenInThe115SpellingAndThenRunAsBefore() {
        ValueRewrite r = ValueRewrite.forTarget(SEED, CiliumVersion.parse("1.15.8"));
        assertThat(r.values()).doesNotContainKey("tunnel").containsEntry("routingMode", "native").containsEntry("kubeProxyReplacement", "true")
                .containsEntry("bpf.masquerade", true);
        assertThat(r.changes()).containsExactly("tunnel: disabled -> routingMode: native", "kubeProxyReplacement: strict -> true");
        assertThatThrownBy(() -> AgentConfigDeriver.derive(HelmValues.of(SEED), new IpMasqAgentFile.Absent(), CiliumVersion.parse("1.15.8")))
                .isInstanceOf(HelmRefusedException.class);
        AgentConfig after = AgentConfigDeriver.derive(HelmValues.of(r.values()), new IpMasqAgentFile.Absent(), CiliumVersion.parse("1.15.8"));
        assertThat(after.mode()).isEqualTo(MasqueradeMode.BPF);
        assertThat(after.notes()).isEmpty();
    }

    @Test
    void tunnellingKeepsItsProtocolAndPartialBecomesFalse() {
        ValueRewrite r = ValueRewrite.forTarget(values("tunnel", "geneve", "kubeProxyReplacement", "partial"), CiliumVersion.parse("1.14.0"));
        assertThat(r.values()).containsEntry("routingMode", "tunnel").containsEntry("tunnelProtocol", "geneve")
                .containsEntry("kubeProxyReplacement", "false");
        assertThat(r.changes()).anySatisfy(c -> assertThat(c).contains("nodePort.enabled and socketLB.enabled"));
    }

    @Test
    void remoteNodeIdentityGoesFor116AndNothingChangesFor113() {
        assertThat(ValueRewrite.forTarget(values("remoteNodeIdentity", true), CiliumVersion.parse("1.16.2")).values()).isEmpty();
        assertThat(ValueRewrite.forTarget(values("remoteNodeIdentity", true), CiliumVersion.parse("1.15.0")).values())
                .containsEntry("remoteNodeIdentity", true);
        ValueRewrite same = ValueRewrite.forTarget(SEED, CiliumVersion.parse("1.13.9"));
        assertThat(same.values()).isEqualTo(SEED);
        assertThat(same.changes()).isEmpty();
    }

    @Test
    void aGivenRoutingModeWinsOverTheOldSpelling() {
        ValueRewrite r = ValueRewrite.forTarget(values("tunnel", "disabled", "routingMode", "native"), CiliumVersion.parse("1.15.8"));
        assertThat(r.values()).containsOnlyKeys("routingMode");
        assertThat(r.changes()).containsExactly("tunnel: disabled removed (routingMode: native is given)");
    }
}
