package roundtrip.model;

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
}
