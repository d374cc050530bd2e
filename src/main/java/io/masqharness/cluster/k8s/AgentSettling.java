package io.masqharness.cluster.k8s;

import io.masqharness.cluster.ClusterException;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Bounded retries for what an agent shows right after its restart: its health ({@code cilium status}
 * turns Warning while probes are stale, as under the CPU load of compiling BPF, daemon/cmd/status.go
 * {@code "Stale status data"}, and exits 1), and the first NAT entry of a flow (the host endpoint's
 * bpf_host, which does BPF masquerading, is attached by its regeneration, after readiness).
 * Each judgement is of the last capture, saying how many were taken.
 */
final class AgentSettling {

    /** How long and how often: {@link #LIVE} in a run, shorter in tests. */
    record Bounds(Duration status, Duration nat, Duration every) {
        static final Bounds LIVE = new Bounds(Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(5));
    }

    /** The last of one or more takes, and how many there were. */
    record Attempts<T>(T last, int count, Duration took) {
        String suffix() {
            return count == 1 ? "" : String.format(" (after %d attempts over %.0f s)", count, took.toMillis() / 1000.0);
        }
    }

    private AgentSettling() {
    }

    /** Takes until {@code done} or {@code bound} has passed (at least once), {@code every} apart. */
    static <T> Attempts<T> until(Supplier<T> take, Predicate<T> done, Duration bound, Duration every) {
        long start = System.nanoTime();
        long deadline = start + bound.toNanos();
        int count = 0;
        while (true) {
            T last = take.get();
            count++;
            if (done.test(last) || System.nanoTime() + every.toNanos() > deadline) {
                return new Attempts<>(last, count, Duration.ofNanos(System.nanoTime() - start));
            }
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClusterException("wait for the agent to settle", "retry", e);
            }
        }
    }
}
