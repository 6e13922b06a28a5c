package roundtrip.importer;

import com.fasterxml.jackson.databind.JsonNode;
import roundtrip.model.Host;
import roundtrip.model.InputException;
import roundtrip.model.Ip;
import roundtrip.model.Network;
import roundtrip.model.Packet;
import roundtrip.model.Probe;
import roundtrip.model.Source;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads a probe file (design §1c): a JSON array of
 * {"id", "from", "src", "to" ("ip" or "ip:port"), "proto", "dport", "target", "expect"}. Unknown fields are
 * ignored, except one edit away from a known one (a typo). Errors name the file and the line where the offending
 * probe object (or key) starts.
 */
public final class ProbeReader {
    private ProbeReader() {}

    /** A probe with where it was written, for errors found later (e.g. by {@link #validate}). */
    public record LocatedProbe(Probe probe, Source source) {}

    private static final Set<String> EXPECTATIONS = Set.of("ROUND_TRIP_OK", "REQUEST_LOST", "REPLY_LOST");

    /** @throws InputException naming file and line for malformed input */
    public static List<Probe> read(Path file) {
        return readLocated(file).stream().map(LocatedProbe::probe).toList();
    }

    /** Like {@link #read(Path)}, keeping each probe's file and line. The file is named as given. */
    public static List<LocatedProbe> readLocated(Path file) {
        String name = file.toString();
        return parse(name, LocatedJson.readText(file, name));
    }

    /** Parses probe-file text; {@code file} is the name used in messages. */
    public static List<LocatedProbe> parse(String file, String text) {
        LocatedJson doc = LocatedJson.parse(file, text);
        List<LocatedProbe> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        JsonNode array = doc.rootArray();
        for (int index = 1; index <= array.size(); index++) {
            JsonNode node = array.get(index - 1);
            int line = doc.elementLine(array, index - 1, 1);
            if (!node.isObject()) throw InputErrors.at(file, line, "a probe must be a JSON object");
            Probe p = fromNode(new JsonObject(doc, node, line), index);
            if (!ids.add(p.id())) throw InputErrors.at(file, line, "duplicate probe id \"" + p.id() + "\"");
            out.add(new LocatedProbe(p, new Source(file, line, p.describe())));
        }
        return out;
    }

    /**
     * One probe object (also usable for the `probes:` list of a network file read with Jackson YAML).
     * @param index 1-based position, for the default id "probe-N"
     */
    public static Probe fromNode(JsonNode node, int index, String file, int line) {
        LocatedJson standalone = LocatedJson.parse(file, "{}");   // no line table: every error uses {@code line}
        if (!node.isObject()) throw InputErrors.at(file, line, "a probe must be an object");
        return fromNode(new JsonObject(standalone, node, line), index);
    }

    /** The keys of a probe (design §1c). */
    private static final List<String> KEYS = List.of("id", "from", "src", "to", "proto", "dport", "target", "expect");

    /**
     * Design §1c ignores unknown keys, since tools add their own; but a key one edit away from a known one ("form",
     * "dprot", "From"), or a known one of four letters or more written longer ("expected", "protocol"), is a typo whose
     * probe would silently mean something else, and is an error naming it.
     */
    private static void checkKeys(JsonObject o) {
        for (java.util.Iterator<String> it = o.node().fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (KEYS.contains(key)) continue;
            for (String known : KEYS)
                if (oneEditApart(key, known) || known.length() >= 4 && key.toLowerCase(Locale.ROOT).startsWith(known))
                    throw InputErrors.at(o.file(), o.fieldLine(key), "unknown key \"" + key + "\" in a probe: did you mean \""
                            + known + "\"? (keys: " + String.join(", ", KEYS) + "; others are ignored)");
        }
    }

    /** Equal but for case, or one letter changed, added, removed or swapped with its neighbour. */
    static boolean oneEditApart(String a, String b) {
        if (a.equals(b)) return false;
        String x = a.toLowerCase(Locale.ROOT), y = b.toLowerCase(Locale.ROOT);
        if (x.equals(y)) return true;
        if (Math.abs(x.length() - y.length()) > 1) return false;
        if (x.length() == y.length()) {
            int first = -1, diffs = 0;
            for (int i = 0; i < x.length(); i++) if (x.charAt(i) != y.charAt(i)) { if (first < 0) first = i; diffs++; }
            if (diffs == 1) return true;
            return diffs == 2 && first + 1 < x.length() && x.charAt(first) == y.charAt(first + 1) && x.charAt(first + 1) == y.charAt(first);
        }
        String longer = x.length() > y.length() ? x : y, shorter = longer == x ? y : x;
        for (int i = 0; i < longer.length(); i++)
            if ((longer.substring(0, i) + longer.substring(i + 1)).equals(shorter)) return true;
        return false;
    }

    private static Probe fromNode(JsonObject o, int index) {
        checkKeys(o);
        String id = o.string("id");
        if (id == null || id.isBlank()) id = "probe-" + index;
        String from = o.requiredString("from");
        if (from.isBlank()) throw o.error("empty \"from\"");
        Ip src = o.has("src") && o.string("src") != null ? o.ip("src") : null;

        // YAML reads an unquoted [2001:db8::1]:22 as a flow list: its brackets are not an address's
        if (o.node().has("to") && o.node().get("to").isArray())
            throw o.error("\"to\" is a YAML list: quote an IPv6 address in brackets (to: \"[2001:db8::1]:22\")");
        Destination to = destination(o.requiredString("to"), o::error);
        Integer portInTo = to.port();
        Ip dst = to.addr();
        if (src != null && src.family() != dst.family())
            throw o.error("\"src\" " + src + " and \"to\" " + dst + " are of different families");

        String protoText = o.string("proto");
        int proto = protoText == null ? Packet.ICMP : probeProto(protoText, dst, o::error);
        int dport = 0;
        if (proto != Packet.ICMP) {
            String dportText = o.string("dport");
            Integer d = dportText == null ? null : port(o, dportText);
            if (d != null && portInTo != null && !d.equals(portInTo))
                throw o.error("\"to\" says port " + portInTo + " but \"dport\" says " + d);
            if (d == null) d = portInTo;
            if (d == null) throw o.error(Packet.protoName(proto) + " probe needs \"dport\"");
            dport = d;
        } else if (portInTo != null) {
            throw o.error("\"to\" has a port but the probe is icmp (add \"proto\": \"tcp\" or \"udp\")");
        }

        String target = o.string("target");
        String expect = o.string("expect");
        if (expect != null) {
            expect = expect.trim().toUpperCase(Locale.ROOT);
            if (!EXPECTATIONS.contains(expect))
                throw o.error("unknown expect \"" + o.string("expect") + "\" (ROUND_TRIP_OK, REQUEST_LOST or REPLY_LOST)");
        }
        return new Probe(id, from, src, dst, proto, dport, target, expect);
    }

    /**
     * A probe's protocol: tcp, udp or icmp, the ping of the destination's family (an echo request of ICMP or of
     * ICMPv6). "icmpv6" (also "icmp6", "ipv6-icmp", 58) is taken as icmp for an IPv6 destination, and is an error
     * for an IPv4 one, which no ICMPv6 packet reaches.
     */
    public static int probeProto(String text, Ip dst, java.util.function.Function<String, InputException> error) {
        int proto;
        try {
            proto = Packet.protoNumber(text.trim());
        } catch (IllegalArgumentException e) {
            throw error.apply("unknown proto \"" + text + "\" (icmp, tcp or udp)");
        }
        if (proto != Packet.ICMPV6) return proto;
        if (dst.isV4()) throw error.apply("proto " + text.trim() + " to the IPv4 address " + dst + ": ICMPv6 is IPv6's (use icmp)");
        return Packet.ICMP;
    }

    private static int port(JsonObject o, String text) { return port(text, o::error); }

    private static int port(String text, java.util.function.Function<String, InputException> error) {
        try {
            int p = Integer.parseInt(text.trim());
            if (p >= 1 && p <= 65535) return p;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw error.apply("not a port number: " + text);
    }

    /** A probe's destination and the port written with it (null when none). */
    public record Destination(Ip addr, Integer port) {}

    /**
     * "ADDR" or "ADDR:PORT" of either family, an IPv6 address with a port in brackets ("[2001:db8::1]:22", as ss
     * and URLs write it); a bare IPv6 address has no port. @param error makes the exception for a message
     */
    public static Destination destination(String text, java.util.function.Function<String, InputException> error) {
        String t = text.trim();
        String addr = t;
        Integer port = null;
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0) throw error.apply("no closing ] in " + t);
            addr = t.substring(1, close);
            String rest = t.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) throw error.apply("expected [ADDR]:PORT, got " + t);
                port = port(rest.substring(1), error);
            }
        } else if (t.indexOf(':') >= 0 && t.indexOf(':') == t.lastIndexOf(':')) {
            addr = t.substring(0, t.indexOf(':'));
            port = port(t.substring(t.indexOf(':') + 1), error);
        }
        if (addr.indexOf('%') >= 0)
            throw error.apply("a zone (" + addr.substring(addr.indexOf('%')) + ") in " + t + " is not taken: write the address "
                    + "alone (the interface follows from the routes; --src picks the source)");
        try {
            return new Destination(Ip.parse(addr), port);
        } catch (IllegalArgumentException e) {
            throw error.apply(e.getMessage());
        }
    }

    /**
     * Checks probes against the network: {@code from} and {@code target} must be hosts, and {@code src} an
     * address of an interface of {@code from}.
     * @throws InputException at the probe's file and line
     */
    public static void validate(List<LocatedProbe> probes, Network network) {
        for (LocatedProbe lp : probes) {
            Probe p = lp.probe();
            Source s = lp.source();
            Host from = network.host(p.from());
            if (from == null)
                throw InputErrors.at(s.file(), s.line(), "probe " + p.id() + ": unknown host \"" + p.from() + "\"");
            if (p.target() != null && network.host(p.target()) == null)
                throw InputErrors.at(s.file(), s.line(), "probe " + p.id() + ": unknown target host \"" + p.target() + "\"");
            if (p.src() != null && !from.ownsAddress(p.src()))
                throw InputErrors.at(s.file(), s.line(), "probe " + p.id() + ": " + p.from() + " has no address "
                        + p.src());
        }
    }
}
