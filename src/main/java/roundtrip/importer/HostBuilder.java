package roundtrip.importer;

import roundtrip.model.Address;
import roundtrip.model.FirewallConfig;
import roundtrip.model.Host;
import roundtrip.model.Interface;
import roundtrip.model.Ip;
import roundtrip.model.Listener;
import roundtrip.model.Message;
import roundtrip.model.Prefix;
import roundtrip.model.Problem;
import roundtrip.model.Route;
import roundtrip.model.RouteType;
import roundtrip.model.Rule;
import roundtrip.model.Source;
import roundtrip.model.Sysctls;
import roundtrip.model.Text;
import roundtrip.model.TunnelConfig;
import roundtrip.netfilter.Ruleset;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a host described by configuration rather than collected state (a network file, a router's config):
 * interfaces and addresses as `ip addr add` takes them, plus what the kernel then does by itself — the
 * routes of each address ({@link KernelRoutes}), the device of a gateway route, the priority of a rule added
 * without one, the three default rules.
 */
public final class HostBuilder {
    private final String name;
    private final String file;
    private final int line;
    private final Map<String, IfaceDraft> interfaces = new LinkedHashMap<>();
    private final List<IpCommandSyntax.RouteSpec> routeSpecs = new ArrayList<>();
    private final List<Rule> rules = new ArrayList<>();
    private final Map<String, String> sysctls = new LinkedHashMap<>();
    private final Map<String, Source> sysctlSources = new LinkedHashMap<>();
    private final List<Problem> problems = new ArrayList<>();
    private final List<TunnelConfig> tunnels = new ArrayList<>();
    private List<Listener> listeners;
    private Ruleset firewall;
    private FirewallConfig firewallConfig;

    private static final class IfaceDraft {
        final String name;
        String kind;
        String master;
        boolean up;
        int mtu;
        final Source source;
        final List<Address> addresses = new ArrayList<>();
        final Map<Address, Source> addressSources = new HashMap<>();

        IfaceDraft(String name, String kind, String master, boolean up, int mtu, Source source) {
            this.name = name;
            this.kind = kind;
            this.master = master;
            this.up = up;
            this.mtu = mtu;
            this.source = source;
        }
    }

    /** @param file the file the host is described in (for the kernel's default rules and loopback) */
    public HostBuilder(String name, String file, int line) {
        this.name = name;
        this.file = file;
        Source lo = new Source(file, line, "lo 127.0.0.1/8 (always present)");
        addInterface("lo", "loopback", null, true, 65536, lo);
        addAddress("lo", "127.0.0.1/8", lo);
        this.line = line;
        addDefaultRules(Ip.Family.IPV4);
    }

    /** The kernel's rules of a family, as a fresh host has them (IPv6's come with the first IPv6 rule added). */
    private void addDefaultRules(Ip.Family family) {
        for (Rule r : Rule.kernelDefaults(family, Source.NONE))
            rules.add(r.withSource(new Source(file, line, r.text() + " (kernel default rule)")));
    }

    public String name() { return name; }

    public boolean hasInterface(String iface) { return interfaces.containsKey(iface); }

    /** The kind given when the interface was added (null for a plain Ethernet-like device). */
    public String kindOf(String iface) {
        IfaceDraft d = interfaces.get(iface);
        return d == null ? null : d.kind;
    }

    /**
     * @param kind tun, wireguard, bridge, veth, dummy, loopback or null (Ethernet)
     * @throws roundtrip.model.InputException when the host already has the interface (except lo, which is shared)
     */
    public void addInterface(String iface, String kind, String master, boolean up, int mtu, Source source) {
        if (interfaces.containsKey(iface)) {
            if (iface.equals("lo")) return;
            throw InputErrors.at(source.file(), source.line(), "interface \"" + iface + "\" defined twice on host " + name);
        }
        if (iface.isEmpty() || iface.length() > 15 || iface.contains("/") || iface.contains(":") || iface.contains(" "))
            throw InputErrors.at(source.file(), source.line(), "not a Linux interface name (at most 15 characters, no '/', ':' or spaces): \"" + iface + "\"");
        interfaces.put(iface, new IfaceDraft(iface, kind, master, up, mtu, source));
    }

    /** The interfaces so far, in the order they were added. */
    public List<String> interfaceNames() { return List.copyOf(interfaces.keySet()); }

    /** The MTU the interface has so far (-1 when the host has no such interface). */
    public int mtu(String iface) {
        IfaceDraft d = interfaces.get(iface);
        return d == null ? -1 : d.mtu;
    }

    /** `ip link set IFACE mtu N`. */
    public void setMtu(String iface, int mtu) { interfaces.get(iface).mtu = mtu; }

    /** The addresses given to the interface so far. */
    public List<Address> addresses(String iface) {
        IfaceDraft d = interfaces.get(iface);
        return d == null ? List.of() : List.copyOf(d.addresses);
    }

    /** The routes added so far, as written (the kernel's own routes of the addresses are not among them). */
    public List<IpCommandSyntax.RouteSpec> routeSpecs() { return List.copyOf(routeSpecs); }

    /** Makes an interface a port of a bridge (checked in {@link #build}). */
    public void setMaster(String iface, String master) { interfaces.get(iface).master = master; }

    /**
     * Adds an address as `ip addr add` takes it: "A.B.C.D/LEN", "A.B.C.D" (a /32), "A.B.C.D peer P[/LEN]", and the
     * same of IPv6 ("fd00::2/64", a bare address is a /128). A second IPv4 address in a subnet the interface already
     * has becomes secondary, as in the kernel (IPv6 has no secondary addresses).
     */
    public void addAddress(String iface, String text, Source source) {
        IfaceDraft d = interfaces.get(iface);
        if (d == null) throw InputErrors.at(source.file(), source.line(), "no interface \"" + iface + "\" on host " + name);
        String[] w = Text.words(text.trim());
        Address a;
        try {
            if (w.length == 3 && w[1].equals("peer")) {
                Ip local = Ip.parse(stripLength(w[0]));
                Prefix peer = Prefix.parse(w[2]);
                Ip peerAddr = Ip.parse(stripLength(w[2]));
                if (peerAddr.family() != local.family()) throw new IllegalArgumentException("families differ");
                a = new Address(local, peer.len(), peerAddr, "global", false);
            } else if (w.length == 1) {
                Prefix p = Prefix.parse(w[0]);
                a = new Address(Ip.parse(stripLength(w[0])), p.len(), null, "global", false);
            } else {
                throw new IllegalArgumentException("bad");
            }
        } catch (IllegalArgumentException e) {
            throw InputErrors.at(source.file(), source.line(), "not an address (A.B.C.D/LEN, an IPv6 ADDR/LEN or \"A.B.C.D peer P/LEN\"): \"" + text.trim() + "\"");
        }
        if (a.local().isMulticast() || a.local().isLimitedBroadcast() || a.local().isUnspecified())
            throw InputErrors.at(source.file(), source.line(), "not a host address: " + text.trim());
        for (Address other : d.addresses) {
            if (other.local().equals(a.local()) && other.prefixLen() == a.prefixLen())
                throw InputErrors.at(source.file(), source.line(), "address " + text.trim() + " given twice on " + iface);
        }
        boolean secondary = a.local().isV4()
                && d.addresses.stream().anyMatch(o -> o.prefixLen() == a.prefixLen() && o.subnet().equals(a.subnet()));
        Address added = new Address(a.local(), a.prefixLen(), a.peer(), iface.equals("lo") && a.local().isLoopback() ? "host" : "global", secondary);
        d.addresses.add(added);
        d.addressSources.put(added, new Source(source.file(), source.line(), text.trim() + " on " + iface));
    }

    private static String stripLength(String cidr) {
        int slash = cidr.indexOf('/');
        return slash < 0 ? cidr : cidr.substring(0, slash);
    }

    public void addRoute(IpCommandSyntax.RouteSpec spec) { routeSpecs.add(spec); }

    /**
     * Adds a rule where `ip rule add` would put it: without a priority the kernel takes the priority of the
     * second rule in its list minus one (so the first such rule gets 32765, the next 32764, ...).
     */
    public void addRule(IpCommandSyntax.RuleSpec spec) {
        Source s = spec.source();
        if (spec.unsupported() != null) {
            problems.add(new Problem(s, Message.of(Sentences.RULE_IGNORED, spec.unsupported())));
            return;
        }
        for (String dev : new String[] {spec.iif(), spec.oif()})
            if (dev != null && !interfaces.containsKey(dev))
                problems.add(new Problem(s, Message.of(Sentences.RULE_NO_SUCH_INTERFACE, dev, name)));
        Ip.Family family = spec.family();
        if (rules.stream().noneMatch(o -> o.family() == family)) addDefaultRules(family);
        // the kernel keeps one rule list per family: priorities and positions are counted within it
        rules.sort(java.util.Comparator.comparingInt(Rule::priority));
        List<Rule> ofFamily = rules.stream().filter(o -> o.family() == family).toList();
        int priority;
        if (spec.priority() != null) priority = spec.priority();
        else priority = ofFamily.size() >= 2 && ofFamily.get(1).priority() > 0 ? ofFamily.get(1).priority() - 1 : 0;
        Rule r = new Rule(family, priority, spec.not(), spec.from(), spec.to(), spec.fwmark(), spec.fwmask(), spec.iif(), spec.oif(),
                spec.tos(), spec.action(), spec.table(), spec.gotoPriority(), spec.suppressPrefixLength(), Source.NONE);
        r = r.withSource(new Source(s.file(), s.line(), r.text()));
        // after the rules of equal priority, before the first higher one: where the kernel inserts it
        int at = 0;
        while (at < rules.size() && rules.get(at).priority() <= priority) at++;
        rules.add(at, r);
    }

    /** A sysctl value; a device's key in either spelling (eth0.100 or eth0/100) is kept as sysctl(8) prints it. */
    public void sysctl(String key, String value, Source source) {
        String k = SysctlReader.deviceKey(key);
        sysctls.put(k, value);
        sysctlSources.put(k, source);
    }

    public boolean hasSysctl(String key) { return sysctls.containsKey(SysctlReader.deviceKey(key)); }

    public void listeners(List<Listener> l) { this.listeners = l; }

    /** The configuration the firewall was generated from (a router's /etc/config/firewall). */
    public void firewallConfig(FirewallConfig c) { this.firewallConfig = c; }

    public void firewall(Ruleset r) {
        this.firewall = r;
        problems.addAll(r.problems());
    }

    public void tunnel(TunnelConfig t) { tunnels.add(t); }

    public List<Problem> problems() { return problems; }


    public Host build() {
        List<Interface> ifaces = new ArrayList<>();
        int index = 1;
        for (IfaceDraft d : interfaces.values()) {
            if (d.master != null) {
                IfaceDraft m = interfaces.get(d.master);
                if (m == null || !"bridge".equals(m.kind))
                    throw InputErrors.at(d.source.file(), d.source.line(), d.name + ": master \"" + d.master
                            + "\" is not a bridge of host " + name + " (give it kind: bridge)");
            }
            boolean noArp = "tun".equals(d.kind) || "wireguard".equals(d.kind) || "loopback".equals(d.kind);
            ifaces.add(new Interface(d.name, index++, d.kind, d.master, d.up, noArp, null, d.mtu, d.addresses));
        }
        List<Route> routes = new ArrayList<>(KernelRoutes.forInterfaces(ifaces,
                (i, a) -> interfaces.get(i.name()).addressSources.getOrDefault(a, Source.NONE)));
        List<Route> kernelMade = List.copyOf(routes);
        // device routes first: a gateway may be reached through a route written after it
        List<IpCommandSyntax.RouteSpec> ordered = new ArrayList<>(routeSpecs);
        ordered.sort(java.util.Comparator.comparing(s -> s.gateway() != null));
        for (IpCommandSyntax.RouteSpec spec : ordered) {
            Route r = resolve(spec, ifaces, routes);
            // the kernel refuses a second route with the same destination, tos and metric in a table (EEXIST)
            Route same = routes.stream().filter(o -> o.table() == r.table() && o.dst().equals(r.dst()) && o.tos() == r.tos()
                    && o.metric() == r.metric()).findFirst().orElse(null);
            if (same != null && kernelMade.contains(same) && same.type() == r.type() && r.gateway() == null
                    && same.dev() != null && same.dev().equals(r.dev())) {
                problems.add(new Problem(spec.source(), Message.of(Sentences.ROUTE_ADDED_BY_KERNEL)));
                continue;
            }
            if (same != null)
                throw InputErrors.at(spec.source().file(), spec.source().line(), "route exists already (the kernel answers "
                        + "\"File exists\"): " + same.text() + " from " + same.source().where());
            routes.add(r);
        }
        for (Rule r : rules)
            if (r.action().equals("goto") && rules.stream().noneMatch(o -> o.family() == r.family() && o.priority() == r.gotoPriority()))
                problems.add(new Problem(r.source(), Message.of(Sentences.RULE_GOTO_NO_SUCH_PRIORITY, r.gotoPriority())));
        List<Problem> all = new ArrayList<>(problems);
        all.addAll(roundtrip.netfilter.AbsentNames.of(firewall, name, ifaces));
        return new Host(name, ifaces, routes, rules, firewall, new Sysctls(sysctls, sysctlSources), listeners, all, tunnels,
                firewallConfig);
    }

    /**
     * The device of a gateway route, found as the kernel does (fib_check_nh): the gateway must be on a route of
     * scope link (a connected subnet or a "dev X" route) in the route's table or else in main; with "dev X" that
     * route must use X. "onlink" skips the check.
     */
    private Route resolve(IpCommandSyntax.RouteSpec spec, List<Interface> ifaces, List<Route> known) {
        Source s = spec.source();
        String dev = spec.dev();
        if (dev != null && !interfaces.containsKey(dev))
            throw InputErrors.at(s.file(), s.line(), "no interface \"" + dev + "\" on host " + name + ": " + s.text());
        if (spec.prefSrc() != null && ifaces.stream().noneMatch(i -> i.hasAddress(spec.prefSrc())))
            throw InputErrors.at(s.file(), s.line(), "src " + spec.prefSrc() + " is not an address of host " + name
                    + " (the kernel answers \"Invalid prefsrc address\"): " + s.text());
        int table = spec.tableOrDefault();
        Ip gw = spec.gateway();
        if (gw != null && gw.isV6() && gw.isLinkLocal() && !spec.onlink()) {
            // ip6_validate_gw: a link-local gateway is on every link; only the device says which
            if (dev == null)
                throw InputErrors.at(s.file(), s.line(), "gateway " + gw + " is link-local: the route needs \"dev IF\" (the kernel"
                        + " answers \"Egress device not specified\"): " + s.text());
        } else if (gw != null && !spec.onlink()) {
            Route via = linkRoute(gw, table, known, dev);
            if (via == null)
                throw InputErrors.at(s.file(), s.line(), "gateway " + gw + " is not on a connected subnet"
                        + (dev != null ? " of " + dev : "") + " (the kernel answers \""
                        + (gw.isV4() ? "Nexthop has invalid gateway" : "No route to host") + "\"; add "
                        + "\"dev IF onlink\" if it is reachable on that link): " + s.text());
            if (dev == null) dev = via.dev();
        }
        if (dev != null && !interfaces.get(dev).up && spec.type() == RouteType.UNICAST)
            throw InputErrors.at(s.file(), s.line(), dev + " is down: the kernel refuses routes through it (\"Device for "
                    + "nexthop is not up\"): " + s.text());
        Route r = new Route(table, spec.type(), spec.dst(), gw, dev, spec.prefSrc(), spec.metricOrDefault(), spec.scopeOrDefault(),
                spec.tos(), spec.onlink(), Source.NONE);
        return new Route(r.table(), r.type(), r.dst(), r.gateway(), r.dev(), r.prefSrc(), r.metric(), r.scope(), r.tos(),
                r.onlink(), new Source(s.file(), s.line(), s.text()));
    }

    /**
     * fib_check_nh (IPv4): a route of scope link or host that holds the gateway; ip6_route_check_nh (IPv6): a route
     * without gateway that holds it, whatever its scope (IPv6 routes have none).
     */
    private static Route linkRoute(Ip gw, int table, List<Route> known, String dev) {
        for (int t : new int[] {table, Route.TABLE_MAIN}) {
            Route best = null;
            for (Route r : known) {
                if (r.table() != t || r.type() != RouteType.UNICAST || r.gateway() != null || r.dev() == null) continue;
                if (gw.isV4() && !"link".equals(r.scope()) && !"host".equals(r.scope())) continue;
                if (!r.dst().contains(gw)) continue;
                if (best == null || r.dst().len() > best.dst().len()) best = r;
            }
            if (best != null && (dev == null || best.dev().equals(dev))) return best;
        }
        return null;
    }
}
