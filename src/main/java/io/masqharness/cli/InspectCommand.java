package io.masqharness.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.masqharness.cilium.CiliumConfigCapture;
import io.masqharness.cilium.CiliumInputException;
import io.masqharness.cilium.ConfigKeys;
import io.masqharness.cilium.InputProblem;
import io.masqharness.cilium.IpMasqAgentConfigCapture;
import io.masqharness.cilium.TextFile;
import io.masqharness.cluster.ModeCheck;
import io.masqharness.oracle.CiliumVersion;
import io.masqharness.oracle.RefusedConfigurationException;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioFacts;
import io.masqharness.upgrade.UpgradeReport;
import io.masqharness.upgrade.UpgradeText;
import io.masqharness.scenario.ScenarioLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
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
        Map<String, Object> answer;
        int exit;
        UpgradeReport upgrade = null;
        try {
            Optional<Scenario> loaded = scenario == null ? Optional.empty() : Optional.of(new ScenarioLoader().load(scenario));
            InspectJudge judge = loaded.map(sc -> new InspectJudge(sc, mode, given)).orElse(null);
            InspectInputs in = InspectInputs.of(this);
            List<InputProblem> problems = new ArrayList<>(in.problems());
            Optional<CiliumConfigCapture> cfg = parse(in.ciliumConfig(), CiliumConfigCapture::parse, CiliumConfigCapture::problems, problems);
            cfg.ifPresent(c -> ConfigKeys.for113(c.data()).problems().forEach(p -> problems.add(p.in(in.ciliumConfig().get().name()))));
            Optional<IpMasqAgentConfigCapture> agent = parse(in.ipMasqAgentConfig(), IpMasqAgentConfigCapture::parse,
                    IpMasqAgentConfigCapture::problems, problems);
            List<InspectedNode> nodes = new ArrayList<>();
            in.nodes().forEach(n -> nodes.add(InspectedNode.parse(n)));
            nodes.forEach(n -> problems.addAll(n.problems()));
            List<Map<String, Object>> perNode = new ArrayList<>();
            boolean failed = false;
            Optional<Map<String, String>> data = cfg.map(CiliumConfigCapture::data);
            for (InspectedNode n : nodes.isEmpty() ? List.of(InspectedNode.parse(new io.masqharness.cilium.NodeCapture(
                    node != null ? node : InspectInputs.UNNAMED, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()))) : nodes) {
                Map<String, Object> j = n.json();
                if (judge != null) {
                    List<ModeCheck> checks = judge.checks(n, data, agent);
                    failed |= checks.stream().anyMatch(c -> c.status() == ModeCheck.Status.FAILED);
                    j.put("checks", checks.stream().map(InspectCommand::check).toList());
                    j.put("expected", judge.expectedSources(n, data, agent));
                }
                perNode.add(j);
            }
            answer = new LinkedHashMap<>();
            if (perNode.size() == 1) {
                answer.putAll(perNode.get(0));
            }
            cfg.ifPresent(c -> answer.put("config", c.data()));
            agent.ifPresent(a -> answer.put("ipMasqAgentConfig", agentConfig(a)));
            if (perNode.size() > 1) {
                answer.put("nodes", perNode);
            }
            answer.put("problems", problems.stream().map(InspectCommand::problem).toList());
            exit = failed ? 1 : 0;
            if (target.isPresent() && cfg.isPresent()) {
                Optional<CiliumVersion> from = nodes.stream().map(InspectJudge::captured).flatMap(Optional::stream).findFirst()
                        .or(() -> given).or(() -> loaded.map(ScenarioFacts::version));
                if (from.isEmpty()) {
                    throw new ParameterException(spec.commandLine(), "--upgrade-to: which release wrote this cilium-config? Give a status"
                            + " capture (its Cilium line says it), --cilium-version or --scenario");
                }
                upgrade = io.masqharness.upgrade.CapturedUpgrade.of(in.ciliumConfig().get().name(), from.get(), target.get(), cfg.get().data(),
                        agent.map(InspectJudge::file), loaded);
                answer.put("upgrade", upgrade);
                exit = Math.max(exit, upgrade.exitCode());
            }
        } catch (CiliumInputException e) {
            err.println("inspect: " + e.getMessage());
            return Main.BAD_INPUT;
        } catch (RefusedConfigurationException e) {
            err.println("inspect: " + (e.by().equals("helm") ? "Helm" : "Cilium") + " would refuse mode '" + mode + "' of " + scenario
                    + ": " + e.getMessage());
            return Main.BAD_INPUT;
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(json ? new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(answer)
                : InspectText.of(answer) + (upgrade == null ? "" : "\n" + UpgradeText.of(upgrade, "the captured " + config).stripTrailing()));
        out.flush();
        return exit;
    }

    private static <T> Optional<T> parse(Optional<TextFile> file, Function<String, T> parser, Function<T, List<InputProblem>> of,
                                         List<InputProblem> problems) {
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try {
            T value = parser.apply(file.get().text());
            of.apply(value).forEach(p -> problems.add(p.in(file.get().name())));
            return Optional.of(value);
        } catch (CiliumInputException e) {
            throw e.in(file.get().name());
        }
    }

    private CiliumVersion version(String option, String text) {
        try {
            return CiliumVersion.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
    }

    static Map<String, Object> check(ModeCheck c) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("check", c.check());
        j.put("status", c.status().name());
        j.put("message", c.message());
        if (!c.evidence().isBlank() && c.status() == ModeCheck.Status.FAILED && c.check().startsWith("tuning ")) {
            j.put("evidence", c.evidence()); // the agent's own line that shows the toggle not in force
        }
        return j;
    }

    static Map<String, Object> problem(InputProblem p) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("file", p.source());
        j.put("line", p.line());
        j.put("message", p.message());
        return j;
    }

    static Map<String, Object> agentConfig(IpMasqAgentConfigCapture a) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("nonMasqueradeCIDRs", a.nonMasqueradeCidrs());
        j.put("masqLinkLocal", a.masqLinkLocal());
        return j;
    }
}
