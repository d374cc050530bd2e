package io.masqharness.probe.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code probe latency}: request/response latency at a fixed rate (open loop) or back to back
 * (closed loop, comparable to netperf's TCP_RR). Open loop measures each latency from the request's
 * <em>intended</em> send time, so stalls count in full (no coordinated omission). Pacing parks
 * until shortly before each deadline, then spins: OS sleeps alone are too coarse for microseconds.
 * Prints one JSON line with every latency in microseconds; the harness records them.
 */
final class LatencyClient {

    static final int MAX_REQUESTS = 500_000;
    private static final long SPIN_NS = 50_000;

    private LatencyClient() {
    }

    /** When the last request actually left: the achieved send rate is measured against it. */
    private static volatile long lastSendNs;

    static int run(Args args) throws IOException {
        String kind = args.required("kind");
        Args.Target target = args.target("target");
        InetSocketAddress server = target.address();
        int rate = args.integer("rate", 1000, 1, 100_000);
        int durationMs = args.integer("duration-ms", 5000, 100, 600_000);
        int warmupMs = args.integer("warmup-ms", 500, 0, 60_000);
        boolean closedLoop = args.text("mode", "open").equals("closed");
        int total = (int) Math.min((long) rate * (durationMs + warmupMs) / 1000, MAX_REQUESTS);
        int warmup = (int) ((long) rate * warmupMs / 1000);
        long[] latencyNs = new long[total];
        java.util.Arrays.fill(latencyNs, -1);
        long start = System.nanoTime() + 5_000_000;
        long interval = 1_000_000_000L / rate;
        AtomicInteger errors = new AtomicInteger();
        switch (kind) {
            case "tcp-rr" -> tcpRr(server, total, start, interval, closedLoop, latencyNs, errors);
            case "tcp-crr" -> tcpCrr(server, total, start, interval, closedLoop, latencyNs, errors);
            case "udp-rr" -> udpRr(server, total, start, interval, closedLoop, latencyNs, errors);
            default -> throw new IllegalArgumentException("--kind must be tcp-rr, tcp-crr or udp-rr, got '" + kind + "'");
        }
        StringBuilder out = new StringBuilder(16 * total);
        int completed = 0;
        out.append("{\"kind\":").append(Json.string(kind)).append(",\"target\":").append(Json.string(target.toString()))
                .append(",\"loop\":\"").append(closedLoop ? "closed" : "open").append("\",\"rate\":").append(rate)
                .append(",\"warmupDiscarded\":").append(Math.min(warmup, total)).append(",\"latenciesUs\":[");
        for (int i = warmup; i < total; i++) {
            if (latencyNs[i] >= 0) {
                out.append(completed++ == 0 ? "" : ",").append(Math.max(1, latencyNs[i] / 1000));
            }
        }
        int measured = Math.max(0, total - warmup);
        double achieved = closedLoop || lastSendNs <= start ? Double.NaN : (total - 1) * 1e9 / (lastSendNs - start);
        out.append("],\"achievedRate\":").append(Double.isNaN(achieved) ? "null" : String.format("%.1f", achieved))
                .append(",\"sent\":").append(measured).append(",\"completed\":").append(completed)
                .append(",\"errors\":").append(errors.get()).append('}');
        System.out.println(out);
        return completed == measured ? 0 : 1;
    }

    /** Waits for the deadline: park until close to it, then spin. Returns the time it woke. */
    static long pace(long deadline) {
        long now;
        while ((now = System.nanoTime()) < deadline - SPIN_NS) {
            LockSupport.parkNanos(deadline - now - SPIN_NS);
        }
        while ((now = System.nanoTime()) < deadline) {
            Thread.onSpinWait();
        }
        return now;
    }

    /** One persistent connection; in open loop requests are pipelined and answers matched in order. */
    private static void tcpRr(InetSocketAddress server, int total, long start, long interval, boolean closed, long[] lat,
                              AtomicInteger errors) throws IOException {
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.connect(server, 2000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            long[] intended = new long[total];
            if (closed) {
                for (int i = 0; i < total; i++) {
                    long t0 = System.nanoTime();
                    out.write('x');
                    if (in.read() < 0) {
                        errors.incrementAndGet();
                        return;
                    }
                    lat[i] = System.nanoTime() - t0;
                }
                return;
            }
            Thread reader = new Thread(() -> {
                try {
                    for (int i = 0; i < total; i++) {
                        if (in.read() < 0) {
                            errors.incrementAndGet();
                            return;
                        }
                        lat[i] = System.nanoTime() - intended[i];
                    }
                } catch (IOException e) {
                    errors.incrementAndGet();
                }
            });
            reader.start();
            for (int i = 0; i < total; i++) {
                intended[i] = start + i * interval;
                pace(intended[i]);
                out.write('x');
                lastSendNs = System.nanoTime();
            }
            join(reader, 5000);
        }
    }

    /** A new connection per exchange: where a NAT entry is created per request. */
    private static void tcpCrr(InetSocketAddress server, int total, long start, long interval, boolean closed, long[] lat,
                               AtomicInteger errors) {
        ExecutorService pool = Executors.newFixedThreadPool(closed ? 1 : 32);
        for (int i = 0; i < total; i++) {
            long intended = start + i * interval;
            if (!closed) {
                pace(intended);
                lastSendNs = System.nanoTime();
            }
            int n = i;
            Runnable exchange = () -> {
                long t0 = closed ? System.nanoTime() : intended;
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
                    lat[n] = System.nanoTime() - t0;
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

    private static void udpRr(InetSocketAddress server, int total, long start, long interval, boolean closed, long[] lat,
                              AtomicInteger errors) throws IOException {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(server);
            socket.setSoTimeout(closed ? 1000 : 200);
            long[] sentAt = new long[total];
            byte[] rx = new byte[64];
            if (closed) {
                for (int i = 0; i < total; i++) {
                    sentAt[i] = System.nanoTime();
                    socket.send(new DatagramPacket(seq(i), 8));
                    try {
                        socket.receive(new DatagramPacket(rx, rx.length));
                        lat[i] = System.nanoTime() - sentAt[i];
                    } catch (SocketTimeoutException e) {
                        errors.incrementAndGet();
                    }
                }
                return;
            }
            long end = start + total * interval + 2_000_000_000L;
            Thread reader = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try {
                        DatagramPacket p = new DatagramPacket(rx, rx.length);
                        socket.receive(p);
                        if (p.getLength() >= 8) {
                            int i = (int) ByteBuffer.wrap(p.getData(), 0, 8).getLong();
                            if (i >= 0 && i < total) {
                                lat[i] = System.nanoTime() - (start + i * interval);
                            }
                        }
                    } catch (SocketTimeoutException e) {
                        // Keep listening until the end of the run.
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            reader.start();
            for (int i = 0; i < total; i++) {
                pace(start + i * interval);
                socket.send(new DatagramPacket(seq(i), 8));
                lastSendNs = System.nanoTime();
            }
            join(reader, 3000);
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
