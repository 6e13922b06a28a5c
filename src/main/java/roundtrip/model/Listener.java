package roundtrip.model;

/**
 * A listening socket (`ss -Hlntu`): protocol number, local address (null = any) and port. {@code family} says which
 * family an unbound socket takes: IPv4 for 0.0.0.0, IPv6 for an IPV6_V6ONLY socket on :: ("[::]"), null for both (a
 * dual-stack socket on ::, which ss prints as "*"). A socket bound to an address takes that address only.
 */
public record Listener(int proto, Ip address, int port, Ip.Family family) {
    /** A socket of both families (or bound to {@code address}). */
    public Listener(int proto, Ip address, int port) { this(proto, address, port, null); }

    public boolean accepts(int proto, Ip dst, int port) {
        if (this.proto != proto || this.port != port) return false;
        if (address != null) return address.equals(dst);
        return family == null || dst.family() == family;
    }
}
