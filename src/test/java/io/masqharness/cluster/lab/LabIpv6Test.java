package io.masqharness.cluster.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.masqharness.net.Cidr6;
import io.masqharness.net.Ipv6;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lab's IPv6 plan keeps to unique local addresses: a probe must not be routable off the machine. */
class LabIpv6Test {

    static final Cidr6 NET = Cidr6.parse("fd00:172:29::/64");

    static LabIpv6 plan(Ipv6 destination) {
        return new LabIpv6(NET, List.of(Ipv6.parse("fd00:172:29::11"), Ipv6.parse("fd00:172:29::12")),
                List.of(Cidr6.parse("fd00:10:244::/64"), Cidr6.parse("fd00:10:244:1::/64")), Ipv6.parse("fd00:172:29::100"),
                List.of(destination));
    }

    @Test
    void podsTakeTheDigitsOfTheirIpv4OffsetsAndTheBridgeTheFirst() {
        LabIpv6 v6 = plan(Ipv6.parse("fd00:198:20::10"));
        assertThat(v6.podAddress(1, 0)).hasToString("fd00:10:244:1::10");
        assertThat(v6.podAddress(0, 1)).hasToString("fd00:10:244::11");
        assertThat(v6.gateway(1)).hasToString("fd00:10:244:1::1");
    }

    @Test
    void anAddressOutsideFd00SlashEightIsRefusedWithWhatAndWhy() {
        assertThatThrownBy(() -> plan(Ipv6.parse("2001:db9::10"))).hasMessageContaining("unique local addresses only (fd00::/8")
                .hasMessageContaining("destination 2001:db9::10");
        assertThat(plan(Ipv6.parse("2001:db8:20::10")).destinations()).as("a destination in the documentation prefix (RFC 3849)")
                .containsExactly(Ipv6.parse("2001:db8:20::10"));
        assertThatThrownBy(() -> new LabIpv6(NET, List.of(Ipv6.parse("2001:db8::11")), List.of(Cidr6.parse("fd00:10:244::/64")),
                Ipv6.parse("fd00:172:29::100"), List.of())).as("the lab's own addresses stay unique local").hasMessageContaining("node 2001:db8::11");
        assertThatThrownBy(() -> new LabIpv6(Cidr6.parse("fc00::/7"), List.of(), List.of(), Ipv6.parse("fd00::1"), List.of()))
                .hasMessageContaining("network fc00::/7");
    }

    @Test
    void theExternalHostAndNodesMustSitOnTheIpv6NodeNetwork() {
        assertThatThrownBy(() -> new LabIpv6(NET, List.of(Ipv6.parse("fd00:1::11")), List.of(Cidr6.parse("fd00:10:244::/64")),
                Ipv6.parse("fd00:172:29::100"), List.of())).hasMessageContaining("fd00:1::11 is not on the IPv6 node network");
    }
}
