package io.masqharness.cilium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** ipmasq list and nat list variation classes, from published captures where there are any (golden/README.md). */
class OtherCapturesTest {

    @Test
    void ipmasqListUnsortedAfterAPromptKeepsThePrintedOrder() {
        IpMasqMap m = IpMasqMap.parse(Golden.read("ipmasq/v1.8-unsorted-with-prompt.txt"));
        assertThat(m.state()).isEqualTo(IpMasqMap.State.ENTRIES);
        assertThat(m.cidrs()).containsExactly("11.8.37.4/32", "11.8.37.5/32", "11.8.37.9/32", "11.8.37.252/32",
                "11.8.37.254/32", "11.11.248.0/21", "169.254.0.0/16", "11.8.37.6/32", "11.8.37.7/32", "11.8.37.8/32",
                "11.8.37.10/32", "11.8.37.253/32");
        assertThat(m.problems()).isEmpty();
        assertThat(IpMasqMap.parse(Golden.read("ipmasq/docs-rfc1918.txt")).cidrs())
                .containsExactly("10.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16");
    }

    @Test
    void ipmasqListTrailingSpacesEmptyAndAbsentMaps() {
        assertThat(IpMasqMap.parse(Golden.read("cilium-bpf-ipmasq-list.txt")).cidrs())
                .containsExactly("10.0.0.0/8", "169.254.0.0/16", "192.168.0.0/16", "172.16.0.0/12");
        assertThat(IpMasqMap.parse(Golden.read("ipmasq/composed-no-entries.txt")).state()).isEqualTo(IpMasqMap.State.EMPTY);
        assertThat(IpMasqMap.parse("").state()).isEqualTo(IpMasqMap.State.EMPTY);
        assertThat(IpMasqMap.parse(0, "", "No entries found.\n").state()).isEqualTo(IpMasqMap.State.EMPTY);
        assertThat(IpMasqMap.parse(1, "", "error dumping contents of map: map cilium_ipmasq_v4 not found\n").state())
                .isEqualTo(IpMasqMap.State.MAP_ABSENT);
        assertThatThrownBy(() -> IpMasqMap.parse(1, "", "permission denied")).hasMessageContaining("exit 1")
                .hasMessageContaining("permission denied");
    }

    @Test
    void ipmasqListLinesThatAreNotItsOwn() {
        IpMasqMap m = IpMasqMap.parse("IP PREFIX/ADDRESS\n10.0.0.0/8   extra\nsomething else\n");
        assertThat(m.cidrs()).containsExactly("10.0.0.0/8");
        assertThat(m.problems()).extracting(InputProblem::line).containsExactly(2, 3);
        assertThatThrownBy(() -> IpMasqMap.parse("hello\nworld\n")).isInstanceOf(CiliumInputException.class)
                .hasMessageStartingWith("1: not `cilium bpf ipmasq list` output");
        IpMasqMap both = IpMasqMap.parse("10.0.0.0/8\nerror dumping contents of map: x\n");
        assertThat(both.state()).isEqualTo(IpMasqMap.State.ENTRIES);
        assertThat(both.problems()).extracting(InputProblem::message).anyMatch(s -> s.contains("both prefixes"));
    }

    @Test
    void natEntriesWithCreatedAgoAndABlankLine() {
        NatList n = NatList.parse(Golden.read("nat/created-sec-ago.txt"));
        assertThat(n.entries()).hasSize(5);
        assertThat(n.problems()).isEmpty();
        NatEntry first = n.entries().get(0);
        assertThat(first.protocol()).isEqualTo("TCP");
        assertThat(first.direction()).isEqualTo("OUT");
        assertThat(first.from()).isEqualTo("172.18.0.3:34178");
        assertThat(first.to()).isEqualTo("54.234.221.194:443");
        assertThat(first.xlateSrc()).isEqualTo("172.18.0.3:34178");
        assertThat(first.xlateDst()).isNull();
        assertThat(first.translatesSource()).isFalse();
        assertThat(n.entries().get(1).xlateDst()).isEqualTo("172.18.0.3:34178");
        assertThat(n.entries().get(1).xlateSrc()).isNull();
    }

    @Test
    void natIpv6AndNat46EntriesLoseTheirBrackets() {
        List<NatEntry> n = NatList.parse(Golden.read("nat/nat46-brackets-blank-line.txt")).entries();
        assertThat(n).hasSize(2);
        assertThat(n.get(0).from()).isEqualTo("64:ff9b::8c52:7104:80");
        assertThat(n.get(0).to()).isEqualTo("192.168.64.2:33388");
        assertThat(n.get(0).xlateDst()).isEqualTo("2001:db8:dead:beef::2:33388");
        assertThat(n.get(1).source()).isEqualTo("2001:db8:dead:beef::2");
        assertThat(n.get(1).xlateSrc()).isEqualTo("192.168.64.2:33388");
        assertThat(n.get(1).translatesSource()).isTrue();
    }

    @Test
    void natFilesOfInEntriesOnlyAndTheComposedFormat() {
        assertThat(NatList.parse(Golden.read("nat/composed-in-only.txt")).entries()).extracting(NatEntry::direction)
                .containsExactly("IN", "IN");
        List<NatEntry> e = NatEntry.parse(Golden.read("cilium-bpf-nat-list.txt"));
        assertThat(NatEntry.snatFor(e, "10.42.0.23", "198.20.0.10", 7000)).singleElement()
                .satisfies(x -> assertThat(x.translatedPort()).isEqualTo(41234));
        assertThat(e.get(2).protocol()).isEqualTo("ICMP");
        assertThat(NatEntry.snatFor(e, "10.42.0.99", "198.20.0.10", 7000)).isEmpty();
        assertThat(NatEntry.snatFor(e, "10.42.0.23", "198.20.0.11", 7000)).isEmpty();
        assertThat(NatEntry.snatFor(e, "10.42.0.23", "198.20.0.10", 7002)).isEmpty();
        assertThat(NatEntry.snatFor(e, "198.20.0.10", "172.28.0.11", 41234)).isEmpty();
    }

    @Test
    void natLinesThatAreNotEntries() {
        NatList n = NatList.parse("Unable to open cilium_snat_v6_external: no such file\n"
                + "TCP OUT 10.0.0.1:99999 -> 1.1.1.1:80 XLATE_SRC 2.2.2.2:1 Created=1sec\n"
                + "TCP SIDEWAYS 10.0.0.1:1 -> 1.1.1.1:80 XLATE_SRC 2.2.2.2:1\n");
        assertThat(n.entries()).isEmpty();
        assertThat(n.problems()).extracting(InputProblem::line).containsExactly(1, 2, 3);
        assertThat(n.problems().get(0).message()).contains("the tool reported");
        assertThatThrownBy(() -> NatList.parse("Masquerading: BPF\n")).isInstanceOf(CiliumInputException.class)
                .hasMessageStartingWith("1: not `cilium bpf nat list` output");
        assertThat(NatList.parse("").entries()).isEmpty();
        assertThat(NatList.endpoint("[::1]:80")).containsExactly("::1", "80");
        assertThat(NatList.endpoint("[x]:80")).isNull();
        assertThat(NatList.endpoint("10.0.0.1")).isNull();
        assertThat(NatList.endpoint(":80")).isNull();
        assertThat(NatList.endpoint("2001:db8::1:80")).isNull();
    }

    @Test
    void pastedDecorationsAreRemovedAndLineNumbersKept() {
        List<PastedLine> l = PastedLines.of("\uFEFFDefaulted container \"cilium-agent\" out of: cilium-agent, clean-cilium-state (init)\r\n"
                + "```\n\u001B[32m2023-06-07T10:29:42.4101234Z   a\u001B[0m\n\n`b`\n\u00A0c\u00A0\n```\n");
        assertThat(l).containsExactly(new PastedLine(3, "a"), new PastedLine(5, "b"), new PastedLine(6, "c"));
        assertThat(PastedLines.isPromptOrComment("$ cilium status")).isTrue();
        assertThat(PastedLines.isPromptOrComment("root@host:~# cilium-dbg bpf nat list")).isTrue();
        assertThat(PastedLines.isPromptOrComment("root@x:/root #kubectl exec -n kube-system c -- cilium bpf ipmasq list")).isTrue();
        assertThat(PastedLines.isPromptOrComment("0 0 MASQUERADE all -- * * 10.0.0.0/8 0.0.0.0/0 /* cilium masquerade */")).isFalse();
        assertThat(PastedLines.isPromptOrComment("TCP OUT 10.0.0.1:1 -> 1.1.1.1:80 XLATE_SRC 2.2.2.2:1")).isFalse();
    }
}
