package io.masqharness.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.masqharness.cluster.Cluster;
import io.masqharness.cluster.ExecResult;
import io.masqharness.cluster.Host;
import io.masqharness.latency.InstrumentError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * The harness's tcp-rr against sockperf on the same path (pod to the external host), like with
 * like, in the same run: the closed loop (back to back) against {@code sockperf ping-pong} at its
 * maximum rate, the open loop at a fixed rate against {@code sockperf under-load} at the same rate
 * with every message answered; both tools report the full round trip. Rounds interleave the four
 * runs and alternate which tool goes first, so drift on the machine falls on both. Prints figures;
 * asserts nothing: a benchmark, not a test.
 */
public final class PeerBenchmark {

    static final int SOCKPERF_PORT = 11111;
    /**
     * Back-to-back exchanges per second of round the closed loop is asked for ({@code --rate} only
     * sizes a closed-loop run): at the 30-40 µs a round trip takes on the lab path this runs about as
     * long as sockperf's ping-pong of the same seconds.
     */
    static final int CLOSED_EXCHANGES_PER_SECOND = 25_000;
    private static final Pattern PERCENTILE = Pattern.compile("percentile (\\d+\\.\\d+) =\\s+([\\d.]+)");

    /** What is compared with what. */
    public enum Pair {
        CLOSED("closed loop", "ping-pong"), OPEN("open loop", "under-load");

        public final String harness;
        public final String sockperf;

        Pair(String harness, String sockperf) {
            this.harness = harness;
            this.sockperf = sockperf;
        }
    }

    /**
     * One pair's run in one round (µs). {@code harnessP50/P99} count from the actual send, as sockperf
     * does (the open loop's per-request latency from the intended send minus its lateness), and are
     * what the ratios compare; {@code intendedP50/P99} count from the intended send, as the campaign
     * reports the open loop; the closed loop sends when it means to, so both are the same there.
     * {@code fromSend} is false when requests went unanswered and the two could not be paired, and then
     * the harness's figures are from the intended send.
     */
    public record Round(Pair pair, int index, double harnessP50, double harnessP99, double intendedP50, double intendedP99,
                        long latenessP99, boolean fromSend, double sockperfP50, double sockperfP99) {
        public double p50Ratio() {
            return harnessP50 / sockperfP50;
        }

        public double p99Ratio() {
            return harnessP99 / sockperfP99;
        }
    }

    private PeerBenchmark() {
    }

    /** {@code rounds} rounds, each running both pairs; the order of the tools alternates from round to round. */
    public static List<Round> rounds(Cluster cluster, String destination, int rate, int seconds, int rounds, Consumer<String> out) {
        return rounds(cluster, destination, rate, seconds, rounds, OptionalInt.empty(), out);
    }

    /**
     * @param spinUs the open loop's spin window ({@code probe latency --spin-us}); empty: the probe's default.
     *               One at least as long as the interval between requests busy-waits as sockperf's sender does.
     */
    public static List<Round> rounds(Cluster cluster, String destination, int rate, int seconds, int rounds, OptionalInt spinUs,
                                     Consumer<String> out) {
        cluster.externalHost().background("sockperf server --tcp -i 0.0.0.0 -p " + SOCKPERF_PORT, "/tmp/sockperf.log", Duration.ofHours(1));
        Host pod = cluster.pods().get(0).host();
        List<Round> result = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            for (Pair pair : Pair.values()) {
                boolean harnessFirst = r % 2 == 0;
                JsonNode h = null;
                String s = null;
                for (int step = 0; step < 2; step++) {
                    if ((step == 0) == harnessFirst) {
                        h = harness(pod, pair, destination, rate, seconds, spinUs);
                    } else {
                        s = sockperf(pod, pair, destination, rate, seconds);
                    }
                }
                long[] latencies = longs(h.path("latenciesUs"));
                long[] late = longs(h.path("latenessUs"));
                Histogram intended = LatencyCampaign.histogram(latencies);
                boolean paired = latencies.length == late.length;
                Histogram fromSend = paired ? LatencyCampaign.histogram(fromSend(latencies, late)) : intended;
                Round round = new Round(pair, r, fromSend.getValueAtPercentile(50), fromSend.getValueAtPercentile(99),
                        intended.getValueAtPercentile(50), intended.getValueAtPercentile(99),
                        LatencyCampaign.histogram(late).getValueAtPercentile(99), paired, sockperf(s, "50.000"), sockperf(s, "99.000"));
                result.add(round);
                out.accept(String.format("round %d %-11s (%s first): harness p50 %.0f us p99 %.0f us %s (from intended send p50 %.0f"
                                + " p99 %.0f, sender late p99 %d us) | sockperf %s p50 %.1f us p99 %.1f us | ratio p50 %.3f p99 %.3f",
                        r, pair.harness, harnessFirst ? "harness" : "sockperf", round.harnessP50(), round.harnessP99(),
                        paired ? "from send" : "from INTENDED send (unanswered requests: not paired)", round.intendedP50(),
                        round.intendedP99(), round.latenessP99(), pair.sockperf, round.sockperfP50(), round.sockperfP99(),
                        round.p50Ratio(), round.p99Ratio()));
            }
        }
        return result;
    }

    private static JsonNode harness(Host pod, Pair pair, String destination, int rate, int seconds, OptionalInt spinUs) {
        int requestRate = pair == Pair.CLOSED ? CLOSED_EXCHANGES_PER_SECOND : rate;
        List<String> command = new ArrayList<>(List.of("probe", "latency", "--kind", "tcp-rr", "--target",
                destination + ":" + LatencyCampaign.RR_TCP_PORT, "--rate", Integer.toString(requestRate), "--duration-ms",
                Integer.toString(seconds * 1000), "--warmup-ms", "400"));
        if (pair == Pair.CLOSED) {
            command.addAll(List.of("--mode", "closed"));
        } else if (spinUs.isPresent()) {
            command.addAll(List.of("--spin-us", Integer.toString(spinUs.getAsInt())));
        }
        return json(pod.exec(Duration.ofSeconds(seconds + 30), command.toArray(String[]::new)).stdout());
    }

    /** Full round trip; under-load answers every message (its default answers one in 100) at the harness's rate. */
    private static String sockperf(Host pod, Pair pair, String destination, int rate, int seconds) {
        List<String> command = new ArrayList<>(List.of("sockperf", pair.sockperf, "--tcp", "--full-rtt", "-i", destination,
                "-p", Integer.toString(SOCKPERF_PORT), "-t", Integer.toString(seconds)));
        command.addAll(pair == Pair.CLOSED ? List.of("--mps=max") : List.of("--mps=" + rate, "--reply-every=1"));
        ExecResult s = pod.exec(Duration.ofSeconds(seconds + 30), command.toArray(String[]::new));
        return s.stdout() + s.stderr();
    }

    /** Tries per rate: a rate is within when most of them are, so one hiccup of the machine neither ends nor extends the search. */
    public static final int TRIES = 3;

    /** One 2-second run of the harness's open loop at a rate. */
    record Try(int rate, double achieved, long sent, long completed, long latencyP99, long lateP99) {
        boolean within(double latenessBound, long referenceP99) {
            return achieved >= rate * 0.99 && completed >= sent * 0.99 && lateP99 <= latenessBound * referenceP99;
        }
    }

    /**
     * The open loop's rate ceiling: doubles the rate from 1000/s while the harness sends within 1% of
     * target, gets 99% of its requests answered, and its sender's lateness p99 stays within
     * {@code latenessBound} (the scenario's {@code minEffect}, the bound that flags a campaign trial,
     * {@link InstrumentError}) of the latency p99 <em>at 1000/s</em>, in most of {@link #TRIES} tries.
     * Judged against the unloaded p99 (the median of the tries at 1000/s), not each rate's own: near
     * saturation requests queue, the latency p99 grows by orders of magnitude and a lateness of
     * milliseconds would look like a small share of it.
     */
    public static int rateCeiling(Cluster cluster, String destination, double latenessBound, Consumer<String> out) {
        Host pod = cluster.pods().get(0).host();
        int best = 0;
        long referenceP99 = 0;
        int majority = TRIES / 2 + 1;
        for (int rate = 1000; rate <= 64_000; rate *= 2) {
            List<Try> tries = new ArrayList<>();
            if (rate == 1000) {
                for (int i = 0; i < TRIES; i++) {
                    tries.add(attempt(pod, destination, rate));
                }
                referenceP99 = Math.max(1, tries.stream().mapToLong(Try::latencyP99).sorted().skip(TRIES / 2).findFirst().orElseThrow());
            }
            int within = 0;
            int beyond = 0;
            for (int i = 0; within < majority && beyond < majority || i < tries.size(); i++) {
                Try t = i < tries.size() ? tries.get(i) : attempt(pod, destination, rate);
                boolean ok = t.within(latenessBound, referenceP99);
                within += ok ? 1 : 0;
                beyond += ok ? 0 : 1;
                out.accept(String.format("rate %6d/s try %d: achieved %.0f/s (%.2f%%), %d/%d answered, latency p99 %d us, sender late p99"
                                + " %d us = %.0f%% of the p99 at 1000/s (%d us; bound %.0f%%) -> %s", rate, i + 1, t.achieved(),
                        100 * t.achieved() / rate, t.completed(), t.sent(), t.latencyP99(), t.lateP99(), 100.0 * t.lateP99() / referenceP99,
                        referenceP99, 100 * latenessBound, ok ? "within" : "beyond"));
            }
            out.accept(String.format("rate %6d/s: %d of %d tries within -> %s", rate, within, within + beyond,
                    within > beyond ? "within" : "beyond"));
            if (within <= beyond) {
                break;
            }
            best = rate;
        }
        return best;
    }

    private static Try attempt(Host pod, String destination, int rate) {
        ExecResult h = pod.exec(Duration.ofSeconds(40), "probe", "latency", "--kind", "tcp-rr", "--target",
                destination + ":" + LatencyCampaign.RR_TCP_PORT, "--rate", Integer.toString(rate), "--duration-ms", "2000",
                "--warmup-ms", "200");
        JsonNode j = json(h.stdout());
        return new Try(rate, j.path("achievedRate").asDouble(0), j.path("sent").asLong(), j.path("completed").asLong(),
                LatencyCampaign.histogram(longs(j.path("latenciesUs"))).getValueAtPercentile(99),
                LatencyCampaign.histogram(longs(j.path("latenessUs"))).getValueAtPercentile(99));
    }

    /** Each answered request's latency from its actual send: from the intended send minus how late it left (at least 1 µs). */
    static long[] fromSend(long[] latenciesUs, long[] latenessUs) {
        long[] v = new long[latenciesUs.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.max(1, latenciesUs[i] - latenessUs[i]);
        }
        return v;
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

    private static long[] longs(JsonNode array) {
        long[] v = new long[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).asLong();
        }
        return v;
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
