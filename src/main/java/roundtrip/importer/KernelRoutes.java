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

    /** The first address of the interface in the same subnet (the kernel's primary); itself when first. */
    private static Address primaryOf(Interface i, Address a) {
        for (Address other : i.addresses()) {
            if (other == a) return a;
            if (other.prefixLen() == a.prefixLen() && other.subnet().equals(a.subnet())) return other;
        }
        return a;
    }

    private static Route route(int table, RouteType type, Prefix dst, Interface i, Ip src, String scope, Source where) {
        Route r = new Route(table, type, dst, null, i.name(), src, 0, scope, 0, false, Source.NONE);
        return new Route(table, type, dst, null, i.name(), src, 0, scope, 0, false,
                new Source(where.file(), where.line(), r.text() + " proto kernel (added by the kernel for " + where.text() + ")"));
    }
}
