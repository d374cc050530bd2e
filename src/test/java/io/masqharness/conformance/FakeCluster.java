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
import java.util.List;
import java.util.function.Function;

/**
 * A cluster whose one pod answers from a script: for tests of what the conformance layer does with
 * answers, silences and failures, without Docker. Node 1's first probe address is the pod.
 */
final class FakeCluster implements Cluster {

    final Scenario scenario;
    final List<List<String>> probeCalls = Collections.synchronizedList(new ArrayList<>());
    /** Given a {@code probe snat} call's targets, the JSON lines it prints (or it throws). */
    Function<List<String>, String> snat = targets -> "";
    /** Given a ping script, what it prints ({@code @@ target size rc=N} lines), or it throws. */
    Function<String, String> ping = script -> "";
    Runnable onApplyMode = () -> { };
    Runnable onVerify = () -> { };
    Runnable onDiagnostics = () -> { };
    private final Pod pod;
    private final Host node;
    private final Host external;

    FakeCluster(Scenario scenario) {
        this.scenario = scenario;
        NodeSpec spec = scenario.cluster().nodes().get(0);
        this.node = new FakeHost(spec.name(), spec.ip());
        Ipv4 podIp = ScenarioFacts.probePodAddress(spec, 0);
        this.pod = new Pod(spec.name() + "-pod-a", spec.name(), podIp, new FakeHost(spec.name() + "-pod-a", podIp));
        this.external = new FakeHost("external", scenario.cluster().externalHost());
    }

    /** A probe answer line as the agent prints it. */
    static String answer(String target, int received, String observedSource) {
        return String.format("{\"target\":\"%s\",\"port\":7000,\"protocol\":\"tcp\",\"sent\":2,\"received\":%d,\"observed\":[%s],"
                + "\"answers\":[],\"error\":%s}%n", target, received, observedSource == null ? "" : "\"" + observedSource + "\"",
                received == 0 ? "\"timed out\"" : "null");
    }

    final class FakeHost implements Host {
        private final String name;
        private final Ipv4 ip;

        FakeHost(String name, Ipv4 ip) {
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
            List<String> args = List.of(command);
            if (args.size() > 1 && args.get(0).equals("probe") && args.get(1).equals("snat")) {
                List<String> targets = List.of(args.get(args.indexOf("--targets") + 1).split(","));
                probeCalls.add(targets);
                return new ExecResult(0, snat.apply(targets), "");
            }
            if (args.size() == 3 && args.get(0).equals("sh") && args.get(2).startsWith("ping ")) {
                return new ExecResult(0, ping.apply(args.get(2)), "");
            }
            if (args.size() > 1 && args.get(0).equals("probe") && args.get(1).equals("stream")) {
                return new ExecResult(0, "{\"sent\":500,\"received\":500,\"lost\":0,\"longestGapMs\":5.0}\n", "");
            }
            return new ExecResult(0, "", "");
        }
    }

    @Override
    public String datapath() {
        return "fake";
    }

    @Override
    public boolean runsCilium() {
        return false;
    }

    @Override
    public List<Host> nodes() {
        return List.of(node);
    }

    @Override
    public List<Pod> pods() {
        return List.of(pod);
    }

    @Override
    public Host externalHost() {
        return external;
    }

    @Override
    public void applyMode(ModeSpec mode) {
        onApplyMode.run();
    }

    @Override
    public Duration modeSwitchBound() {
        return Duration.ofSeconds(5);
    }

    @Override
    public List<ModeCheck> verifyMode(ModeSpec mode, AgentConfig expected) {
        onVerify.run();
        return List.of(ModeCheck.passed(node.name(), "rules", "as expected", ""));
    }

    @Override
    public String icmpCapture(Host receiver) {
        return "";
    }

    @Override
    public ClusterFacts clusterFacts() {
        return ScenarioFacts.clusterFacts(scenario);
    }

    @Override
    public String diagnostics() {
        onDiagnostics.run();
        return "fake diagnostics: rules and routes";
    }

    @Override
    public void close() {
    }
}
