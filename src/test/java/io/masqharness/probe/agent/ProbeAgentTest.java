package io.masqharness.probe.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProbeAgentTest {

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String captured(Runnable r) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void snatReportsThePeerTheServerSawOverTcpAndUdp() throws Exception {
        int tcp = freePort();
        int udp = freePort();
        Thread server = new Thread(() -> ProbeAgent.run(new String[] {"serve", "--tcp-port", "" + tcp, "--udp-port", "" + udp,
                "--max-seconds", "5"}));
        server.setDaemon(true);
        server.start();
        Thread.sleep(500);
        int[] status = new int[2];
        String tcpOut = captured(() -> status[0] = ProbeAgent.run(new String[] {"snat", "--target", "127.0.0.1:" + tcp,
                "--protocol", "tcp", "--count", "2"}));
        String udpOut = captured(() -> status[1] = ProbeAgent.run(new String[] {"snat", "--targets", "127.0.0.1", "--port", "" + udp,
                "--protocol", "udp", "--count", "1"}));
        assertThat(status).containsExactly(0, 0);
        assertThat(tcpOut).contains("\"sent\":2,\"received\":2,\"observed\":[\"127.0.0.1\"]");
        assertThat(udpOut).contains("\"protocol\":\"udp\"", "\"received\":1", "\"observed\":[\"127.0.0.1\"]");

        // From 127.0.0.2 to 127.0.0.1: the answer must name the peer, not the server's own address.
        try (java.net.Socket s = new java.net.Socket()) {
            s.bind(new java.net.InetSocketAddress("127.0.0.2", 0));
            s.connect(new java.net.InetSocketAddress("127.0.0.1", tcp), 2000);
            s.setSoTimeout(2000);
            s.getOutputStream().write("id-7\n".getBytes(StandardCharsets.UTF_8));
            String answer = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertThat(answer).isEqualTo("{\"peer\":\"127.0.0.2\",\"peerPort\":" + s.getLocalPort() + ",\"id\":\"id-7\"}");
        }
        try (java.net.DatagramSocket d = new java.net.DatagramSocket(new java.net.InetSocketAddress("127.0.0.2", 0))) {
            d.setSoTimeout(2000);
            byte[] id = "id-8".getBytes(StandardCharsets.UTF_8);
            d.send(new java.net.DatagramPacket(id, id.length, new java.net.InetSocketAddress("127.0.0.1", udp)));
            java.net.DatagramPacket reply = new java.net.DatagramPacket(new byte[1500], 1500);
            d.receive(reply);
            assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"peer\":\"127.0.0.2\",\"peerPort\":" + d.getLocalPort() + ",\"id\":\"id-8\"}");
        }
    }

    @Test
    void unansweredRequestsExitWithOneAndSayWhy() throws Exception {
        int closed = freePort();
        int[] status = new int[1];
        String out = captured(() -> status[0] = ProbeAgent.run(new String[] {"snat", "--target", "127.0.0.1:" + closed,
                "--protocol", "tcp", "--count", "1", "--timeout-ms", "200"}));
        assertThat(status[0]).isEqualTo(1);
        assertThat(out).contains("\"received\":0").contains("ConnectException");
    }

    @Test
    void badArgumentsExitWithTwo() {
        PrintStream savedErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            badArguments();
        } finally {
            System.setErr(savedErr);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: probe").contains("--protocol must be tcp or udp");
    }

    private static void badArguments() {
        assertThat(ProbeAgent.run(new String[] {})).isEqualTo(2);
        assertThat(ProbeAgent.run(new String[] {"snat", "--target", "1.2.3.4:7000", "--protocol", "icmp"})).isEqualTo(2);
        assertThat(ProbeAgent.run(new String[] {"snat", "--target", "1.2.3.4:7000", "--protocol", "tcp", "--count", "1000"})).isEqualTo(2);
        assertThat(ProbeAgent.run(new String[] {"fly"})).isEqualTo(2);
    }
}
