package roundtrip.importer;

import roundtrip.model.Ip;
import roundtrip.model.Message;
import roundtrip.model.Prefix;
import roundtrip.model.Route;
import roundtrip.model.RouteType;
import roundtrip.model.Source;
import roundtrip.model.Text;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The arguments of `ip route add` and `ip rule add` as people write them, parsed the way iproute2 does: the same
 * keywords and aliases, the same defaults (table local for local/broadcast routes, scope link for a route without
 * gateway, "lookup main" for a rule without action). What the result means on a host (which device a gateway is
 * on, which priority a rule gets) is decided by the caller, as the kernel decides it. The family is what iproute2
 * makes of the line: `-6` (or `ip -6 route add ...`), else the family of the first address written (destination,
 * gateway, source; `from`/`to` of a rule), else IPv4, as `ip route` and `ip rule` default to it.
 */
public final class IpCommandSyntax {
    private IpCommandSyntax() {}

    /** A route as written; {@code dev} null when not given; {@code scope} null when not given. */
    public record RouteSpec(RouteType type, Prefix dst, Ip gateway, String dev, Integer table, Ip prefSrc,
                            int metric, String scope, int tos, boolean onlink, Source source) {
        /** The table the kernel puts it in: iproute2 sends local, broadcast, anycast and nat routes to table local. */
        public int tableOrDefault() {
            if (table != null) return table;
            return switch (type) {
                case LOCAL, BROADCAST, ANYCAST, NAT -> Route.TABLE_LOCAL;
                default -> Route.TABLE_MAIN;
            };
        }

        public Ip.Family family() { return dst.family(); }

        /** The metric the kernel gives it: IPv6 turns 0 (none given) into IP6_RT_PRIO_USER, 1024. */
        public int metricOrDefault() { return metric == 0 && family() == Ip.Family.IPV6 ? 1024 : metric; }

        /** iproute2's default scope: host for local, link for broadcast and for unicast without gateway (IPv6 routes have none). */
        public String scopeOrDefault() {
            if (family() == Ip.Family.IPV6) return "global";
            if (scope != null) return scope;
            return switch (type) {
                case LOCAL, NAT -> "host";
                case BROADCAST, MULTICAST, ANYCAST -> "link";
                case UNICAST -> gateway == null ? "link" : "global";
                default -> "global";
            };
        }
    }

    /** A rule as written; {@code priority} null when not given. */
    public record RuleSpec(Ip.Family family, Integer priority, boolean not, Prefix from, Prefix to, Long fwmark, long fwmask, String iif,
                           String oif, Integer tos, String action, int table, int gotoPriority, int suppressPrefixLength,
                           Message unsupported, Source source) {}

    private static final Set<String> ROUTE_TYPES = Set.of("unicast", "local", "broadcast", "multicast", "anycast",
            "blackhole", "unreachable", "prohibit", "throw", "nat");
    /** Route attributes that change nothing the simulator models (path MTU, TCP tuning, origin). */
    private static final Set<String> ROUTE_ATTRIBUTES_IGNORED = Set.of("proto", "protocol", "mtu", "advmss", "window",
            "rtt", "rttvar", "reordering", "cwnd", "initcwnd", "initrwnd", "ssthresh", "realms", "rto_min", "hoplimit",
            "features", "quickack", "congctl", "pref", "expires", "fastopen_no_cookie");

    /**
     * @param tables   table names the host defines (its rt_tables), besides local, main and default
     * @throws roundtrip.model.InputException at {@code source} for anything iproute2 would refuse
     */
    public static RouteSpec route(String text, Source source, Map<String, Integer> tables) {
        Words ws = words(text, "route");
        List<String> w = ws.words();
        Cursor c = new Cursor(w, source);
        if (w.isEmpty()) throw c.error("empty route");
        Ip.Family family = ws.family() != null ? ws.family() : routeFamily(w);
        RouteType type = RouteType.UNICAST;
        if (c.peekIs("type")) c.next();
        if (ROUTE_TYPES.contains(c.peek())) type = RouteType.parse(c.next());
        if (c.peekIs("to")) c.next();
        if (!c.hasNext()) throw c.error("route without destination");
        Prefix dst = prefix(c.next(), c, true, family);
        Ip gateway = null, prefSrc = null;
        Integer table = null;
        String dev = null, scope = null;
        int metric = 0, tos = 0;
        boolean onlink = false;
        while (c.hasNext()) {
            String k = c.next();
            switch (k) {
                case "via" -> {
                    String v = c.value(k);
                    if (v.equals("inet") || v.equals("inet6")) v = c.value(k);
                    gateway = address(v, c);
                    if (gateway.family() != family)
                        throw c.error("an " + family.word() + " route via an " + gateway.family().word() + " next hop is not simulated");
                }
                case "dev", "oif" -> dev = c.value(k);
                case "table" -> table = table(c.value(k), c, tables);
                case "metric", "preference", "priority" -> metric = (int) number(c.value(k), c, 0xffffffffL);
                case "src" -> {
                    prefSrc = address(c.value(k), c);
                    if (prefSrc.family() != family) throw c.error("src " + prefSrc + " in an " + family.word() + " route");
                }
                case "scope" -> scope = scope(c.value(k), c);
                case "onlink" -> onlink = true;
                case "tos", "dsfield" -> {
                    Integer t = IpRouteReader.dsfield(c.value(k));
                    if (t == null) throw c.error("unknown tos \"" + c.last() + "\"");
                    tos = t;
                }
                case "nexthop" -> throw c.error("multipath routes (nexthop) are not simulated: write one route per path");
                case "nhid" -> throw c.error("nexthop objects (nhid) are not simulated: write the gateway with via");
                case "encap" -> throw c.error("lightweight tunnel encapsulation (encap) is not simulated");
                default -> {
                    if (ROUTE_ATTRIBUTES_IGNORED.contains(k)) {
                        c.value(k);
                        if (k.equals("mtu") || k.equals("advmss") || k.equals("window")) {
                            if (c.last().equals("lock")) c.value(k);
                        }
                    } else {
                        throw c.error("unknown word \"" + k + "\" in route (ip route add syntax)");
                    }
                }
            }
        }
        if (gateway != null && type != RouteType.UNICAST)
            throw c.error(type.word() + " route cannot have a gateway (via)");
        if (dev == null && gateway == null && (type == RouteType.UNICAST || type == RouteType.LOCAL
                || type == RouteType.BROADCAST || type == RouteType.MULTICAST || type == RouteType.ANYCAST))
            throw c.error("route needs \"via GATEWAY\" or \"dev DEVICE\"");
        if (onlink && dev == null) throw c.error("onlink needs \"dev DEVICE\" (the kernel refuses it without)");
        return new RouteSpec(type, dst, gateway, dev, table, prefSrc, metric, scope, tos, onlink, source);
    }

    /** @throws roundtrip.model.InputException at {@code source} for anything iproute2 would refuse */
    public static RuleSpec rule(String text, Source source, Map<String, Integer> tables) {
        Words ws = words(text, "rule");
        List<String> w = ws.words();
        Cursor c = new Cursor(w, source);
        Integer priority = null;
        boolean not = false;
        Prefix from = null, to = null;
        Long fwmark = null;
        long fwmask = 0;
        String iif = null, oif = null, action = null;
        Message unsupported = null;
        Integer tos = null;
        int table = 0, gotoPriority = 0, suppress = -1;
        while (c.hasNext()) {
            String k = c.next();
            switch (k) {
                case "not" -> not = true;
                case "from" -> from = selector(c.value(k), c);
                case "to" -> to = selector(c.value(k), c);
                case "fwmark" -> {
                    String v = c.value(k);
                    int slash = v.indexOf('/');
                    fwmark = number(slash < 0 ? v : v.substring(0, slash), c, 0xffffffffL);
                    fwmask = slash < 0 ? 0xffffffffL : number(v.substring(slash + 1), c, 0xffffffffL);
                }
                case "iif", "dev" -> iif = c.value(k);
                case "oif" -> oif = c.value(k);
                case "tos", "dsfield" -> {
                    tos = IpRouteReader.dsfield(c.value(k));
                    if (tos == null) throw c.error("unknown tos \"" + c.last() + "\"");
                }
                case "priority", "pref", "preference", "order" -> priority = (int) number(c.value(k), c, 0xffffffffL);
                case "lookup", "table" -> {
                    action = "table";
                    table = table(c.value(k), c, tables);
                }
                case "goto" -> {
                    action = "goto";
                    gotoPriority = (int) number(c.value(k), c, 0xffffffffL);
                }
                case "suppress_prefixlength", "sup_pl" -> suppress = (int) number(c.value(k), c, 128);
                case "type" -> action = ruleAction(c.value(k), c);
                case "unicast" -> action = "table";
                case "blackhole", "unreachable", "prohibit", "nop" -> action = k;
                case "protocol", "proto" -> c.value(k);   // who installed it: no effect on the lookup
                case "ipproto", "sport", "dport", "uidrange", "suppress_ifgroup", "sup_group", "realms", "tun_id" -> {
                    c.value(k);
                    unsupported = Message.of(Sentences.RULE_SELECTOR_NOT_SIMULATED, k);
                }
                case "l3mdev" -> unsupported = Message.of(Sentences.RULE_SELECTOR_L3MDEV);
                case "nat", "map-to" -> throw c.error("rule type nat was removed from the kernel (2.6.29)");
                default -> throw c.error("unknown word \"" + k + "\" in rule (ip rule add syntax)");
            }
        }
        if (action == null) {   // iproute2 fills in "lookup main"
            action = "table";
            table = Route.TABLE_MAIN;
        }
        if (action.equals("table") && table == 0) table = Route.TABLE_MAIN;
        Ip.Family family = ws.family() != null ? ws.family() : from != null ? from.family() : to != null ? to.family() : Ip.Family.IPV4;
        if (from != null && from.family() != family || to != null && to.family() != family)
            throw c.error("from and to of an " + family.word() + " rule must be " + family.word() + " prefixes");
        return new RuleSpec(family, priority, not, from, to, fwmark, fwmask, iif, oif, tos, action, table, gotoPriority,
                suppress, unsupported, source);
    }

    private static String ruleAction(String word, Cursor c) {
        return switch (word) {
            case "unicast" -> "table";
            case "blackhole", "unreachable", "prohibit", "nop" -> word;
            default -> throw c.error("unknown rule type \"" + word + "\"");
        };
    }

    /** The words of a command after "ip [-4|-6] OBJECT add" (or a leading -4/-6), and the family a -4/-6 forces. */
    private record Words(List<String> words, Ip.Family family) {}

    private static Words words(String text, String object) {
        List<String> w = new java.util.ArrayList<>(text.isBlank() ? List.of() : List.of(Text.words(text.strip())));
        Ip.Family family = null;
        if (!w.isEmpty() && w.get(0).equals("ip")) {
            int at = 1;
            if (at < w.size() && (w.get(at).equals("-6") || w.get(at).equals("-4"))) at++;
            if (at + 1 < w.size() && w.get(at).equals(object) && w.get(at + 1).equals("add")) {
                if (at == 2) family = w.get(1).equals("-6") ? Ip.Family.IPV6 : Ip.Family.IPV4;
                w = w.subList(at + 2, w.size());
            }
        } else if (!w.isEmpty() && (w.get(0).equals("-6") || w.get(0).equals("-4"))) {
            family = w.get(0).equals("-6") ? Ip.Family.IPV6 : Ip.Family.IPV4;
            w = w.subList(1, w.size());
        }
        return new Words(List.copyOf(w), family);
    }

    /** get_prefix/get_addr with an unspecified family: the first address written (dst, via, src) decides. */
    private static Ip.Family routeFamily(List<String> w) {
        for (int i = 0; i < w.size(); i++) {
            String word = w.get(i);
            boolean addressSlot = i > 0 && Set.of("via", "src", "inet", "inet6").contains(w.get(i - 1)) || i == firstNonKeyword(w);
            if (!addressSlot || word.equals("default") || word.equals("all") || word.equals("any")) continue;
            if (word.equals("inet6")) return Ip.Family.IPV6;
            if (word.contains(":")) return Ip.Family.IPV6;
            if (Character.isDigit(word.charAt(0))) return Ip.Family.IPV4;
        }
        return Ip.Family.IPV4;
    }

    /** The position of the destination: after an optional type and "to". */
    private static int firstNonKeyword(List<String> w) {
        int i = 0;
        if (i < w.size() && w.get(i).equalsIgnoreCase("type")) i++;
        if (i < w.size() && ROUTE_TYPES.contains(w.get(i).toLowerCase(Locale.ROOT))) i++;
        if (i < w.size() && w.get(i).equalsIgnoreCase("to")) i++;
        return i;
    }

    private static Prefix selector(String text, Cursor c) {
        if (text.equals("all") || text.equals("default") || text.equals("any")) return null;
        Prefix p = prefix(text, c, false, Ip.familyOf(text));
        return p.len() == 0 ? null : p;
    }

    /** CIDR as iproute2 takes it; for routes it refuses host bits ("Invalid prefix for given prefix length"). */
    static Prefix prefix(String text, Cursor c, boolean strict, Ip.Family family) {
        Prefix p;
        try {
            p = Prefix.parse(text, family);
        } catch (IllegalArgumentException e) {
            throw c.error("not a prefix: " + text);
        }
        if (p.family() != family) throw c.error(text + " is not an " + family.word() + " prefix");
        if (strict && !text.equals("default") && !text.equals("all") && !text.equals("any")) {
            int slash = text.indexOf('/');
            Ip addr = address(slash < 0 ? text : text.substring(0, slash), c);
            if (!addr.equals(p.addr()))
                throw c.error("invalid prefix for given prefix length: " + text + " (the network is " + p + ")");
        }
        return p;
    }

    private static Ip address(String text, Cursor c) {
        try {
            return Ip.parse(text);
        } catch (IllegalArgumentException e) {
            throw c.error(e.getMessage());
        }
    }

    private static int table(String text, Cursor c, Map<String, Integer> tables) {
        Integer known = TableNames.known(text);
        if (known == null) known = tables.get(text);
        if (known == null)
            throw c.error("unknown table \"" + text + "\": use a number, or name it in the host's \"tables\" (as rt_tables does)");
        if (known == 0) throw c.error("table 0 (unspec) cannot hold routes");
        return known;
    }

    private static String scope(String text, Cursor c) {
        return switch (text) {
            case "global", "universe", "0" -> "global";
            case "link", "253" -> "link";
            case "host", "254" -> "host";
            case "site", "200" -> "site";
            case "nowhere", "255" -> "nowhere";
            default -> throw c.error("unknown scope \"" + text + "\"");
        };
    }

    private static long number(String text, Cursor c, long max) {
        try {
            long v = JsonObject.parseNumber(text);
            if (v < 0 || v > max) throw c.error("out of range: " + text);
            return v;
        } catch (NumberFormatException e) {
            throw c.error("not a number: " + text);
        }
    }

    /** Words of one command with the position of the reader, for "keyword value" pairs. */
    private static final class Cursor {
        private final List<String> words;
        private final Source source;
        private int at;

        Cursor(List<String> words, Source source) { this.words = words; this.source = source; }

        boolean hasNext() { return at < words.size(); }
        String peek() { return hasNext() ? words.get(at).toLowerCase(Locale.ROOT) : ""; }
        boolean peekIs(String w) { return peek().equals(w); }
        String next() { return words.get(at++); }
        String last() { return words.get(at - 1); }

        String value(String keyword) {
            if (!hasNext()) throw error("\"" + keyword + "\" needs a value");
            return next();
        }

        roundtrip.model.InputException error(String message) {
            return InputErrors.at(source.file(), source.line(), message + ": " + source.text());
        }
    }
}
