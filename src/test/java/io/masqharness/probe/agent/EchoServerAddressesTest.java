package io.masqharness.probe.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The echo servers answer UDP on every IPv4 address and on the IPv6 addresses a probe can reach. */
class EchoServerAddressesTest {

    @Test
    void routableIpv6IsServedLinkLocalLoopbackAndMulticastAreNot() throws Exception {
        assertThat(EchoServer.servable(InetAddress.getByName("fd00:10:244::a"))).isTrue();
        assertThat(EchoServer.servable(InetAddress.getByName("10.44.0.10"))).isTrue();
        assertThat(EchoServer.servable(InetAddress.getByName("127.0.0.1"))).as("IPv4 as before: every address").isTrue();
        assertThat(EchoServer.servable(InetAddress.getByName("fe80::1"))).isFalse();
        assertThat(EchoServer.servable(InetAddress.getByName("::1"))).isFalse();
        assertThat(EchoServer.servable(InetAddress.getByName("ff02::1"))).isFalse();
    }
}
