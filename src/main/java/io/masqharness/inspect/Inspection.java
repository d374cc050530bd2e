package io.masqharness.inspect;

import io.masqharness.cilium.CiliumConfigCapture;
import io.masqharness.cilium.ConfigKeys;
import io.masqharness.cilium.InputProblem;
import io.masqharness.cilium.IpMasqAgentConfigCapture;
import io.masqharness.cilium.NodeCapture;
import io.masqharness.cluster.ModeCheck;
import io.masqharness.oracle.CiliumVersion;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioFacts;
import io.masqharness.upgrade.CapturedUpgrade;
import io.masqharness.upgrade.UpgradeReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code inspect} answers: the captures read (with the problems found in them), and with a scenario's mode the
 * checks the live backends run and the source each destination class gets; with a target release, what upgrading the
 * captured configuration changes. The answer is one JSON-shaped map; {@link #exit} is the command's status.
 *
 * @param answer  the JSON object {@code inspect --json} prints
 * @param exit    0 read and every check passed, 1 a check failed or the upgrade changes something, 2 the upgrade breaks a mode
 * @param upgrade the upgrade's answer, when a target was given
 */
public record Inspection(Map<String, Object> answer, int exit, Optional<UpgradeReport> upgrade) {

    /** The release that wrote the captured cilium-config cannot be told, and an upgrade from it was asked for. */
    public static final class UnknownRelease extends RuntimeException {
        UnknownRelease(String message) {
            super(message);
        }
    }

    /**
     * @throws io.masqharness.cilium.CiliumInputException        an input is unreadable or not what it was given as
     * @throws io.masqharness.oracle.RefusedConfigurationException Cilium or Helm would refuse the scenario's mode
     * @throws UnknownRelease                             a target was given and nothing says which release wrote the config
     */
    public static Inspection of(InspectInputs.Given files, Optional<Scenario> scenario, String mode, Optional<CiliumVersion> given,
                                Optional<CiliumVersion> target) {
        InspectJudge judge = scenario.map(sc -> new InspectJudge(sc, mode, given)).orElse(null);
        InspectInputs in = InspectInputs.of(files);
        List<InputProblem> problems = new ArrayList<>(in.problems());
        Optional<CiliumConfigCapture> cfg = InspectedNode.read(in.ciliumConfig(), CiliumConfigCapture::parse, CiliumConfigCapture::problems, problems);
        cfg.ifPresent(c -> ConfigKeys.for113(c.data()).problems().forEach(p -> problems.add(p.in(in.ciliumConfig().get().name()))));
        Optional<IpMasqAgentConfigCapture> agent = InspectedNode.read(in.ipMasqAgentConfig(), IpMasqAgentConfigCapture::parse,
                IpMasqAgentConfigCapture::problems, problems);
        List<InspectedNode> nodes = new ArrayList<>();
        in.nodes().forEach(n -> nodes.add(InspectedNode.parse(n)));
        nodes.forEach(n -> problems.addAll(n.problems()));
        List<Map<String, Object>> perNode = new ArrayList<>();
        boolean failed = false;
        Optional<Map<String, String>> data = cfg.map(CiliumConfigCapture::data);
        List<InspectedNode> judged = nodes.isEmpty() ? List.of(InspectedNode.parse(new NodeCapture(
                files.node() != null ? files.node() : InspectInputs.UNNAMED, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty()))) : nodes;
        for (InspectedNode n : judged) {
            Map<String, Object> j = n.json();
            if (judge != null) {
                List<ModeCheck> checks = judge.checks(n, data, agent);
                failed |= checks.stream().anyMatch(c -> c.status() == ModeCheck.Status.FAILED);
                j.put("checks", checks.stream().map(Inspection::check).toList());
                j.put("expected", judge.expectedSources(n, data, agent));
            }
            perNode.add(j);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        if (perNode.size() == 1) {
            answer.putAll(perNode.get(0));
        }
        cfg.ifPresent(c -> answer.put("config", c.data()));
        agent.ifPresent(a -> answer.put("ipMasqAgentConfig", agentConfig(a)));
        if (perNode.size() > 1) {
            answer.put("nodes", perNode);
        }
        answer.put("problems", problems.stream().map(Inspection::problem).toList());
        int exit = failed ? 1 : 0;
        Optional<UpgradeReport> upgrade = Optional.empty();
        if (target.isPresent() && cfg.isPresent()) {
            Optional<CiliumVersion> from = nodes.stream().map(InspectJudge::captured).flatMap(Optional::stream).findFirst()
                    .or(() -> given).or(() -> scenario.map(ScenarioFacts::version));
            if (from.isEmpty()) {
                throw new UnknownRelease("which release wrote this cilium-config? Give a status capture (its Cilium line says it),"
                        + " --cilium-version or --scenario");
            }
            UpgradeReport report = CapturedUpgrade.of(in.ciliumConfig().get().name(), from.get(), target.get(), cfg.get().data(),
                    agent.map(InspectJudge::file), scenario);
            answer.put("upgrade", report);
            exit = Math.max(exit, report.exitCode());
            upgrade = Optional.of(report);
        }
        return new Inspection(answer, exit, upgrade);
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
