package io.masqharness.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CidrTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "10.42.1.0/16|has host bits set (did you mean 10.42.0.0/16?)",
            "10.0.0.0/33|prefix length 33 > 32",
            "10.0.0.0|not a CIDR (expected ADDRESS/PREFIX",
            "fd00::/64|IPv6 CIDR; an IPv4 CIDR is required",
            "010.0.0.0/8|octet '010'",
            "10.0.0/8|expected four octets",
            "256.0.0.0/8|octet 256 > 255",
            "10.0.0.0/-1|prefix length '-1'",
    })
    void rejectsWithAReason(String text, String message) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void containsOverlapsAndSubnets() {
        Cidr pods = Cidr.parse("10.42.0.0/16");
        assertThat(pods.contains(Ipv4.parse("10.42.255.1"))).isTrue();
        assertThat(pods.contains(Ipv4.parse("10.43.0.1"))).isFalse();
        assertThat(pods.subnet(24, 1)).isEqualTo(Cidr.parse("10.42.1.0/24"));
        assertThat(pods.overlaps(Cidr.parse("10.0.0.0/8"))).isTrue();
        assertThat(pods.overlaps(Cidr.parse("10.43.0.0/16"))).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(Ipv4.parse("255.255.255.255"))).isTrue();
        assertThat(Cidr.parse("172.28.0.0/24").address(11)).hasToString("172.28.0.11");
    }
}
