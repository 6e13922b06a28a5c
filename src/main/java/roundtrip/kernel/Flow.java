package roundtrip.kernel;

/**
 * The key of one routing lookup, as the kernel's flowi4: destination, source (0 = not chosen yet),
 * incoming device ("lo" for locally generated packets, as the kernel uses the loopback ifindex),
 * outgoing device constraint (null = none), fwmark and TOS.
 */
public record Flow(int dst, int src, String iif, String oif, long mark, int tos) {
    public static Flow output(int dst, int src, String oif, long mark) {
        return new Flow(dst, src, "lo", oif, mark, 0);
    }

    public static Flow input(int dst, int src, String iif, long mark) {
        return new Flow(dst, src, iif, null, mark, 0);
    }
}
