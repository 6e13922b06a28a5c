package roundtrip.importer;

import roundtrip.model.Ip;
import roundtrip.model.Message;
import roundtrip.model.Prefix;
import roundtrip.model.Problem;
import roundtrip.model.Route;
import roundtrip.model.RouteType;
import roundtrip.model.Source;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads `ip -j -d route show table all` and `ip -6 -j -d route show table all`. The first prints IPv6 routes too
 * (iproute2 >= 6.1: fe80::/64, ff00::/8, `default` via an IPv6 gateway, IPv6 error routes on lo): each route is
 * loaded with its family, recognised by {@link #family}. Multipath routes keep their first next hop (a Problem says so).
 */
public final class IpRouteReader {
    private IpRouteReader() {}

    /** A parsed file before table names are resolved (so routes and rules of a host share stand-ins). */
    static final class Parsed {
        final LocatedJson doc;
        final List<JsonObject> entries;

        Parsed(LocatedJson doc, List<JsonObject> entries) { this.doc = doc; this.entries = entries; }
    }

    static Parsed parse(String file, String text) {
        LocatedJson doc = LocatedJson.parse(file, text);
        return new Parsed(doc, JsonObject.objects(doc, doc.rootArray(), 1));
    }

    /** Reads a file on its own (table names resolved only against the reserved names); each route's family as it says. */
    public static List<Route> read(String file, String text, List<Problem> problems) {
        Parsed parsed = parse(file, text);
        TableNames tables = new TableNames(problems);
        noteTables(parsed, tables);
        return routes(parsed, tables, null, problems);
    }

    static void noteTables(Parsed parsed, TableNames tables) {
        for (JsonObject o : parsed.entries) {
            String t = o.string("table");
            if (t != null) tables.noteNumber(t);
        }
    }

    /** @param fileFamily the family of every route of the file (ip -6 route), or null to recognise each route's */
    static List<Route> routes(Parsed parsed, TableNames tables, Ip.Family fileFamily, List<Problem> problems) {
        List<Route> out = new ArrayList<>();
        for (JsonObject o : parsed.entries) {
            Route r = route(o, tables, family(o, fileFamily), problems);
            if (r != null) out.add(r);
        }
        return out;
    }

    /**
     * A route's family, as far as its own fields tell: the file's; else a "family" field; else the family of its
     * destination, gateway (RTA_GATEWAY, always the route's family; not "via", RTA_VIA, which may differ),
     * preferred source or first next hop's gateway; else IPv6 when it has a "pref" (RTA_PREF, which only IPv6 routes
     * carry: `blackhole default table 200` of `ip -6 route` has nothing else to tell it from IPv4's); else IPv4.
     */
    static Ip.Family family(JsonObject o, Ip.Family fileFamily) {
        if (fileFamily != null) return fileFamily;
        Ip.Family stated = Ip.Family.ofIproute(o.string("family"));
        if (stated != null) return stated;
        String dst = o.string("dst");
        if (dst != null && !dst.equals("default")) return Ip.familyOf(dst);
        for (String field : new String[] {"gateway", "prefsrc"}) {
            String text = o.string(field);
            if (text != null) return Ip.familyOf(text);
        }
        List<JsonObject> nexthops = o.objects("nexthops");
        if (!nexthops.isEmpty() && nexthops.get(0).string("gateway") != null) return Ip.familyOf(nexthops.get(0).string("gateway"));
        return o.has("pref") ? Ip.Family.IPV6 : Ip.Family.IPV4;
    }

    private static Route route(JsonObject o, TableNames tables, Ip.Family family, List<Problem> problems) {
        String dstText = o.requiredString("dst");
        Prefix dst = prefix(o, dstText, family);
        String typeText = o.string("type");
        RouteType type;
        try {
            type = RouteType.parse(typeText);
        } catch (IllegalArgumentException e) {
            throw o.error("unknown route type \"" + typeText + "\"");
        }
        String tableText = o.string("table");
        Source bare = new Source(o.file(), o.line(), dstText);
        int table = tableText == null ? Route.TABLE_MAIN : tables.resolve(tableText, bare);

        Ip gateway = null;
        String dev = o.string("dev");
        List<String> flags = o.strings("flags");
        if (o.has("gateway")) gateway = address(o, o.requiredString("gateway"), family, "gateway");
        List<JsonObject> nexthops = o.objects("nexthops");
        Message unsupported = null;
        if (!nexthops.isEmpty()) {
            JsonObject first = nexthops.get(0);
            if (first.has("gateway")) gateway = address(first, first.requiredString("gateway"), family, "gateway");
            if (dev == null) dev = first.string("dev");
            flags = new ArrayList<>(flags);
            flags.addAll(first.strings("flags"));
            unsupported = Message.of(Sentences.ROUTE_MULTIPATH, nexthops.size());
        }
        if (o.has("via")) {
            // RTA_VIA: a gateway of another family, e.g. "via inet6 fe80::1" for an IPv4 route
            JsonObject via = o.object("via");
            String host = via == null ? null : via.string("host");
            if (host != null && Ip.familyOf(host) == family) gateway = address(o, host, family, "via");
            else unsupported = Message.of(Sentences.ROUTE_VIA_OTHER_FAMILY, family == Ip.Family.IPV4 ? "IPv6" : "IPv4", host);
        }
        if (o.has("nhid") && dev == null && gateway == null)
            unsupported = Message.of(Sentences.ROUTE_NEXTHOP_OBJECT, o.string("nhid"));
        if (o.has("encap"))
            unsupported = Message.of(Sentences.ROUTE_ENCAP);

        Ip prefSrc = o.has("prefsrc") ? address(o, o.requiredString("prefsrc"), family, "prefsrc") : null;
        Long metricValue = o.integer("metric");
        long metric = metricValue == null ? 0 : Math.max(0, metricValue);
        String scope = o.string("scope");
        // ip prints no scope for universe; an IPv6 route has none (rt6 dumps say universe, whatever its type)
        if (scope == null) scope = type == RouteType.LOCAL && family == Ip.Family.IPV4 ? "host" : "global";
        Integer tos = tos(o);
        if (tos == null) {
            problems.add(new Problem(new Source(o.file(), o.line(), dstText), Message.of(Sentences.ROUTE_TOS_NAME, o.string("tos"))));
            return null;
        }
        Route r = new Route(table, type, dst, gateway, dev, prefSrc, (int) Math.min(metric, Integer.MAX_VALUE),
                scope, tos, flags.contains("onlink"), Source.NONE);
        Source source = new Source(o.file(), o.line(), tables.restoreNames(r.text()));
        r = new Route(r.table(), r.type(), r.dst(), r.gateway(), r.dev(), r.prefSrc(), r.metric(), r.scope(), r.tos(),
                r.onlink(), source);
        if (unsupported != null) problems.add(new Problem(source, unsupported));
        return r;
    }

    /** A destination of the route's family ("default" is that family's whole space). */
    static Prefix prefix(JsonObject o, String text, Ip.Family family) {
        Prefix p;
        try {
            p = Prefix.parse(text, family);
        } catch (IllegalArgumentException e) {
            throw o.error(e.getMessage());
        }
        if (p.family() != family) throw o.error("destination " + text + " in an " + family.word() + " route");
        return p;
    }

    /** An address field of the route, which must be of the route's family. */
    private static Ip address(JsonObject o, String text, Ip.Family family, String field) {
        Ip a = o.ipValue(text);
        if (a.family() != family) throw o.error("\"" + field + "\" " + text + " in an " + family.word() + " route");
        return a;
    }

    /**
     * "tos" is printed as hex ("0x10") or, when /etc/iproute2/rt_dsfield names the value, as a word ("AF11");
     * 0 when absent, null for a name this reader does not know.
     */
    static Integer tos(JsonObject o) {
        String t = o.string("tos");
        return t == null ? Integer.valueOf(0) : dsfield(t);
    }

    /** The numeric TOS for a number or a name from iproute2's default rt_dsfield; null if unknown. */
    static Integer dsfield(String text) {
        try {
            long v = JsonObject.parseNumber(text);
            if (v < 0 || v > 255) return null;
            return (int) v;
        } catch (NumberFormatException e) {
            return DSFIELD_NAMES.get(text.toUpperCase(Locale.ROOT));
        }
    }

    /** /etc/iproute2/rt_dsfield as shipped (DSCP class names) plus the old TOS names; ip prints these words. */
    private static final java.util.Map<String, Integer> DSFIELD_NAMES = java.util.Map.ofEntries(
            java.util.Map.entry("DEFAULT", 0x00), java.util.Map.entry("AF11", 0x28), java.util.Map.entry("AF12", 0x30),
            java.util.Map.entry("AF13", 0x38), java.util.Map.entry("AF21", 0x48), java.util.Map.entry("AF22", 0x50),
            java.util.Map.entry("AF23", 0x58), java.util.Map.entry("AF31", 0x68), java.util.Map.entry("AF32", 0x70),
            java.util.Map.entry("AF33", 0x78), java.util.Map.entry("AF41", 0x88), java.util.Map.entry("AF42", 0x90),
            java.util.Map.entry("AF43", 0x98), java.util.Map.entry("CS1", 0x20), java.util.Map.entry("CS2", 0x40),
            java.util.Map.entry("CS3", 0x60), java.util.Map.entry("CS4", 0x80), java.util.Map.entry("CS5", 0xa0),
            java.util.Map.entry("CS6", 0xc0), java.util.Map.entry("CS7", 0xe0), java.util.Map.entry("EF", 0xb8),
            java.util.Map.entry("LOWDELAY", 0x10), java.util.Map.entry("THROUGHPUT", 0x08),
            java.util.Map.entry("RELIABILITY", 0x04), java.util.Map.entry("MINCOST", 0x02));
}
