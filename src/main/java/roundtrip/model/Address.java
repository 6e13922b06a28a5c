package roundtrip.model;

/**
 * One address on an interface as `ip addr` shows it: the local address, the prefix it implies, an optional
 * point-to-point peer, its scope and whether it is secondary (a second address in an already covered subnet).
 */
public record Address(int local, int prefixLen, Integer peer, String scope, boolean secondary) {
    public Prefix subnet() { return peer != null ? new Prefix(peer, prefixLen) : new Prefix(local, prefixLen); }

    public boolean isHostScope() { return "host".equals(scope); }

    @Override public String toString() {
        return Ip4.format(local) + (peer != null ? " peer " + Ip4.format(peer) : "") + "/" + prefixLen;
    }
}
