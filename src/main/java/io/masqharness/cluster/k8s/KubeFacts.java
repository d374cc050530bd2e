package io.masqharness.cluster.k8s;

import io.masqharness.cluster.ClusterException;
import io.masqharness.net.Ipv4;
import io.masqharness.oracle.ClusterFacts;
import java.util.List;

/** Cluster facts for the oracle from discovered nodes. */
public final class KubeFacts {

    /** Docker gives K3s nodes eth0; on other clusters the device only matters with egressMasqueradeInterfaces. */
    public static final String DEVICE = "eth0";

    private KubeFacts() {
    }

    public static ClusterFacts of(List<KubeNode> nodes) {
        return new ClusterFacts(nodes.stream().map(n -> new ClusterFacts.Node(n.name(), Ipv4.parse(n.internalIp()),
                n.podCidr().orElseThrow(() -> new ClusterException("read pod CIDR", n.name(), "spec.podCIDR is not set"
                        + " (the harness needs Kubernetes IPAM, Helm ipam.mode=kubernetes, to know each node's pod range)")),
                DEVICE, n.internalIpV6(), n.podCidrV6())).toList());
    }
}
