package io.masqharness.cluster;

/** The outcome of a command run on a host. Exit status 124 means the command's time bound ran out. */
public record ExecResult(int exitCode, String stdout, String stderr) {

    public static final int TIMED_OUT = 124;

    public boolean ok() {
        return exitCode == 0;
    }

    public boolean timedOut() {
        return exitCode == TIMED_OUT;
    }

    @Override
    public String toString() {
        return "exit " + exitCode + (timedOut() ? " (timed out)" : "")
                + (stdout.isBlank() ? "" : "\nstdout:\n" + stdout.strip())
                + (stderr.isBlank() ? "" : "\nstderr:\n" + stderr.strip());
    }
}
