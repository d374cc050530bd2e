package io.masqharness.scenario;

import io.masqharness.net.Cidr;
import io.masqharness.net.Cidr6;
import io.masqharness.net.Family;
import io.masqharness.net.IpAddress;
import io.masqharness.net.Ipv4;
import io.masqharness.oracle.AgentConfig;
import io.masqharness.oracle.AgentConfigDeriver;
import io.masqharness.oracle.CiliumVersion;
import io.masqharness.oracle.ClusterFacts;
import io.masqharness.oracle.HelmValues;
import io.masqharness.oracle.IpMasqAgentFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns a scenario into the oracle's inputs: cluster facts, per-mode Helm values and ip-masq-agent file. */
public final class ScenarioFacts {

    /** The device name nodes egress through (Docker gives containers eth0). */
    public static final String NODE_DEVICE = "eth0";

    private ScenarioFacts() {
    }

    public static ClusterFacts clusterFacts(Scenario scenario) {
        return new ClusterFacts(scenario.cluster().nodes().stream()
                .map(n -> new ClusterFacts.Node(n.name(), n.ip(), n.podCidr(), NODE_DEVICE, n.ipv6(), n.podCidrV6())).toList());
    }

    /** Base values with the mode's values on top, as {@code helm upgrade --reuse-values --set} leaves them. */
    public static HelmValues helmValues(Scenario scenario, ModeSpec mode) {
        return HelmValues.of(scenario.cilium().values()).with(mode.values());
    }

    /** The scenario's Cilium version ({@code cilium.version}). */
    public static CiliumVersion version(Scenario scenario) {
        return CiliumVersion.parse(scenario.cilium().version());
    }

    /** The file the agent reads: the mode's ConfigMap, else Helm ipMasqAgent.config.*, else none. */
    public static IpMasqAgentFile ipMasqAgentFile(Scenario scenario, ModeSpec mode) {
        return ipMasqAgentFile(scenario, mode, version(scenario));
    }

    /** As a given Cilium version's agent reads it (1.13 rejects a file with IPv6 entries, 1.14 on reads them). */
    public static IpMasqAgentFile ipMasqAgentFile(Scenario scenario, ModeSpec mode, CiliumVersion version) {
        IpMasqAgentFile file = written(scenario, mode).readBy(version);
        return file instanceof IpMasqAgentFile.Rejected rejected ? keptFromPreviousMode(scenario, mode, rejected, version) : file;
    }

    private static IpMasqAgentFile written(Scenario scenario, ModeSpec mode) {
        if (mode.ipMasqAgentConfig().isPresent()) {
            return mode.ipMasqAgentConfig().get();
        }
        HelmValues values = helmValues(scenario, mode);
        boolean fromHelm = values.asMap().keySet().stream().anyMatch(k -> k.startsWith("ipMasqAgent.config."));
        if (!fromHelm) {
            return new IpMasqAgentFile.Absent();
        }
        List<String> cidrs = new ArrayList<>();
        values.list("ipMasqAgent.config.nonMasqueradeCIDRs").ifPresent(l -> l.forEach(c -> cidrs.add(c.toString())));
        return IpMasqAgentFile.of(cidrs, values.bool("ipMasqAgent.config.masqLinkLocal", false),
                values.bool("ipMasqAgent.config.masqLinkLocalIPv6", false));
    }

    /**
     * A rejected file leaves cilium_ipmasq_v4 as the agent found it. Modes run in scenario order, so
     * that is what the previous mode's agent put there when it ran the ip-masq-agent too; otherwise
     * the map is fresh: an agent without the ip-masq-agent removes it (pkg/datapath/maps/map.go:206-207,
     * v1.13.4). The first mode assumes a fresh map.
     */
    private static IpMasqAgentFile keptFromPreviousMode(Scenario scenario, ModeSpec mode, IpMasqAgentFile.Rejected rejected,
                                                        CiliumVersion version) {
        int index = scenario.modes().indexOf(mode);
        if (index <= 0) {
            return rejected;
        }
        ModeSpec previous = scenario.modes().get(index - 1);
        try {
            AgentConfig before = agentConfig(scenario, previous, version);
            return before.ipMasqAgent() ? rejected.keeping(before.ipMasqAgentCidrs(), "mode " + previous.name()) : rejected;
        } catch (io.masqharness.oracle.RefusedConfigurationException e) {
            return rejected;
        }
    }

    /** @throws io.masqharness.oracle.RefusedConfigurationException when Cilium would refuse the mode */
    public static AgentConfig agentConfig(Scenario scenario, ModeSpec mode) {
        return agentConfig(scenario, mode, version(scenario));
    }

    /**
     * The mode as another Cilium version would run it (the same values, as {@code helm upgrade --reuse-values
     * --version} would pass them).
     *
     * @throws io.masqharness.oracle.RefusedConfigurationException when that version would refuse the mode
     */
    public static AgentConfig agentConfig(Scenario scenario, ModeSpec mode, CiliumVersion version) {
        return AgentConfigDeriver.derive(helmValues(scenario, mode), ipMasqAgentFile(scenario, mode, version), version);
    }

    public static NodeSpec node(Scenario scenario, String name) {
        return scenario.cluster().nodes().stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new ScenarioException(scenario.file(), "cluster.nodes", "no node named '" + name
                        + "' (nodes: " + scenario.cluster().nodes().stream().map(NodeSpec::name).toList() + ")"));
    }

    /** The address a probe pod on the node uses: .10 of its pod CIDR (the lab assigns it; K3s pods are looked up). */
    public static Ipv4 probePodAddress(NodeSpec node, int index) {
        return node.podCidr().address(10 + index);
    }

    /**
     * The probe pod's address in a family: IPv4 .10 of its pod CIDR, IPv6 ::10 of its IPv6 pod CIDR
     * (the same digits, read as hex, so the two addresses of one pod pair up at a glance).
     */
    public static IpAddress probePodAddress(NodeSpec node, int index, Family family) {
        if (family == Family.IPV4) {
            return probePodAddress(node, index);
        }
        Cidr6 pods = node.podCidrV6().orElseThrow(() -> new IllegalArgumentException("node " + node.name() + " has no IPv6 pod CIDR"));
        return pods.address(Long.parseLong(Integer.toString(10 + index), 16));
    }

    /** A node's address in a family. */
    public static IpAddress nodeAddress(NodeSpec node, Family family) {
        if (family == Family.IPV4) {
            return node.ip();
        }
        return node.ipv6().orElseThrow(() -> new IllegalArgumentException("node " + node.name() + " has no IPv6 address"));
    }

    /**
     * Resolves a flow target: a destination name, {@code node:NAME}, {@code pod:NAME}, or a literal
     * IPv4/IPv6 address.
     */
    public static String resolveTarget(Scenario scenario, String target) {
        return resolveTarget(scenario, target, Optional.empty());
    }

    /**
     * As {@link #resolveTarget(Scenario, String)}, in a family when given: a destination's entry of
     * that family, a node's or a probe pod's address of that family. Without one, a destination's
     * IPv4 entry (its IPv6 one when it has only that) and IPv4 node and pod addresses.
     */
    public static String resolveTarget(Scenario scenario, String target, Optional<Family> family) {
        var destination = family.isPresent() ? scenario.destination(target, family.get()) : scenario.destination(target);
        if (destination.isPresent()) {
            return destination.get().ip().toString();
        }
        if (family.isPresent() && scenario.destination(target).isPresent()) {
            throw new ScenarioException(scenario.file(), "destinations", "destination '" + target + "' has no "
                    + family.get().label() + " address");
        }
        Family f = family.orElse(Family.IPV4);
        if (f == Family.IPV6 && !scenario.cluster().dualStack() && (target.startsWith("node:") || target.startsWith("pod:"))) {
            throw new ScenarioException(scenario.file(), "cluster", "the cluster is IPv4-only: " + target
                    + " has no IPv6 address (a dual-stack cluster needs cluster.network.subnetV6 and cluster.podCIDRv6)");
        }
        if (target.startsWith("node:")) {
            return nodeAddress(node(scenario, target.substring(5)), f).toString();
        }
        if (target.startsWith("pod:")) {
            return probePodAddress(node(scenario, target.substring(4)), 0, f).toString();
        }
        if (Ipv4.looksLikeIpv6(target)) {
            return target;
        }
        try {
            return Ipv4.parse(target).toString();
        } catch (IllegalArgumentException e) {
            throw new ScenarioException(scenario.file(), "destinations", "'" + target + "' is neither a destination name "
                    + scenario.destinations().stream().map(DestinationSpec::name).toList()
                    + ", node:NODE, pod:NODE nor an IP address");
        }
    }

    /** The IPv4 destinations by name. */
    public static Map<String, String> targets(Scenario scenario) {
        return targets(scenario, Family.IPV4);
    }

    /** The destinations of one family by name. */
    public static Map<String, String> targets(Scenario scenario, Family family) {
        var result = new java.util.LinkedHashMap<String, String>();
        scenario.destinations(family).forEach(d -> result.put(d.name(), d.ip().toString()));
        return result;
    }
}
