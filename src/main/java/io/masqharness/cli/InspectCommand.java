package io.masqharness.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.masqharness.cilium.CiliumInputException;
import io.masqharness.inspect.InspectInputs;
import io.masqharness.inspect.Inspection;
import io.masqharness.oracle.CiliumVersion;
import io.masqharness.oracle.RefusedConfigurationException;
import io.masqharness.scenario.Scenario;
import io.masqharness.upgrade.UpgradeText;
import io.masqharness.scenario.ScenarioLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Judge a Cilium node's captured state offline: `cilium status`,",
                "the ipmasq and nat maps, an iptables dump, the cilium-config and",
                "ip-masq-agent ConfigMaps, or a `cilium sysdump`.",
                "With --scenario and --mode: the checks the live backends run, and the",
                "source each destination class leaves with on the captured configuration.",
                "Captures are judged by their release's rules: the status capture's Cilium line,",
                "else --cilium-version, else the scenario's cilium.version.",
                "With --upgrade-to VERSION: what upgrading that node's captured configuration changes (as `upgrade`).",
                "Exit status: 0 read (and every check passed), 1 a check failed (or the upgrade changes",
                "something), 2 an input is unreadable or not what it was given as (or the upgrade breaks a mode)."})
final class InspectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--status", paramLabel = "FILE", description = "`cilium status [--verbose]` output")
    Path status;

    @Option(names = "--ipmasq", paramLabel = "FILE", description = "`cilium bpf ipmasq list` output")
    Path ipmasq;

    @Option(names = "--nat", paramLabel = "FILE", description = "`cilium bpf nat list` output")
    Path nat;

    @Option(names = "--iptables", paramLabel = "FILE", description = "`iptables-save [-t nat]`, `iptables -t nat -S` or `-L -n [-v]` output")
    Path iptables;

    @Option(names = "--config", paramLabel = "FILE", description = "cilium-config: `kubectl get cm -o yaml|json`, `jq .data`, `cilium config view`")
    Path config;

    @Option(names = "--ip-masq-agent-config", paramLabel = "FILE", description = "the ip-masq-agent ConfigMap or its config file")
    Path ipMasqAgentConfig;

    @Option(names = "--sysdump", paramLabel = "DIR_OR_ZIP", description = "a `cilium sysdump` zip or its unpacked folder")
    Path sysdump;

    @Option(names = "--node", paramLabel = "NAME", description = "sysdump: the agent pod to judge (default: every agent)")
    String node;

    @Option(names = "--scenario", paramLabel = "FILE", description = "scenario whose mode the capture is held against")
    Path scenario;

    @Option(names = "--mode", paramLabel = "NAME", description = "the mode of --scenario the node should be in")
    String mode;

    @Option(names = "--cilium-version", paramLabel = "VERSION", description = "the release the captures came from, when no status"
            + " capture says it (" + CiliumVersion.SUPPORTED + ")")
    String ciliumVersion;

    @Option(names = "--upgrade-to", paramLabel = "VERSION", description = "with --config: what upgrading to VERSION changes for the"
            + " captured configuration (the nodes and destinations of --scenario, else assumed ones)")
    String upgradeTo;

    @Option(names = "--json", description = "print one JSON object")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (status == null && ipmasq == null && nat == null && iptables == null && config == null && ipMasqAgentConfig == null
                && sysdump == null) {
            throw new ParameterException(spec.commandLine(), "inspect needs at least one of --status, --ipmasq, --nat, --iptables,"
                    + " --config, --ip-masq-agent-config, --sysdump");
        }
        if ((scenario == null) != (mode == null)) {
            throw new ParameterException(spec.commandLine(), "--scenario and --mode go together");
        }
        if (upgradeTo != null && config == null && sysdump == null) {
            throw new ParameterException(spec.commandLine(), "--upgrade-to needs the node's cilium-config (--config, or a --sysdump holding it)");
        }
        Optional<CiliumVersion> given = Optional.ofNullable(ciliumVersion).map(v -> version("--cilium-version", v));
        Optional<CiliumVersion> target = Optional.ofNullable(upgradeTo).map(v -> version("--upgrade-to", v));
        PrintWriter err = spec.commandLine().getErr();
        Inspection inspection;
        try {
            Optional<Scenario> loaded = scenario == null ? Optional.empty() : Optional.of(new ScenarioLoader().load(scenario));
            inspection = Inspection.of(new InspectInputs.Given(status, ipmasq, nat, iptables, config, ipMasqAgentConfig, sysdump, node),
                    loaded, mode, given, target);
        } catch (Inspection.UnknownRelease e) {
            throw new ParameterException(spec.commandLine(), "--upgrade-to: " + e.getMessage());
        } catch (CiliumInputException e) {
            err.println("inspect: " + e.getMessage());
            return Main.BAD_INPUT;
        } catch (RefusedConfigurationException e) {
            err.println("inspect: " + (e.by().equals("helm") ? "Helm" : "Cilium") + " would refuse mode '" + mode + "' of " + scenario
                    + ": " + e.getMessage());
            return Main.BAD_INPUT;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(inspection.answer())
                : InspectText.of(inspection.answer()) + inspection.upgrade().map(u -> "\n" + UpgradeText.of(u, "the captured " + config)
                .stripTrailing()).orElse(""));
        out.flush();
        return inspection.exit();
    }

    private CiliumVersion version(String option, String text) {
        try {
            return CiliumVersion.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
    }
}
