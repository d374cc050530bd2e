package io.masqharness.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.masqharness.cluster.ClusterException;
import io.masqharness.cluster.ExecResult;
import io.masqharness.latency.StreamTrial;
import io.masqharness.net.Family;
import io.masqharness.scenario.LatencySpec;
import io.masqharness.scenario.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tcp-stream in the campaign: iperf3's server and client, their order and bounds, and a failure in iperf3's words. */
class StreamCampaignTest {

    @TempDir
    Path dir;
    Scenario scenario;
    ScriptedCluster cluster;
    LatencySpec spec;
    final List<String> progress = new ArrayList<>();
    String upload;
    String download;

    @BeforeEach
    void twoModesStreamsAndRr() throws Exception {
        scenario = ConformanceFixtures.twoNodes(dir, "tcp", "latency: {kinds: [tcp-stream], duration: 2s, trials: 5, streams: 2}");
        spec = new LatencySpec(List.of("tcp-stream", "tcp-rr"), 250, Duration.ofSeconds(2), 2, 0.05, 0.01, List.of("goodput"),
                List.of(Family.IPV4), Duration.ofMillis(200), 2);
        cluster = new ScriptedCluster(scenario);
        upload = Files.readString(Path.of("src/test/resources/iperf3/upload-P2.json"));
        download = Files.readString(Path.of("src/test/resources/iperf3/download-P2-omit1.json"));
        cluster.script = (host, command) -> {
            if (command.get(0).equals("iperf3")) {
                return new ExecResult(0, command.contains("-R") ? download : upload, "");
            }
            if (command.get(1).equals("latency")) {
                return new ExecResult(0, "{\"kind\":\"tcp-rr\",\"loop\":\"open\",\"latenciesUs\":[100],\"sent\":1,\"completed\":1,\"errors\":0}", "");
            }
            return new ExecResult(0, "", "");
        };
    }

    @Test
    void streamsRunInBothDirectionsFromThePodAndTheNodeInterleavedWithTheLatencyKinds() {
        LatencyCampaign.Measurements m = LatencyCampaign.measure(scenario, scenario.modes().subList(0, 2), cluster, spec, progress::add);
        assertThat(cluster.applied).containsExactly("iptables", "bpf", "iptables", "bpf");
        assertThat(m.streams()).extracting(StreamTrial::tag).containsExactly(
                "iptables.tcp-stream.pod.upload.t0", "iptables.tcp-stream.host.upload.t0",
                "iptables.tcp-stream.pod.download.t0", "iptables.tcp-stream.host.download.t0",
                "bpf.tcp-stream.pod.upload.t0", "bpf.tcp-stream.host.upload.t0",
                "bpf.tcp-stream.pod.download.t0", "bpf.tcp-stream.host.download.t0",
                "iptables.tcp-stream.pod.upload.t1", "iptables.tcp-stream.host.upload.t1",
                "iptables.tcp-stream.pod.download.t1", "iptables.tcp-stream.host.download.t1",
                "bpf.tcp-stream.pod.upload.t1", "bpf.tcp-stream.host.upload.t1",
                "bpf.tcp-stream.pod.download.t1", "bpf.tcp-stream.host.download.t1");
        assertThat(m.latency()).as("the latency kind beside it").hasSize(2 * 2 * 2 * 2);
        StreamTrial first = m.streams().get(0);
        assertThat(first.goodputBps()).isEqualTo(11_948_709_498L);
        assertThat(first.retransmits()).isEqualTo(3070);
        assertThat(first.streams()).isEqualTo(2);
        assertThat(m.streams().get(2).goodputBps()).as("download: -R's figures").isEqualTo(4_626_192_484L);
        assertThat(progress).contains("throughput iptables tcp-stream pod upload trial 0: 11.95 Gbit/s, 3070 retransmits, 2 streams, sender bbr")
                .contains("throughput bpf tcp-stream host download trial 1: 4.63 Gbit/s, 1 retransmits, 2 streams, sender bbr");
        assertThat(LatencyCampaign.run(scenario, scenario.modes().subList(0, 1), cluster, spec, progress::add)).as("run: latency only")
                .hasSize(2 * 2 * 2);
    }

    @Test
    void eachMeasurementStartsAOneOffServerOnTheExternalHostWaitsForItAndBoundsTheClient() {
        LatencyCampaign.measure(scenario, scenario.modes().subList(0, 1), cluster,
                new LatencySpec(List.of("tcp-stream"), 1, Duration.ofSeconds(3), 1, 0.05, 0.01, List.of("goodput"), List.of(Family.IPV4),
                        Duration.ofMillis(1200), 4), progress::add);
        List<ScriptedCluster.Call> external = cluster.callsOf("external");
        assertThat(external).hasSize(8).extracting(ScriptedCluster.Call::line).containsExactly(
                "sh -c " + Iperf3Runs.serverScript(Duration.ofSeconds(35)), "sh -c " + Iperf3Runs.LISTENING,
                "sh -c " + Iperf3Runs.serverScript(Duration.ofSeconds(35)), "sh -c " + Iperf3Runs.LISTENING,
                "sh -c " + Iperf3Runs.serverScript(Duration.ofSeconds(35)), "sh -c " + Iperf3Runs.LISTENING,
                "sh -c " + Iperf3Runs.serverScript(Duration.ofSeconds(35)), "sh -c " + Iperf3Runs.LISTENING);
        assertThat(Iperf3Runs.serverScript(Duration.ofSeconds(35))).contains("nohup timeout 35 iperf3 -s -1 -p 5201 > /tmp/iperf3-server.log")
                .contains("kill $old").contains("echo $! > /tmp/iperf3-server.pid").doesNotContain("pkill").doesNotContain("killall");
        List<ScriptedCluster.Call> pod = cluster.callsOf("node-1-pod-a");
        // 3 s, the 1.2 s warm-up omitted as 2 whole seconds, 4 streams, a bounded connect; the exec bound is 3 + 2 + 30 s
        assertThat(pod).extracting(ScriptedCluster.Call::line).containsExactly(
                "iperf3 -c 198.20.0.10 -p 5201 -J -t 3 -O 2 -P 4 --connect-timeout 5000",
                "iperf3 -c 198.20.0.10 -p 5201 -J -t 3 -O 2 -P 4 --connect-timeout 5000 -R");
        assertThat(pod).allSatisfy(c -> assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(35)));
        assertThat(cluster.callsOf("node-1")).extracting(ScriptedCluster.Call::line)
                .allSatisfy(l -> assertThat(l).startsWith("iperf3 -c 198.20.0.10 -p 5201 -J -t 3 -O 2 -P 4"));
        assertThat(Iperf3Runs.client("2001:db8::1", 1, 0, 1, StreamTrial.UPLOAD))
                .containsExactly("iperf3", "-c", "2001:db8::1", "-p", "5201", "-J", "-t", "1", "-O", "0", "-P", "1", "--connect-timeout", "5000");
    }

    @Test
    void aFailingIperf3StopsTheCampaignWithItsErrorAndTheServersLog() throws Exception {
        String refused = Files.readString(Path.of("src/test/resources/iperf3/error-refused.json"));
        cluster.script = (host, command) -> command.get(0).equals("iperf3") ? new ExecResult(0, refused, "")
                : command.get(0).equals("cat") ? new ExecResult(0, "iperf3: error - unable to start listener\n", "") : new ExecResult(0, "", "");
        assertThatThrownBy(() -> LatencyCampaign.measure(scenario, scenario.modes().subList(0, 1), cluster, spec, progress::add))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("tcp-stream upload from node-1-pod-a (pod) to 198.20.0.10:5201 in mode iptables, trial 0: iperf3 failed:"
                        + " unable to connect to server: Connection refused; server log on external: iperf3: error - unable to start listener");
    }

    @Test
    void aClientThatOutlivesItsBoundIsNamedAndAnIpv6TargetLosesItsBrackets() {
        cluster.script = (host, command) -> command.get(0).equals("iperf3") ? new ExecResult(ExecResult.TIMED_OUT, "", "")
                : command.get(0).equals("cat") ? new ExecResult(1, "", "no such file") : new ExecResult(0, "", "");
        assertThatThrownBy(() -> Iperf3Runs.measure(cluster.externalHost(), cluster.pods().get(0).host(), "[2001:db8::10]", spec, "bpf",
                "pod-ipv6", StreamTrial.DOWNLOAD, 3))
                .hasMessageStartingWith("tcp-stream download from node-1-pod-a (pod-ipv6) to 2001:db8::10:5201 in mode bpf, trial 3:"
                        + " iperf3 did not finish within 33 s\nexit 124 (timed out)");
        assertThat(cluster.callsOf("node-1-pod-a")).singleElement().extracting(ScriptedCluster.Call::line).asString()
                .startsWith("iperf3 -c 2001:db8::10 -p 5201 -J -t 2 -O 1 -P 2");
    }

    @Test
    void aServerThatNeverListensFailsAfterItsBoundWithItsLog() {
        AtomicInteger polls = new AtomicInteger();
        cluster.script = (host, command) -> command.contains(Iperf3Runs.LISTENING) ? new ExecResult(polls.incrementAndGet() > 0 ? 1 : 0, "", "")
                : command.get(0).equals("cat") ? new ExecResult(0, "iperf3: error - unable to start listener for connections: Address in use\n", "")
                : new ExecResult(0, "", "");
        long start = System.nanoTime();
        assertThatThrownBy(() -> Iperf3Runs.startServer(cluster.externalHost(), Duration.ofSeconds(40), Duration.ofMillis(1500)))
                .hasMessageStartingWith("iperf3's server on external did not listen on tcp/5201 within 1.5 s (")
                .hasMessageEndingWith("checks); server log on external: iperf3: error - unable to start listener for connections: Address in use");
        assertThat((System.nanoTime() - start) / 1e9).isBetween(1.45, 4.0);
        assertThat(polls.get()).as("a check every 100 ms, not a busy loop").isBetween(4, 40);
        int checks = polls.get();
        polls.set(0);
        assertThatThrownBy(() -> Iperf3Runs.startServer(cluster.externalHost(), Duration.ofSeconds(40), Duration.ZERO))
                .as("the message counts the checks").hasMessageContaining("within 0.0 s (1 checks)");
        assertThat(checks).isPositive();
        assertThat(Iperf3Runs.READY).as("the bound a real server gets").isEqualTo(Duration.ofSeconds(10));
        cluster.script = (host, command) -> new ExecResult(2, "", "sh: cannot create /tmp/iperf3-server.pid");
        assertThatThrownBy(() -> Iperf3Runs.startServer(cluster.externalHost(), Duration.ofSeconds(40)))
                .hasMessage("cannot start iperf3's server on external: exit 2\nstderr:\nsh: cannot create /tmp/iperf3-server.pid");
    }

    @Test
    void anEchoHostTheHarnessCannotReachMustRunItsOwnServerAndTheFailureSaysSo() throws Exception {
        String refused = Files.readString(Path.of("src/test/resources/iperf3/error-refused.json"));
        cluster.script = (host, command) -> {
            if (host.equals("external")) {
                throw new ClusterException("exec " + String.join(" ", command), "echo-host", "the harness has no access to the echo host");
            }
            return new ExecResult(0, refused, "");
        };
        assertThatThrownBy(() -> Iperf3Runs.measure(cluster.externalHost(), cluster.pods().get(0).host(), "198.20.0.10", spec, "bpf", "pod",
                StreamTrial.UPLOAD, 0)).hasMessageContaining("iperf3 failed: unable to connect to server: Connection refused; the harness"
                + " cannot start iperf3 on external (").hasMessageEndingWith("): run `iperf3 -s -p 5201` there");
    }
}
