package io.masqharness.cluster.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The process that owns a run's containers and networks, as their labels name it: a PID means
 * something only in its PID namespace on one boot of one kernel, and a PID is reused. So the labels
 * carry the host name, the kernel's boot id, the PID namespace and the process's start time, and
 * a leftover is an orphan only when its owner is provably gone: same boot and namespace, and no
 * process of that PID started at that time. What the harness cannot see (another container's or
 * machine's process on a shared Docker daemon) is an orphan only once older than {@link #ABANDONED_AFTER}.
 * Review 2, N7.
 */
public record Owner(String host, String boot, String pidNamespace, long pid, Optional<Instant> started) {

    public static final String HOST = "io.masqharness.host";
    public static final String BOOT = "io.masqharness.boot";
    public static final String PID_NAMESPACE = "io.masqharness.pidns";
    public static final String STARTED = "io.masqharness.started";
    /** Longer than any run lives (a lab 2 h, K3s 3 h, then their containers stop by themselves or are stale). */
    public static final Duration ABANDONED_AFTER = Duration.ofHours(6);

    /** This process. */
    public static Owner current() {
        ProcessHandle self = ProcessHandle.current();
        return new Owner(read(Path.of("/proc/sys/kernel/hostname")).orElse("unknown"), read(Path.of("/proc/sys/kernel/random/boot_id"))
                .orElse("unknown"), readPidNamespace().orElse("unknown"), self.pid(), self.info().startInstant());
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file).strip());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> readPidNamespace() {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The labels that name this owner (besides {@link RunLabels#PID}). */
    Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(HOST, host);
        labels.put(BOOT, boot);
        labels.put(PID_NAMESPACE, pidNamespace);
        labels.put(RunLabels.PID, Long.toString(pid));
        started.ifPresent(s -> labels.put(STARTED, Long.toString(s.toEpochMilli())));
        return labels;
    }

    /**
     * Why a leftover with these labels, created at {@code created}, may be removed by this owner, or
     * empty when its owner may still be alive.
     *
     * @param processes the live processes of this PID namespace
     */
    public Optional<String> orphan(Map<String, String> labels, Instant created, Instant now, Processes processes) {
        boolean abandoned = created.plus(ABANDONED_AFTER).isBefore(now);
        String age = "created " + Duration.between(created, now).toMinutes() + " min ago";
        Optional<Long> pid = number(labels.get(RunLabels.PID));
        if (!boot.equals(labels.get(BOOT)) || !pidNamespace.equals(labels.get(PID_NAMESPACE)) || pid.isEmpty()) {
            if (host.equals(labels.get(HOST)) && labels.containsKey(BOOT) && !boot.equals(labels.get(BOOT))) {
                return Optional.of("its owner ran before this machine rebooted");
            }
            return abandoned ? Optional.of("its owner is out of sight (" + describe(labels) + ") and it was " + age + ", longer than any run")
                    : Optional.empty();
        }
        if (!processes.alive(pid.get())) {
            return Optional.of("its owner, process " + pid.get() + ", is gone");
        }
        Optional<Instant> running = processes.started(pid.get());
        Optional<Long> labelled = number(labels.get(STARTED));
        if (running.isPresent() && labelled.isPresent() && Math.abs(running.get().toEpochMilli() - labelled.get()) > 1000) {
            return Optional.of("process " + pid.get() + " is another one than its owner (started " + running.get() + ", not "
                    + Instant.ofEpochMilli(labelled.get()) + ")");
        }
        return Optional.empty();
    }

    /** What the harness can see of the processes of its PID namespace. */
    public interface Processes {
        boolean alive(long pid);

        /** When the process started, when that can be read. */
        Optional<Instant> started(long pid);

        /** The processes as the JVM sees them ({@link ProcessHandle}). */
        Processes LOCAL = new Processes() {
            @Override
            public boolean alive(long pid) {
                return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            }

            @Override
            public Optional<Instant> started(long pid) {
                return ProcessHandle.of(pid).flatMap(p -> p.info().startInstant());
            }
        };
    }

    private static String describe(Map<String, String> labels) {
        return labels.containsKey(PID_NAMESPACE) ? "process " + labels.get(RunLabels.PID) + " of host " + labels.get(HOST) + ", "
                + labels.get(PID_NAMESPACE) : "labelled before owners were named by namespace";
    }

    private static Optional<Long> number(String s) {
        try {
            return s == null ? Optional.empty() : Optional.of(Long.parseLong(s));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
