package roundtrip.sim;

import roundtrip.model.Host;
import roundtrip.model.Ip;
import roundtrip.model.Listener;
import roundtrip.model.Packet;

/**
 * The socket layer of a host that receives a probe: what the kernel or the listening service sends back.
 * TCP: SYN-ACK from a listener, RST+ACK from a closed port (tcp_v4_send_reset). ICMP echo: echo reply.
 * UDP: the service's datagram from a wildcard-bound socket leaves with a source the routing picks (that is
 * what an unconnected socket does without IP_PKTINFO); no listener: ICMP port unreachable.
 */
final class Sockets {
    private Sockets() {}

    /** What answers a delivered request; {@code sourceFixed} false means the kernel picks the source. */
    record Answer(Packet packet, boolean sourceFixed, roundtrip.model.Message what) {}

    static boolean listening(Host h, int proto, Ip dst, int port) {
        if (h.listeners() == null) return true;   // no ss-listen.txt: the probed port counts as open
        for (Listener l : h.listeners()) if (l.accepts(proto, dst, port)) return true;
        return false;
    }

    static Listener listener(Host h, int proto, Ip dst, int port) {
        if (h.listeners() == null) return null;
        for (Listener l : h.listeners()) if (l.accepts(proto, dst, port)) return l;
        return null;
    }

    static Answer answer(Host h, Packet req, boolean established) {
        Packet a = new Packet();
        a.proto = req.proto;
        a.src = req.dst;
        a.dst = req.src;
        a.sport = req.dport;
        a.dport = req.sport;
        switch (req.proto) {
            case Packet.ICMP, Packet.ICMPV6 -> {
                // icmp_echo / icmpv6_echo_reply, unless echo_ignore_all of the family silences them
                if (!req.isEchoRequest()) return null;
                if (h.sysctls().echoIgnoreAll(req.family())) return null;
                a.icmpType = Packet.echoReplyType(req.family());
                return new Answer(a, true, roundtrip.model.Message.of(Sentences.ECHO_REPLY));
            }
            case Packet.TCP -> {
                if ((req.tcpFlags & Packet.SYN) != 0) {
                    if (listening(h, Packet.TCP, req.dst, req.dport)) {
                        a.tcpFlags = Packet.SYN | Packet.ACK;
                        return new Answer(a, true, roundtrip.model.Message.of(Sentences.SYN_ACK));
                    }
                    a.tcpFlags = Packet.RST | Packet.ACK;
                    return new Answer(a, true, roundtrip.model.Message.of(Sentences.RST_NOTHING_LISTENS, req.dport));
                }
                if (established) {
                    a.tcpFlags = Packet.PSH | Packet.ACK;
                    a.payload = req.payload;
                    return new Answer(a, true, roundtrip.model.Message.of(Sentences.SERVICE_ANSWER));
                }
                a.tcpFlags = Packet.RST;
                return new Answer(a, true, roundtrip.model.Message.of(Sentences.RST_NO_CONNECTION));
            }
            case Packet.UDP -> {
                Listener l = listener(h, Packet.UDP, req.dst, req.dport);
                if (l == null && h.listeners() != null) return null;   // ICMP port unreachable, sent by the kernel
                a.payload = req.payload;
                boolean bound = l != null && l.address() != null;
                if (!bound) a.src = null;
                return new Answer(a, bound, roundtrip.model.Message.of(Sentences.SERVICE_DATAGRAM));
            }
            default -> { return null; }
        }
    }

    /** icmp_send (icmpv6_send) for a UDP datagram to a closed port: from the address it was sent to. */
    static Packet portUnreachable(Packet req) {
        Packet e = new Packet();
        boolean v6 = req.family() == roundtrip.model.Ip.Family.IPV6;
        e.proto = Packet.icmpProto(req.family());
        e.icmpType = v6 ? Packet.ICMP6_DEST_UNREACH : Packet.ICMP_DEST_UNREACH;
        e.icmpCode = v6 ? Packet.ICMP6_PORT_UNREACH : 3;
        e.src = req.dst;
        e.dst = req.src;
        e.inner = req.copy();
        return e;
    }
}
