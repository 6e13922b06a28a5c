package roundtrip.model;

/** An IPv4 prefix; the address is always stored with host bits cleared. */
public record Prefix(int addr, int len) {
    public static final Prefix ANY = new Prefix(0, 0);

    public Prefix {
        if (len < 0 || len > 32) throw new IllegalArgumentException("prefix length out of range: " + len);
        addr = addr & Ip4.mask(len);
    }

    public static Prefix host(int addr) { return new Prefix(addr, 32); }

    /** Parses "a.b.c.d", "a.b.c.d/len" or "default"/"0/0". */
    public static Prefix parse(String text) {
        String t = text.trim();
        if (t.equals("default") || t.equals("all") || t.equals("any") || t.equals("0/0")) return ANY;
        int slash = t.indexOf('/');
        if (slash < 0) return host(Ip4.parse(t));
        String lenText = t.substring(slash + 1);
        int len;
        if (Ip4.isAddress(lenText)) {
            len = Ip4.maskLength(Ip4.parse(lenText));
            if (len < 0) throw new IllegalArgumentException("non-contiguous netmask: " + text);
        } else {
            try { len = Integer.parseInt(lenText); } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a prefix: " + text);
            }
        }
        if (len < 0 || len > 32) throw new IllegalArgumentException("prefix length out of range: " + text);
        return new Prefix(Ip4.parse(t.substring(0, slash)), len);
    }

    public boolean contains(int ip) { return (ip & Ip4.mask(len)) == addr; }

    public boolean contains(Prefix other) { return other.len >= len && contains(other.addr); }

    @Override public String toString() { return len == 0 ? "0.0.0.0/0" : len == 32 ? Ip4.format(addr) : Ip4.format(addr) + "/" + len; }
}
