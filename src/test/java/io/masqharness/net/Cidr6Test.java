package io.masqharness.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Cidr6Test {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "fd00:10:244:1::/56|has host bits set (did you mean fd00:10:244::/56?)",
            "fd00::1/64|has host bits set (did you mean fd00::/64?)",
            "fd00::1/127|has host bits set (did you mean fd00::/127?)",
            "fd00::/129|prefix length 129 > 128",
            "fd00::|not a CIDR (expected ADDRESS/PREFIX",
            "10.0.0.0/8|an IPv4 CIDR; an IPv6 CIDR is required",
            "fd00::g/64|group 'g'",
            "fd00::/|prefix length '' is not 0..128",
            "fd00::/1000|prefix length '1000' is not 0..128",
            "fd00::/-1|prefix length '-1'",
    })
    void refusesWithAReason(String text, String message) {
        assertThatThrownBy(() -> Cidr6.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void constructorChecksTheSameAsTheParser() {
        assertThatThrownBy(() -> new Cidr6(Ipv6.parse("fd00::"), 129)).hasMessage("prefix length 129 is outside 0..128");
        assertThatThrownBy(() -> new Cidr6(Ipv6.parse("fd00::"), -1)).hasMessage("prefix length -1 is outside 0..128");
        assertThatThrownBy(() -> new Cidr6(Ipv6.parse("fd00::1"), 64)).hasMessage("host bits set in fd00::1/64");
        assertThatThrownBy(() -> new Cidr6(Ipv6.parse("fd00:0:0:1::"), 48)).hasMessage("host bits set in fd00:0:0:1::/48");
        assertThatThrownBy(() -> Cidr6.parse(null)).hasMessage("an IPv6 CIDR is required");
        assertThat(new Cidr6(Ipv6.parse("fd00::1"), 128)).hasToString("fd00::1/128");
        assertThat(new Cidr6(Ipv6.parse("::"), 0)).hasToString("::/0");
    }

    @Test
    void containsAtTheEdgesOfEachHalf() {
        Cidr6 pods = Cidr6.parse("fd00:10:244::/56");
        assertThat(pods.contains(Ipv6.parse("fd00:10:244:ff:ffff:ffff:ffff:ffff"))).isTrue();
        assertThat(pods.contains(Ipv6.parse("fd00:10:244:100::"))).isFalse();
        assertThat(pods.contains(Ipv6.parse("fd00:10:243:ff::1"))).isFalse();
        Cidr6 host = Cidr6.parse("fd00::10/127");
        assertThat(host.contains(Ipv6.parse("fd00::11"))).isTrue();
        assertThat(host.contains(Ipv6.parse("fd00::12"))).isFalse();
        assertThat(host.contains(Ipv6.parse("fd01::10"))).isFalse();
        assertThat(Cidr6.parse("::/0").contains(Ipv6.parse("ffff::1"))).isTrue();
        assertThat(Cidr6.parse("fd00::1/128").contains(Ipv6.parse("fd00::1"))).isTrue();
    }

    @Test
    void overlapsWhenOneHoldsTheOther() {
        Cidr6 cluster = Cidr6.parse("fd00:10:244::/56");
        assertThat(cluster.overlaps(Cidr6.parse("fd00:10:244:1::/64"))).isTrue();
        assertThat(Cidr6.parse("fd00:10:244:1::/64").overlaps(cluster)).isTrue();
        assertThat(cluster.overlaps(Cidr6.parse("fd00:10:245::/64"))).isFalse();
        assertThat(Cidr6.parse("fd00::10/127").overlaps(Cidr6.parse("fd00::12/127"))).isFalse();
        assertThat(Cidr6.parse("fd00::10/127").overlaps(Cidr6.parse("fd00::11/128"))).isTrue();
    }

    @Test
    void subnetsAndAddressesAsK3sHandsThemOut() {
        Cidr6 cluster = Cidr6.parse("fd00:10:244::/56");
        assertThat(cluster.subnet(64, 0)).hasToString("fd00:10:244::/64");
        assertThat(cluster.subnet(64, 1)).hasToString("fd00:10:244:1::/64");
        assertThat(cluster.subnet(64, 255)).hasToString("fd00:10:244:ff::/64");
        assertThat(cluster.subnet(56, 0)).isEqualTo(cluster);
        assertThat(Cidr6.parse("fd00::/64").subnet(120, 2)).hasToString("fd00::200/120");
        assertThat(Cidr6.parse("fd00::/64").subnet(65, 1)).hasToString("fd00::8000:0:0:0/65");
        assertThat(Cidr6.parse("fd00::/64").subnet(128, 7)).hasToString("fd00::7/128");
        assertThat(Cidr6.parse("fd00::/32").subnet(64, 65536)).hasToString("fd00:0:1::/64");
        assertThatThrownBy(() -> cluster.subnet(64, 256)).hasMessage("fd00:10:244::/56 has only 256 /64 prefixes");
        assertThatThrownBy(() -> cluster.subnet(64, -1)).hasMessageContaining("has only");
        assertThatThrownBy(() -> cluster.subnet(48, 0)).hasMessage("/48 is not a sub-prefix of fd00:10:244::/56");
        assertThatThrownBy(() -> cluster.subnet(129, 0)).hasMessage("/129 is not a sub-prefix of fd00:10:244::/56");
        assertThat(Cidr6.parse("fd00:172:29::/64").address(11)).hasToString("fd00:172:29::b");
        assertThat(Cidr6.parse("fd00::/120").address(255)).hasToString("fd00::ff");
        assertThatThrownBy(() -> Cidr6.parse("fd00::/120").address(256)).hasMessage("offset 256 is outside fd00::/120");
        assertThatThrownBy(() -> Cidr6.parse("fd00::/64").address(-1)).hasMessage("offset -1 is outside fd00::/64");
        assertThat(Cidr6.parse("fd00::/65").address(Long.MAX_VALUE)).hasToString("fd00::7fff:ffff:ffff:ffff");
    }
}
