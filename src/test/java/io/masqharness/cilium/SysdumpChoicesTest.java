package io.masqharness.cilium;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which file of a sysdump answers for what, including bugtool folders already unpacked. */
class SysdumpChoicesTest {

    static final String POD = "cilium-bugtool-cilium-abc-" + SysdumpLayout.TS + "/cilium-bugtool-" + SysdumpLayout.TS + "/";

    static Map<String, byte[]> files(String... pathAndText) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < pathAndText.length; i += 2) {
            m.put(pathAndText[i], pathAndText[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return m;
    }

    @Test
    void theIptablesDumpWithCiliumsChainsIsTheAgentsBackend() {
        SysdumpCapture s = SysdumpCapture.of(files(POD + "cmd/iptables-save--c.md", "# Warning: iptables-legacy tables present\n",
                POD + "cmd/iptables-nft-save--c.md", "*nat\n:CILIUM_POST_nat - [0:0]\nCOMMIT\n"));
        assertThat(s.nodes()).singleElement().satisfies(n -> assertThat(n.iptables().orElseThrow().name()).endsWith("iptables-nft-save--c.md"));
        SysdumpCapture none = SysdumpCapture.of(files(POD + "cmd/iptables-legacy-save--c.md", "*nat\nCOMMIT\n",
                POD + "cmd/iptables-save--c.md", "*filter\nCOMMIT\n"));
        assertThat(none.nodes().get(0).iptables().orElseThrow().name()).endsWith("iptables-save--c.md");
    }

    @Test
    void onlyTheCommandsInspectReadsAndOnlyFromCmd() {
        SysdumpCapture s = SysdumpCapture.of(files(POD + "cmd/ip-a.md", "1: lo", POD + "conf/cilium-bpf-nat-list.md", "x",
                POD + "cmd/cilium-bpf-nat-list.md", "TCP OUT 10.0.0.1:1 -> 1.1.1.1:80 XLATE_SRC 2.2.2.2:1",
                POD + "cmd/cilium-status.md", "Masquerading: BPF", POD + "cmd/cilium-status---verbose.md", "Masquerading: IPTables",
                "cilium-bugtool-" + SysdumpLayout.TS + "/cmd/cilium-status.md", "not a pod's"));
        assertThat(s.nodes()).singleElement().satisfies(n -> {
            assertThat(n.node()).isEqualTo("cilium-abc");
            assertThat(n.nat().orElseThrow().name()).isEqualTo(POD + "cmd/cilium-bpf-nat-list.md");
            assertThat(n.status().orElseThrow().text()).isEqualTo("Masquerading: IPTables");
            assertThat(n.ipMasq()).isEmpty();
        });
    }

    /** 1.15+ bugtool names its files after {@code cilium-dbg} ({@code cmd/cilium-dbg-status---verbose.md}, three dashes). */
    @Test
    void aCiliumDbgAgentsFilesWithTheTuningLinesOfItsStatus() {
        SysdumpCapture s = SysdumpCapture.of(files(POD + "cmd/cilium-dbg-status---verbose.md", Golden.read("status/v1.16.4-talos-tunnel-legacy-tcx.txt"),
                POD + "cmd/cilium-dbg-bpf-ipmasq-list.md", Golden.read("ipmasq/docs-rfc1918.txt"),
                POD + "cmd/cilium-dbg-bpf-nat-list.md", Golden.read("nat/created-sec-ago.txt"),
                POD + "cmd/cilium-dbg-config--a.md", "EnableBPFMasquerade : false"));
        assertThat(s.nodes()).singleElement().satisfies(n -> {
            assertThat(n.status().orElseThrow().name()).endsWith("cmd/cilium-dbg-status---verbose.md");
            assertThat(n.ipMasq().orElseThrow().name()).endsWith("cmd/cilium-dbg-bpf-ipmasq-list.md");
            assertThat(n.nat().orElseThrow().name()).endsWith("cmd/cilium-dbg-bpf-nat-list.md");
            StatusCapture status = StatusCapture.parse(n.status().get().text());
            assertThat(status.tuning().routing().orElseThrow().network()).isEqualTo(TuningStatus.Network.TUNNEL);
            assertThat(status.tuning().attachMode()).contains("TCX");
        });
    }

    @Test
    void anIpMasqAgentConfigMapAddedToTheSysdump() {
        SysdumpCapture s = SysdumpCapture.of(files("cilium-sysdump-x/cilium-configmap-" + SysdumpLayout.TS + ".yaml", "data: {}",
                "cilium-sysdump-x/ip-masq-agent-configmap.yaml", "data:\n  config: '{}'\n"));
        assertThat(s.ipMasqAgentConfig().orElseThrow().name()).endsWith("ip-masq-agent-configmap.yaml");
        assertThat(s.nodes()).isEmpty();
        assertThat(s.problems()).isEmpty();
    }

    @Test
    void errorsAndProblemsNameTheirFileAndLine() {
        assertThat(new CiliumInputException(3, "bad").getMessage()).isEqualTo("3: bad");
        assertThat(new CiliumInputException(0, "bad").getMessage()).isEqualTo("bad");
        assertThat(new CiliumInputException(3, "bad").in("f.txt").getMessage()).isEqualTo("f.txt:3: bad");
        assertThat(new CiliumInputException(0, "bad").in("f.txt").getMessage()).isEqualTo("f.txt: bad");
        assertThat(new CiliumInputException(3, "bad").in("f.txt").source()).isEqualTo("f.txt");
        assertThat(InputProblem.at(2, "odd").toString()).isEqualTo("2: odd");
        assertThat(InputProblem.at(0, "odd").toString()).isEqualTo("odd");
        assertThat(InputProblem.at(2, "odd").in("g").toString()).isEqualTo("g:2: odd");
        assertThat(InputProblem.at(0, "odd").in("g").toString()).isEqualTo("g: odd");
    }

    @Test
    void describeValuesOverSeveralLinesUntilTheNextKeyOrEvents() {
        CiliumConfigCapture d = CiliumConfigCapture.parse("Data\n====\nfirst:\n----\nline one\nline two\nsecond:\n----\n\nlast:\n----\nx\n\nEvents:  <none>\n");
        assertThat(d.data()).containsExactly(Map.entry("first", "line one\nline two"), Map.entry("second", ""), Map.entry("last", "x"));
    }
}
