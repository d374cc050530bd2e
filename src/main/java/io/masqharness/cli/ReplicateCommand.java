package io.masqharness.cli;

import io.masqharness.cluster.ClusterException;
import io.masqharness.cluster.snapshot.KubeSnapshotReader;
import io.masqharness.oracle.CiliumVersion;
import io.masqharness.scenario.ClusterSnapshot;
import io.masqharness.scenario.ClusterSpec;
import io.masqharness.scenario.ReplicaScenario;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "replicate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write the scenario that replicates a cluster (read-only): its Cilium version and the values that decide",
                "masquerading, its pod range, node count and ip-masq-agent config, and the destinations you name, so an",
                "upgrade can be rehearsed with real packets on a throwaway K3s (or the lab) before production.",
                "The file is validated as any scenario before it is written. Exit status 2 on bad input or an unreadable cluster."})
final class ReplicateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--kubeconfig", required = true, paramLabel = "FILE", description = "the cluster, read without changing anything")
    Path kubeconfig;

    @Option(names = "--destination", required = true, paramLabel = "NAME=IP", description = "an address the cluster's traffic goes to"
            + " (repeatable; outside the cluster's ranges)")
    List<String> destinations = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the scenario file to write")
    Path outFile;

    @Option(names = "--backend", paramLabel = "k3s|lab", defaultValue = "k3s", description = "where the replica runs (default: ${DEFAULT-VALUE})")
    String backend;

    @Option(names = "--upgrade-to", paramLabel = "VERSION", description = "set cilium.upgradeTo: the run upgrades to it and runs the modes again")
    String upgradeTo;

    @Override
    public Integer call() throws Exception {
        ClusterSpec.Backend b = switch (backend) {
            case "k3s" -> ClusterSpec.Backend.K3S;
            case "lab" -> ClusterSpec.Backend.LAB;
            default -> throw new ParameterException(spec.commandLine(), "--backend: '" + backend + "' is not k3s or lab");
        };
        if (upgradeTo != null && !CiliumVersion.isSupported(upgradeTo)) {
            throw new ParameterException(spec.commandLine(), "--upgrade-to: " + upgradeTo + " is not a supported version ("
                    + CiliumVersion.SUPPORTED + ")");
        }
        ClusterSnapshot snapshot;
        try {
            snapshot = KubeSnapshotReader.read(kubeconfig, m -> spec.commandLine().getErr().println(m));
        } catch (ClusterException e) {
            spec.commandLine().getErr().println("replicate: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        String yaml = ReplicaScenario.yaml(snapshot, DestinationOptions.parse(destinations, spec), b, Optional.ofNullable(upgradeTo));
        Path dir = outFile.toAbsolutePath().getParent();
        Path draft = Files.createTempFile(dir, ".replica-", ".yaml");
        try {
            Files.writeString(draft, yaml);
            Scenario loaded = new ScenarioLoader().load(draft);
            Files.move(draft, outFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            spec.commandLine().getOut().println("wrote " + outFile + ": Cilium " + loaded.cilium().version() + ", "
                    + loaded.cluster().nodes().size() + " nodes, " + loaded.destinations().size() + " destinations, values from "
                    + snapshot.valuesFrom() + (snapshot.notes().isEmpty() ? "" : " (see the notes at its top)"));
            return 0;
        } finally {
            Files.deleteIfExists(draft);
        }
    }
}
