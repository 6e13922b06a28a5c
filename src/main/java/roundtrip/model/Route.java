package roundtrip.model;

/**
 * One route of one table. {@code gateway} and {@code prefSrc} are null when absent. {@code dev} is null for
 * routes without a device (blackhole, unreachable, prohibit, throw). {@code scope} uses iproute2 words
 * (global/universe, link, host). {@code onlink} marks gateways that need not be on a connected subnet.
 */
public record Route(int table, RouteType type, Prefix dst, Ip gateway, String dev, Ip prefSrc,
                    int metric, String scope, int tos, boolean onlink, Source source) {
    public static final int TABLE_LOCAL = 255;
    public static final int TABLE_MAIN = 254;
    public static final int TABLE_DEFAULT = 253;

    public Route {
        // one String per device name (Interface and the rulesets' device matches do the same): the per-packet
        // compares of a route's device with a host's devices then end at the first, identity, check
        if (dev != null) dev = dev.intern();
    }

    /** The route in `ip route` syntax, as a user would type it. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        if (type != RouteType.UNICAST) sb.append(type.word()).append(' ');
        sb.append(dst.len() == 0 ? "default" : dst.toString());
        if (gateway != null) sb.append(" via ").append(gateway);
        if (dev != null) sb.append(" dev ").append(dev);
        if (table != TABLE_MAIN) sb.append(" table ").append(tableName(table));
        if ("link".equals(scope) || "host".equals(scope)) sb.append(" scope ").append(scope);
        if (prefSrc != null) sb.append(" src ").append(prefSrc);
        if (metric != 0) sb.append(" metric ").append(metric);
        if (onlink) sb.append(" onlink");
        return sb.toString();
    }

    public Ip.Family family() { return dst.family(); }

    public static String tableName(int table) {
        return switch (table) {
            case TABLE_LOCAL -> "local";
            case TABLE_MAIN -> "main";
            case TABLE_DEFAULT -> "default";
            default -> Integer.toString(table);
        };
    }

    @Override public String toString() { return text(); }
}
