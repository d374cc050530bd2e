package io.masqharness.cluster.docker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The child JVMs the Ctrl-C suites start and then signal. */
public final class ChildJvm {

    /** Whether this machine's env can reset a signal's action (GNU coreutils 8.31 and later). */
    private static final boolean ENV_RESETS_SIGNALS = envResetsSignals();

    /**
     * Runs each task on a daemon thread of its own: the readers of a child's output block until it exits, and on the
     * common pool (one thread on a 2-core machine) one blocked reader would hold back the next test's.
     */
    public static final java.util.concurrent.Executor READERS = task -> {
        Thread t = new Thread(task, "child-jvm-output");
        t.setDaemon(true);
        t.start();
    };

    private ChildJvm() {
    }

    /**
     * {@code java ARGS}, with SIGINT back to its default action: a process started in the background by a
     * non-interactive shell ({@code cmd &}, {@code nohup}) inherits SIGINT ignored, and a JVM leaves an ignored SIGINT
     * ignored, so Ctrl-C would run no shutdown hook and the test would time out on how it was launched, not on the
     * harness. GNU env resets it and execs java, which keeps the PID the test signals; where env cannot (coreutils
     * before 8.31), java is started as it is.
     */
    public static ProcessBuilder java(String... args) {
        List<String> command = new ArrayList<>(ENV_RESETS_SIGNALS ? List.of("env", "--default-signal=INT") : List.of());
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(args));
        return new ProcessBuilder(command);
    }

    private static boolean envResetsSignals() {
        try {
            Process p = new ProcessBuilder("env", "--default-signal=INT", "true").redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
