package io.masqharness.oracle;

/**
 * Several {@code egressMasqueradeInterfaces} in iptables mode on 1.15 and 1.16 (facts I4): the agent
 * joins the list into one {@code -o eth0,eth1} argument, which iptables reads as one literal interface
 * name, so neither the node-set ACCEPT nor the "cilium masquerade non-cluster" MASQUERADE matches
 * any packet. PR #36103 (merged for 1.17) installs one rule per interface; it fixes the catch-all
 * rule only, the route-source rules ({@code enableMasqueradeRouteSource}) compare each entry with the
 * route's device and were not affected (PR #36103's title, PR #36267's discussion).
 */
final class EgressInterfaceRules {

    static final String RULE = "with several egressMasqueradeInterfaces (and enableMasqueradeRouteSource off) the iptables"
            + " rules get one '-o eth0,eth1' that iptables reads as a single literal interface name: nothing is"
            + " masqueraded, pod traffic leaves with the pod IP";

    static final String SOURCE = "pkg/datapath/iptables/iptables.go installMasqueradeRules, 1.16-era revision (reconciler"
            + " desiredState, sharedCfg): '-o', strings.Join(MasqueradeInterfaces, \",\") in both the node-set ACCEPT and"
            + " the MASQUERADE rule; fix PR #36103 ('Fix specifying multiple interfaces for egress masquerade with"
            + " enable-masquerade-to-route-source=false', 1.17); PR #36267's discussion ('eth1 eth2 eth3' read as one"
            + " interface by 1.16.4)";

    private EgressInterfaceRules() {
    }

    /** The rule of that release, if it has the joined-list bug. */
    static java.util.Optional<VersionRule> of(CiliumVersion version) {
        return java.util.stream.Stream.of(VersionRule.EGRESS_INTERFACES_JOINED_115, VersionRule.EGRESS_INTERFACES_JOINED_116)
                .filter(r -> r.appliesTo(version)).findFirst();
    }

    /** More than one entry, comma- or space-separated. */
    static boolean several(String egressMasqueradeInterfaces) {
        return egressMasqueradeInterfaces.trim().split("[,\\s]+").length > 1;
    }

    /**
     * The iptables answer on such a release: the pod IP where the catch-all rule would have
     * masqueraded (the fixed behaviour), by the release's rule; any other answer is unchanged.
     */
    static Expectation apply(AgentConfig agent, Expectation fixed, java.util.Optional<io.masqharness.net.IpAddress> pod) {
        if (fixed.source() != Expectation.Source.NODE_IP || !several(agent.egressMasqueradeInterfaces())
                || agent.rules().contains(VersionRule.ROUTE_SOURCE)) {
            return fixed;
        }
        return of(agent.version()).map(rule -> Expectation.podIp(pod, "iptables mode: egressMasqueradeInterfaces="
                + agent.egressMasqueradeInterfaces() + " has several entries, and Cilium " + agent.version().text()
                + " passes them to iptables as one '-o " + String.join(",", agent.egressMasqueradeInterfaces().trim()
                .split("[,\\s]+")) + "', a single interface name no device has: 'cilium masquerade non-cluster' matches"
                + " nothing (fixed by PR #36103, 1.17)").by(rule)).orElse(fixed);
    }
}
