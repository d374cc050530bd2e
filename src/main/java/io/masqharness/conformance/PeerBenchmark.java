package io.masqharness.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.masqharness.cluster.Cluster;
import io.masqharness.cluster.ExecResult;
import io.masqharness.cluster.Host;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * The harness's tcp-rr against sockperf's TCP ping-pong on the same path (pod to the external
 * host), in the same run, alternating rounds; and the highest rate the harness sends at within 1%
 * of target. Prints figures; asserts nothing: a benchmark, not a test.
 */
public final class PeerBenchmark {

    static final int SOCKPERF_PORT = 11111;
    private static final Pattern PERCENTILE = Pattern.compile("percentile (\\d+\\.\\d+) =\\s+([\\d.]+)");

    public record Round(double harnessP50, double harnessP99, double sockperfP50, double sockperfP99) {
    }

    private PeerBenchmark() {
    }

    public static List<Round> rounds(Cluster cluster, String destination, int rate, int seconds, int rounds, Consumer<String> out) {
        cluster.externalHost().background("sockperf server --tcp -i 0.0.0.0 -p " + SOCKPERF_PORT, "/tmp/sockperf.log", Duration.ofHours(1));
        Host pod = cluster.pods().get(0).host();
        List<Round> result = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            ExecResult h = pod.exec(Duration.ofSeconds(seconds + 30), "probe", "latency", "--kind", "tcp-rr", "--target",
                    destination + ":" + LatencyCampaign.RR_TCP_PORT, "--rate", Integer.toString(rate), "--duration-ms",
                    Integer.toString(seconds * 1000), "--warmup-ms", "400");
            Histogram hist = histogram(h.stdout());
            ExecResult s = pod.exec(Duration.ofSeconds(seconds + 30), "sockperf", "ping-pong", "--tcp", "--full-rtt", "-i", destination,
                    "-p", Integer.toString(SOCKPERF_PORT), "-t", Integer.toString(seconds), "--mps=" + rate);
            double sp50 = sockperf(s.stdout() + s.stderr(), "50.000");
            double sp99 = sockperf(s.stdout() + s.stderr(), "99.000");
            Round round = new Round(hist.getValueAtPercentile(50), hist.getValueAtPercentile(99), sp50, sp99);
            result.add(round);
            out.accept(String.format("round %d at %d/s: harness tcp-rr p50 %.0f us p99 %.0f us | sockperf ping-pong (full RTT)"
                    + " p50 %.1f us p99 %.1f us | ratio p50 %.3f p99 %.3f", r, rate, round.harnessP50(), round.harnessP99(),
                    sp50, sp99, round.harnessP50() / sp50, round.harnessP99() / sp99));
        }
        return result;
    }

    /** Doubles the rate until the harness's achieved send rate falls more than 1% below target, or requests go unanswered. */
    public static int sustainedRate(Cluster cluster, String destination, Consumer<String> out) {
        Host pod = cluster.pods().get(0).host();
        int best = 0;
        for (int rate = 1000; rate <= 64_000; rate *= 2) {
            ExecResult h = pod.exec(Duration.ofSeconds(40), "probe", "latency", "--kind", "tcp-rr", "--target",
                    destination + ":" + LatencyCampaign.RR_TCP_PORT, "--rate", Integer.toString(rate), "--duration-ms", "2000",
                    "--warmup-ms", "200");
            JsonNode j = json(h.stdout());
            double achieved = j.path("achievedRate").asDouble(0);
            long sent = j.path("sent").asLong();
            long completed = j.path("completed").asLong();
            boolean ok = achieved >= rate * 0.99 && completed >= sent * 0.99;
            out.accept(String.format("rate %6d/s: achieved %.0f/s (%.2f%%), %d/%d answered -> %s", rate, achieved,
                    100 * achieved / rate, completed, sent, ok ? "sustained" : "not sustained"));
            if (!ok) {
                break;
            }
            best = rate;
        }
        return best;
    }

    static double sockperf(String output, String percentile) {
        Matcher m = PERCENTILE.matcher(output);
        while (m.find()) {
            if (m.group(1).equals(percentile)) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new IllegalStateException("no percentile " + percentile + " in sockperf output:\n" + output);
    }

    private static Histogram histogram(String stdout) {
        Histogram h = io.masqharness.latency.Trial.newHistogram();
        json(stdout).path("latenciesUs").forEach(v -> h.recordValue(Math.max(1, v.asLong())));
        return h;
    }

    private static JsonNode json(String stdout) {
        String line = stdout.lines().filter(l -> l.startsWith("{")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no result line: " + stdout));
        try {
            return new ObjectMapper().readTree(line);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
