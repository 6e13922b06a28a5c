package roundtrip.kernel;

import roundtrip.model.Ip;

/**
 * The key of one routing lookup, as the kernel's flowi4: destination, source (null = not chosen yet),
 * incoming device ("lo" for locally generated packets, as the kernel uses the loopback ifindex),
 * outgoing device constraint (null = none), fwmark and TOS.
 */
public record Flow(Ip dst, Ip src, String iif, String oif, long mark, int tos) {
    /** The source as fib4_rule_match compares it: the unspecified address while none is chosen. */
    public Ip srcOrAny() { return src != null ? src : Ip.any(dst.family()); }

    public static Flow output(Ip dst, Ip src, String oif, long mark) {
        return new Flow(dst, src, "lo", oif, mark, 0);
    }

    public static Flow input(Ip dst, Ip src, String iif, long mark) {
        return new Flow(dst, src, iif, null, mark, 0);
    }
}
