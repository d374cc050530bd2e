package io.masqharness.probe.agent;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** {@code probe serve}: tells every client which source address it arrived with. */
final class EchoServer {

    private EchoServer() {
    }

    static int run(Args args) {
        int tcpPort = args.integer("tcp-port", 7000, 1, 65535);
        int udpPort = args.integer("udp-port", 7001, 1, 65535);
        int maxSeconds = args.integer("max-seconds", 3600, 1, 86400);
        ExecutorService workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        });
        List<DatagramSocket> udpSockets = new ArrayList<>();
        try (ServerSocket tcp = new ServerSocket()) {
            tcp.setReuseAddress(true);
            tcp.bind(new InetSocketAddress(tcpPort), 128);
            // One UDP socket per local address: a wildcard socket would answer from the address of
            // the outgoing route, not the one asked, and conntrack could not reverse the NAT.
            for (InetAddress address : localAddresses()) {
                DatagramSocket udp = new DatagramSocket(null);
                udp.setReuseAddress(true);
                udp.bind(new InetSocketAddress(address, udpPort));
                udpSockets.add(udp);
                workers.submit(() -> serveUdp(udp));
            }
            workers.submit(() -> acceptTcp(tcp, workers));
            String delayFile = args.text("rr-delay-file", "");
            RrServer.start(workers, localAddresses(), udpSockets,
                    delayFile.isEmpty() ? RrServer.Delay.none() : new RrServer.Delay(java.nio.file.Path.of(delayFile)));
            System.out.println("{\"serving\":true,\"tcpPort\":" + tcpPort + ",\"udpPort\":" + udpPort
                    + ",\"rrTcpPort\":" + RrServer.TCP_PORT + ",\"rrUdpPort\":" + RrServer.UDP_PORT
                    + ",\"udpAddresses\":" + udpSockets.size() + "}");
            System.out.flush();
            Thread.sleep(maxSeconds * 1000L);
            return 0;
        } catch (IOException e) {
            System.err.println("probe serve: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } finally {
            udpSockets.forEach(DatagramSocket::close);
        }
    }

    /**
     * Every IPv4 address, and every IPv6 address a probe can be routed to (not link-local, not
     * loopback): on a host without IPv6 addresses of its own, the IPv4 list alone.
     */
    static List<InetAddress> localAddresses() throws SocketException {
        List<InetAddress> addresses = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp()) {
                Collections.list(nic.getInetAddresses()).stream().filter(EchoServer::servable).forEach(addresses::add);
            }
        }
        return addresses;
    }

    static boolean servable(InetAddress a) {
        return a instanceof Inet4Address || a instanceof Inet6Address && !a.isLinkLocalAddress() && !a.isLoopbackAddress()
                && !a.isMulticastAddress();
    }

    static String answer(InetSocketAddress peer, String id) {
        return "{\"peer\":" + Json.string(peer.getAddress().getHostAddress()) + ",\"peerPort\":" + peer.getPort()
                + ",\"id\":" + Json.string(id) + "}";
    }

    private static void acceptTcp(ServerSocket tcp, ExecutorService workers) {
        while (!tcp.isClosed()) {
            try {
                Socket s = tcp.accept();
                workers.submit(() -> answerTcp(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void answerTcp(Socket s) {
        try (s) {
            s.setSoTimeout(2000);
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String id = in.readLine();
            OutputStream out = s.getOutputStream();
            out.write((answer((InetSocketAddress) s.getRemoteSocketAddress(), id) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException ignored) {
            // The client went away; it reports the missing answer itself.
        }
    }

    private static void serveUdp(DatagramSocket udp) {
        byte[] buffer = new byte[1500];
        while (!udp.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                udp.receive(p);
                String id = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8).trim();
                byte[] reply = answer((InetSocketAddress) p.getSocketAddress(), id).getBytes(StandardCharsets.UTF_8);
                udp.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
            } catch (IOException e) {
                return;
            }
        }
    }
}
