package roundtrip.model;

/** IPv4 addresses are carried as plain ints (network order as an unsigned number); these helpers convert. */
public final class Ip4 {
    private Ip4() {}

    /** Parses a dotted quad; throws IllegalArgumentException on anything else. */
    public static int parse(String text) {
        String[] parts = text.trim().split("\\.", -1);
        if (parts.length != 4) throw new IllegalArgumentException("not an IPv4 address: " + text);
        int value = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit))
                throw new IllegalArgumentException("not an IPv4 address: " + text);
            int octet = Integer.parseInt(p);
            if (octet > 255) throw new IllegalArgumentException("not an IPv4 address: " + text);
            value = (value << 8) | octet;
        }
        return value;
    }

    public static boolean isAddress(String text) {
        try { parse(text); return true; } catch (IllegalArgumentException e) { return false; }
    }

    public static String format(int addr) {
        return ((addr >>> 24) & 0xff) + "." + ((addr >>> 16) & 0xff) + "." + ((addr >>> 8) & 0xff) + "." + (addr & 0xff);
    }

    public static int mask(int len) {
        return len == 0 ? 0 : (int) (0xffffffffL << (32 - len));
    }

    /** Prefix length of a dotted netmask such as 255.255.255.0; -1 if the mask is not contiguous. */
    public static int maskLength(int mask) {
        int len = Integer.bitCount(mask);
        return mask(len) == mask ? len : -1;
    }

    public static boolean isMulticast(int addr) { return (addr >>> 28) == 0xe; }
    public static boolean isLoopback(int addr) { return (addr >>> 24) == 127; }
    public static boolean isZeroNet(int addr) { return (addr >>> 24) == 0; }
    public static boolean isLimitedBroadcast(int addr) { return addr == -1; }
}
