package io.masqharness.cluster.k8s;

import io.masqharness.cluster.ClusterException;
import io.masqharness.net.Ipv4;
import io.masqharness.oracle.ClusterFacts;
import java.util.List;
import java.util.function.Function;

/** Cluster facts for the oracle from discovered nodes. */
public final class KubeFacts {

    /** Docker gives a K3s node container one network device, eth0. */
    public static final String K3S_DEVICE = "eth0";

    private KubeFacts() {
    }

    /**
     * @param ipam   where the pod ranges came from (named when a node has none)
     * @param device each node's device holding its InternalIP
     */
    public static ClusterFacts of(List<KubeNode> nodes, CiliumIpam ipam, Function<String, String> device) {
        return new ClusterFacts(nodes.stream().map(n -> new ClusterFacts.Node(n.name(), Ipv4.parse(n.internalIp()),
                n.podCidr().orElseThrow(() -> new ClusterException("read the node's pod range", n.name(), "no IPv4 range in "
                        + ipam.source() + " (IPAM mode " + ipam.mode() + "): the harness needs it to tell which node a pod is on")),
                device.apply(n.name()), n.internalIpV6(), n.podCidrV6())).toList());
    }
}
