package io.masqharness.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.masqharness.cluster.ExecResult;
import io.masqharness.cluster.Pod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stream around a mode switch: its command, its timing, and what it reports. */
class SwitchDisruptionTest {

    static final SwitchDisruption.Lulls LULLS = new SwitchDisruption.Lulls(Duration.ofMillis(300), Duration.ofMillis(200));

    @TempDir
    Path dir;
    ScriptedCluster cluster;
    Pod pod;

    @BeforeEach
    void cluster() {
        cluster = new ScriptedCluster(ConformanceFixtures.twoNodes(dir, "tcp", ""));
        pod = cluster.pods().get(0);
    }

    @Test
    void theSwitchRunsAfterTheLeadInAndTheStreamStopsAfterTheAftermath() {
        cluster.script = (host, command) -> command.get(0).equals("probe")
                ? new ExecResult(0, "{\"sent\":1}\n{\"sent\":100,\"received\":97,\"lost\":3,\"longestGapMs\":41.5}\n", "")
                : new ExecResult(0, "", "");
        AtomicLong switchedAt = new AtomicLong();
        SwitchDisruption.Result r = SwitchDisruption.during(pod, "198.20.0.10", Duration.ofSeconds(20), LULLS,
                () -> switchedAt.set(System.nanoTime()));
        assertThat(r).isEqualTo(new SwitchDisruption.Result(100, 97, 3, 41.5));
        assertThat(r).hasToString("3 of 100 requests lost at 200/s, longest gap 41.5 ms");
        List<ScriptedCluster.Call> calls = cluster.callsOf("node-1-pod-a");
        assertThat(calls).hasSize(3);
        ScriptedCluster.Call stream = calls.stream().filter(c -> c.command().get(0).equals("probe")).findFirst().orElseThrow();
        String stopFile = stream.command().get(stream.command().indexOf("--stop-file") + 1);
        assertThat(stopFile).startsWith("/tmp/masq-stream-stop-");
        // The whole measurement is bounded by the switch's bound, the lulls and 10 s; the stream stops itself 5 s before.
        assertThat(stream.timeout()).isEqualTo(Duration.ofMillis(20_000 + 300 + 200 + 10_000));
        assertThat(stream.line()).isEqualTo("probe stream --target 198.20.0.10:7001 --rate 200 --max-ms 25500 --stop-file " + stopFile);
        ScriptedCluster.Call touch = calls.get(1);
        assertThat(touch.command()).containsExactly("touch", stopFile);
        assertThat(calls.get(2).command()).containsExactly("rm", "-f", stopFile);
        assertThat(Duration.ofNanos(switchedAt.get() - stream.atNanos())).as("lead-in before the switch").isGreaterThanOrEqualTo(
                Duration.ofMillis(290));
        assertThat(Duration.ofNanos(touch.atNanos() - switchedAt.get())).as("aftermath before the stop").isGreaterThanOrEqualTo(
                Duration.ofMillis(190));
    }

    @Test
    void aStreamWithoutAResultOrWithAnUnreadableOneSaysSo() {
        cluster.script = (host, command) -> new ExecResult(1, "probe: bad target\n", "");
        assertThatThrownBy(() -> SwitchDisruption.during(pod, "198.20.0.10", Duration.ofSeconds(1), LULLS, () -> { }))
                .hasMessageStartingWith("switch-disruption stream from node-1-pod-a (10.44.0.10 on node-1) printed no result: ");
        cluster.script = (host, command) -> new ExecResult(0, "{\"sent\":\"many\"}\n", "");
        assertThatThrownBy(() -> SwitchDisruption.during(pod, "198.20.0.10", Duration.ofSeconds(1), LULLS, () -> { }))
                .hasMessage("unreadable stream result: {\"sent\":\"many\"}");
    }

    @Test
    void anInterruptedWaitKeepsTheInterruptAndEndsWithoutWaitingForTheStream() {
        cluster.script = (host, command) -> {
            if (command.get(0).equals("probe")) {
                try {
                    Thread.sleep(3000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new ExecResult(0, "{\"sent\":1,\"received\":1,\"lost\":0,\"longestGapMs\":1.0}\n", "");
            }
            return new ExecResult(0, "", "");
        };
        java.util.concurrent.atomic.AtomicBoolean switched = new java.util.concurrent.atomic.AtomicBoolean();
        long t0 = System.nanoTime();
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> SwitchDisruption.during(pod, "198.20.0.10", Duration.ofSeconds(1), LULLS, () -> switched.set(true)))
                    .hasMessage("interrupted while the switch-disruption stream from node-1-pod-a (10.44.0.10 on node-1) ran");
        } finally {
            assertThat(Thread.interrupted()).as("the interrupt is kept for the caller").isTrue();
        }
        assertThat(switched).as("interrupted before the switch").isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(2500));
    }
}
