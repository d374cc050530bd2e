package io.masqharness.probe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** tcpdump's ICMPv6 echo lines and Java's IPv6 peer text, read as the oracle prints addresses. */
class IcmpEchoAndPeersTest {

    /** As tcpdump 4.99 (Debian bookworm) printed them in a lab container for {@code ping -s 100}. */
    static final String CAPTURE = """
            19:01:47.188497 IP6 fd42::a > fd42::b: ICMP6, echo request, id 50746, seq 1, length 108
            19:01:47.188514 IP6 fd42::b > fd42::a: ICMP6, echo reply, id 50746, seq 1, length 108
            19:01:47.190001 IP 10.44.0.10 > 198.20.0.10: ICMP echo request, id 7, seq 1, length 108
            19:01:47.190100 IP6 fe80::1 > ff02::1:ff00:b: ICMP6, neighbor solicitation, who has fd42::b, length 32
            """;

    @Test
    void ipv6AndIpv4EchoesAreReadAndNeighbourDiscoveryIsNot() {
        var echoes = IcmpEcho.parse(CAPTURE);
        assertThat(echoes).extracting(IcmpEcho::source).containsExactly("fd42::a", "fd42::b", "10.44.0.10");
        assertThat(echoes.get(0)).satisfies(e -> {
            assertThat(e.destination()).isEqualTo("fd42::b");
            assertThat(e.request()).isTrue();
            assertThat(e.id()).isEqualTo(50746);
            assertThat(e.length()).isEqualTo(108);
        });
        assertThat(echoes.get(1).request()).isFalse();
    }

    @Test
    void javasUncompressedIpv6PeerIsPrintedInRfc5952FormAndOtherTextIsKept() {
        assertThat(Probes.canonical("fd00:10:244:1:0:0:0:a")).isEqualTo("fd00:10:244:1::a");
        assertThat(Probes.canonical("10.44.0.10")).isEqualTo("10.44.0.10");
        assertThat(Probes.canonical("fe80:0:0:0:0:0:0:1%eth0")).isEqualTo("fe80:0:0:0:0:0:0:1%eth0");
    }
}
