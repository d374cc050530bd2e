package io.masqharness.inspect;

import io.masqharness.cilium.AgentVersion;
import io.masqharness.cilium.ConfigKeys;
import io.masqharness.cilium.IpMasqAgentConfigCapture;
import io.masqharness.cilium.MasqueradingStatus;
import io.masqharness.cluster.ModeCheck;
import io.masqharness.cluster.k8s.CiliumConfigValues;
import io.masqharness.cluster.k8s.CiliumModeChecks;
import io.masqharness.net.Cidr;
import io.masqharness.oracle.AgentConfig;
import io.masqharness.oracle.AgentConfigDeriver;
import io.masqharness.oracle.ChartConfigKeys;
import io.masqharness.oracle.CiliumVersion;
import io.masqharness.oracle.ClusterFacts;
import io.masqharness.oracle.Expectation;
import io.masqharness.oracle.Flow;
import io.masqharness.oracle.HelmValues;
import io.masqharness.oracle.IpMasqAgentFile;
import io.masqharness.oracle.MasqueradeMode;
import io.masqharness.oracle.MasqueradeOracle;
import io.masqharness.oracle.OracleException;
import io.masqharness.oracle.Protocol;
import io.masqharness.scenario.ModeSpec;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioFacts;
import io.masqharness.tuning.AgentEvidence;
import io.masqharness.tuning.TuningExpectation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A scenario mode held against one node's captured state: the shared agent checks of {@link CiliumModeChecks},
 * the captured configuration against the mode, and the source each destination class gets from the oracle on
 * the configuration the node was captured with.
 */
public final class InspectJudge {

    public static final String CONFIG_CHECK = "captured cilium-config";
    static final String AGENT_CONFIG_CHECK = "captured ip-masq-agent config";

    private final Scenario scenario;
    private final ModeSpec mode;
    private final AgentConfig expected;
    private final ClusterFacts facts;
    private final Optional<CiliumVersion> given;

    /** @param given the version the captures came from, when no status capture says it (--cilium-version) */
    InspectJudge(Scenario scenario, String modeName, Optional<CiliumVersion> given) {
        this.scenario = scenario;
        this.mode = scenario.mode(modeName);
        this.expected = ScenarioFacts.agentConfig(scenario, mode);
        this.facts = ScenarioFacts.clusterFacts(scenario);
        this.given = given;
    }

    /**
     * The release a node's captures are judged by: its status capture's {@code Cilium:} line, else --cilium-version,
     * else the scenario's cilium.version.
     */
    CiliumVersion version(InspectedNode n) {
        return captured(n).or(() -> given).orElseGet(() -> ScenarioFacts.version(scenario));
    }

    static Optional<CiliumVersion> captured(InspectedNode n) {
        return n.captures().status().flatMap(t -> AgentVersion.of(t.text())).filter(CiliumVersion::isSupported).map(CiliumVersion::parse);
    }

    List<ModeCheck> checks(InspectedNode n, Optional<Map<String, String>> config, Optional<IpMasqAgentConfigCapture> agentConfig) {
        Optional<Cidr> podCidr = n.status().flatMap(s -> s.podCidr()).flatMap(InspectJudge::cidr);
        List<ModeCheck> checks = new ArrayList<>(CiliumModeChecks.judge(n.node(), expected, podCidr,
                new CiliumModeChecks.AgentCaptures(text(n.captures().status()), text(n.captures().iptables()),
                        text(n.captures().ipMasq()))));
        config.ifPresent(c -> checks.add(configCheck(n.node(), c, agentConfig, version(n))));
        agentConfig.ifPresent(a -> checks.add(agentConfigCheck(n.node(), a)));
        n.nat().ifPresent(nat -> checks.add(CiliumModeChecks.natEntriesMatchMode(n.node(), facts, expected, nat)));
        checks.addAll(CiliumModeChecks.tuning(n.node(), tuning(n), Optional.empty(), new AgentEvidence(
                n.captures().status().map(io.masqharness.cilium.TextFile::text), config, Optional.empty(),
                n.captures().iptables().map(io.masqharness.cilium.TextFile::text))));
        return checks;
    }

    /** The mode's tuning on the captured node's release (no kernel is captured: only kernel-free reasons explain a fallback). */
    private TuningExpectation tuning(InspectedNode n) {
        return new TuningExpectation(mode.name(), ScenarioFacts.helmValues(scenario, mode), mode.values().keySet(),
                ScenarioFacts.ipMasqAgentFile(scenario, mode, version(n)), version(n));
    }

    private static Optional<CiliumModeChecks.Capture> text(Optional<io.masqharness.cilium.TextFile> f) {
        return f.map(t -> CiliumModeChecks.Capture.file(t.text()));
    }

    /** The mode, the exclusion CIDR and the ip-masq-agent switch the captured cilium-config gives, against the mode's. */
    private ModeCheck configCheck(String node, Map<String, String> config, Optional<IpMasqAgentConfigCapture> agentConfig,
                                  CiliumVersion version) {
        AgentConfig captured;
        try {
            captured = derive(config, agentConfig.map(InspectJudge::file).orElse(expected.ipMasqAgentFile()), version);
        } catch (OracleException e) {
            return ModeCheck.failed(node, CONFIG_CHECK, "Cilium " + version.text() + " would not run this configuration: " + e.getMessage(), "");
        }
        List<String> differences = new ArrayList<>();
        if (!captured.statusLabel().equals(expected.statusLabel())) {
            differences.add("it gives " + captured.statusLabel() + captured.fallback().map(f -> " (" + f + ")").orElse("")
                    + ", the mode " + expected.statusLabel());
        }
        if (!captured.nativeRoutingCidr().equals(expected.nativeRoutingCidr())) {
            differences.add("ipv4-native-routing-cidr " + captured.nativeRoutingCidr().map(Cidr::toString).orElse("unset")
                    + ", the mode " + expected.nativeRoutingCidr().map(Cidr::toString).orElse("unset"));
        }
        return differences.isEmpty()
                ? ModeCheck.passed(node, CONFIG_CHECK, "gives " + captured.statusLabel() + " as mode " + mode.name() + " asks", "")
                : ModeCheck.failed(node, CONFIG_CHECK, String.join("; ", differences), "");
    }

    private ModeCheck agentConfigCheck(String node, IpMasqAgentConfigCapture captured) {
        if (!expected.ipMasqAgent()) {
            return ModeCheck.notApplicable(node, AGENT_CONFIG_CHECK, "mode " + mode.name() + " has no ip-masq-agent");
        }
        List<String> got = file(captured).effectiveCidrs().stream().map(Cidr::toString).sorted().toList();
        List<String> want = expected.ipMasqAgentCidrs().stream().map(Cidr::toString).sorted().toList();
        return got.equals(want)
                ? ModeCheck.passed(node, AGENT_CONFIG_CHECK, "gives the mode's " + want.size() + " non-masquerade CIDRs", "")
                : ModeCheck.failed(node, AGENT_CONFIG_CHECK, "gives " + got + " (" + file(captured).describe() + "), the mode "
                + want + " (" + expected.ipMasqAgentFile().describe() + ")", "");
    }

    /**
     * The source each destination class of the scenario leaves with from a pod of this node, from the oracle
     * on the captured configuration: cilium-config if captured (else the mode's values), the status line's
     * mode and the ipmasq map's CIDRs when captured, as the agent really runs them.
     */
    Map<String, Object> expectedSources(InspectedNode n, Optional<Map<String, String>> config,
                                        Optional<IpMasqAgentConfigCapture> agentConfig) {
        List<String> basis = new ArrayList<>();
        AgentConfig actual = actual(n, config, agentConfig, basis);
        ClusterFacts.Node from = node(n, basis);
        List<Map<String, Object>> flows = new ArrayList<>();
        Map<String, String> targets = new LinkedHashMap<>(ScenarioFacts.targets(scenario));
        facts.nodes().stream().filter(o -> !o.equals(from)).forEach(o -> {
            targets.put("node:" + o.name(), o.ip().toString());
            targets.put("pod:" + o.name(), ScenarioFacts.probePodAddress(ScenarioFacts.node(scenario, o.name()), 0).toString());
        });
        for (Map.Entry<String, String> t : targets.entrySet()) {
            for (Protocol p : scenario.probes()) {
                Expectation x = MasqueradeOracle.expect(facts, actual, Flow.fromPod(from.name(), t.getValue(), p));
                Map<String, Object> f = new LinkedHashMap<>();
                f.put("destination", t.getKey());
                f.put("address", t.getValue());
                f.put("protocol", p.toString());
                f.put("source", x.source().label());
                f.put("sourceAddress", x.sourceAddress().map(Object::toString).orElse(null));
                f.put("reason", x.reason());
                flows.add(f);
            }
        }
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("mode", mode.name());
        j.put("ciliumVersion", version(n).text());
        j.put("agent", actual.statusLabel());
        j.put("ipMasqAgentCidrs", actual.ipMasqAgent() ? actual.ipMasqAgentCidrs().stream().map(Cidr::toString).toList() : null);
        j.put("from", "pod:" + from.name());
        j.put("basis", basis);
        j.put("flows", flows);
        return j;
    }

    /** The agent configuration the capture shows, most direct evidence first; {@code basis} says where each part came from. */
    private AgentConfig actual(InspectedNode n, Optional<Map<String, String>> config, Optional<IpMasqAgentConfigCapture> agentConfig,
                               List<String> basis) {
        IpMasqAgentFile file = agentConfig.map(InspectJudge::file).orElse(expected.ipMasqAgentFile());
        basis.add(agentConfig.isPresent() ? "ip-masq-agent file: captured" : "ip-masq-agent file: mode " + mode.name() + " (not captured)");
        AgentConfig a = expected;
        CiliumVersion version = version(n);
        basis.add("rules: Cilium " + version.text() + (captured(n).isPresent() ? " (the captured status's Cilium line)"
                : given.isPresent() ? " (--cilium-version)" : " (the scenario's cilium.version)"));
        if (config.isPresent()) {
            try {
                a = derive(config.get(), file, version);
                basis.add("cilium-config: captured");
            } catch (OracleException e) {
                basis.add("cilium-config: captured, but Cilium " + version.text() + " would not run it (" + e.getMessage() + "); mode "
                        + mode.name() + " used");
            }
        } else {
            basis.add("cilium-config: mode " + mode.name() + " of " + scenario.file() + " (not captured)");
        }
        Optional<MasqueradingStatus> status = n.status().flatMap(s -> s.masquerading());
        if (status.isPresent()) {
            MasqueradingStatus s = status.get();
            MasqueradeMode m = s.ipv4().filter(v -> !v).isPresent() || s.mode().equals("Disabled") ? MasqueradeMode.DISABLED
                    : s.mode().equals("BPF") ? MasqueradeMode.BPF : MasqueradeMode.IPTABLES;
            boolean agent = m == MasqueradeMode.BPF && s.ipMasqAgent();
            a = a.running(m, agent, a.ipMasqAgentFile());
            basis.add("mode: the captured status line (" + s.label() + ")");
        }
        if (n.ipMasq().isPresent() && a.ipMasqAgent()) {
            List<Cidr> cidrs = n.ipMasq().get().cidrs().stream().map(InspectJudge::cidr).flatMap(Optional::stream).toList();
            a = a.running(a.mode(), true, new IpMasqAgentFile.Present(cidrs, true));
            basis.add("ip-masq-agent CIDRs: the captured ipmasq map");
        }
        return a;
    }

    /** The scenario node whose pod CIDR the status capture's IPAM line shows, else the first. */
    private ClusterFacts.Node node(InspectedNode n, List<String> basis) {
        Optional<Cidr> own = n.status().flatMap(s -> s.podCidr()).flatMap(InspectJudge::cidr);
        Optional<ClusterFacts.Node> match = own.flatMap(c -> facts.nodes().stream().filter(x -> x.podCidr().equals(c)).findFirst());
        basis.add(match.map(m -> "node: " + m.name() + " (its pod CIDR " + m.podCidr() + " is the captured IPAM's)")
                .orElse("node: " + facts.nodes().get(0).name() + " (the scenario's first; "
                        + own.map(c -> "no scenario node has the captured pod CIDR " + c).orElse("no IPAM line captured") + ")"));
        return match.orElse(facts.nodes().get(0));
    }

    /** A captured cilium-config as its release reads it: 1.13 through its own keys (older names mapped), later ones as their chart writes them. */
    static AgentConfig derive(Map<String, String> config, IpMasqAgentFile file, CiliumVersion version) {
        HelmValues values = HelmValues.of(version.atLeast(14, 0) ? ChartConfigKeys.helmValues(config, version)
                : CiliumConfigValues.helmValues(ConfigKeys.for113(config).config()));
        return AgentConfigDeriver.derive(values, file, version);
    }

    /** The ip-masq-agent file a captured ConfigMap stands for (its CIDRs that parse, masqLinkLocal and masqLinkLocalIPv6). */
    public static IpMasqAgentFile file(IpMasqAgentConfigCapture c) {
        return switch (c.state()) {
            case ABSENT -> new IpMasqAgentFile.Absent();
            case EMPTY -> new IpMasqAgentFile.Empty();
            // IPv6 entries are kept as written: 1.13 rejects such a file whole, 1.14 on reads them (IpMasqAgentFile.readBy)
            case PRESENT -> IpMasqAgentFile.of(c.nonMasqueradeCidrs() == null ? List.of()
                    : c.nonMasqueradeCidrs().stream().filter(InspectJudge::isCidr).toList(), Boolean.TRUE.equals(c.masqLinkLocal()),
                    Boolean.TRUE.equals(c.masqLinkLocalIPv6()));
        };
    }

    private static boolean isCidr(String s) {
        try {
            if (io.masqharness.net.Ipv4.looksLikeIpv6(s)) {
                io.masqharness.net.Cidr6.parse(s);
            } else {
                Cidr.parse(s);
            }
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static Optional<Cidr> cidr(String s) {
        try {
            return Optional.of(Cidr.parse(s));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
