package io.masqharness.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The latency block's tcp-stream kind: its streams, its whole-second duration, its gate. */
class StreamScenarioTest {

    @TempDir
    Path dir;

    Scenario load(String latency) throws IOException {
        Path file = dir.resolve("scenario.yaml");
        Files.writeString(file, ScenarioLoaderTest.VALID + "latency: " + latency + "\n");
        return new ScenarioLoader().load(file);
    }

    List<String> problems(String latency) {
        try {
            load(latency);
        } catch (ScenarioException e) {
            return e.problems().stream().map(p -> p.path() + ": " + p.message()).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        throw new AssertionError("loaded without a problem: " + latency);
    }

    @Test
    void aStreamBlockTakesItsStreamsAndGatesGoodputBesideTheLatencies() throws IOException {
        LatencySpec l = load("{kinds: [tcp-stream, tcp-crr], streams: 4, duration: 2s}").latency().orElseThrow();
        assertThat(l.kinds()).containsExactly("tcp-stream", "tcp-crr");
        assertThat(l.streams()).isEqualTo(4);
        assertThat(l.streamsKind()).isTrue();
        assertThat(l.duration()).isEqualTo(Duration.ofSeconds(2));
        assertThat(l.gate()).containsExactly("p50", "p99", "goodput");
        assertThat(load("{kinds: [tcp-stream], streams: 8, regression: {gate: [goodput, retransmits]}}").latency().orElseThrow())
                .satisfies(s -> assertThat(s.streams()).isEqualTo(8))
                .satisfies(s -> assertThat(s.gate()).containsExactly("goodput", "retransmits"));
        LatencySpec one = load("{kinds: [tcp-stream]}").latency().orElseThrow();
        assertThat(one.streams()).as("default").isEqualTo(1);
        assertThat(load("{kinds: [tcp-rr]}").latency().orElseThrow().streamsKind()).isFalse();
        assertThat(load("{kinds: [tcp-rr]}").latency().orElseThrow().gate()).as("latency only: as before").containsExactly("p50", "p99");
    }

    @Test
    void streamsOutsideOneToEightOrWithoutTcpStreamAreRefusedSayingSo() {
        assertThat(problems("{kinds: [tcp-stream], streams: 9}"))
                .containsExactly("latency.streams: found 9, expected parallel TCP streams per tcp-stream measurement, a whole number 1..8");
        assertThat(problems("{kinds: [tcp-stream], streams: 0}")).singleElement().asString().startsWith("latency.streams: found 0");
        assertThat(problems("{kinds: [tcp-rr], streams: 2}")).containsExactly(
                "latency.streams: streams is the number of parallel tcp-stream connections, but kinds does not list tcp-stream");
    }

    @Test
    void aStreamDurationIsWholeSecondsBecauseIperf3ReadsHalfASecondAsForever() {
        assertThat(problems("{kinds: [tcp-stream], duration: 1500ms}")).containsExactly("latency.duration: found 1500ms, expected whole"
                + " seconds such as 1s or 10s: tcp-stream runs iperf3, whose -t takes whole seconds");
        assertThat(problems("{kinds: [tcp-rr], duration: 1500ms, regression: {gate: [goodput]}}")).containsExactly(
                "latency.regression.gate[0]: metric 'goodput' is tcp-stream's, but kinds does not list tcp-stream");
    }

    @Test
    void theSpecItselfRefusesStreamsOutOfBounds() {
        assertThatThrownBy(() -> new LatencySpec(List.of("tcp-stream"), 1, Duration.ofSeconds(1), 5, 0.05, 0.01, List.of("goodput"),
                List.of(io.masqharness.net.Family.IPV4), Duration.ZERO, 9)).hasMessage("streams 9 outside 1..8");
        assertThatThrownBy(() -> new LatencySpec(List.of("tcp-stream"), 1, Duration.ofSeconds(1), 5, 0.05, 0.01, List.of("goodput"),
                List.of(io.masqharness.net.Family.IPV4), Duration.ZERO, 0)).hasMessage("streams 0 outside 1..8");
        assertThat(new LatencySpec(List.of("tcp-stream"), 1, Duration.ofSeconds(1), 5, 0.05, 0.01, List.of("goodput"),
                List.of(io.masqharness.net.Family.IPV4), Duration.ZERO, 8).streams()).isEqualTo(8);
    }
}
