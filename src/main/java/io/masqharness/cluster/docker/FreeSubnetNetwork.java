package io.masqharness.cluster.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Network.Ipam;
import io.masqharness.cluster.ClusterException;
import io.masqharness.net.Cidr;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.testcontainers.containers.Network;

/**
 * A labelled Docker network on the first candidate subnet that overlaps neither an address the run
 * uses nor another Docker network; Docker itself arbitrates between runs starting at once (it
 * refuses an overlapping pool, and the next candidate is tried).
 */
public record FreeSubnetNetwork(Network network, Cidr subnet) {

    static final int ATTEMPTS = 40;
    /** The bridge driver's option for the MTU of the network's interfaces (containers' eth0 included). */
    public static final String MTU_OPTION = "com.docker.network.driver.mtu";

    /**
     * @param candidates subnets in order of preference
     * @param avoid      addresses the run routes elsewhere (pod and service CIDRs, destinations)
     */
    public static FreeSubnetNetwork create(String name, Map<String, String> labels, boolean internal, List<Cidr> candidates,
                                           List<Cidr> avoid) {
        return create(name, labels, internal, candidates, avoid, Map.of());
    }

    /** As {@link #create(String, Map, boolean, List, List)}, with driver options (e.g. {@link #MTU_OPTION}); none: Docker's defaults. */
    public static FreeSubnetNetwork create(String name, Map<String, String> labels, boolean internal, List<Cidr> candidates,
                                           List<Cidr> avoid, Map<String, String> options) {
        DockerClient docker = org.testcontainers.DockerClientFactory.instance().client();
        List<Cidr> taken = new ArrayList<>(avoid);
        taken.addAll(dockerSubnets(docker));
        List<String> tried = new ArrayList<>();
        for (Cidr candidate : candidates.stream().limit(ATTEMPTS).toList()) {
            if (taken.stream().anyMatch(candidate::overlaps)) {
                tried.add(candidate + " (overlaps " + taken.stream().filter(candidate::overlaps).findFirst().orElseThrow() + ")");
                continue;
            }
            Network n = Network.builder().createNetworkCmdModifier(cmd -> {
                cmd.withName(name).withInternal(internal).withLabels(labels)
                        .withIpam(new Ipam().withConfig(new Ipam.Config().withSubnet(candidate.toString())));
                if (!options.isEmpty()) {
                    cmd.withOptions(options);
                }
            }).build();
            try {
                n.getId();
                return new FreeSubnetNetwork(n, candidate);
            } catch (RuntimeException e) {
                tried.add(candidate + " (" + e.getMessage() + ")");
            }
        }
        throw new ClusterException("create Docker network", name, "no free subnet among " + tried.size() + " tried: " + tried);
    }

    /** Subnets of the same size as {@code preferred}: itself first, then spread over {@code pool} from a per-process start. */
    public static List<Cidr> candidates(Cidr preferred, Cidr pool) {
        Stream<Cidr> spread = Stream.empty();
        if (preferred.prefixLength() >= pool.prefixLength()) {
            int count = 1 << Math.min(20, preferred.prefixLength() - pool.prefixLength());
            long start = ProcessHandle.current().pid();
            spread = IntStream.range(0, ATTEMPTS).mapToObj(i -> pool.subnet(preferred.prefixLength(), (int) ((start + i * 7L) % count)));
        }
        return Stream.concat(Stream.of(preferred), spread).distinct().limit(ATTEMPTS).toList();
    }

    /** The subnets Docker networks on this engine already hold. */
    public static List<Cidr> dockerSubnets(DockerClient docker) {
        List<Cidr> subnets = new ArrayList<>();
        for (com.github.dockerjava.api.model.Network n : docker.listNetworksCmd().exec()) {
            if (n.getIpam() == null || n.getIpam().getConfig() == null) {
                continue;
            }
            n.getIpam().getConfig().stream().map(Ipam.Config::getSubnet).filter(Objects::nonNull).filter(s -> !s.contains(":"))
                    .forEach(s -> {
                        try {
                            subnets.add(Cidr.parse(s));
                        } catch (IllegalArgumentException unaligned) {
                            // Not a prefix the harness could collide with by construction; Docker still arbitrates.
                        }
                    });
        }
        return subnets;
    }
}
