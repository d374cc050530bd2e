package io.masqharness.cli;

import io.masqharness.cluster.Cluster;
import io.masqharness.conformance.Backends;
import io.masqharness.conformance.PeerBenchmark;
import io.masqharness.net.Family;
import io.masqharness.scenario.ClusterSpec;
import io.masqharness.scenario.Scenario;
import io.masqharness.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "benchmark", mixinStandardHelpOptions = true,
        description = {"On the lab path (pod -> external host), the harness's tcp-rr against sockperf's TCP ping-pong in",
                "the same run (alternating rounds), the p50/p99 ratios, and the highest rate the harness sustains",
                "within 1% of target. Prints figures; target: harness p50 within +-10% of sockperf's."})
final class BenchmarkCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", defaultValue = "scenarios/lab.yaml", paramLabel = "FILE")
    Path scenario;

    @Option(names = "--rate", defaultValue = "1000", description = "requests per second for the comparison (default ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--seconds", defaultValue = "5", description = "seconds per round and tool (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--rounds", defaultValue = "5", description = "alternating rounds (default ${DEFAULT-VALUE})")
    int rounds;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        Scenario s = new ScenarioLoader().load(scenario);
        var reason = Backends.unavailable(s, ClusterSpec.Backend.LAB);
        if (reason.isPresent()) {
            spec.commandLine().getErr().println("cannot benchmark here: " + reason.get());
            return 2;
        }
        try (Cluster lab = Backends.start(s, ClusterSpec.Backend.LAB, line -> { out.println(line); out.flush(); })) {
            lab.applyMode(s.modes().get(0));
            String destination = s.destinations(Family.IPV4).get(0).ipv4().toString();
            out.printf("machine: %d cores, %s; path: pod -> %s on the %s, mode %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("os.name") + " " + System.getProperty("os.version"), destination, lab.datapath(), s.modes().get(0).name());
            List<PeerBenchmark.Round> r = PeerBenchmark.rounds(lab, destination, rate, seconds, rounds, l -> { out.println(l); out.flush(); });
            double p50 = median(r.stream().mapToDouble(x -> x.harnessP50() / x.sockperfP50()).toArray());
            double p99 = median(r.stream().mapToDouble(x -> x.harnessP99() / x.sockperfP99()).toArray());
            out.printf("median ratio harness/sockperf: p50 %.3f, p99 %.3f (target for p50: 0.90..1.10 -> %s)%n", p50, p99,
                    p50 >= 0.9 && p50 <= 1.1 ? "met" : "NOT met");
            int sustained = PeerBenchmark.sustainedRate(lab, destination, l -> { out.println(l); out.flush(); });
            out.printf("highest rate sustained within 1%% of target: %d requests/s%n", sustained);
            out.flush();
        }
        return 0;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
