package io.masqharness.scenario;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** A scenario file that cannot be used; one {@link Problem} per thing to fix. */
public class ScenarioException extends RuntimeException {

    /** @param path the field, e.g. {@code modes[2].ipMasqAgentConfig.nonMasqueradeCIDRs[0]}; "" for the whole file */
    public record Problem(Path file, String path, String message) {
        @Override
        public String toString() {
            return file + (path.isEmpty() ? "" : ": " + path) + ": " + message;
        }
    }

    private final List<Problem> problems;

    public ScenarioException(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public ScenarioException(Path file, String path, String message) {
        this(List.of(new Problem(file, path, message)));
    }

    public List<Problem> problems() {
        return problems;
    }
}
