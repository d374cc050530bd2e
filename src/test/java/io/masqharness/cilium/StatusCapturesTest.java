package io.masqharness.cilium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every variation class of the Masquerading line, from published captures (golden/README.md); expected values read off the captures. */
class StatusCapturesTest {

    static MasqueradingStatus line(String file) {
        return StatusCapture.parse(Golden.read(file)).masquerading().orElseThrow();
    }

    @Test
    void ciTimestampsAndTabsBeforeEachLine() {
        MasqueradingStatus s = line("status/ci-log-timestamps-2023-06.txt");
        assertThat(s.mode()).isEqualTo("BPF");
        assertThat(s.ipMasqAgent()).isFalse();
        assertThat(s.devices()).containsExactly("enp0s16", "enp0s3", "enp0s8");
        assertThat(s.excludedCidrs()).containsExactly("10.0.0.0/8");
        assertThat(s.ipv4()).contains(true);
        assertThat(s.ipv6()).contains(false);
        assertThat(s.lineNumber()).isEqualTo(2);
    }

    @Test
    void tabIndentedIpMasqAgentWithItsPodCidrAndNoHealthLine() {
        StatusCapture c = StatusCapture.parse(Golden.read("status/ci-tab-indented-ip-masq-agent-2021-11.txt"));
        assertThat(c.masquerading().orElseThrow().label()).isEqualTo("BPF (ip-masq-agent)");
        assertThat(c.masquerading().get().devices()).containsExactly("enp0s3", "enp0s8");
        assertThat(c.podCidr()).contains("10.0.0.0/24");
        assertThat(c.ciliumState()).isEmpty();
        assertThat(c.problems()).isEmpty();
    }

    @Test
    void olderLinesWithoutTheFamilyPart() {
        MasqueradingStatus v19 = line("status/docs-v1.9-no-cidr-no-families.txt");
        assertThat(v19.devices()).containsExactly("eth0", "eth1");
        assertThat(v19.excludedCidrs()).isEmpty();
        assertThat(v19.ipv4()).isEmpty();
        assertThat(v19.ipv6()).isEmpty();
        MasqueradingStatus v18 = line("status/docs-v1.8-single-spaces.txt");
        assertThat(v18.ipMasqAgent()).isTrue();
        assertThat(v18.exclusionCidr()).contains("10.0.0.0/16");
        assertThat(v18.ipv4()).isEmpty();
    }

    @Test
    void outputPastedAsShellComments() {
        assertThat(line("status/shell-comment-prefix.txt").excludedCidrs()).containsExactly("172.16.0.0/16");
    }

    /** Issue 22: with the note read as part of the line, the family part was taken for devices ('IPv4:', 'Enabled', ...). */
    @Test
    void theAuthorsTrailingNotesAreNotPartOfTheLines() {
        StatusCapture c = StatusCapture.parse(Golden.read("status/v1.13.4-trailing-notes-zh.txt"));
        MasqueradingStatus s = c.masquerading().orElseThrow();
        assertThat(s.mode()).isEqualTo("IPTables");
        assertThat(s.devices()).isEmpty();
        assertThat(s.excludedCidrs()).isEmpty();
        assertThat(s.ipv4()).contains(true);
        assertThat(s.ipv6()).contains(false);
        assertThat(c.podCidr()).contains("10.0.0.0/24");
        assertThat(c.ciliumState()).contains("Ok");
        assertThat(c.problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(5);
            assertThat(p.message()).contains("[5, 13, 14, 15, 16]").contains("notes");
        });
    }

    @Test
    void aHashThatDoesNotFollowABlankIsPartOfTheValue() {
        MasqueradingStatus s = StatusCapture.parse("Masquerading:   BPF   [eth#1, eth0]   10.0.0.0/8 [IPv4: Enabled, IPv6: Disabled]")
                .masquerading().orElseThrow();
        assertThat(s.devices()).containsExactly("eth#1", "eth0");
        StatusCapture noted = StatusCapture.parse("Masquerading:   BPF   [eth0]   10.0.0.0/8 [IPv4: Enabled, IPv6: Enabled]	#dual stack");
        assertThat(noted.masquerading().orElseThrow().ipv6()).contains(true);
        assertThat(noted.problems()).singleElement().satisfies(p -> assertThat(p.message()).contains("[1]"));
    }

    @Test
    void otherBracketedDeviceListsAreNotTheSetting() {
        StatusCapture c = StatusCapture.parse(Golden.read("status/v1.14.5-wireguard-bracketed-lines.txt"));
        assertThat(c.masquerading().orElseThrow().devices()).containsExactly("enp1s0", "cilium_wg0");
        assertThat(c.ciliumState()).contains("Ok");
        assertThat(c.podCidr()).contains("10.244.1.0/24");
        MasqueradingStatus aks = line("status/v1.18.6-two-spaces-before-families.txt");
        assertThat(aks.devices()).containsExactly("eth0");
        assertThat(aks.excludedCidrs()).containsExactly("10.244.0.0/16");
        assertThat(aks.ipv4()).contains(true);
    }

    @Test
    void dualStackExclusionCidrsInOrderAndUnusualDeviceNames() {
        MasqueradingStatus bond = line("status/nm-bond-dual-stack.txt");
        assertThat(bond.devices()).containsExactly("nm-bond");
        assertThat(bond.excludedCidrs()).containsExactly("172.31.24.0/24", "fd85:ee78:d8a6:8607::24:0/128");
        assertThat(bond.exclusionCidr()).contains("172.31.24.0/24");
        assertThat(bond.ipv6()).contains(true);
        MasqueradingStatus vlan = line("status/ens19.30-ipv4-disabled-ipv6-enabled.txt");
        assertThat(vlan.devices()).containsExactly("dummy0", "ens18", "ens19.30");
        assertThat(vlan.ipv4()).contains(false);
        assertThat(vlan.ipv6()).contains(true);
    }

    @Test
    void theBpfMapsRowIpMasqueradingAgentIsNotAStatusLine() {
        assertThatThrownBy(() -> StatusCapture.parse(Golden.read("status/verbose-bpf-maps-row-only.txt")))
                .isInstanceOf(CiliumInputException.class).hasMessageContaining("no 'Masquerading:' line")
                .hasMessageStartingWith("1: ");
    }

    @Test
    void linesThatDisagreeAreReportedNotChosen() {
        StatusCapture c = StatusCapture.parse("Masquerading:   IPTables [IPv4: Enabled, IPv6: Disabled]\n"
                + "Masquerading:   BPF   [eth0]   10.0.0.0/8 [IPv4: Enabled, IPv6: Disabled]\n");
        assertThat(c.masquerading()).isEmpty();
        assertThat(c.problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(2);
            assertThat(p.message()).contains("2 Masquerading lines that disagree").contains("[1, 2]");
        });
        StatusCapture same = StatusCapture.parse("Masquerading: Disabled\nMasquerading: Disabled\n");
        assertThat(same.masquerading().orElseThrow().mode()).isEqualTo("Disabled");
        assertThat(same.problems()).isEmpty();
    }

    @Test
    void partsOfALineThatAreNeitherDevicesNorCidrsAreProblems() {
        StatusCapture c = StatusCapture.parse("Masquerading:   BPF   [eth0]   10.0.0.0/8 what [IPv4: Maybe, IPv6: Disabled]\n"
                + "Masquerading:   BPF   [eth0]   10.0.0.0/8 what [IPv4: Maybe, IPv6: Disabled]");
        assertThat(c.masquerading().orElseThrow().excludedCidrs()).containsExactly("10.0.0.0/8");
        assertThat(c.masquerading().get().ipv4()).isEmpty();
        assertThat(c.masquerading().get().ipv6()).contains(false);
        assertThat(c.problems()).extracting(InputProblem::message).anyMatch(m -> m.contains("'what'"))
                .anyMatch(m -> m.contains("'Maybe'"));
        StatusCapture iptables = StatusCapture.parse("Masquerading: IPTables [eth0] 10.0.0.0/8");
        assertThat(iptables.problems()).extracting(InputProblem::message).anyMatch(m -> m.contains("for BPF only"));
    }

    @Test
    void modesAreReadWhateverTheirCaseAndDisabledHasNoSuffix() {
        assertThat(StatusCapture.parse("Masquerading:\tiptables").masquerading().orElseThrow().mode()).isEqualTo("IPTables");
        assertThat(StatusCapture.parse("Masquerading: bpf").masquerading().orElseThrow().mode()).isEqualTo("BPF");
        MasqueradingStatus off = StatusCapture.parse("Masquerading:   Disabled").masquerading().orElseThrow();
        assertThat(off.label()).isEqualTo("Disabled");
        assertThat(off.ipv4()).isEqualTo(Optional.empty());
        assertThat(off.devices()).isEqualTo(List.of());
    }

    @Test
    void linesPrefixedByTheNodeOrPodTheyCameFrom() {
        StatusCapture c = StatusCapture.parse("cilium-7xkqp: Masquerading:   BPF   [eth0]   10.42.0.0/16 [IPv4: Enabled, IPv6: Disabled]\n"
                + "[pod/cilium-zz9pd/cilium-agent] Masquerading:   BPF   [eth0]   10.42.0.0/16 [IPv4: Enabled, IPv6: Disabled]\n");
        assertThat(c.masquerading().orElseThrow().devices()).containsExactly("eth0");
        assertThat(c.problems()).isEmpty();
        assertThatThrownBy(() -> StatusCapture.parse("IPMasquerading: BPF")).hasMessageContaining("no 'Masquerading:' line");
    }

    @Test
    void anUnknownModeIsUnreadableAndNamesTheLine() {
        assertThatThrownBy(() -> StatusCapture.parse("KVStore: Ok\nMasquerading:   Something new\n"))
                .isInstanceOf(CiliumInputException.class).hasMessageStartingWith("2: unrecognised Masquerading line");
        assertThatThrownBy(() -> StatusCapture.parse("")).hasMessageContaining("the capture is empty");
    }
}
