package io.masqharness.probe.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code probe snat}: asks echo servers which source address our requests arrived with. */
final class SnatClient {

    private static final Pattern PEER = Pattern.compile("\"peer\":\"([^\"]*)\"");

    private SnatClient() {
    }

    static int run(Args args) {
        String[] targets;
        int port;
        if (args.text("target", null) != null) {
            Args.Target single = args.target("target");
            targets = new String[] {single.host()};
            port = single.port();
        } else {
            targets = args.required("targets").split(",");
            port = args.integer("port", 7000, 1, 65535);
        }
        String protocol = args.required("protocol");
        if (!protocol.equals("tcp") && !protocol.equals("udp")) {
            throw new IllegalArgumentException("--protocol must be tcp or udp, got '" + protocol + "'");
        }
        int count = args.integer("count", 3, 1, 100);
        int timeoutMs = args.integer("timeout-ms", 1000, 50, 30000);
        boolean allAnswered = true;
        for (String target : targets) {
            int received = 0;
            Set<String> observed = new LinkedHashSet<>();
            List<String> raw = new ArrayList<>();
            String error = null;
            for (int i = 0; i < count; i++) {
                String id = protocol + "-" + target + "-" + i;
                try {
                    String line = protocol.equals("tcp") ? tcp(target, port, id, timeoutMs) : udp(target, port, id, timeoutMs);
                    Matcher m = PEER.matcher(line);
                    if (m.find()) {
                        received++;
                        observed.add(m.group(1));
                        raw.add(line);
                    } else {
                        error = "unexpected answer: " + line;
                    }
                } catch (SocketTimeoutException e) {
                    error = "timed out after " + timeoutMs + " ms";
                } catch (IOException e) {
                    error = e.getClass().getSimpleName() + ": " + e.getMessage();
                }
            }
            allAnswered &= received == count;
            System.out.println("{\"target\":" + Json.string(target) + ",\"port\":" + port + ",\"protocol\":"
                    + Json.string(protocol) + ",\"sent\":" + count + ",\"received\":" + received + ",\"observed\":"
                    + Json.strings(List.copyOf(observed)) + ",\"answers\":" + Json.strings(raw)
                    + ",\"error\":" + Json.string(error) + "}");
        }
        return allAnswered ? 0 : 1;
    }

    private static String tcp(String target, int port, String id, int timeoutMs) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(target, port), timeoutMs);
            s.setSoTimeout(timeoutMs);
            s.getOutputStream().write((id + "\n").getBytes(StandardCharsets.UTF_8));
            String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
            if (line == null) {
                throw new IOException("connection closed without an answer");
            }
            return line;
        }
    }

    private static String udp(String target, int port, String id, int timeoutMs) throws IOException {
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(timeoutMs);
            byte[] data = id.getBytes(StandardCharsets.UTF_8);
            s.send(new DatagramPacket(data, data.length, new InetSocketAddress(target, port)));
            byte[] buffer = new byte[1500];
            DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
            s.receive(reply);
            return new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8).trim();
        }
    }
}
