package io.masqharness.probe.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.locks.LockSupport;

/**
 * RR and CRR responders: every byte received on TCP is sent back; every UDP datagram is returned as is.
 * With a delay file, each answer leaves that many microseconds late: a known slowdown, so a test
 * can show that a latency gate turns red.
 */
final class RrServer {

    static final int TCP_PORT = 7002;
    static final int UDP_PORT = 7003;
    /** How often the delay file is read: a change is in force within this. */
    static final long DELAY_POLL_MS = 50;

    private RrServer() {
    }

    /** Answers late by what {@code file} holds (microseconds; absent, empty or unreadable: no delay). */
    static final class Delay {
        private final Path file;
        private volatile long nanos;

        Delay(Path file) {
            this.file = file;
            nanos = read(file);
        }

        static Delay none() {
            return new Delay(null);
        }

        static long read(Path file) {
            if (file == null) {
                return 0;
            }
            try {
                String text = Files.readString(file, StandardCharsets.UTF_8).trim();
                return text.isEmpty() ? 0 : Math.max(0, Long.parseLong(text)) * 1000;
            } catch (IOException | NumberFormatException e) {
                return 0;
            }
        }

        long nanos() {
            return nanos;
        }

        /** Re-reads the file every {@link #DELAY_POLL_MS} on a daemon thread of {@code workers}. */
        void follow(ExecutorService workers) {
            if (file == null) {
                return;
            }
            workers.submit(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    nanos = read(file);
                    LockSupport.parkNanos(DELAY_POLL_MS * 1_000_000);
                }
            });
        }

        /** Waits out the delay from {@code receivedNs}: park, then spin the last stretch, as the client paces. */
        void await(long receivedNs) {
            long deadline = receivedNs + nanos;
            long now;
            while ((now = System.nanoTime()) < deadline - 50_000) {
                LockSupport.parkNanos(deadline - now - 50_000);
            }
            while (System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
        }
    }

    static void start(ExecutorService workers, List<InetAddress> udpAddresses, List<DatagramSocket> opened, Delay delay)
            throws IOException {
        ServerSocket tcp = new ServerSocket();
        tcp.setReuseAddress(true);
        tcp.bind(new InetSocketAddress(TCP_PORT), 1024);
        delay.follow(workers);
        workers.submit(() -> {
            while (!tcp.isClosed()) {
                try {
                    Socket s = tcp.accept();
                    s.setTcpNoDelay(true);
                    workers.submit(() -> echo(s, delay));
                } catch (IOException e) {
                    return;
                }
            }
        });
        for (InetAddress address : udpAddresses) {
            DatagramSocket udp = new DatagramSocket(null);
            udp.setReuseAddress(true);
            udp.bind(new InetSocketAddress(address, UDP_PORT));
            opened.add(udp);
            workers.submit(() -> {
                byte[] buffer = new byte[1500];
                while (!udp.isClosed()) {
                    try {
                        DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                        udp.receive(p);
                        delay.await(System.nanoTime());
                        udp.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }
    }

    private static void echo(Socket s, Delay delay) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buffer = new byte[4096];
            int n;
            while ((n = in.read(buffer)) > 0) {
                delay.await(System.nanoTime());
                out.write(buffer, 0, n);
            }
        } catch (IOException ignored) {
            // Client closed: its side reports errors.
        }
    }
}
