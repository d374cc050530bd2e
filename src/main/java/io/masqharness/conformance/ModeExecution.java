package io.masqharness.conformance;

import io.masqharness.cluster.Cluster;
import io.masqharness.cluster.ModeCheck;
import io.masqharness.cluster.Pod;
import io.masqharness.net.Family;
import io.masqharness.oracle.AgentConfig;
import io.masqharness.scenario.ModeSpec;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One mode of a run: switch (measuring what the switch costs a flow), verify, probe. It never
 * throws: a switch, verification or probe that fails becomes a failed check naming what failed,
 * with the cluster's diagnostics, so the next mode and the report still happen.
 */
public final class ModeExecution {

    /** What a mode's execution found; {@code diagnostics} is non-null when anything failed. */
    public record Outcome(ModeSpec mode, AgentConfig agent, SwitchDisruption.Result disruption, List<ModeCheck> checks,
                          List<CellResult> results, String diagnostics, double seconds) {

        public boolean verified() {
            return checks.stream().noneMatch(c -> c.status() == ModeCheck.Status.FAILED);
        }

        /** Probes beyond the first, over all cells: each is a retry of a flow that got no answer. */
        public int retries() {
            return results.stream().mapToInt(r -> r.observed().attempts() - 1).sum();
        }

        public boolean failed() {
            return !verified() || results.stream().anyMatch(r -> r.verdict().applicable() && !r.verdict().passed());
        }
    }

    private ModeExecution() {
    }

    public static Outcome execute(Scenario scenario, Cluster cluster, ModeSpec mode, Consumer<String> progress) {
        return execute(scenario, cluster, mode, progress, SwitchDisruption.Lulls.STANDARD);
    }

    static Outcome execute(Scenario scenario, Cluster cluster, ModeSpec mode, Consumer<String> progress, SwitchDisruption.Lulls lulls) {
        long t0 = System.nanoTime();
        AgentConfig agent = ScenarioFacts.agentConfig(scenario, mode);
        List<ModeCheck> checks = new ArrayList<>();
        SwitchDisruption.Result disruption = null;
        if (cluster.canSwitchModes()) {
            disruption = switchTo(scenario, cluster, mode, checks, progress, lulls);
        } else {
            progress.accept("read-only: probing the mode the cluster is in, " + mode.values());
        }
        try {
            checks.addAll(cluster.verifyMode(mode, agent));
        } catch (RuntimeException e) {
            checks.add(ModeCheck.failed("cluster", "verify mode " + mode.name(), message(e), ""));
        }
        List<CellResult> results = List.of();
        if (checks.stream().noneMatch(c -> c.status() == ModeCheck.Status.FAILED)) {
            try {
                results = ModeRun.run(scenario, cluster, mode, agent, progress);
            } catch (RuntimeException e) {
                checks.add(ModeCheck.failed("cluster", "probe mode " + mode.name(), message(e), ""));
            }
        }
        Outcome pending = new Outcome(mode, agent, disruption, checks, results, null, 0);
        String diagnostics = pending.failed() ? whatFailed(pending) + "\n" + diagnostics(cluster) : null;
        Outcome outcome = new Outcome(mode, agent, disruption, List.copyOf(checks), results, diagnostics,
                (System.nanoTime() - t0) / 1e9);
        long passed = results.stream().filter(r -> r.verdict().passed()).count();
        long judged = results.stream().filter(r -> r.verdict().applicable()).count();
        progress.accept(String.format("mode %s: %d/%d cells as expected, %d retries, %d failed checks (%.1f s)", mode.name(),
                passed, judged, outcome.retries(), checks.stream().filter(c -> c.status() == ModeCheck.Status.FAILED).count(),
                outcome.seconds()));
        return outcome;
    }

    /** Switches while a pod streams to the first destination; a failed switch or measurement becomes a failed check. */
    private static SwitchDisruption.Result switchTo(Scenario scenario, Cluster cluster, ModeSpec mode, List<ModeCheck> checks,
                                                    Consumer<String> progress, SwitchDisruption.Lulls lulls) {
        AtomicReference<RuntimeException> switchError = new AtomicReference<>();
        AtomicBoolean switched = new AtomicBoolean();
        Runnable modeSwitch = () -> {
            switched.set(true);
            try {
                cluster.applyMode(mode);
            } catch (RuntimeException e) {
                switchError.set(e);
            }
        };
        SwitchDisruption.Result disruption = null;
        if (cluster.pods().isEmpty()) {
            modeSwitch.run();
        } else {
            Pod streamer = cluster.pods().get(0);
            String destination = scenario.destinations(Family.IPV4).get(0).ipv4().toString();
            try {
                disruption = SwitchDisruption.during(streamer, destination, cluster.modeSwitchBound(), lulls, modeSwitch);
                progress.accept("switch to " + mode.name() + ": " + disruption + " (" + streamer.name() + " -> " + destination + ")");
            } catch (RuntimeException e) {
                checks.add(ModeCheck.failed(streamer.node(), "switch disruption stream from " + streamer.name(), message(e), ""));
                if (!switched.get()) {
                    modeSwitch.run();
                }
            }
        }
        if (switchError.get() != null) {
            progress.accept("switch to " + mode.name() + " failed: " + firstLine(message(switchError.get())));
            checks.add(ModeCheck.failed("cluster", "switch to mode " + mode.name(), message(switchError.get()), ""));
        }
        return disruption;
    }

    /** The failures first, so the diagnostics file says what it is about. */
    private static String whatFailed(Outcome o) {
        StringBuilder s = new StringBuilder("# what failed in mode " + o.mode().name() + "\n");
        o.checks().stream().filter(c -> c.status() == ModeCheck.Status.FAILED).forEach(c -> s.append("- ").append(c.node())
                .append(": ").append(c.check()).append(": ").append(c.message()).append(c.evidence().isBlank() ? "" : "\n  " + c.evidence())
                .append('\n'));
        long cells = o.results().stream().filter(r -> r.verdict().applicable() && !r.verdict().passed()).count();
        if (cells > 0) {
            s.append("- ").append(cells).append(" flows not as expected (each verdict is in summary.json and the test report)\n");
        }
        return s.toString();
    }

    /** The cluster's diagnostics, or why they could not be had (a dead node may be why we are here). */
    static String diagnostics(Cluster cluster) {
        try {
            return cluster.diagnostics();
        } catch (RuntimeException e) {
            return "diagnostics could not be collected: " + message(e);
        }
    }

    private static String message(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    }

    private static String firstLine(String s) {
        return s.lines().findFirst().orElse(s);
    }
}
