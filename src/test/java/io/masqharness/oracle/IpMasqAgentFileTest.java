package io.masqharness.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import io.masqharness.net.Cidr;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpMasqAgentFileTest {

    @Test
    void missingFileGetsTheElevenDefaultsPlusLinkLocal() {
        List<Cidr> cidrs = new IpMasqAgentFile.Absent().effectiveCidrs();
        assertThat(cidrs).hasSize(12).contains(Cidr.parse("240.0.0.0/4"), Cidr.parse("169.254.0.0/16"));
        assertThat(new IpMasqAgentFile.Empty().effectiveCidrs()).isEqualTo(cidrs);
    }

    @Test
    void masqLinkLocalDropsOnlyTheLinkLocalEntry() {
        var file = new IpMasqAgentFile.Present(List.of(Cidr.parse("10.0.0.0/8")), true);
        assertThat(file.effectiveCidrs()).containsExactly(Cidr.parse("10.0.0.0/8"));
    }

    @Test
    void linkLocalIsNotListedTwice() {
        var file = new IpMasqAgentFile.Present(List.of(Cidr.parse("169.254.0.0/16")), false);
        assertThat(file.effectiveCidrs()).containsExactly(Cidr.parse("169.254.0.0/16"));
        assertThat(file.origin(Cidr.parse("169.254.0.0/16"))).contains("nonMasqueradeCIDRs in the config");
    }
}
