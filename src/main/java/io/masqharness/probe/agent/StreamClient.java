package io.masqharness.probe.agent;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code probe stream}: UDP requests at a fixed rate to an echo server while something else
 * happens (a mode switch), then one JSON line: sent, answered, lost, and the longest time without
 * an answered request. Stops when the stop file appears or the duration bound is reached.
 */
final class StreamClient {

    private static final Pattern ID = Pattern.compile("\"id\":\"s(\\d+)\"");

    private StreamClient() {
    }

    static int run(Args args) throws IOException {
        Args.Target target = args.target("target");
        InetSocketAddress server = target.address();
        int rate = args.integer("rate", 100, 1, 10_000);
        int maxMs = args.integer("max-ms", 60_000, 100, 900_000);
        Path stopFile = Path.of(args.required("stop-file"));
        int total = (int) Math.min((long) rate * maxMs / 1000, 5_000_000);
        long interval = 1_000_000_000L / rate;
        long[] sentAt = new long[total];
        boolean[] answered = new boolean[total];
        AtomicBoolean done = new AtomicBoolean();
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(100);
            Thread receiver = new Thread(() -> receive(socket, answered, done));
            receiver.setDaemon(true);
            receiver.start();
            long start = System.nanoTime();
            int sent = 0;
            for (; sent < total; sent++) {
                long due = start + sent * interval;
                LockSupport.parkNanos(due - System.nanoTime());
                if (sent % Math.max(1, rate / 10) == 0 && Files.exists(stopFile)) {
                    break;
                }
                byte[] data = ("s" + sent).getBytes(StandardCharsets.UTF_8);
                sentAt[sent] = System.nanoTime();
                socket.send(new DatagramPacket(data, data.length, server));
            }
            LockSupport.parkNanos(500_000_000L);
            done.set(true);
            int received = 0;
            long lastAnswered = start;
            long longestGap = 0;
            for (int i = 0; i < sent; i++) {
                if (answered[i]) {
                    received++;
                    longestGap = Math.max(longestGap, sentAt[i] - lastAnswered);
                    lastAnswered = sentAt[i];
                }
            }
            if (sent > 0) {
                longestGap = Math.max(longestGap, sentAt[sent - 1] - lastAnswered);
            }
            System.out.println("{\"target\":" + Json.string(target.toString()) + ",\"rate\":" + rate + ",\"sent\":" + sent
                    + ",\"received\":" + received + ",\"lost\":" + (sent - received)
                    + ",\"longestGapMs\":" + String.format("%.1f", longestGap / 1e6) + "}");
            return received > 0 ? 0 : 1;
        }
    }

    private static void receive(DatagramSocket socket, boolean[] answered, AtomicBoolean done) {
        byte[] buffer = new byte[1500];
        while (!done.get()) {
            try {
                DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                socket.receive(p);
                Matcher m = ID.matcher(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
                if (m.find()) {
                    int seq = Integer.parseInt(m.group(1));
                    if (seq < answered.length) {
                        answered[seq] = true;
                    }
                }
            } catch (SocketTimeoutException e) {
                // Poll the done flag.
            } catch (IOException e) {
                return;
            }
        }
    }
}
