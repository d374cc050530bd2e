package io.masqharness.cluster.k8s;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.masqharness.cluster.ExecResult;
import io.masqharness.cluster.Host;
import io.masqharness.net.Ipv4;
import java.time.Duration;

/** A probe pod (or host-network probe pod standing for its node) reached through the Kubernetes API. */
public record KubePodHost(KubernetesClient client, String namespace, String pod, String container, String name, Ipv4 ip)
        implements Host {

    @Override
    public ExecResult exec(Duration timeout, String... command) {
        return KubeExec.exec(client, namespace, pod, container, timeout, command);
    }
}
