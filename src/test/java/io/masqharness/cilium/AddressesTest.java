package io.masqharness.cilium;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shapes a token must have to be read as an address, a prefix or a port. */
class AddressesTest {

    @ParameterizedTest
    @CsvSource({"1.2.3.4,true", "255.255.255.255,true", "123.1.1.1,true", "1234.1.1.1,false", "1.2.3,false", "1.2.3.4.5,false",
            "1..2.3,false", ".1.2.3,false", "1.2.3.,false", "1.2.3.a,false", "'',false"})
    void ipv4(String s, boolean shape) {
        assertThat(Addresses.isIpv4(s)).isEqualTo(shape);
    }

    @ParameterizedTest
    @CsvSource({"fe80::1,true", "::,true", "64:ff9b::192.0.2.1,true", "'',false", "1234,false", "g::1,false",
            "fd00:0000:0000:0000:0000:0000:0000:0000:0001,true", "fd00:0000:0000:0000:0000:0000:0000:0000:000001,false", "\u0661::1,false"})
    void ipv6(String s, boolean shape) {
        assertThat(Addresses.isIpv6(s)).isEqualTo(shape);
    }

    @ParameterizedTest
    @CsvSource({"10.0.0.0/8,true", "10.0.0.0/32,true", "::/0,true", "fd00::/128,true", "10.0.0.0/,false", "/8,false",
            "10.0.0.0/8x,false", "10.0.0.0/1280,false", "10.0.0.0,false", "eth0/1,false", "10.0.0/8,false"})
    void cidr(String s, boolean shape) {
        assertThat(Addresses.isCidr(s)).isEqualTo(shape);
    }

    @ParameterizedTest
    @CsvSource({"0,true", "65535,true", "65536,false", "'',false", "123456,false", "1a,false", "99999,false"})
    void port(String s, boolean shape) {
        assertThat(Addresses.isPort(s)).isEqualTo(shape);
    }
}
