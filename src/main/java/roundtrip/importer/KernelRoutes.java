package roundtrip.importer;

import roundtrip.model.Address;
import roundtrip.model.Interface;
import roundtrip.model.Ip;
import roundtrip.model.Prefix;
import roundtrip.model.Route;
import roundtrip.model.RouteType;
import roundtrip.model.Source;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The routes the kernel adds by itself when an address is configured (fib_add_ifaddr), for hosts described by
 * hand. Checked against `ip -j -d route show table all` of a namespace given the same addresses (kernel 6.x):
 * <ul>
 *   <li>always: {@code local ADDR dev IF table local proto kernel scope host src PRIMARY} (a secondary address
 *       names the primary address of its subnet as source);</li>
 *   <li>only while the interface is up, and only for a primary address (the first of its subnet):
 *       {@code NET/LEN dev IF proto kernel scope link src ADDR} in main (not for a /32 without peer; for
 *       "ADDR peer P/LEN" the route is to P/LEN), and {@code broadcast NET|~MASK dev IF table local scope link}
 *       when LEN &lt; 31 and NET is not 0.0.0.0/8 (none for the network address: the 6.18 kernel of the check adds none, older kernels did);</li>
 *   <li>on a loopback device the subnet route is {@code local NET/LEN} in table local instead of unicast in main.</li>
 * </ul>
 * For an IPv6 address (addrconf.c; checked the same way with `ip -6 addr add ... nodad`): always {@code local ADDR dev
 * IF table local proto kernel metric 0}; while the interface is up {@code NET/LEN dev IF proto kernel metric 256} in
 * main, once per prefix (also for a /128), and with a peer also {@code PEER dev IF proto kernel metric 256}. What
 * the kernel adds to an up interface by itself (its fe80:: link-local address, fe80::/64, multicast ff00::/8) is not
 * derived: it depends on the MAC address and on sysctls a description does not hold.
 */
public final class KernelRoutes {
    private KernelRoutes() {}

    /**
     * @param sourceOf where an address was written, for quoting the routes it implies
     */
    public static List<Route> forInterfaces(List<Interface> interfaces, BiFunction<Interface, Address, Source> sourceOf) {
        List<Route> out = new ArrayList<>();
        for (Interface i : interfaces) {
            boolean loopback = i.isLoopback();
            for (Address a : i.addresses()) {
                Source where = sourceOf.apply(i, a);
                if (a.family() == Ip.Family.IPV6) {
                    // a link-local address that is written down gets its routes like any other (the kernel adds them for
                    // every address, addrconf_prefix_route and the local route); only ::1 is the loopback's own
                    if (!a.local().isLoopback()) out.addAll(ipv6(i, a, where, out));
                    continue;
                }
                Address primary = primaryOf(i, a);
                Ip src = primary.local();
                out.add(route(Route.TABLE_LOCAL, RouteType.LOCAL, Prefix.host(a.local()), i, src, "host", where));
                if (!i.up() || primary != a) continue;
                Prefix net = a.subnet();
                boolean hasSubnetRoute = a.peer() != null || a.prefixLen() < 32;
                if (hasSubnetRoute) {
                    if (loopback)
                        out.add(route(Route.TABLE_LOCAL, RouteType.LOCAL, net, i, src, "host", where));
                    else
                        out.add(route(Route.TABLE_MAIN, RouteType.UNICAST, net, i, src, "link", where));
                }
                if (hasSubnetRoute && a.prefixLen() < 31 && !net.addr().isZeroNet()) {
                    out.add(route(Route.TABLE_LOCAL, RouteType.BROADCAST, Prefix.host(net.last()), i, src, "link", where));
                }
            }
        }
        return out;
    }

    /**
     * IPv6 state every Linux host has without being configured: the loopback's ::1 and each interface's link-local
     * fe80:: address (addrconf_dev_config, from the MAC address; it differs on every machine).
     */
    public static boolean isAutomatic(Address a) {
        return a.family() == Ip.Family.IPV6 && (a.local().isLoopback() || a.local().isLinkLocal());
    }

    /**
     * The IPv6 routes the kernel makes by itself on every interface that is up: fe80::/64 (addrconf_add_linklocal's
     * prefix route), multicast ff00::/8 in table local (addrconf_add_mroute), ::1, the local routes of the
     * automatic addresses, and with forwarding on the subnet-router anycast address of each prefix
     * (addrconf_join_anycast: `anycast fd00:10:: dev lan0 table local`).
     */
    public static boolean isAutomatic(Route r) {
        if (r.family() != Ip.Family.IPV6 || r.gateway() != null) return false;
        Prefix d = r.dst();
        if (r.type() == RouteType.MULTICAST && d.equals(MULTICAST6) && r.table() == Route.TABLE_LOCAL) return true;
        if (r.type() == RouteType.ANYCAST && r.table() == Route.TABLE_LOCAL) return true;
        if (r.type() == RouteType.UNICAST && d.equals(LINK_LOCAL6) && r.table() == Route.TABLE_MAIN) return true;
        return d.len() == 128 && (d.addr().isLinkLocal() || d.addr().isLoopback())
                && (r.type() == RouteType.LOCAL && r.table() == Route.TABLE_LOCAL
                    || r.type() == RouteType.UNICAST && r.table() == Route.TABLE_MAIN);
    }

    private static final Prefix MULTICAST6 = Prefix.parse("ff00::/8");
    private static final Prefix LINK_LOCAL6 = Prefix.parse("fe80::/64");

    /** addrconf: the local route of an IPv6 address, and its prefix route (and the peer's) while the interface is up. */
    private static List<Route> ipv6(Interface i, Address a, Source where, List<Route> made) {
        List<Route> out = new ArrayList<>();
        out.add(route(Route.TABLE_LOCAL, RouteType.LOCAL, Prefix.host(a.local()), i, null, "global", 0, where));
        if (!i.up()) return out;
        for (Prefix p : a.peer() == null ? List.of(new Prefix(a.local(), a.prefixLen()))
                : List.of(new Prefix(a.local(), a.prefixLen()), Prefix.host(a.peer()))) {
            boolean made6 = made.stream().anyMatch(r -> r.table() == Route.TABLE_MAIN && r.dst().equals(p) && i.name().equals(r.dev()));
            if (!made6) out.add(route(Route.TABLE_MAIN, RouteType.UNICAST, p, i, null, "global", 256, where));
        }
        return out;
    }

    /** The first address of the interface in the same subnet (the kernel's primary); itself when first. */
    private static Address primaryOf(Interface i, Address a) {
        for (Address other : i.addresses(Ip.Family.IPV4)) {
            if (other == a) return a;
            if (other.prefixLen() == a.prefixLen() && other.subnet().equals(a.subnet())) return other;
        }
        return a;
    }

    private static Route route(int table, RouteType type, Prefix dst, Interface i, Ip src, String scope, Source where) {
        return route(table, type, dst, i, src, scope, 0, where);
    }

    private static Route route(int table, RouteType type, Prefix dst, Interface i, Ip src, String scope, int metric, Source where) {
        Route r = new Route(table, type, dst, null, i.name(), src, metric, scope, 0, false, Source.NONE);
        return new Route(table, type, dst, null, i.name(), src, metric, scope, 0, false,
                new Source(where.file(), where.line(), r.text() + " proto kernel (added by the kernel for " + where.text() + ")"));
    }
}
