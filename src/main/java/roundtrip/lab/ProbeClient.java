package roundtrip.lab;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * One real probe, run inside the source namespace: {@code ProbeClient tcp|udp DST PORT [SRC] [nodata]}.
 * Prints one JSON line. tcp: {"handshake","rst","icmpError","data"}; udp: {"answered","icmpError"}.
 * "rst" means the connection was refused: Linux reports a RST and an ICMP port-unreachable the same way.
 * "icmpError": an error the socket reported that an ICMP or ICMPv6 error (or a local route) causes: network or host
 * unreachable, and for IPv6 "Permission denied" (icmpv6_err_convert maps administratively prohibited and the reject
 * route code to EACCES; IPv4's admin-prohibited is EHOSTUNREACH).
 */
public final class ProbeClient {
    static final int TIMEOUT_MS = 1500;
    private static final String PAYLOAD = "roundtrip-probe";

    private ProbeClient() {}

    public static void main(String[] args) throws Exception {
        String proto = args[0];
        InetAddress dst = InetAddress.getByName(args[1]);
        int port = Integer.parseInt(args[2]);
        InetAddress src = args.length > 3 && !args[3].equals("-") ? InetAddress.getByName(args[3]) : null;
        boolean data = !(args.length > 4 && args[4].equals("nodata"));
        System.out.println(proto.equals("tcp") ? tcp(dst, port, src, data) : udp(dst, port, src));
    }

    static String tcp(InetAddress dst, int port, InetAddress src, boolean runData) {
        boolean handshake = false, rst = false, icmpError = false;
        Boolean data = null;
        String error = null;
        try (Socket socket = new Socket()) {
            if (src != null) socket.bind(new InetSocketAddress(src, 0));
            try {
                socket.connect(new InetSocketAddress(dst, port), TIMEOUT_MS);
                handshake = true;
            } catch (NoRouteToHostException e) {
                icmpError = true;
                error = e.getMessage();
            } catch (ConnectException e) {
                if (e.getMessage() != null && e.getMessage().contains("refused")) rst = true;
                else if (isIcmpError(e)) icmpError = true;
                error = e.getMessage();
            } catch (SocketTimeoutException e) {
                error = "timeout";
            }
            if (handshake && runData) {
                data = false;
                try {
                    socket.setSoTimeout(TIMEOUT_MS);
                    socket.getOutputStream().write((PAYLOAD + "\n").getBytes(StandardCharsets.UTF_8));
                    socket.getOutputStream().flush();
                    String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
                    data = PAYLOAD.equals(line);
                    if (line == null) error = "data: connection closed";
                } catch (SocketTimeoutException e) {
                    error = "data: timeout";
                } catch (SocketException e) {
                    error = "data: " + e.getMessage();
                    if (e.getMessage() != null && e.getMessage().contains("reset")) rst = true;
                }
            }
        } catch (Exception e) {
            error = e.toString();
            if (isIcmpError(e)) icmpError = true;
        }
        return "{\"handshake\":" + handshake + ",\"rst\":" + rst + ",\"icmpError\":" + icmpError
                + ",\"data\":" + data + ",\"error\":" + quote(error) + "}";
    }

    static String udp(InetAddress dst, int port, InetAddress src) {
        boolean answered = false, icmpError = false;
        String error = null;
        try (DatagramSocket socket = new DatagramSocket(src == null ? new InetSocketAddress(0) : new InetSocketAddress(src, 0))) {
            // A connected socket only accepts datagrams from dst:port, like the OpenVPN client of S5.
            socket.connect(dst, port);
            socket.setSoTimeout(TIMEOUT_MS);
            byte[] payload = PAYLOAD.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(payload, payload.length));
            DatagramPacket answer = new DatagramPacket(new byte[2048], 2048);
            socket.receive(answer);
            answered = true;
        } catch (PortUnreachableException e) {
            icmpError = true;
            error = "port unreachable";
        } catch (SocketTimeoutException e) {
            error = "timeout";
        } catch (Exception e) {
            error = e.toString();
            if (isIcmpError(e)) icmpError = true;
        }
        return "{\"answered\":" + answered + ",\"icmpError\":" + icmpError + ",\"error\":" + quote(error) + "}";
    }

    /** ENETUNREACH, EHOSTUNREACH ("No route to host") or EACCES, as the JDK words them. */
    static boolean isIcmpError(Exception e) {
        String message = e.getMessage();
        return e instanceof NoRouteToHostException
                || message != null && (message.contains("unreachable") || message.contains("No route to host")
                        || message.contains("Permission denied"));
    }

    private static String quote(String s) {
        if (s == null) return "null";
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
