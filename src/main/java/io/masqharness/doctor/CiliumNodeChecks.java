package io.masqharness.doctor;

import io.masqharness.cluster.ClusterException;
import io.masqharness.cluster.k8s.CiliumIpam;
import io.masqharness.cluster.k8s.CiliumKube;
import io.masqharness.cluster.k8s.KubeNode;
import io.masqharness.cluster.k8s.NodeDevice;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a kubeconfig run finds on the cluster's nodes, asked read-only: where the IPAM mode keeps
 * each node's pod range, which nodes run Cilium (and so get probes), and the device that holds each
 * node's address (where the node's ICMP capture listens, what egressMasqueradeInterfaces is matched against).
 */
final class CiliumNodeChecks {

    private CiliumNodeChecks() {
    }

    /** The cilium-config keys that say how the agents masquerade, in the order a person reads them. */
    static final List<String> MASQUERADING_KEYS = List.of("enable-ipv4-masquerade", "enable-bpf-masquerade", "enable-ip-masq-agent",
            "egress-masquerade-interfaces", "kube-proxy-replacement", "tunnel", "routing-mode", "ipv4-native-routing-cidr");

    static List<Check> all(CiliumKube kube) {
        List<Check> checks = new ArrayList<>();
        Map<String, String> config = kube.agentConfig();
        checks.add(Check.pass("masquerading", "cilium-config " + String.join(", ", MASQUERADING_KEYS.stream().filter(config::containsKey)
                .map(k -> k + "=" + config.get(k)).toList()) + " (a read-only run verifies and probes the mode this is)"));
        CiliumIpam ipam = kube.ipam();
        Optional<String> unsupported = ipam.unsupported();
        if (unsupported.isPresent()) {
            checks.add(Check.fail("Cilium IPAM", unsupported.get(), CiliumIpam.UNSUPPORTED_FIX));
            return checks;
        }
        List<KubeNode> nodes;
        try {
            nodes = kube.nodes();
        } catch (ClusterException e) {
            checks.add(Check.fail("Cilium IPAM", ipam.mode() + ": " + e.getMessage(), "check that Cilium runs on the nodes and that"
                    + " this kubeconfig may list nodes, pods and (for cluster-pool and multi-pool) ciliumnodes.cilium.io"));
            return checks;
        }
        List<String> withoutRange = nodes.stream().filter(n -> n.podCidr().isEmpty()).map(KubeNode::name).toList();
        String ranges = String.join(", ", nodes.stream().map(n -> n.name() + " " + n.podCidr().map(Object::toString).orElse("none")).toList());
        checks.add(withoutRange.isEmpty() ? Check.pass("Cilium IPAM", ipam.mode() + ", pod ranges from " + ipam.source() + ": " + ranges)
                : Check.fail("Cilium IPAM", ipam.mode() + ": no IPv4 range in " + ipam.source() + " for " + withoutRange, "wait until the"
                + " Cilium operator has allocated them (`kubectl get ciliumnodes -o wide`), or check the IPAM mode in cilium-config"));

        List<String> others = kube.nodesWithoutAgent();
        checks.add(Check.pass("nodes", nodes.size() + " run Cilium's agent and get probe pods: " + String.join(", ", nodes.stream()
                .map(KubeNode::name).toList()) + (others.isEmpty() ? "" : "; without an agent, so neither probed nor judged: "
                + String.join(", ", others))));

        Map<String, NodeDevice> devices = kube.nodeDevices(nodes);
        List<String> unknown = devices.entrySet().stream().filter(e -> e.getValue().name().isEmpty())
                .map(e -> e.getKey() + " (" + e.getValue().note() + ")").toList();
        String found = String.join(", ", nodes.stream().map(n -> n.name() + " " + n.internalIp() + " on "
                + devices.get(n.name()).nameOrUnknown()).toList()) + " (each node's ICMP capture listens there)";
        checks.add(unknown.isEmpty() ? Check.pass("node NICs", found) : Check.warn("node NICs", found + "; not read: "
                + String.join("; ", unknown), "the run finds each device again from its probe pod; egressMasqueradeInterfaces cannot"
                + " be judged on a node whose device is unknown"));
        return checks;
    }
}
