package io.masqharness.cluster.k8s;

import io.masqharness.net.Cidr;
import java.util.Optional;

/** A Kubernetes node as discovered: its InternalIP and pod CIDR (absent until allocated). */
public record KubeNode(String name, String internalIp, Optional<Cidr> podCidr) {
}
