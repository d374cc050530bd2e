package io.masqharness.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.masqharness.cluster.ExecResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's rounds and rate search against a scripted pod; sockperf's output is a real capture. */
class PeerBenchmarkTest {

    /** {@code sockperf ping-pong --tcp --full-rtt -t 1 --mps=1000} on loopback (sockperf 3.7): p50 18.755, p99 921.594 µs. */
    static final String SOCKPERF = read("/sockperf/ping-pong-tcp-full-rtt.txt");

    @TempDir
    Path dir;
    ScriptedCluster cluster;
    final List<String> out = new ArrayList<>();

    static String read(String resource) {
        try (var in = PeerBenchmarkTest.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new IllegalStateException(resource, e);
        }
    }

    @BeforeEach
    void cluster() {
        cluster = new ScriptedCluster(ConformanceFixtures.twoNodes(dir, "tcp", ""));
    }

    @Test
    void eachRoundRunsTheHarnessThenSockperfOnTheSamePathAndComparesThem() {
        cluster.script = (host, command) -> switch (command.get(0)) {
            case "probe" -> new ExecResult(0, "{\"latenciesUs\":[20,20,20,30,1000]}\n", "");
            case "sockperf" -> new ExecResult(0, SOCKPERF, "");
            default -> new ExecResult(0, "", "");
        };
        List<PeerBenchmark.Round> rounds = PeerBenchmark.rounds(cluster, "198.20.0.10", 1000, 3, 2, out::add);
        assertThat(rounds).hasSize(2).allSatisfy(r -> {
            assertThat(r.harnessP50()).isEqualTo(20);
            assertThat(r.harnessP99()).isEqualTo(1000);
            assertThat(r.sockperfP50()).isEqualTo(18.755);
            assertThat(r.sockperfP99()).isEqualTo(921.594);
        });
        assertThat(cluster.callsOf("external")).extracting(ScriptedCluster.Call::line).containsExactly(
                "sh -ec nohup timeout 3600 sockperf server --tcp -i 0.0.0.0 -p 11111 > /tmp/sockperf.log 2> /tmp/sockperf.log.err"
                        + " < /dev/null &");
        List<ScriptedCluster.Call> pod = cluster.callsOf("node-1-pod-a");
        assertThat(pod).extracting(ScriptedCluster.Call::line).containsExactly(
                "probe latency --kind tcp-rr --target 198.20.0.10:7002 --rate 1000 --duration-ms 3000 --warmup-ms 400",
                "sockperf ping-pong --tcp --full-rtt -i 198.20.0.10 -p 11111 -t 3 --mps=1000",
                "probe latency --kind tcp-rr --target 198.20.0.10:7002 --rate 1000 --duration-ms 3000 --warmup-ms 400",
                "sockperf ping-pong --tcp --full-rtt -i 198.20.0.10 -p 11111 -t 3 --mps=1000");
        assertThat(pod).allSatisfy(c -> assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(33)));
        assertThat(out).containsExactly(
                "round 0 at 1000/s: harness tcp-rr p50 20 us p99 1000 us | sockperf ping-pong (full RTT) p50 18.8 us p99 921.6 us"
                        + " | ratio p50 1.066 p99 1.085",
                "round 1 at 1000/s: harness tcp-rr p50 20 us p99 1000 us | sockperf ping-pong (full RTT) p50 18.8 us p99 921.6 us"
                        + " | ratio p50 1.066 p99 1.085");
    }

    @Test
    void sockperfsPercentilesAreReadByTheirLevel() {
        assertThat(PeerBenchmark.sockperf(SOCKPERF, "50.000")).isEqualTo(18.755);
        assertThat(PeerBenchmark.sockperf(SOCKPERF, "99.900")).isEqualTo(1939.138);
        assertThat(PeerBenchmark.sockperf(SOCKPERF, "25.000")).isEqualTo(18.033);
        assertThatThrownBy(() -> PeerBenchmark.sockperf("sockperf: ERROR: connect refused", "50.000"))
                .hasMessage("no percentile 50.000 in sockperf output:\nsockperf: ERROR: connect refused");
    }

    @Test
    void theSustainedRateIsTheLastDoublingSentWithinOnePercentAndAnswered() {
        cluster.script = (host, command) -> {
            int rate = Integer.parseInt(command.get(command.indexOf("--rate") + 1));
            double achieved = rate <= 4000 ? rate * 0.995 : rate * 0.98;
            return new ExecResult(0, "{\"achievedRate\":" + achieved + ",\"sent\":1000,\"completed\":1000}\n", "");
        };
        assertThat(PeerBenchmark.sustainedRate(cluster, "198.20.0.10", out::add)).isEqualTo(4000);
        assertThat(out).containsExactly(
                "rate   1000/s: achieved 995/s (99.50%), 1000/1000 answered -> sustained",
                "rate   2000/s: achieved 1990/s (99.50%), 1000/1000 answered -> sustained",
                "rate   4000/s: achieved 3980/s (99.50%), 1000/1000 answered -> sustained",
                "rate   8000/s: achieved 7840/s (98.00%), 1000/1000 answered -> not sustained");
        assertThat(cluster.callsOf("node-1-pod-a")).first().extracting(ScriptedCluster.Call::line).isEqualTo(
                "probe latency --kind tcp-rr --target 198.20.0.10:7002 --rate 1000 --duration-ms 2000 --warmup-ms 200");
    }

    @Test
    void unansweredRequestsEndTheSearchAndEveryRateUpTo64000CanBeSustained() {
        cluster.script = (host, command) -> new ExecResult(0, "{\"achievedRate\":1000.0,\"sent\":1000,\"completed\":989}\n", "");
        assertThat(PeerBenchmark.sustainedRate(cluster, "198.20.0.10", out::add)).isZero();
        assertThat(out).containsExactly("rate   1000/s: achieved 1000/s (100.00%), 989/1000 answered -> not sustained");
        out.clear();
        cluster.script = (host, command) -> new ExecResult(0, "{\"achievedRate\":" + command.get(command.indexOf("--rate") + 1)
                + ",\"sent\":100,\"completed\":99}\n", "");
        assertThat(PeerBenchmark.sustainedRate(cluster, "198.20.0.10", out::add)).isEqualTo(64_000);
        assertThat(out).hasSize(7);
        cluster.script = (host, command) -> new ExecResult(1, "probe: refused\n", "");
        assertThatThrownBy(() -> PeerBenchmark.sustainedRate(cluster, "198.20.0.10", out::add))
                .hasMessage("no result line: probe: refused\n");
    }

    @Test
    void exactlyOnePercentShortIsStillSustained() {
        cluster.script = (host, command) -> {
            int rate = Integer.parseInt(command.get(command.indexOf("--rate") + 1));
            return new ExecResult(0, "{\"achievedRate\":" + (rate == 1000 ? 990.0 : 1.0) + ",\"sent\":1000,\"completed\":990}\n", "");
        };
        assertThat(PeerBenchmark.sustainedRate(cluster, "198.20.0.10", out::add)).isEqualTo(1000);
    }
}
