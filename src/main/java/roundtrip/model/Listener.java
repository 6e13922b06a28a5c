package roundtrip.model;

/**
 * A listening socket (`ss -Hlntu`): protocol number, local address (null = any) and port. {@code family} is the one
 * family a wildcard socket takes (0.0.0.0: IPv4; [::] with IPV6_V6ONLY: IPv6), null when it takes both (an IPv6
 * socket without IPV6_V6ONLY, which ss prints as "*"); a socket bound to an address takes that address's family.
 */
public record Listener(int proto, Ip address, int port, Ip.Family family) {
    /** A socket for any address of both families, or for one address. */
    public Listener(int proto, Ip address, int port) { this(proto, address, port, address == null ? null : address.family()); }

    public boolean accepts(int proto, Ip dst, int port) {
        return this.proto == proto && this.port == port && (address == null ? family == null || family == dst.family()
                : address.equals(dst));
    }
}
