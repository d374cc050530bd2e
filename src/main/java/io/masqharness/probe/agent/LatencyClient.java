package io.masqharness.probe.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code probe latency}: request/response latency at a fixed rate (open loop) or back to back
 * (closed loop, comparable to netperf's TCP_RR). Open loop measures each latency from the request's
 * <em>intended</em> send time, so stalls count in full (no coordinated omission), and records how
 * late each request actually left (the sender's lateness: the instrument's own error).
 * Prints one JSON line with every latency and lateness in microseconds; the harness records them.
 */
final class LatencyClient {

    static final int MAX_REQUESTS = 500_000;
    /**
     * How long before a send deadline the sender stops parking and spins. Measured on a 2-core VM
     * (bench/README.md): a parked thread woke a median 80 µs late (the kernel's 50 µs timer slack plus
     * the wake-up), so a 50 µs window left requests a median 25-39 µs late, counted into every
     * open-loop latency; from 100 µs on the median lateness was 0. 200 µs leaves twice the margin and
     * spins a fifth of a core at 1000/s.
     */
    static final int DEFAULT_SPIN_US = 200;
    /** A TCP exchange unanswered this long ends the run (the socket is closed under the blocked read). */
    static final long STALL_MS = 2000;
    /** How long a closed-loop udp-rr request waits for its answer before it counts as lost. */
    static final long UDP_LOSS_MS = 1000;

    private LatencyClient() {
    }

    static int run(Args args) throws IOException {
        String kind = args.required("kind");
        Args.Target target = args.target("target");
        InetSocketAddress server = target.address();
        int rate = args.integer("rate", 1000, 1, 100_000);
        int durationMs = args.integer("duration-ms", 5000, 100, 600_000);
        int warmupMs = args.integer("warmup-ms", 500, 0, 60_000);
        Pacer pacer = new Pacer(args.integer("spin-us", DEFAULT_SPIN_US, 0, 1_000_000) * 1000L);
        boolean closedLoop = args.text("mode", "open").equals("closed");
        int total = (int) Math.max(1, Math.min((long) rate * (durationMs + warmupMs) / 1000, MAX_REQUESTS));
        int warmup = Math.min(total, (int) ((long) rate * warmupMs / 1000));
        Timeline timeline = new Timeline(total, closedLoop);
        long start = System.nanoTime() + 5_000_000;
        long interval = 1_000_000_000L / rate;
        for (int i = 0; i < total; i++) {
            timeline.intendedNs[i] = start + i * interval;
        }
        AtomicInteger errors = new AtomicInteger();
        switch (kind) {
            case "tcp-rr" -> tcpRr(server, timeline, closedLoop, pacer, errors);
            case "tcp-crr" -> tcpCrr(server, timeline, closedLoop, pacer, errors);
            case "udp-rr" -> udpRr(server, timeline, closedLoop, pacer, errors);
            default -> throw new IllegalArgumentException("--kind must be tcp-rr, tcp-crr or udp-rr, got '" + kind + "'");
        }
        StringBuilder latencies = new StringBuilder(8 * total);
        StringBuilder lateness = new StringBuilder(4 * total);
        int completed = 0;
        int sent = 0;
        for (int i = warmup; i < total; i++) {
            if (timeline.sentNs[i] != Timeline.NEVER) {
                lateness.append(sent++ == 0 ? "" : ",").append(timeline.latenessUs(i));
            }
            if (timeline.answered(i)) {
                latencies.append(completed++ == 0 ? "" : ",").append(timeline.latencyUs(i));
            }
        }
        int measured = total - warmup;
        long lastSend = timeline.sentNs[total - 1];
        double achieved = closedLoop || lastSend <= start ? Double.NaN : (total - 1) * 1e9 / (lastSend - start);
        System.out.println("{\"kind\":" + Json.string(kind) + ",\"target\":" + Json.string(target.toString())
                + ",\"loop\":\"" + (closedLoop ? "closed" : "open") + "\",\"rate\":" + rate + ",\"warmupDiscarded\":" + warmup
                + ",\"latenciesUs\":[" + latencies + "],\"latenessUs\":[" + lateness + "],\"achievedRate\":"
                + (Double.isNaN(achieved) ? "null" : String.format("%.1f", achieved)) + ",\"sent\":" + measured
                + ",\"completed\":" + completed + ",\"errors\":" + errors.get() + "}");
        return completed == measured ? 0 : 1;
    }

    /**
     * One persistent connection; in open loop requests are pipelined and answers matched in order.
     * Reads block without a socket timeout: with one, the JDK reads non-blocking and polls
     * (read, EAGAIN, poll, read: about 1.5 µs per exchange measured here); a watchdog closes the
     * socket instead when no answer came for {@link #STALL_MS}.
     */
    private static void tcpRr(InetSocketAddress server, Timeline t, boolean closed, Pacer pacer, AtomicInteger errors)
            throws IOException {
        try (Socket s = new Socket(); Watchdog watchdog = Watchdog.closeOnStall(s, STALL_MS)) {
            s.setTcpNoDelay(true);
            s.connect(server, 2000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            if (closed) {
                for (int i = 0; i < t.size(); i++) {
                    t.sentClosedLoop(i, System.nanoTime());
                    out.write('x');
                    if (in.read() < 0) {
                        errors.incrementAndGet();
                        return;
                    }
                    t.answeredNs[i] = System.nanoTime();
                    watchdog.progress();
                }
                return;
            }
            Thread reader = new Thread(() -> {
                try {
                    for (int i = 0; i < t.size(); i++) {
                        if (in.read() < 0) {
                            errors.incrementAndGet();
                            return;
                        }
                        t.answeredNs[i] = System.nanoTime();
                        watchdog.progress();
                    }
                } catch (IOException e) {
                    errors.incrementAndGet();
                }
            });
            reader.start();
            for (int i = 0; i < t.size(); i++) {
                t.sentNs[i] = pacer.await(t.intendedNs[i]);
                out.write('x');
            }
            join(reader, 5000);
        }
    }

    /** A new connection per exchange: where a NAT entry is created per request. */
    private static void tcpCrr(InetSocketAddress server, Timeline t, boolean closed, Pacer pacer, AtomicInteger errors) {
        ExecutorService pool = Executors.newFixedThreadPool(closed ? 1 : 32);
        for (int i = 0; i < t.size(); i++) {
            if (!closed) {
                pacer.await(t.intendedNs[i]);
            }
            int n = i;
            // The exchange leaves when a thread starts it: pool delays are the sender's lateness.
            Runnable exchange = () -> {
                if (closed) {
                    t.sentClosedLoop(n, System.nanoTime());
                } else {
                    t.sentNs[n] = System.nanoTime();
                }
                try (Socket s = new Socket()) {
                    s.setTcpNoDelay(true);
                    s.setSoLinger(true, 0);
                    s.connect(server, 2000);
                    s.setSoTimeout(2000);
                    s.getOutputStream().write('x');
                    if (s.getInputStream().read() < 0) {
                        errors.incrementAndGet();
                        return;
                    }
                    t.answeredNs[n] = System.nanoTime();
                } catch (IOException e) {
                    errors.incrementAndGet();
                }
            };
            if (closed) {
                exchange.run();
            } else {
                pool.execute(exchange);
            }
        }
        pool.shutdown();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        pool.shutdownNow();
    }

    /**
     * Reads block without a socket timeout, as in {@link #tcpRr}. Closed loop: an answer lost for
     * {@link #UDP_LOSS_MS} has a watchdog close the socket; the request counts as an error and a new
     * socket goes on with the next (late answers to earlier requests are skipped by their sequence
     * number). Open loop: a reader takes answers until all came or the run's end, when the socket is closed.
     */
    private static void udpRr(InetSocketAddress server, Timeline t, boolean closed, Pacer pacer, AtomicInteger errors)
            throws IOException {
        if (closed) {
            udpRrClosed(server, t, errors);
            return;
        }
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(server);
            byte[] rx = new byte[64];
            Thread reader = new Thread(() -> {
                int answered = 0;
                while (answered < t.size()) {
                    try {
                        DatagramPacket p = new DatagramPacket(rx, rx.length);
                        socket.receive(p);
                        long now = System.nanoTime();
                        int i = p.getLength() >= 8 ? (int) ByteBuffer.wrap(p.getData(), 0, 8).getLong() : -1;
                        if (i >= 0 && i < t.size() && t.answeredNs[i] == Timeline.NEVER) {
                            t.answeredNs[i] = now;
                            answered++;
                        }
                    } catch (IOException e) {
                        return; // the socket was closed at the run's end: what did not come is unanswered
                    }
                }
            });
            reader.setDaemon(true);
            reader.start();
            for (int i = 0; i < t.size(); i++) {
                t.sentNs[i] = pacer.await(t.intendedNs[i]);
                socket.send(new DatagramPacket(seq(i), 8));
            }
            long end = t.intendedNs[t.size() - 1] + 2_000_000_000L;
            join(reader, Math.max(1, (end - System.nanoTime()) / 1_000_000));
        }
    }

    private static void udpRrClosed(InetSocketAddress server, Timeline t, AtomicInteger errors) throws IOException {
        byte[] rx = new byte[64];
        int i = 0;
        while (i < t.size()) {
            try (DatagramSocket socket = new DatagramSocket(); Watchdog watchdog = Watchdog.closeOnStall(socket, UDP_LOSS_MS)) {
                socket.connect(server);
                for (; i < t.size(); i++) {
                    t.sentClosedLoop(i, System.nanoTime());
                    socket.send(new DatagramPacket(seq(i), 8));
                    DatagramPacket p = new DatagramPacket(rx, rx.length);
                    do {
                        socket.receive(p);
                    } while (p.getLength() < 8 || ByteBuffer.wrap(p.getData(), 0, 8).getLong() != i);
                    t.answeredNs[i] = System.nanoTime();
                    watchdog.progress();
                }
            } catch (IOException e) {
                // The watchdog closed the socket: request i's answer was lost.
                errors.incrementAndGet();
                i++;
            }
        }
    }

    private static byte[] seq(int i) {
        return ByteBuffer.allocate(8).putLong(i).array();
    }

    private static void join(Thread t, long ms) {
        try {
            t.join(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
