package io.masqharness.cluster.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.masqharness.oracle.HelmValues;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the lab reads of the tuning series' Helm values (facts/cilium-tuning-series.md §0, §2.8-2.10, §1.1). */
class LabTuningTest {

    static LabTuning of(Object... kv) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return LabTuning.of(HelmValues.of(m));
    }

    @Test
    void nothingAskedIsTheLabsDefault() {
        LabTuning t = of();
        assertThat(t.mtu()).isEmpty();
        assertThat(t.podMtu()).isEqualTo(1450);
        assertThat(t.bbr()).isFalse();
        assertThat(t.noConntrack()).isFalse();
        assertThat(t.congestionControl("cubic")).isEqualTo("cubic");
    }

    @Test
    void theNodesDefaultIsLinuxsWhereANamespaceMayChooseItElseReno() {
        // this build machine: bbr is the host's default, cubic is built but restricted (sysctl -w in a netns: EPERM)
        assertThat(LabTuning.nodeDefault("reno bbr\n")).isEqualTo("reno");
        assertThat(LabTuning.nodeDefault("reno cubic")).isEqualTo("cubic");
        assertThat(LabTuning.nodeDefault("  cubic  ")).isEqualTo("cubic");
        assertThat(LabTuning.nodeDefault("reno bbrcubic")).isEqualTo("reno");
        assertThat(LabTuning.nodeDefault("")).isEqualTo("reno");
        assertThat(of("bandwidthManager.enabled", true, "bandwidthManager.bbr", true).congestionControl("reno")).isEqualTo("bbr");
    }

    @Test
    void mtuIsReadAsHelmGivesItAndZeroMeansAutoDetect() {
        assertThat(of("MTU", 9000).podMtu()).isEqualTo(9000);
        assertThat(of("MTU", "9000").mtu()).contains(9000);
        assertThat(of("MTU", 0).mtu()).as("the chart renders no mtu key for 0").isEmpty();
        assertThat(of("MTU", 1280).podMtu()).isEqualTo(1280);
        assertThatThrownBy(() -> of("MTU", "jumbo")).hasMessageContaining("MTU=jumbo is not a number");
        assertThatThrownBy(() -> of("MTU", 1279)).hasMessageContaining("outside 1280..65535");
        assertThatThrownBy(() -> of("MTU", 65536)).hasMessageContaining("outside 1280..65535");
        assertThat(of("MTU", 65535).podMtu()).isEqualTo(65535);
    }

    /** The chart renders enable-bbr only together with enable-bandwidth-manager (facts §1.1, §2.10: bbr alone is ignored). */
    @Test
    void bbrNeedsTheBandwidthManager() {
        assertThat(of("bandwidthManager.enabled", true, "bandwidthManager.bbr", true).bbr()).isTrue();
        assertThat(of("bandwidthManager.bbr", true).bbr()).isFalse();
        assertThat(of("bandwidthManager.enabled", true).bbr()).isFalse();
        assertThat(of("bandwidthManager.enabled", true, "bandwidthManager.bbr", "true").congestionControl("cubic")).isEqualTo("bbr");
        assertThat(of("bandwidthManager.enabled", false, "bandwidthManager.bbr", true).congestionControl("reno")).isEqualTo("reno");
    }

    @Test
    void theFabricCarriesTheLargestMtuAnyModeAsks() {
        assertThat(LabTuning.fabricMtu(List.of(HelmValues.of(Map.of())))).isEqualTo(1450);
        assertThat(LabTuning.fabricMtu(List.of(HelmValues.of(Map.of()), HelmValues.of(Map.of("MTU", 9000)),
                HelmValues.of(Map.of("MTU", 4000))))).isEqualTo(9000);
        assertThat(LabTuning.fabricMtu(List.of(HelmValues.of(Map.of("MTU", 1400))))).as("never below the default").isEqualTo(1450);
    }

    @Test
    void everyOtherToggleOfTheSeriesIsListedAsUnmodelled() {
        HelmValues all = HelmValues.of(Map.ofEntries(Map.entry("kubeProxyReplacement", "strict"), Map.entry("loadBalancer.mode", "dsr"),
                Map.entry("bpf.hostLegacyRouting", false), Map.entry("enableIPv6BIGTCP", true), Map.entry("hubble.enabled", false),
                Map.entry("bandwidthManager.enabled", true), Map.entry("loadBalancer.acceleration", "native"),
                Map.entry("bpf.mapDynamicSizeRatio", 0.005), Map.entry("MTU", 9000), Map.entry("installNoConntrackIptablesRules", true)));
        List<LabTuning.Unmodelled> u = LabTuning.unmodelled(all);
        assertThat(u).extracting(LabTuning.Unmodelled::toggle).containsExactly(
                "kube-proxy replacement (KubeProxyReplacement line)", "NodePort DSR (verbose KubeProxyReplacement Mode line)",
                "BPF host routing (Host Routing line)", "BIG TCP (IPv6/IPv4 BIG TCP lines, gso_max_size)", "Hubble (Hubble line)",
                "bandwidth manager's EDT rate limiting and fq qdiscs (BandwidthManager line)", "XDP acceleration (XDP Acceleration line)",
                "eBPF map sizes (verbose BPF Maps table)");
        assertThat(u.get(1).requested()).isEqualTo("loadBalancer.mode=dsr");
        assertThat(u.get(7).requested()).isEqualTo("bpf.mapDynamicSizeRatio=0.005");
        assertThat(LabTuning.unmodelled(HelmValues.of(Map.of("bpf.ctTcpMax", 524288, "bpf.natMax", 524288))))
                .extracting(LabTuning.Unmodelled::requested).containsExactly("bpf.ctTcpMax=524288, bpf.natMax=524288");
        assertThat(LabTuning.unmodelled(HelmValues.of(Map.of("MTU", 9000, "installNoConntrackIptablesRules", true, "bpf.masquerade", true))))
                .as("what the lab carries out is not listed").isEmpty();
    }
}
