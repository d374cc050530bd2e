package io.masqharness.conformance;

import io.masqharness.cluster.Cluster;
import io.masqharness.cluster.Host;
import io.masqharness.cluster.Pod;
import io.masqharness.net.Family;
import io.masqharness.scenario.Scenario;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where a pod's flows go: the scenario's destinations, every other node, and a pod on every other node. */
final class Targets {

    private Targets() {
    }

    /** Target name to address, for flows from {@code from}. */
    static Map<String, String> of(Scenario scenario, Cluster cluster, Pod from) {
        Map<String, String> targets = new LinkedHashMap<>();
        scenario.destinations(Family.IPV4).forEach(d -> targets.put(d.name(), d.ipv4().toString()));
        for (Host node : cluster.nodes()) {
            if (!node.name().equals(from.node())) {
                targets.put("node:" + node.name(), node.ip().toString());
                cluster.pods().stream().filter(p -> p.node().equals(node.name())).findFirst()
                        .ifPresent(p -> targets.put("pod:" + node.name(), p.ip().toString()));
            }
        }
        return targets;
    }

    /** The host whose fabric device sees a flow to {@code address} arrive. */
    static Host receiver(Cluster cluster, String address) {
        for (Host node : cluster.nodes()) {
            if (node.ip().toString().equals(address)) {
                return node;
            }
        }
        for (Pod pod : cluster.pods()) {
            if (pod.ip().toString().equals(address)) {
                return cluster.nodes().stream().filter(n -> n.name().equals(pod.node())).findFirst().orElseThrow();
            }
        }
        return cluster.externalHost();
    }
}
