package io.masqharness.cluster.k8s;

import io.masqharness.cilium.CiliumInputException;
import io.masqharness.cilium.InputProblem;
import io.masqharness.cilium.IpMasqMap;
import io.masqharness.cilium.IptablesCapture;
import io.masqharness.cilium.IptablesRule;
import io.masqharness.cilium.MasqueradeRules;
import io.masqharness.cilium.MasqueradingStatus;
import io.masqharness.cilium.NatEntry;
import io.masqharness.cilium.NatList;
import io.masqharness.cilium.StatusCapture;
import io.masqharness.cluster.ExecResult;
import io.masqharness.cluster.ModeCheck;
import io.masqharness.net.Cidr;
import io.masqharness.net.Ipv4;
import io.masqharness.oracle.AgentConfig;
import io.masqharness.oracle.ClusterFacts;
import io.masqharness.oracle.Expectation;
import io.masqharness.oracle.Flow;
import io.masqharness.oracle.MasqueradeMode;
import io.masqharness.oracle.MasqueradeOracle;
import io.masqharness.oracle.Protocol;
import io.masqharness.tuning.AgentEvidence;
import io.masqharness.tuning.Toggle;
import io.masqharness.tuning.TuningCheck;
import io.masqharness.tuning.TuningExpectation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Judges which masquerading a Cilium agent really runs, from the text of its own commands: the status
 * line and health, its iptables rules, its ipmasq map, its NAT entries. One code path: the live backends
 * capture the text by exec in the agent ({@link #verifyAll}), {@code inspect} reads it from files, and both
 * call {@link #judge}. A mode that is not the expected one fails with the agent's own log lines when live.
 */
public final class CiliumModeChecks {

    static final Duration EXEC = Duration.ofSeconds(30);
    static final String STATUS_CHECK = "cilium status Masquerading line";
    static final String HEALTH_CHECK = "cilium status health";
    static final String RULES_CHECK = "iptables-save -t nat (cilium-agent)";
    static final String IPMASQ_CHECK = "cilium bpf ipmasq list";
    static final String NAT_CHECK = "cilium bpf nat list XLATE_SRC entry";
    static final String NAT_MODE_CHECK = "cilium bpf nat list entries";
    static final String AGENT_CHECK = "Cilium agent pod";

    /** One command's output: live, with its exit status and stderr apart; from a file, the text as captured. */
    public record Capture(String stdout, String stderr, OptionalInt exitCode) {

        public static Capture of(ExecResult r) {
            return new Capture(r.stdout(), r.stderr(), OptionalInt.of(r.exitCode()));
        }

        public static Capture file(String text) {
            return new Capture(text, "", OptionalInt.empty());
        }

        String evidence() {
            return exitCode.isEmpty() ? stdout : new ExecResult(exitCode.getAsInt(), stdout, stderr).toString();
        }
    }

    /** What was captured from one agent; a check runs only for what is there. */
    public record AgentCaptures(Optional<Capture> status, Optional<Capture> iptables, Optional<Capture> ipMasq) {
    }

    private CiliumModeChecks() {
    }

    /**
     * The checks live verification and {@code inspect} share.
     *
     * @param podCidr the node's pod CIDR when known (live: the node's; inspect: the status capture's IPAM line)
     */
    public static List<ModeCheck> judge(String node, AgentConfig expected, Optional<Cidr> podCidr, AgentCaptures c) {
        List<ModeCheck> checks = new ArrayList<>();
        c.status().ifPresent(s -> {
            checks.add(agentHealth(node, s));
            checks.add(statusLine(node, expected, podCidr, s));
        });
        c.iptables().ifPresent(r -> checks.add(masqueradeRules(node, expected, podCidr, r)));
        c.ipMasq().ifPresent(m -> checks.add(ipMasqMap(node, expected, m)));
        return checks;
    }

    public static List<ModeCheck> forAgent(CiliumKube kube, String node, String pod, AgentConfig expected, Cidr podCidr) {
        return forAgent(kube, node, pod, expected, podCidr, AgentSettling.Bounds.LIVE);
    }

    /** The health is judged from the last of the {@code cilium status} runs it takes to exit 0, at most {@code bounds.status()} (N8). */
    static List<ModeCheck> forAgent(CiliumKube kube, String node, String pod, AgentConfig expected, Cidr podCidr, AgentSettling.Bounds bounds) {
        AgentSettling.Attempts<Capture> statuses = AgentSettling.until(() -> Capture.of(kube.execInAgent(pod, EXEC, "cilium", "status")),
                c -> c.exitCode().orElse(-1) == 0, bounds.status(), bounds.every());
        Capture status = statuses.last();
        Capture nat = Capture.of(kube.execInAgent(pod, EXEC, "iptables-save", "-t", "nat"));
        Optional<Capture> ipMasq = expected.ipMasqAgent()
                ? Optional.of(Capture.of(kube.execInAgent(pod, EXEC, "cilium", "bpf", "ipmasq", "list"))) : Optional.empty();
        List<ModeCheck> checks = new ArrayList<>(judge(node, expected, Optional.of(podCidr),
                new AgentCaptures(Optional.of(status), Optional.of(nat), ipMasq)).stream()
                .map(c -> c.check().equals(HEALTH_CHECK) ? new ModeCheck(c.node(), c.check(), c.status(), c.message() + statuses.suffix(),
                        c.evidence()) : c).toList());
        if (checks.stream().anyMatch(c -> c.status() == ModeCheck.Status.FAILED)) {
            List<String> log = kube.masqueradeLogLines(pod);
            checks.add(ModeCheck.failed(node, "cilium-agent log", "the agent's own account of its masquerading", String.join("\n", log)));
        }
        return checks;
    }

    /**
     * {@code cilium status} prints the whole status and only then exits 1 when the daemon is not Ok
     * (cilium/cmd/status.go, {@code isUnhealthy}): the Masquerading line is read whatever the exit
     * status, and the health is a check of its own.
     */
    static ModeCheck statusLine(String node, AgentConfig expected, Optional<Cidr> podCidr, Capture status) {
        StatusCapture parsed;
        try {
            parsed = StatusCapture.parse(status.stdout());
        } catch (CiliumInputException e) {
            return ModeCheck.failed(node, STATUS_CHECK, e.reason() + (status.exitCode().isPresent()
                    ? " (exit " + status.exitCode().getAsInt() + ")" : ""), status.evidence());
        }
        if (parsed.masquerading().isEmpty()) {
            return ModeCheck.failed(node, STATUS_CHECK, "cannot tell the mode: " + parsed.problems().stream()
                    .map(InputProblem::toString).collect(Collectors.joining("; ")), status.evidence());
        }
        MasqueradingStatus s = parsed.masquerading().get();
        String want = expected.statusLabel();
        boolean ipv4Off = s.ipv4().filter(v -> !v).isPresent();
        String got = ipv4Off ? "Disabled" : s.label();
        if (!got.equals(want)) {
            String why = ipv4Off ? " (the line shows IPv4: Disabled; '" + s.label() + "' applies to IPv6 only)"
                    : expected.fallback().map(f -> " (the oracle predicts this fallback: " + f + ")")
                    .orElse(expected.requestedBpf() && got.equals("IPTables") ? " (a silent fallback: see the agent log)" : "");
            return ModeCheck.failed(node, STATUS_CHECK, "expected " + want + ", the agent runs " + got + why, s.line());
        }
        if (expected.mode() == MasqueradeMode.BPF) {
            Optional<Cidr> own = podCidr.or(() -> parsed.podCidr().flatMap(CiliumModeChecks::cidr));
            Optional<String> exclusion = expected.nativeRoutingCidr().or(() -> own).map(Cidr::toString);
            if (exclusion.isEmpty()) {
                return ModeCheck.passed(node, STATUS_CHECK, want + " on " + s.devices() + "; exclusion CIDR "
                        + s.exclusionCidr().orElse("none") + " not compared (the node's pod CIDR is unknown)", s.line());
            }
            if (s.exclusionCidr().filter(exclusion.get()::equals).isEmpty()) {
                return ModeCheck.failed(node, STATUS_CHECK, "expected exclusion CIDR " + exclusion.get() + ", status shows "
                        + s.exclusionCidr().orElse("none"), s.line());
            }
        }
        return ModeCheck.passed(node, STATUS_CHECK, want + (s.devices().isEmpty() ? "" : " on " + s.devices()), s.line());
    }

    /** The agent's own health: from the exit status when live ({@code cilium status} exits 1 unless Ok), else the {@code Cilium:} line. */
    static ModeCheck agentHealth(String node, Capture status) {
        Optional<String> state;
        try {
            state = StatusCapture.parse(status.stdout()).ciliumState();
        } catch (CiliumInputException e) {
            state = Optional.empty();
        }
        String shown = "Cilium: " + state.orElse("no 'Cilium:' line");
        if (status.exitCode().isPresent()) {
            int exit = status.exitCode().getAsInt();
            return exit == 0 ? ModeCheck.passed(node, HEALTH_CHECK, shown, shown)
                    : ModeCheck.failed(node, HEALTH_CHECK, "`cilium status` exited " + exit + " (the agent is not healthy); " + shown,
                    status.evidence());
        }
        if (state.isEmpty()) {
            return ModeCheck.notApplicable(node, HEALTH_CHECK, "the capture has no 'Cilium:' line and no exit status to judge");
        }
        return state.get().equals("Ok") ? ModeCheck.passed(node, HEALTH_CHECK, shown, shown)
                : ModeCheck.failed(node, HEALTH_CHECK, "the agent is not healthy; " + shown, shown);
    }

    /**
     * iptables mode has the {@code cilium masquerade non-cluster} MASQUERADE rule in CILIUM_POST_nat, excluding the
     * exclusion CIDR; BPF mode keeps the chain without it. A dump without any Cilium chain was taken where the
     * agent's iptables backend is not (legacy vs nft), so it proves nothing.
     */
    static ModeCheck masqueradeRules(String node, AgentConfig expected, Optional<Cidr> podCidr, Capture dump) {
        IptablesCapture parsed;
        try {
            parsed = IptablesCapture.parse(dump.stdout());
        } catch (CiliumInputException e) {
            return ModeCheck.failed(node, RULES_CHECK, "unreadable: " + e.reason(), dump.evidence());
        }
        if (dump.exitCode().isPresent() && dump.exitCode().getAsInt() != 0) {
            return ModeCheck.failed(node, RULES_CHECK, "could not read: exit " + dump.exitCode().getAsInt(), dump.evidence());
        }
        if (parsed.chains().stream().noneMatch(c -> c.startsWith("CILIUM_"))
                && parsed.rules().stream().noneMatch(r -> r.target().filter(t -> t.startsWith("CILIUM_")).isPresent())) {
            return ModeCheck.failed(node, RULES_CHECK, "no Cilium chain in this dump: it was not taken with the iptables"
                    + " backend the agent uses (capture it in the cilium-agent container)", dump.evidence());
        }
        Optional<IptablesRule> rule = MasqueradeRules.masqueradeRule(parsed.rules());
        boolean wanted = expected.mode() == MasqueradeMode.IPTABLES;
        String name = "'" + MasqueradeRules.MASQUERADE_COMMENT + "' rule";
        if (rule.isPresent() != wanted) {
            return ModeCheck.failed(node, RULES_CHECK, name + " " + (rule.isPresent() ? "present" : "absent") + ", expected "
                    + (wanted ? "present" : "absent") + " in " + expected.mode().label() + " mode", dump.evidence());
        }
        if (rule.isPresent()) {
            Optional<String> exclusion = expected.nativeRoutingCidr().or(() -> podCidr).map(Cidr::toString);
            Optional<String> shown = rule.get().negatedOption("-d");
            if (exclusion.isPresent() && !shown.equals(exclusion)) {
                return ModeCheck.failed(node, RULES_CHECK, name + " excludes " + shown.orElse("nothing") + ", expected "
                        + exclusion.get() + ": " + rule.get().line(), dump.evidence());
            }
        }
        return ModeCheck.passed(node, RULES_CHECK, name + " " + (rule.isPresent() ? "present" : "absent") + " as in "
                + expected.mode().label() + " mode", rule.map(IptablesRule::line).orElse(dump.evidence()));
    }

    /** The map holds exactly the oracle's CIDRs (IPv4; 1.14+ adds IPv6 ones, not judged); none when the mode has no ip-masq-agent. */
    static ModeCheck ipMasqMap(String node, AgentConfig expected, Capture list) {
        IpMasqMap map;
        try {
            map = list.exitCode().isPresent() ? IpMasqMap.parse(list.exitCode().getAsInt(), list.stdout(), list.stderr())
                    : IpMasqMap.parse(list.stdout());
        } catch (CiliumInputException e) {
            return ModeCheck.failed(node, IPMASQ_CHECK, e.reason(), list.evidence());
        }
        Set<String> want = expected.ipMasqAgentCidrs().stream().map(Cidr::toString).collect(Collectors.toCollection(TreeSet::new));
        Set<String> got = map.cidrs().stream().filter(c -> c.indexOf(':') < 0).collect(Collectors.toCollection(TreeSet::new));
        if (got.equals(want)) {
            return ModeCheck.passed(node, IPMASQ_CHECK, want.isEmpty() ? "no CIDR, as the mode has no ip-masq-agent (map "
                    + map.state() + ")" : "exactly the " + want.size() + " expected CIDRs", list.stdout());
        }
        Set<String> missing = new TreeSet<>(want);
        missing.removeAll(got);
        Set<String> extra = new TreeSet<>(got);
        extra.removeAll(want);
        return ModeCheck.failed(node, IPMASQ_CHECK, "expected " + want + ", map " + map.state() + " " + map.cidrs()
                + (missing.isEmpty() ? "" : "; missing " + missing) + (extra.isEmpty() ? "" : "; unexpected " + extra), list.evidence());
    }

    /**
     * Every NAT entry that rewrote the source of a pod of the cluster must be for a destination the oracle
     * masquerades in the mode; an entry for a destination the mode keeps the pod IP for contradicts it.
     */
    public static ModeCheck natEntriesMatchMode(String node, ClusterFacts facts, AgentConfig config, NatList nat) {
        List<String> contradicting = new ArrayList<>();
        int judged = 0;
        for (NatEntry e : nat.entries()) {
            Optional<Ipv4> source = ipv4(e.source());
            Optional<ClusterFacts.Node> owner = source.flatMap(facts::nodeWithPod);
            Optional<Protocol> protocol = protocol(e.protocol());
            if (!e.translatesSource() || owner.isEmpty() || protocol.isEmpty() || ipv4(e.destination()).isEmpty()) {
                continue;
            }
            judged++;
            Expectation x = MasqueradeOracle.expect(facts, config, Flow.fromPod(owner.get().name(), e.destination(),
                    protocol.get()).withPodIp(source.get()));
            if (x.source() != Expectation.Source.NODE_IP) {
                contradicting.add(e.line() + " (expected " + x + ": " + x.reason() + ")");
            }
        }
        if (judged == 0) {
            return ModeCheck.notApplicable(node, NAT_MODE_CHECK, "no entry rewrites the source of a pod in the scenario's pod CIDRs");
        }
        return contradicting.isEmpty()
                ? ModeCheck.passed(node, NAT_MODE_CHECK, judged + " SNAT entries from pods, each to a destination this mode"
                + " masquerades", "")
                : ModeCheck.failed(node, NAT_MODE_CHECK, contradicting.size() + " of " + judged + " SNAT entries from pods go"
                + " to destinations this mode does not masquerade", String.join("\n", contradicting));
    }

    private static Optional<Ipv4> ipv4(String s) {
        try {
            return Optional.of(Ipv4.parse(s));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<Cidr> cidr(String s) {
        try {
            return Optional.of(Cidr.parse(s));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<Protocol> protocol(String nat) {
        return switch (nat) {
            case "TCP" -> Optional.of(Protocol.TCP);
            case "UDP" -> Optional.of(Protocol.UDP);
            case "SCTP" -> Optional.of(Protocol.SCTP);
            case "ICMP" -> Optional.of(Protocol.ICMP_ECHO);
            default -> Optional.empty();
        };
    }

    /**
     * Every agent, before any probe: waits (bounded) for the ip-masq-agent maps when the mode has
     * the agent, then the checks of {@link #forAgent}, and in BPF mode a flow from a pod on each node
     * followed by its NAT entry, to a destination this mode must masquerade from that pod
     * ({@link #natDestination}). Nodes where Cilium runs no agent are listed as not applicable: Cilium
     * has no datapath there to be in a mode.
     *
     * @param facts the cluster's nodes, pod ranges and devices, as the oracle reasons about them
     */
    public static List<ModeCheck> verifyAll(CiliumKube kube, ClusterFacts facts, List<io.masqharness.cluster.Pod> pods,
                                            AgentConfig expected, List<Ipv4> destinations, Duration ipMasqBound) {
        return verifyAll(kube, facts, pods, expected, destinations, ipMasqBound, Optional.empty(), AgentSettling.Bounds.LIVE);
    }

    /** As above, and each tuning toggle the mode asks for confirmed on every agent ({@link #tuningForAgent}). */
    public static List<ModeCheck> verifyAll(CiliumKube kube, ClusterFacts facts, List<io.masqharness.cluster.Pod> pods,
                                            AgentConfig expected, List<Ipv4> destinations, Duration ipMasqBound,
                                            Optional<TuningExpectation> tuning) {
        return verifyAll(kube, facts, pods, expected, destinations, ipMasqBound, tuning, AgentSettling.Bounds.LIVE);
    }

    static List<ModeCheck> verifyAll(CiliumKube kube, ClusterFacts facts, List<io.masqharness.cluster.Pod> pods,
                                     AgentConfig expected, List<Ipv4> destinations, Duration ipMasqBound, AgentSettling.Bounds bounds) {
        return verifyAll(kube, facts, pods, expected, destinations, ipMasqBound, Optional.empty(), bounds);
    }

    static List<ModeCheck> verifyAll(CiliumKube kube, ClusterFacts facts, List<io.masqharness.cluster.Pod> pods,
                                     AgentConfig expected, List<Ipv4> destinations, Duration ipMasqBound,
                                     Optional<TuningExpectation> tuning, AgentSettling.Bounds bounds) {
        Map<String, String> kernels = tuning.filter(t -> !t.requested().isEmpty()).map(t -> kube.nodeKernels()).orElse(Map.of());
        int port = io.masqharness.cluster.Cluster.TCP_PORT;
        if (expected.ipMasqAgent()) {
            awaitIpMasqMaps(kube, expected, ipMasqBound);
        }
        List<ModeCheck> checks = new ArrayList<>();
        Map<String, String> agents = kube.agentPodsByNode();
        kube.nodesWithoutAgent().forEach(n -> checks.add(ModeCheck.notApplicable(n, AGENT_CHECK, "no pod labelled "
                + CiliumKube.AGENT_LABEL + "=" + CiliumKube.AGENT_LABEL_VALUE + " in " + kube.namespace() + " runs on this node:"
                + " Cilium's DaemonSet does not select it (a Windows, virtual or excluded node), so it has no Cilium datapath to judge")));
        for (ClusterFacts.Node n : facts.nodes()) {
            if (!agents.containsKey(n.name())) {
                checks.add(ModeCheck.failed(n.name(), AGENT_CHECK, "the node's agent pod is gone since the run discovered it", ""));
            }
        }
        for (Map.Entry<String, String> agent : agents.entrySet()) {
            String node = agent.getKey();
            if (facts.nodes().stream().noneMatch(n -> n.name().equals(node))) {
                checks.add(ModeCheck.failed(node, AGENT_CHECK, "an agent runs here, but the node was not there when the run began,"
                        + " so no probe pod stands for it", ""));
                continue;
            }
            checks.addAll(forAgent(kube, node, agent.getValue(), expected, facts.node(node).podCidr(), bounds));
            tuning.ifPresent(t -> checks.addAll(tuningForAgent(kube, node, agent.getValue(), t, Optional.ofNullable(kernels.get(node)))));
            if (expected.mode() == MasqueradeMode.BPF) {
                io.masqharness.cluster.Pod pod = pods.stream().filter(p -> p.node().equals(node)).findFirst().orElse(null);
                if (pod == null) {
                    checks.add(ModeCheck.failed(node, NAT_CHECK, "no probe pod on this node", ""));
                    continue;
                }
                Optional<Ipv4> destination = natDestination(facts, expected, node, pod.ip(), destinations);
                if (destination.isEmpty()) {
                    checks.add(ModeCheck.notApplicable(node, NAT_CHECK, "no destination of the scenario is masqueraded from "
                            + node + " in this mode (oracle), so no SNAT entry is expected"));
                    continue;
                }
                String target = destination.get().toString();
                // The first flows after a restart may leave before bpf_host is the new mode's (N4): flow again, bounded.
                AgentSettling.Attempts<ModeCheck> flows = AgentSettling.until(() -> {
                    pod.host().exec(Duration.ofSeconds(20), "probe", "snat", "--target", target + ":" + port, "--protocol", "tcp", "--count", "1");
                    return natEntry(kube, node, agent.getValue(), pod.ip().toString(), target, port);
                }, c -> c.status() == ModeCheck.Status.PASSED, bounds.nat(), bounds.every());
                ModeCheck nat = flows.last();
                checks.add(new ModeCheck(nat.node(), nat.check(), nat.status(), nat.message() + flows.suffix().replace("attempts",
                        "flows"), nat.evidence()));
            }
        }
        return checks;
    }

    /**
     * The tuning toggles the mode asks for, confirmed from what the agent reports: {@code cilium status --verbose} (the KPR
     * details carry DSR and XDP), cilium-config (routing before 1.16, MTU, map sizes), cilium_host's MTU and the raw table's
     * NOTRACK rules when the mode asks for those. The oracle's answer for the node's kernel explains a fallback.
     */
    static List<ModeCheck> tuningForAgent(CiliumKube kube, String node, String pod, TuningExpectation tuning, Optional<String> kernel) {
        java.util.Set<Toggle> requested = tuning.requested();
        if (requested.isEmpty()) {
            return List.of();
        }
        Optional<String> status = Optional.of(kube.execInAgent(pod, EXEC, "cilium", "status", "--verbose").stdout());
        Optional<Map<String, String>> config = Optional.of(kube.agentConfig());
        Optional<String> mtu = requested.contains(Toggle.MTU)
                ? Optional.of(kube.execInAgent(pod, EXEC, "cat", "/sys/class/net/cilium_host/mtu")).filter(ExecResult::ok).map(ExecResult::stdout)
                : Optional.empty();
        Optional<String> raw = requested.contains(Toggle.NO_CONNTRACK)
                ? Optional.of(kube.execInAgent(pod, EXEC, "iptables-save", "-t", "raw")).filter(ExecResult::ok).map(ExecResult::stdout)
                : Optional.empty();
        return tuning(node, tuning, kernel, new AgentEvidence(status, config, mtu, raw));
    }

    /** A scenario mode's tuning: its values flattened as {@code --reuse-values --set} leaves them, on the scenario's release. */
    public static TuningExpectation tuningOf(io.masqharness.scenario.Scenario scenario, io.masqharness.scenario.ModeSpec mode) {
        return new TuningExpectation(mode.name(), io.masqharness.scenario.ScenarioFacts.helmValues(scenario, mode), mode.values().keySet(),
                io.masqharness.scenario.ScenarioFacts.ipMasqAgentFile(scenario, mode), io.masqharness.scenario.ScenarioFacts.version(scenario));
    }

    /** The tuning checks as mode checks: the live backends and {@code inspect} share this. */
    public static List<ModeCheck> tuning(String node, TuningExpectation tuning, Optional<String> kernel, AgentEvidence evidence) {
        return tuning.judge(kernel, evidence).stream().map(c -> modeCheck(node, c)).toList();
    }

    private static ModeCheck modeCheck(String node, TuningCheck c) {
        return switch (c.status()) {
            case PASSED -> ModeCheck.passed(node, c.name(), c.message(), c.evidence());
            case FAILED -> ModeCheck.failed(node, c.name(), c.message(), c.evidence());
            case NOT_APPLICABLE -> ModeCheck.notApplicable(node, c.name(), c.message());
        };
    }

    /**
     * The first destination the oracle says a TCP flow from {@code podIp} on {@code node} leaves
     * with the node's IP: only such a flow gets an SNAT entry (bpf/lib/nat.h skips ip-masq-agent
     * CIDRs, the exclusion CIDR and remote nodes).
     */
    static Optional<Ipv4> natDestination(ClusterFacts facts, AgentConfig expected, String node, Ipv4 podIp, List<Ipv4> destinations) {
        return destinations.stream().filter(d -> MasqueradeOracle.expect(facts, expected,
                Flow.fromPod(node, d.toString(), Protocol.TCP).withPodIp(podIp)).source() == Expectation.Source.NODE_IP).findFirst();
    }

    /** ConfigMap changes reach the agents through kubelet's sync (about a minute): poll each agent's map, bounded. */
    static void awaitIpMasqMaps(CiliumKube kube, AgentConfig expected, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            boolean all = kube.agentPodsByNode().entrySet().stream().allMatch(agent -> ipMasqMap(agent.getKey(), expected,
                    Capture.of(kube.execInAgent(agent.getValue(), EXEC, "cilium", "bpf", "ipmasq", "list"))).status()
                    == ModeCheck.Status.PASSED);
            if (all) {
                return;
            }
            try {
                Thread.sleep(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        // Not converged: the ipmasq check that follows fails and shows what each map holds.
    }

    /** BPF mode: after a flow from {@code podIp} to {@code destination}:{@code port}, its SNAT entry is in the NAT map. */
    public static ModeCheck natEntry(CiliumKube kube, String node, String pod, String podIp, String destination, int port) {
        ExecResult r = kube.execInAgent(pod, EXEC, "cilium", "bpf", "nat", "list");
        return natEntry(node, Capture.of(r), podIp, destination, port);
    }

    static ModeCheck natEntry(String node, Capture nat, String podIp, String destination, int port) {
        List<NatEntry> entries;
        try {
            entries = NatEntry.snatFor(NatList.parse(nat.stdout()).entries(), podIp, destination, port);
        } catch (CiliumInputException e) {
            return ModeCheck.failed(node, NAT_CHECK, "unreadable: " + e.reason(), nat.evidence());
        }
        return entries.isEmpty()
                ? ModeCheck.failed(node, NAT_CHECK, "no SNAT entry for " + podIp + " -> " + destination + ":" + port
                + " after a flow", nat.evidence())
                : ModeCheck.passed(node, NAT_CHECK, entries.get(0).line(), entries.get(0).line());
    }
}
