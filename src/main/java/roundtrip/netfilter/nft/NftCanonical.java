package roundtrip.netfilter.nft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import roundtrip.netfilter.nft.NftTypes.Kind;
import roundtrip.netfilter.nft.NftTypes.Type;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One form for rulesets that mean the same, to compare nft's own JSON with what the text reader made of the same
 * rules, or a saved ruleset with the live one. nft lists what it loaded in its own words: it drops a protocol match
 * that a later header match implies (`ip protocol tcp tcp dport 22` lists as `tcp dport 22`), adds the ones it
 * needs (`icmp type { echo-reply, echo-request }` before `icmp id`), unwraps one-element sets, writes ORed flags as
 * a number or a list, masks as prefixes, and prints set elements in its own order and merged. The canonical form
 * undoes all of that: handles and counter values dropped, symbolic values as numbers, implied matches removed,
 * sets as sorted and merged intervals.
 */
public final class NftCanonical {
    private NftCanonical() {}

    private static final JsonNodeFactory J = JsonNodeFactory.instance;

    /** Per table ("inet filter"): its declarations (chains, sets, objects) and each chain's rules, canonical. */
    public record Table(String name, Map<String, JsonNode> declarations, Map<String, List<JsonNode>> rules) {}

    /** The canonical form of {@code nft -j list ruleset} items (or what the text reader made). */
    public static Map<String, Table> of(JsonNode items) {
        Map<String, Table> tables = new TreeMap<>();
        for (JsonNode item : items) {
            if (!item.isObject() || item.size() != 1) continue;
            String kind = item.fieldNames().next();
            JsonNode body = item.get(kind);
            if (kind.equals("metainfo") || !body.isObject()) continue;
            String family = body.path("family").asText();
            String tableName = kind.equals("table") ? body.path("name").asText() : body.path("table").asText();
            Table t = tables.computeIfAbsent(family + " " + tableName, k -> new Table(k, new TreeMap<>(), new TreeMap<>()));
            switch (kind) {
                case "table" -> t.declarations().put("table", declaration(body, Set.of("family", "name", "flags")));
                case "chain" -> {
                    ObjectNode c = declaration(body, Set.of("family", "table", "name", "type", "hook", "prio", "policy", "dev"));
                    if (c.has("dev")) c.set("dev", sortedList(c.get("dev")));
                    if (c.has("hook") && !c.has("policy")) c.put("policy", "accept");
                    t.declarations().put("chain " + body.path("name").asText(), c);
                    t.rules().computeIfAbsent(body.path("name").asText(), k -> new ArrayList<>());
                }
                case "rule" -> t.rules().computeIfAbsent(body.path("chain").asText(), k -> new ArrayList<>())
                        .add(rule(body, family));
                case "set", "map" -> t.declarations().put("set " + body.path("name").asText(), set(body, family));
                default -> {
                    ObjectNode o = declaration(body, null);
                    if (kind.equals("counter")) o.remove(List.of("packets", "bytes"));
                    if (o.path("burst").asLong(-1) == 0) o.remove(List.of("burst", "burst_unit"));
                    t.declarations().put(kind + " " + body.path("name").asText(), o);
                }
            }
        }
        return tables;
    }

    private static ObjectNode declaration(JsonNode body, Set<String> keep) {
        ObjectNode o = J.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("handle")) continue;
            if (keep != null && !keep.contains(e.getKey())) continue;
            o.set(e.getKey(), e.getValue());
        }
        return o;
    }

    private static JsonNode sortedList(JsonNode v) {
        List<String> items = new ArrayList<>();
        if (v.isArray()) for (JsonNode x : v) items.add(x.asText());
        else items.add(v.asText());
        items.sort(null);
        ArrayNode a = J.arrayNode();
        items.forEach(a::add);
        return a;
    }

    private static JsonNode set(JsonNode body, String family) {
        ObjectNode o = declaration(body, Set.of("family", "table", "name", "type", "map", "flags", "timeout", "elem", "stmt"));
        if (o.has("flags")) {
            List<String> flags = new ArrayList<>();
            for (JsonNode f : (body.get("flags").isArray() ? body.get("flags") : J.arrayNode().add(body.get("flags"))))
                if (!f.asText().equals("dynamic") && !f.asText().equals("constant")) flags.add(f.asText());
            flags.sort(null);
            ArrayNode a = J.arrayNode();
            flags.forEach(a::add);
            o.set("flags", a);
        }
        // a set with a timeout has the timeout flag, whether written or not
        if (body.has("timeout") && !o.path("flags").toString().contains("\"timeout\"")) {
            ArrayNode flags = o.has("flags") ? (ArrayNode) o.get("flags") : o.putArray("flags");
            flags.add("timeout");
            o.set("flags", sortedList(flags));
        }
        if (o.has("map")) o.put("map", o.get("map").isArray() ? String.join(" . ", textsOf(o.get("map"))) : o.get("map").asText());
        if (o.has("type") && o.get("type").isTextual()) o.set("type", J.arrayNode().add(o.get("type")));
        if (o.has("stmt")) o.set("stmt", counterless(o.get("stmt")));
        JsonNode elems = body.get("elem");
        if (elems != null) {
            List<Type> key = setKeyTypes(body.path("type"), family);
            boolean map = body.has("map");
            o.set("elem", elements(elems, key, map));
        }
        return o;
    }

    private static List<String> textsOf(JsonNode a) {
        List<String> out = new ArrayList<>();
        for (JsonNode x : a) out.add(x.asText());
        return out;
    }

    /** The key types of a set declared with type names or typeof. */
    static List<Type> setKeyTypes(JsonNode type, String family) {
        List<Type> out = new ArrayList<>();
        if (type.has("typeof")) {
            JsonNode e = type.get("typeof");
            if (e.has("concat")) for (JsonNode x : e.get("concat")) out.add(NftSelectors.typeOf(x, family));
            else out.add(NftSelectors.typeOf(e, family));
            return out;
        }
        if (type.isArray()) for (JsonNode x : type) out.add(orUnknown(NftTypes.byName(x.asText())));
        else out.add(orUnknown(NftTypes.byName(type.asText())));
        return out;
    }

    private static Type orUnknown(Type t) { return t == null ? Type.UNKNOWN : t; }

    private static JsonNode counterless(JsonNode stmts) {
        ArrayNode out = J.arrayNode();
        for (JsonNode s : stmts) out.add(s.has("counter") && s.get("counter").isObject() ? counterStmt() : s);
        return out;
    }

    /** A counter, whatever it counted (nft lists its numbers, or none when stateless). */
    private static JsonNode counterStmt() {
        ObjectNode o = J.objectNode();
        o.putNull("counter");
        return o;
    }

    // ---------------------------------------------------------------------------------------------- rules

    private static JsonNode rule(JsonNode body, String family) {
        ObjectNode o = J.objectNode();
        if (body.hasNonNull("comment")) o.put("comment", body.get("comment").asText());
        List<JsonNode> exprs = new ArrayList<>();
        for (JsonNode e : body.path("expr")) exprs.add(statement(e, family));
        transportFromProtocol(exprs);
        dropImplied(exprs, family);
        sortMatchRuns(exprs);
        ArrayNode a = o.putArray("expr");
        exprs.forEach(a::add);
        return o;
    }

    /** `meta l4proto tcp th dport 22` is `tcp dport 22`: th's ports are the protocol's the rule selected. */
    private static void transportFromProtocol(List<JsonNode> exprs) {
        String proto = null;
        for (JsonNode e : exprs) {
            JsonNode m = e.path("match");
            if (m.path("op").asText().equals("==") && m.path("left").path("meta").path("key").asText().equals("l4proto")
                    && m.path("right").isIntegralNumber()) {
                long p = m.path("right").longValue();
                proto = p == 6 ? "tcp" : p == 17 ? "udp" : null;
            }
        }
        if (proto == null) return;
        for (int i = 0; i < exprs.size(); i++) {
            String text = exprs.get(i).toString();
            if (text.contains("\"protocol\":\"th\""))
                exprs.set(i, readJson(text.replace("\"protocol\":\"th\"", "\"protocol\":\"" + proto + "\"")));
        }
    }

    private static JsonNode readJson(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Matches in a row are a conjunction: nft lists them in header order after merging loads; sort them. */
    private static void sortMatchRuns(List<JsonNode> exprs) {
        int start = 0;
        while (start < exprs.size()) {
            if (!exprs.get(start).has("match")) { start++; continue; }
            int end = start;
            while (end < exprs.size() && exprs.get(end).has("match")) end++;
            List<JsonNode> run = new ArrayList<>(exprs.subList(start, end));
            run.sort(Comparator.comparing(x -> sorted(x).toString()));
            for (int i = start; i < end; i++) exprs.set(i, run.get(i - start));
            start = end;
        }
    }

    private static JsonNode statement(JsonNode s, String family) {
        if (!s.isObject() || s.size() != 1) return s;
        String k = s.fieldNames().next();
        JsonNode v = s.get(k);
        ObjectNode out = J.objectNode();
        switch (k) {
            case "counter" -> {
                return v.isObject() ? counterStmt() : s;
            }
            case "match" -> {
                return match(v, family);
            }
            case "mangle" -> {
                Type t = NftSelectors.typeOf(v.path("key"), family);
                ObjectNode m = out.putObject("mangle");
                m.set("key", v.path("key"));
                m.set("value", t == null ? v.path("value") : value(v.path("value"), t, family));
                return out;
            }
            case "snat", "dnat", "masquerade", "redirect" -> {
                if (!v.isObject()) return s;
                ObjectNode n = ((ObjectNode) v).deepCopy();
                if (n.path("family").asText().equals(family)) n.remove("family");
                if (n.has("flags")) n.set("flags", sortedList(n.get("flags")));
                if (n.has("addr")) n.set("addr", value(n.get("addr"), Type.UNKNOWN, family));
                if (n.isEmpty()) out.putNull(k);
                else out.set(k, n);
                return out;
            }
            case "queue" -> {
                ObjectNode n = v.isObject() ? ((ObjectNode) v).deepCopy() : J.objectNode();
                if (!n.has("num")) n.put("num", 0);
                if (n.has("flags")) n.set("flags", sortedList(n.get("flags")));
                out.set(k, n);
                return out;
            }
            case "log" -> {
                if (!v.isObject()) return s;
                ObjectNode n = ((ObjectNode) v).deepCopy();
                if (n.path("level").asText().equals("warn")) n.remove("level");
                if (n.has("flags")) {
                    JsonNode flags = sortedList(n.get("flags"));
                    // every flag is "all"
                    n.set("flags", flags.size() == 5 ? J.arrayNode().add("all") : flags);
                }
                if (n.isEmpty()) out.putNull(k);
                else out.set(k, n);
                return out;
            }
            case "vmap" -> {
                ObjectNode m = out.putObject("vmap");
                JsonNode key = v.path("key");
                if (key.has("&") && key.get("&").size() == 2) {
                    // the key under a mask: the mask as one value, as for a match
                    ObjectNode and = J.objectNode();
                    and.putArray("&").add(key.get("&").get(0)).add(value(key.get("&").get(1), NftSelectors.typeOf(key, family), family));
                    key = and;
                }
                m.set("key", key);
                m.set("data", mapData(v.path("data"), v.path("key"), family));
                return out;
            }
            case "set", "map" -> {
                if (!v.has("stmt")) return s;
                ObjectNode n = ((ObjectNode) v).deepCopy();
                n.set("stmt", counterless(v.get("stmt")));
                out.set(k, n);
                return out;
            }
            default -> {
                return s;
            }
        }
    }

    private static JsonNode match(JsonNode m, String family) {
        String op = m.path("op").asText("==");
        JsonNode left = fib(m.path("left"));
        JsonNode right = m.path("right");
        // a one-element set is that element
        if ((op.equals("==") || op.equals("!=")) && right.has("set") && right.get("set").isArray() && right.get("set").size() == 1
                && !right.get("set").get(0).isArray() && !right.get("set").get(0).has("elem"))
            right = right.get("set").get(0);
        left = namedPayload(left);
        Type type = NftSelectors.typeOf(left, family);
        if (type == Type.HOUR && op.equals("in")) op = "==";
        // `mark xor C == V` is `mark == V xor C`
        if (left.has("^") && left.get("^").size() == 2 && left.get("^").get(1).isIntegralNumber() && right.isIntegralNumber()
                && (op.equals("==") || op.equals("!="))) {
            right = J.numberNode(right.longValue() ^ left.get("^").get(1).longValue());
            left = left.get("^").get(0);
        }
        // an hour range across midnight is listed as the hours outside it
        if (type == Type.HOUR && right.has("range") && (op.equals("==") || op.equals("!="))
                && right.get("range").get(0).asText().compareTo(right.get("range").get(1).asText()) > 0) {
            ObjectNode r = J.objectNode();
            r.putArray("range").add(right.get("range").get(1)).add(right.get("range").get(0));
            right = r;
            op = op.equals("==") ? "!=" : "==";
        }
        // `flags & MASK != 0` is `flags MASK`, `flags & MASK == 0` is `! MASK` (what nft lists)
        if (left.has("&") && type != null && type.isBitmask() && right.isIntegralNumber() && right.longValue() == 0
                && (op.equals("!=") || op.equals("=="))) {
            op = op.equals("!=") ? "in" : "!";
            right = left.get("&").get(1);
            left = left.get("&").get(0);
        }
        // an address under a contiguous mask is a prefix; a number under a prefix is a mask
        if (left.has("&") && type == Type.IPV4_ADDR && right.isTextual() && left.get("&").get(1).isTextual()) {
            int len = prefixLength(NftRuleParser.ipv4(left.get("&").get(1).asText()));
            if (len >= 0) {
                ObjectNode pfx = J.objectNode();
                pfx.putObject("prefix").put("addr", right.asText()).put("len", len);
                right = pfx;
                left = left.get("&").get(0);
            }
        }
        if (left.has("fib") && right.isBoolean() && left.get("fib").path("result").asText().equals("oif"))
            ((ObjectNode) left.get("fib")).put("result", "check");
        if (right.has("prefix") && right.get("prefix").path("addr").isIntegralNumber()) {
            int len = right.get("prefix").path("len").asInt();
            long mask = len == 0 ? 0 : (0xffffffffL << (32 - len)) & 0xffffffffL;
            ObjectNode and = J.objectNode();
            and.putArray("&").add(left).add(mask);
            left = and;
            right = right.get("prefix").get("addr");
        }
        ObjectNode out = J.objectNode();
        ObjectNode n = out.putObject("match");
        n.put("op", op);
        if (left.has("&") && left.get("&").isArray() && left.get("&").size() == 2) {
            ObjectNode and = J.objectNode();
            and.putArray("&").add(left.get("&").get(0)).add(value(left.get("&").get(1), type, family));
            left = and;
        }
        n.set("left", left);
        if (left.has("concat")) {
            List<Type> parts = new ArrayList<>();
            for (JsonNode x : left.get("concat")) parts.add(NftSelectors.typeOf(x, family));
            n.set("right", right.has("set") ? setValue(right, parts) : concatValue(right, parts, family));
        } else {
            n.set("right", right.has("set") ? setValue(right, List.of(type == null ? Type.UNKNOWN : type)) : value(right, type, family));
        }
        return out;
    }

    /** A fib expression with its inputs as a list; `oif exists/missing` is the `check` result nft lists. */
    private static JsonNode fib(JsonNode n) {
        if (!n.has("fib")) return n;
        ObjectNode f = ((ObjectNode) n.get("fib")).deepCopy();
        if (f.has("flags") && !f.get("flags").isArray()) f.set("flags", J.arrayNode().add(f.get("flags")));
        ObjectNode o = J.objectNode();
        o.set("fib", f);
        return o;
    }

    /** Raw payload at a header field's place is that field (nft lists `@th,16,16` as `th dport`). */
    private static JsonNode namedPayload(JsonNode left) {
        JsonNode p = left.path("payload");
        if (!p.has("base")) return left;
        String field = switch (p.path("base").asText() + "," + p.path("offset").asInt() + "," + p.path("len").asInt()) {
            case "th,0,16" -> "th sport";
            case "th,16,16" -> "th dport";
            case "nh,96,32" -> "ip saddr";
            case "nh,128,32" -> "ip daddr";
            case "nh,72,8" -> "ip protocol";
            case "nh,64,8" -> "ip ttl";
            default -> null;
        };
        if (field == null) return left;
        ObjectNode o = J.objectNode();
        o.putObject("payload").put("protocol", field.split(" ")[0]).put("field", field.split(" ")[1]);
        return o;
    }

    private static int prefixLength(long mask) {
        int len = Long.numberOfLeadingZeros(~mask & 0xffffffffL) - 32;
        long expect = len == 0 ? 0 : (0xffffffffL << (32 - len)) & 0xffffffffL;
        return expect == mask ? len : -1;
    }

    /**
     * Removes protocol matches another statement implies (as nft does when listing), the ones nft adds itself, and
     * those the table's family implies (`meta protocol ip` in an ip table).
     */
    private static void dropImplied(List<JsonNode> exprs, String family) {
        for (int i = 0; i < exprs.size(); i++) {
            String implied = impliedProtocol(exprs.get(i));
            if (implied == null) continue;
            if (implied.equals("ipv4") && family.equals("ip") || implied.equals("ipv6") && family.equals("ip6")) {
                exprs.remove(i);
                i--;
                continue;
            }
            for (int j = 0; j < exprs.size(); j++) {
                if (j != i && reads(exprs.get(j), implied)) {
                    exprs.remove(i);
                    i--;
                    break;
                }
            }
        }
    }

    /** The header a `meta l4proto P` / `ip protocol P` / `meta nfproto F` match selects; null for another statement. */
    private static String impliedProtocol(JsonNode s) {
        JsonNode m = s.path("match");
        if (!m.isObject() || !m.path("op").asText().equals("==")) return null;
        JsonNode left = m.path("left"), right = m.path("right");
        String key = left.path("meta").path("key").asText(left.path("payload").path("protocol").asText() + " " + left.path("payload").path("field").asText());
        if (key.equals("l4proto") || key.equals("ip protocol") || key.equals("ip6 nexthdr")) {
            Long p = right.isIntegralNumber() ? right.longValue() : null;
            if (p == null) return null;
            String name = NftTypes.PROTO_NAMES.get(p);
            if (name == null) return null;
            return name.equals("ipv6-icmp") ? "icmpv6" : name;
        }
        if (key.equals("nfproto")) return right.isIntegralNumber() ? (right.longValue() == 2 ? "ipv4" : right.longValue() == 10 ? "ipv6" : null) : null;
        if (key.equals("protocol") || key.equals("ether type"))
            return right.isIntegralNumber() ? (right.longValue() == 0x0800 ? "ipv4" : right.longValue() == 0x86dd ? "ipv6"
                    : right.longValue() == 0x8100 ? "vlan" : null) : null;
        if (key.equals("icmp type") || key.equals("icmpv6 type")) {
            // nft's own dependency of `icmp id`/`icmp sequence`: the echo types
            JsonNode set = right.path("set");
            if (set.isArray() && set.size() == 2) return key.startsWith("icmpv6") ? "icmpv6 echo" : "icmp echo";
        }
        return null;
    }

    private static boolean reads(JsonNode s, String protocol) {
        // `reject with tcp reset` answers TCP only: nft adds `meta l4proto tcp` to it
        if (protocol.equals("tcp") && s.path("reject").path("type").asText().equals("tcp reset")) return true;
        if (protocol.endsWith(" echo")) {
            String p = protocol.substring(0, protocol.length() - 5);
            return payloads(s).stream().anyMatch(x -> x.path("protocol").asText().equals(p)
                    && (x.path("field").asText().equals("id") || x.path("field").asText().equals("sequence")));
        }
        // the headers only one family has: ICMP and IGMP come with IPv4, ICMPv6 with IPv6
        if (protocol.equals("ipv4")) return reads(s, "ip") || reads(s, "icmp") || reads(s, "igmp") || s.toString().contains("\"key\":\"ip ")
                || s.path("reject").path("type").asText().equals("icmp");
        if (protocol.equals("ipv6")) return reads(s, "ip6") || reads(s, "icmpv6") || s.toString().contains("\"key\":\"ip6 ")
                || s.path("reject").path("type").asText().equals("icmpv6");
        return payloads(s).stream().anyMatch(x -> x.path("protocol").asText().equals(protocol));
    }

    /** Every payload expression inside a statement (its "payload" objects). */
    private static List<JsonNode> payloads(JsonNode n) {
        List<JsonNode> out = new ArrayList<>();
        if (n.isObject()) {
            if (n.has("payload") && n.get("payload").isObject()) out.add(n.get("payload"));
            n.elements().forEachRemaining(c -> out.addAll(payloads(c)));
        } else if (n.isArray()) {
            for (JsonNode c : n) out.addAll(payloads(c));
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------- values

    /** One value of {@code type}: symbols and protocols as numbers, flag lists and ORs as one bitmask number. */
    private static JsonNode value(JsonNode v, Type type, String family) {
        if (type == null) type = Type.UNKNOWN;
        if (v.has("range") && v.get("range").isArray()) {
            ObjectNode o = J.objectNode();
            o.putArray("range").add(value(v.get("range").get(0), type, family)).add(value(v.get("range").get(1), type, family));
            return o;
        }
        if (v.has("map")) {
            ObjectNode o = J.objectNode();
            ObjectNode m = o.putObject("map");
            m.set("key", v.get("map").path("key"));
            m.set("data", mapData(v.get("map").path("data"), v.get("map").path("key"), family));
            return o;
        }
        if (v.has("prefix") && v.get("prefix").path("len").asInt() == 32 && NftTypes.isIpv4(v.get("prefix").path("addr").asText()))
            return v.get("prefix").get("addr");
        v = flattened(v);
        // (x & m) | v is what the kernel's bitwise does as (x & (m | v)) | v, and nft lists it so; (x & m) ^ v is
        // the same when v has no bit of m
        String orOp = v.has("|") ? "|" : v.has("^") ? "^" : null;
        if (orOp != null && v.get(orOp).size() == 2 && v.get(orOp).get(0).has("&") && v.get(orOp).get(1).isIntegralNumber()
                && v.get(orOp).get(0).get("&").size() == 2 && v.get(orOp).get(0).get("&").get(1).isIntegralNumber()
                && (orOp.equals("|") || (v.get(orOp).get(0).get("&").get(1).longValue() & v.get(orOp).get(1).longValue()) == 0)) {
            v = J.objectNode().set("|", v.get(orOp));
            long or = v.get("|").get(1).longValue();
            ObjectNode and = J.objectNode();
            and.putArray("&").add(v.get("|").get(0).get("&").get(0)).add(v.get("|").get(0).get("&").get(1).longValue() | or);
            ObjectNode o = J.objectNode();
            o.putArray("|").add(and).add(or);
            return o;
        }
        if (type.isBitmask() && (v.isArray() || v.has("|") || v.isTextual())) {
            Long bits = bits(v, type);
            return bits == null ? v : J.numberNode(bits);
        }
        if (v.isTextual() && (type.kind == Kind.SYMBOLIC || type.kind == Kind.PROTO)) {
            Long n = type.kind == Kind.PROTO ? NftTypes.PROTO_NUMBERS.get(v.asText()) : NftTypes.symbols(type).get(v.asText());
            if (n != null) return J.numberNode(n);
        }
        return v;
    }

    /**
     * `a | b | c` however nested, its operands in one order with the constants folded last (nft lists an OR of
     * expressions flat, and puts the expression before the constant).
     */
    private static JsonNode flattened(JsonNode v) {
        if (!v.isObject() || v.size() != 1) return v;
        String op = v.fieldNames().next();
        if (!(op.equals("|") || op.equals("&") || op.equals("^")) || !v.get(op).isArray()) return v;
        List<JsonNode> parts = new ArrayList<>();
        collect(op, v, parts);
        parts.replaceAll(NftCanonical::flattened);
        boolean allNumbers = parts.stream().allMatch(JsonNode::isIntegralNumber);
        if (allNumbers) return v;
        List<JsonNode> exprs = new ArrayList<>();
        Long constant = null;
        for (JsonNode x : parts) {
            if (x.isIntegralNumber()) {
                long c = x.longValue();
                constant = constant == null ? c : switch (op) {
                    case "|" -> constant | c;
                    case "&" -> constant & c;
                    default -> constant ^ c;
                };
            } else {
                exprs.add(x);
            }
        }
        exprs.sort(Comparator.comparing(x -> sorted(x).toString()));
        if (constant != null) exprs.add(J.numberNode(constant));
        if (exprs.size() == 1) return exprs.get(0);
        if (exprs.size() == 2) {
            ObjectNode o = J.objectNode();
            o.putArray(op).add(exprs.get(0)).add(exprs.get(1));
            return o;
        }
        ObjectNode o = J.objectNode();
        ArrayNode a = o.putArray(op);
        exprs.forEach(a::add);
        return o;
    }

    private static void collect(String op, JsonNode v, List<JsonNode> into) {
        if (v.isObject() && v.size() == 1 && v.has(op) && v.get(op).isArray()) {
            for (JsonNode x : v.get(op)) collect(op, x, into);
        } else {
            into.add(v);
        }
    }

    private static Long bits(JsonNode v, Type type) {
        if (v.isIntegralNumber()) return v.longValue();
        if (v.isTextual()) return NftTypes.symbols(type).get(v.asText());
        JsonNode list = v.isArray() ? v : v.get("|");
        if (list == null || !list.isArray()) return null;
        long out = 0;
        for (JsonNode x : list) {
            Long b = bits(x, type);
            if (b == null) return null;
            out |= b;
        }
        return out;
    }

    private static JsonNode concatValue(JsonNode v, List<Type> parts, String family) {
        JsonNode c = v.path("concat");
        if (!c.isArray()) return v;
        ArrayNode a = J.arrayNode();
        for (int i = 0; i < c.size(); i++) a.add(value(c.get(i), i < parts.size() ? parts.get(i) : Type.UNKNOWN, family));
        ObjectNode o = J.objectNode();
        o.set("concat", a);
        return o;
    }

    private static JsonNode setValue(JsonNode v, List<Type> types) {
        ObjectNode o = J.objectNode();
        o.set("set", elements(v.get("set"), types, false));
        return o;
    }

    private static JsonNode mapData(JsonNode data, JsonNode key, String family) {
        if (!data.has("set")) return data;
        List<Type> types = new ArrayList<>();
        if (key.has("concat")) for (JsonNode x : key.get("concat")) types.add(NftSelectors.typeOf(x, family));
        else types.add(orUnknown(NftSelectors.typeOf(key, family)));
        ObjectNode o = J.objectNode();
        o.set("set", elements(data.get("set"), types, true));
        return o;
    }

    /**
     * Set elements in one order; for a single key of addresses or numbers, as merged intervals [low, high] (nft
     * merges and splits ranges as it stores them in the kernel).
     */
    private static ArrayNode elements(JsonNode elems, List<Type> types, boolean map) {
        List<JsonNode> out = new ArrayList<>();
        boolean numeric = !map && types.size() == 1 && (types.get(0) == Type.IPV4_ADDR || types.get(0).kind == Kind.SERVICE
                || types.get(0).kind == Kind.INTEGER || types.get(0).kind == Kind.PROTO);
        List<long[]> intervals = new ArrayList<>();
        for (JsonNode e : elems) {
            if (map && e.isArray() && e.size() == 2) {
                out.add(J.arrayNode().add(element(e.get(0), types)).add(e.get(1)));
                continue;
            }
            JsonNode plain = element(e, types);
            long[] iv = numeric ? interval(plain, types.get(0)) : null;
            if (iv != null) intervals.add(iv);
            else out.add(plain);
        }
        if (!intervals.isEmpty()) {
            intervals.sort(Comparator.comparingLong(x -> x[0]));
            List<long[]> merged = new ArrayList<>();
            for (long[] iv : intervals) {
                long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
                if (last != null && iv[0] <= last[1] + 1) last[1] = Math.max(last[1], iv[1]);
                else merged.add(iv.clone());
            }
            for (long[] iv : merged) out.add(J.arrayNode().add("interval").add(iv[0]).add(iv[1]));
        }
        out.sort(Comparator.comparing(JsonNode::toString));
        ArrayNode a = J.arrayNode();
        out.forEach(a::add);
        return a;
    }

    /** An element's key with per-element options dropped (timeouts, counters), values canonical. */
    private static JsonNode element(JsonNode e, List<Type> types) {
        JsonNode key = e.has("elem") ? e.get("elem").path("val") : e;
        if (key.has("concat")) return concatValue(key, types, "");
        return value(key, types.isEmpty() ? Type.UNKNOWN : types.get(0), "");
    }

    private static long[] interval(JsonNode v, Type type) {
        if (type == Type.IPV4_ADDR) {
            if (v.isTextual() && NftTypes.isIpv4(v.asText())) {
                long a = NftRuleParser.ipv4(v.asText());
                return new long[] {a, a};
            }
            if (v.has("prefix") && NftTypes.isIpv4(v.get("prefix").path("addr").asText())) {
                int len = v.get("prefix").path("len").asInt();
                long mask = len == 0 ? 0 : (0xffffffffL << (32 - len)) & 0xffffffffL;
                long a = NftRuleParser.ipv4(v.get("prefix").path("addr").asText()) & mask;
                return new long[] {a, a | (~mask & 0xffffffffL)};
            }
            if (v.has("range") && NftTypes.isIpv4(v.get("range").path(0).asText()) && NftTypes.isIpv4(v.get("range").path(1).asText()))
                return new long[] {NftRuleParser.ipv4(v.get("range").path(0).asText()), NftRuleParser.ipv4(v.get("range").path(1).asText())};
            return null;
        }
        if (v.isIntegralNumber()) return new long[] {v.longValue(), v.longValue()};
        if (v.has("range") && v.get("range").path(0).isIntegralNumber() && v.get("range").path(1).isIntegralNumber())
            return new long[] {v.get("range").get(0).longValue(), v.get("range").get(1).longValue()};
        return null;
    }

    /**
     * What a reboot changes in nftables: the rules and chains of the saved ruleset's tables that the live ruleset has
     * and the saved one lacks (lost at reboot), the other way round (restored at reboot), and the live tables the
     * saved ruleset does not hold at all (made at run time by a program, or by hand).
     */
    public record Difference(List<String> onlyLive, List<String> onlySaved, List<String> notSaved) {
        public boolean none() { return onlyLive.isEmpty() && onlySaved.isEmpty() && notSaved.isEmpty(); }
    }

    /** Compares a live ruleset with a saved one, table by table, leaving out the tables {@code leaveOut} names. */
    public static Difference difference(NftInput live, NftInput saved, java.util.function.Predicate<String> leaveOut) {
        Map<String, List<String[]>> l = entries(live.items(), leaveOut), s = entries(saved.items(), leaveOut);
        List<String> onlyLive = new ArrayList<>(), onlySaved = new ArrayList<>(), notSaved = new ArrayList<>();
        for (Map.Entry<String, List<String[]>> t : l.entrySet()) {
            if (!s.containsKey(t.getKey())) {
                long rules = t.getValue().stream().filter(e -> e[2] != null).count();
                notSaved.add("table " + t.getKey() + " (" + rules + (rules == 1 ? " rule)" : " rules)"));
                continue;
            }
            onlyLive.addAll(missing(t.getValue(), s.get(t.getKey())));
        }
        for (Map.Entry<String, List<String[]>> t : s.entrySet())
            onlySaved.addAll(missing(t.getValue(), l.getOrDefault(t.getKey(), List.of())));
        return new Difference(onlyLive, onlySaved, notSaved);
    }

    /** Display lines of {@code mine} whose canonical form {@code other} does not have (as often). */
    private static List<String> missing(List<String[]> mine, List<String[]> other) {
        Map<String, Integer> count = new java.util.HashMap<>();
        for (String[] e : other) count.merge(e[0], 1, Integer::sum);
        List<String> out = new ArrayList<>();
        for (String[] e : mine) {
            Integer n = count.get(e[0]);
            if (n != null && n > 0) count.put(e[0], n - 1);
            else out.add(e[1]);
        }
        return out;
    }

    /** Per table: {canonical key, display line, "rule" or null} for its chains, sets and rules. */
    private static Map<String, List<String[]>> entries(JsonNode items, java.util.function.Predicate<String> leaveOut) {
        Map<String, List<String[]>> out = new TreeMap<>();
        for (JsonNode item : items) {
            if (!item.isObject() || item.size() != 1) continue;
            String kind = item.fieldNames().next();
            JsonNode body = item.get(kind);
            if (!body.isObject() || kind.equals("metainfo")) continue;
            String family = body.path("family").asText();
            String table = family + " " + (kind.equals("table") ? body.path("name").asText() : body.path("table").asText());
            if (leaveOut.test(table)) continue;
            List<String[]> list = out.computeIfAbsent(table, k -> new ArrayList<>());
            switch (kind) {
                case "chain" -> {
                    JsonNode c = sorted(declaration(body, Set.of("name", "type", "hook", "prio", "policy")));
                    String name = body.path("name").asText();
                    String shown = body.has("hook") ? name + ": type " + body.path("type").asText() + " hook " + body.path("hook").asText()
                            + " priority " + body.path("prio").asText() + "; policy " + body.path("policy").asText("accept") + ";" : name;
                    list.add(new String[] {"chain " + c, table + " chain " + shown, null});
                }
                case "set", "map" -> {
                    JsonNode c = sorted(set(body, family));
                    int n = body.path("elem").size();
                    list.add(new String[] {kind + " " + c, table + " " + kind + " " + body.path("name").asText() + " (" + n
                            + (n == 1 ? " element)" : " elements)"), null});
                }
                case "rule" -> {
                    JsonNode c = sorted(rule(body, family));
                    String chain = body.path("chain").asText();
                    list.add(new String[] {"rule " + chain + " " + c, table + " " + chain + ": " + NftText.rule(body), "rule"});
                }
                default -> { }
            }
        }
        return out;
    }

    /** The same JSON with every object's keys in alphabetical order. */
    static JsonNode sorted(JsonNode n) {
        if (n.isObject()) {
            ObjectNode o = J.objectNode();
            List<String> keys = new ArrayList<>();
            n.fieldNames().forEachRemaining(keys::add);
            keys.sort(null);
            for (String k : keys) o.set(k, sorted(n.get(k)));
            return o;
        }
        if (n.isArray()) {
            ArrayNode a = J.arrayNode();
            for (JsonNode x : n) a.add(sorted(x));
            return a;
        }
        return n;
    }

    /** Canonical tables as comparable text lines: one per declaration, one per rule (in chain order). */
    public static List<String> lines(Map<String, Table> tables) {
        List<String> out = new ArrayList<>();
        for (Table t : tables.values()) {
            for (Map.Entry<String, JsonNode> d : t.declarations().entrySet()) out.add(t.name() + " " + d.getKey() + " " + sorted(d.getValue()));
            for (Map.Entry<String, List<JsonNode>> c : t.rules().entrySet()) {
                int i = 0;
                for (JsonNode r : c.getValue()) out.add(t.name() + " chain " + c.getKey() + " rule " + (++i) + " " + sorted(r));
            }
        }
        return out;
    }
}
