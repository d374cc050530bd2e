package io.masqharness.cilium;

import java.util.List;
import java.util.Optional;

/**
 * What Cilium 1.13's iptables masquerading installs in the nat table
 * (pkg/datapath/iptables/iptables.go), read back from a dump of the nat table ({@link IptablesCapture}).
 */
public final class MasqueradeRules {

    public static final String CHAIN = "CILIUM_POST_nat";
    public static final String FEEDER_COMMENT = "cilium-feeder: CILIUM_POST_nat";
    public static final String MASQUERADE_COMMENT = "cilium masquerade non-cluster";
    public static final String NODE_SET_COMMENT = "exclude traffic to cluster nodes from masquerade";
    public static final String NODE_SET = "cilium_node_set_v4";

    private MasqueradeRules() {
    }

    /** The {@code cilium masquerade non-cluster} MASQUERADE rule, if present. */
    public static Optional<IptablesRule> masqueradeRule(List<IptablesRule> rules) {
        return rules.stream().filter(r -> r.chain().equals(CHAIN))
                .filter(r -> r.comment().filter(MASQUERADE_COMMENT::equals).isPresent())
                .filter(r -> r.target().filter("MASQUERADE"::equals).isPresent())
                .findFirst();
    }

    /** The native-routing rule that accepts traffic to node IPs through the {@code cilium_node_set_v4} ipset. */
    public static Optional<IptablesRule> nodeSetRule(List<IptablesRule> rules) {
        return rules.stream().filter(r -> r.chain().equals(CHAIN))
                .filter(r -> r.comment().filter(NODE_SET_COMMENT::equals).isPresent())
                .filter(r -> r.tokens().contains(NODE_SET))
                .findFirst();
    }

    /** Every MASQUERADE or SNAT rule in a chain whose name starts with {@code CILIUM_}, in dump order. */
    public static List<MasqueradeRule> inCiliumChains(List<IptablesRule> rules) {
        return rules.stream().filter(r -> r.chain().startsWith("CILIUM_"))
                .filter(r -> r.target().filter(t -> t.equals("MASQUERADE") || t.equals("SNAT")).isPresent())
                .map(MasqueradeRule::of).toList();
    }

    public static boolean hasFeeder(List<IptablesRule> rules) {
        return rules.stream().anyMatch(r -> r.chain().equals("POSTROUTING")
                && r.comment().filter(FEEDER_COMMENT::equals).isPresent()
                && r.target().filter(CHAIN::equals).isPresent());
    }
}
