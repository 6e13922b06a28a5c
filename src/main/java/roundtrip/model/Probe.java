package roundtrip.model;

/**
 * A question to the simulator (design §1c): from host, optional source address, destination, protocol and
 * port, optional target host that must finally receive it, optional expected verdict.
 */
public record Probe(String id, String from, Ip src, Ip dst, int proto, int dport, String target, String expect) {
    public String protoName() { return Packet.protoName(proto); }

    /** Why the simulator cannot answer this probe, or null: IPv6 is loaded into the model but not simulated yet. */
    public String notSimulated() {
        return dst.isV6() ? "IPv6 probes are not simulated yet (to " + dst + "); IPv6 addresses, routes and rules are"
                + " loaded, but only IPv4 is followed" : null;
    }

    public String describe() {
        return from + (src != null ? " (" + src + ")" : "") + " -> " + dst
                + " " + protoName() + (proto == Packet.ICMP ? "" : "/" + dport);
    }
}
