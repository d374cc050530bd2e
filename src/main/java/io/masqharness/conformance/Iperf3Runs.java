package io.masqharness.conformance;

import io.masqharness.cluster.ClusterException;
import io.masqharness.cluster.ExecResult;
import io.masqharness.cluster.Host;
import io.masqharness.latency.Iperf3;
import io.masqharness.latency.StreamTrial;
import io.masqharness.scenario.LatencySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code tcp-stream} measurement with Debian's iperf3 (3.12 in the bookworm probe image): a
 * one-off server ({@code iperf3 -s -1}) started on the external host for this measurement alone and
 * bounded by {@code timeout}, awaited until it listens, then the client from the pod or its node,
 * {@code -J} for JSON, {@code -R} for the download direction (the external host sends over the
 * connection the pod opened, so the replies cross the masquerading in reverse). Why iperf3 and not
 * the probe agent's own client: goodput at line rate needs a sender that is not the measurement's
 * bottleneck, zero-copy and per-stream TCP_INFO for retransmissions; iperf3 has all of it, is what
 * people compare Cilium's tuning with, and is one Debian package. A server left over by a client
 * that never connected is stopped before the next one starts (by its PID, nothing broader).
 */
final class Iperf3Runs {

    static final int PORT = 5201;
    static final String PID_FILE = "/tmp/iperf3-server.pid";
    static final String LOG_FILE = "/tmp/iperf3-server.log";
    /** How long a fresh server may take to listen. */
    static final Duration READY = Duration.ofSeconds(10);
    /** Beyond the test's own seconds: connection setup, the results exchange, a slow container exec. */
    static final Duration SLACK = Duration.ofSeconds(30);
    static final int CONNECT_TIMEOUT_MS = 5000;

    private Iperf3Runs() {
    }

    static StreamTrial measure(Host external, Host from, String destination, LatencySpec spec, String mode, String path, String direction,
                               int index) {
        long seconds = Math.max(1, spec.duration().toSeconds());
        long omit = (spec.warmup().toMillis() + 999) / 1000;
        Duration bound = Duration.ofSeconds(seconds + omit).plus(SLACK);
        String target = destination.startsWith("[") ? destination.substring(1, destination.length() - 1) : destination;
        String server = startServer(external, bound);
        ExecResult r = from.exec(bound, client(target, seconds, omit, spec.streams(), direction).toArray(String[]::new));
        String what = "tcp-stream " + direction + " from " + from.name() + " (" + path + ") to " + target + ":" + PORT + " in mode " + mode
                + ", trial " + index;
        if (r.timedOut()) {
            throw new IllegalStateException(what + ": iperf3 did not finish within " + bound.toSeconds() + " s" + serverLog(external, server)
                    + "\n" + r);
        }
        try {
            Iperf3 m = Iperf3.parse(r.stdout());
            return new StreamTrial(mode, StreamTrial.KIND, path, direction, index, m.streams(), m.goodputBps(), m.retransmits(),
                    m.senderCongestionControl());
        } catch (Iperf3.Failure e) {
            throw new IllegalStateException(what + ": " + e.getMessage() + (r.stderr().isBlank() ? "" : " (stderr: " + r.stderr().strip() + ")")
                    + serverLog(external, server), e);
        }
    }

    /** The client's command: JSON, whole seconds, the warm-up omitted, bounded streams, a bounded connect. */
    static List<String> client(String target, long seconds, long omit, int streams, String direction) {
        List<String> c = new ArrayList<>(List.of("iperf3", "-c", target, "-p", Integer.toString(PORT), "-J", "-t", Long.toString(seconds),
                "-O", Long.toString(omit), "-P", Integer.toString(streams), "--connect-timeout", Integer.toString(CONNECT_TIMEOUT_MS)));
        if (direction.equals(StreamTrial.DOWNLOAD)) {
            c.add("-R");
        }
        return c;
    }

    /**
     * Whether the process {@code $old} still runs. Not {@code kill -0}: the external host's PID 1 ({@code sleep}) reaps
     * nothing, so a server that finished stays a zombie, which {@code kill -0} reports alive; waiting for it cost every
     * measurement but the first its whole 5 s bound.
     */
    static final String STILL_RUNNING = "grep -qs '^State:[[:space:]]*[^Z[:space:]]' /proc/$old/status";

    /** The server's start: the previous one stopped by its PID (waited for, bounded), a one-off server bounded by {@code bound}. */
    static String serverScript(Duration bound) {
        return "if [ -f " + PID_FILE + " ]; then old=$(cat " + PID_FILE + "); kill $old 2>/dev/null; i=0;"
                + " while " + STILL_RUNNING + " && [ $i -lt 50 ]; do sleep 0.1; i=$((i+1)); done; fi;"
                + " nohup timeout " + bound.toSeconds() + " iperf3 -s -1 -p " + PORT + " > " + LOG_FILE + " 2>&1 < /dev/null &"
                + " echo $! > " + PID_FILE;
    }

    static final String LISTENING = "ss -Hltn 'sport = :" + PORT + "' | grep -q .";

    /**
     * Starts the server and waits until it listens; returns what to say about it when the client fails. An external host
     * the harness cannot run commands on (an existing cluster's echo host) must run {@code iperf3 -s -p 5201} itself.
     */
    static String startServer(Host external, Duration bound) {
        return startServer(external, bound, READY);
    }

    /** As {@link #startServer(Host, Duration)}, waiting at most {@code ready} for it to listen. */
    static String startServer(Host external, Duration bound, Duration ready) {
        try {
            ExecResult started = external.exec(Duration.ofSeconds(15), "sh", "-c", serverScript(bound));
            if (!started.ok()) {
                throw new IllegalStateException("cannot start iperf3's server on " + external.name() + ": " + started);
            }
        } catch (ClusterException e) {
            return "; the harness cannot start iperf3 on " + external.name() + " (" + e.getMessage().lines().findFirst().orElse("")
                    + "): run `iperf3 -s -p " + PORT + "` there";
        }
        long deadline = System.nanoTime() + ready.toNanos();
        int polls = 0;
        while (true) {
            polls++;
            if (external.exec(Duration.ofSeconds(5), "sh", "-c", LISTENING).ok()) {
                return "";
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("iperf3's server on " + external.name() + " did not listen on tcp/" + PORT + " within "
                        + ready.toMillis() / 1000.0 + " s (" + polls + " checks)" + log(external));
            }
            sleep(100);
        }
    }

    private static String serverLog(Host external, String server) {
        return server.isEmpty() ? log(external) : server;
    }

    private static String log(Host external) {
        try {
            ExecResult r = external.exec(Duration.ofSeconds(5), "cat", LOG_FILE);
            return r.ok() ? "; server log on " + external.name() + ": " + (r.stdout().isBlank() ? "(empty)" : r.stdout().strip()) : "";
        } catch (ClusterException e) {
            return "";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for iperf3's server", e);
        }
    }
}
