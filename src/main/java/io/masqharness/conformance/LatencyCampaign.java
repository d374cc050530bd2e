package io.masqharness.conformance;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.masqharness.cluster.Cluster;
import io.masqharness.cluster.ExecResult;
import io.masqharness.cluster.Host;
import io.masqharness.latency.StreamTrial;
import io.masqharness.latency.Trial;
import io.masqharness.net.Family;
import io.masqharness.scenario.LatencySpec;
import io.masqharness.scenario.ModeSpec;
import io.masqharness.scenario.Scenario;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * Latency trials on a cluster: for each trial, every mode in turn (A B A B ...) so drift over the
 * run does not pass for a difference between modes; each trial measures every kind from a pod and,
 * as a baseline, from the node's host network, to the external host, open loop; and once more from
 * both closed loop, the way netperf-style tools measure. The host path beside the pod path in every
 * trial and loop is what lets a gate against history take the machine's own drift out
 * ({@link io.masqharness.report.HostRatios}). Throughput ({@code tcp-stream}) runs in the same order,
 * with iperf3 ({@link Iperf3Runs}).
 */
public final class LatencyCampaign {

    public static final int RR_TCP_PORT = 7002;
    public static final int RR_UDP_PORT = 7003;

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ClientResult(String kind, String loop, long[] latenciesUs, long[] latenessUs, int sent, int completed, int errors) {
    }

    private LatencyCampaign() {
    }

    /**
     * Every mode's trials, interleaved; per family of {@code latency.families} from the first pod and
     * its node to the first destination of that family. IPv4 paths are {@code pod} and {@code host}
     * as always; IPv6 ones {@code pod-ipv6} and {@code host-ipv6}, judged apart from them.
     */
    public static List<Trial> run(Scenario scenario, List<ModeSpec> modes, Cluster cluster, LatencySpec spec, Consumer<String> progress) {
        return measure(scenario, modes, cluster, spec, progress).latency();
    }

    /** What a campaign measured: latency trials, and the throughput trials of {@code tcp-stream}. */
    public record Measurements(List<Trial> latency, List<StreamTrial> streams) {
        public Measurements {
            latency = List.copyOf(latency);
            streams = List.copyOf(streams);
        }
    }

    /**
     * Every kind of {@code latency.kinds}, the trials interleaved across modes; {@code tcp-stream} measures goodput and
     * retransmissions with iperf3 in both directions, from the pod and from its node, beside the latency kinds.
     */
    public static Measurements measure(Scenario scenario, List<ModeSpec> modes, Cluster cluster, LatencySpec spec,
                                       Consumer<String> progress) {
        Map<Family, String> destinations = new LinkedHashMap<>();
        for (Family family : spec.families()) {
            destinations.put(family, destination(scenario, cluster, family));
        }
        Host pod = cluster.pods().get(0).host();
        Host node = cluster.nodes().stream().filter(n -> n.name().equals(cluster.pods().get(0).node())).findFirst().orElseThrow();
        List<Trial> trials = new ArrayList<>();
        List<StreamTrial> streams = new ArrayList<>();
        for (int t = 0; t < spec.trials(); t++) {
            for (ModeSpec mode : modes) {
                if (cluster.canSwitchModes()) {
                    cluster.applyMode(mode);
                }
                for (String kind : spec.kinds()) {
                    for (Map.Entry<Family, String> d : destinations.entrySet()) {
                        String suffix = d.getKey() == Family.IPV4 ? "" : "-" + d.getKey().label();
                        if (kind.equals(StreamTrial.KIND)) {
                            for (String direction : List.of(StreamTrial.UPLOAD, StreamTrial.DOWNLOAD)) {
                                for (Host from : List.of(pod, node)) {
                                    StreamTrial s = Iperf3Runs.measure(cluster.externalHost(), from, d.getValue(), spec, mode.name(),
                                            (from == pod ? "pod" : "host") + suffix, direction, t);
                                    streams.add(s);
                                    progress.accept(String.format("throughput %s %s %s %s trial %d: %.2f Gbit/s, %d retransmits, %d stream%s,"
                                            + " sender %s", mode.name(), kind, s.path(), direction, t, s.goodputBps() / 1e9, s.retransmits(),
                                            s.streams(), s.streams() == 1 ? "" : "s", s.congestionControl().isEmpty() ? "?" : s.congestionControl()));
                                }
                            }
                            continue;
                        }
                        // Closed loop, back to back as netperf TCP_RR runs: comparable with such tools, not corrected for stalls.
                        for (String loop : List.of("open", "closed")) {
                            for (Host from : List.of(pod, node)) {
                                String path = (from == pod ? "pod" : "host") + suffix;
                                Trial trial = measure(from, d.getValue(), kind, spec, mode.name(), path, t, loop);
                                trials.add(trial);
                                progress.accept(String.format("latency %s %s %s %s trial %d: p50 %d us, p99 %d us, %d/%d completed;"
                                                + " sender late p50 %d us, p99 %d us", mode.name(), kind, path, loop, t,
                                        trial.histogram().getValueAtPercentile(50), trial.histogram().getValueAtPercentile(99),
                                        trial.completed(), trial.sent(), trial.lateness().getValueAtPercentile(50),
                                        trial.lateness().getValueAtPercentile(99)));
                            }
                        }
                    }
                }
            }
        }
        return new Measurements(trials, streams);
    }

    /** The first destination of a family, as the probe's --target host: an IPv6 one in brackets. */
    static String destination(Scenario scenario, Cluster cluster, Family family) {
        var d = scenario.firstDestination(family).orElseThrow(() -> new IllegalStateException("latency.families asks for "
                + family.label() + " but the scenario has no " + family.label() + " destination"));
        if (family == Family.IPV6 && cluster.pods().get(0).ipv6().isEmpty()) {
            throw new IllegalStateException("latency.families asks for ipv6 but " + cluster.pods().get(0).name() + " has no IPv6 address on "
                    + cluster.datapath());
        }
        return family == Family.IPV6 ? "[" + d.ip() + "]" : d.ip().toString();
    }

    static Trial measure(Host from, String destination, String kind, LatencySpec spec, String mode, String path, int index,
                         String loop) {
        int port = kind.equals("udp-rr") ? RR_UDP_PORT : RR_TCP_PORT;
        long ms = spec.duration().toMillis();
        long warmupMs = spec.warmup().toMillis();
        ExecResult r = from.exec(Duration.ofMillis(ms + warmupMs + 30_000), "probe", "latency", "--kind", kind,
                "--target", destination + ":" + port, "--rate", Integer.toString(spec.rate()), "--duration-ms", Long.toString(ms),
                "--warmup-ms", Long.toString(warmupMs), "--mode", loop);
        String line = r.stdout().lines().filter(l -> l.startsWith("{")).findFirst()
                .orElseThrow(() -> new IllegalStateException("latency probe from " + from.name() + " printed no result: " + r));
        ClientResult c;
        try {
            c = new ObjectMapper().readValue(line, ClientResult.class);
        } catch (Exception e) {
            throw new IllegalStateException("unreadable latency result from " + from.name(), e);
        }
        return new Trial(mode, kind, path, index, histogram(c.latenciesUs()), c.sent(), c.completed(), c.errors(), c.loop(),
                histogram(c.latenessUs() == null ? new long[0] : c.latenessUs()));
    }

    /** Values beyond the histogram's range are kept at its ceiling: counted, never dropped. */
    static Histogram histogram(long[] us) {
        Histogram h = Trial.newHistogram();
        for (long v : us) {
            h.recordValue(Math.min(v, h.getHighestTrackableValue()));
        }
        return h;
    }
}
