package roundtrip.kernel;

import roundtrip.model.Ip;
import roundtrip.model.Packet;

import java.util.Objects;

/**
 * A conntrack tuple. For ICMP echo-like messages both ports carry the echo identifier, so that inverting a
 * tuple (swapping addresses and ports) gives the reply's tuple, as the kernel's ICMP tracker does.
 */
public record Tuple(int proto, Ip src, int sport, Ip dst, int dport) {
    public static Tuple of(Packet p) { return new Tuple(p.proto, p.src, p.sport, p.dst, p.dport); }

    public Tuple invert() { return new Tuple(proto, dst, dport, src, sport); }

    public Tuple withSrc(Ip addr, int port) { return new Tuple(proto, addr, port, dst, dport); }

    public Tuple withDst(Ip addr, int port) { return new Tuple(proto, src, sport, addr, port); }

    // equals and hashCode written out (the record's own, same results): the generated ones are bootstrapped by
    // method handles on first use, milliseconds of a one-shot run (issue 13)
    @Override public boolean equals(Object o) {
        return o instanceof Tuple t && proto == t.proto && sport == t.sport && dport == t.dport
                && Objects.equals(src, t.src) && Objects.equals(dst, t.dst);
    }

    @Override public int hashCode() {
        return (((proto * 31 + Objects.hashCode(src)) * 31 + sport) * 31 + Objects.hashCode(dst)) * 31 + dport;
    }

    @Override public String toString() {
        String ports = proto == Packet.ICMP || proto == Packet.ICMPV6 ? " id=" + sport : " sport=" + sport + " dport=" + dport;
        return Packet.protoName(proto) + " src=" + src + " dst=" + dst + ports;
    }
}
