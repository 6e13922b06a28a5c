package roundtrip.model;

/** Route types as iproute2 names them. */
public enum RouteType {
    UNICAST, LOCAL, BROADCAST, MULTICAST, ANYCAST, BLACKHOLE, UNREACHABLE, PROHIBIT, THROW, NAT;

    public static RouteType parse(String text) {
        return text == null ? UNICAST : RouteType.valueOf(text.toUpperCase(java.util.Locale.ROOT));
    }

    public String word() { return name().toLowerCase(java.util.Locale.ROOT); }
}
