package io.masqharness.cilium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The dump forms people capture, each read into the same rules (golden/README.md names the sources). */
class IptablesCapturesTest {

    static List<MasqueradeRule> rules(String file) {
        return MasqueradeRules.inCiliumChains(IptablesCapture.parse(Golden.read(file)).rules());
    }

    @Test
    void listingWithLineNumbersCountersAndDockersRule() {
        IptablesCapture c = IptablesCapture.parse(Golden.read("iptables/issue-15234-list-line-numbers.txt"));
        assertThat(MasqueradeRules.inCiliumChains(c.rules())).containsExactly(new MasqueradeRule("CILIUM_POST_nat",
                "172.29.3.0/24", "172.29.3.0/24", "!cilium_+", "MASQUERADE", "cilium masquerade non-cluster"));
        assertThat(MasqueradeRules.hasFeeder(c.rules())).isTrue();
        assertThat(c.rules()).filteredOn(r -> r.chain().equals("POSTROUTING")).extracting(r -> r.target().orElse(""))
                .containsExactly("CILIUM_POST_nat", "KUBE-POSTROUTING", "MASQUERADE");
        assertThat(c.problems()).extracting(InputProblem::line).containsExactly(2, 13);
        assertThat(c.chains()).containsExactly("POSTROUTING", "CILIUM_POST_nat");
    }

    @Test
    void listingVerboseWithMatchSetAndNotesAfterRows() {
        IptablesCapture c = IptablesCapture.parse(Golden.read("iptables/gardener-229-list-verbose-annotated.txt"));
        assertThat(MasqueradeRules.inCiliumChains(c.rules())).containsExactly(
                new MasqueradeRule("CILIUM_POST_nat", "100.80.0.0/12", null, "!cilium_+", "MASQUERADE", "cilium masquerade non-cluster"),
                new MasqueradeRule("CILIUM_POST_nat", "100.80.0.0/24", "0.0.0.0/0", "!cilium_+", "MASQUERADE", "cilium masquerade non-cluster"));
        assertThat(MasqueradeRules.nodeSetRule(c.rules())).hasValueSatisfying(r -> assertThat(r.option("-s")).contains("100.80.0.0/24"));
        assertThat(c.rules().get(0).option("-d")).contains("10.181.0.2");
    }

    @Test
    void listingWithoutNumericAddressesAndCutShort() {
        IptablesCapture c = IptablesCapture.parse(Golden.read("iptables/constellation-2723-vL-names.txt"));
        assertThat(c.rules()).singleElement().satisfies(r -> {
            assertThat(r.chain()).isEqualTo("PREROUTING");
            assertThat(r.target()).contains("CILIUM_PRE_nat");
            assertThat(r.option("-s")).isEmpty();
            assertThat(r.option("-i")).isEmpty();
        });
        assertThat(c.problems()).singleElement().satisfies(p -> assertThat(p.line()).isEqualTo(11));
    }

    @Test
    void ruleListsAsNumberedItemsInlineCodeAndCommentedOut() {
        assertThat(rules("iptables/pr-14913-S-numbered.txt")).extracting(MasqueradeRule::target)
                .containsExactly("MASQUERADE", "SNAT", "SNAT");
        assertThat(rules("iptables/pr-14913-S-numbered.txt").get(1).source()).isEqualTo("!10.0.1.6/32");
        assertThat(rules("iptables/issue-10939-inline-code.txt")).containsExactly(new MasqueradeRule("CILIUM_POST_nat",
                "172.28.0.0/24", "172.0.0.0/8", "!cilium_+", "MASQUERADE", "cilium masquerade non-cluster"));
        IptablesCapture zh = IptablesCapture.parse(Golden.read("iptables/zh-blog-S-commented-out.txt"));
        assertThat(MasqueradeRules.masqueradeRule(zh.rules())).hasValueSatisfying(r ->
                assertThat(r.negatedOption("-d")).contains("10.216.136.0/21"));
        assertThat(zh.chains()).contains("POSTROUTING", "CILIUM_POST_nat");
        assertThat(zh.rules()).filteredOn(r -> r.chain().equals("POSTROUTING")).hasSize(3);
    }

    @Test
    void onlyCiliumChainsCountAndOldChainsAreNotCilium() {
        assertThat(rules("iptables/old-chain-protocol-zero.txt")).isEmpty();
        IptablesCapture old = IptablesCapture.parse(Golden.read("iptables/old-chain-protocol-zero.txt"));
        assertThat(old.rules().get(0).option("-p")).isEmpty();
        IptablesCapture cni = IptablesCapture.parse(Golden.read("iptables/ip-masq-agent-35-quotes-in-comments.txt"));
        assertThat(MasqueradeRules.inCiliumChains(cni.rules())).isEmpty();
        assertThat(cni.rules().get(1).comment()).contains("name: \"cbr0\" id: \"8f8c0a517344e3ebf1e09399dda1d552b90a9474dcd5e30a4f598590e9c12ed5\"");
    }

    @Test
    void eniRuleWithoutSourceAndEscapedQuotes() {
        IptablesCapture c = IptablesCapture.parse(Golden.read("iptables/composed-eni-egress-interfaces.txt"));
        assertThat(MasqueradeRules.inCiliumChains(c.rules())).containsExactly(new MasqueradeRule("CILIUM_POST_nat", null,
                "10.0.0.0/16", "eth+", "MASQUERADE", "cilium masquerade non-cluster"));
        assertThat(c.rules()).anySatisfy(r -> assertThat(r.comment()).contains("CNI portfwd \"masquerade\" mark"));
        assertThat(c.rules().get(0).table()).isEqualTo("nat");
    }

    @Test
    void formsThatCannotBeRead() {
        assertThatThrownBy(() -> IptablesCapture.parse(Golden.read("iptables/issue-14859-row-without-chain.txt")))
                .isInstanceOf(CiliumInputException.class).hasMessageStartingWith("1: not an iptables dump");
        assertThatThrownBy(() -> IptablesCapture.parse("table ip nat {\n  chain CILIUM_POST_nat {\n  }\n}\n"))
                .hasMessageContaining("nft list ruleset");
        IptablesCapture counters = IptablesCapture.parse("*nat\n[12:720] -A CILIUM_POST_nat -s 10.0.0.0/24 -j MASQUERADE\n-A\n");
        assertThat(counters.rules()).singleElement().satisfies(r -> assertThat(r.option("-s")).contains("10.0.0.0/24"));
        assertThat(counters.problems()).singleElement().satisfies(p -> assertThat(p.line()).isEqualTo(3));
        assertThat(IptablesCapture.parse("-I CILIUM_POST_nat 1 -j ACCEPT\n").rules().get(0).tokens()).containsExactly("-j", "ACCEPT");
    }

    @Test
    void composedModeDumpsStillDriveTheRuleHelpers() {
        List<IptablesRule> iptables = IptablesSave.parse(Golden.read("iptables-save-nat-iptables-mode.txt"));
        assertThat(MasqueradeRules.masqueradeRule(iptables)).hasValueSatisfying(r -> {
            assertThat(r.option("-s")).contains("10.42.0.0/24");
            assertThat(r.negatedOption("-o")).contains("cilium_+");
        });
        assertThat(MasqueradeRules.masqueradeRule(IptablesSave.parse(Golden.read("iptables-save-nat-bpf-mode.txt")))).isEmpty();
    }
}
