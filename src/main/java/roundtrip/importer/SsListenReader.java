package roundtrip.importer;

import roundtrip.model.InputException;
import roundtrip.model.Ip;
import roundtrip.model.Listener;
import roundtrip.model.Message;
import roundtrip.model.Packet;
import roundtrip.model.Problem;
import roundtrip.model.Source;
import roundtrip.model.Text;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads `ss -Hlntu`: "tcp LISTEN 0 4096 0.0.0.0:22 0.0.0.0:*". Local address forms in real output:
 * "0.0.0.0", "192.168.78.1", "127.0.0.53%lo" (bound to a device), "*" (an IPv6 socket that also takes IPv4,
 * i.e. not IPV6_V6ONLY), "[::]" (IPv6 only: ss prints "*" instead when the socket is dual-stack), "[::1]",
 * "[::ffff:10.0.0.1]" (v4-mapped, takes IPv4 for that address), "[2001:db8::1]".
 */
public final class SsListenReader {
    private SsListenReader() {}

    public static List<Listener> read(String file, String text, List<Problem> problems) {
        List<Listener> out = new ArrayList<>();
        String[] lines = Text.lines(text);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) continue;
            String[] f = Text.words(line);
            if (f[0].equals("Netid") || f[0].equals("State")) continue;   // header line (ss without -H)
            int at;   // index of the local address field
            int proto;
            if (f[0].equals("tcp") || f[0].equals("udp")) {
                proto = f[0].equals("tcp") ? Packet.TCP : Packet.UDP;
                at = 4;
            } else if (f[0].equals("LISTEN") || f[0].equals("UNCONN")) {
                // ss with a single protocol (-Hlnt or -Hlnu) prints no Netid column
                proto = f[0].equals("LISTEN") ? Packet.TCP : Packet.UDP;
                at = 3;
            } else if (f.length > 1 && (f[1].equals("LISTEN") || f[1].equals("UNCONN") || f[1].equals("ESTAB"))) {
                continue;   // other socket kinds (raw, mptcp, sctp, ...): not probed
            } else {
                throw InputErrors.at(file, i + 1, "not an ss -Hlntu line: " + SysctlReader.abbreviate(line));
            }
            if (f.length <= at) throw InputErrors.at(file, i + 1, "not an ss -Hlntu line: " + SysctlReader.abbreviate(line));
            Listener l = listener(file, i + 1, line, proto, f[at], problems);
            if (l != null) out.add(l);
        }
        return out;
    }

    private static Listener listener(String file, int lineNo, String line, int proto, String local, List<Problem> problems) {
        int colon = local.lastIndexOf(':');
        if (colon <= 0) throw InputErrors.at(file, lineNo, "no port in local address \"" + local + "\"");
        String portText = local.substring(colon + 1);
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw InputErrors.at(file, lineNo, "not a port number: \"" + portText + "\" (capture with ss -n)");
        }
        if (port < 0 || port > 65535) throw InputErrors.at(file, lineNo, "port out of range: " + port);
        String addr = local.substring(0, colon);
        String device = null;
        int pct = addr.lastIndexOf('%');
        if (pct >= 0) {
            device = addr.substring(pct + 1);
            addr = addr.substring(0, pct);
        }
        Ip address;
        Ip.Family family;
        if (addr.equals("*") || addr.equals("::")) {
            // "::" without brackets is how old ss versions printed the IPv6 any address (dual-stack by default)
            address = null;
            family = null;
        } else if (addr.equals("0.0.0.0")) {
            address = null;
            family = Ip.Family.IPV4;
        } else if (addr.equals("[::]")) {
            address = null;   // IPV6_V6ONLY: ss prints "*" for a dual-stack socket
            family = Ip.Family.IPV6;
        } else if (addr.startsWith("[") && addr.endsWith("]")) {
            String v6 = addr.substring(1, addr.length() - 1).toLowerCase(java.util.Locale.ROOT);
            if (v6.startsWith("::ffff:") && Ip.isV4Address(v6.substring(7))) address = Ip.parseV4(v6.substring(7));
            else if (Ip.parseV6OrNull(v6) != null) address = Ip.parse(v6);
            else throw InputErrors.at(file, lineNo, "not an address: \"" + addr + "\"");
            family = address.family();
        } else if (Ip.isV4Address(addr)) {
            address = Ip.parseV4(addr);
            family = Ip.Family.IPV4;
        } else if (addr.contains(":") && Ip.parseV6OrNull(addr) != null) {
            address = Ip.parse(addr);   // an unbracketed IPv6 address from an old ss
            family = Ip.Family.IPV6;
        } else {
            throw InputErrors.at(file, lineNo, "not an address: \"" + addr + "\"");
        }
        // 127.0.0.53%lo (systemd-resolved) and the like: the binding changes nothing, so no Problem for it
        // a link-local address always names its device (fe80::1%eth0): nothing more is said by the binding
        boolean harmless = "lo".equals(device) && address != null && address.isLoopback()
                || address != null && address.isV6() && address.isLinkLocal();
        if (device != null && !harmless)
            problems.add(new Problem(new Source(file, lineNo, line), Message.of(Sentences.SOCKET_BOUND_TO_DEVICE, device)));
        return new Listener(proto, address, port, family);
    }
}
