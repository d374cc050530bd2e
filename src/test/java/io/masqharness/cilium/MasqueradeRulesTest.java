package io.masqharness.cilium;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MasqueradeRulesTest {

    static List<IptablesRule> golden(String name) throws IOException {
        return IptablesSave.parse(Files.readString(Path.of("src/test/resources/golden", name)));
    }

    @Test
    void iptablesModeHasTheMasqueradeRuleWithItsCidrs() throws IOException {
        List<IptablesRule> rules = golden("iptables-save-nat-iptables-mode.txt");
        assertThat(MasqueradeRules.hasFeeder(rules)).isTrue();
        IptablesRule masq = MasqueradeRules.masqueradeRule(rules).orElseThrow();
        assertThat(masq.option("-s")).contains("10.42.0.0/24");
        assertThat(masq.negatedOption("-d")).contains("10.42.0.0/16");
        assertThat(masq.negatedOption("-o")).contains("cilium_+");
        assertThat(masq.option("-d")).isEmpty();
        assertThat(MasqueradeRules.nodeSetRule(rules)).hasValueSatisfying(r ->
                assertThat(r.option("-s")).contains("10.42.0.0/24"));
    }

    @Test
    void bpfModeKeepsTheChainButNotTheRules() throws IOException {
        List<IptablesRule> rules = golden("iptables-save-nat-bpf-mode.txt");
        assertThat(MasqueradeRules.hasFeeder(rules)).isTrue();
        assertThat(MasqueradeRules.masqueradeRule(rules)).isEmpty();
        assertThat(MasqueradeRules.nodeSetRule(rules)).isEmpty();
    }

    @Test
    void tokenizerKeepsQuotedCommentsWhole() {
        assertThat(IptablesSave.tokenize("-A X -m comment --comment \"a \\\"b\\\" c\" -j ACCEPT"))
                .containsExactly("-A", "X", "-m", "comment", "--comment", "a \"b\" c", "-j", "ACCEPT");
    }
}
