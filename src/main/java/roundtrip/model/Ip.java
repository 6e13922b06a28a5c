package roundtrip.model;

/**
 * An IP address with its family: 32 bits for IPv4, 128 for IPv6, held as two longs ({@code hi} the first 64 bits
 * of an IPv6 address; an IPv4 address in the low 32 bits of {@code lo}). Immutable; equal addresses of different
 * families are never equal ({@code 1.2.3.4} is not {@code ::ffff:1.2.3.4}: the kernel keeps them apart too).
 * Parsed as inet_pton accepts them and printed as inet_ntop prints them, which is what iproute2 reads and writes.
 */
public final class Ip implements Comparable<Ip> {
    public enum Family {
        IPV4(32), IPV6(128);

        private final int width;

        Family(int width) { this.width = width; }

        /** Bits in an address of this family. */
        public int width() { return width; }

        /** "IPv4" or "IPv6", as people write it. */
        public String word() { return this == IPV4 ? "IPv4" : "IPv6"; }

        /** The family iproute2 names "inet" or "inet6" (its JSON "family" field); null for any other word. */
        public static Family ofIproute(String word) {
            if ("inet".equals(word)) return IPV4;
            if ("inet6".equals(word)) return IPV6;
            return null;
        }
    }

    public static final Ip V4_ANY = new Ip(Family.IPV4, 0, 0);
    public static final Ip V6_ANY = new Ip(Family.IPV6, 0, 0);
    public static final Ip V4_LOOPBACK = v4(0x7f000001);
    public static final Ip V6_LOOPBACK = new Ip(Family.IPV6, 0, 1);

    private final Family family;
    private final long hi;
    private final long lo;

    private Ip(Family family, long hi, long lo) {
        this.family = family;
        this.hi = hi;
        this.lo = lo;
    }

    /** The IPv4 address with these 32 bits (network order as an unsigned number). */
    public static Ip v4(int bits) { return new Ip(Family.IPV4, 0, bits & 0xffffffffL); }

    /** The IPv6 address with these 128 bits. */
    public static Ip v6(long hi, long lo) { return new Ip(Family.IPV6, hi, lo); }

    /** The unspecified address of a family (0.0.0.0, ::). */
    public static Ip any(Family f) { return f == Family.IPV4 ? V4_ANY : V6_ANY; }

    public Family family() { return family; }
    public boolean isV4() { return family == Family.IPV4; }
    public boolean isV6() { return family == Family.IPV6; }
    public int width() { return family.width(); }

    /** The 32 bits of an IPv4 address. */
    public int v4() {
        if (family != Family.IPV4) throw notV4();
        return (int) lo;
    }

    /** Kept out of {@link #v4()} so that stays small enough to be inlined on the per-packet paths. */
    private IllegalStateException notV4() { return new IllegalStateException("not an IPv4 address: " + this); }

    /** The first 64 bits (0 for IPv4). */
    public long hi() { return hi; }

    /** The last 64 bits (for IPv4 the 32 bits, unsigned). */
    public long lo() { return lo; }

    /** The address in network byte order (4 or 16 bytes). */
    public byte[] bytes() {
        if (isV4()) {
            int b = (int) lo;
            return new byte[] {(byte) (b >>> 24), (byte) (b >>> 16), (byte) (b >>> 8), (byte) b};
        }
        byte[] out = new byte[16];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (hi >>> (56 - 8 * i));
            out[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return out;
    }

    /** The address of these 4 or 16 bytes (network order). */
    public static Ip ofBytes(byte[] b) {
        if (b.length == 4) return v4(((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff));
        if (b.length != 16) throw new IllegalArgumentException("an address has 4 or 16 bytes, not " + b.length);
        long h = 0, l = 0;
        for (int i = 0; i < 8; i++) {
            h = (h << 8) | (b[i] & 0xff);
            l = (l << 8) | (b[8 + i] & 0xff);
        }
        return v6(h, l);
    }

    // ------------------------------------------------------------------------------------------------ masks

    /** The 32-bit mask of an IPv4 prefix length. */
    public static int v4Mask(int len) { return len == 0 ? 0 : (int) (0xffffffffL << (32 - len)); }

    /** Prefix length of a dotted netmask's bits such as 255.255.255.0; -1 when the mask is not contiguous. */
    public static int v4MaskLength(int mask) {
        int len = Integer.bitCount(mask);
        return v4Mask(len) == mask ? len : -1;
    }

    /** Prefix length of a netmask written as a dotted quad ("255.255.255.0"); -1 when the text is not one. */
    public static int netmaskLength(String text) {
        Ip m = parseV4OrNull(text.strip());
        return m == null ? -1 : v4MaskLength(m.v4());
    }

    /** Mask of the first 64 bits of an IPv6 prefix of length {@code len}. */
    public static long hiMask(int len) { return len >= 64 ? -1L : len <= 0 ? 0 : -1L << (64 - len); }

    /** Mask of the last 64 bits of an IPv6 prefix of length {@code len}. */
    public static long loMask(int len) { return len <= 64 ? 0 : len >= 128 ? -1L : -1L << (128 - len); }

    /** This address with all bits after the first {@code len} cleared (itself when none is set). */
    public Ip masked(int len) {
        checkLength(len);
        if (isV4()) {
            long m = v4Mask(len) & 0xffffffffL;
            return (lo & m) == lo ? this : new Ip(family, 0, lo & m);
        }
        long h = hi & hiMask(len), l = lo & loMask(len);
        return h == hi && l == lo ? this : new Ip(family, h, l);
    }

    /** This address with all bits after the first {@code len} set (the last address of its prefix). */
    public Ip lastOf(int len) {
        checkLength(len);
        if (isV4()) return v4((int) lo | ~v4Mask(len));
        return new Ip(family, hi | ~hiMask(len), lo | ~loMask(len));
    }

    /** This address with its first {@code len} bits taken from {@code net} (NETMAP's mapping; same family). */
    public Ip withNetwork(Ip net, int len) {
        checkLength(len);
        if (isV4()) {
            int m = v4Mask(len);
            return v4(((int) net.lo & m) | ((int) lo & ~m));
        }
        long hm = hiMask(len), lm = loMask(len);
        return new Ip(family, (net.hi & hm) | (hi & ~hm), (net.lo & lm) | (lo & ~lm));
    }

    /** How many leading bits this address shares with {@code other} (0 across families): RFC 6724's CommonPrefixLen. */
    public int commonPrefixLength(Ip other) {
        if (other.family != family) return 0;
        if (isV4()) return Math.min(32, Integer.numberOfLeadingZeros((int) lo ^ (int) other.lo));
        long h = hi ^ other.hi;
        if (h != 0) return Long.numberOfLeadingZeros(h);
        return 64 + Long.numberOfLeadingZeros(lo ^ other.lo);
    }

    /** Whether the first {@code len} bits of both addresses are the same (false across families). */
    public boolean samePrefix(Ip other, int len) {
        if (other.family != family) return false;
        if (family == Family.IPV4) return (((int) lo ^ (int) other.lo) & v4Mask(len)) == 0;
        return ((hi ^ other.hi) & hiMask(len)) == 0 && ((lo ^ other.lo) & loMask(len)) == 0;
    }

    /** The address {@code n} further on (wrapping within the family), as OpenVPN counts pool addresses. */
    public Ip plus(long n) {
        if (isV4()) return v4((int) (lo + n));
        long l = lo + n, h = hi;
        if (n >= 0 && Long.compareUnsigned(l, lo) < 0) h++;        // carried into the first 64 bits
        else if (n < 0 && Long.compareUnsigned(l, lo) > 0) h--;    // borrowed from them
        return new Ip(family, h, l);
    }

    private void checkLength(int len) {
        if (len < 0 || len > width()) throw new IllegalArgumentException("prefix length out of range: " + len);
    }

    // ------------------------------------------------------------------------------------------------ kinds

    /** 127.0.0.0/8, ::1. */
    public boolean isLoopback() { return isV4() ? (lo >>> 24) == 127 : hi == 0 && lo == 1; }

    /** 224.0.0.0/4, ff00::/8. */
    public boolean isMulticast() { return isV4() ? (lo >>> 28) == 0xe : (hi >>> 56) == 0xff; }

    /** 169.254.0.0/16, fe80::/10. */
    public boolean isLinkLocal() { return isV4() ? (lo >>> 16) == 0xa9fe : (hi >>> 54) == (0xfe80L >>> 6); }

    /** 0.0.0.0, ::. */
    public boolean isUnspecified() { return hi == 0 && lo == 0; }

    /** 0.0.0.0/8 (ipv4_is_zeronet); false for IPv6. */
    public boolean isZeroNet() { return isV4() && (lo >>> 24) == 0; }

    /** 255.255.255.255 (ipv4_is_lbcast); false for IPv6. */
    public boolean isLimitedBroadcast() { return isV4() && lo == 0xffffffffL; }

    /** ::ffff:0:0/96, an IPv4 address written as IPv6. */
    public boolean isV4Mapped() { return isV6() && hi == 0 && (lo >>> 32) == 0xffffL; }

    /** The IPv4 address of an IPv4-mapped IPv6 address; this address otherwise. */
    public Ip unmapped() { return isV4Mapped() ? v4((int) lo) : this; }

    // ------------------------------------------------------------------------------------------------ text

    /**
     * Parses an address of either family as inet_pton does (no zone, no brackets; surrounding blanks ignored). The
     * form tells the family, and a refusal says which family the text looked like ("not an IPv6 address: fd00::1::").
     */
    public static Ip parse(String text) {
        String t = text.strip();
        boolean v6 = t.indexOf(':') >= 0;
        Ip ip = v6 ? parseV6OrNull(t) : parseV4OrNull(t);
        if (ip == null) throw new IllegalArgumentException("not an " + (v6 ? "IPv6" : "IPv4") + " address: " + text);
        return ip;
    }

    /** Parses a dotted quad as inet_pton(AF_INET) does: four decimal numbers up to 255, no leading zeros. */
    public static Ip parseV4(String text) {
        Ip ip = parseV4OrNull(text.strip());
        if (ip == null) throw new IllegalArgumentException("not an IPv4 address: " + text);
        return ip;
    }

    /** Parses an IPv6 address as inet_pton(AF_INET6) does. */
    public static Ip parseV6(String text) {
        Ip ip = parseV6OrNull(text.strip());
        if (ip == null) throw new IllegalArgumentException("not an IPv6 address: " + text);
        return ip;
    }

    /** Whether {@link #parse} accepts the text. */
    public static boolean isAddress(String text) {
        String t = text.strip();
        return (t.indexOf(':') >= 0 ? parseV6OrNull(t) : parseV4OrNull(t)) != null;
    }

    /** Whether {@link #parseV4} accepts the text. */
    public static boolean isV4Address(String text) { return parseV4OrNull(text.strip()) != null; }

    /** The family an address text is written in, judged by its form alone (a colon means IPv6). */
    public static Family familyOf(String text) { return text.indexOf(':') >= 0 ? Family.IPV6 : Family.IPV4; }

    /** glibc inet_pton4: "saw_digit && *tp == 0" refuses a leading zero; octets up to 255; exactly four. */
    private static Ip parseV4OrNull(CharSequence s) {
        return parseV4Bits(s, 0, s.length());
    }

    private static Ip parseV4Bits(CharSequence s, int from, int to) {
        int value = 0, octets = 0, octet = -1;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (octet == 0) return null;   // a leading zero
                octet = octet < 0 ? c - '0' : octet * 10 + (c - '0');
                if (octet > 255) return null;
            } else if (c == '.') {
                if (octet < 0 || octets == 3) return null;
                value = (value << 8) | octet;
                octets++;
                octet = -1;
            } else {
                return null;
            }
        }
        if (octet < 0 || octets != 3) return null;
        return v4((value << 8) | octet);
    }

    /**
     * glibc inet_pton6: groups of 1 to 4 hex digits, at most one "::" standing for at least one zero group, a
     * dotted quad allowed as the last 32 bits; a leading or trailing single colon is refused. Null when it refuses the text.
     */
    public static Ip parseV6OrNull(String s) {
        int n = s.length();
        if (n < 2) return null;
        int[] words = new int[8];
        int count = 0, gap = -1, i = 0;
        if (s.charAt(0) == ':') {
            if (s.charAt(1) != ':') return null;
            i = 1;
        }
        int groupStart = i, value = 0, digits = 0;
        boolean sawDigit = false;
        while (i < n) {
            char c = s.charAt(i);
            int d = Character.digit(c, 16);
            if (d >= 0 && c < 128) {
                if (++digits > 4) return null;
                value = (value << 4) | d;
                sawDigit = true;
                i++;
                continue;
            }
            if (c == ':') {
                groupStart = i + 1;
                if (!sawDigit) {
                    if (gap >= 0) return null;   // a second "::"
                    gap = count;
                    i++;
                    continue;
                }
                if (i + 1 >= n) return null;     // a trailing single colon
                if (count == 8) return null;
                words[count++] = value;
                value = 0;
                digits = 0;
                sawDigit = false;
                i++;
                continue;
            }
            if (c == '.' && count <= 6) {
                Ip v4 = parseV4Bits(s, groupStart, n);
                if (v4 == null) return null;
                int b = (int) v4.lo;
                words[count++] = b >>> 16;
                words[count++] = b & 0xffff;
                sawDigit = false;
                i = n;
                break;
            }
            return null;
        }
        if (sawDigit) {
            if (count == 8) return null;
            words[count++] = value;
        }
        if (gap >= 0) {
            if (count == 8) return null;   // "::" must stand for at least one group
            int move = count - gap;
            for (int k = 0; k < move; k++) words[7 - k] = words[count - 1 - k];
            for (int k = gap; k < 8 - move; k++) words[k] = 0;
        } else if (count != 8) {
            return null;
        }
        long h = 0, l = 0;
        for (int k = 0; k < 4; k++) {
            h = (h << 16) | words[k];
            l = (l << 16) | words[4 + k];
        }
        return v6(h, l);
    }

    /** As inet_ntop prints it (iproute2's output): dotted quad; for IPv6 RFC 5952 plus glibc's "::a.b.c.d" forms. */
    @Override public String toString() {
        if (isV4()) {
            int a = (int) lo;
            return ((a >>> 24) & 0xff) + "." + ((a >>> 16) & 0xff) + "." + ((a >>> 8) & 0xff) + "." + (a & 0xff);
        }
        int[] w = new int[8];
        for (int k = 0; k < 4; k++) {
            w[k] = (int) (hi >>> (48 - 16 * k)) & 0xffff;
            w[4 + k] = (int) (lo >>> (48 - 16 * k)) & 0xffff;
        }
        // glibc inet_ntop6: the first longest run of zero words, only when it is at least two words long
        int bestBase = -1, bestLen = 0, curBase = -1, curLen = 0;
        for (int k = 0; k < 8; k++) {
            if (w[k] == 0) {
                if (curBase < 0) { curBase = k; curLen = 1; } else curLen++;
                if (curLen > bestLen) { bestBase = curBase; bestLen = curLen; }
            } else {
                curBase = -1;
            }
        }
        if (bestLen < 2) bestBase = -1;
        StringBuilder sb = new StringBuilder(39);
        for (int k = 0; k < 8; k++) {
            if (bestBase >= 0 && k >= bestBase && k < bestBase + bestLen) {
                if (k == bestBase) sb.append(':');
                continue;
            }
            if (k != 0) sb.append(':');
            // an IPv4-compatible (::a.b.c.d) or IPv4-mapped (::ffff:a.b.c.d) address ends in a dotted quad
            if (k == 6 && bestBase == 0 && (bestLen == 6 || bestLen == 5 && w[5] == 0xffff)) {
                int a = (int) lo;
                sb.append((a >>> 24) & 0xff).append('.').append((a >>> 16) & 0xff).append('.')
                        .append((a >>> 8) & 0xff).append('.').append(a & 0xff);
                return sb.toString();
            }
            sb.append(Integer.toHexString(w[k]));
        }
        if (bestBase >= 0 && bestBase + bestLen == 8) sb.append(':');
        return sb.toString();
    }

    /** For a host:port pair: "1.2.3.4" or "[2001:db8::1]", as ss and OpenVPN write it. */
    public String bracketed() { return isV4() ? toString() : "[" + this + "]"; }

    // ------------------------------------------------------------------------------------------------ identity

    @Override public boolean equals(Object o) {
        return o instanceof Ip other && other.lo == lo && other.hi == hi && other.family == family;
    }

    @Override public int hashCode() {
        return isV4() ? (int) lo : Long.hashCode(hi * 0x9E3779B97F4A7C15L + lo) ^ 0x6;
    }

    /** IPv4 before IPv6, then by value as an unsigned number. */
    @Override public int compareTo(Ip o) {
        if (family != o.family) return family.compareTo(o.family);
        int c = Long.compareUnsigned(hi, o.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }
}
