package io.masqharness.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.masqharness.cilium.CiliumConfigCapture;
import io.masqharness.cilium.CiliumInputException;
import io.masqharness.cilium.IpMasqAgentConfigCapture;
import io.masqharness.cilium.TextFile;
import io.masqharness.cluster.ClusterException;
import io.masqharness.cluster.snapshot.KubeSnapshotReader;
import io.masqharness.oracle.CiliumVersion;
import io.masqharness.oracle.IpMasqAgentFile;
import io.masqharness.scenario.ClusterSnapshot;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioFacts;
import io.masqharness.scenario.ScenarioLoader;
import io.masqharness.upgrade.UpgradeComparison;
import io.masqharness.upgrade.UpgradeReport;
import io.masqharness.upgrade.UpgradeText;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "upgrade", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"What upgrading Cilium changes, per mode: the effective mode before and after and whether Cilium or",
                "Helm would refuse it (and why), every flow whose source changes, the Helm values that must (or, deprecated,",
                "should) change for the target with their replacement, and the unsettled facts the answer touched.",
                "Of a scenario (--scenario), a cluster (--kubeconfig, read-only: cilium-config, the Helm release's values,",
                "the nodes) or a captured cilium-config (--config, read by inspect's parser).",
                "Exit status: 0 nothing changes, 1 something changes, 2 a mode would break after the upgrade (or bad input)."})
final class UpgradeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", paramLabel = "FILE", description = "scenario YAML file (its cilium.version is the starting version)")
    Path scenario;

    @Option(names = "--kubeconfig", paramLabel = "FILE", description = "a cluster, read without changing anything")
    Path kubeconfig;

    @Option(names = "--config", paramLabel = "CAPTURE", description = "a captured cilium-config (as `inspect --config` reads it)")
    Path config;

    @Option(names = "--ip-masq-agent-config", paramLabel = "FILE", description = "with --config: the captured ip-masq-agent config")
    Path ipMasqAgentConfig;

    @Option(names = "--to", required = true, paramLabel = "VERSION", description = "the target, e.g. 1.15.6 (or 1.15: its newest patch release)")
    String to;

    @Option(names = "--from", paramLabel = "VERSION", description = "the running version: required with --config; else read from the"
            + " scenario or the cluster")
    String from;

    @Option(names = "--destination", paramLabel = "NAME=IP", description = "with --kubeconfig or --config: a destination your traffic"
            + " goes to (repeatable; default: public, RFC 1918, link-local and CGNAT classes outside the cluster)")
    List<String> destinations = new ArrayList<>();

    @Option(names = "--json", description = "print the JSON answer (the contract in the README)")
    boolean json;

    @Override
    public Integer call() throws Exception {
        int sources = (scenario != null ? 1 : 0) + (kubeconfig != null ? 1 : 0) + (config != null ? 1 : 0);
        if (sources != 1) {
            throw new ParameterException(spec.commandLine(), "upgrade needs exactly one of --scenario, --kubeconfig, --config");
        }
        CiliumVersion target = version("--to", to);
        Scenario s;
        String subject;
        List<String> notes = new ArrayList<>();
        if (scenario != null) {
            s = new ScenarioLoader().load(scenario);
            subject = "scenario " + s.name() + " (" + scenario + ")";
        } else {
            ClusterSnapshot snapshot;
            try {
                snapshot = kubeconfig != null ? KubeSnapshotReader.read(kubeconfig, m -> spec.commandLine().getErr().println(m))
                        : capture();
            } catch (CiliumInputException e) {
                spec.commandLine().getErr().println("upgrade: " + e.getMessage());
                return Main.BAD_INPUT;
            } catch (ClusterException e) {
                spec.commandLine().getErr().println("upgrade: " + e.getMessage());
                return Main.BAD_INPUT;
            }
            s = snapshot.toScenario(DestinationOptions.parse(destinations, spec));
            subject = snapshot.source();
            notes.addAll(snapshot.notes());
        }
        CiliumVersion start = from != null && config == null ? version("--from", from) : ScenarioFacts.version(s);
        if (start.compareTo(target) > 0) {
            throw new ParameterException(spec.commandLine(), "--to " + to + " is older than the running " + start.text()
                    + ": upgrade judges upgrades only");
        }
        UpgradeReport report = UpgradeComparison.of(s, start, target);
        if (!notes.isEmpty()) {
            List<String> unverified = new ArrayList<>(notes);
            unverified.addAll(report.unverified());
            report = new UpgradeReport(report.from(), report.to(), report.modes(), report.values(), unverified);
        }
        var out = spec.commandLine().getOut();
        out.print(json ? new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report) + "\n"
                : UpgradeText.of(report, subject));
        out.flush();
        return report.exitCode();
    }

    private ClusterSnapshot capture() throws java.io.IOException {
        if (from == null) {
            throw new ParameterException(spec.commandLine(), "--config needs --from VERSION: a cilium-config does not say which"
                    + " Cilium wrote it (`cilium version` or the agent image's tag does)");
        }
        CiliumVersion start = version("--from", from);
        CiliumConfigCapture c = parse(config, CiliumConfigCapture::parse);
        Optional<IpMasqAgentFile> file = ipMasqAgentConfig == null ? Optional.empty()
                : file(parse(ipMasqAgentConfig, IpMasqAgentConfigCapture::parse));
        return ClusterSnapshot.fromConfig("capture " + config, start, c.data(), file);
    }

    /** The captured file as inspect reads it (masqLinkLocalIPv6 included); none when the capture says there is no ConfigMap. */
    static Optional<IpMasqAgentFile> file(IpMasqAgentConfigCapture a) {
        return a.state() == IpMasqAgentConfigCapture.State.ABSENT ? Optional.empty() : Optional.of(io.masqharness.inspect.InspectJudge.file(a));
    }

    private static <T> T parse(Path file, java.util.function.Function<String, T> parser) throws java.io.IOException {
        if (!Files.isRegularFile(file)) {
            throw new CiliumInputException(0, "no such file").in(file.toString());
        }
        TextFile text = new TextFile(file.toString(), io.masqharness.inspect.InspectInputs.decode(Files.readAllBytes(file)));
        try {
            return parser.apply(text.text());
        } catch (CiliumInputException e) {
            throw e.in(file.toString());
        }
    }

    private CiliumVersion version(String option, String text) {
        try {
            return CiliumVersion.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
    }
}
