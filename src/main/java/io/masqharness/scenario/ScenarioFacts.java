package io.masqharness.scenario;

import io.masqharness.net.Cidr;
import io.masqharness.net.Ipv4;
import io.masqharness.oracle.AgentConfig;
import io.masqharness.oracle.AgentConfigDeriver;
import io.masqharness.oracle.ClusterFacts;
import io.masqharness.oracle.HelmValues;
import io.masqharness.oracle.IpMasqAgentFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns a scenario into the oracle's inputs: cluster facts, per-mode Helm values and ip-masq-agent file. */
public final class ScenarioFacts {

    /** The device name nodes egress through (Docker gives containers eth0). */
    public static final String NODE_DEVICE = "eth0";

    private ScenarioFacts() {
    }

    public static ClusterFacts clusterFacts(Scenario scenario) {
        return new ClusterFacts(scenario.cluster().nodes().stream()
                .map(n -> new ClusterFacts.Node(n.name(), n.ip(), n.podCidr(), NODE_DEVICE)).toList());
    }

    /** Base values with the mode's values on top, as {@code helm upgrade --reuse-values --set} leaves them. */
    public static HelmValues helmValues(Scenario scenario, ModeSpec mode) {
        return HelmValues.of(scenario.cilium().values()).with(mode.values());
    }

    /** The file the agent reads: the mode's ConfigMap, else Helm ipMasqAgent.config.*, else none. */
    public static IpMasqAgentFile ipMasqAgentFile(Scenario scenario, ModeSpec mode) {
        if (mode.ipMasqAgentConfig().isPresent()) {
            return mode.ipMasqAgentConfig().get();
        }
        HelmValues values = helmValues(scenario, mode);
        boolean fromHelm = values.asMap().keySet().stream().anyMatch(k -> k.startsWith("ipMasqAgent.config."));
        if (!fromHelm) {
            return new IpMasqAgentFile.Absent();
        }
        List<Cidr> cidrs = new ArrayList<>();
        values.list("ipMasqAgent.config.nonMasqueradeCIDRs").ifPresent(l -> l.forEach(c -> cidrs.add(Cidr.parse(c.toString()))));
        return new IpMasqAgentFile.Present(cidrs, values.bool("ipMasqAgent.config.masqLinkLocal", false));
    }

    /** @throws io.masqharness.oracle.RefusedConfigurationException when Cilium would refuse the mode */
    public static AgentConfig agentConfig(Scenario scenario, ModeSpec mode) {
        return AgentConfigDeriver.derive(helmValues(scenario, mode), ipMasqAgentFile(scenario, mode));
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
     * Resolves a flow target: a destination name, {@code node:NAME}, {@code pod:NAME}, or a literal
     * IPv4/IPv6 address.
     */
    public static String resolveTarget(Scenario scenario, String target) {
        var destination = scenario.destination(target);
        if (destination.isPresent()) {
            return destination.get().ip().toString();
        }
        if (target.startsWith("node:")) {
            return node(scenario, target.substring(5)).ip().toString();
        }
        if (target.startsWith("pod:")) {
            return probePodAddress(node(scenario, target.substring(4)), 0).toString();
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

    public static Map<String, String> targets(Scenario scenario) {
        var result = new java.util.LinkedHashMap<String, String>();
        scenario.destinations().forEach(d -> result.put(d.name(), d.ip().toString()));
        return result;
    }
}
