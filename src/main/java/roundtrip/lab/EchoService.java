package roundtrip.lab;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Echo services for the lab, run inside a host namespace: {@code EchoService tcp/22 udp/53 ...}.
 * TCP echoes lines; UDP sends each datagram back from a socket bound to the wildcard address, so the
 * kernel chooses the reply's source address by routing (which is what the multihomed scenarios test).
 * Prints "READY" once every socket is bound.
 */
public final class EchoService {
    private EchoService() {}

    public static void main(String[] args) throws Exception {
        List<Thread> threads = new ArrayList<>();
        for (String spec : args) {
            String[] parts = spec.split("[/ ]");
            int port = Integer.parseInt(parts[1]);
            Thread t = switch (parts[0]) {
                case "tcp" -> tcp(port);
                case "udp" -> udp(port);
                default -> throw new IllegalArgumentException("unknown service " + spec);
            };
            threads.add(t);
        }
        System.out.println("READY");
        System.out.flush();
        for (Thread t : threads) t.join();
    }

    private static Thread tcp(int port) throws Exception {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(port));
        return start(() -> {
            while (true) {
                Socket client = server.accept();
                start(() -> {
                    try (client) {
                        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
                        OutputStream out = client.getOutputStream();
                        String line;
                        while ((line = in.readLine()) != null) {
                            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                            out.flush();
                        }
                    }
                });
            }
        });
    }

    private static Thread udp(int port) throws Exception {
        DatagramSocket socket = new DatagramSocket(null);
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(port));
        return start(() -> {
            byte[] buffer = new byte[2048];
            while (true) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                try {
                    socket.send(new DatagramPacket(packet.getData(), packet.getLength(), packet.getSocketAddress()));
                } catch (java.io.IOException e) {
                    // no route back (ENETUNREACH), an error route: a real service goes on answering the next datagram
                    System.err.println("echo: udp/" + port + ": answer to " + packet.getSocketAddress() + " not sent: " + e.getMessage());
                }
            }
        });
    }

    private interface Body { void run() throws Exception; }

    private static Thread start(Body body) {
        Thread t = new Thread(() -> {
            try { body.run(); } catch (Exception e) { System.err.println("echo: " + e); }
        });
        t.setDaemon(false);
        t.start();
        return t;
    }
}
