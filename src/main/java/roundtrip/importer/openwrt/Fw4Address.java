package roundtrip.importer.openwrt;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An address value of /etc/config/firewall as fw4 reads it (fw4.uc parse_subnet): an IPv4 or IPv6 address with a
 * prefix length or a netmask (a non-contiguous mask has {@code bits} -1 and is matched as {@code saddr & MASK ==
 * ADDR}), or a range {@code A-B}. Addresses are kept as bytes in network order (4 or 16), the one place of the OpenWrt
 * translation that reads and writes addresses; IPv6 values are never matched by the IPv4 model, but they decide which
 * family a section belongs to, exactly as in fw4.
 */
record Fw4Address(int family, byte[] addr, byte[] mask, int bits, byte[] addr2) {
    boolean isRange() { return addr2 != null; }

    boolean isV4() { return family == 4; }

    /** fw4.cidr: "A" for a host, "A/LEN" with the host bits cleared, "A-B", or "A/MASK" for a non-contiguous mask. */
    String cidr() {
        if (isRange()) return format(addr) + "-" + format(addr2);
        if (bits == addr.length * 8) return format(addr);
        if (bits >= 0) return format(masked(addr, prefixMask(bits, addr.length))) + "/" + bits;
        return format(addr) + "/" + format(mask);
    }

    /** The address with the host bits cleared (fw4's apply_mask with the prefix), as nft prints it. */
    String network() { return format(bits >= 0 ? masked(addr, prefixMask(bits, addr.length)) : masked(addr, mask)); }

    String host() { return format(addr); }

    String maskText() { return format(mask); }

    /** This address as a host address of its family (fw4's to_hostaddr). */
    Fw4Address hostAddress() {
        return new Fw4Address(family, addr, prefixMask(addr.length * 8, addr.length), addr.length * 8, null);
    }

    /** True when {@code other} lies in this address's network (fw4 compares both under this one's mask). */
    boolean sameNetwork(Fw4Address other) {
        if (other.family != family || isRange() || other.isRange()) return false;
        return Arrays.equals(masked(other.addr, mask), masked(addr, mask));
    }

    /** An address, optionally /LEN or /MASK; or A-B; null when it is neither (a network name, a typo). */
    static List<Fw4Address> parse(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length == 2) {
            byte[] a = bytes(parts[0]);
            if (a == null) return null;
            byte[] m = bytes(parts[1]);
            if (m != null) {
                if (m.length != a.length) return null;
                int b = prefixLength(m);
                if (b < 0) a = masked(a, m);   // non-contiguous: the address keeps only the masked bits
                return List.of(new Fw4Address(a.length == 16 ? 6 : 4, a, m, b, null));
            }
            Integer b = integer(parts[1]);
            if (b == null) return null;
            int max = a.length * 8;
            if (Math.abs(b) > max) return null;
            return List.of(new Fw4Address(a.length == 16 ? 6 : 4, a, b < 0 ? invertedPrefixMask(-b, a.length) : prefixMask(b, a.length),
                    Math.max(-1, b), null));
        }
        if (parts.length != 1) return null;
        String[] range = text.split("-", -1);
        if (range.length == 2) {
            byte[] a = bytes(range[0]), b = bytes(range[1]);
            if (a != null && b != null && a.length == b.length) return List.of(new Fw4Address(a.length == 16 ? 6 : 4, a, null, -1, b));
            return null;
        }
        if (range.length != 1) return null;
        byte[] a = bytes(text);
        if (a == null) return null;
        return List.of(new Fw4Address(a.length == 16 ? 6 : 4, a, prefixMask(a.length * 8, a.length), a.length * 8, null));
    }

    /** A host address with a prefix length, as netifd reports an interface's address. */
    static Fw4Address of(String address, int bits) {
        byte[] a = bytes(address);
        if (a == null) return null;
        return new Fw4Address(a.length == 16 ? 6 : 4, a, prefixMask(bits, a.length), bits, null);
    }

    private static Integer integer(String s) {
        if (!s.matches("-?[0-9]{1,4}")) return null;
        return Integer.parseInt(s);
    }

    /** inet_pton for IPv4 (dotted quad) and IPv6; null for anything else. */
    static byte[] bytes(String s) {
        if (s.contains(":")) return v6(s);
        String[] p = s.split("\\.", -1);
        if (p.length != 4) return null;
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            if (!p[i].matches("[0-9]{1,3}")) return null;
            int v = Integer.parseInt(p[i]);
            if (v > 255) return null;
            out[i] = (byte) v;
        }
        return out;
    }

    private static byte[] v6(String s) {
        if (!s.matches("[0-9A-Fa-f:.]+")) return null;
        byte[] tail4 = null;
        int dot = s.indexOf('.');
        if (dot >= 0) {
            int colon = s.lastIndexOf(':');
            tail4 = bytes(s.substring(colon + 1));
            if (tail4 == null || tail4.length != 4) return null;
            s = s.substring(0, colon + 1) + "0:0";
        }
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) return null;
        List<String> head = groups(gap >= 0 ? s.substring(0, gap) : s);
        List<String> tail = gap >= 0 ? groups(s.substring(gap + 2)) : List.of();
        if (head == null || tail == null) return null;
        int missing = 8 - head.size() - tail.size();
        if (gap >= 0 ? missing < 1 : missing != 0) return null;
        List<String> all = new ArrayList<>(head);
        for (int i = 0; i < missing; i++) all.add("0");
        all.addAll(tail);
        byte[] out = new byte[16];
        for (int i = 0; i < 8; i++) {
            int v = Integer.parseInt(all.get(i), 16);
            out[2 * i] = (byte) (v >> 8);
            out[2 * i + 1] = (byte) v;
        }
        if (tail4 != null) System.arraycopy(tail4, 0, out, 12, 4);
        return out;
    }

    private static List<String> groups(String s) {
        List<String> out = new ArrayList<>();
        if (s.isEmpty()) return out;
        for (String g : s.split(":", -1)) {
            if (g.isEmpty() || g.length() > 4) return null;
            out.add(g);
        }
        return out;
    }

    /** inet_ntop's text, as {@link roundtrip.model.Ip} writes it. */
    static String format(byte[] a) { return roundtrip.model.Ip.ofBytes(a).toString(); }

    static byte[] prefixMask(int bits, int len) {
        byte[] m = new byte[len];
        for (int i = 0; i < len; i++) {
            int b = Math.max(0, Math.min(8, bits - 8 * i));
            m[i] = (byte) (0xff << (8 - b));
        }
        return m;
    }

    /** fw4's to_mask of a negative length: the low bits set (an address suffix, e.g. "::1/-64"). */
    private static byte[] invertedPrefixMask(int bits, int len) {
        byte[] m = prefixMask(bits, len);
        for (int i = 0; i < len; i++) m[i] = (byte) ~m[i];
        return m;
    }

    static byte[] masked(byte[] a, byte[] m) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) out[i] = (byte) (a[i] & m[i]);
        return out;
    }

    /** The prefix length of a contiguous mask; -1 when its bits are not contiguous (fw4's to_bits). */
    private static int prefixLength(byte[] m) {
        int bits = 0;
        boolean zero = false;
        for (byte x : m) {
            int b = x & 0xff;
            for (int i = 7; i >= 0; i--) {
                boolean set = ((b >> i) & 1) != 0;
                if (set && zero) return -1;
                if (set) bits++;
                else zero = true;
            }
        }
        return bits;
    }

    @Override public boolean equals(Object o) {
        return o instanceof Fw4Address x && x.family == family && Arrays.equals(x.addr, addr) && Arrays.equals(x.mask, mask)
                && x.bits == bits && Arrays.equals(x.addr2, addr2);
    }

    @Override public int hashCode() { return Arrays.hashCode(addr) * 31 + bits; }

    @Override public String toString() { return cidr(); }
}
