package roundtrip.kernel;

import roundtrip.model.Address;
import roundtrip.model.Host;
import roundtrip.model.Interface;
import roundtrip.model.Ip4;
import roundtrip.model.Prefix;
import roundtrip.model.Route;
import roundtrip.model.RouteType;
import roundtrip.model.Rule;
import roundtrip.model.Source;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One host's forwarding information base: policy rules over several tables, longest-prefix match, route types,
 * source address selection and reverse-path validation, following net/ipv4/fib_rules.c, fib_trie.c,
 * fib_frontend.c (fib_validate_source) and devinet.c (inet_select_addr).
 */
public final class Fib {
    /** The rules a fresh kernel has when ip-rule.json is absent or empty. */
    static final List<Rule> DEFAULT_RULES = List.of(
            new Rule(0, false, null, null, null, 0, null, null, null, "table", Route.TABLE_LOCAL, 0, -1, Source.NONE),
            new Rule(32766, false, null, null, null, 0, null, null, null, "table", Route.TABLE_MAIN, 0, -1, Source.NONE),
            new Rule(32767, false, null, null, null, 0, null, null, null, "table", Route.TABLE_DEFAULT, 0, -1, Source.NONE));

    private final Host host;
    private final List<Rule> rules;
    /** routes of each table, most specific prefix first, then lowest metric */
    private final Map<Integer, Route[]> tables = new HashMap<>();
    private final boolean customRules;
    private final boolean customLocalRoutes;

    public Fib(Host host) {
        this.host = host;
        this.rules = host.rules().isEmpty() ? DEFAULT_RULES : host.rules();
        Map<Integer, List<Route>> byTable = new HashMap<>();
        for (Route r : host.routes()) byTable.computeIfAbsent(r.table(), t -> new ArrayList<>()).add(r);
        Comparator<Route> order = Comparator.comparingInt((Route r) -> -r.dst().len())
                .thenComparingInt(r -> -r.tos()).thenComparingInt(Route::metric);
        byTable.forEach((t, list) -> { list.sort(order); tables.put(t, list.toArray(new Route[0])); });
        this.customRules = !sameAsDefaultRules(rules);
        this.customLocalRoutes = hasCustomLocalRoutes();
    }

    public Host host() { return host; }

    /** fib_lookup: walk the rules by priority; the first table that yields a route (not suppressed) decides. */
    public FibResult lookup(Flow flow) {
        int i = 0;
        while (i < rules.size()) {
            Rule rule = rules.get(i);
            i++;
            if (!ruleMatches(rule, flow)) continue;
            switch (rule.action()) {
                case "goto" -> {
                    int target = rule.gotoPriority();
                    int j = 0;
                    while (j < rules.size() && rules.get(j).priority() < target) j++;
                    i = j;
                }
                case "nop" -> { }
                case "blackhole" -> { return new FibResult(null, rule, RouteType.BLACKHOLE, false); }
                case "unreachable" -> { return new FibResult(null, rule, RouteType.UNREACHABLE, false); }
                case "prohibit" -> { return new FibResult(null, rule, RouteType.PROHIBIT, false); }
                default -> {
                    Route route = lookupTable(rule.table(), flow);
                    if (route == null || route.type() == RouteType.THROW) continue;
                    if (isError(route.type())) return new FibResult(route, rule, route.type(), false);
                    // suppress_prefixlength N: a result whose prefix is N or shorter does not count
                    if (rule.suppressPrefixLength() >= 0 && route.dst().len() <= rule.suppressPrefixLength()) continue;
                    return new FibResult(route, rule, route.type(), false);
                }
            }
        }
        return FibResult.none();
    }

    private static boolean isError(RouteType t) {
        return t == RouteType.BLACKHOLE || t == RouteType.UNREACHABLE || t == RouteType.PROHIBIT;
    }

    private static boolean ruleMatches(Rule r, Flow f) {
        boolean m = true;
        if (r.iif() != null && !r.iif().equals(f.iif())) m = false;
        else if (r.oif() != null && !r.oif().equals(f.oif())) m = false;
        else if (r.fwmark() != null && ((f.mark() ^ r.fwmark()) & r.fwmask()) != 0) m = false;
        else if (r.from() != null && !r.from().contains(f.src())) m = false;
        else if (r.to() != null && !r.to().contains(f.dst())) m = false;
        else if (r.tos() != null && r.tos() != f.tos()) m = false;
        return r.not() != m;
    }

    /** fib_table_lookup: longest prefix; among equal prefixes TOS then metric; an oif constraint skips routes. */
    public Route lookupTable(int table, Flow flow) {
        Route[] routes = tables.get(table);
        if (routes == null) return null;
        for (Route r : routes) {
            if (!r.dst().contains(flow.dst())) continue;
            if (r.tos() != 0 && r.tos() != flow.tos()) continue;
            if (isError(r.type()) || r.type() == RouteType.THROW) return r;
            if (flow.oif() != null && r.dev() != null && !flow.oif().equals(r.dev())) continue;
            if (r.dev() != null) {
                Interface dev = host.iface(r.dev());
                if (dev != null && !dev.up()) continue;
            }
            return r;
        }
        return null;
    }

    /** The type the local table gives an address (what -m addrtype and fib daddr type see). */
    public String addressType(int addr) {
        if (Ip4.isZeroNet(addr) || Ip4.isLimitedBroadcast(addr)) return "BROADCAST";
        if (Ip4.isMulticast(addr)) return "MULTICAST";
        Route r = lookupTable(Route.TABLE_LOCAL, Flow.output(addr, 0, null, 0));
        return r == null ? "UNICAST" : r.type().name();
    }

    public boolean isLocalAddress(int addr) { return "LOCAL".equals(addressType(addr)); }

    // ---- source address selection ----

    /** fib_result_prefsrc: the route's src hint, else an address of the next hop's device (inet_select_addr). */
    public int preferredSource(FibResult res, int dst) {
        Route r = res.route();
        if (r == null) return 0;
        if (r.type() == RouteType.LOCAL) return r.prefSrc() != null ? r.prefSrc() : dst;
        if (r.prefSrc() != null) return r.prefSrc();
        Interface dev = r.dev() == null ? null : host.iface(r.dev());
        return selectAddress(dev, r.gateway() != null ? r.gateway() : 0, scopeOf(r));
    }

    static int scopeOf(Route r) {
        if (r.scope() != null) return scopeNumber(r.scope());
        if (r.type() == RouteType.LOCAL) return 254;
        return r.gateway() == null && r.type() == RouteType.UNICAST ? 253 : 0;
    }

    private static int scopeOf(Address a) { return a.scope() == null ? 0 : scopeNumber(a.scope()); }

    /** rtnetlink scope numbers: universe 0, site 200, link 253, host 254, nowhere 255. */
    private static int scopeNumber(String scope) {
        return switch (scope) {
            case "host" -> 254;
            case "link" -> 253;
            case "site" -> 200;
            case "nowhere" -> 255;
            default -> 0;
        };
    }

    /**
     * inet_select_addr: on the device, the first primary address within scope, preferring one whose subnet holds
     * {@code dst}; otherwise the first suitable primary address on any device (loopback first), never link scope.
     */
    public int selectAddress(Interface dev, int dst, int scope) {
        int chosen = 0;
        if (dev != null) {
            for (Address a : dev.addresses()) {
                if (a.secondary()) continue;
                if (Math.min(scopeOf(a), 254) > scope) continue;
                if (dst == 0 || a.subnet().contains(dst)) return a.local();
                if (chosen == 0) chosen = a.local();
            }
            if (chosen != 0) return chosen;
        }
        List<Interface> devices = new ArrayList<>(host.interfaces().values());
        devices.sort(Comparator.comparingInt(Interface::index));
        for (Interface d : devices) {
            for (Address a : d.addresses()) {
                if (a.secondary()) continue;
                int s = scopeOf(a);
                if (s != 253 && s <= scope) return a.local();
            }
        }
        return 0;
    }

    // ---- reverse path validation ----

    /** Why fib_validate_source rejected a packet, or null when it passes. */
    public record SourceCheck(boolean ok, String reason, FibResult reverse) {}

    /**
     * fib_validate_source for a packet from {@code src} to {@code dst} arriving on {@code dev}: with rp_filter 0
     * and no custom rules or local routes only a local source address is refused; otherwise a reverse lookup
     * (from lo, mark only with src_valid_mark) must give a unicast route, through {@code dev} in strict mode.
     */
    public SourceCheck validateSource(int src, int dst, String dev, long mark) {
        return validateSource(src, dst, dev, mark, host.sysctls().rpFilter(dev), host.sysctls().acceptLocal(dev),
                host.sysctls().srcValidMark(dev));
    }

    /** The same with the sysctls given (to ask what other values would decide). */
    public SourceCheck validateSource(int src, int dst, String dev, long mark, int rpf, boolean acceptLocal, boolean srcValidMark) {
        if (rpf == 0 && !customRules && !customLocalRoutes) {
            if (!acceptLocal && isLocalAddress(src))
                return new SourceCheck(false, "martian source " + Ip4.format(src) + ": it is an address of this host", null);
            return new SourceCheck(true, null, null);
        }
        long m = srcValidMark ? mark : 0;
        FibResult rev = lookup(new Flow(src, dst, "lo", null, m, 0));
        Interface in = host.iface(dev);
        boolean noAddr = in == null || in.addresses().isEmpty();
        // fib_lookup fails for no route and for error routes (unreachable, blackhole, prohibit): "last resort"
        if (rev.isError() || rev.type() == RouteType.THROW) {
            if (rpf != 0) return new SourceCheck(false, "rp_filter: no route back to " + Ip4.format(src), rev);
            return new SourceCheck(true, null, rev);
        }
        if (rev.type() != RouteType.UNICAST && !(rev.type() == RouteType.LOCAL && acceptLocal))
            return new SourceCheck(false, "martian source " + Ip4.format(src) + ": the route back is "
                    + (rev.route() != null ? rev.route().text() : rev.type().word()), rev);
        boolean devMatch = rev.route() != null && dev.equals(rev.route().dev())
                || rev.type() == RouteType.LOCAL && "lo".equals(dev);
        if (devMatch || noAddr) {
            if (noAddr && !devMatch && rpf != 0) return new SourceCheck(false, "rp_filter: " + dev + " has no address", rev);
            return new SourceCheck(true, null, rev);
        }
        if (rpf == 1)
            return new SourceCheck(false, "rp_filter (strict): the route back to " + Ip4.format(src) + " leaves by "
                    + rev.route().dev() + ", not " + dev + " (" + rev.route().text() + ")", rev);
        return new SourceCheck(true, null, rev);
    }

    private static boolean sameAsDefaultRules(List<Rule> rules) {
        if (rules.size() != DEFAULT_RULES.size()) return false;
        for (int i = 0; i < rules.size(); i++) {
            Rule a = rules.get(i), b = DEFAULT_RULES.get(i);
            if (a.priority() != b.priority() || a.not() || a.from() != null && a.from().len() != 0 || a.to() != null
                    || a.fwmark() != null || a.iif() != null || a.oif() != null || !a.action().equals("table")
                    || a.table() != b.table() || a.suppressPrefixLength() >= 0) return false;
        }
        return true;
    }

    /**
     * fib_has_custom_local_routes is set when a user adds a route of type local. The kernel's own local routes
     * live in table local; one elsewhere (e.g. `local default dev lo table 100` for TPROXY) was added by hand.
     */
    private boolean hasCustomLocalRoutes() {
        for (Route r : host.routes()) {
            if (r.type() == RouteType.LOCAL && r.table() != Route.TABLE_LOCAL) return true;
        }
        return false;
    }

    /** The connected subnet an address of this host belongs to, for "is on-link" questions. */
    public boolean onLink(String dev, int addr) {
        Interface d = host.iface(dev);
        if (d == null) return false;
        for (Address a : d.addresses()) if (a.subnet().contains(addr)) return true;
        return false;
    }

    public static Prefix hostPrefix(int a) { return Prefix.host(a); }
}
