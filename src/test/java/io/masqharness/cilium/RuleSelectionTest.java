package io.masqharness.cilium;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which rule is Cilium's: the chain, the comment and the target each have to match, and a look-alike does not count. */
class RuleSelectionTest {

    static final String LOOK_ALIKES = String.join("\n",
            "-A POSTROUTING -s 10.42.0.0/24 -m comment --comment \"cilium masquerade non-cluster\" -j MASQUERADE",
            "-A CILIUM_POST_nat -s 10.42.0.0/24 -m comment --comment \"something else\" -j MASQUERADE",
            "-A CILIUM_POST_nat -s 10.42.0.0/24 -m comment --comment \"cilium masquerade non-cluster\" -j ACCEPT",
            "-A CILIUM_POST_nat -s 10.42.9.0/24 -m set --match-set other_set dst -m comment --comment \"exclude traffic to cluster nodes from masquerade\" -j ACCEPT",
            "-A CILIUM_POST_nat -s 10.42.8.0/24 -m set --match-set cilium_node_set_v4 dst -m comment --comment \"other\" -j ACCEPT",
            "-A OUTPUT -m comment --comment \"exclude traffic to cluster nodes from masquerade\" -m set --match-set cilium_node_set_v4 dst -j ACCEPT",
            "-A POSTROUTING -m comment --comment \"cilium-feeder: CILIUM_POST_nat\" -j KUBE-POSTROUTING",
            "-A POSTROUTING -m comment --comment \"kubernetes postrouting rules\" -j CILIUM_POST_nat",
            "-A PREROUTING -m comment --comment \"cilium-feeder: CILIUM_POST_nat\" -j CILIUM_POST_nat",
            "-A CILIUM_PRE_nat -j SNAT --to-source 10.0.0.1",
            "-A CILIUM_POST_nat -j DNAT --to-destination 10.0.0.1");

    static final List<IptablesRule> RULES = IptablesSave.parse(LOOK_ALIKES);

    @Test
    void lookAlikesAreNotCiliumsRules() {
        assertThat(MasqueradeRules.masqueradeRule(RULES)).isEmpty();
        assertThat(MasqueradeRules.nodeSetRule(RULES)).isEmpty();
        assertThat(MasqueradeRules.hasFeeder(RULES)).isFalse();
    }

    @Test
    void theRealOnesAfterTheLookAlikes() {
        List<IptablesRule> rules = IptablesSave.parse(LOOK_ALIKES + "\n"
                + "-A CILIUM_POST_nat -s 10.42.0.0/24 -m set --match-set cilium_node_set_v4 dst -m comment --comment \"exclude traffic to cluster nodes from masquerade\" -j ACCEPT\n"
                + "-A CILIUM_POST_nat -s 10.42.0.0/24 ! -d 10.42.0.0/16 ! -o cilium_+ -m comment --comment \"cilium masquerade non-cluster\" -j MASQUERADE\n"
                + "-A POSTROUTING -m comment --comment \"cilium-feeder: CILIUM_POST_nat\" -j CILIUM_POST_nat\n");
        assertThat(MasqueradeRules.masqueradeRule(rules)).hasValueSatisfying(r -> assertThat(r.negatedOption("-d")).contains("10.42.0.0/16"));
        assertThat(MasqueradeRules.nodeSetRule(rules)).hasValueSatisfying(r -> assertThat(r.option("-s")).contains("10.42.0.0/24"));
        assertThat(MasqueradeRules.hasFeeder(rules)).isTrue();
    }

    @Test
    void onlyMasqueradeAndSnatInCiliumChainsAreReported() {
        assertThat(MasqueradeRules.inCiliumChains(RULES)).extracting(MasqueradeRule::chain, MasqueradeRule::target).containsExactly(
                org.assertj.core.groups.Tuple.tuple("CILIUM_POST_nat", "MASQUERADE"), org.assertj.core.groups.Tuple.tuple("CILIUM_PRE_nat", "SNAT"));
    }

    @Test
    void tokensOfSaveLinesAndTheirQuoting() {
        assertThat(IptablesSave.tokenize("-A X -m comment --comment \"a \\\"b\\\" c\" -j ACCEPT"))
                .containsExactly("-A", "X", "-m", "comment", "--comment", "a \"b\" c", "-j", "ACCEPT");
        assertThat(IptablesSave.tokenize("-A\tX  --comment \"\" -j A\\")).containsExactly("-A", "X", "--comment", "", "-j", "A\\");
        assertThat(IptablesSave.tokenize("--comment \"unterminated \\")).containsExactly("--comment", "unterminated \\");
    }

    @Test
    void listingRowsOfEveryColumnLayout() {
        IptablesCapture c = IptablesCapture.parse(String.join("\n",
                "Chain CILIUM_POST_nat (1 references)",
                "num  pkts bytes target     prot opt in     out     source               destination",
                "1      10   600 MASQUERADE  tcp  --  eth0   !cilium_+  10.42.0.0/24        !10.42.0.0/16   /* cilium masquerade non-cluster */ random-fully",
                "2       0     0            all  --  *      *       10.42.0.0/24         0.0.0.0/0",
                "3       0     0 SNAT       all  -f  !lo    cilium_host  127.0.0.1            0.0.0.0/0   to:10.42.0.96",
                "4       0     0 ACCEPT     all  --  *",
                "Chain CILIUM_PRE_nat (1 references)",
                "MASQUERADE  all  --  10.0.0.0/8   0.0.0.0/0"));
        List<IptablesRule> r = c.rules();
        assertThat(r.get(0).tokens()).containsExactly("-p", "tcp", "-s", "10.42.0.0/24", "!", "-d", "10.42.0.0/16", "-i", "eth0",
                "!", "-o", "cilium_+", "-m", "comment", "--comment", "cilium masquerade non-cluster", "random-fully", "-j", "MASQUERADE");
        assertThat(r.get(1).target()).isEmpty();
        assertThat(r.get(1).option("-s")).contains("10.42.0.0/24");
        assertThat(r.get(2).negatedOption("-i")).contains("lo");
        assertThat(r.get(2).option("-o")).contains("cilium_host");
        assertThat(r.get(2).option("--to-source")).contains("10.42.0.96");
        assertThat(r.get(3).chain()).isEqualTo("CILIUM_PRE_nat");
        assertThat(r.get(3).option("-s")).contains("10.0.0.0/8");
        assertThat(c.problems()).singleElement().satisfies(p -> assertThat(p.line()).isEqualTo(6));
        assertThat(ListingRow.isHeader("target prot opt source destination")).isTrue();
        assertThat(ListingRow.isHeader("target prot opt destination")).isFalse();
        assertThat(ListingRow.isHeader("prot opt source destination")).isFalse();
        assertThat(ListingRow.isHeader("target opt source destination")).isFalse();
    }

    @Test
    void saveLinesChainsAndTablesAsDeclared() {
        IptablesCapture c = IptablesCapture.parse("*\n*nat\n:CILIUM_POST_nat - [0:0]\n:\n-N KUBE-X\n-P POSTROUTING ACCEPT\n"
                + "-I CILIUM_POST_nat -j ACCEPT\n-I CILIUM_POST_nat 12x -j ACCEPT\nCOMMIT\n");
        assertThat(c.chains()).containsExactly("CILIUM_POST_nat", "KUBE-X", "POSTROUTING");
        assertThat(c.rules()).extracting(IptablesRule::table).containsOnly("nat");
        assertThat(c.rules().get(0).tokens()).containsExactly("-j", "ACCEPT");
        assertThat(c.rules().get(1).tokens()).containsExactly("12x", "-j", "ACCEPT");
        assertThat(c.problems()).singleElement().satisfies(p -> assertThat(p.line()).isEqualTo(1));
        assertThat(IptablesCapture.parse("-A X\n").rules()).singleElement().satisfies(r -> assertThat(r.tokens()).isEmpty());
    }
}
