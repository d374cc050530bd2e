package io.masqharness.cluster.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.masqharness.cluster.ExecResult;
import io.masqharness.cluster.Host;
import io.masqharness.net.Ipv4;
import io.masqharness.net.Ipv6;
import java.time.Duration;
import java.util.Optional;

/**
 * A probe pod (or host-network probe pod standing for its node) reached through the Kubernetes API.
 *
 * @param ipv6 its IPv6 address when the cluster's IPv6 is probed (the pod's, or its node's InternalIP)
 */
public record KubePodHost(KubernetesClient client, String namespace, String pod, String container, String name, Ipv4 ip,
                          Optional<Ipv6> ipv6) implements Host {

    @Override
    public ExecResult exec(Duration timeout, String... command) {
        return KubeExec.exec(client, namespace, pod, container, timeout, command);
    }
}
