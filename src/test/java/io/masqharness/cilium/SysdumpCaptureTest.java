package io.masqharness.cilium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysdumpCaptureTest {

    @TempDir
    Path dir;

    static SysdumpLayout twoAgents() throws Exception {
        return new SysdumpLayout().config(Golden.read("config/composed-v1.13-mixed-quoting.yaml"))
                .agent("cilium-7xkqp", Map.of("cilium status --verbose", Golden.read("status/ci-tab-indented-ip-masq-agent-2021-11.txt"),
                        "cilium bpf ipmasq list", Golden.read("ipmasq/docs-rfc1918.txt"),
                        "cilium bpf nat list", Golden.read("nat/created-sec-ago.txt"),
                        "iptables-save -c", Golden.read("iptables-save-nat-bpf-mode.txt"),
                        "iptables-nft-save -c", "# Warning: iptables-legacy tables present\n"))
                .agent("cilium-zz9pd", Map.of("cilium-dbg status --verbose", Golden.read("status/ci-log-timestamps-2023-06.txt")));
    }

    @Test
    void aZipAsCiliumCliWritesItWithABugtoolArchivePerAgent() throws Exception {
        SysdumpCapture s = SysdumpCapture.read(twoAgents().zip(dir.resolve("cilium-sysdump.zip")));
        assertThat(s.ciliumConfig()).hasValueSatisfying(c -> assertThat(c.name()).endsWith("cilium-configmap-" + SysdumpLayout.TS + ".yaml"));
        assertThat(s.nodes()).extracting(NodeCapture::node).containsExactly("cilium-7xkqp", "cilium-zz9pd");
        NodeCapture first = s.nodes().get(0);
        assertThat(StatusCapture.parse(first.status().orElseThrow().text()).masquerading().orElseThrow().label()).isEqualTo("BPF (ip-masq-agent)");
        assertThat(IpMasqMap.parse(first.ipMasq().orElseThrow().text()).cidrs()).hasSize(4);
        assertThat(NatList.parse(first.nat().orElseThrow().text()).entries()).hasSize(5);
        assertThat(first.iptables().orElseThrow().name()).endsWith("iptables-save--c.md");
        NodeCapture second = s.nodes().get(1);
        assertThat(second.status()).hasValueSatisfying(t -> assertThat(t.name()).contains("cilium-dbg-status---verbose.md"));
        assertThat(second.nat()).isEmpty();
    }

    @Test
    void theSameUnpackedWithArchivesStillPacked() throws Exception {
        SysdumpCapture s = SysdumpCapture.read(twoAgents().folder(dir));
        assertThat(s.nodes()).hasSize(2);
        assertThat(s.problems()).isEmpty();
    }

    @Test
    void whatIsNotASysdump() throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "hello");
        assertThatThrownBy(() -> SysdumpCapture.read(dir)).isInstanceOf(CiliumInputException.class).hasMessageContaining("not a cilium sysdump");
        Path text = Files.writeString(dir.resolve("x.zip"), "not a zip");
        assertThatThrownBy(() -> SysdumpCapture.read(text)).hasMessageContaining("cannot read it as a sysdump");
        assertThatThrownBy(() -> SysdumpCapture.read(dir.resolve("missing"))).hasMessageContaining("cannot read");
    }

    @Test
    void aBrokenBugtoolArchiveIsAProblemNotACrash() {
        SysdumpCapture s = SysdumpCapture.of(Map.of("cilium-bugtool-cilium-abc-" + SysdumpLayout.TS + ".tar.gz", new byte[] {1, 2, 3},
                "cilium-config-configmap-" + SysdumpLayout.TS + ".yaml", "data: {}".getBytes(),
                "cilium-cm-" + SysdumpLayout.TS + ".yaml", "data: {}".getBytes()));
        assertThat(s.nodes()).singleElement().satisfies(n -> assertThat(n.status()).isEmpty());
        assertThat(s.problems()).extracting(InputProblem::message).anyMatch(m -> m.contains("not a readable tar archive"))
                .anyMatch(m -> m.contains("2 files look like the cilium-config ConfigMap"));
    }
}
