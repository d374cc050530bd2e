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
import java.util.List;
import java.util.concurrent.ExecutorService;

/** RR and CRR responders: every byte received on TCP is sent back; every UDP datagram is returned as is. */
final class RrServer {

    static final int TCP_PORT = 7002;
    static final int UDP_PORT = 7003;

    private RrServer() {
    }

    static void start(ExecutorService workers, List<InetAddress> udpAddresses, List<DatagramSocket> opened) throws IOException {
        ServerSocket tcp = new ServerSocket();
        tcp.setReuseAddress(true);
        tcp.bind(new InetSocketAddress(TCP_PORT), 1024);
        workers.submit(() -> {
            while (!tcp.isClosed()) {
                try {
                    Socket s = tcp.accept();
                    s.setTcpNoDelay(true);
                    workers.submit(() -> echo(s));
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
                        udp.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }
    }

    private static void echo(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buffer = new byte[4096];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
        } catch (IOException ignored) {
            // Client closed: its side reports errors.
        }
    }
}
