package io.masqharness.cli;

import io.masqharness.oracle.OracleException;
import io.masqharness.scenario.ScenarioException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code java -jar cilium-masq-harness.jar <command>}. Exit status: 0 done, 1 failed, 2 bad input or refused configuration. */
@Command(name = "cilium-masq-harness", mixinStandardHelpOptions = true, version = "cilium-masq-harness 0.1.0",
        description = "Conformance and performance harness for Cilium masquerading (1.13 to 1.16), and what an upgrade changes.",
        subcommands = {ExplainCommand.class, PlanCommand.class, DoctorCommand.class, InspectCommand.class, CompareCommand.class,
                BenchmarkCommand.class, TrendCommand.class, UpgradeCommand.class,
                ReplicateCommand.class})
public final class Main {

    public static final int BAD_INPUT = 2;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        summarised(cli);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ScenarioException || e instanceof OracleException) {
                commandLine.getErr().println(e.getMessage());
                return BAD_INPUT;
            }
            commandLine.getErr().println("error: " + e);
            if (System.getenv("HARNESS_DEBUG") != null) {
                e.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        return cli.execute(args);
    }

    /**
     * Each command's line in {@code --help}: the first sentence of its description, whole. Picocli lists a command by its
     * header, else by the first line of its description, which cuts a wrapped sentence mid-way.
     */
    static void summarised(CommandLine cli) {
        for (CommandLine sub : cli.getSubcommands().values()) {
            var usage = sub.getCommandSpec().usageMessage();
            if (usage.header().length == 0) {
                usage.header(firstSentence(String.join(" ", usage.description())));
            }
        }
    }

    /** Up to the first full stop that ends a sentence (followed by a blank or the end), else the whole text. */
    static String firstSentence(String text) {
        java.util.regex.Matcher end = java.util.regex.Pattern.compile("[.:](\\s|$)").matcher(text);
        return end.find() ? text.substring(0, end.start() + 1).replaceFirst(":$", ".") : text;
    }
}
