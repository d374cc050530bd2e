package io.masqharness.scenario;

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

    public ModeSpec mode(String modeName) {
        return modes.stream().filter(m -> m.name().equals(modeName)).findFirst()
                .orElseThrow(() -> new ScenarioException(file, "modes", "no mode named '" + modeName
                        + "' (modes: " + modes.stream().map(ModeSpec::name).toList() + ")"));
    }

    public Optional<DestinationSpec> destination(String destinationName) {
        return destinations.stream().filter(d -> d.name().equals(destinationName)).findFirst();
    }
}
