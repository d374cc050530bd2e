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
import io.masqharness.oracle.MasqueradeMode;
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
        List<ModeCheck> checks = new java.util.ArrayList<>(List.of(statusCheck, rules));
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

    static ModeCheck statusLine(String node, AgentConfig expected, Cidr podCidr, ExecResult status) {
        String check = "cilium status Masquerading line";
        Optional<MasqueradingStatus> line;
        try {
            line = status.ok() ? MasqueradingStatus.parse(status.stdout()) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return ModeCheck.failed(node, check, e.getMessage(), status.stdout());
        }
        if (line.isEmpty()) {
            return ModeCheck.failed(node, check, "no Masquerading line: " + status, status.toString());
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
     * followed by its NAT entry to {@code destination}. Pod CIDRs are the discovered nodes'.
     */
    public static List<ModeCheck> verifyAll(CiliumKube kube, List<io.masqharness.cluster.Pod> pods, AgentConfig expected,
                                            String destination, Duration ipMasqBound) {
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
                    checks.add(ModeCheck.failed(node, "cilium bpf nat list XLATE_SRC entry", "no probe pod on this node", ""));
                    continue;
                }
                pod.host().exec(Duration.ofSeconds(20), "probe", "snat", "--target", destination + ":" + port, "--protocol", "tcp", "--count", "1");
                checks.add(natEntry(kube, node, agent.getValue(), pod.ip().toString(), destination, port));
            }
        }
        return checks;
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
                ? ModeCheck.failed(node, "cilium bpf nat list XLATE_SRC entry", "no SNAT entry for " + podIp + " -> "
                + destination + ":" + port + " after a flow", r.toString())
                : ModeCheck.passed(node, "cilium bpf nat list XLATE_SRC entry", entries.get(0).line(), entries.get(0).line());
    }
}
