package io.masqharness.conformance;

import io.masqharness.cluster.Cluster;
import io.masqharness.cluster.ExecResult;
import io.masqharness.cluster.Host;
import io.masqharness.cluster.ModeCheck;
import io.masqharness.cluster.Pod;
import io.masqharness.net.Ipv4;
import io.masqharness.oracle.AgentConfig;
import io.masqharness.oracle.ClusterFacts;
import io.masqharness.scenario.ModeSpec;
import io.masqharness.scenario.NodeSpec;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioFacts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * A cluster of the scenario's nodes, one pod each (at .10 of the node's pod CIDR), and an external
 * host, all answering commands from a script; every command is recorded. For tests of the
 * conformance layer without Docker.
 */
final class ScriptedCluster implements Cluster {

    /** A recorded command: which host, what, with which bound, when (System.nanoTime). */
    record Call(String host, List<String> command, Duration timeout, long atNanos) {
        String line() {
            return String.join(" ", command);
        }
    }

    final Scenario scenario;
    final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    final List<String> applied = Collections.synchronizedList(new ArrayList<>());
    final Map<String, String> captures = new HashMap<>();
    final Set<String> uncapturable = new HashSet<>();
    /** Hosts whose capture cannot be read (their container died), with what reading it throws. */
    final Map<String, RuntimeException> unreadable = new HashMap<>();
    /** Given the host and the command, what it prints; by default nothing, successfully. */
    BiFunction<String, List<String>, ExecResult> script = (host, command) -> new ExecResult(0, "", "");
    boolean switchable = true;
    ModeSpec current;
    private final List<Host> nodes = new ArrayList<>();
    private final List<Pod> pods = new ArrayList<>();
    private final Host external;

    ScriptedCluster(Scenario scenario) {
        this.scenario = scenario;
        for (NodeSpec n : scenario.cluster().nodes()) {
            nodes.add(new ScriptedHost(n.name(), n.ip()));
            Ipv4 podIp = ScenarioFacts.probePodAddress(n, 0);
            pods.add(new Pod(n.name() + "-pod-a", n.name(), podIp, new ScriptedHost(n.name() + "-pod-a", podIp)));
        }
        external = new ScriptedHost("external", scenario.cluster().externalHost());
        current = scenario.modes().get(0);
    }

    List<Call> callsOf(String host) {
        synchronized (calls) {
            return calls.stream().filter(c -> c.host().equals(host)).toList();
        }
    }

    final class ScriptedHost implements Host {
        private final String name;
        private final Ipv4 ip;

        ScriptedHost(String name, Ipv4 ip) {
            this.name = name;
            this.ip = ip;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Ipv4 ip() {
            return ip;
        }

        @Override
        public ExecResult exec(Duration timeout, String... command) {
            calls.add(new Call(name, List.of(command), timeout, System.nanoTime()));
            return script.apply(name, List.of(command));
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @Override
    public String datapath() {
        return "scripted";
    }

    @Override
    public boolean runsCilium() {
        return false;
    }

    @Override
    public List<Host> nodes() {
        return List.copyOf(nodes);
    }

    @Override
    public List<Pod> pods() {
        return List.copyOf(pods);
    }

    @Override
    public Host externalHost() {
        return external;
    }

    @Override
    public void applyMode(ModeSpec mode) {
        applied.add(mode.name());
        current = mode;
    }

    @Override
    public Duration modeSwitchBound() {
        return Duration.ofSeconds(5);
    }

    @Override
    public List<ModeCheck> verifyMode(ModeSpec mode, AgentConfig expected) {
        return nodes.stream().map(n -> ModeCheck.passed(n.name(), "rules", "as expected", "")).toList();
    }

    @Override
    public String icmpCapture(Host receiver) {
        if (unreadable.containsKey(receiver.name())) {
            throw unreadable.get(receiver.name());
        }
        return captures.getOrDefault(receiver.name(), "");
    }

    @Override
    public boolean capturesIcmp(Host receiver) {
        return !uncapturable.contains(receiver.name());
    }

    @Override
    public ClusterFacts clusterFacts() {
        return ScenarioFacts.clusterFacts(scenario);
    }

    @Override
    public boolean canSwitchModes() {
        return switchable;
    }

    @Override
    public ModeSpec currentMode() {
        return current;
    }

    @Override
    public String diagnostics() {
        return "scripted diagnostics";
    }

    @Override
    public void close() {
    }
}
