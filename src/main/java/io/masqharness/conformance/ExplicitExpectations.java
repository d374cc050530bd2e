package io.masqharness.conformance;

import io.masqharness.net.Family;
import io.masqharness.oracle.ClusterFacts;
import io.masqharness.oracle.Expectation;
import io.masqharness.scenario.ExpectSpec;
import io.masqharness.scenario.Scenario;
import java.util.List;
import java.util.Optional;

/**
 * A scenario's explicit expectations ({@code expect:}), judged on the flows a mode's run observed,
 * independently of the oracle: a {@code node-ip} is the source node's address in the cluster's
 * facts, a {@code pod-ip} the probing pod's own. The loader admits only what can be judged here:
 * pod sources, and node-ip, pod-ip or dropped.
 */
public final class ExplicitExpectations {

    private ExplicitExpectations() {
    }

    /** The expectation on the flow from the first pod of the named node (without a name, the cluster's first node). */
    public static Verdict judge(Scenario scenario, ClusterFacts facts, ExpectSpec e, List<CellResult> results) {
        if (!e.from().startsWith("pod")) {
            throw new IllegalArgumentException("only pods' flows are probed; the loader rejects " + e);
        }
        int colon = e.from().indexOf(':');
        String node = colon < 0 ? facts.nodes().get(0).name() : e.from().substring(colon + 1);
        Optional<CellResult> match = results.stream()
                .filter(c -> c.cell().pod().node().equals(node) && c.cell().target().equals(e.to()) && c.cell().protocol().equals(e.protocol())
                        && c.cell().family() == e.family())
                .findFirst();
        if (match.isEmpty()) {
            return new Verdict(false, true, "no probed flow matches " + e + "; probed: " + results.stream()
                    .map(c -> c.cell().pod().name() + " -> " + c.cell().target() + " " + c.cell().protocol()
                            + (c.cell().family() == Family.IPV4 ? "" : " " + c.cell().family().label())).toList());
        }
        CellResult r = match.get();
        if (!r.verdict().applicable()) {
            return Verdict.notApplicable("the flow " + r.cell() + " cannot be judged here: " + r.verdict().message());
        }
        String why = "explicit expectation in " + scenario.file() + ": " + e;
        Expectation explicit = switch (e.source()) {
            case NODE_IP -> e.family() == Family.IPV4 ? Expectation.nodeIp(facts.node(node).ip(), why)
                    : facts.node(node).ipv6().map(v6 -> Expectation.nodeIp(v6, why)).orElseGet(() -> Expectation.nodeIp(facts.node(node).ip(), why
                    + " (node " + node + " has no IPv6 address in the cluster's facts)"));
            case POD_IP -> Expectation.podIp(r.cell().pod().address(e.family()), why);
            case DROPPED -> Expectation.dropped(why);
            case ROUTER_IP -> throw new IllegalArgumentException("router-ip cannot be judged on a pod's flow; the loader rejects it: " + e);
        };
        return Verdict.judge(r.cell(), explicit, r.observed());
    }
}
