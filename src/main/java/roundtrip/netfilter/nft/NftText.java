package roundtrip.netfilter.nft;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders rules of {@code nft -j list ruleset} back into nft syntax, close to what {@code nft list ruleset} prints
 * (counters without their numbers), so findings and traces quote the rule as the user knows it. Anything not
 * recognised is shown as its JSON, never dropped.
 */
final class NftText {
    private NftText() {}

    /** meta keys nft prints without the "meta" word */
    private static final Set<String> BARE_META = Set.of("iifname", "oifname", "iif", "oif", "iifgroup", "oifgroup",
            "skuid", "skgid", "rtclassid", "ibrname", "obrname");
    /** meta keys whose values are device names, quoted */
    private static final Set<String> QUOTED_META = Set.of("iifname", "oifname", "iif", "oif", "ibrname", "obrname");

    static String rule(JsonNode rule) {
        List<String> parts = new ArrayList<>();
        for (JsonNode e : rule.path("expr")) parts.add(statement(e));
        if (rule.hasNonNull("comment")) parts.add("comment " + quote(rule.get("comment").asText()));
        return String.join(" ", parts);
    }

    static String statement(JsonNode s) {
        if (!s.isObject() || s.size() != 1) return s.toString();
        Map.Entry<String, JsonNode> e = s.fields().next();
        String k = e.getKey();
        JsonNode v = e.getValue();
        switch (k) {
            case "match": {
                JsonNode l = v.path("left");
                String op = v.path("op").asText("==");
                boolean quoted = quotedValues(l);
                boolean hex = isMark(l) || (l.has("&") && isMark(l.get("&").path(0)));
                String right = value(v.path("right"), quoted, hex);
                if (l.has("fib") && v.path("right").isBoolean())
                    return expr(l, false) + " " + (v.path("right").booleanValue() ? "exists" : "missing");
                if (l.has("&") && l.get("&").isArray() && l.get("&").size() == 2) {
                    JsonNode inner = l.get("&").get(0);
                    JsonNode mask = l.get("&").get(1);
                    // nft lists a masked flag test as `tcp flags syn / fin,syn,rst,ack`
                    if (mask.isArray() && op.equals("=="))
                        return expr(inner, false) + " " + right + " / " + join(mask, ",");
                    return expr(inner, false) + " & " + value(mask, false, hex) + " " + op + " " + right;
                }
                return switch (op) {
                    case "==", "in" -> expr(l, false) + " " + right;
                    default -> expr(l, false) + " " + op + " " + right;
                };
            }
            case "accept", "drop", "continue", "return", "notrack": return k;
            case "jump", "goto": return k + " " + v.path("target").asText();
            case "counter": return "counter";
            case "log": {
                StringBuilder sb = new StringBuilder("log");
                if (v.has("prefix")) sb.append(" prefix ").append(quote(v.get("prefix").asText()));
                if (v.has("level")) sb.append(" level ").append(v.get("level").asText());
                return sb.toString();
            }
            case "limit": {
                if (!v.isObject()) return "limit " + v;
                StringBuilder sb = new StringBuilder("limit rate ");
                if (v.path("inv").asBoolean(false)) sb.append("over ");
                sb.append(v.path("rate").asText()).append('/').append(v.path("per").asText("second"));
                if (v.has("burst") && v.path("burst").asInt() != 5) sb.append(" burst ").append(v.get("burst").asText()).append(" packets");
                return sb.toString();
            }
            case "mangle": return expr(v.path("key"), false) + " set " + value(v.path("value"), quotedValues(v.path("key")), isMark(v.path("key")));
            case "reject": {
                String type = v.path("type").asText("");
                if (type.equals("tcp reset")) return "reject with tcp reset";
                if (!v.has("expr") || ((type.equals("icmp") || type.equals("icmpx")) && v.path("expr").asText().equals("port-unreachable"))) return "reject";
                return "reject with " + type + " " + v.path("expr").asText();
            }
            case "snat", "dnat", "masquerade", "redirect": {
                StringBuilder sb = new StringBuilder(k);
                if (v.isObject()) {
                    if (v.has("family")) sb.append(' ').append(v.get("family").asText());
                    if (v.has("addr") || v.has("port")) sb.append(" to");
                    if (v.has("addr")) sb.append(' ').append(expr(v.get("addr"), false));
                    if (v.has("port")) sb.append(v.has("addr") ? ":" : " :").append(expr(v.get("port"), false));
                    if (v.has("flags")) sb.append(' ').append(v.get("flags").isArray() ? join(v.get("flags"), " ") : v.get("flags").asText());
                }
                return sb.toString();
            }
            case "vmap": return expr(v.path("key"), false) + " vmap " + expr(v.path("data"), quotedValues(v.path("key")));
            case "queue": {
                StringBuilder sb = new StringBuilder("queue");
                if (v.has("num")) sb.append(" num ").append(expr(v.get("num"), false));
                if (v.has("flags")) sb.append(' ').append(v.get("flags").isArray() ? join(v.get("flags"), " ") : v.get("flags").asText());
                return sb.toString();
            }
            case "xt": return "xt " + v.path("type").asText() + " " + quote(v.path("name").asText());
            case "flow": return "flow add " + v.path("flowtable").asText();
            case "ct helper": return "ct helper set " + expr(v, true);
            default: return s.toString();
        }
    }

    private static boolean isMark(JsonNode n) {
        if (n.has("meta")) return n.get("meta").path("key").asText().equals("mark");
        if (n.has("ct")) return n.get("ct").path("key").asText().equals("mark");
        return false;
    }

    /** A value as nft lists it; marks in hex (0x00000010), also inside & | ^ of marks. */
    private static String value(JsonNode n, boolean quoted, boolean hex) {
        if (hex && n.isIntegralNumber()) return String.format("0x%08x", n.longValue());
        if (hex && n.isObject() && n.size() == 1) {
            String k = n.fieldNames().next();
            JsonNode args = n.get(k);
            if ((k.equals("&") || k.equals("|") || k.equals("^")) && args.isArray() && args.size() == 2)
                return value(args.get(0), quoted, true) + " " + k + " " + value(args.get(1), quoted, true);
            if (k.equals("set") && args.isArray()) {
                List<String> parts = new ArrayList<>();
                for (JsonNode p : args) parts.add(value(p, quoted, true));
                return "{ " + String.join(", ", parts) + " }";
            }
        }
        return expr(n, quoted);
    }

    private static boolean quotedValues(JsonNode left) {
        if (left.has("meta")) return QUOTED_META.contains(left.get("meta").path("key").asText());
        return false;
    }

    static String expr(JsonNode n, boolean quoted) {
        if (n == null || n.isMissingNode() || n.isNull()) return "";
        if (n.isTextual()) {
            String t = n.textValue();
            if (t.startsWith("@")) return t;
            return quoted ? quote(t) : t;
        }
        if (n.isNumber() || n.isBoolean()) return n.asText();
        if (n.isArray()) return join(n, ",");
        if (!n.isObject() || n.size() != 1) return n.toString();
        Map.Entry<String, JsonNode> e = n.fields().next();
        String k = e.getKey();
        JsonNode v = e.getValue();
        switch (k) {
            case "meta": {
                String key = v.path("key").asText();
                return BARE_META.contains(key) ? key : "meta " + key;
            }
            case "payload":
                if (v.has("protocol")) return v.get("protocol").asText() + " " + v.path("field").asText();
                return "@" + v.path("base").asText() + "," + v.path("offset").asText() + "," + v.path("len").asText();
            case "ct": {
                StringBuilder sb = new StringBuilder("ct ");
                if (v.has("dir")) sb.append(v.get("dir").asText()).append(' ');
                return sb.append(v.path("key").asText()).toString();
            }
            case "fib": {
                List<String> flags = new ArrayList<>();
                for (JsonNode f : v.path("flags")) flags.add(f.asText());
                return "fib " + String.join(" . ", flags) + " " + v.path("result").asText();
            }
            case "prefix": return v.path("addr").asText() + "/" + v.path("len").asText();
            case "range": return expr(v.path(0), quoted) + "-" + expr(v.path(1), quoted);
            case "concat": {
                List<String> parts = new ArrayList<>();
                for (JsonNode p : v) parts.add(expr(p, quoted));
                return String.join(" . ", parts);
            }
            case "set": {
                if (!v.isArray()) return expr(v, quoted);
                List<String> parts = new ArrayList<>();
                for (JsonNode p : v) {
                    if (p.isArray() && p.size() == 2) parts.add(expr(p.get(0), quoted) + " : " + verdictOrExpr(p.get(1)));
                    else parts.add(expr(p, quoted));
                }
                return "{ " + String.join(", ", parts) + " }";
            }
            case "elem": return expr(v.path("val"), quoted);
            case "map": return expr(v.path("key"), false) + " map " + expr(v.path("data"), false);
            case "&", "|", "^", "<<", ">>": {
                if (!v.isArray() || v.size() != 2) return n.toString();
                String l = expr(v.get(0), quoted);
                String r = v.get(1).isArray() ? join(v.get(1), ",") : expr(v.get(1), quoted);
                return l + " " + k + " " + r;
            }
            case "tcp option": return "tcp option " + v.path("name").asText() + " " + v.path("field").asText();
            case "rt": return "rt " + v.path("key").asText();
            case "accept", "drop", "continue", "return", "jump", "goto": return verdictOrExpr(n);
            default: return n.toString();
        }
    }


    private static String verdictOrExpr(JsonNode n) {
        if (n.isObject() && n.size() == 1) {
            String k = n.fieldNames().next();
            if (k.equals("jump") || k.equals("goto")) return k + " " + n.get(k).path("target").asText();
            if (k.equals("accept") || k.equals("drop") || k.equals("continue") || k.equals("return")) return k;
        }
        return expr(n, false);
    }

    private static String join(JsonNode array, String sep) {
        List<String> parts = new ArrayList<>();
        for (JsonNode p : array) parts.add(p.isTextual() ? p.textValue() : p.toString());
        return String.join(sep, parts);
    }

    static String quote(String s) { return "\"" + s.replace("\"", "\\\"") + "\""; }
}
