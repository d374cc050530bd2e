package io.masqharness.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Canonical text as RFC 5952 section 4 writes it (its examples), and the inputs refused with why. */
class Ipv6Test {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2001:db8:0:0:0:0:2:1|2001:db8::2:1",
            "2001:0db8::0001|2001:db8::1",
            "2001:db8::0:1|2001:db8::1",
            "2001:db8:0:1:1:1:1:1|2001:db8:0:1:1:1:1:1",
            "2001:0:0:1:0:0:0:1|2001:0:0:1::1",
            "2001:db8:0:0:1:0:0:1|2001:db8::1:0:0:1",
            "2001:DB8::AAAA|2001:db8::aaaa",
            "0:0:0:0:0:0:0:0|::",
            "::1|::1",
            "fd00:10:244::|fd00:10:244::",
            "1:0:0:0:0:0:0:0|1::",
            "fd00:0:0:0:0:0:0:a|fd00::a",
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff|ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    })
    void printsTheCanonicalForm(String text, String canonical) {
        Ipv6 ip = Ipv6.parse(text);
        assertThat(ip).hasToString(canonical);
        assertThat(Ipv6.parse(canonical)).isEqualTo(ip);
        assertThat(ip.family()).isEqualTo(Family.IPV6);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "10.0.0.1|expected groups of hex digits",
            "fe80::1%eth0|no zone, brackets or embedded IPv4",
            "[fd00::1]|no zone, brackets or embedded IPv4",
            "::ffff:10.0.0.1|no zone, brackets or embedded IPv4",
            "fd00::1::2|'::' appears more than once",
            "1:2:3:4:5:6:7|7 groups; expected 8",
            "1:2:3:4:5:6:7:8:9|9 groups; expected 8",
            "1:2:3:4::5:6:7:8|8 groups; expected 8, or fewer with one '::'",
            "fd00::12345|group '12345'",
            "fd00::g|group 'g'",
            "fd00:::1|'::' appears more than once",
            ":1:2:3:4:5:6:7|group ''",
    })
    void refusesWithAReason(String text, String message) {
        assertThatThrownBy(() -> Ipv6.parse(text)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void nullIsRefused() {
        assertThatThrownBy(() -> Ipv6.parse(null)).hasMessage("an IPv6 address is required");
    }

    @Test
    void addsAcrossTheHalvesAndOrdersUnsigned() {
        assertThat(Ipv6.parse("fd00::ffff:ffff:ffff:ffff").plus(1)).hasToString("fd00:0:0:1::");
        assertThat(Ipv6.parse("fd00::").plus(10)).hasToString("fd00::a");
        assertThat(Ipv6.parse("fd00::1").compareTo(Ipv6.parse("fd00::2"))).isNegative();
        assertThat(Ipv6.parse("ffff::").compareTo(Ipv6.parse("1::"))).isPositive();
        assertThat(Ipv6.parse("1::ffff").compareTo(Ipv6.parse("1::1"))).isPositive();
        assertThat(Ipv6.parse("1::").compareTo(Ipv6.parse("1::"))).isZero();
    }

    @Test
    void eitherFamilyParsesByItsText() {
        assertThat(IpAddress.parse("fd00::1")).isEqualTo(Ipv6.parse("fd00::1"));
        assertThat(IpAddress.parse("10.0.0.1")).isEqualTo(Ipv4.parse("10.0.0.1"));
        assertThat(IpAddress.parse("10.0.0.1").family()).isEqualTo(Family.IPV4);
        assertThat(Family.fromLabel(" IPv6 ")).isEqualTo(Family.IPV6);
        assertThat(Family.IPV4.label()).isEqualTo("ipv4");
        assertThatThrownBy(() -> Family.fromLabel("inet6")).hasMessage("unknown address family 'inet6' (expected ipv4 or ipv6)");
        assertThatThrownBy(() -> Family.fromLabel(null)).hasMessageContaining("expected ipv4 or ipv6");
    }
}
