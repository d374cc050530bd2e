package io.masqharness.cilium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.masqharness.cilium.TuningStatus.BandwidthManager;
import io.masqharness.cilium.TuningStatus.BigTcp;
import io.masqharness.cilium.TuningStatus.HostRouting;
import io.masqharness.cilium.TuningStatus.Hubble;
import io.masqharness.cilium.TuningStatus.KubeProxyReplacement;
import io.masqharness.cilium.TuningStatus.KubeProxyReplacementMode;
import io.masqharness.cilium.TuningStatus.Network;
import io.masqharness.cilium.TuningStatus.NodePortMode;
import io.masqharness.cilium.TuningStatus.Routing;
import io.masqharness.cilium.TuningStatus.XdpAcceleration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The tuning lines of {@code cilium status} as agents 1.10 to 1.19 printed them, from published captures
 * (golden/README.md names each source and version); expected values are read off the captures. Where no capture
 * was found, the value comes from the format string in pkg/client/client.go, named in the test.
 */
class TuningCapturesTest {

    private static final BigTcp BIG_TCP_OFF = new BigTcp(false, Optional.empty(), Optional.empty());
    private static final BandwidthManager BANDWIDTH_OFF = new BandwidthManager(false, Optional.empty(), List.of());

    static StatusCapture capture(String file) {
        return StatusCapture.parse(Golden.read(file));
    }

    @Test
    void v1_13_4TheLinesOfTheTimeAndNoIpv4BigTcpLine() {
        TuningStatus t = capture("status/v1.13.4-trailing-notes-zh.txt").tuning();
        assertThat(t.kubeProxyReplacement()).contains(new KubeProxyReplacement(KubeProxyReplacementMode.STRICT, List.of("eth0"),
                Optional.empty()));
        assertThat(t.ipv6BigTcp()).contains(BIG_TCP_OFF);
        assertThat(t.ipv4BigTcp()).as("1.13 prints no IPv4 BIG TCP line").isEmpty();
        assertThat(t.bandwidthManager()).contains(BANDWIDTH_OFF);
        assertThat(t.hostRouting()).contains(HostRouting.LEGACY);
        assertThat(t.routing()).isEmpty();
        assertThat(t.hubble()).contains(new Hubble("Ok"));
        assertThat(t.hubble().get().enabled()).isTrue();
        assertThat(t.nodePortMode()).isEmpty();
        assertThat(t.xdpAcceleration()).isEmpty();
    }

    @Test
    void v1_13_3AnAgentWithoutKubernetesPrintsNoKubeProxyReplacementLine() {
        StatusCapture c = capture("status/v1.13.3-external-workload-indented.txt");
        TuningStatus t = c.tuning();
        assertThat(t.kubeProxyReplacement()).isEmpty();
        assertThat(t.hubble()).contains(new Hubble("Disabled"));
        assertThat(t.hubble().get().enabled()).isFalse();
        assertThat(t.hostRouting()).contains(HostRouting.LEGACY);
        assertThat(t.bandwidthManager()).contains(BANDWIDTH_OFF);
        assertThat(c.masquerading().orElseThrow().ipv6()).contains(true);
        assertThat(c.problems()).isEmpty();
    }

    @Test
    void bandwidthManagerWithAndWithoutItsCongestionControl() {
        StatusCapture cubic = capture("status/v1.13.4-grep-bandwidthmanager-cubic.txt");
        assertThat(cubic.tuning().bandwidthManager()).contains(new BandwidthManager(true, Optional.of("CUBIC"), List.of("eth0", "eth1")));
        assertThat(cubic.masquerading()).isEmpty();
        assertThat(cubic.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("no 'Masquerading:' line"));
        TuningStatus bbr = capture("status/v1.18.4-netkit-bbr-native-bpf.txt").tuning();
        assertThat(bbr.bandwidthManager()).contains(new BandwidthManager(true, Optional.of("BBR"), List.of("eth0")));
        TuningStatus v110 = capture("status/issue-16280-v1.10.0-rc2-bandwidth-without-congestion-control.txt").tuning();
        assertThat(v110.bandwidthManager()).as("one bracket: the devices, before the congestion control was printed")
                .contains(new BandwidthManager(true, Optional.empty(), List.of("ens192")));
        assertThat(v110.hostRouting()).contains(HostRouting.LEGACY);
    }

    @Test
    void v1_14_5AndV1_15_6KubeProxyReplacementTrueWithItsDevicesAndBothBigTcpLines() {
        TuningStatus v114 = capture("status/v1.14.5-wireguard-bracketed-lines.txt").tuning();
        assertThat(v114.kubeProxyReplacement()).contains(new KubeProxyReplacement(KubeProxyReplacementMode.TRUE,
                List.of("enp1s0", "cilium_wg0"), Optional.of("enp1s0")));
        assertThat(v114.ipv4BigTcp()).contains(BIG_TCP_OFF);
        assertThat(v114.ipv6BigTcp()).contains(BIG_TCP_OFF);
        assertThat(v114.hostRouting()).contains(HostRouting.BPF);
        StatusCapture v115 = capture("status/issue-33669-v1.15.6-to-bandwidthmanager.txt");
        assertThat(v115.tuning().kubeProxyReplacement()).contains(new KubeProxyReplacement(KubeProxyReplacementMode.TRUE,
                List.of("ens192"), Optional.of("ens192")));
        assertThat(v115.tuning().ipv4BigTcp()).contains(BIG_TCP_OFF);
        assertThat(v115.tuning().hostRouting()).as("the paste ends before Host Routing").isEmpty();
        assertThat(v115.ciliumState()).contains("Ok");
    }

    @Test
    void v1_15_1VerboseDsrWithItsDispatchModeAndXdpBetweenTheAuthorsOwnLineComments() {
        StatusCapture c = capture("status/v1.15.1-verbose-abridged-own-line-notes-zh.txt");
        TuningStatus t = c.tuning();
        assertThat(t.kubeProxyReplacement()).contains(new KubeProxyReplacement(KubeProxyReplacementMode.TRUE, List.of("ens192"),
                Optional.of("ens192")));
        assertThat(t.hostRouting()).contains(HostRouting.BPF);
        assertThat(t.nodePortMode()).contains(NodePortMode.DSR);
        assertThat(t.dsrDispatchMode()).contains("IP Option/Extension");
        assertThat(t.xdpAcceleration()).contains(XdpAcceleration.DISABLED);
        assertThat(c.masquerading().orElseThrow().devices()).containsExactly("ens192");
        assertThat(c.problems()).as("comments on lines of their own are not notes on a line").isEmpty();
    }

    @Test
    void theVerboseBlockGreppedAloneOrAsShellComments() {
        TuningStatus xdp = capture("status/v1.15-kind-grep-xdp-native.txt").tuning();
        assertThat(xdp.xdpAcceleration()).contains(XdpAcceleration.NATIVE);
        assertThat(xdp.kubeProxyReplacement()).isEmpty();
        assertThat(xdp.nodePortMode()).isEmpty();
        TuningStatus a7 = capture("status/v1.16.3-kpr-details-grep-A7-dsr.txt").tuning();
        assertThat(a7.kubeProxyReplacement()).as("from the block's Status: and Devices: lines")
                .contains(new KubeProxyReplacement(KubeProxyReplacementMode.TRUE, List.of("ens5"), Optional.of("ens5")));
        assertThat(a7.nodePortMode()).contains(NodePortMode.DSR);
        assertThat(a7.dsrDispatchMode()).contains("IP Option/Extension");
        TuningStatus commented = capture("status/cilium-dbg-kpr-details-as-shell-comments.txt").tuning();
        assertThat(commented.kubeProxyReplacement()).contains(new KubeProxyReplacement(KubeProxyReplacementMode.TRUE, List.of("eth0"),
                Optional.of("eth0")));
        assertThat(commented.nodePortMode()).contains(NodePortMode.DSR);
        assertThat(commented.dsrDispatchMode()).contains("IP Option/Extension");
    }

    @Test
    void v1_16_4TheRoutingLineReplacesHostRoutingWithAttachAndDeviceMode() {
        StatusCapture c = capture("status/v1.16.4-talos-tunnel-legacy-tcx.txt");
        TuningStatus t = c.tuning();
        assertThat(t.routing()).contains(new Routing(Network.TUNNEL, Optional.of("vxlan"), HostRouting.LEGACY));
        assertThat(t.hostRouting()).contains(HostRouting.LEGACY);
        assertThat(t.attachMode()).contains("TCX");
        assertThat(t.deviceMode()).contains("veth");
        assertThat(t.kubeProxyReplacement()).contains(new KubeProxyReplacement(KubeProxyReplacementMode.TRUE,
                List.of("enx22989c9b16a0"), Optional.of("enx22989c9b16a0")));
        assertThat(t.ipv4BigTcp()).contains(BIG_TCP_OFF);
        assertThat(t.ipv6BigTcp()).contains(BIG_TCP_OFF);
        assertThat(t.bandwidthManager()).contains(BANDWIDTH_OFF);
        assertThat(t.hubble()).contains(new Hubble("Ok"));
        assertThat(c.masquerading().orElseThrow().mode()).isEqualTo("IPTables");
        assertThat(c.problems()).isEmpty();
    }

    @Test
    void laterAgentsNativeBpfNetkitAndKubeProxyReplacementFalse() {
        TuningStatus v118 = capture("status/v1.18.4-netkit-bbr-native-bpf.txt").tuning();
        assertThat(v118.routing()).contains(new Routing(Network.NATIVE, Optional.empty(), HostRouting.BPF));
        assertThat(v118.hostRouting()).contains(HostRouting.BPF);
        assertThat(v118.deviceMode()).contains("netkit");
        StatusCapture v119 = capture("status/v1.19.0-kpr-false-hubble-disabled.txt");
        assertThat(v119.tuning().kubeProxyReplacement()).contains(new KubeProxyReplacement(KubeProxyReplacementMode.FALSE, List.of(),
                Optional.empty()));
        assertThat(v119.tuning().hubble()).contains(new Hubble("Disabled"));
        assertThat(v119.tuning().attachMode()).contains("Legacy TC");
        assertThat(v119.problems()).isEmpty();
    }

    /**
     * No capture of an enabled BIG TCP of 1.14-1.16 was found: pkg/client/client.go prints {@code Enabled\t[%d]} (GRO = GSO)
     * or {@code Enabled\t[%d, %d]} (GRO, GSO) since PR #26392 (merged 2023-06-21, for 1.14; not checked against the v1.14.0
     * tag), and {@code Enabled} alone before it (the same PR's diff).
     */
    @Test
    void bigTcpSizesFromTheFormatString() {
        assertThat(StatusCapture.parse("IPv4 BIG TCP:            Enabled   [196608]").tuning().ipv4BigTcp())
                .contains(new BigTcp(true, Optional.of(196608L), Optional.of(196608L)));
        assertThat(StatusCapture.parse("IPv6 BIG TCP:\tEnabled\t[65536, 196608]").tuning().ipv6BigTcp())
                .contains(new BigTcp(true, Optional.of(65536L), Optional.of(196608L)));
        assertThat(StatusCapture.parse("IPv6 BIG TCP:            Enabled").tuning().ipv6BigTcp()).as("1.13 printed no sizes")
                .contains(new BigTcp(true, Optional.empty(), Optional.empty()));
    }

    @Test
    void valuesCiliumDoesNotPrintAreProblemsNotGuesses() {
        StatusCapture c = StatusCapture.parse("Host Routing:   Maybe\nBandwidthManager:   EDT with magic\nIPv6 BIG TCP:   Disabled   [196608]\n"
                + "Hubble:   Sleepy\nKubeProxyReplacement:   Sometimes   [eth0]\nRouting:   Network: Native\nAttach Mode:   TC\n"
                + "Device Mode:   ipvlan\nXDP Acceleration:   Turbo\nDSR Dispatch Mode:\nIPv4 BIG TCP:   Enabled   maybe\n"
                + "KubeProxyReplacement:   Strict   eth0\nMasquerading:   IPTables [IPv4: Enabled, IPv6: Disabled]\n");
        assertThat(c.tuning()).isEqualTo(TuningStatus.NONE);
        assertThat(c.tuning().isEmpty()).isTrue();
        assertThat(c.problems()).hasSize(12).allSatisfy(p -> assertThat(p.message()).contains("is not what Cilium prints there"));
        assertThat(c.problems()).extracting(InputProblem::line).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    }

    @Test
    void linesThatDisagreeAreReportedAndNeitherIsRead() {
        StatusCapture c = StatusCapture.parse("Host Routing:   BPF\nHost Routing:   Legacy\nHubble:   Ok\nHubble:   Ok\n"
                + "Routing:   Network: Native   Host: Legacy\n");
        assertThat(c.tuning().hostRouting()).isEmpty();
        assertThat(c.tuning().hubble()).contains(new Hubble("Ok"));
        assertThat(c.tuning().routing()).contains(new Routing(Network.NATIVE, Optional.empty(), HostRouting.LEGACY));
        assertThat(c.problems()).anySatisfy(p -> {
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.message()).contains("3 'Host Routing:' lines that disagree").contains("[1, 2, 5]");
        });
        StatusCapture kpr = StatusCapture.parse("KubeProxyReplacement:   Strict   [eth0]\nKubeProxyReplacement Details:\n  Status:   Partial\n");
        assertThat(kpr.tuning().kubeProxyReplacement()).isEmpty();
        assertThat(kpr.problems()).anySatisfy(p -> assertThat(p.message()).contains("'KubeProxyReplacement:' lines that disagree"));
    }

    @Test
    void blockLabelsAreReadInTheirBlockOnly() {
        StatusCapture c = StatusCapture.parse("Device Mode:   veth\nController Status:   38/38 healthy\nMode:   DSR\n"
                + "KubeProxyReplacement Details:\n  Mode:   Hybrid\nBPF Maps:   dynamic sizing: on (ratio: 0.002500)\n  Mode:   SNAT\n");
        assertThat(c.tuning().deviceMode()).contains("veth");
        assertThat(c.tuning().kubeProxyReplacement()).isEmpty();
        assertThat(c.tuning().nodePortMode()).as("only the Mode: of the block, which BPF Maps: ends").contains(NodePortMode.HYBRID);
    }

    @Test
    void theBlockAloneItsNotesAndItsListsOfServices() {
        StatusCapture c = StatusCapture.parse("KubeProxyReplacement Details:\n  Status:                 True   # was Strict\n"
                + "  Devices:                eth0 10.0.0.4 (Direct Routing), eth1 10.1.0.4   # two NICs\n  Services:\n  - ClusterIP:      Enabled\n"
                + "  - NodePort:       Enabled (Range: 30000-32767) \n  Annotations:\n  - service.cilium.io/node\n  XDP Acceleration:   Native\n");
        assertThat(c.tuning().kubeProxyReplacement()).contains(new KubeProxyReplacement(KubeProxyReplacementMode.TRUE,
                List.of("eth0", "eth1"), Optional.of("eth0")));
        assertThat(c.tuning().xdpAcceleration()).as("the block goes on past its lists").contains(XdpAcceleration.NATIVE);
        assertThat(c.tuning().isEmpty()).isFalse();
        assertThat(c.problems()).anySatisfy(p -> assertThat(p.message()).contains("lines [2, 3]").contains("notes"));
        StatusCapture grep = StatusCapture.parse("    DSR Dispatch Mode:    Geneve\n");
        assertThat(grep.tuning().dsrDispatchMode()).as("a grep of the one line, outside its block").contains("Geneve");
    }

    @Test
    void emptyPartsOfALineAreNotValues() {
        StatusCapture c = StatusCapture.parse("Routing:   Network: Tunnel []   Host: BPF\nBandwidthManager:   EDT with BPF [CUBIC] []\n");
        assertThat(c.tuning().routing()).contains(new Routing(Network.TUNNEL, Optional.empty(), HostRouting.BPF));
        assertThat(c.tuning().bandwidthManager()).contains(new BandwidthManager(true, Optional.of("CUBIC"), List.of()));
    }

    @Test
    void aLabelMayFollowAtMost200CharactersAndASeparator() {
        String prefix = "x".repeat(200) + " ";
        assertThat(StatusCapture.parse(prefix + "Host Routing:   BPF").tuning().hostRouting()).contains(HostRouting.BPF);
        assertThatThrownBy(() -> StatusCapture.parse("x" + prefix + "Host Routing:   BPF")).isInstanceOf(CiliumInputException.class);
        assertThat(StatusCapture.parse("[pod/cilium-x] Host Routing:   Legacy").tuning().hostRouting()).contains(HostRouting.LEGACY);
        assertThatThrownBy(() -> StatusCapture.parse("NoHubble:   Ok")).as("a label inside a word is no label")
                .isInstanceOf(CiliumInputException.class);
    }

    @Test
    void aCaptureWithNeitherMasqueradingNorTuningLinesIsStillRefused() {
        assertThatThrownBy(() -> StatusCapture.parse("KVStore:   Ok   Disabled\nController Status:   38/38 healthy\n"))
                .isInstanceOf(CiliumInputException.class).hasMessageStartingWith("1: no 'Masquerading:' line and none of the tuning lines");
    }
}
