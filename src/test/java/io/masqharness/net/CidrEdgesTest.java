package io.masqharness.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The edges of prefixes and addresses: first and last of each range, one past it, and ordering. */
class CidrEdgesTest {

    @Test
    void prefixLengthsZeroAndThirtyTwoAreValidAndOneBeyondIsNot() {
        assertThat(new Cidr(Ipv4.parse("0.0.0.0"), 0).size()).isEqualTo(1L << 32);
        assertThat(new Cidr(Ipv4.parse("10.1.2.3"), 32).size()).isEqualTo(1);
        assertThat(Cidr.parse("10.1.2.3/32").contains(Ipv4.parse("10.1.2.3"))).isTrue();
        assertThat(Cidr.parse("10.1.2.3/32").contains(Ipv4.parse("10.1.2.4"))).isFalse();
        assertThatThrownBy(() -> new Cidr(Ipv4.parse("10.0.0.0"), 33)).hasMessage("prefix length 33 is outside 0..32");
        assertThatThrownBy(() -> new Cidr(Ipv4.parse("10.0.0.0"), -1)).hasMessage("prefix length -1 is outside 0..32");
        assertThatThrownBy(() -> new Cidr(Ipv4.parse("10.0.0.1"), 24)).hasMessage("host bits set in 10.0.0.1/24");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("prefix length 33 > 32");
        assertThat(Cidr.parse("10.0.0.0/32")).hasToString("10.0.0.0/32");
    }

    @Test
    void sizeCountsEveryAddress() {
        assertThat(Cidr.parse("10.0.0.0/24").size()).isEqualTo(256);
        assertThat(Cidr.parse("10.0.0.0/31").size()).isEqualTo(2);
        assertThat(Cidr.parse("10.0.0.0/8").size()).isEqualTo(16_777_216);
    }

    @Test
    void addressesRunFromTheNetworkToTheLastOfThePrefix() {
        Cidr c = Cidr.parse("172.28.0.0/24");
        assertThat(c.address(0)).hasToString("172.28.0.0");
        assertThat(c.address(255)).hasToString("172.28.0.255");
        assertThatThrownBy(() -> c.address(256)).hasMessage("offset 256 is outside 172.28.0.0/24");
        assertThatThrownBy(() -> c.address(-1)).hasMessage("offset -1 is outside 172.28.0.0/24");
    }

    @Test
    void subnetsRunFromTheFirstToTheLastSubPrefix() {
        Cidr pods = Cidr.parse("10.42.0.0/16");
        assertThat(pods.subnet(16, 0)).isEqualTo(pods);
        assertThat(pods.subnet(24, 0)).isEqualTo(Cidr.parse("10.42.0.0/24"));
        assertThat(pods.subnet(24, 255)).isEqualTo(Cidr.parse("10.42.255.0/24"));
        assertThat(pods.subnet(32, 65_535)).isEqualTo(Cidr.parse("10.42.255.255/32"));
        assertThat(pods.subnet(20, 3)).isEqualTo(Cidr.parse("10.42.48.0/20"));
        assertThatThrownBy(() -> pods.subnet(24, 256)).hasMessage("10.42.0.0/16 has only 256 /24 prefixes");
        assertThatThrownBy(() -> pods.subnet(24, -1)).hasMessage("10.42.0.0/16 has only 256 /24 prefixes");
        assertThatThrownBy(() -> pods.subnet(15, 0)).hasMessage("/15 is not a sub-prefix of 10.42.0.0/16");
        assertThatThrownBy(() -> pods.subnet(33, 0)).hasMessage("/33 is not a sub-prefix of 10.42.0.0/16");
    }

    @Test
    void addressesOrderAsUnsignedNumbers() {
        List<Ipv4> ips = new ArrayList<>(List.of(Ipv4.parse("200.0.0.1"), Ipv4.parse("10.0.0.2"), Ipv4.parse("10.0.0.1"),
                Ipv4.parse("128.0.0.0")));
        Collections.sort(ips);
        assertThat(ips).extracting(Ipv4::toString).containsExactly("10.0.0.1", "10.0.0.2", "128.0.0.0", "200.0.0.1");
        assertThat(Ipv4.parse("10.0.0.1").compareTo(Ipv4.parse("10.0.0.1"))).isZero();
        assertThat(Ipv4.parse("255.255.255.255").compareTo(Ipv4.parse("0.0.0.0"))).isPositive();
        assertThat(Ipv4.parse("255.255.255.255").plus(0)).hasToString("255.255.255.255");
        assertThat(Ipv4.parse("10.0.0.255").plus(1)).hasToString("10.0.1.0");
    }

    @Test
    void aLeadingSlashOrColonIsNamedForWhatItIs() {
        assertThatThrownBy(() -> Cidr.parse("/8")).hasMessageStartingWith("'/8' is not a CIDR: ");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0")).hasMessage("'10.0.0.0' is not a CIDR (expected ADDRESS/PREFIX, e.g. 10.0.0.0/8)");
        assertThatThrownBy(() -> Ipv4.parse(":1")).hasMessage("':1' is an IPv6 address; an IPv4 address is required");
        assertThat(Ipv4.looksLikeIpv6(":1")).isTrue();
        assertThat(Ipv4.looksLikeIpv6("fd00::1")).isTrue();
        assertThat(Ipv4.looksLikeIpv6("10.0.0.1")).isFalse();
        assertThat(Ipv4.looksLikeIpv6(null)).isFalse();
    }
}
