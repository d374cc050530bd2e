package io.masqharness.conformance;

import io.masqharness.cluster.Cluster;
import io.masqharness.cluster.Host;
import io.masqharness.cluster.Pod;
import io.masqharness.oracle.AgentConfig;
import io.masqharness.oracle.ClusterFacts;
import io.masqharness.oracle.Expectation;
import io.masqharness.oracle.Flow;
import io.masqharness.oracle.MasqueradeOracle;
import io.masqharness.oracle.Protocol;
import io.masqharness.probe.IcmpEcho;
import io.masqharness.probe.Probes;
import io.masqharness.probe.SnatAnswer;
import io.masqharness.scenario.ModeSpec;
import io.masqharness.scenario.Scenario;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Probes every cell of one mode (every pod to every target over every probe protocol) and judges
 * each against the oracle. Pods probe in parallel; each pod's probes are one bounded batch per
 * protocol.
 */
public final class ModeRun {

    static final Duration CAPTURE_SETTLE = Duration.ofSeconds(3);

    private ModeRun() {
    }

    /** Protocols a probe can send today; other ICMP types are reported as not probed. */
    public static boolean probeable(Protocol p) {
        return p.kind() == Protocol.Kind.TCP || p.kind() == Protocol.Kind.UDP || p.equals(Protocol.ICMP_ECHO);
    }

    public static List<CellResult> run(Scenario scenario, Cluster cluster, ModeSpec mode, AgentConfig agent) {
        ClusterFacts facts = cluster.clusterFacts();
        Map<Host, Integer> captureOffsets = new HashMap<>();
        boolean icmp = scenario.probes().contains(Protocol.ICMP_ECHO);
        if (icmp) {
            for (Host h : receivers(cluster)) {
                captureOffsets.put(h, IcmpEcho.parse(capture(cluster, h)).size());
            }
        }
        Map<Pod, Map<String, Integer>> payloads = new LinkedHashMap<>();
        int next = Probes.FIRST_PAYLOAD;
        for (Pod pod : cluster.pods()) {
            Map<String, Integer> sizes = new LinkedHashMap<>();
            for (String address : Targets.of(scenario, cluster, pod).values()) {
                sizes.put(address, next++);
            }
            payloads.put(pod, sizes);
        }
        Map<Pod, List<CellResult>> byPod = new ConcurrentHashMap<>();
        Map<Pod, Map<String, Integer>> pings = new ConcurrentHashMap<>();
        cluster.pods().parallelStream().forEach(pod -> {
            Map<String, String> targets = Targets.of(scenario, cluster, pod);
            List<String> addresses = new ArrayList<>(targets.values());
            Map<String, Map<String, SnatAnswer>> snat = new HashMap<>();
            for (String proto : List.of("tcp", "udp")) {
                if (scenario.probes().stream().anyMatch(p -> p.toString().equals(proto))) {
                    snat.put(proto, Probes.snat(pod.host(), addresses, proto));
                }
            }
            if (icmp) {
                pings.put(pod, Probes.ping(pod.host(), payloads.get(pod)));
            }
            List<CellResult> results = new ArrayList<>();
            for (Map.Entry<String, String> t : targets.entrySet()) {
                for (Protocol p : scenario.probes()) {
                    if (p.kind() == Protocol.Kind.TCP || p.kind() == Protocol.Kind.UDP) {
                        Cell cell = new Cell(mode.name(), pod, t.getKey(), t.getValue(), p);
                        results.add(judge(facts, agent, cell, observe(snat.get(p.toString()).get(t.getValue()))));
                    }
                }
            }
            byPod.put(pod, results);
        });
        Map<Host, List<IcmpEcho>> captures = icmp ? settledCaptures(cluster, captureOffsets, payloads, pings) : Map.of();
        List<CellResult> results = new ArrayList<>();
        for (Pod pod : cluster.pods()) {
            results.addAll(byPod.get(pod));
            if (icmp) {
                for (Map.Entry<String, String> t : Targets.of(scenario, cluster, pod).entrySet()) {
                    int size = payloads.get(pod).get(t.getValue());
                    Cell cell = new Cell(mode.name(), pod, t.getKey(), t.getValue(), Protocol.ICMP_ECHO);
                    Host receiver = Targets.receiver(cluster, t.getValue());
                    if (!cluster.capturesIcmp(receiver)) {
                        Flow flow = Flow.fromPod(pod.node(), t.getValue(), Protocol.ICMP_ECHO).withPodIp(pod.ip());
                        results.add(new CellResult(cell, MasqueradeOracle.expect(facts, agent, flow), new Observation(false, List.of(),
                                "no capture point"), Verdict.notApplicable("nothing can capture what arrives at " + receiver.name()
                                + " on " + cluster.datapath() + ": ICMP echo is not judged there")));
                        continue;
                    }
                    Observation o = observeIcmp(captures.get(receiver), size, pings.get(pod).getOrDefault(t.getValue(), 0) > 0,
                            receiver.name());
                    results.add(judge(facts, agent, cell, o));
                }
            }
        }
        return results;
    }

    static CellResult judge(ClusterFacts facts, AgentConfig agent, Cell cell, Observation observed) {
        Flow flow = Flow.fromPod(cell.pod().node(), cell.address(), cell.protocol()).withPodIp(cell.pod().ip());
        Expectation expected = MasqueradeOracle.expect(facts, agent, flow);
        return new CellResult(cell, expected, observed, Verdict.judge(cell, expected, observed));
    }

    static Observation observe(SnatAnswer a) {
        String evidence = String.join("\n", a.answers()) + (a.error() == null ? "" : "\n" + a.protocol() + " error: " + a.error());
        return new Observation(a.received() > 0, a.observed(), evidence);
    }

    /** The echo request sources the receiver captured for this payload size, and whether ping got its reply. */
    static Observation observeIcmp(List<IcmpEcho> capture, int payload, boolean replied, String receiver) {
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
        evidence.append("\nping in the pod: ").append(replied ? "reply received" : "no reply");
        return new Observation(replied, sources, evidence.toString());
    }

    /**
     * Reads the captures until every echo request whose reply reached its pod has been written
     * out, for at most {@link #CAPTURE_SETTLE}; what is still missing then is reported by the verdict.
     */
    private static Map<Host, List<IcmpEcho>> settledCaptures(Cluster cluster, Map<Host, Integer> offsets,
                                                             Map<Pod, Map<String, Integer>> payloads,
                                                             Map<Pod, Map<String, Integer>> pings) {
        Map<Host, List<IcmpEcho>> captures = new HashMap<>();
        try {
            await().alias("tcpdump to write every answered echo request").atMost(CAPTURE_SETTLE)
                    .pollInterval(Duration.ofMillis(200)).until(() -> {
                        for (Host h : receivers(cluster)) {
                            List<IcmpEcho> all = IcmpEcho.parse(capture(cluster, h));
                            captures.put(h, all.subList(offsets.get(h), all.size()));
                        }
                        return payloads.entrySet().stream().allMatch(p -> p.getValue().entrySet().stream()
                                .filter(t -> pings.get(p.getKey()).getOrDefault(t.getKey(), 0) > 0)
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

    private static String capture(Cluster cluster, Host receiver) {
        return cluster.icmpCapture(receiver);
    }
}
