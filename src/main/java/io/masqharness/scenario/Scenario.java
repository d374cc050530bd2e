package io.masqharness.scenario;

import io.masqharness.net.Family;
import io.masqharness.oracle.Protocol;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A validated scenario file (see DESIGN.md, "Scenario contract"). */
public record Scenario(
        Path file,
        String name,
        ClusterSpec cluster,
        CiliumSpec cilium,
        List<ModeSpec> modes,
        List<DestinationSpec> destinations,
        List<Protocol> probes,
        List<ExpectSpec> expect,
        Optional<LatencySpec> latency) {

    public Scenario {
        modes = List.copyOf(modes);
        destinations = List.copyOf(destinations);
        probes = List.copyOf(probes);
        expect = List.copyOf(expect);
    }

    public Scenario withCluster(ClusterSpec other) {
        return new Scenario(file, name, other, cilium, modes, destinations, probes, expect, latency);
    }

    public Scenario withLatency(Optional<LatencySpec> other) {
        return new Scenario(file, name, cluster, cilium, modes, destinations, probes, expect, other);
    }

    public ModeSpec mode(String modeName) {
        return modes.stream().filter(m -> m.name().equals(modeName)).findFirst()
                .orElseThrow(() -> new ScenarioException(file, "modes", "no mode named '" + modeName
                        + "' (modes: " + modes.stream().map(ModeSpec::name).toList() + ")"));
    }

    /** The destination of that name: its IPv4 entry when it has both. */
    public Optional<DestinationSpec> destination(String destinationName) {
        return destination(destinationName, Family.IPV4).or(() -> destination(destinationName, Family.IPV6));
    }

    public Optional<DestinationSpec> destination(String destinationName, Family family) {
        return destinations.stream().filter(d -> d.name().equals(destinationName) && d.family() == family).findFirst();
    }

    /** The destinations of one family, in scenario order. */
    public List<DestinationSpec> destinations(Family family) {
        return destinations.stream().filter(d -> d.family() == family).toList();
    }

    /** The first destination of a family, e.g. where latency of that family is measured. */
    public Optional<DestinationSpec> firstDestination(Family family) {
        return destinations.stream().filter(d -> d.family() == family).findFirst();
    }
}
