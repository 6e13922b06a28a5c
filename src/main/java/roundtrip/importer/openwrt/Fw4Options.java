package roundtrip.importer.openwrt;

import roundtrip.model.Problem;
import roundtrip.model.Text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The option values of /etc/config/firewall as fw4 reads them (fw4.uc parse_* and parse_options): what a value means,
 * which values are invalid, and what fw4 does then. A section with an invalid value, a list where one value belongs,
 * a negated value where none is allowed, or a required option missing is skipped by fw4 as a whole ("skipped due to
 * invalid options"); {@link Reader#valid} says so and the reason is reported at the option's line.
 */
final class Fw4Options {
    private Fw4Options() {}

    // ------------------------------------------------------------------------------------------- value types

    /** a value that may be negated with a leading "!" */
    interface Negatable { boolean invert(); }

    record Proto(boolean invert, boolean any, String name) implements Negatable {}
    record Port(boolean invert, int min, int max) implements Negatable {
        String text() { return min == max ? Integer.toString(min) : min + "-" + max; }
    }
    record Net(boolean invert, List<Fw4Address> addrs) implements Negatable {}
    record Dev(boolean invert, boolean any, String name) implements Negatable {}
    record Mac(boolean invert, String mac) implements Negatable {}
    /** an ICMP type name or number: its IPv4 and IPv6 meaning (family 0 when it has both) */
    record Icmp(int family, int type, int codeMin, int codeMax, int type6, int code6Min, int code6Max) {}
    record Limit(boolean invert, long rate, String unit) implements Negatable {}
    record Mark(boolean invert, long mark, long mask) implements Negatable {}
    record Dscp(boolean invert, int dscp) implements Negatable {}
    record SetMatch(boolean invert, String name, List<String> dirs) implements Negatable {}
    /** a conntrack helper of fw4's helper list, with the family it is restricted to (0: both) */
    record Helper(boolean invert, String name, int family) implements Negatable {}
    record Weekdays(boolean invert, List<String> days) implements Negatable {}
    record Stamp(Integer year, Integer month, Integer day, int hour, int min, int sec) {}
    /** a zone reference: '*' (any) or an enabled zone */
    record ZoneRef(boolean any, Fw4Translation.Zone zone) {}

    /** how an option is read (fw4.uc PARSE_LIST, FLATTEN_LIST, NO_INVERT, UNSUPPORTED, REQUIRED, DEPRECATED) */
    static final int LIST = 1, NO_INVERT = 4, UNSUPPORTED = 8, REQUIRED = 16, DEPRECATED = 32;

    /**
     * Reads one section's options as fw4's parse_options does; every problem fw4 warns about is reported at its
     * line. Options that fw4 does not know are reported too (fw4 ignores them with a warning).
     */
    static final class Reader {
        final Uci uci;
        final Uci.Section s;
        final String label;
        final List<Problem> problems;
        private final Set<String> known = new LinkedHashSet<>();
        private boolean valid = true;

        Reader(Uci uci, Uci.Section s, String label, List<Problem> problems) {
            this.uci = uci;
            this.s = s;
            this.label = label;
            this.problems = problems;
        }

        /** False when fw4 skips the section for one of its values. */
        boolean valid() { return valid; }

        int line(String key) {
            int l = s.lineOf(key);
            return l > 0 ? l : s.line;
        }

        void warn(String key, String message) {
            int line = key == null ? s.line : line(key);
            problems.add(new Problem(uci.source(line, label), roundtrip.model.Message.text(message)));   // firewall4's own words
        }

        /** A single value (parse_opt): a list is invalid, as is a value {@code parse} returns null for. */
        <T> T opt(String key, Function<String, T> parse, String dflt, int flags) {
            known.add(key);
            if (s.isList(key)) return invalid(key, "option '" + key + "' must not be a list");
            String v = s.get(key);
            if (v == null) {
                if ((flags & REQUIRED) != 0) return invalid(key, "option '" + key + "' is mandatory but not set");
                v = dflt;
            }
            if (v == null) return null;
            T res = parse.apply(v);
            if (res == null) return invalid(key, "option '" + key + "' specifies invalid value '" + v + "'");
            return kept(key, res, flags);
        }

        /** A list (parse_list): each item, an option split at spaces; one invalid item makes the section invalid. */
        <T> List<T> list(String key, Function<String, T> parse, String dflt, int flags) {
            known.add(key);
            List<String> items = new ArrayList<>();
            if (s.has(key)) for (Uci.Value v : s.list(key)) items.add(v.text());
            else if ((flags & REQUIRED) != 0) return invalid(key, "option '" + key + "' is mandatory but not set");
            else if (dflt != null) for (String p : dflt.trim().split("[ \\t]+")) if (!p.isEmpty()) items.add(p);
            List<T> out = new ArrayList<>();
            for (String item : items) {
                T res = parse.apply(item);
                if (res == null) return invalid(key, "option '" + key + "' specifies invalid value '" + item + "'");
                out.add(res);   // fw4 checks NO_INVERT on single values only
            }
            if (out.isEmpty()) return null;
            if ((flags & (UNSUPPORTED | DEPRECATED)) != 0) return kept(key, out, flags);
            return out;
        }

        /** Options fw4 does not know: a warning each, as fw4 gives. */
        void unknownOptions() {
            for (String k : s.keys())
                if (!known.contains(k) && !k.equals("type"))
                    warn(k, "specifies unknown option '" + k + "' (fw4 ignores it)");
        }

        private <T> T kept(String key, T res, int flags) {
            if ((flags & NO_INVERT) != 0 && inverted(res)) return invalid(key, "option '" + key + "' must not be negated");
            if ((flags & DEPRECATED) != 0) { warn(key, "option '" + key + "' is deprecated by fw4 (ignored)"); return null; }
            if ((flags & UNSUPPORTED) != 0) { warn(key, "option '" + key + "' is not supported by fw4 (ignored)"); return null; }
            return res;
        }

        private <T> T invalid(String key, String message) {
            warn(key, message + ": fw4 skips the section");
            valid = false;
            return null;
        }

        private static boolean inverted(Object v) { return v instanceof Negatable n && n.invert(); }
    }

    // ------------------------------------------------------------------------------------------- parsers

    /** parse_bool; null for anything else (invalid) */
    static Boolean bool(String v) {
        return switch (v) {
            case "1", "on", "true", "yes" -> true;
            case "0", "off", "false", "no" -> false;
            default -> null;
        };
    }

    /** parse_enum: the first choice that starts with the value, ignoring case ("acc" is accept) */
    static String choice(String v, String... choices) {
        String lower = v.toLowerCase(Locale.ROOT);
        for (String c : choices)
            if (c.length() >= lower.length() && c.substring(0, lower.length()).equalsIgnoreCase(lower)) return c;
        return null;
    }

    static String policy(String v) { return choice(v, "accept", "reject", "drop"); }

    static String target(String v) {
        return choice(v, "accept", "reject", "drop", "notrack", "helper", "mark", "dscp", "dnat", "snat", "masquerade");
    }

    static String rejectCode(String v) { return choice(v, "tcp-reset", "port-unreachable", "admin-prohibited", "host-unreachable", "no-route"); }

    /** parse_family: any/all/* is 0, "inet" or anything with a 4 is IPv4, anything else with a 6 IPv6 */
    static Integer family(String v) {
        if (v.equals("any") || v.equals("all") || v.equals("*")) return 0;
        if (v.equals("inet") || v.contains("4")) return 4;
        if (v.contains("6")) return 6;
        return null;
    }

    private record Inverted(boolean invert, String val) {}

    /** parse_invert: a leading "!" negates; null when nothing is left */
    private static Inverted invert(String v) {
        Matcher m = Pattern.compile("^[ \\t]*!").matcher(v);
        boolean inv = m.find();
        String rest = (inv ? v.substring(m.end()) : v).strip();
        return rest.isEmpty() ? null : new Inverted(inv, rest);
    }

    static Dev device(String v) {
        Inverted i = invert(v);
        if (i == null) return null;
        return i.val().equals("*") ? new Dev(i.invert(), true, null) : new Dev(i.invert(), false, i.val());
    }

    /** parse_direction: in/ingress is false, out/egress true */
    static Boolean direction(String v) {
        return switch (v) {
            case "in", "ingress" -> false;
            case "out", "egress" -> true;
            default -> null;
        };
    }

    static SetMatch setMatch(String v) {
        Inverted i = invert(v);
        if (i == null) return null;
        Matcher m = Pattern.compile("^[^ \\t]+").matcher(i.val());
        if (!m.find()) return null;
        String rest = i.val().substring(m.end()).strip();
        List<String> dirs = new ArrayList<>();
        String[] d = rest.split("[ \\t,]");
        for (int k = 0; k < 3 && k < d.length; k++)
            dirs.add(d[k].equals("dst") || d[k].equals("dest") ? "dst" : d[k].equals("src") ? "src" : null);
        return new SetMatch(i.invert(), m.group(), dirs);
    }

    /**
     * The conntrack helpers fw4 ships in /usr/share/firewall4/helpers, with their family (0: both); a helper option
     * naming another one is invalid.
     */
    static final Map<String, Integer> HELPERS = Map.ofEntries(Map.entry("amanda", 0), Map.entry("ftp", 0), Map.entry("RAS", 0),
            Map.entry("Q.931", 0), Map.entry("irc", 4), Map.entry("netbios-ns", 4), Map.entry("pptp", 4), Map.entry("sane", 0),
            Map.entry("sip", 0), Map.entry("snmp", 4), Map.entry("tftp", 0), Map.entry("rtsp", 4));

    static Helper helper(String v) {
        Inverted i = invert(v);
        return i != null && HELPERS.containsKey(i.val()) ? new Helper(i.invert(), i.val(), HELPERS.get(i.val())) : null;
    }

    /** parse_protocol: all/any/* is any, numbers 1/6/17/58 are named, tcpudp is both; FLATTEN_LIST spreads it */
    static List<Proto> protocol(String v) {
        Inverted i = invert(v);
        if (i == null) return null;
        String p = i.val().toLowerCase(Locale.ROOT);
        return switch (p) {
            case "all", "any", "*" -> List.of(new Proto(i.invert(), true, null));
            case "1", "icmp" -> List.of(new Proto(i.invert(), false, "icmp"));
            case "58", "icmpv6", "ipv6-icmp" -> List.of(new Proto(i.invert(), false, "ipv6-icmp"));
            case "tcpudp" -> List.of(new Proto(i.invert(), false, "tcp"), new Proto(i.invert(), false, "udp"));
            case "6" -> List.of(new Proto(i.invert(), false, "tcp"));
            case "17" -> List.of(new Proto(i.invert(), false, "udp"));
            default -> List.of(new Proto(i.invert(), false, p));
        };
    }

    static Mac mac(String v) {
        Inverted i = invert(v);
        if (i == null) return null;
        Matcher m = Pattern.compile("^([0-9a-f]{1,2})[:-]([0-9a-f]{1,2})[:-]([0-9a-f]{1,2})[:-]([0-9a-f]{1,2})[:-]([0-9a-f]{1,2})[:-]([0-9a-f]{1,2})$",
                Pattern.CASE_INSENSITIVE).matcher(i.val());
        if (!m.matches()) return null;
        StringBuilder sb = new StringBuilder();
        for (int k = 1; k <= 6; k++) sb.append(k > 1 ? ":" : "").append(String.format("%02x", Integer.parseInt(m.group(k), 16)));
        return new Mac(i.invert(), sb.toString());
    }

    static Port port(String v) {
        Inverted i = invert(v);
        if (i == null) return null;
        Matcher m = Pattern.compile("^([0-9]{1,5})([-:]([0-9]{1,5}))?$").matcher(i.val());
        if (!m.matches()) return null;
        int min = Integer.parseInt(m.group(1)), max = m.group(3) != null ? Integer.parseInt(m.group(3)) : min;
        if (min > max || max > 65535) return null;
        return new Port(i.invert(), min, max);
    }

    /** parse_network: an address, prefix, mask or range, or the name of a network (its addresses, maybe none) */
    static Net network(String v, Map<String, Fw4Translation.Network> networks) {
        Inverted i = invert(v);
        if (i == null) return null;
        List<Fw4Address> a = subnet(i.val(), networks);
        return a == null ? null : new Net(i.invert(), a);
    }

    static List<Fw4Address> subnet(String v, Map<String, Fw4Translation.Network> networks) {
        List<Fw4Address> a = Fw4Address.parse(v);
        if (a != null) return a;
        if (!v.contains("/") && !v.contains("-") && networks.containsKey(v)) return networks.get(v).addrs();
        return null;
    }

    // ICMP types by name: {IPv4 type, code min, code max} and {IPv6 ...}, the names fw4 accepts
    private static final Map<String, int[]> ICMP4 = new LinkedHashMap<>(), ICMP6 = new LinkedHashMap<>();
    private static void icmp4(String name, int type, int min, int max) { ICMP4.put(name, new int[] {type, min, max}); }
    private static void icmp6(String name, int type, int min, int max) { ICMP6.put(name, new int[] {type, min, max}); }
    static {
        icmp4("any", 255, 0, 255);
        icmp4("echo-reply", 0, 0, 255); icmp4("pong", 0, 0, 255);
        icmp4("destination-unreachable", 3, 0, 255); icmp4("network-unreachable", 3, 0, 0); icmp4("host-unreachable", 3, 1, 1);
        icmp4("protocol-unreachable", 3, 2, 2); icmp4("port-unreachable", 3, 3, 3); icmp4("fragmentation-needed", 3, 4, 4);
        icmp4("source-route-failed", 3, 5, 5); icmp4("network-unknown", 3, 6, 6); icmp4("host-unknown", 3, 7, 7);
        icmp4("network-prohibited", 3, 9, 9); icmp4("host-prohibited", 3, 10, 10); icmp4("TOS-network-unreachable", 3, 11, 11);
        icmp4("TOS-host-unreachable", 3, 12, 12); icmp4("communication-prohibited", 3, 13, 13);
        icmp4("host-precedence-violation", 3, 14, 14); icmp4("precedence-cutoff", 3, 15, 15);
        icmp4("source-quench", 4, 0, 255);
        icmp4("redirect", 5, 0, 255); icmp4("network-redirect", 5, 0, 0); icmp4("host-redirect", 5, 1, 1);
        icmp4("TOS-network-redirect", 5, 2, 2); icmp4("TOS-host-redirect", 5, 3, 3);
        icmp4("echo-request", 8, 0, 255); icmp4("ping", 8, 0, 255);
        icmp4("router-advertisement", 9, 0, 255); icmp4("router-solicitation", 10, 0, 255);
        icmp4("time-exceeded", 11, 0, 255); icmp4("ttl-exceeded", 11, 0, 255); icmp4("ttl-zero-during-transit", 11, 0, 0);
        icmp4("ttl-zero-during-reassembly", 11, 1, 1);
        icmp4("parameter-problem", 12, 0, 255); icmp4("ip-header-bad", 12, 0, 0); icmp4("required-option-missing", 12, 1, 1);
        icmp4("timestamp-request", 13, 0, 255); icmp4("timestamp-reply", 14, 0, 255);
        icmp4("address-mask-request", 17, 0, 255); icmp4("address-mask-reply", 18, 0, 255);

        icmp6("destination-unreachable", 1, 0, 255); icmp6("no-route", 1, 0, 0); icmp6("communication-prohibited", 1, 1, 1);
        icmp6("address-unreachable", 1, 3, 3); icmp6("port-unreachable", 1, 4, 4);
        icmp6("packet-too-big", 2, 0, 255);
        icmp6("time-exceeded", 3, 0, 255); icmp6("ttl-exceeded", 3, 0, 255); icmp6("ttl-zero-during-transit", 3, 0, 0);
        icmp6("ttl-zero-during-reassembly", 3, 1, 1);
        icmp6("parameter-problem", 4, 0, 255); icmp6("bad-header", 4, 0, 0); icmp6("unknown-header-type", 4, 1, 1);
        icmp6("unknown-option", 4, 2, 2);
        icmp6("echo-request", 128, 0, 255); icmp6("ping", 128, 0, 255); icmp6("echo-reply", 129, 0, 255); icmp6("pong", 129, 0, 255);
        icmp6("multicast-listener-query", 130, 0, 255); icmp6("multicast-listener-report", 131, 0, 255);
        icmp6("multicast-listener-done", 132, 0, 255); icmp6("router-solicitation", 133, 0, 255);
        icmp6("router-advertisement", 134, 0, 255); icmp6("neighbour-solicitation", 135, 0, 255);
        icmp6("neighbor-solicitation", 135, 0, 255); icmp6("neighbour-advertisement", 136, 0, 255);
        icmp6("neighbor-advertisement", 136, 0, 255); icmp6("redirect", 137, 0, 255); icmp6("router-renumbering", 138, 0, 255);
        icmp6("node-info-query", 139, 0, 255); icmp6("node-info-response", 140, 0, 255);
        icmp6("inverse-neighbour-discovery-solicitation-message", 141, 0, 255);
        icmp6("inverse-neighbor-discovery-solicitation-message", 141, 0, 255);
        icmp6("inverse-neighbour-discovery-advertisement-message", 142, 0, 255);
        icmp6("inverse-neighbor-discovery-advertisement-message", 142, 0, 255);
        icmp6("v2-multicast-listener-report", 143, 0, 255);
        icmp6("home-agent-address-discovery-request-message", 144, 0, 255);
        icmp6("home-agent-address-discovery-reply-message", 145, 0, 255);
        icmp6("mobile-prefix-solicitation", 146, 0, 255); icmp6("mobile-prefix-advertisement", 147, 0, 255);
        icmp6("certification-path-solicitation-message", 148, 0, 255);
        icmp6("certification-path-advertisement-message", 149, 0, 255); icmp6("seamoby-protocol-message", 150, 0, 255);
        icmp6("multicast-router-advertisement", 151, 0, 255); icmp6("multicast-router-solicitation", 152, 0, 255);
        icmp6("multicast-router-termination", 153, 0, 255); icmp6("fmipv6-message", 154, 0, 255);
        icmp6("rpl-control-message", 155, 0, 255); icmp6("ilnpv6-locator-update-message", 156, 0, 255);
        icmp6("duplicate-address-request", 157, 0, 255); icmp6("duplicate-address-confirmation", 158, 0, 255);
        icmp6("mpl-control-message", 159, 0, 255); icmp6("extended-echo-request", 160, 0, 255);
        icmp6("extended-ping", 160, 0, 255); icmp6("extended-echo-reply", 161, 0, 255); icmp6("extended-pong", 161, 0, 255);
    }

    /** parse_icmptype: a name (IPv4, IPv6 or both), or TYPE[/CODE] for both families */
    static Icmp icmpType(String v) {
        int[] a = ICMP4.get(v), b = ICMP6.get(v);
        if (a != null || b != null) {
            int family = a != null && b != null ? 0 : a != null ? 4 : 6;
            return new Icmp(family, a != null ? a[0] : -1, a != null ? a[1] : -1, a != null ? a[2] : -1,
                    b != null ? b[0] : -1, b != null ? b[1] : -1, b != null ? b[2] : -1);
        }
        Matcher m = Pattern.compile("^([0-9]+)(/([0-9]+))?$").matcher(v);
        if (!m.matches()) return null;
        int type = Integer.parseInt(m.group(1));
        int min = m.group(3) != null ? Integer.parseInt(m.group(3)) : 0, max = m.group(3) != null ? min : 255;
        if (type > 255 || min > 255) return null;
        return new Icmp(0, type, min, max, type, min, max);
    }

    /** parse_limit: N[/second|minute|hour|day], the unit may be abbreviated */
    static Limit limit(String v) {
        Inverted i = invert(v);
        if (i == null) return null;
        Matcher m = Pattern.compile("^([0-9]+)(/([a-z]+))?$").matcher(i.val());
        if (!m.matches()) return null;
        String unit = m.group(3) == null ? "second" : choice(m.group(3), "second", "minute", "hour", "day");
        return unit == null ? null : new Limit(i.invert(), Long.parseLong(m.group(1)), unit);
    }

    /** parse_int: a decimal or 0x number */
    static Long integer(String v) {
        String t = v.strip();
        try {
            if (t.matches("-?0[xX][0-9a-fA-F]+")) return Long.decode(t);
            if (t.matches("-?[0-9]+")) return Long.parseLong(t);
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }

    static Stamp date(String v) {
        Matcher d = Pattern.compile("^([0-9]{4})(-([0-9]{1,2})(-([0-9]{1,2})(T([0-9:]+))?)?)?$").matcher(v);
        if (!d.matches()) return null;
        int year = Integer.parseInt(d.group(1));
        int month = d.group(3) != null ? Integer.parseInt(d.group(3)) : 1, day = d.group(5) != null ? Integer.parseInt(d.group(5)) : 1;
        if (year < 1970 || year > 2038 || month > 12 || day > 31) return null;
        Stamp t = time(d.group(7) != null ? d.group(7) : "0");
        if (t == null) return null;
        return new Stamp(year, Math.max(month, 1), Math.max(day, 1), t.hour(), t.min(), t.sec());
    }

    static Stamp time(String v) {
        Matcher t = Pattern.compile("^([0-9]{1,2})(:([0-9]{1,2})(:([0-9]{1,2}))?)?$").matcher(v);
        if (!t.matches()) return null;
        int h = Integer.parseInt(t.group(1)), m = t.group(3) != null ? Integer.parseInt(t.group(3)) : 0,
                s = t.group(5) != null ? Integer.parseInt(t.group(5)) : 0;
        if (h > 23 || m > 59 || s > 59) return null;
        return new Stamp(null, null, null, h, m, s);
    }

    static Weekdays weekdays(String v) {
        Inverted i = invert(v);
        if (i == null) return null;
        Set<String> days = new LinkedHashSet<>();
        for (String d : i.val().trim().split("[ \\t]+")) {
            String day = choice(d, "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday");
            if (day == null) return null;
            days.add(day);
        }
        return days.isEmpty() ? null : new Weekdays(i.invert(), List.copyOf(days));
    }

    static Object monthdays(String v) {
        Inverted i = invert(v);
        if (i == null) return null;
        for (String d : i.val().trim().split("[ \\t]+")) {
            Long n = integer(d);
            if (n == null || n < 1 || n > 31) return null;
        }
        return i.val();
    }

    static Mark mark(String v) {
        Inverted i = invert(v);
        if (i == null) return null;
        Matcher m = Pattern.compile("^(0?x?[0-9a-f]+)(/(0?x?[0-9a-f]+))?$", Pattern.CASE_INSENSITIVE).matcher(i.val());
        if (!m.matches()) return null;
        Long mark = number(m.group(1)), mask = m.group(3) != null ? number(m.group(3)) : Long.valueOf(0xffffffffL);
        if (mark == null || mask == null || mark > 0xffffffffL || mask > 0xffffffffL) return null;
        return new Mark(i.invert(), mark, mask);
    }

    /** ucode's +"..." of a mark: decimal, or hexadecimal with 0x */
    private static Long number(String s) {
        String l = s.toLowerCase(Locale.ROOT);
        try {
            if (l.startsWith("0x")) return Long.parseLong(l.substring(2), 16);
            if (Text.isAsciiDigits(l)) return Long.parseLong(l);
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }

    private static final Map<String, Integer> DSCP_CLASSES = Map.ofEntries(Map.entry("CS0", 0x00), Map.entry("CS1", 0x08),
            Map.entry("CS2", 0x10), Map.entry("CS3", 0x18), Map.entry("CS4", 0x20), Map.entry("CS5", 0x28), Map.entry("CS6", 0x30),
            Map.entry("CS7", 0x38), Map.entry("BE", 0x00), Map.entry("LE", 0x01), Map.entry("AF11", 0x0a), Map.entry("AF12", 0x0c),
            Map.entry("AF13", 0x0e), Map.entry("AF21", 0x12), Map.entry("AF22", 0x14), Map.entry("AF23", 0x16),
            Map.entry("AF31", 0x1a), Map.entry("AF32", 0x1c), Map.entry("AF33", 0x1e), Map.entry("AF41", 0x22),
            Map.entry("AF42", 0x24), Map.entry("AF43", 0x26), Map.entry("EF", 0x2e));

    static Dscp dscp(String v) {
        Inverted i = invert(v);
        if (i == null) return null;
        String u = i.val().toUpperCase(Locale.ROOT);
        Integer d = DSCP_CLASSES.get(u);
        if (d == null) {
            Long n = integer(u.toLowerCase(Locale.ROOT));
            if (n == null || n < 0 || n > 0x3f) return null;
            d = n.intValue();
        }
        return new Dscp(i.invert(), d);
    }

    /** parse_ipsettype: [src_|dst_|dest_]ip|port|mac|net|set, abbreviations allowed */
    static String[] ipsetType(String v) {
        Matcher m = Pattern.compile("^(src|dst|dest)_(.+)$").matcher(v);
        String t = choice(m.matches() ? m.group(2) : v, "ip", "port", "mac", "net", "set");
        if (t == null) return null;
        return new String[] {!m.matches() || m.group(1).equals("src") ? "src" : "dst", t};
    }

    static String identifier(String v) { return v.matches("^[a-zA-Z_.][a-zA-Z0-9/_.-]*$") ? v : null; }

    static String string(String v) { return v; }
}
