package io.masqharness.cilium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CiliumOutputsTest {

    static String golden(String name) throws IOException {
        return Files.readString(Path.of("src/test/resources/golden", name));
    }

    @Test
    void iptablesStatusLine() throws IOException {
        MasqueradingStatus s = StatusCapture.parse(golden("cilium-status-iptables.txt")).masquerading().orElseThrow();
        assertThat(s.mode()).isEqualTo("IPTables");
        assertThat(s.ipMasqAgent()).isFalse();
        assertThat(s.ipv4()).contains(true);
        assertThat(s.ipv6()).contains(false);
        assertThat(s.exclusionCidr()).isEmpty();
    }

    @Test
    void bpfStatusLineCarriesDevicesAndExclusionCidr() throws IOException {
        MasqueradingStatus s = StatusCapture.parse(golden("cilium-status-bpf.txt")).masquerading().orElseThrow();
        assertThat(s.mode()).isEqualTo("BPF");
        assertThat(s.devices()).containsExactly("eth0");
        assertThat(s.exclusionCidr()).contains("10.42.0.0/16");
        MasqueradingStatus agent = StatusCapture.parse(golden("cilium-status-bpf-ip-masq-agent.txt")).masquerading().orElseThrow();
        assertThat(agent.ipMasqAgent()).isTrue();
        assertThat(agent.devices()).containsExactly("eth0", "eth1");
    }

    @Test
    void statusLineVariants() {
        assertThat(StatusCapture.parse("Masquerading:   Disabled\n").masquerading().orElseThrow().mode()).isEqualTo("Disabled");
        // The docs' sample omits the [IPv4: ...] suffix; the code prints it. Both parse.
        MasqueradingStatus docs = StatusCapture.parse("Masquerading:   BPF   [eth0]   10.0.0.0/8").masquerading().orElseThrow();
        assertThat(docs.exclusionCidr()).contains("10.0.0.0/8");
        assertThat(docs.ipv4()).isEmpty();
        assertThatThrownBy(() -> StatusCapture.parse("KVStore: Ok")).hasMessageContaining("no 'Masquerading:' line");
        assertThatThrownBy(() -> StatusCapture.parse("Masquerading:   Something new"))
                .hasMessageContaining("unrecognised Masquerading line");
    }

    @Test
    void ipmasqListStates() throws IOException {
        IpMasqMap map = IpMasqMap.parse(0, golden("cilium-bpf-ipmasq-list.txt"), "");
        assertThat(map.state()).isEqualTo(IpMasqMap.State.ENTRIES);
        assertThat(map.cidrs()).containsExactlyInAnyOrder("10.0.0.0/8", "169.254.0.0/16", "192.168.0.0/16", "172.16.0.0/12");
        assertThat(IpMasqMap.parse(0, "", "No entries found.\n").state()).isEqualTo(IpMasqMap.State.EMPTY);
        assertThat(IpMasqMap.parse(1, "", "error dumping contents of map: map cilium_ipmasq_v4 not found\n").state())
                .isEqualTo(IpMasqMap.State.MAP_ABSENT);
        assertThatThrownBy(() -> IpMasqMap.parse(1, "", "permission denied")).hasMessageContaining("exit 1");
    }

    @Test
    void natListFindsTheSnatEntryOfAFlow() throws IOException {
        List<NatEntry> entries = NatEntry.parse(golden("cilium-bpf-nat-list.txt"));
        assertThat(entries).hasSize(5);
        assertThat(NatEntry.snatFor(entries, "10.42.0.23", "198.20.0.10", 7000)).singleElement()
                .satisfies(e -> {
                    assertThat(e.translatedAddress()).isEqualTo("172.28.0.11");
                    assertThat(e.translatedPort()).isEqualTo(41234);
                });
        assertThat(NatEntry.snatFor(entries, "10.42.0.23", "198.20.0.10", 7001)).hasSize(1);
        assertThat(entries.get(2).protocol()).isEqualTo("ICMP");
        assertThat(NatEntry.snatFor(entries, "10.42.0.99", "198.20.0.10", 7000)).isEmpty();
    }
}
