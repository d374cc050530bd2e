package io.masqharness.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.masqharness.report.Baselines;
import io.masqharness.report.Summary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Print the latency verdict table of RUN_B against RUN_A (report folders or their summary.json):",
                "per mode, kind and path, p50 and p99 over the trials (tcp-stream: goodput and retransmissions per direction,",
                "a drop in goodput being slower), faster / slower / same / inconclusive; a pod path also",
                "relative to its host path (pod/host), which takes out how the machine itself moved between the runs.",
                "Exit status 1 when a pod path is slower relative to its host path, 2 on bad input."})
final class CompareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "RUN_A", description = "the baseline run")
    Path runA;

    @Parameters(index = "1", paramLabel = "RUN_B", description = "the run to judge")
    Path runB;

    @Option(names = "--min-effect", defaultValue = "5", paramLabel = "PERCENT", description = "effect-size floor in percent (default ${DEFAULT-VALUE})")
    double minEffectPercent;

    @Option(names = "--alpha", defaultValue = "0.01", description = "significance level (default ${DEFAULT-VALUE})")
    double alpha;

    @Option(names = "--across-datapaths", description = "allow comparing runs of different datapaths (e.g. the lab and Cilium)")
    boolean acrossDatapaths;

    @Override
    public Integer call() throws IOException {
        if (minEffectPercent <= 0 || minEffectPercent >= 100 || alpha <= 0 || alpha > 0.5) {
            throw new ParameterException(spec.commandLine(), "--min-effect must be in (0, 100) and --alpha in (0, 0.5]");
        }
        Summary a = read(runA);
        Summary b = read(runB);
        if (!a.datapath().equals(b.datapath()) && !acrossDatapaths) {
            throw new ParameterException(spec.commandLine(), "the runs measured different datapaths (" + a.datapath() + " vs "
                    + b.datapath() + "): their latencies are not comparable; pass --across-datapaths to compare anyway");
        }
        var baseline = new Baselines.Baseline(runA.toString(), List.of(a.series()));
        List<Summary.ComparisonRow> rows = new ArrayList<>(Baselines.compare(b.series(), baseline, minEffectPercent / 100, alpha));
        var out = spec.commandLine().getOut();
        out.printf("%s (%s) against %s (%s)%n", b.runId(), b.datapath(), a.runId(), a.datapath());
        out.print(rows.isEmpty() ? "no latency or throughput group in common\n" : Baselines.table(rows));
        String drift = Baselines.machineDrift(rows, minEffectPercent / 100);
        if (drift != null) {
            out.println(drift);
        }
        out.flush();
        return rows.stream().anyMatch(r -> r.verdict().equals("slower") && Baselines.gates(r)) ? 1 : 0;
    }

    private Summary read(Path run) throws IOException {
        Path file = Files.isDirectory(run) ? run.resolve("summary.json") : run;
        if (!Files.isRegularFile(file)) {
            throw new ParameterException(spec.commandLine(), file + " does not exist (expected a report folder or its summary.json)");
        }
        try {
            return new ObjectMapper().readValue(file.toFile(), Summary.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ParameterException(spec.commandLine(), file + " is not a summary.json: " + e.getOriginalMessage());
        }
    }
}
