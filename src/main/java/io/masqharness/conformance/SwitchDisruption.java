package io.masqharness.conformance;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.masqharness.cluster.Cluster;
import io.masqharness.cluster.ExecResult;
import io.masqharness.cluster.Pod;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What a mode switch costs a flow: a pod streams UDP requests at a fixed rate to the external host
 * while the switch runs; lost requests and the longest stretch without an answer are reported.
 */
public final class SwitchDisruption {

    public static final int RATE = 200;

    /** How long the stream runs before the switch and after it: a baseline, then the switch's aftermath. */
    record Lulls(Duration before, Duration after) {
        static final Lulls STANDARD = new Lulls(Duration.ofMillis(1500), Duration.ofSeconds(1));
    }

    /** @param longestGapMs the longest time between two answered requests (or the edges of the stream) */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Result(int sent, int received, int lost, double longestGapMs) {
        @Override
        public String toString() {
            return String.format("%d of %d requests lost at %d/s, longest gap %.1f ms", lost, sent, RATE, longestGapMs);
        }
    }

    private SwitchDisruption() {
    }

    /** Runs {@code modeSwitch} while the stream flows; {@code switchBound} bounds the whole measurement. */
    public static Result during(Pod pod, String destination, Duration switchBound, Runnable modeSwitch) {
        return during(pod, destination, switchBound, Lulls.STANDARD, modeSwitch);
    }

    static Result during(Pod pod, String destination, Duration switchBound, Lulls lulls, Runnable modeSwitch) {
        String stopFile = "/tmp/masq-stream-stop-" + UUID.randomUUID();
        Duration bound = switchBound.plus(lulls.before()).plus(lulls.after()).plusSeconds(10);
        CompletableFuture<ExecResult> stream = CompletableFuture.supplyAsync(() -> pod.host().exec(bound, "probe", "stream",
                "--target", destination + ":" + Cluster.UDP_PORT, "--rate", Integer.toString(RATE),
                "--max-ms", Long.toString(bound.toMillis() - 5000), "--stop-file", stopFile));
        try {
            Thread.sleep(lulls.before().toMillis());
            modeSwitch.run();
            Thread.sleep(lulls.after().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pod.host().exec(Duration.ofSeconds(10), "touch", stopFile);
        }
        ExecResult r;
        try {
            r = stream.get(bound.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the switch-disruption stream from " + pod + " ran", e);
        } catch (Exception e) {
            throw new IllegalStateException("switch-disruption stream from " + pod + " did not end within " + bound.toSeconds()
                    + " s: " + e, e);
        } finally {
            pod.host().exec(Duration.ofSeconds(10), "rm", "-f", stopFile);
        }
        String line = r.stdout().lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElse(null);
        if (line == null) {
            throw new IllegalStateException("switch-disruption stream from " + pod + " printed no result: " + r);
        }
        try {
            return new ObjectMapper().readValue(line, Result.class);
        } catch (Exception e) {
            throw new IllegalStateException("unreadable stream result: " + line, e);
        }
    }
}
