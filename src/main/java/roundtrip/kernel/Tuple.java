package roundtrip.kernel;

import roundtrip.model.Ip;
import roundtrip.model.Packet;

/**
 * A conntrack tuple. For ICMP echo-like messages both ports carry the echo identifier, so that inverting a
 * tuple (swapping addresses and ports) gives the reply's tuple, as the kernel's ICMP tracker does.
 */
public record Tuple(int proto, Ip src, int sport, Ip dst, int dport) {
    public static Tuple of(Packet p) { return new Tuple(p.proto, p.src, p.sport, p.dst, p.dport); }

    public Tuple invert() { return new Tuple(proto, dst, dport, src, sport); }

    public Tuple withSrc(Ip addr, int port) { return new Tuple(proto, addr, port, dst, dport); }

    public Tuple withDst(Ip addr, int port) { return new Tuple(proto, src, sport, addr, port); }

    @Override public String toString() {
        String ports = proto == Packet.ICMP || proto == Packet.ICMPV6 ? " id=" + sport : " sport=" + sport + " dport=" + dport;
        return Packet.protoName(proto) + " src=" + src + " dst=" + dst + ports;
    }
}
