package io.masqharness.cilium;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AgentVersionTest {

    @Test
    void theCiliumLineOfPublishedStatusCapturesGivesTheRelease() throws IOException {
        assertThat(AgentVersion.of(Files.readString(Path.of("src/test/resources/golden/cilium-status-bpf.txt")))).contains("1.13.4");
        assertThat(AgentVersion.of(Files.readString(Path.of("src/test/resources/golden/status/v1.14.5-wireguard-bracketed-lines.txt"))))
                .contains("1.14.5");
    }

    @Test
    void aCaptureWithoutTheLineOrWithAnUnhealthyAgentSaysNothingOrItsVersion() {
        assertThat(AgentVersion.of("Masquerading:   IPTables [IPv4: Enabled, IPv6: Disabled]")).isEmpty();
        assertThat(AgentVersion.of("Cilium:   Warning   1.16.3 (v1.16.3-f2217191)")).contains("1.16.3");
        assertThat(AgentVersion.of("Cilium health daemon:    Ok")).isEmpty();
    }
}
