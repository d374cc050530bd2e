package io.masqharness.cluster.k8s;

import io.masqharness.net.Cidr;
import io.masqharness.net.Cidr6;
import io.masqharness.net.Ipv6;
import java.util.Optional;

/**
 * A Kubernetes node as discovered: its InternalIP and pod CIDR (absent until allocated), and on a
 * dual-stack cluster its IPv6 InternalIP and the IPv6 entry of {@code spec.podCIDRs}.
 */
public record KubeNode(String name, String internalIp, Optional<Cidr> podCidr, Optional<Ipv6> internalIpV6,
                       Optional<Cidr6> podCidrV6) {

    /** An IPv4-only node. */
    public KubeNode(String name, String internalIp, Optional<Cidr> podCidr) {
        this(name, internalIp, podCidr, Optional.empty(), Optional.empty());
    }

    /** Both an IPv6 InternalIP and an IPv6 pod CIDR: what Cilium's IPv6 needs on the node. */
    public boolean dualStack() {
        return internalIpV6.isPresent() && podCidrV6.isPresent();
    }
}
