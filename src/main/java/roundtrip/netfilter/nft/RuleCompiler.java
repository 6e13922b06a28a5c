package roundtrip.netfilter.nft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import roundtrip.model.Ip4;
import roundtrip.model.Packet;
import roundtrip.netfilter.CtState;
import roundtrip.netfilter.NatAction;
import roundtrip.netfilter.PacketContext;
import roundtrip.netfilter.Verdict;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Compiles the JSON expressions of one table's rules into {@link Step}s. Anything not understood throws
 * {@link Unsupported}; the reader turns that into the rule's problem.
 */
final class RuleCompiler {
    /** the table's named sets and maps by name: their JSON, compiled on use for the type of what is looked up */
    private final Map<String, JsonNode> sets;
    private final Map<String, Elem> compiledSets = new HashMap<>();

    RuleCompiler(Map<String, JsonNode> sets) {
        this.sets = sets;
    }

    /** Compiles one rule's expressions; jump targets are resolved later. */
    List<Step> compile(JsonNode exprs) {
        if (!exprs.isArray()) throw new Unsupported("rule without an expression list");
        List<Step> steps = new ArrayList<>();
        for (JsonNode e : exprs) steps.add(statement(e));
        return steps;
    }

    // ---------------------------------------------------------------------------------------------- statements

    private Step statement(JsonNode s) {
        if (!s.isObject() || s.size() != 1) throw new Unsupported("expression " + s);
        String k = s.fieldNames().next();
        JsonNode v = s.get(k);
        switch (k) {
            case "match": return match(v);
            case "accept": return Step.Terminal.verdict(Verdict.Kind.ACCEPT, "verdict accept");
            case "drop": return Step.Terminal.verdict(Verdict.Kind.DROP, "verdict drop");
            case "continue": return new Step.Terminal(Step.Terminal.Kind.CONTINUE, null, null, null, null, "verdict continue");
            case "return": return new Step.Terminal(Step.Terminal.Kind.RETURN, null, null, null, null, "verdict return");
            case "jump", "goto": return jumpOrGoto(k, v);
            case "counter": return (Step.Effect) ctx -> null;
            case "log": return (Step.Effect) ctx -> NftText.statement(s);
            case "limit":
                // rate limits are taken to let the probe through: a single packet is far below any sane rate
                return (Step.Effect) ctx -> null;
            case "notrack": return (Step.Effect) ctx -> {
                ctx.notrack = true;
                return "notrack";
            };
            case "mangle": return mangle(v);
            case "reject": return reject(v);
            case "snat", "dnat", "masquerade", "redirect": return nat(k, v);
            case "vmap": return vmap(v);
            case "queue": return Step.Terminal.verdict(Verdict.Kind.QUEUE, NftText.statement(s));
            case "ct helper": return (Step.Effect) ctx -> "ct helper set " + NftText.expr(v, true);
            case "flow": return (Step.Effect) ctx -> null;   // flowtable offload: established traffic only, already accepted
            case "xt": throw new Unsupported("iptables-nft extension (xt " + v.path("type").asText() + " "
                    + v.path("name").asText() + "): only iptables-save shows what it does");
            default: throw new Unsupported("statement \"" + k + "\"");
        }
    }

    private Step jumpOrGoto(String k, JsonNode v) {
        String target = v.path("target").asText(null);
        if (target == null) throw new Unsupported(k + " without a target");
        boolean jump = k.equals("jump");
        return new Step.Terminal(jump ? Step.Terminal.Kind.JUMP : Step.Terminal.Kind.GOTO, null, null, null, target,
                (jump ? "jump to " : "goto ") + target);
    }

    private Step.Terminal verdictOf(JsonNode n) {
        if (n.isObject() && n.size() == 1) {
            String k = n.fieldNames().next();
            switch (k) {
                case "accept": return Step.Terminal.verdict(Verdict.Kind.ACCEPT, "verdict accept");
                case "drop": return Step.Terminal.verdict(Verdict.Kind.DROP, "verdict drop");
                case "continue": return new Step.Terminal(Step.Terminal.Kind.CONTINUE, null, null, null, null, "verdict continue");
                case "return": return new Step.Terminal(Step.Terminal.Kind.RETURN, null, null, null, null, "verdict return");
                case "jump", "goto": return (Step.Terminal) jumpOrGoto(k, n.get(k));
                default: break;
            }
        }
        throw new Unsupported("verdict " + n);
    }

    private Step vmap(JsonNode v) {
        Operand key = operand(v.path("key"));
        JsonNode data = v.path("data");
        List<Step.VerdictMap.Entry> entries = new ArrayList<>();
        JsonNode elems;
        if (data.isTextual() && data.textValue().startsWith("@")) {
            JsonNode map = sets.get(data.textValue().substring(1));
            if (map == null) throw new Unsupported("verdict map " + data.textValue() + " is not in the ruleset");
            elems = map.path("elem");
        } else {
            elems = data.path("set");
        }
        for (JsonNode e : elems) {
            if (!e.isArray() || e.size() != 2) throw new Unsupported("verdict map element " + e);
            entries.add(new Step.VerdictMap.Entry(element(key, e.get(0)), verdictOf(e.get(1))));
        }
        return new Step.VerdictMap(key, entries);
    }

    private Step reject(JsonNode v) {
        String type = v.isObject() ? v.path("type").asText("") : "";
        String with;
        if (type.equals("tcp reset")) {
            with = "tcp-reset";
        } else {
            String code = v.isObject() ? v.path("expr").asText("port-unreachable") : "port-unreachable";
            if (type.equals("icmpv6")) throw new Unsupported("reject with icmpv6 in an IPv4 path");
            // icmpx is translated per family; for IPv4 its words map onto ICMP codes
            with = switch (code) {
                case "no-route", "net-unreachable" -> "icmp-net-unreachable";
                case "host-unreachable", "addr-unreachable" -> "icmp-host-unreachable";
                case "prot-unreachable" -> "icmp-proto-unreachable";
                case "port-unreachable" -> "icmp-port-unreachable";
                case "net-prohibited" -> "icmp-net-prohibited";
                case "host-prohibited" -> "icmp-host-prohibited";
                case "admin-prohibited" -> "icmp-admin-prohibited";
                default -> throw new Unsupported("reject with " + type + " type " + code);
            };
        }
        String text = with.equals("tcp-reset") ? "reject with tcp reset" : "reject with " + with;
        return new Step.Terminal(Step.Terminal.Kind.VERDICT, Verdict.Kind.REJECT, with, null, null, text);
    }

    private Step nat(String k, JsonNode v) {
        String fam = v.isObject() ? v.path("family").asText("") : "";
        if (fam.equals("ip6")) return (Step.Effect) ctx -> null;   // an IPv6 NAT statement does nothing to IPv4 packets
        if (v.isObject() && v.has("addr") && !v.get("addr").isTextual() && !v.get("addr").has("range")
                && !v.get("addr").has("prefix"))
            throw new Unsupported(k + " to an address chosen by a map or expression");
        Integer from = null, to = null;
        if (v.isObject() && v.has("addr")) {
            JsonNode a = v.get("addr");
            try {
                if (a.isTextual()) {
                    from = to = Ip4.parse(a.textValue());
                } else if (a.has("range")) {
                    from = Ip4.parse(a.get("range").path(0).asText());
                    to = Ip4.parse(a.get("range").path(1).asText());
                } else {
                    int net = Ip4.parse(a.get("prefix").path("addr").asText());
                    int len = a.get("prefix").path("len").asInt();
                    from = net & Ip4.mask(len);
                    to = from | ~Ip4.mask(len);
                }
            } catch (IllegalArgumentException e) {
                throw new Unsupported(k + " to " + a + ": not an IPv4 address");
            }
        }
        int portFrom = 0, portTo = 0;
        if (v.isObject() && v.has("port")) {
            JsonNode p = v.get("port");
            if (p.isIntegralNumber()) {
                portFrom = portTo = p.intValue();
            } else if (p.has("range")) {
                portFrom = p.get("range").path(0).asInt();
                portTo = p.get("range").path(1).asInt();
            } else {
                throw new Unsupported(k + " to port " + p);
            }
        }
        NatAction.Type type = switch (k) {
            case "snat" -> NatAction.Type.SNAT;
            case "dnat" -> NatAction.Type.DNAT;
            case "masquerade" -> NatAction.Type.MASQUERADE;
            default -> NatAction.Type.REDIRECT;
        };
        if ((type == NatAction.Type.SNAT || type == NatAction.Type.DNAT) && from == null)
            throw new Unsupported(k + " without an address");
        NatAction action = new NatAction(type, from, to, portFrom, portTo);
        String text = NftText.statement(JsonNodeFactory.instance.objectNode().set(k, v));
        return new Step.Terminal(Step.Terminal.Kind.VERDICT, Verdict.Kind.NAT, null, action, null, text);
    }

    /** `meta mark set ...`, `ct mark set ...`; statements without an effect the model sees are traced only. */
    private Step mangle(JsonNode v) {
        JsonNode key = v.path("key");
        JsonNode value = v.path("value");
        if (key.has("meta")) {
            String k = key.get("meta").path("key").asText();
            switch (k) {
                case "mark": {
                    Arith a = arith(value);
                    String text = "meta mark set " + NftText.expr(value, false);
                    return (Step.Effect) ctx -> {
                        Long x = a.eval(ctx);
                        if (x != null) ctx.packet.mark = x & 0xffffffffL;
                        return text;
                    };
                }
                case "nftrace", "priority": {
                    String text = NftText.expr(key, false) + " set " + NftText.expr(value, false);
                    return (Step.Effect) ctx -> text;
                }
                default: throw new Unsupported("meta " + k + " set");
            }
        }
        if (key.has("ct")) {
            String k = key.get("ct").path("key").asText();
            if (!k.equals("mark") || key.get("ct").has("dir")) throw new Unsupported("ct " + k + " set");
            Arith a = arith(value);
            String text = "ct mark set " + NftText.expr(value, false);
            return (Step.Effect) ctx -> {
                if (!hasConnection(ctx)) return null;   // no connection, nothing to set
                Long x = a.eval(ctx);
                if (x != null) ctx.ctMark = x & 0xffffffffL;
                return text;
            };
        }
        if (key.has("payload") && key.get("payload").path("protocol").asText().equals("ip")
                && key.get("payload").path("field").asText().equals("dscp")) {
            // the TOS byte is what `ip rule ... tos` routes by; the two ECN bits stay
            Object dscp = ValueType.DSCP.literal(value);
            if (!(dscp instanceof Long d) || d > 63) throw new Unsupported("ip dscp set " + value);
            String text = "ip dscp set " + NftText.expr(value, false);
            return (Step.Effect) ctx -> {
                ctx.packet.tos = (int) (d << 2) | (ctx.packet.tos & 3);
                return text;
            };
        }
        if (key.has("tcp option") && key.get("tcp option").path("name").asText().equals("maxseg")) {
            // MSS clamping changes no routing or filtering decision the model makes
            String text = NftText.expr(key, false) + " set " + NftText.expr(value, false);
            return (Step.Effect) ctx -> text;
        }
        throw new Unsupported(NftText.expr(key, false) + " set");
    }

    /** A value computed at run time: a number, the packet or connection mark, combined with & | ^ << >>. */
    @FunctionalInterface
    interface Arith {
        Long eval(PacketContext ctx);
    }

    private Arith arith(JsonNode n) {
        if (n.isIntegralNumber()) {
            long c = n.longValue() & 0xffffffffL;
            return ctx -> c;
        }
        if (n.isTextual()) {
            Object c = ValueType.NUMBER.literal(n);
            return ctx -> (Long) c;
        }
        if (n.has("meta") && n.get("meta").path("key").asText().equals("mark")) return ctx -> ctx.packet.mark & 0xffffffffL;
        if (n.has("ct") && n.get("ct").path("key").asText().equals("mark") && !n.get("ct").has("dir"))
            return ctx -> hasConnection(ctx) ? ctx.ctMark & 0xffffffffL : null;
        for (String op : new String[] {"&", "|", "^", "<<", ">>"}) {
            if (!n.has(op)) continue;
            JsonNode args = n.get(op);
            if (!args.isArray() || args.size() != 2) throw new Unsupported("expression " + n);
            Arith l = arith(args.get(0)), r = arith(args.get(1));
            return ctx -> {
                Long a = l.eval(ctx), b = r.eval(ctx);
                if (a == null || b == null) return null;
                long x = switch (op) {
                    case "&" -> a & b;
                    case "|" -> a | b;
                    case "^" -> a ^ b;
                    case "<<" -> a << b;
                    default -> a >>> b;
                };
                return x & 0xffffffffL;
            };
        }
        throw new Unsupported("value " + n);
    }

    static boolean hasConnection(PacketContext ctx) { return ctx.ctOrigSrc != null && !ctx.notrack; }

    // ---------------------------------------------------------------------------------------------- matches

    private Step match(JsonNode m) {
        String op = m.path("op").asText("==");
        Operand left = operand(m.path("left"));
        JsonNode right = m.path("right");
        if (left.type == ValueType.IPV6) return (Step.Test) ctx -> false;   // an IPv6 field: IPv4 packets never match
        switch (op) {
            case "==": {
                Elem e = element(left, right);
                return (Step.Test) ctx -> {
                    Object v = left.read(ctx);
                    return v != null && e.test(v);
                };
            }
            case "!=": {
                Elem e = element(left, right);
                return (Step.Test) ctx -> {
                    Object v = left.read(ctx);
                    return v != null && !e.test(v);
                };
            }
            case "in": {
                if (left.type != null && left.type.isBitmask() && !isSet(right)) {
                    // `ct state invalid`, `ct status dnat`, `tcp flags syn`: any of the bits set
                    long bits = (Long) left.type.literal(right);
                    return (Step.Test) ctx -> {
                        Object v = left.read(ctx);
                        return v != null && ((Long) v & bits) != 0;
                    };
                }
                Elem e = element(left, right);
                return (Step.Test) ctx -> {
                    Object v = left.read(ctx);
                    return v != null && e.test(v);
                };
            }
            case "<", ">", "<=", ">=": {
                if (left.type == null || left.type == ValueType.IFNAME) throw new Unsupported("comparison " + op + " on " + NftText.expr(m.path("left"), false));
                Object lit = left.type.literal(right);
                if (!(lit instanceof Long)) throw new Unsupported("comparison with " + right);
                long c = (Long) lit;
                return (Step.Test) ctx -> {
                    Object v = left.read(ctx);
                    if (!(v instanceof Long x)) return false;
                    return switch (op) {
                        case "<" -> x < c;
                        case ">" -> x > c;
                        case "<=" -> x <= c;
                        default -> x >= c;
                    };
                };
            }
            default: throw new Unsupported("match operator " + op);
        }
    }

    private static boolean isSet(JsonNode right) {
        return right.has("set") || (right.isTextual() && right.textValue().startsWith("@"));
    }

    /** The right-hand side (a value, prefix, range, anonymous or named set, concatenation) for values of {@code left}. */
    private Elem element(Operand left, JsonNode n) {
        if (n.isTextual() && n.textValue().startsWith("@")) return namedSet(left, n.textValue().substring(1));
        if (n.isObject() && n.size() == 1) {
            String k = n.fieldNames().next();
            JsonNode v = n.get(k);
            switch (k) {
                case "set": {
                    if (!v.isArray()) return element(left, v);
                    return setOf(left, v);
                }
                case "elem": return element(left, v.path("val"));
                case "prefix": {
                    if (left.type != ValueType.ADDR) throw new Unsupported("prefix " + NftText.expr(n, false) + " for a " + word(left));
                    Object net = left.type.literal(v.path("addr"));
                    if (net == ValueType.NEVER) return x -> false;
                    int len = v.path("len").asInt(-1);
                    if (len < 0 || len > 32) throw new Unsupported("prefix length in " + n);
                    long mask = Ip4.mask(len) & 0xffffffffL;
                    long want = (Long) net & mask;
                    return x -> x instanceof Long a && (a & mask) == want;
                }
                case "range": {
                    if (left.type == null || left.type == ValueType.IFNAME || !v.isArray() || v.size() != 2)
                        throw new Unsupported("range " + n + " for a " + word(left));
                    Object lo = left.type.literal(v.get(0)), hi = left.type.literal(v.get(1));
                    if (lo == ValueType.NEVER || hi == ValueType.NEVER) return x -> false;
                    if (!(lo instanceof Long l) || !(hi instanceof Long h)) throw new Unsupported("range " + n);
                    return x -> x instanceof Long a && a >= l && a <= h;
                }
                case "concat": {
                    if (left.parts == null || !v.isArray() || v.size() != left.parts.size())
                        throw new Unsupported("concatenation " + n + " against " + word(left));
                    List<Elem> parts = new ArrayList<>();
                    for (int i = 0; i < v.size(); i++) parts.add(element(left.parts.get(i), v.get(i)));
                    return x -> {
                        if (!(x instanceof List<?> values)) return false;
                        for (int i = 0; i < parts.size(); i++) if (!parts.get(i).test(values.get(i))) return false;
                        return true;
                    };
                }
                default: throw new Unsupported("value " + n);
            }
        }
        if (left.parts != null) throw new Unsupported("value " + n + " against a concatenation");
        Object lit = left.type.literal(n);
        if (lit == ValueType.NEVER) return x -> false;
        if (left.type == ValueType.IFNAME) {
            String name = (String) lit;
            // nft: a trailing * matches any name starting with what precedes it; "\*" is a literal star
            if (name.endsWith("*") && !name.endsWith("\\*")) {
                String prefix = name.substring(0, name.length() - 1);
                return x -> x instanceof String s && s.startsWith(prefix);
            }
            String exact = name.replace("\\*", "*");
            return exact::equals;
        }
        return lit::equals;
    }

    private Elem setOf(Operand left, JsonNode elems) {
        // exact values go into a hash set, intervals and wildcards are tried one by one
        Set<Object> exact = new HashSet<>();
        List<Elem> others = new ArrayList<>();
        for (JsonNode e : elems) {
            if (e.isArray()) throw new Unsupported("map element " + e + " where a set was expected");
            boolean plain = (e.isTextual() && !e.textValue().startsWith("@")) || e.isNumber();
            if (plain && left.type != null && left.type != ValueType.IFNAME) {
                Object lit = left.type.literal(e);
                if (lit != ValueType.NEVER) exact.add(lit);
            } else {
                others.add(element(left, e));
            }
        }
        if (others.isEmpty()) return exact::contains;
        return x -> {
            if (exact.contains(x)) return true;
            for (Elem o : others) if (o.test(x)) return true;
            return false;
        };
    }

    private Elem namedSet(Operand left, String name) {
        String cacheKey = name + "/" + (left.type != null ? left.type : left.parts.stream().map(p -> String.valueOf(p.type)).toList());
        Elem cached = compiledSets.get(cacheKey);
        if (cached != null) return cached;
        JsonNode set = sets.get(name);
        if (set == null) throw new Unsupported("set @" + name + " is not in the ruleset");
        Elem e = setOf(left, set.path("elem"));
        compiledSets.put(cacheKey, e);
        return e;
    }

    private static String word(Operand left) { return left.type == null ? "concatenation" : left.type.word(); }

    // ---------------------------------------------------------------------------------------------- operands

    Operand operand(JsonNode n) {
        if (!n.isObject() || n.size() != 1) throw new Unsupported("expression " + n);
        String k = n.fieldNames().next();
        JsonNode v = n.get(k);
        switch (k) {
            case "meta": return meta(v.path("key").asText());
            case "payload": return payload(v);
            case "ct": return ct(v);
            case "fib": return fib(v);
            case "&": {
                if (!v.isArray() || v.size() != 2) throw new Unsupported("expression " + n);
                Operand inner = operand(v.get(0));
                if (inner.type == null || inner.type == ValueType.IFNAME) throw new Unsupported("mask on " + NftText.expr(v.get(0), false));
                if (inner.type == ValueType.IPV6) return inner;
                Object m = inner.type.literal(v.get(1));
                if (!(m instanceof Long mask)) throw new Unsupported("mask " + v.get(1));
                return new Operand(ctx -> {
                    Object x = inner.read(ctx);
                    return x instanceof Long a ? (Object) (a & mask) : null;
                }, inner.type);
            }
            case "concat": {
                if (!v.isArray() || v.size() == 0) throw new Unsupported("expression " + n);
                List<Operand> parts = new ArrayList<>();
                boolean ipv6 = false;
                for (JsonNode p : v) {
                    Operand o = operand(p);
                    ipv6 |= o.type == ValueType.IPV6;
                    parts.add(o);
                }
                if (ipv6) return new Operand(ctx -> null, ValueType.IPV6);
                return new Operand(ctx -> {
                    List<Object> values = new ArrayList<>(parts.size());
                    for (Operand p : parts) {
                        Object x = p.read(ctx);
                        if (x == null) return null;
                        values.add(x);
                    }
                    return values;
                }, parts);
            }
            default: throw new Unsupported("expression \"" + k + "\" (" + NftText.expr(n, false) + ")");
        }
    }

    private Operand meta(String key) {
        switch (key) {
            case "iifname": return new Operand(ctx -> ctx.inIface == null ? "" : ctx.inIface, ValueType.IFNAME);
            case "oifname": return new Operand(ctx -> ctx.outIface == null ? "" : ctx.outIface, ValueType.IFNAME);
            // iif/oif compare interface indexes; without a device there is nothing to compare (NFT_BREAK)
            case "iif": return new Operand(ctx -> ctx.inIface, ValueType.IFNAME);
            case "oif": return new Operand(ctx -> ctx.outIface, ValueType.IFNAME);
            case "l4proto": return new Operand(ctx -> (long) ctx.packet.proto, ValueType.PROTO);
            case "nfproto": return new Operand(ctx -> "ipv4", ValueType.NFPROTO);
            case "protocol": return new Operand(ctx -> "ip", ValueType.ETHERTYPE);
            case "mark": return new Operand(ctx -> ctx.packet.mark & 0xffffffffL, ValueType.NUMBER);
            case "pkttype": return new Operand(RuleCompiler::pktType, ValueType.PKTTYPE);
            default: throw new Unsupported("meta " + key);
        }
    }

    /** What the link layer would say: the simulation knows only broadcast and multicast destinations. */
    private static Object pktType(PacketContext ctx) {
        int dst = ctx.packet.dst;
        if (Ip4.isMulticast(dst)) return "multicast";
        if (Ip4.isLimitedBroadcast(dst)) return "broadcast";
        if (ctx.inIface != null && "BROADCAST".equalsIgnoreCase(ctx.addressTypes == null ? null : ctx.addressTypes.typeOf(dst)))
            return "broadcast";
        return "host";
    }

    private Operand payload(JsonNode v) {
        if (!v.has("protocol")) throw new Unsupported("raw payload expression " + NftText.expr(
                JsonNodeFactory.instance.objectNode().set("payload", v), false));
        String proto = v.path("protocol").asText();
        String field = v.path("field").asText();
        switch (proto) {
            case "ip":
                switch (field) {
                    case "saddr": return new Operand(ctx -> ctx.packet.src & 0xffffffffL, ValueType.ADDR);
                    case "daddr": return new Operand(ctx -> ctx.packet.dst & 0xffffffffL, ValueType.ADDR);
                    case "protocol": return new Operand(ctx -> (long) ctx.packet.proto, ValueType.PROTO);
                    case "ttl": return new Operand(ctx -> (long) ctx.packet.ttl, ValueType.NUMBER);
                    case "dscp": return new Operand(ctx -> (long) (ctx.packet.tos >> 2), ValueType.DSCP);
                    case "version": return new Operand(ctx -> 4L, ValueType.NUMBER);
                    default: throw new Unsupported("ip " + field);
                }
            case "tcp", "udp": {
                int number = proto.equals("tcp") ? Packet.TCP : Packet.UDP;
                switch (field) {
                    case "sport": return new Operand(ctx -> ctx.packet.proto == number ? (Object) (long) ctx.packet.sport : null, ValueType.PORT);
                    case "dport": return new Operand(ctx -> ctx.packet.proto == number ? (Object) (long) ctx.packet.dport : null, ValueType.PORT);
                    case "flags":
                        if (number == Packet.TCP)
                            return new Operand(ctx -> ctx.packet.proto == Packet.TCP ? (Object) (long) ctx.packet.tcpFlags : null, ValueType.TCP_FLAGS);
                        throw new Unsupported("udp flags");
                    default: throw new Unsupported(proto + " " + field);
                }
            }
            case "th":
                // the transport header's first two 16-bit words: ports of tcp and udp; other protocols are not modelled
                switch (field) {
                    case "sport": return new Operand(ctx -> ctx.packet.hasPorts() ? (Object) (long) ctx.packet.sport : null, ValueType.PORT);
                    case "dport": return new Operand(ctx -> ctx.packet.hasPorts() ? (Object) (long) ctx.packet.dport : null, ValueType.PORT);
                    default: throw new Unsupported("th " + field);
                }
            case "icmp":
                switch (field) {
                    case "type": return new Operand(ctx -> ctx.packet.proto == Packet.ICMP ? (Object) (long) ctx.packet.icmpType : null, ValueType.ICMP_TYPE);
                    case "code": return new Operand(ctx -> ctx.packet.proto == Packet.ICMP ? (Object) (long) ctx.packet.icmpCode : null, ValueType.ICMP_CODE);
                    case "id": return new Operand(ctx -> ctx.packet.isIcmpEchoLike() ? (Object) (long) ctx.packet.sport : null, ValueType.NUMBER);
                    default: throw new Unsupported("icmp " + field);
                }
            case "ip6", "icmpv6", "ip6nh", "ah6", "frag", "rt0", "rt2", "rt", "srh", "hbh", "dst", "mh":
                return new Operand(ctx -> null, ValueType.IPV6);
            default: throw new Unsupported(proto + " " + field);
        }
    }

    private Operand ct(JsonNode v) {
        String key = v.path("key").asText();
        String dir = v.path("dir").asText("");
        switch (key) {
            case "state":
                return new Operand(ctx -> ctStateBit(ctx), ValueType.CT_STATE);
            case "status":
                return new Operand(ctx -> hasConnection(ctx) ? (Object) ((ctx.ctDnat ? 32L : 0L) | (ctx.ctSnat ? 16L : 0L)) : null,
                        ValueType.CT_STATUS);
            case "mark":
                if (!dir.isEmpty()) break;
                return new Operand(ctx -> hasConnection(ctx) ? (Object) (ctx.ctMark & 0xffffffffL) : null, ValueType.NUMBER);
            case "direction":
                return new Operand(ctx -> hasConnection(ctx) ? (Object) (ctx.ctReply ? 1L : 0L) : null, ValueType.CT_DIR);
            case "l3proto":
                return new Operand(ctx -> hasConnection(ctx) ? "ipv4" : null, ValueType.NFPROTO);
            case "ip saddr", "ip daddr", "saddr", "daddr":
                if (dir.equals("original")) {
                    boolean src = key.endsWith("saddr");
                    return new Operand(ctx -> {
                        if (!hasConnection(ctx)) return null;
                        Integer a = src ? ctx.ctOrigSrc : ctx.ctOrigDst;
                        return a == null ? null : (Object) (a & 0xffffffffL);
                    }, ValueType.ADDR);
                }
                break;
            case "ip6 saddr", "ip6 daddr":
                return new Operand(ctx -> null, ValueType.IPV6);
            default: break;
        }
        throw new Unsupported("ct " + (dir.isEmpty() ? "" : dir + " ") + key);
    }

    private static Object ctStateBit(PacketContext ctx) {
        if (ctx.notrack) return 64L;
        CtState s = ctx.ctState;
        return switch (s) {
            case INVALID -> 1L;
            case ESTABLISHED -> 2L;
            case RELATED -> 4L;
            case NEW -> 8L;
            case UNTRACKED -> 64L;
        };
    }

    private Operand fib(JsonNode v) {
        String result = v.path("result").asText();
        List<String> flags = new ArrayList<>();
        for (JsonNode f : v.path("flags")) flags.add(f.asText());
        // the model knows how the host's routing classifies an address (AddressTypes), not lookups tied to a device
        if (result.equals("type") && flags.size() == 1 && (flags.get(0).equals("daddr") || flags.get(0).equals("saddr"))) {
            boolean dst = flags.get(0).equals("daddr");
            return new Operand(ctx -> {
                if (ctx.addressTypes == null) return null;
                String t = ctx.addressTypes.typeOf(dst ? ctx.packet.dst : ctx.packet.src);
                return t == null ? null : t.toLowerCase(Locale.ROOT);
            }, ValueType.FIB_TYPE);
        }
        throw new Unsupported("fib " + String.join(" . ", flags) + " " + result
                + " (route lookups restricted to a device are not modelled)");
    }
}
