package roundtrip.netfilter.nft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import roundtrip.netfilter.nft.NftLexer.Kind;
import roundtrip.netfilter.nft.NftLexer.Token;
import roundtrip.netfilter.nft.NftTypes.Type;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the statements of one rule written in nft text (parser_bison.y's rule: matches, statements, verdicts)
 * into the JSON expressions {@code nft -j list ruleset} prints for it, so that the rule is evaluated by the same
 * compiler as a rule read from JSON. Values are typed by what they are compared with or assigned to
 * ({@link NftSelectors}). What is not understood stops the rule with an {@link NftSyntax} naming it.
 */
final class NftRuleParser {
    private static final JsonNodeFactory J = JsonNodeFactory.instance;

    /** A parsed expression: its JSON and the type of what it reads (null with {@code parts} for a concatenation). */
    record Expr(JsonNode json, Type type, List<Type> parts) {
        Expr(JsonNode json, Type type) { this(json, type, null); }
    }

    /** The statements read, the rule's comment, and what stopped the reading (null when all was read). */
    record Result(ArrayNode expr, String comment, NftSyntax failure) {}

    private static final Set<String> VERDICTS = Set.of("accept", "drop", "continue", "return");
    private static final Set<String> REL_OPS = Set.of("==", "!=", "<", ">", "<=", ">=", "!");
    private static final Set<String> TIME_UNITS = Set.of("second", "minute", "hour", "day", "week");
    private static final Set<String> DATA_UNITS = Set.of("bytes", "kbytes", "mbytes");

    private final List<Token> toks;
    private final String family;
    private int p;
    /** the network protocol the rule's matches so far restrict it to ("ip", "ip6"), as nft's evaluation tracks it */
    private String l3;

    private NftRuleParser(List<Token> toks, String family) {
        this.toks = toks;
        this.family = family;
    }

    /** Reads {@code tokens} (one rule, without its end) of a table of {@code family}. */
    static Result parse(List<Token> tokens, String family) {
        NftRuleParser r = new NftRuleParser(tokens, family);
        ArrayNode out = J.arrayNode();
        String comment = null;
        try {
            while (!r.atEnd()) {
                if (r.peek().is("comment")) {
                    r.next();
                    comment = r.string("comment");
                    continue;
                }
                out.add(r.statement());
            }
            if (out.isEmpty()) throw new NftSyntax(r.line(), "a rule without statements");
            return new Result(out, comment, null);
        } catch (NftSyntax e) {
            return new Result(out, comment, e);
        }
    }

    /** Reads a stand-alone value of {@code type} from {@code tokens} (a set element, a define). */
    static JsonNode value(List<Token> tokens, Type type, String family) {
        NftRuleParser r = new NftRuleParser(tokens, family);
        JsonNode v = r.multiton(type);
        if (!r.atEnd()) throw r.unexpected();
        return v;
    }

    /**
     * Reads the elements `{ ... }` of a set (keys of {@code key}'s types) or a map (with data of {@code data}'s types,
     * or verdicts): values, {"elem": {...}} with options, or [key, data] pairs.
     */
    static ArrayNode elements(List<Token> tokens, Expr key, Type[] data, boolean verdicts, String family) {
        NftRuleParser r = new NftRuleParser(tokens, family);
        ArrayNode out;
        if (data == null && !verdicts) {
            out = J.arrayNode();
            r.setElements(key, out);
        } else {
            out = (ArrayNode) r.mapData(key, data, verdicts).get("set");
        }
        r.skipNewlines();
        if (!r.atEnd()) throw r.unexpected();
        return out;
    }

    /** Reads a selector expression written in a set's `typeof` (e.g. "ip saddr . tcp dport"). */
    static Expr typeofExpr(List<Token> tokens, String family) {
        NftRuleParser r = new NftRuleParser(tokens, family);
        Expr e = r.concatSelectors();
        if (!r.atEnd()) throw r.unexpected();
        return e;
    }

    // ---------------------------------------------------------------------------------------------- tokens

    private Token peek() { return peek(0); }

    private Token peek(int k) {
        int i = Math.min(p + k, toks.size());
        return i < toks.size() ? toks.get(i) : new Token(Kind.EOF, "", line(), 0, 0);
    }

    private Token next() {
        Token t = peek();
        if (p < toks.size()) p++;
        return t;
    }

    private boolean atEnd() { return p >= toks.size() || peek().kind() == Kind.EOF; }

    private int line() {
        if (toks.isEmpty()) return 0;
        return toks.get(Math.min(p, toks.size() - 1)).line();
    }

    private boolean accept(String s) {
        if (peek().is(s)) { p++; return true; }
        return false;
    }

    private void expect(String s) {
        if (!accept(s)) throw new NftSyntax(line(), "expected \"" + s + "\" but found " + describe(peek()));
    }

    private String word(String what) {
        Token t = next();
        if (t.kind() != Kind.WORD) throw new NftSyntax(t.line(), "expected " + what + " but found " + describe(t));
        return t.text();
    }

    private String string(String what) {
        Token t = next();
        if (t.kind() != Kind.WORD && t.kind() != Kind.QUOTED) throw new NftSyntax(t.line(), "expected " + what + " but found " + describe(t));
        return t.text();
    }

    private long num(String what) {
        Token t = next();
        Long n = t.kind() == Kind.WORD ? NftTypes.number(t.text()) : null;
        if (n == null) throw new NftSyntax(t.line(), "expected " + what + " (a number) but found " + describe(t));
        return n;
    }

    private NftSyntax unexpected() {
        Token t = peek();
        return new NftSyntax(t.line(), "not understood: " + describe(t));
    }

    private static String describe(Token t) {
        return t.kind() == Kind.EOF ? "the end of the rule" : "\"" + t + "\"";
    }

    private void skipNewlines() {
        while (peek().kind() == Kind.NEWLINE) p++;
    }

    // ---------------------------------------------------------------------------------------------- statements

    private JsonNode statement() {
        Token t = peek();
        if (t.kind() == Kind.QUOTED) throw unexpected();
        String w = t.text();
        if (t.kind() == Kind.WORD) {
            if (VERDICTS.contains(w)) { next(); return J.objectNode().putNull(w); }
            switch (w) {
                case "jump", "goto": {
                    next();
                    if (peek().is("{")) throw new NftSyntax(line(), "anonymous chains (" + w + " { ... }) are not read");
                    ObjectNode o = J.objectNode();
                    o.putObject(w).put("target", string("a chain name"));
                    return o;
                }
                case "counter": return counter();
                case "log": return log();
                case "limit": return limit();
                case "quota": return quota();
                case "reject": return reject();
                case "snat", "dnat": return nat(w);
                case "masquerade", "redirect": return masqueradeOrRedirect(w);
                case "notrack": next(); return J.objectNode().putNull("notrack");
                case "queue": return queue();
                case "dup": return dup();
                case "fwd": return fwd();
                case "last": {
                    next();
                    if (accept("used")) next();   // `last used 300s`: when the rule last matched, a listing's state
                    return J.objectNode().putNull("last");
                }
                case "meter": return meter();
                case "flow": return flow();
                case "xt": return xt();
                case "synproxy": return synproxy();
                case "tproxy": return tproxy();
                case "set":
                    if (isSetOp(peek(1))) return setStatement();
                    break;
                case "add", "update", "delete":
                    if (peek(1).is("@")) return setOrMapStatement();
                    break;
                case "ct":
                    if (peek(1).is("count")) return ctCount();
                    if ((peek(1).is("helper") || peek(1).is("timeout") || peek(1).is("expectation")) && peek(2).is("set")) {
                        next();
                        String object = "ct " + next().text();
                        next();
                        return J.objectNode().set(object, objectName());
                    }
                    break;
                case "reset":
                    if (peek(1).is("tcp")) {
                        next();
                        Expr opt = selector();
                        return J.objectNode().set("reset", opt.json());
                    }
                    break;
                default: break;
            }
        }
        Expr lhs = concatSelectors();
        if (accept("set")) {
            if (lhs.parts() != null) throw new NftSyntax(line(), "a concatenation cannot be set");
            return mangle(lhs);
        }
        if (accept("vmap")) {
            ObjectNode o = J.objectNode();
            ObjectNode v = o.putObject("vmap");
            v.set("key", lhs.json());
            v.set("data", mapData(lhs, null, true));
            return o;
        }
        return relational(lhs);
    }

    private static boolean isSetOp(Token t) { return t.is("add") || t.is("update") || t.is("delete"); }

    private JsonNode counter() {
        next();
        if (accept("name")) return J.objectNode().set("counter", objectName());
        long packets = 0, bytes = 0;
        while (true) {
            if (accept("packets")) packets = num("packets");
            else if (accept("bytes")) bytes = num("bytes");
            else break;
        }
        ObjectNode o = J.objectNode();
        o.putObject("counter").put("packets", packets).put("bytes", bytes);
        return o;
    }

    /** A stateful object's name, or an expression choosing it (`limit name ip saddr map @limits`). */
    private JsonNode objectName() {
        if (startsSelector(peek())) return stmtExpr(Type.STRING, new Type[] {Type.STRING});
        return J.textNode(string("an object name"));
    }

    private JsonNode log() {
        next();
        ObjectNode v = J.objectNode();
        ArrayNode flags = J.arrayNode();
        while (true) {
            if (accept("prefix")) v.put("prefix", string("a log prefix"));
            else if (accept("group")) v.put("group", num("a log group"));
            else if (accept("snaplen")) v.put("snaplen", num("a snap length"));
            else if (accept("queue-threshold")) v.put("queue-threshold", num("a queue threshold"));
            else if (accept("level")) {
                String level = string("a log level");
                if (!Set.of("emerg", "alert", "crit", "err", "warn", "notice", "info", "debug", "audit").contains(level))
                    throw new NftSyntax(line(), "\"" + level + "\" is not a log level");
                if (!level.equals("warn")) v.put("level", level);
            } else if (accept("flags")) {
                if (accept("tcp")) {
                    do {
                        String f = word("sequence or options");
                        if (!f.equals("sequence") && !f.equals("options")) throw new NftSyntax(line(), "\"" + f + "\" is not a tcp log flag");
                        flags.add("tcp " + f);
                    } while (accept(","));
                } else if (accept("ip")) {
                    expect("options");
                    flags.add("ip options");
                } else {
                    String f = word("a log flag");
                    if (!Set.of("skuid", "ether", "all").contains(f)) throw new NftSyntax(line(), "\"" + f + "\" is not a log flag");
                    flags.add(f);
                }
            } else break;
        }
        if (flags.size() == 1) v.set("flags", flags.get(0));
        else if (flags.size() > 1) v.set("flags", flags);
        ObjectNode o = J.objectNode();
        if (v.isEmpty()) o.putNull("log");
        else o.set("log", v);
        return o;
    }

    private JsonNode limit() {
        next();
        if (accept("name")) return J.objectNode().set("limit", objectName());
        expect("rate");
        boolean inv = accept("over");
        if (!inv) accept("until");
        long rate = num("a rate");
        ObjectNode v = J.objectNode();
        String w = peek().text();
        if (accept("/")) {
            v.put("rate", rate);
            long burst = 5;
            v.put("per", timeUnit(word("a time unit")));
            if (accept("burst")) {
                burst = num("a burst");
                if (!accept("packets")) throw new NftSyntax(line(), "a packet rate's burst is in packets");
            }
            v.put("burst", burst);
        } else {
            // NUM "mbytes/second" (one word to nft's scanner) or NUM bytes / second
            next();
            String unit, per;
            if (w.contains("/")) {
                unit = w.substring(0, w.indexOf('/'));
                per = w.substring(w.indexOf('/') + 1);
            } else {
                unit = w;
                expect("/");
                per = word("a time unit");
            }
            long bytes = rate * dataUnit(unit);
            long burst = 0;
            if (accept("burst")) {
                long b = num("a burst");
                burst = b * dataUnit(word("a data unit"));
            }
            putRate(v, "rate", "rate_unit", bytes);
            putRate(v, "burst", "burst_unit", burst);
            v.put("per", timeUnit(per));
        }
        if (inv) v.put("inv", true);
        ObjectNode o = J.objectNode();
        o.set("limit", v);
        return o;
    }

    private String timeUnit(String u) {
        if (!TIME_UNITS.contains(u)) throw new NftSyntax(line(), "\"" + u + "\" is not a time unit (second, minute, hour, day, week)");
        return u;
    }

    private long dataUnit(String u) {
        return switch (u) {
            case "bytes" -> 1L;
            case "kbytes" -> 1024L;
            case "mbytes" -> 1024L * 1024;
            default -> throw new NftSyntax(line(), "\"" + u + "\" is not a data unit (bytes, kbytes, mbytes)");
        };
    }

    /** statement.c's get_rate: the largest of bytes, kbytes, mbytes that divides the amount. */
    private static void putRate(ObjectNode v, String valueKey, String unitKey, long bytes) {
        String[] units = {"bytes", "kbytes", "mbytes"};
        int u = 0;
        long x = bytes;
        while (x != 0 && u < 2 && x % 1024 == 0) { x /= 1024; u++; }
        v.put(valueKey, x);
        v.put(unitKey, units[u]);
    }

    private JsonNode quota() {
        next();
        if (accept("name")) return J.objectNode().set("quota", objectName());
        boolean inv = accept("over");
        if (!inv) accept("until");
        long amount = num("a quota") * dataUnit(word("a data unit"));
        ObjectNode v = J.objectNode();
        putRate(v, "val", "val_unit", amount);
        if (inv) v.put("inv", true);
        if (accept("used")) {
            long used = num("a used amount") * dataUnit(word("a data unit"));
            if (used != 0) putRate(v, "used", "used_unit", used);
        }
        ObjectNode o = J.objectNode();
        o.set("quota", v);
        return o;
    }

    private JsonNode reject() {
        next();
        ObjectNode v = J.objectNode();
        if (accept("with")) {
            if (accept("tcp")) {
                expect("reset");
                v.put("type", "tcp reset");
            } else {
                String kind = word("icmp, icmpv6, icmpx or tcp reset");
                Type codes = switch (kind) {
                    case "icmp" -> Type.ICMP_CODE;
                    case "icmpv6", "icmp6" -> Type.ICMPV6_CODE;
                    case "icmpx" -> Type.ICMPX_CODE;
                    default -> throw new NftSyntax(line(), "reject with \"" + kind + "\" is not known");
                };
                accept("type");
                Token code = next();
                v.put("type", kind.equals("icmp6") ? "icmpv6" : kind);
                v.set("expr", NftTypes.literal(codes, code.text(), code.kind() == Kind.QUOTED, code.line()));
            }
        } else {
            // what nft's evaluation makes of a bare reject: ICMP port unreachable of the network protocol the rule
            // matched so far, or of the table's family; icmpx (either) when that is not known
            String proto = l3 != null ? l3 : family;
            v.put("type", switch (proto) {
                case "ip" -> "icmp";
                case "ip6" -> "icmpv6";
                default -> "icmpx";
            });
            v.put("expr", "port-unreachable");
        }
        ObjectNode o = J.objectNode();
        o.set("reject", v);
        return o;
    }

    private Type addressType(String natFamily) {
        String f = natFamily != null ? natFamily : family;
        return switch (f) {
            case "ip" -> Type.IPV4_ADDR;
            case "ip6" -> Type.IPV6_ADDR;
            default -> Type.UNKNOWN;
        };
    }

    private JsonNode nat(String kind) {
        next();
        ObjectNode v = J.objectNode();
        String natFamily = null;
        if ((peek().is("ip") || peek().is("ip6")) && (peek(1).is("to") || peek(1).is("prefix") || peek(1).is("interval")
                || peek(1).is("addr"))) {
            natFamily = next().text();
            v.put("family", natFamily);
        }
        ArrayNode flags = J.arrayNode();
        String typeFlag = null;
        if (accept("prefix")) {
            typeFlag = "prefix";
            flags.add("netmap");
        } else if (accept("interval")) {
            typeFlag = "interval";
        } else if (accept("addr")) {
            expect(".");
            expect("port");
            typeFlag = "concat";
        }
        Type addr = addressType(natFamily);
        boolean to = accept("to");
        if (!to && typeFlag != null) throw new NftSyntax(line(), kind + " " + typeFlag + " needs \"to\"");
        if (accept(":")) {
            v.set("port", stmtValue(Type.INET_SERVICE));
        } else {
            v.set("addr", natAddress(addr));
            if (accept(":")) v.set("port", stmtValue(Type.INET_SERVICE));
        }
        natFlags(flags);
        if (flags.size() == 1) v.set("flags", flags.get(0));
        else if (flags.size() > 1) v.set("flags", flags);
        if (typeFlag != null && !typeFlag.equals("concat")) v.put("type_flags", typeFlag);
        ObjectNode o = J.objectNode();
        o.set(kind, v);
        return o;
    }

    /** A NAT address: a value of the family's address type, or a map lookup giving one (and maybe a port). */
    private JsonNode natAddress(Type addr) {
        if (addr == Type.UNKNOWN) {
            Token t = peek();
            if (t.kind() == Kind.WORD && NftTypes.isIpv4(t.text())) addr = Type.IPV4_ADDR;
            else if (t.kind() == Kind.WORD && NftLexer.isIpv6(t.text())) addr = Type.IPV6_ADDR;
        }
        return stmtExpr(addr, new Type[] {addr, Type.INET_SERVICE});
    }

    private void natFlags(ArrayNode flags) {
        while (peek().is("random") || peek().is("fully-random") || peek().is("persistent")) {
            flags.add(next().text());
            if (!accept(",")) break;
        }
    }

    private JsonNode masqueradeOrRedirect(String kind) {
        next();
        ObjectNode v = J.objectNode();
        if (accept("to")) {
            accept(":");
            v.set("port", stmtValue(Type.INET_SERVICE));
        }
        ArrayNode flags = J.arrayNode();
        natFlags(flags);
        if (flags.size() == 1) v.set("flags", flags.get(0));
        else if (flags.size() > 1) v.set("flags", flags);
        ObjectNode o = J.objectNode();
        if (v.isEmpty()) o.putNull(kind);
        else o.set(kind, v);
        return o;
    }

    private JsonNode queue() {
        next();
        ObjectNode v = J.objectNode();
        ArrayNode flags = J.arrayNode();
        while (true) {
            if (accept("num") || accept("to")) {
                v.set("num", stmtExpr(Type.INTEGER, null));
            } else if (accept("flags")) {
                do flags.add(word("bypass or fanout")); while (accept(","));
            } else if (peek().is("bypass") || peek().is("fanout")) {
                do flags.add(word("bypass or fanout")); while (accept(","));
            } else break;
        }
        if (flags.size() == 1) v.set("flags", flags.get(0));
        else if (flags.size() > 1) v.set("flags", flags);
        ObjectNode o = J.objectNode();
        if (v.isEmpty()) o.putNull("queue");
        else o.set("queue", v);
        return o;
    }

    private JsonNode dup() {
        next();
        expect("to");
        ObjectNode v = J.objectNode();
        v.set("addr", stmtExpr(addressType(null) == Type.UNKNOWN ? guessAddress() : addressType(null), null));
        if (accept("device")) v.set("dev", stmtExpr(Type.IFNAME, null));
        ObjectNode o = J.objectNode();
        o.set("dup", v);
        return o;
    }

    private Type guessAddress() {
        String t = peek().text();
        return NftTypes.isIpv4(t) ? Type.IPV4_ADDR : NftLexer.isIpv6(t) ? Type.IPV6_ADDR : Type.UNKNOWN;
    }

    private JsonNode fwd() {
        next();
        ObjectNode v = J.objectNode();
        if (peek().is("ip") || peek().is("ip6")) {
            String f = next().text();
            expect("to");
            v.put("family", f);
            v.set("addr", stmtExpr(f.equals("ip") ? Type.IPV4_ADDR : Type.IPV6_ADDR, null));
            expect("device");
            v.set("dev", stmtExpr(Type.IFNAME, null));
        } else {
            expect("to");
            v.set("dev", stmtExpr(Type.IFNAME, null));
        }
        ObjectNode o = J.objectNode();
        o.set("fwd", v);
        return o;
    }

    private JsonNode meter() {
        next();
        String name = word("a meter name");
        ObjectNode v = J.objectNode();
        long size = 0;
        if (accept("size")) size = num("a meter size");
        expect("{");
        Expr key = concatSelectors();
        JsonNode keyJson = elementOptions(key.json(), false);
        JsonNode stmt = statement();
        expect("}");
        v.set("key", keyJson);
        v.set("stmt", stmt);
        v.put("size", size);
        v.put("name", name);
        ObjectNode o = J.objectNode();
        o.set("meter", v);
        return o;
    }

    private JsonNode flow() {
        next();
        if (!accept("add") && !accept("offload")) throw new NftSyntax(line(), "expected \"flow add @flowtable\"");
        expect("@");
        ObjectNode o = J.objectNode();
        o.putObject("flow").put("op", "add").put("flowtable", "@" + string("a flowtable name"));
        return o;
    }

    private JsonNode xt() {
        next();
        String type = word("match, target or watcher");
        ObjectNode o = J.objectNode();
        o.putObject("xt").put("type", type).put("name", string("an extension name"));
        return o;
    }

    private JsonNode synproxy() {
        next();
        ObjectNode v = J.objectNode();
        ArrayNode flags = J.arrayNode();
        while (true) {
            if (accept("mss")) v.put("mss", num("an MSS"));
            else if (accept("wscale")) v.put("wscale", num("a window scale"));
            else if (accept("timestamp")) flags.add("timestamp");
            else if (accept("sack-perm")) flags.add("sack-perm");
            else if (accept("name")) return J.objectNode().set("synproxy", objectName());
            else break;
        }
        if (flags.size() == 1) v.set("flags", flags.get(0));
        else if (flags.size() > 1) v.set("flags", flags);
        ObjectNode o = J.objectNode();
        if (v.isEmpty()) o.putNull("synproxy");
        else o.set("synproxy", v);
        return o;
    }

    private JsonNode tproxy() {
        next();
        ObjectNode v = J.objectNode();
        String f = null;
        if (peek().is("ip") || peek().is("ip6")) {
            f = next().text();
            if (family.equals("inet")) v.put("family", f);
        }
        expect("to");
        if (accept(":")) {
            v.set("port", stmtValue(Type.INET_SERVICE));
        } else {
            Type addr = addressType(f);
            v.set("addr", stmtExpr(addr == Type.UNKNOWN ? guessAddress() : addr, null));
            if (accept(":")) v.set("port", stmtValue(Type.INET_SERVICE));
        }
        ObjectNode o = J.objectNode();
        o.set("tproxy", v);
        return o;
    }

    private JsonNode ctCount() {
        next();
        next();
        ObjectNode v = J.objectNode();
        boolean inv = accept("over");
        v.put("val", num("a connection count"));
        if (inv) v.put("inv", true);
        ObjectNode o = J.objectNode();
        o.set("ct count", v);
        return o;
    }

    /** `set add|update|delete EXPR @name` */
    private JsonNode setStatement() {
        next();
        String op = next().text();
        JsonNode elem = elementOptions(stmtExpr(Type.UNKNOWN, null), false);
        expect("@");
        ObjectNode o = J.objectNode();
        ObjectNode v = o.putObject("set");
        v.put("op", op);
        v.set("elem", elem);
        v.put("set", "@" + string("a set name"));
        return o;
    }

    /** `add|update|delete @name { EXPR [stateful statements] [: DATA] }` */
    private JsonNode setOrMapStatement() {
        String op = next().text();
        expect("@");
        String name = string("a set name");
        expect("{");
        // the element's key: selectors, and constants as in `add @s { ip saddr . 10002 timeout 1s }`
        JsonNode elem = elementOptions(stmtExpr(Type.UNKNOWN, null), false);
        ArrayNode stmts = J.arrayNode();
        while (peek().is("counter") || peek().is("limit") || peek().is("quota") || peek().is("last")
                || (peek().is("ct") && peek(1).is("count")))
            stmts.add(statement());
        JsonNode data = null;
        if (accept(":")) data = stmtExpr(Type.UNKNOWN, null);
        expect("}");
        ObjectNode o = J.objectNode();
        ObjectNode v = o.putObject(data == null ? "set" : "map");
        v.put("op", op);
        v.set("elem", elem);
        if (data != null) v.set("data", data);
        v.put(data == null ? "set" : "map", "@" + name);
        if (!stmts.isEmpty()) v.set("stmt", stmts);
        return o;
    }

    /**
     * An element key followed by `timeout T`, `expires T`, `comment "c"` or a counter, limit or quota of its own:
     * {"elem": {"val": ..., ...}} then, the statement merged in as set_elem_expr_json does.
     */
    private JsonNode elementOptions(JsonNode key, boolean statements) {
        ObjectNode elem = null;
        while (peek().is("timeout") || peek().is("expires") || peek().is("comment") || (statements && (peek().is("counter")
                || (peek().is("limit") && peek(1).is("rate")) || peek().is("quota")))) {
            if (elem == null) {
                elem = J.objectNode();
                elem.set("val", key);
            }
            if (peek().is("counter") || peek().is("limit") || peek().is("quota")) {
                JsonNode stmt = statement();
                String k = stmt.fieldNames().next();
                if (!elem.has(k)) elem.set(k, stmt.get(k));
                continue;
            }
            String opt = next().text();
            if (opt.equals("comment")) {
                elem.put("comment", string("a comment"));
            } else {
                String t = string("a time");
                Long ms = NftTypes.timeMillis(t);
                if (ms == null) throw new NftSyntax(line(), "\"" + t + "\" is not a time");
                elem.put(opt, ms / 1000);
            }
        }
        if (elem == null) return key;
        ObjectNode o = J.objectNode();
        o.set("elem", elem);
        return o;
    }

    private JsonNode mangle(Expr key) {
        JsonNode k = key.json();
        if (k.path("meta").path("key").asText().equals("secmark") && (peek().kind() == Kind.QUOTED || !startsSelector(peek())))
            return J.objectNode().set("secmark", J.textNode(string("a secmark name")));   // the object, by name
        String kind = k.fieldNames().next();
        if (!Set.of("meta", "ct", "payload", "tcp option", "exthdr", "ip option").contains(kind))
            throw new NftSyntax(line(), NftText.expr(k, false) + " cannot be set");
        JsonNode value = stmtExpr(key.type(), null);
        ObjectNode o = J.objectNode();
        ObjectNode v = o.putObject("mangle");
        v.set("key", k);
        v.set("value", value);
        return o;
    }

    // ---------------------------------------------------------------------------------------------- matches

    private JsonNode relational(Expr lhs) {
        String op = null;
        if (peek().kind() == Kind.PUNCT && REL_OPS.contains(peek().text())) op = next().text();
        if (atEnd() || peek().isEnd()) throw new NftSyntax(line(), "a match without a value: " + NftText.expr(lhs.json(), false));
        JsonNode left = lhs.json();
        JsonNode right;
        boolean set = false;
        Type type = lhs.type();
        if (peek().is("{")) {
            right = setExpr(lhs);
            set = true;
        } else if (peek().is("@")) {
            next();
            right = J.textNode("@" + string("a set name"));
            set = true;
        } else if (isBooleanWord(peek()) && (type == Type.BOOLEAN || type == Type.IFACE_INDEX || type == Type.IFNAME)) {
            right = J.booleanNode(next().text().equals("exists"));
        } else if (lhs.parts() != null) {
            right = concatValue(lhs.parts());
        } else {
            right = rhsValue(type, true);
            if (peek().is("/") && type != null && (type.isBitmask() || !(peek(1).kind() == Kind.WORD && NftTypes.number(peek(1).text()) != null))) {
                // `tcp flags syn / fin,syn,rst,ack`: the value under a mask
                next();
                JsonNode mask = rhsValue(type, true);
                ObjectNode and = J.objectNode();
                and.putArray("&").add(left).add(mask);
                left = and;
                if (op == null) op = "==";
            }
        }
        // the implicit operator of a flag type tests any of the bits; under a mask (`tcp flags & (syn|ack) syn`) it
        // compares the masked value, as nft's evaluation does for a binary operation
        if (op == null) op = !set && type != null && type.isBitmask() && !left.has("&") ? "in" : "==";
        noteNetworkProtocol(left, op, right);
        ObjectNode o = J.objectNode();
        ObjectNode m = o.putObject("match");
        m.put("op", op);
        m.set("left", left);
        m.set("right", right);
        return o;
    }

    /** `meta nfproto ipv4`, or any match on an IPv4 or IPv6 header, restricts the rule to that protocol. */
    private void noteNetworkProtocol(JsonNode left, String op, JsonNode right) {
        String proto = left.path("payload").path("protocol").asText("");
        switch (proto) {
            case "ip", "icmp", "igmp" -> l3 = "ip";
            case "ip6", "icmpv6" -> l3 = "ip6";
            default -> {
                if (op.equals("==") && left.path("meta").path("key").asText().equals("nfproto") && right.isTextual())
                    l3 = right.asText().equals("ipv4") ? "ip" : right.asText().equals("ipv6") ? "ip6" : l3;
            }
        }
    }

    private static boolean isBooleanWord(Token t) { return t.is("exists") || t.is("missing"); }

    /** A right-hand side: a value, prefix or range, or a comma list of values (bitmask flags). */
    private JsonNode rhsValue(Type type, boolean allowList) {
        JsonNode first = multiton(type);
        if (!allowList || !peek().is(",")) return first;
        ArrayNode list = J.arrayNode();
        addFlattened(list, first);
        while (accept(",")) addFlattened(list, basic(type));
        return list;
    }

    private static void addFlattened(ArrayNode list, JsonNode v) {
        if (v.isArray()) for (JsonNode x : v) list.add(x);
        else list.add(v);
    }

    private JsonNode concatValue(List<Type> parts) {
        ArrayNode values = J.arrayNode();
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) expect(".");
            values.add(multiton(parts.get(i)));
        }
        ObjectNode o = J.objectNode();
        o.set("concat", values);
        return o;
    }

    /** A value, `VALUE/LEN` or `LOW-HIGH`. */
    private JsonNode multiton(Type type) {
        JsonNode v = basic(type);
        if (peek().is("/") && peek(1).kind() == Kind.WORD && NftTypes.number(peek(1).text()) != null
                && (type == null || !type.isBitmask())) {
            next();
            long len = num("a prefix length");
            return prefix(v, (int) len, type);
        }
        if (peek().is("-")) {
            next();
            JsonNode hi = basic(type);
            ObjectNode o = J.objectNode();
            o.putArray("range").add(v).add(hi);
            return o;
        }
        return v;
    }

    /** nft masks the host part and lists a full-length prefix as the address itself. */
    private JsonNode prefix(JsonNode addr, int len, Type type) {
        int bits = type == Type.IPV6_ADDR ? 128 : 32;
        if (len < 0 || len > bits) throw new NftSyntax(line(), "prefix length " + len + " out of range");
        if (addr.isTextual() && type == Type.IPV4_ADDR) {
            long a = ipv4(addr.textValue());
            long mask = len == 0 ? 0 : (0xffffffffL << (32 - len)) & 0xffffffffL;
            addr = J.textNode(formatIpv4(a & mask));
            if (len == 32) return addr;
        } else if (addr.isTextual() && type == Type.IPV6_ADDR) {
            roundtrip.model.Ip ip = roundtrip.model.Ip.parseV6OrNull(addr.textValue());
            if (ip != null) addr = J.textNode(ip.masked(len).toString());
            if (len == 128) return addr;
        }
        ObjectNode o = J.objectNode();
        o.putObject("prefix").set("addr", addr);
        ((ObjectNode) o.get("prefix")).put("len", len);
        return o;
    }

    static long ipv4(String s) {
        long a = 0;
        for (String o : s.split("\\.")) a = a << 8 | Integer.parseInt(o);
        return a;
    }

    static String formatIpv4(long a) {
        return ((a >> 24) & 255) + "." + ((a >> 16) & 255) + "." + ((a >> 8) & 255) + "." + (a & 255);
    }

    /** Values combined with | ^ & << >> (C precedence); flags ORed together become a list, as nft lists them. */
    private JsonNode basic(Type type) {
        JsonNode left = xorValue(type);
        if (!peek().is("|")) return left;
        List<JsonNode> parts = new ArrayList<>();
        parts.add(left);
        while (accept("|")) parts.add(xorValue(type));
        return combine("|", parts, type);
    }

    private JsonNode xorValue(Type type) {
        JsonNode left = andValue(type);
        while (accept("^")) left = combine("^", List.of(left, andValue(type)), type);
        return left;
    }

    private JsonNode andValue(Type type) {
        JsonNode left = shiftValue(type);
        while (accept("&")) left = combine("&", List.of(left, shiftValue(type)), type);
        return left;
    }

    private JsonNode shiftValue(Type type) {
        JsonNode left = primaryValue(type);
        while (peek().is("<<") || peek().is(">>")) {
            String op = next().text();
            left = combine(op, List.of(left, primaryValue(Type.INTEGER)), type);
        }
        return left;
    }

    private JsonNode combine(String op, List<JsonNode> parts, Type type) {
        if (op.equals("|") && type != null && type.isBitmask()) {
            ArrayNode list = J.arrayNode();
            for (JsonNode x : parts) addFlattened(list, x);
            return list;
        }
        boolean numbers = parts.stream().allMatch(JsonNode::isIntegralNumber);
        if (numbers) {
            long r = parts.get(0).longValue();
            for (int i = 1; i < parts.size(); i++) {
                long b = parts.get(i).longValue();
                r = switch (op) {
                    case "|" -> r | b;
                    case "^" -> r ^ b;
                    case "&" -> r & b;
                    case "<<" -> r << b;
                    default -> r >>> b;
                };
            }
            return J.numberNode(r);
        }
        JsonNode acc = parts.get(0);
        for (int i = 1; i < parts.size(); i++) {
            ObjectNode o = J.objectNode();
            o.putArray(op).add(acc).add(parts.get(i));
            acc = o;
        }
        return acc;
    }

    private JsonNode primaryValue(Type type) {
        Token t = peek();
        if (t.is("(")) {
            next();
            JsonNode v = basic(type);
            expect(")");
            return v;
        }
        if (t.is("-") && peek(1).kind() == Kind.WORD && NftTypes.number(peek(1).text()) != null) {
            next();
            return J.numberNode(-num("a number"));
        }
        if (t.kind() != Kind.WORD && t.kind() != Kind.QUOTED)
            throw new NftSyntax(t.line(), "expected a value but found " + describe(t));
        next();
        if (t.kind() == Kind.WORD && isBooleanWord(t) && type == Type.BOOLEAN) return J.booleanNode(t.text().equals("exists"));
        return NftTypes.literal(type == null ? Type.UNKNOWN : type, t.text(), t.kind() == Kind.QUOTED, t.line());
    }

    /** `{ a, b, c }` for values of {@code lhs} (nested sets flattened). */
    private JsonNode setExpr(Expr lhs) {
        ArrayNode elems = J.arrayNode();
        setElements(lhs, elems);
        ObjectNode o = J.objectNode();
        o.set("set", elems);
        return o;
    }

    private void setElements(Expr lhs, ArrayNode into) {
        expect("{");
        skipNewlines();
        while (!peek().is("}")) {
            if (peek().is("{")) {
                setElements(lhs, into);
            } else if (peek().is("*")) {
                next();
                into.add(elementOptions(J.textNode("*"), true));   // the catch-all element
            } else {
                JsonNode v = lhs.parts() != null ? concatValue(lhs.parts()) : multiton(lhs.type());
                into.add(elementOptions(v, true));
            }
            skipNewlines();
            if (!accept(",")) break;
            skipNewlines();
        }
        skipNewlines();
        expect("}");
    }

    /** The data of a map or verdict map: `@name` or `{ key : data, ... }`. */
    private JsonNode mapData(Expr key, Type[] data, boolean verdicts) {
        if (accept("@")) return J.textNode("@" + string("a map name"));
        expect("{");
        ArrayNode elems = J.arrayNode();
        skipNewlines();
        while (!peek().is("}")) {
            JsonNode k = accept("*") ? J.textNode("*") : key.parts() != null ? concatValue(key.parts()) : multiton(key.type());
            k = elementOptions(k, true);
            expect(":");
            JsonNode d = verdicts ? verdict() : dataValue(data);
            elems.add(J.arrayNode().add(k).add(d));
            skipNewlines();
            if (!accept(",")) break;
            skipNewlines();
        }
        expect("}");
        ObjectNode o = J.objectNode();
        o.set("set", elems);
        return o;
    }

    private JsonNode dataValue(Type[] types) {
        Type first = types == null || types.length == 0 ? Type.UNKNOWN : types[0];
        if (first == Type.UNKNOWN && peek().kind() == Kind.WORD) first = guessAddress() != Type.UNKNOWN ? guessAddress() : Type.UNKNOWN;
        JsonNode v = multiton(first);
        if (!peek().is(".")) return v;
        ArrayNode parts = J.arrayNode().add(v);
        int i = 1;
        while (accept(".")) {
            Type t = types != null && i < types.length ? types[i] : Type.UNKNOWN;
            parts.add(multiton(t));
            i++;
        }
        ObjectNode o = J.objectNode();
        o.set("concat", parts);
        return o;
    }

    private JsonNode verdict() {
        String w = word("a verdict");
        if (VERDICTS.contains(w)) return J.objectNode().putNull(w);
        if (w.equals("jump") || w.equals("goto")) {
            ObjectNode o = J.objectNode();
            o.putObject(w).put("target", string("a chain name"));
            return o;
        }
        throw new NftSyntax(line(), "\"" + w + "\" is not a verdict");
    }

    // ---------------------------------------------------------------------------------------------- statement values

    /** A value assigned by a statement: a literal of {@code type} or an expression (`meta mark & 0xff`, a map lookup). */
    private JsonNode stmtValue(Type type) {
        return stmtExpr(type, null);
    }

    private JsonNode stmtExpr(Type type, Type[] mapData) {
        JsonNode first = stmtConcatPart(type);
        JsonNode v = first;
        if (peek().is(".")) {
            ArrayNode parts = J.arrayNode().add(first);
            while (accept(".")) parts.add(stmtConcatPart(Type.UNKNOWN));
            ObjectNode o = J.objectNode();
            o.set("concat", parts);
            v = o;
        }
        if (accept("map")) {
            Expr key = exprOf(v);
            ObjectNode o = J.objectNode();
            ObjectNode m = o.putObject("map");
            m.set("key", v);
            m.set("data", mapData(key, mapData != null ? mapData : new Type[] {type}, false));
            return o;
        }
        if (peek().is(",") && type != null && (type.isBitmask() || type == Type.CT_EVENT)) {
            ArrayNode list = J.arrayNode();
            addFlattened(list, v);
            while (accept(",")) addFlattened(list, basic(type));
            return list;
        }
        return v;
    }

    /** The type of a statement expression already read (a selector, or a value). */
    private Expr exprOf(JsonNode v) {
        if (v.has("concat")) {
            List<Type> parts = new ArrayList<>();
            for (JsonNode x : v.get("concat")) parts.add(NftSelectors.typeOf(x, family));
            return new Expr(v, null, parts);
        }
        return new Expr(v, NftSelectors.typeOf(v, family));
    }

    /**
     * One part of a statement's value: values and selectors combined with | ^ & << >> (stmt_expr of the grammar:
     * `ct mark set 0x1 or ct mark`, `meta mark set ip dscp | 0x40`), or a prefix or range of values.
     */
    private JsonNode stmtConcatPart(Type type) {
        if (!startsSelector(peek()) && !(peek().is("(") && startsSelector(peek(1)))) {
            // a plain value, a prefix or a range, unless a selector follows an operator
            int mark = p;
            try {
                JsonNode v = multiton(type);
                if (!(peek().is("|") || peek().is("^") || peek().is("&") || peek().is("<<") || peek().is(">>"))) return v;
            } catch (NftSyntax notAValue) {
                // `ct mark set 0x1 or ct mark`: read again as an expression
            }
            p = mark;
        }
        return stmtOr(type);
    }

    private JsonNode stmtOr(Type type) {
        JsonNode left = stmtXor(type);
        while (accept("|")) left = combineStmt("|", left, stmtXor(type), type);
        return left;
    }

    private JsonNode stmtXor(Type type) {
        JsonNode left = stmtAnd(type);
        while (accept("^")) left = combineStmt("^", left, stmtAnd(type), type);
        return left;
    }

    private JsonNode stmtAnd(Type type) {
        JsonNode left = stmtShift(type);
        while (accept("&")) left = combineStmt("&", left, stmtShift(type), type);
        return left;
    }

    private JsonNode stmtShift(Type type) {
        JsonNode left = stmtPrimary(type);
        while (peek().is("<<") || peek().is(">>")) {
            String op = next().text();
            left = combineStmt(op, left, stmtPrimary(Type.INTEGER), type);
        }
        return left;
    }

    private JsonNode stmtPrimary(Type type) {
        if (peek().is("(")) {
            next();
            JsonNode v = stmtOr(type);
            expect(")");
            return v;
        }
        if (startsSelector(peek())) return selector().json();
        return primaryValue(type);
    }

    private JsonNode combineStmt(String op, JsonNode a, JsonNode b, Type type) {
        if (a.isIntegralNumber() && b.isIntegralNumber()) return combine(op, List.of(a, b), type);
        ObjectNode o = J.objectNode();
        o.putArray(op).add(a).add(b);
        return o;
    }

    // ---------------------------------------------------------------------------------------------- selectors

    private boolean startsSelector(Token t) {
        if (t.kind() == Kind.PUNCT) return t.is("@") || (t.is("(") && startsSelector(peek(1)));
        if (t.kind() != Kind.WORD) return false;
        String w = t.text();
        if (NftSelectors.isProtocol(w)) {
            // `ip`, `tcp` ... alone are values (`meta protocol ip`, `meta l4proto tcp`); a field name follows a selector
            Token f = peek(1);
            return f.kind() == Kind.WORD && (NftSelectors.PAYLOAD.containsKey(w + " " + f.text())
                    || NftSelectors.FIELD_ALIASES.containsKey(w + " " + f.text()) || f.is("option")
                    || (w.equals("arp") && (f.is("saddr") || f.is("daddr"))) || (w.equals("sctp") && f.is("chunk")));
        }
        return switch (w) {
            case "meta", "ct", "fib", "rt", "socket", "numgen", "jhash", "symhash", "osf", "hbh", "frag", "dst", "mh",
                 "rt0", "rt2", "srh", "exthdr", "ipsec" -> true;
            default -> NftSelectors.BARE_META.contains(w);
        };
    }

    /** Selectors joined by `.` (a concatenation). */
    private Expr concatSelectors() {
        Expr first = basicSelector();
        if (!peek().is(".")) return first;
        ArrayNode parts = J.arrayNode().add(first.json());
        List<Type> types = new ArrayList<>();
        types.add(first.type());
        while (accept(".")) {
            Expr e = basicSelector();
            parts.add(e.json());
            types.add(e.type());
        }
        ObjectNode o = J.objectNode();
        o.set("concat", parts);
        return new Expr(o, null, types);
    }

    /** A selector with binary operations applied to it: `meta mark & 0xff`, `ct mark >> 8`. */
    private Expr basicSelector() {
        Expr e = primarySelector();
        while (peek().is("&") || peek().is("|") || peek().is("^") || peek().is("<<") || peek().is(">>")) {
            String op = next().text();
            JsonNode operand = op.equals("<<") || op.equals(">>") ? primaryValue(Type.INTEGER)
                    : startsSelector(peek()) ? primarySelector().json() : shiftValue(e.type());
            ObjectNode o = J.objectNode();
            o.putArray(op).add(e.json()).add(operand);
            e = new Expr(o, e.type());
        }
        return e;
    }

    private Expr primarySelector() {
        Token t = peek();
        if (t.is("(")) {
            next();
            Expr e = basicSelector();
            expect(")");
            return e;
        }
        if (!startsSelector(t)) throw unexpected();
        return selector();
    }

    private Expr selector() {
        Token t = next();
        String w = t.text();
        if (t.is("@")) return rawPayload();
        if (NftSelectors.isProtocol(w)) return payload(w);
        switch (w) {
            case "meta": {
                String key = word("a meta key");
                return meta(NftSelectors.META_ALIASES.getOrDefault(key, key));
            }
            case "ct": return ct();
            case "fib": return fib();
            case "rt": return rt();
            case "socket": return socket();
            case "numgen": return numgen();
            case "jhash", "symhash": return hash(w);
            case "osf": return osf();
            case "hbh", "frag", "dst", "mh", "rt0", "rt2", "srh": return exthdr(w);
            case "exthdr": {
                String name = word("an extension header");
                ObjectNode o = J.objectNode();
                o.putObject("exthdr").put("name", name);
                return new Expr(o, Type.BOOLEAN);
            }
            case "ipsec":
                if (peek().is("in") || peek().is("out")) return ipsec();
                return meta("ipsec");
            default:
                if (NftSelectors.BARE_META.contains(w)) return meta(NftSelectors.META_ALIASES.getOrDefault(w, w));
                throw new NftSyntax(t.line(), "not understood: \"" + w + "\"");
        }
    }

    private Expr payload(String protocol) {
        if (protocol.equals("tcp") && accept("option")) return tcpOption();
        if (protocol.equals("ip") && peek().is("option")) throw new NftSyntax(line(), "ip option matches are not read");
        if (protocol.equals("sctp") && accept("chunk")) {
            ObjectNode v = J.objectNode().put("name", word("an sctp chunk"));
            Type type = Type.BOOLEAN;
            if (peek().kind() == Kind.WORD && !peek().is("exists") && !peek().is("missing") && !isStatementWord(peek())) {
                v.put("field", next().text());
                type = Type.INTEGER;
            }
            ObjectNode o = J.objectNode();
            o.set("sctp chunk", v);
            return new Expr(o, type);
        }
        if (protocol.equals("dccp") && accept("option")) {
            ObjectNode o = J.objectNode();
            o.putObject("dccp option").put("type", num("a dccp option type"));
            return new Expr(o, Type.BOOLEAN);
        }
        String field = word("a " + protocol + " header field");
        if (protocol.equals("arp") && (field.equals("saddr") || field.equals("daddr"))) field = field + " " + word("ether or ip");
        field = NftSelectors.FIELD_ALIASES.getOrDefault(protocol + " " + field, field);
        if (protocol.equals("vlan") && field.equals("cfi")) field = "dei";   // the same bit; nft lists it as dei
        Type type = NftSelectors.PAYLOAD.get(protocol + " " + field);
        if (type == null) throw new NftSyntax(line(), "\"" + protocol + " " + field + "\" is not a header field nft knows");
        ObjectNode o = J.objectNode();
        o.putObject("payload").put("protocol", protocol).put("field", field);
        return new Expr(o, type);
    }

    private Expr rawPayload() {
        String base = word("ll, nh, th or ih");
        if (!Set.of("ll", "nh", "th", "ih").contains(base)) throw new NftSyntax(line(), "\"@" + base + "\" is not a payload base");
        expect(",");
        long offset = num("an offset");
        expect(",");
        long len = num("a length");
        ObjectNode o = J.objectNode();
        o.putObject("payload").put("base", base).put("offset", offset).put("len", len);
        return new Expr(o, Type.INTEGER);
    }

    private Expr tcpOption() {
        if (accept("@")) {
            // a raw option: @kind,offset,length
            ObjectNode v = J.objectNode();
            v.put("base", num("an option kind"));
            expect(",");
            v.put("offset", num("an offset"));
            expect(",");
            v.put("len", num("a length"));
            ObjectNode o = J.objectNode();
            o.set("tcp option", v);
            return new Expr(o, Type.INTEGER);
        }
        String name = word("a tcp option");
        name = switch (name) {
            case "mss" -> "maxseg";
            case "noop" -> "nop";
            case "sack-permitted" -> "sack-perm";
            case "sack0" -> "sack";
            default -> name;
        };
        Long kind = NftTypes.number(name);
        if (kind != null) {
            // an option by number: nft names the ones it knows and reads the others as raw bytes
            String known = null;
            for (var e : NftTypes.TCP_OPTIONS.entrySet()) if (e.getValue().equals(kind)) known = e.getKey();
            if (known == null) {
                ObjectNode o = J.objectNode();
                o.putObject("tcp option").put("base", kind).put("len", 8).put("offset", 0);
                return new Expr(o, Type.BOOLEAN);
            }
            name = known;
        }
        ObjectNode v = J.objectNode().put("name", name);
        Type type = Type.BOOLEAN;
        if (peek().kind() == Kind.WORD && Set.of("size", "count", "left", "right", "tsval", "tsecr", "length", "kind", "subtype")
                .contains(peek().text())) {
            String field = next().text();
            v.put("field", field);
            type = field.equals("subtype") ? Type.MPTCP_SUBTYPE : Type.INTEGER;
        }
        ObjectNode o = J.objectNode();
        o.set("tcp option", v);
        return new Expr(o, type);
    }

    private static boolean isStatementWord(Token t) {
        return VERDICTS.contains(t.text()) || Set.of("counter", "log", "drop", "jump", "goto", "set", "limit", "comment").contains(t.text());
    }

    /** `ipsec in|out [spnum N] reqid|spi|ip saddr|ip6 daddr ...`: the IPsec policy state of the packet. */
    private Expr ipsec() {
        String dir = next().text();
        long spnum = accept("spnum") ? num("a policy number") : 0;
        String f = null;
        if (peek().is("ip") || peek().is("ip6")) f = next().text();
        String key = word("reqid, spi, saddr or daddr");
        ObjectNode v = J.objectNode().put("key", key);
        if (f != null) v.put("family", f);
        v.put("dir", dir).put("spnum", spnum);
        ObjectNode o = J.objectNode();
        o.set("ipsec", v);
        return new Expr(o, NftSelectors.typeOf(o, family));
    }

    private Expr exthdr(String name) {
        String field = word("an extension header field");
        ObjectNode o = J.objectNode();
        o.putObject("exthdr").put("name", name).put("field", field);
        return new Expr(o, NftSelectors.typeOf(o, family));
    }

    private Expr meta(String key) {
        Type t = NftSelectors.META.get(key);
        if (t == null) throw new NftSyntax(line(), "\"meta " + key + "\" is not a meta key nft knows");
        ObjectNode o = J.objectNode();
        o.putObject("meta").put("key", key);
        return new Expr(o, t);
    }

    private Expr ct() {
        String dir = null;
        if (peek().is("original") || peek().is("reply")) dir = next().text();
        String key = word("a ct key");
        if ((key.equals("ip") || key.equals("ip6")) && (peek().is("saddr") || peek().is("daddr"))) key = key + " " + next().text();
        Type t;
        if (key.equals("saddr") || key.equals("daddr")) {
            t = family.equals("ip6") ? Type.IPV6_ADDR : family.equals("ip") ? Type.IPV4_ADDR : guessAddress();
        } else {
            t = NftSelectors.CT.get(key);
        }
        if (t == null) throw new NftSyntax(line(), "\"ct " + key + "\" is not a ct key nft knows");
        ObjectNode o = J.objectNode();
        ObjectNode v = o.putObject("ct");
        v.put("key", key);
        if (dir != null) v.put("dir", dir);
        return new Expr(o, t);
    }

    private Expr fib() {
        List<String> flags = new ArrayList<>();
        do {
            String f = word("saddr, daddr, mark, iif or oif");
            if (!Set.of("saddr", "daddr", "mark", "iif", "oif").contains(f)) throw new NftSyntax(line(), "\"" + f + "\" is not a fib input");
            flags.add(f);
        } while (accept("."));
        String result = word("oif, oifname, type or check");
        if (!Set.of("oif", "oifname", "type", "check").contains(result)) throw new NftSyntax(line(), "\"" + result + "\" is not a fib result");
        // fib_expr_json lists the inputs in flag bit order
        ArrayNode ordered = J.arrayNode();
        for (String f : List.of("saddr", "daddr", "mark", "iif", "oif")) if (flags.contains(f)) ordered.add(f);
        ObjectNode o = J.objectNode();
        ObjectNode v = o.putObject("fib");
        v.put("result", result);
        v.set("flags", ordered);
        return new Expr(o, NftSelectors.typeOf(o, family));
    }

    private Expr rt() {
        String f = null;
        if (peek().is("ip") || peek().is("ip6")) f = next().text();
        String key = word("a routing key");
        if (Set.of("nexthdr", "hdrlength", "type", "seg-left").contains(key) && f == null) {
            ObjectNode o = J.objectNode();
            o.putObject("exthdr").put("name", "rt").put("field", key);
            return new Expr(o, NftSelectors.typeOf(o, family));
        }
        if (!Set.of("classid", "nexthop", "mtu", "ipsec").contains(key)) throw new NftSyntax(line(), "\"rt " + key + "\" is not known");
        ObjectNode o = J.objectNode();
        ObjectNode v = o.putObject("rt");
        v.put("key", key);
        if (key.equals("nexthop")) v.put("family", f != null ? f : family.equals("ip6") ? "ip6" : "ip");
        return new Expr(o, NftSelectors.typeOf(o, family));
    }

    private Expr socket() {
        String key = word("a socket key");
        ObjectNode o = J.objectNode();
        ObjectNode v = o.putObject("socket");
        v.put("key", key);
        if (key.equals("cgroupv2")) {
            expect("level");
            v.put("level", num("a level"));
        } else if (!Set.of("transparent", "mark", "wildcard").contains(key)) {
            throw new NftSyntax(line(), "\"socket " + key + "\" is not known");
        }
        return new Expr(o, NftSelectors.typeOf(o, family));
    }

    private Expr numgen() {
        String mode = word("inc or random");
        expect("mod");
        long mod = num("a modulus");
        long offset = accept("offset") ? num("an offset") : 0;
        ObjectNode o = J.objectNode();
        o.putObject("numgen").put("mode", mode).put("mod", mod).put("offset", offset);
        return new Expr(o, Type.INTEGER);
    }

    private Expr hash(String kind) {
        JsonNode expr = null;
        if (kind.equals("jhash")) expr = concatSelectors().json();
        expect("mod");
        ObjectNode v = J.objectNode();
        v.put("mod", num("a modulus"));
        if (accept("seed")) v.put("seed", num("a seed"));
        if (accept("offset")) {
            long off = num("an offset");
            if (off != 0) v.put("offset", off);
        }
        if (expr != null) v.set("expr", expr);
        ObjectNode o = J.objectNode();
        o.set(kind, v);
        return new Expr(o, Type.INTEGER);
    }

    private Expr osf() {
        ObjectNode v = J.objectNode();
        if (accept("ttl")) {
            String ttl = word("loose or skip");
            if (!ttl.equals("loose") && !ttl.equals("skip")) throw new NftSyntax(line(), "osf ttl \"" + ttl + "\" is not known");
            v.put("ttl", ttl);
        }
        String key = word("name or version");
        v.put("key", key);
        ObjectNode o = J.objectNode();
        o.set("osf", v);
        return new Expr(o, Type.STRING);
    }
}
