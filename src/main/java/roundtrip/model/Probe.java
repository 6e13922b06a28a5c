package roundtrip.model;

import java.util.Objects;

/**
 * A question to the simulator (design §1c): from host, optional source address, destination, protocol and
 * port, optional target host that must finally receive it, optional expected verdict.
 */
public record Probe(String id, String from, Ip src, Ip dst, int proto, int dport, String target, String expect) {
    public String protoName() { return Packet.protoName(proto); }

    /** The protocol on the wire: a ping ("icmp") to an IPv6 address is ICMPv6. */
    public int wireProto() { return proto == Packet.ICMP ? Packet.icmpProto(dst.family()) : proto; }

    public String describe() {
        return from + (src != null ? " (" + src + ")" : "") + " -> " + dst
                + " " + protoName() + (proto == Packet.ICMP ? "" : "/" + dport);
    }

    // equals and hashCode written out (the record's own, same results): the generated ones are bootstrapped by
    // method handles on first use, milliseconds of a one-shot run (issue 13)
    @Override public boolean equals(Object o) {
        return o instanceof Probe p && Objects.equals(id, p.id) && Objects.equals(from, p.from) && Objects.equals(src, p.src)
                && Objects.equals(dst, p.dst) && proto == p.proto && dport == p.dport && Objects.equals(target, p.target)
                && Objects.equals(expect, p.expect);
    }

    @Override public int hashCode() {
        int h = Objects.hashCode(id);
        h = h * 31 + Objects.hashCode(from);
        h = h * 31 + Objects.hashCode(src);
        h = h * 31 + Objects.hashCode(dst);
        h = h * 31 + proto;
        h = h * 31 + dport;
        h = h * 31 + Objects.hashCode(target);
        return h * 31 + Objects.hashCode(expect);
    }
}
