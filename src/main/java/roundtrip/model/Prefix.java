package roundtrip.model;

import java.util.Objects;

/**
 * An address prefix of either family; the address is always stored with host bits cleared. A value class (not a
 * record) so that an IPv4 prefix keeps its bits and mask as ints: {@link #contains(Ip)} runs for every route and
 * rule a lookup passes.
 */
public final class Prefix {
    /** 0.0.0.0/0 */
    public static final Prefix ANY = new Prefix(Ip.V4_ANY, 0);
    /** ::/0 */
    public static final Prefix ANY6 = new Prefix(Ip.V6_ANY, 0);

    private final Ip addr;
    private final int len;
    /** for IPv4: the network's bits and the mask, so that a lookup compares ints */
    private final boolean v4;
    private final int bits4, mask4;

    public Prefix(Ip addr, int len) {
        Objects.requireNonNull(addr, "addr");
        if (len < 0 || len > addr.width()) throw new IllegalArgumentException("prefix length out of range: " + len);
        this.addr = addr.masked(len);
        this.len = len;
        this.v4 = addr.isV4();
        this.bits4 = v4 ? this.addr.v4() : 0;
        this.mask4 = v4 ? Ip.v4Mask(len) : 0;
    }

    public Ip addr() { return addr; }

    public int len() { return len; }

    /** The whole address space of a family (default, ::/0). */
    public static Prefix any(Ip.Family f) { return f == Ip.Family.IPV4 ? ANY : ANY6; }

    /** The prefix of one address (/32, /128). */
    public static Prefix host(Ip addr) { return new Prefix(addr, addr.width()); }

    public Ip.Family family() { return addr.family(); }

    /**
     * Parses "ADDR", "ADDR/LEN", "A.B.C.D/NETMASK" (IPv4 only, as iproute2's get_netmask) of either family, or
     * "default"/"all"/"any"/"0/0" (IPv4's; see {@link #parse(String, Ip.Family)} where the family is known).
     */
    public static Prefix parse(String text) { return parse(text, Ip.Family.IPV4); }

    /** Like {@link #parse(String)}, with "default", "all" and "any" standing for the whole space of {@code family}. */
    public static Prefix parse(String text, Ip.Family family) {
        String t = text.trim();
        if (t.equals("default") || t.equals("all") || t.equals("any")) return any(family);
        if (t.equals("0/0")) return ANY;
        int slash = t.indexOf('/');
        if (slash < 0) return host(Ip.parse(t));
        Ip addr = Ip.parse(t.substring(0, slash));
        String lenText = t.substring(slash + 1);
        int len;
        if (addr.isV4() && Ip.isV4Address(lenText)) {
            len = Ip.v4MaskLength(Ip.parseV4(lenText).v4());
            if (len < 0) throw new IllegalArgumentException("non-contiguous netmask: " + text);
        } else {
            if (lenText.isEmpty() || lenText.length() > 3 || !Text.isAsciiDigits(lenText))
                throw new IllegalArgumentException("not a prefix: " + text);
            len = Integer.parseInt(lenText);
        }
        if (len > addr.width()) throw new IllegalArgumentException("prefix length out of range: " + text);
        return new Prefix(addr, len);
    }

    /** False for an address of the other family. */
    public boolean contains(Ip ip) {
        if (v4) return ip.isV4() && ((int) ip.lo() & mask4) == bits4;
        return addr.samePrefix(ip, len);
    }

    public boolean contains(Prefix other) { return other.len >= len && contains(other.addr); }

    /** The netmask of an IPv4 prefix (255.255.255.0), as OpenVPN and netmask-style configurations write it. */
    public Ip netmask() { return Ip.v4(Ip.v4Mask(len)); }

    /** The last address of the prefix (the IPv4 broadcast address of a subnet). */
    public Ip last() { return addr.lastOf(len); }

    @Override public boolean equals(Object o) { return o instanceof Prefix p && p.len == len && p.addr.equals(addr); }

    @Override public int hashCode() { return addr.hashCode() * 31 + len; }

    /** "0.0.0.0/0", "::/0", a bare address for a host prefix, else ADDR/LEN. */
    @Override public String toString() { return len == addr.width() ? addr.toString() : addr + "/" + len; }
}
