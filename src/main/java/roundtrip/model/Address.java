package roundtrip.model;

/**
 * One address on an interface as `ip addr` shows it: the local address, the prefix it implies, an optional
 * point-to-point peer, its scope and whether it is secondary (a second address in an already covered subnet).
 */
public record Address(Ip local, int prefixLen, Ip peer, String scope, boolean secondary) {
    public Prefix subnet() { return peer != null ? new Prefix(peer, prefixLen) : new Prefix(local, prefixLen); }

    public Ip.Family family() { return local.family(); }

    /** Whether {@link #subnet()} holds {@code ip}, without making the prefix (source selection asks per packet). */
    public boolean inSubnet(Ip ip) { return (peer != null ? peer : local).samePrefix(ip, prefixLen); }

    public boolean isHostScope() { return "host".equals(scope); }

    @Override public String toString() {
        return local + (peer != null ? " peer " + peer : "") + "/" + prefixLen;
    }
}
