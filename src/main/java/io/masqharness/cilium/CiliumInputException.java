package io.masqharness.cilium;

/**
 * Captured text that cannot be read as the kind of output it was given as. The harness's own input
 * error: it names the file (once known) and the line, and ends {@code inspect} with exit status 2.
 * An {@link IllegalArgumentException} so callers that judge live output treat it as unreadable output.
 */
public class CiliumInputException extends IllegalArgumentException {

    private final String source;
    private final int line;
    private final String reason;

    public CiliumInputException(int line, String reason) {
        this("", line, reason);
    }

    private CiliumInputException(String source, int line, String reason) {
        super((source.isEmpty() ? "" : source + ":") + (line > 0 ? line + ": " : source.isEmpty() ? "" : " ") + reason);
        this.source = source;
        this.line = line;
        this.reason = reason;
    }

    /** The same error, naming the file (or the sysdump entry) it was read from. */
    public CiliumInputException in(String file) {
        return new CiliumInputException(file, line, reason);
    }

    public String source() {
        return source;
    }

    public int line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
