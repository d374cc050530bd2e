package io.masqharness.conformance;

import io.masqharness.cluster.Pod;
import io.masqharness.oracle.AgentConfig;
import io.masqharness.oracle.ClusterFacts;
import io.masqharness.oracle.Expectation;
import io.masqharness.oracle.Flow;
import io.masqharness.oracle.MasqueradeOracle;
import io.masqharness.oracle.Protocol;
import io.masqharness.probe.PingAnswer;
import io.masqharness.probe.Probes;
import io.masqharness.probe.SnatAnswer;
import io.masqharness.scenario.ModeSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A pod's probes with bounded retries: a flow that got no answer where the oracle expects one is
 * probed again, up to {@link Probes#RETRIES} times, each retry announced through {@code progress}
 * and counted in the cell's attempts. A wrong source is never retried: only silence can be transient.
 */
final class RetriedProbes {

    private RetriedProbes() {
    }

    /** One pod's TCP or UDP cells: one probe batch for all targets, then the retries. */
    static List<CellResult> snatCells(ClusterFacts facts, AgentConfig agent, ModeSpec mode, Pod pod,
                                      List<Targets.Target> targets, Protocol protocol, Consumer<String> progress) {
        List<String> addresses = targets.stream().map(Targets.Target::address).toList();
        Map<String, SnatAnswer> answers = new LinkedHashMap<>(Probes.snat(pod.host(), addresses, protocol.toString()));
        Map<String, List<String>> failedAttempts = new HashMap<>();
        for (int retry = 1; retry <= Probes.RETRIES; retry++) {
            List<String> again = addresses.stream().filter(a -> answers.get(a).received() == 0)
                    .filter(a -> expectsAnswer(facts, agent, pod, a, protocol)).toList();
            if (again.isEmpty()) {
                break;
            }
            again.forEach(a -> failedAttempts.computeIfAbsent(a, k -> new ArrayList<>()).add(summary(answers.get(a))));
            progress.accept(String.format("retry %d/%d: %s %s -> %s got no answer (%s)", retry, Probes.RETRIES, protocol,
                    pod.name(), again, summary(answers.get(again.get(0)))));
            answers.putAll(Probes.snat(pod.host(), again, protocol.toString()));
        }
        List<CellResult> results = new ArrayList<>();
        for (Targets.Target t : targets) {
            Cell cell = new Cell(mode.name(), pod, t.name(), t.address(), protocol);
            results.add(ModeRun.judge(facts, agent, cell, observe(answers.get(t.address()),
                    failedAttempts.getOrDefault(t.address(), List.of()))));
        }
        return results;
    }

    /** A target's pings: whether a reply came back, after how many attempts, and the last error of ping itself. */
    record Pinged(boolean replied, int attempts, String lastError) {
        String describe() {
            return (replied ? "reply received" : "no reply") + (attempts > 1 ? " (after " + attempts + " attempts)" : "")
                    + (lastError == null || replied ? "" : "; " + lastError);
        }
    }

    /** Pings every target once, then those that expected a reply and got none. */
    static Map<String, Pinged> ping(Pod pod, Map<String, Integer> payloads, Predicate<String> expectsAnswer,
                                    Consumer<String> progress) {
        Map<String, PingAnswer> answers = new LinkedHashMap<>(Probes.ping(pod.host(), payloads));
        Map<String, Integer> attempts = new HashMap<>();
        payloads.keySet().forEach(t -> attempts.put(t, 1));
        for (int retry = 1; retry <= Probes.RETRIES; retry++) {
            Map<String, Integer> again = new LinkedHashMap<>();
            payloads.forEach((t, size) -> {
                if (!answers.get(t).replied() && expectsAnswer.test(t)) {
                    again.put(t, size);
                }
            });
            if (again.isEmpty()) {
                break;
            }
            String error = answers.get(again.keySet().iterator().next()).error();
            progress.accept(String.format("retry %d/%d: icmp-echo %s -> %s got no reply%s", retry, Probes.RETRIES, pod.name(),
                    again.keySet(), error == null ? "" : " (" + error.lines().findFirst().orElse("") + ")"));
            again.keySet().forEach(t -> attempts.merge(t, 1, Integer::sum));
            answers.putAll(Probes.ping(pod.host(), again));
        }
        Map<String, Pinged> pinged = new LinkedHashMap<>();
        answers.forEach((t, a) -> pinged.put(t, new Pinged(a.replied(), attempts.get(t), a.error())));
        return pinged;
    }

    static boolean expectsAnswer(ClusterFacts facts, AgentConfig agent, Pod pod, String address, Protocol protocol) {
        Flow flow = ModeRun.flow(pod, address, protocol);
        return MasqueradeOracle.expect(facts, agent, flow).source() != Expectation.Source.DROPPED;
    }

    private static String summary(SnatAnswer a) {
        return a.received() + "/" + a.sent() + " answered" + (a.error() == null ? "" : ", " + a.error().lines().findFirst().orElse(""));
    }

    static Observation observe(SnatAnswer a, List<String> failedAttempts) {
        StringBuilder evidence = new StringBuilder();
        for (int i = 0; i < failedAttempts.size(); i++) {
            evidence.append("attempt ").append(i + 1).append(": ").append(failedAttempts.get(i)).append('\n');
        }
        evidence.append(String.join("\n", a.answers())).append(a.error() == null ? "" : "\n" + a.protocol() + " error: " + a.error());
        return new Observation(a.received() > 0, a.observed(), evidence.toString(), failedAttempts.size() + 1);
    }
}
