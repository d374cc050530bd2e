package io.masqharness.cluster.lab;

import io.masqharness.cluster.ExecResult;
import io.masqharness.cluster.Host;
import io.masqharness.cluster.docker.ProbeHostContainer;
import io.masqharness.net.Ipv4;
import io.masqharness.net.Ipv6;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A pod: a network namespace inside a lab node; its commands run through {@code ip netns exec}. */
record NamespaceHost(ProbeHostContainer node, String namespace, String name, Ipv4 ip, Optional<Ipv6> ipv6) implements Host {

    @Override
    public ExecResult exec(Duration timeout, String... command) {
        List<String> inNamespace = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        inNamespace.addAll(List.of(command));
        return node.exec(timeout, inNamespace.toArray(String[]::new));
    }
}
