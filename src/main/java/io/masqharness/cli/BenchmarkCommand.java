package io.masqharness.cli;

import io.masqharness.cluster.Cluster;
import io.masqharness.conformance.Backends;
import io.masqharness.conformance.PeerBenchmark;
import io.masqharness.conformance.RatioSpread;
import io.masqharness.net.Family;
import io.masqharness.scenario.ClusterSpec;
import io.masqharness.scenario.LatencySpec;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = {"On the lab path (pod -> external host), the harness's tcp-rr against sockperf, like with like, in the",
                "same run: closed loop against sockperf ping-pong (back to back), open loop against sockperf under-load",
                "at the same rate (every message answered), both as full round trips; rounds interleaved. Prints each",
                "round's ratios (harness / sockperf), their median, quartiles and range, and the open loop's rate ceiling",
                "(the highest rate whose sender lateness stays within the scenario's bound). Target: median p50 ratio",
                "within +-5% and p99 within +-15% for both pairs. Needs Docker and the base image."})
final class BenchmarkCommand implements Callable<Integer> {

    static final double P50_TOLERANCE = 0.05;
    static final double P99_TOLERANCE = 0.15;

    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", defaultValue = "scenarios/lab.yaml", paramLabel = "FILE")
    Path scenario;

    @Option(names = "--rate", defaultValue = "1000", description = "open loop's requests per second, and sockperf under-load's (default ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--seconds", defaultValue = "5", description = "seconds per round, pair and tool (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--rounds", defaultValue = "9", description = "interleaved rounds (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--spin-us", paramLabel = "US", description = {"the open loop's spin window (probe latency --spin-us;"
            + " default: the probe's, 200); at least the interval between requests busy-waits as sockperf's sender does"})
    Integer spinUs;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        if (rounds < 1 || seconds < 1 || rate < 1 || spinUs != null && spinUs < 0) {
            spec.commandLine().getErr().println("--rounds, --seconds and --rate must be at least 1, --spin-us at least 0");
            return 2;
        }
        Scenario s = new ScenarioLoader().load(scenario);
        var reason = Backends.unavailable(s, ClusterSpec.Backend.LAB);
        if (reason.isPresent()) {
            spec.commandLine().getErr().println("cannot benchmark here: " + reason.get());
            return 2;
        }
        double bound = s.latency().map(LatencySpec::minEffect).orElse(0.05);
        try (Cluster lab = Backends.start(s, ClusterSpec.Backend.LAB, line -> { out.println(line); out.flush(); })) {
            lab.applyMode(s.modes().get(0));
            String destination = s.destinations(Family.IPV4).get(0).ipv4().toString();
            out.printf("machine: %d cores, %s; path: pod -> %s on the %s, mode %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("os.name") + " " + System.getProperty("os.version"), destination, lab.datapath(), s.modes().get(0).name());
            List<PeerBenchmark.Round> r = PeerBenchmark.rounds(lab, destination, rate, seconds, rounds,
                    spinUs == null ? OptionalInt.empty() : OptionalInt.of(spinUs), l -> { out.println(l); out.flush(); });
            summary(r, rate).forEach(out::println);
            int ceiling = PeerBenchmark.rateCeiling(lab, destination, bound, l -> { out.println(l); out.flush(); });
            out.printf("open loop's rate ceiling: %d requests/s (the highest doubling from 1000/s sent within 1%% of target, 99%%"
                    + " answered, sender lateness p99 within %.0f%% of the median latency p99 at 1000/s, in %d of %d tries)%n", ceiling,
                    100 * bound, PeerBenchmark.TRIES / 2 + 1, PeerBenchmark.TRIES);
            out.flush();
        }
        return 0;
    }

    /** Per pair: each round's ratios, then the median, quartiles and range of the p50 and p99 ratios against the targets. */
    static List<String> summary(List<PeerBenchmark.Round> rounds, int rate) {
        List<String> lines = new ArrayList<>();
        for (PeerBenchmark.Pair pair : PeerBenchmark.Pair.values()) {
            List<PeerBenchmark.Round> of = rounds.stream().filter(x -> x.pair() == pair).toList();
            if (of.isEmpty()) {
                continue;
            }
            String label = pair == PeerBenchmark.Pair.OPEN ? pair.harness + " at " + rate + "/s vs sockperf " + pair.sockperf
                    : pair.harness + " vs sockperf " + pair.sockperf;
            lines.add(label + ": p50 ratios " + of.stream().map(x -> String.format("%.3f", x.p50Ratio())).collect(Collectors.joining(" "))
                    + "; p99 ratios " + of.stream().map(x -> String.format("%.3f", x.p99Ratio())).collect(Collectors.joining(" ")));
            RatioSpread p50 = RatioSpread.of(of.stream().map(PeerBenchmark.Round::p50Ratio).toList());
            RatioSpread p99 = RatioSpread.of(of.stream().map(PeerBenchmark.Round::p99Ratio).toList());
            lines.add(String.format("  p50 ratio %s -> target +-%.0f%% %s", p50, 100 * P50_TOLERANCE,
                    p50.withinOfOne(P50_TOLERANCE) ? "met" : "NOT met"));
            lines.add(String.format("  p99 ratio %s -> target +-%.0f%% %s", p99, 100 * P99_TOLERANCE,
                    p99.withinOfOne(P99_TOLERANCE) ? "met" : "NOT met"));
        }
        return lines;
    }
}
