package io.masqharness.tuning;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The public list the lab backend reads to mark what it cannot honour as not applicable. */
class TuningRequestTest {

    @Test
    void nothingAskedForWithChartDefaults() {
        assertThat(TuningRequest.of(Map.of())).isEmpty();
        assertThat(TuningRequest.of(Tuning.with(Map.of(), "tunnel", "vxlan", "routingMode", "tunnel", "kubeProxyReplacement", "disabled",
                "bpf.masquerade", false, "loadBalancer.mode", "snat", "installNoConntrackIptablesRules", false, "bpf.hostLegacyRouting", true,
                "enableIPv6BIGTCP", false, "hubble.enabled", true, "MTU", 0, "bandwidthManager.enabled", false))).isEmpty();
        assertThat(TuningRequest.of(Map.of("bandwidthManager.bbr", false, "loadBalancer.acceleration", "disabled",
                "kubeProxyReplacement", "false"))).isEmpty();
    }

    @Test
    void eachToggleByItsKey() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("tunnel", "disabled");
        v.put("kubeProxyReplacement", "strict");
        v.put("bpf.masquerade", "true");
        v.put("loadBalancer.mode", "dsr");
        v.put("installNoConntrackIptablesRules", true);
        v.put("bpf.hostLegacyRouting", false);
        v.put("enableIPv6BIGTCP", true);
        v.put("hubble.enabled", false);
        v.put("MTU", 9000);
        v.put("bandwidthManager.enabled", true);
        v.put("bandwidthManager.bbr", "True");
        v.put("loadBalancer.acceleration", "native");
        v.put("bpf.natMax", 524288);
        assertThat(TuningRequest.of(v)).isEqualTo(EnumSet.allOf(Toggle.class));
        assertThat(TuningRequest.of(Map.of("routingMode", "native"))).containsExactly(Toggle.NATIVE_ROUTING);
        assertThat(TuningRequest.of(Map.of("kubeProxyReplacement", "true"))).containsExactly(Toggle.KUBE_PROXY_REPLACEMENT);
        assertThat(TuningRequest.of(Map.of("kubeProxyReplacement", "partial"))).containsExactly(Toggle.KUBE_PROXY_REPLACEMENT);
        assertThat(TuningRequest.of(Map.of("loadBalancer.mode", "hybrid"))).containsExactly(Toggle.DSR);
        assertThat(TuningRequest.of(Map.of("bpf.mapDynamicSizeRatio", 0.005))).containsExactly(Toggle.MAP_SIZES);
    }
}
