package io.masqharness.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cilium.upgradeTo: the scenario at the target release, values in its spelling (1.14 notes, chart 1.15.8 validate.yaml). */
class ScenarioUpgradeTest {

    @Test
    void theModesAfterTheUpgradeCarryTheTargetsSpellingAndTheirOwnNames(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, """
                name: u
                cilium:
                  version: 1.13.4
                  upgradeTo: "1.16"
                  values: {tunnel: disabled, ipv4NativeRoutingCIDR: 10.42.0.0/16, kubeProxyReplacement: strict}
                modes: [{name: bpf, values: {bpf.masquerade: true, remoteNodeIdentity: true}}]
                destinations: [{name: public, ip: 198.20.0.10}]
                expect: [{mode: bpf, from: pod, to: public, protocol: tcp, source: node-ip}]
                """);
        Scenario s = new ScenarioLoader().load(f);
        ScenarioUpgrade u = ScenarioUpgrade.of(s).orElseThrow();
        assertThat(u.from().text()).isEqualTo("1.13.4");
        assertThat(u.to().full()).isEqualTo("1.16.19");
        assertThat(u.after().cilium().version()).isEqualTo("1.16");
        assertThat(u.after().cilium().values()).containsEntry("routingMode", "native").containsEntry("kubeProxyReplacement", "true")
                .doesNotContainKey("tunnel");
        assertThat(u.after().modes()).singleElement().satisfies(m -> {
            assertThat(m.name()).isEqualTo("bpf@1.16");
            assertThat(m.values()).containsEntry("bpf.masquerade", true).doesNotContainKey("remoteNodeIdentity");
        });
        assertThat(u.changes()).contains("mode bpf: remoteNodeIdentity: true removed (always on from 1.16)");
        assertThat(u.after().expect()).as("explicit expectations stay with the starting release's modes").isEmpty();
        assertThat(ScenarioFacts.agentConfig(u.after(), u.after().modes().get(0)).version().full()).isEqualTo("1.16.19");
    }

    @Test
    void aScenarioWithoutUpgradeToHasNoUpgradeAndAnOlderTargetIsRefused(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, "name: u\nmodes: [{name: a, values: {}}]\ndestinations: [{name: public, ip: 198.20.0.10}]\n");
        assertThat(ScenarioUpgrade.of(new ScenarioLoader().load(f))).isEmpty();
        Files.writeString(f, "name: u\ncilium: {version: 1.15.2, upgradeTo: 1.14.9}\nmodes: [{name: a, values: {}}]\n"
                + "destinations: [{name: public, ip: 198.20.0.10}]\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ScenarioLoader().load(f)).hasMessageContaining(
                "cilium.upgradeTo: found \"1.14.9\", expected a Cilium version newer than cilium.version 1.15.2");
    }
}
