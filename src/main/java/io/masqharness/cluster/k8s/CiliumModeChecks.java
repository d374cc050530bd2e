package io.masqharness.cluster.k8s;

import io.masqharness.cilium.IpMasqMap;
import io.masqharness.cilium.IptablesSave;
import io.masqharness.cilium.MasqueradeRules;
import io.masqharness.cilium.MasqueradingStatus;
import io.masqharness.cilium.NatEntry;
import io.masqharness.cluster.ExecResult;
import io.masqharness.cluster.ModeCheck;
import io.masqharness.net.Cidr;
import io.masqharness.oracle.AgentConfig;
import io.masqharness.oracle.ClusterFacts;
import io.masqharness.oracle.Expectation;
import io.masqharness.oracle.Flow;
import io.masqharness.oracle.MasqueradeMode;
import io.masqharness.oracle.MasqueradeOracle;
import io.masqharness.oracle.Protocol;
import io.masqharness.net.Ipv4;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Asks a Cilium agent which masquerading it really runs: the status line, its iptables rules, its
 * ipmasq map. A mode that is not the expected one fails with the agent's own log lines (a silent
 * fallback explains itself there).
 */
public final class CiliumModeChecks {

    static final Duration EXEC = Duration.ofSeconds(30);

    private CiliumModeChecks() {
    }

    public static List<ModeCheck> forAgent(CiliumKube kube, String node, String pod, AgentConfig expected, Cidr podCidr) {
        ExecResult status = kube.execInAgent(pod, EXEC, "cilium", "status");
        ExecResult nat = kube.execInAgent(pod, EXEC, "iptables-save", "-t", "nat");
        ModeCheck statusCheck = statusLine(node, expected, podCidr, status);
        ModeCheck health = agentHealth(node, status);
        ModeCheck rules = ModeCheck.failed(node, "iptables-save -t nat (cilium-agent)", "could not read: " + nat, nat.toString());
        if (nat.ok()) {
            boolean present = MasqueradeRules.masqueradeRule(IptablesSave.parse(nat.stdout())).isPresent();
            boolean wanted = expected.mode() == MasqueradeMode.IPTABLES;
            rules = present == wanted
                    ? ModeCheck.passed(node, "iptables-save -t nat (cilium-agent)", "'" + MasqueradeRules.MASQUERADE_COMMENT
                    + "' rule " + (present ? "present" : "absent") + " as in " + expected.mode().label() + " mode", nat.stdout())
                    : ModeCheck.failed(node, "iptables-save -t nat (cilium-agent)", "'" + MasqueradeRules.MASQUERADE_COMMENT
                    + "' rule " + (present ? "present" : "absent") + ", expected " + (wanted ? "present" : "absent")
                    + " in " + expected.mode().label() + " mode", nat.stdout());
        }
        List<ModeCheck> checks = new java.util.ArrayList<>(List.of(health, statusCheck, rules));
        if (expected.ipMasqAgent()) {
            ExecResult list = kube.execInAgent(pod, EXEC, "cilium", "bpf", "ipmasq", "list");
            checks.add(ipMasqMap(node, expected, list));
        }
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
    static ModeCheck statusLine(String node, AgentConfig expected, Cidr podCidr, ExecResult status) {
        String check = "cilium status Masquerading line";
        Optional<MasqueradingStatus> line;
        try {
            line = MasqueradingStatus.parse(status.stdout());
        } catch (IllegalArgumentException e) {
            return ModeCheck.failed(node, check, e.getMessage(), status.stdout());
        }
        if (line.isEmpty()) {
            return ModeCheck.failed(node, check, "no Masquerading line in the output of `cilium status` (exit "
                    + status.exitCode() + ")", status.toString());
        }
        MasqueradingStatus s = line.get();
        String want = expected.statusLabel();
        String got = s.mode().equals("BPF") && s.ipMasqAgent() ? "BPF (ip-masq-agent)" : s.mode();
        if (!got.equals(want)) {
            return ModeCheck.failed(node, check, "expected " + want + ", the agent runs " + got
                    + expected.fallback().map(f -> " (the oracle predicts this fallback: " + f + ")")
                    .orElse(expected.requestedBpf() && got.equals("IPTables") ? " (a silent fallback: see the agent log)" : ""), s.line());
        }
        String exclusion = expected.exclusionCidr(podCidr).toString();
        if (expected.mode() == MasqueradeMode.BPF && s.exclusionCidr().filter(exclusion::equals).isEmpty()) {
            return ModeCheck.failed(node, check, "expected exclusion CIDR " + exclusion + ", status shows "
                    + s.exclusionCidr().orElse("none"), s.line());
        }
        return ModeCheck.passed(node, check, want + (s.devices().isEmpty() ? "" : " on " + s.devices()), s.line());
    }

    private static final java.util.regex.Pattern CILIUM_STATE = java.util.regex.Pattern.compile("(?m)^\\s*Cilium:\\s+(\\S.*?)\\s*$");

    /** The agent's own health: {@code cilium status} exits 1 when the {@code Cilium:} state is neither Ok nor Disabled. */
    static ModeCheck agentHealth(String node, ExecResult status) {
        String check = "cilium status health";
        java.util.regex.Matcher m = CILIUM_STATE.matcher(status.stdout());
        String state = m.find() ? m.group(1) : "no 'Cilium:' line";
        return status.ok()
                ? ModeCheck.passed(node, check, "Cilium: " + state, state)
                : ModeCheck.failed(node, check, "`cilium status` exited " + status.exitCode() + " (the agent is not healthy); Cilium: "
                + state, status.toString());
    }

    static ModeCheck ipMasqMap(String node, AgentConfig expected, ExecResult list) {
        String check = "cilium bpf ipmasq list";
        IpMasqMap map;
        try {
            map = IpMasqMap.parse(list.exitCode(), list.stdout(), list.stderr());
        } catch (IllegalArgumentException e) {
            return ModeCheck.failed(node, check, e.getMessage(), list.toString());
        }
        Set<String> want = expected.ipMasqAgentCidrs().stream().map(Cidr::toString).collect(Collectors.toSet());
        return map.cidrs().equals(want)
                ? ModeCheck.passed(node, check, "exactly the " + want.size() + " expected CIDRs", list.stdout())
                : ModeCheck.failed(node, check, "expected " + want + ", map " + map.state() + " " + map.cidrs(), list.toString());
    }

    /**
     * Every agent, before any probe: waits (bounded) for the ip-masq-agent maps when the mode has
     * the agent, then the checks of {@link #forAgent}, and in BPF mode a flow from a pod on each node
     * followed by its NAT entry, to a destination this mode must masquerade from that pod
     * ({@link #natDestination}). Pod CIDRs are the discovered nodes'.
     */
    public static List<ModeCheck> verifyAll(CiliumKube kube, List<io.masqharness.cluster.Pod> pods, AgentConfig expected,
                                            List<Ipv4> destinations, Duration ipMasqBound) {
        List<KubeNode> nodes = kube.nodes();
        ClusterFacts facts = KubeFacts.of(nodes);
        int port = io.masqharness.cluster.Cluster.TCP_PORT;
        if (expected.ipMasqAgent()) {
            awaitIpMasqMaps(kube, expected, ipMasqBound);
        }
        List<ModeCheck> checks = new java.util.ArrayList<>();
        java.util.Map<String, String> agents = kube.agentPodsByNode();
        // A node without an agent must fail, not pass by having nothing to check.
        nodes.stream().map(KubeNode::name).filter(n -> !agents.containsKey(n)).forEach(n -> checks.add(ModeCheck.failed(n,
                "Cilium agent pod", "no pod labelled " + CiliumKube.AGENT_LABEL + "=" + CiliumKube.AGENT_LABEL_VALUE + " in "
                        + kube.namespace() + " runs on this node, so nothing can say which mode it is in", "")));
        for (java.util.Map.Entry<String, String> agent : agents.entrySet()) {
            String node = agent.getKey();
            checks.addAll(forAgent(kube, node, agent.getValue(), expected, facts.node(node).podCidr()));
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
                pod.host().exec(Duration.ofSeconds(20), "probe", "snat", "--target", target + ":" + port, "--protocol", "tcp", "--count", "1");
                checks.add(natEntry(kube, node, agent.getValue(), pod.ip().toString(), target, port));
            }
        }
        return checks;
    }

    static final String NAT_CHECK = "cilium bpf nat list XLATE_SRC entry";

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
        Set<String> want = expected.ipMasqAgentCidrs().stream().map(Cidr::toString).collect(Collectors.toSet());
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            boolean all = kube.agentPodsByNode().values().stream().allMatch(pod -> {
                ExecResult r = kube.execInAgent(pod, EXEC, "cilium", "bpf", "ipmasq", "list");
                try {
                    return IpMasqMap.parse(r.exitCode(), r.stdout(), r.stderr()).cidrs().equals(want);
                } catch (IllegalArgumentException e) {
                    return false;
                }
            });
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
        List<NatEntry> entries = NatEntry.snatFor(NatEntry.parse(r.stdout()), podIp, destination, port);
        return entries.isEmpty()
                ? ModeCheck.failed(node, NAT_CHECK, "no SNAT entry for " + podIp + " -> "
                + destination + ":" + port + " after a flow", r.toString())
                : ModeCheck.passed(node, NAT_CHECK, entries.get(0).line(), entries.get(0).line());
    }
}
