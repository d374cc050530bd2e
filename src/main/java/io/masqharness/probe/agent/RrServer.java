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
 * With a delay file, each answer (to every peer, or to the peers of one prefix) leaves that many
 * microseconds late: a known slowdown, so a test can show that a latency gate turns red, and that a
 * slowdown of every path alike does not.
 */
final class RrServer {

    static final int TCP_PORT = 7002;
    static final int UDP_PORT = 7003;
    /** How often the delay file is read: a change is in force within this. */
    static final long DELAY_POLL_MS = 50;

    private RrServer() {
    }

    /**
     * Answers late by what {@code file} holds: microseconds, optionally followed by an IPv4 prefix ({@code 1000 10.44.0.0/16}):
     * then only answers to peers inside it are late. Absent, empty or unreadable: no delay.
     */
    static final class Delay {
        private final Path file;
        private volatile Rule rule;

        /** @param prefix the peers the delay applies to (address bytes); null for every peer */
        record Rule(long nanos, byte[] prefix, int bits) {
            static final Rule NONE = new Rule(0, null, 0);

            boolean applies(InetAddress peer) {
                if (prefix == null) {
                    return true;
                }
                byte[] a = peer.getAddress();
                if (a.length != prefix.length) {
                    return false;
                }
                for (int bit = 0; bit < bits; bit++) {
                    int mask = 0x80 >>> (bit % 8);
                    if ((a[bit / 8] & mask) != (prefix[bit / 8] & mask)) {
                        return false;
                    }
                }
                return true;
            }
        }

        Delay(Path file) {
            this.file = file;
            rule = read(file);
        }

        static Delay none() {
            return new Delay(null);
        }

        static Rule read(Path file) {
            if (file == null) {
                return Rule.NONE;
            }
            try {
                return parse(Files.readString(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                return Rule.NONE;
            }
        }

        static Rule parse(String text) {
            String[] words = text.trim().split("\\s+");
            try {
                long nanos = words[0].isEmpty() ? 0 : Math.max(0, Long.parseLong(words[0])) * 1000;
                if (words.length == 1 || nanos == 0) {
                    return new Rule(nanos, null, 0);
                }
                String[] cidr = words[1].split("/");
                byte[] prefix = InetAddress.getByName(cidr[0]).getAddress();
                int bits = Integer.parseInt(cidr[1]);
                return bits < 0 || bits > prefix.length * 8 ? Rule.NONE : new Rule(nanos, prefix, bits);
            } catch (NumberFormatException | IOException | ArrayIndexOutOfBoundsException e) {
                return Rule.NONE;
            }
        }

        long nanos() {
            return rule.nanos();
        }

        /** Re-reads the file every {@link #DELAY_POLL_MS} on a daemon thread of {@code workers}. */
        void follow(ExecutorService workers) {
            if (file == null) {
                return;
            }
            workers.submit(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    rule = read(file);
                    LockSupport.parkNanos(DELAY_POLL_MS * 1_000_000);
                }
            });
        }

        /** Waits out the delay for {@code peer} from {@code receivedNs}: park, then spin the last stretch, as the client paces. */
        void await(long receivedNs, InetAddress peer) {
            Rule r = rule;
            if (r.nanos() == 0 || !r.applies(peer)) {
                return;
            }
            long deadline = receivedNs + r.nanos();
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
                        delay.await(System.nanoTime(), p.getAddress());
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
                delay.await(System.nanoTime(), s.getInetAddress());
                out.write(buffer, 0, n);
            }
        } catch (IOException ignored) {
            // Client closed: its side reports errors.
        }
    }
}
