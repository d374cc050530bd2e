package io.masqharness.conformance;

import io.masqharness.cluster.Cluster;
import io.masqharness.cluster.Host;
import io.masqharness.cluster.Pod;
import io.masqharness.net.Family;
import io.masqharness.scenario.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a pod's flows go: the scenario's destinations, every other node, and a pod on every other
 * node; on a dual-stack cluster (the pod has an IPv6 address) the same again over IPv6, under the
 * same names, so {@code public} is one target per family.
 */
final class Targets {

    /** One target: its name ({@code public}, {@code node:NAME}, {@code pod:NAME}) and its address in one family. */
    record Target(String name, String address) {
    }

    private Targets() {
    }

    /** The targets of flows from {@code from}: IPv4 first, as before, then IPv6 when the pod has it. */
    static List<Target> of(Scenario scenario, Cluster cluster, Pod from) {
        List<Target> targets = new ArrayList<>();
        scenario.destinations(Family.IPV4).forEach(d -> targets.add(new Target(d.name(), d.ipv4().toString())));
        others(cluster, from, targets, Family.IPV4);
        if (from.ipv6().isPresent()) {
            scenario.destinations(Family.IPV6).forEach(d -> targets.add(new Target(d.name(), d.ip().toString())));
            others(cluster, from, targets, Family.IPV6);
        }
        return targets;
    }

    private static void others(Cluster cluster, Pod from, List<Target> targets, Family family) {
        for (Host node : cluster.nodes()) {
            if (!node.name().equals(from.node())) {
                address(node, family).ifPresent(a -> targets.add(new Target("node:" + node.name(), a)));
                cluster.pods().stream().filter(p -> p.node().equals(node.name())).findFirst()
                        .flatMap(p -> p.address(family)).ifPresent(a -> targets.add(new Target("pod:" + node.name(), a.toString())));
            }
        }
    }

    private static Optional<String> address(Host host, Family family) {
        return family == Family.IPV4 ? Optional.of(host.ip().toString()) : host.ipv6().map(Object::toString);
    }

    /** The host whose fabric device sees a flow to {@code address} arrive. */
    static Host receiver(Cluster cluster, String address) {
        for (Host node : cluster.nodes()) {
            if (node.ip().toString().equals(address) || node.ipv6().filter(v6 -> v6.toString().equals(address)).isPresent()) {
                return node;
            }
        }
        for (Pod pod : cluster.pods()) {
            if (pod.ip().toString().equals(address) || pod.ipv6().filter(v6 -> v6.toString().equals(address)).isPresent()) {
                return cluster.nodes().stream().filter(n -> n.name().equals(pod.node())).findFirst().orElseThrow();
            }
        }
        return cluster.externalHost();
    }
}
