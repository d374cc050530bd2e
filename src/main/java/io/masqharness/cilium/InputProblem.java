package io.masqharness.cilium;

/**
 * Something in a capture that the parser read but will not guess about: an ambiguous or contradictory
 * line, a key Cilium ignores. Reported beside the result, never silently dropped.
 *
 * @param line 1-based line of the capture, 0 when the problem is about the whole capture
 */
public record InputProblem(String source, int line, String message) {

    public static InputProblem at(int line, String message) {
        return new InputProblem("", line, message);
    }

    public InputProblem in(String file) {
        return new InputProblem(file, line, message);
    }

    @Override
    public String toString() {
        return (source.isEmpty() ? "" : source + ":") + (line > 0 ? line + ": " : source.isEmpty() ? "" : " ") + message;
    }
}
