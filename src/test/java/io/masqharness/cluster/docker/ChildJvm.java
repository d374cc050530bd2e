package io.masqharness.cluster.docker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The child JVMs the Ctrl-C suites start and then signal. */
public final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * {@code java ARGS}, with SIGINT back to its default action: a process started in the background by a
     * non-interactive shell ({@code cmd &}, {@code nohup}) inherits SIGINT ignored, and a JVM leaves an ignored SIGINT
     * ignored, so Ctrl-C would run no shutdown hook and the test would time out on how it was launched, not on the
     * harness. GNU env (coreutils 8.31+) resets it and execs java, which keeps the PID the test signals.
     */
    public static ProcessBuilder java(String... args) {
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT",
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }
}
