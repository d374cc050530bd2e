package io.masqharness.conformance;

import io.masqharness.cluster.Cluster;
import io.masqharness.cluster.Host;
import io.masqharness.cluster.Pod;
import io.masqharness.net.IpAddress;
import io.masqharness.oracle.AgentConfig;
import io.masqharness.oracle.ClusterFacts;
import io.masqharness.oracle.Expectation;
import io.masqharness.oracle.Flow;
import io.masqharness.oracle.MasqueradeOracle;
import io.masqharness.oracle.Protocol;
import io.masqharness.probe.IcmpEcho;
import io.masqharness.probe.Probes;
import io.masqharness.scenario.ModeSpec;
import io.masqharness.scenario.Scenario;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Probes every cell of one mode (every pod to every target over every probe protocol) and judges
 * each against the oracle. Pods and protocols probe in parallel; each pod's probes are one bounded
 * batch per protocol, plus bounded, reported retries of the flows that got no answer where one was
 * expected.
 */
public final class ModeRun {

    static final Duration CAPTURE_SETTLE = Duration.ofSeconds(3);
    static final int MAX_THREADS = 32;

    private ModeRun() {
    }

    /** Protocols a probe can send today; other ICMP types are reported as not probed. */
    public static boolean probeable(Protocol p) {
        return p.kind() == Protocol.Kind.TCP || p.kind() == Protocol.Kind.UDP || p.equals(Protocol.ICMP_ECHO);
    }

    public static List<CellResult> run(Scenario scenario, Cluster cluster, ModeSpec mode, AgentConfig agent,
                                       Consumer<String> progress) {
        return run(scenario, cluster, mode, agent, progress, CAPTURE_SETTLE);
    }

    static List<CellResult> run(Scenario scenario, Cluster cluster, ModeSpec mode, AgentConfig agent, Consumer<String> progress,
                                Duration captureSettle) {
        ClusterFacts facts = cluster.clusterFacts();
        Map<Host, Integer> captureOffsets = new HashMap<>();
        boolean icmp = scenario.probes().contains(Protocol.ICMP_ECHO);
        if (icmp) {
            for (Host h : receivers(cluster)) {
                captureOffsets.put(h, IcmpEcho.parse(capture(cluster, h, progress)).size());
            }
        }
        Map<Pod, Map<String, Integer>> payloads = new LinkedHashMap<>();
        int next = Probes.FIRST_PAYLOAD;
        for (Pod pod : cluster.pods()) {
            Map<String, Integer> sizes = new LinkedHashMap<>();
            for (Targets.Target t : Targets.of(scenario, cluster, pod)) {
                sizes.put(t.address(), next++);
            }
            payloads.put(pod, sizes);
        }
        Map<Pod, List<CellResult>> byPod = new ConcurrentHashMap<>();
        Map<Pod, Map<String, RetriedProbes.Pinged>> pings = new ConcurrentHashMap<>();
        // Probes wait on the network, not the CPU: every pod's every protocol gets its own thread,
        // so silent flows (each bounded) cost the run the longest of them, not their sum.
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(MAX_THREADS, cluster.pods().size()
                * (scenario.probes().size()))), daemonThreads());
        Map<Pod, List<CompletableFuture<List<CellResult>>>> pending = new LinkedHashMap<>();
        try {
            for (Pod pod : cluster.pods()) {
                List<Targets.Target> targets = Targets.of(scenario, cluster, pod);
                List<CompletableFuture<List<CellResult>>> tasks = new ArrayList<>();
                for (Protocol p : scenario.probes()) {
                    if (p.kind() == Protocol.Kind.TCP || p.kind() == Protocol.Kind.UDP) {
                        tasks.add(CompletableFuture.supplyAsync(() -> RetriedProbes.snatCells(facts, agent, mode, pod, targets, p, progress), pool));
                    }
                }
                if (icmp) {
                    Predicate<String> expectsAnswer = address -> RetriedProbes.expectsAnswer(facts, agent, pod, address, Protocol.ICMP_ECHO);
                    tasks.add(CompletableFuture.supplyAsync(() -> {
                        pings.put(pod, RetriedProbes.ping(pod, payloads.get(pod), expectsAnswer, progress));
                        return List.<CellResult>of();
                    }, pool));
                }
                pending.put(pod, tasks);
            }
            pending.forEach((pod, tasks) -> byPod.put(pod, tasks.stream().flatMap(t -> t.join().stream()).toList()));
        } finally {
            pool.shutdownNow();
        }
        Map<Host, List<IcmpEcho>> captures = icmp ? settledCaptures(cluster, captureOffsets, payloads, pings, progress,
                captureSettle) : Map.of();
        List<CellResult> results = new ArrayList<>();
        for (Pod pod : cluster.pods()) {
            results.addAll(byPod.get(pod));
            if (icmp) {
                for (Targets.Target t : Targets.of(scenario, cluster, pod)) {
                    int size = payloads.get(pod).get(t.address());
                    Cell cell = new Cell(mode.name(), pod, t.name(), t.address(), Protocol.ICMP_ECHO);
                    Host receiver = Targets.receiver(cluster, t.address());
                    if (!cluster.capturesIcmp(receiver)) {
                        Flow flow = flow(pod, t.address(), Protocol.ICMP_ECHO);
                        results.add(new CellResult(cell, MasqueradeOracle.expect(facts, agent, flow), new Observation(false, List.of(),
                                "no capture point", 1), Verdict.notApplicable("nothing can capture what arrives at " + receiver.name()
                                + " on " + cluster.datapath() + ": ICMP echo is not judged there")));
                        continue;
                    }
                    Observation o = observeIcmp(captures.get(receiver), size, pings.get(pod).get(t.address()), receiver.name());
                    results.add(judge(facts, agent, cell, o));
                }
            }
        }
        return results;
    }

    /** A pod's flow to an address, carrying the pod's own address in the destination's family. */
    static Flow flow(Pod pod, String address, Protocol protocol) {
        Flow flow = Flow.fromPod(pod.node(), address, protocol);
        return pod.address(IpAddress.parse(address).family()).map(flow::withPodIp).orElse(flow);
    }

    static CellResult judge(ClusterFacts facts, AgentConfig agent, Cell cell, Observation observed) {
        Flow flow = flow(cell.pod(), cell.address(), cell.protocol());
        Expectation expected = MasqueradeOracle.expect(facts, agent, flow);
        return new CellResult(cell, expected, observed, Verdict.judge(cell, expected, observed));
    }

    /** The echo request sources the receiver captured for this payload size, and whether ping got its reply. */
    static Observation observeIcmp(List<IcmpEcho> capture, int payload, RetriedProbes.Pinged ping, String receiver) {
        List<String> sources = new ArrayList<>();
        StringBuilder evidence = new StringBuilder("tcpdump on " + receiver + " (payload " + payload + "):");
        for (IcmpEcho e : capture) {
            if (e.length() == payload + 8) {
                evidence.append("\n").append(e.line());
                if (e.request() && !sources.contains(e.source())) {
                    sources.add(e.source());
                }
            }
        }
        if (sources.isEmpty()) {
            evidence.append("\n(no echo of that size among the ").append(capture.size()).append(" captured since the mode began")
                    .append(capture.isEmpty() ? "" : "; last: " + capture.get(capture.size() - 1).line()).append(')');
        }
        evidence.append("\nping in the pod: ").append(ping.describe());
        return new Observation(ping.replied(), sources, evidence.toString(), ping.attempts());
    }

    /**
     * Reads the captures until every echo request whose reply reached its pod has been written
     * out, for at most {@code settle} ({@link #CAPTURE_SETTLE}); what is still missing then is reported by the verdict.
     */
    private static Map<Host, List<IcmpEcho>> settledCaptures(Cluster cluster, Map<Host, Integer> offsets,
                                                             Map<Pod, Map<String, Integer>> payloads,
                                                             Map<Pod, Map<String, RetriedProbes.Pinged>> pings,
                                                             Consumer<String> progress, Duration settle) {
        Map<Host, List<IcmpEcho>> captures = new HashMap<>();
        try {
            await().alias("tcpdump to write every answered echo request").atMost(settle)
                    .pollInterval(Duration.ofMillis(200)).until(() -> {
                        for (Host h : receivers(cluster)) {
                            List<IcmpEcho> all = IcmpEcho.parse(capture(cluster, h, progress));
                            captures.put(h, all.subList(Math.min(offsets.get(h), all.size()), all.size()));
                        }
                        return payloads.entrySet().stream().allMatch(p -> p.getValue().entrySet().stream()
                                .filter(t -> pings.get(p.getKey()).get(t.getKey()).replied())
                                .filter(t -> cluster.capturesIcmp(Targets.receiver(cluster, t.getKey())))
                                .allMatch(t -> captures.get(Targets.receiver(cluster, t.getKey())).stream()
                                        .anyMatch(e -> e.request() && e.length() == t.getValue() + 8)));
                    });
        } catch (ConditionTimeoutException e) {
            // Judged as observed: the verdicts name each echo that never showed up.
        }
        return captures;
    }

    /** The receivers whose captures can be read. */
    private static List<Host> receivers(Cluster cluster) {
        List<Host> hosts = new ArrayList<>(cluster.nodes());
        hosts.add(cluster.externalHost());
        return hosts.stream().filter(cluster::capturesIcmp).toList();
    }

    private static ThreadFactory daemonThreads() {
        return r -> {
            Thread t = new Thread(r, "probe");
            t.setDaemon(true);
            return t;
        };
    }

    /** A capture that cannot be read (its host died) reads as empty: the echoes it should show are then reported missing. */
    private static String capture(Cluster cluster, Host receiver, Consumer<String> progress) {
        try {
            return cluster.icmpCapture(receiver);
        } catch (RuntimeException e) {
            progress.accept("cannot read the ICMP capture on " + receiver.name() + ": " + e.getMessage());
            return "";
        }
    }
}
