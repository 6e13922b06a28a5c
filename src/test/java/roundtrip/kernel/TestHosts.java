package roundtrip.kernel;

import roundtrip.model.Address;
import roundtrip.model.Host;
import roundtrip.model.Interface;
import roundtrip.model.Ip;
import roundtrip.model.Prefix;
import roundtrip.model.Route;
import roundtrip.model.RouteType;
import roundtrip.model.Rule;
import roundtrip.model.Source;
import roundtrip.model.Sysctls;
import roundtrip.netfilter.iptables.IptablesSaveParser;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A small builder of hosts for unit tests, adding the local routes the kernel makes for each address. */
public final class TestHosts {
    private final String name;
    private final List<Interface> ifaces = new ArrayList<>();
    private final List<Route> routes = new ArrayList<>();
    private final List<Rule> rules = new ArrayList<>();
    private String iptables;
    private Map<String, String> sysctl = Map.of();
    private final List<roundtrip.model.TunnelConfig> tunnels = new ArrayList<>();

    private TestHosts(String name) {
        this.name = name;
        iface("lo", "127.0.0.1/8");
    }

    public static TestHosts host(String name) { return new TestHosts(name); }

    public TestHosts iface(String dev, String... cidrs) {
        return iface(dev, false, cidrs);
    }

    /** A point-to-point device without ARP (tun, wireguard). */
    public TestHosts tunnelIface(String dev, String... cidrs) {
        return iface(dev, true, cidrs);
    }

    private TestHosts iface(String dev, boolean noArp, String... cidrs) {
        List<Address> addrs = new ArrayList<>();
        boolean first = true;
        for (String c : cidrs) {
            Prefix p = Prefix.parse(c);
            Ip local = Ip.parse(c.substring(0, c.indexOf('/')));
            addrs.add(new Address(local, p.len(), null, dev.equals("lo") ? "host" : "global", !first && false));
            first = false;
            routes.add(new Route(Route.TABLE_LOCAL, RouteType.LOCAL, Prefix.host(local), null, dev, local, 0, "host", 0, false, Source.NONE));
            if (!dev.equals("lo"))
                routes.add(new Route(Route.TABLE_MAIN, RouteType.UNICAST, p, null, dev, local, 0, "link", 0, false, Source.NONE));
        }
        ifaces.add(new Interface(dev, ifaces.size() + 1, dev.equals("lo") ? "loopback" : noArp ? "tun" : "veth", null, true, noArp,
                "", 1500, addrs));
        return this;
    }

    public TestHosts route(int table, String dst, String via, String dev) {
        routes.add(new Route(table, RouteType.UNICAST, Prefix.parse(dst), via == null ? null : Ip.parse(via), dev, null, 0,
                via == null ? "link" : null, 0, false, new Source("test", routes.size() + 1, dst + " via " + via)));
        return this;
    }

    public TestHosts typed(int table, RouteType type, String dst) {
        routes.add(new Route(table, type, Prefix.parse(dst), null, null, null, 0, null, 0, false, Source.NONE));
        return this;
    }

    public TestHosts rule(Rule r) { rules.add(r); return this; }

    public TestHosts defaultRules() {
        rules.addAll(Rule.kernelDefaults(Ip.Family.IPV4, Source.NONE));
        return this;
    }

    public TestHosts iptables(String text) { this.iptables = text; return this; }

    public TestHosts sysctl(Map<String, String> s) { this.sysctl = s; return this; }

    public TestHosts tunnel(roundtrip.model.TunnelConfig c) { tunnels.add(c); return this; }

    public Host build() {
        if (rules.isEmpty()) rules.addAll(Rule.kernelDefaults(Ip.Family.IPV4, Source.NONE));
        return new Host(name, ifaces, routes, rules, iptables == null ? null : IptablesSaveParser.parse(name + "/iptables-save.txt", iptables),
                new Sysctls(sysctl, Map.of()), null, List.of(), tunnels);
    }

    public static Rule lookup(int prio, String from, Long mark, int table) {
        return new Rule(Ip.Family.IPV4, prio, false, from == null ? null : Prefix.parse(from), null, mark, mark == null ? 0 : 0xffffffffL,
                null, null, null, "table", table, 0, -1, Source.NONE);
    }
}
