package roundtrip.netfilter.nft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import roundtrip.model.Ip;
import roundtrip.model.Message;
import roundtrip.model.Packet;
import roundtrip.model.Problem;
import roundtrip.model.Source;
import roundtrip.netfilter.CtState;
import roundtrip.netfilter.Hook;
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
 * {@link Unsupported}; the reader turns that into the rule's problem. What a rule reads that the model cannot
 * know for a probe (the time of day, the user owning a local socket, which backend a load balancer picks) is
 * read as {@link Operand.Unknown}: the match is taken as holding and the probe is marked uncertain, with why.
 * Rate and volume limits are evaluated as for the first packet of a quiet flow, and say so in the trace.
 */
final class RuleCompiler {
    /** the table's named sets and maps by name: their JSON, compiled on use for the type of what is looked up */
    private final Map<String, JsonNode> sets;
    /** the table's stateful objects ("limit NAME", "quota NAME") by kind and name */
    private final Map<String, JsonNode> objects;
    private final Map<String, Elem> compiledSets = new HashMap<>();
    /** sets that rules add elements to as packets pass (`add @s`, `update @s`, meters) */
    private final Set<String> filledByRules = new HashSet<>();
    /**
     * A statement that acts on one family only in a table that sees both (`reject with icmp`, `dnat ip to` in an inet
     * table: nft gives them a hidden `meta nfproto` dependency): the test put before it, set while it is compiled.
     */
    private Step.Test familyGuard;
    /** the rule being compiled, to name it when a packet's verdict through it becomes uncertain */
    private Source source = Source.NONE;

    RuleCompiler(Map<String, JsonNode> sets) {
        this(sets, Map.of());
    }

    RuleCompiler(Map<String, JsonNode> sets, Map<String, JsonNode> objects) {
        this.sets = sets;
        this.objects = objects;
    }

    /** Compiles one rule's expressions; jump targets are resolved later. */
    List<Step> compile(JsonNode exprs) {
        return compile(exprs, Source.NONE);
    }

    List<Step> compile(JsonNode exprs, Source rule) {
        if (!exprs.isArray()) throw new Unsupported("rule without an expression list");
        source = rule;
        List<Step> steps = new ArrayList<>();
        for (JsonNode e : exprs) {
            familyGuard = null;
            Step st = statement(e);
            if (familyGuard != null) steps.add(familyGuard);
            steps.add(st);
        }
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
            // counters, logging, tracing, DSCP-free marks of no consequence: nothing the path depends on
            case "counter", "last": return (Step.Effect) ctx -> null;
            case "log": return (Step.Effect) ctx -> NftText.statement(s);
            case "limit": return limit(v, NftText.statement(s));
            case "quota": return quota(v, NftText.statement(s));
            case "ct count": return connlimit(v);
            case "notrack": return (Step.Effect) ctx -> {
                ctx.notrack = true;
                return "notrack";
            };
            case "mangle": return mangle(v);
            case "reject": return reject(v);
            case "snat", "dnat", "masquerade", "redirect": return nat(k, v);
            case "vmap": return vmap(v);
            case "queue": return Step.Terminal.verdict(Verdict.Kind.QUEUE, NftText.statement(s));
            case "ct helper", "ct timeout", "ct expectation", "secmark":
                return (Step.Effect) ctx -> k + " set " + NftText.expr(v, true);
            case "flow": return (Step.Effect) ctx -> null;   // flowtable offload: established traffic only, already accepted
            case "dup": return (Step.Effect) ctx -> NftText.statement(s);   // a copy goes elsewhere; this packet goes on
            case "reset": return (Step.Effect) ctx -> null;   // a TCP option stripped: no verdict depends on it
            case "set", "map": return dynamicSet(k, v);
            case "meter": return meter(v);
            case "xt": throw new Unsupported("iptables-nft extension (xt " + v.path("type").asText() + " "
                    + v.path("name").asText() + "): only iptables-save shows what it does");
            case "synproxy": throw new Unsupported("synproxy (answers the TCP handshake in place of the server)");
            case "tproxy": throw new Unsupported("tproxy (hands the packet to a local socket without changing it)");
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
        for (JsonNode e : mapElements(data)) {
            if (!e.isArray() || e.size() != 2) throw new Unsupported("verdict map element " + e);
            entries.add(new Step.VerdictMap.Entry(element(key, e.get(0)), verdictOf(e.get(1))));
        }
        return new Step.VerdictMap(key, entries);
    }

    /**
     * The elements of an anonymous map ({"set": [...]}) or of a named one ("@name"), the catch-all element ("*")
     * last: it is taken only when no other element matches.
     */
    private JsonNode mapElements(JsonNode data) {
        JsonNode elems;
        if (data.isTextual() && data.textValue().startsWith("@")) {
            JsonNode map = sets.get(data.textValue().substring(1));
            if (map == null) throw new Unsupported("map " + data.textValue() + " is not in the ruleset");
            elems = map.path("elem");
        } else {
            elems = data.path("set");
        }
        com.fasterxml.jackson.databind.node.ArrayNode ordered = JsonNodeFactory.instance.arrayNode();
        JsonNode catchAll = null;
        for (JsonNode e : elems) {
            if (e.isArray() && e.size() == 2 && e.get(0).isTextual() && e.get(0).textValue().equals("*")) catchAll = e;
            else ordered.add(e);
        }
        if (catchAll != null) ordered.add(catchAll);
        return ordered;
    }

    // -------------------------------------------------------------------- rates, volumes and sets filled by rules

    /**
     * `limit rate [over] N/unit`: a probe is one packet of a quiet flow, far below any rate, so `limit rate` lets
     * it through and `limit rate over` does not match (nft_limit_eval: NFT_BREAK when the rate is (not) exceeded).
     */
    private Step limit(JsonNode v, String text) {
        JsonNode def = v.isTextual() ? objects.get("limit " + v.textValue()) : v;
        if (def == null) throw new Unsupported("limit object \"" + v.asText() + "\" is not in the ruleset");
        boolean over = def.path("inv").asBoolean(false);
        String said = text + (over ? "" : " (one packet of a quiet flow: within the rate)");
        return (Step.Effect) ctx -> over ? Step.BREAK : said;
    }

    /**
     * `quota [over|until] N unit [used M unit]`: nft_quota_eval breaks when the quota is (not) used up. Evaluated with
     * what the ruleset says is used already, plus the probe's packet.
     */
    private Step quota(JsonNode v, String text) {
        JsonNode def = v.isTextual() ? objects.get("quota " + v.textValue()) : v;
        if (def == null) throw new Unsupported("quota object \"" + v.asText() + "\" is not in the ruleset");
        long limit = def.has("bytes") ? def.path("bytes").asLong() : def.path("val").asLong() * unit(def.path("val_unit").asText("bytes"));
        long used = def.has("bytes") ? def.path("used").asLong() : def.path("used").asLong() * unit(def.path("used_unit").asText("bytes"));
        boolean over = def.path("inv").asBoolean(false);
        return (Step.Effect) ctx -> {
            // nft_overquota: over once what was consumed, this packet included, reaches the quota
            boolean exhausted = used + ipLength(ctx.packet) >= limit;
            if (exhausted != over) return Step.BREAK;
            return text + " (" + used + " of " + limit + " bytes used as listed)";
        };
    }

    private static long unit(String u) {
        return switch (u) {
            case "kbytes" -> 1024L;
            case "mbytes" -> 1024L * 1024;
            default -> 1L;
        };
    }

    /** `ct count [over] N`: a probe's connection is the only one of a quiet source, so the count is 1. */
    private Step connlimit(JsonNode v) {
        long limit = v.path("val").asLong();
        boolean over = v.path("inv").asBoolean(false);
        String text = "ct count " + (over ? "over " : "") + limit + " (a probe's connection is counted alone: 1)";
        return (Step.Effect) ctx -> (1 > limit) == over ? text : Step.BREAK;
    }

    /**
     * `add @set { key [limit/quota/ct count] }`, `update @set ...`, `delete @set ...`: the element is added as the
     * packet passes, which only later lookups see; the statements inside count for this element alone, evaluated as
     * the first packet of a quiet flow.
     */
    private Step dynamicSet(String kind, JsonNode v) {
        String name = v.path(kind).asText("");
        if (!name.startsWith("@")) throw new Unsupported(kind + " statement without a set");
        String op = v.path("op").asText();
        if (op.equals("add") || op.equals("update")) filledByRules.add(name.substring(1));
        else if (op.equals("delete")) throw new Unsupported("delete @" + name.substring(1) + " (elements removed as packets pass)");
        List<Step> inner = new ArrayList<>();
        for (JsonNode st : v.path("stmt")) inner.add(statement(st));
        String text = NftText.statement(JsonNodeFactory.instance.objectNode().set(kind, v));
        return (Step.Effect) ctx -> {
            for (Step st : inner) if (st instanceof Step.Effect e && e.apply(ctx) == Step.BREAK) return Step.BREAK;
            return text;
        };
    }

    /** The old `meter NAME { key statement }`: a set filled by this rule, its statement per element. */
    private Step meter(JsonNode v) {
        filledByRules.add(v.path("name").asText());
        Step inner = statement(v.path("stmt"));
        return (Step.Effect) ctx -> inner instanceof Step.Effect e && e.apply(ctx) == Step.BREAK ? Step.BREAK : null;
    }

    // ---------------------------------------------------------------------------------------------- verdicts

    private static final Step.Test ONLY_V4 = ctx -> ctx.packet.family() == Ip.Family.IPV4;
    private static final Step.Test ONLY_V6 = ctx -> ctx.packet.family() == Ip.Family.IPV6;

    /**
     * `reject [with tcp reset | icmp type T | icmpv6 type T | icmpx type T]`: the answer in ip6tables' and iptables'
     * words. icmpx and a plain reject answer each family in its own ICMP (nft_reject_inet: port-unreachable, no-route,
     * host-unreachable as ICMPv6 address unreachable, admin-prohibited); `icmp` acts on IPv4 packets only, `icmpv6`
     * on IPv6 ones.
     */
    private Step reject(JsonNode v) {
        String type = v.isObject() ? v.path("type").asText("") : "";
        String with;
        String code = v.isObject() ? v.path("expr").asText("port-unreachable") : "port-unreachable";
        if (type.equals("tcp reset")) {
            with = "tcp-reset";
        } else if (type.equals("icmpv6")) {
            familyGuard = ONLY_V6;
            String with6 = icmpv6Reject(code, type);
            return Step.Terminal.reject(with6, with6, "reject with icmpv6 " + code);
        } else {
            if (type.equals("icmp")) familyGuard = ONLY_V4;
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
        if (with.equals("tcp-reset") || type.equals("icmp")) return Step.Terminal.reject(with, with, text);
        String with6 = switch (code) {
            case "no-route" -> "icmp6-no-route";
            case "host-unreachable" -> "icmp6-addr-unreachable";
            case "admin-prohibited" -> "icmp6-adm-prohibited";
            default -> "icmp6-port-unreachable";
        };
        return Step.Terminal.reject(with, with6, text);
    }

    /** nft's ICMPv6 codes in ip6tables' words (the kernel model's vocabulary for REJECT). */
    private static String icmpv6Reject(String code, String type) {
        return switch (code) {
            case "no-route" -> "icmp6-no-route";
            case "admin-prohibited" -> "icmp6-adm-prohibited";
            case "addr-unreachable" -> "icmp6-addr-unreachable";
            case "port-unreachable" -> "icmp6-port-unreachable";
            case "policy-fail" -> "icmp6-policy-fail";
            case "reject-route" -> "icmp6-reject-route";
            default -> throw new Unsupported("reject with " + type + " type " + code);
        };
    }

    private Step nat(String k, JsonNode v) {
        String fam = v.isObject() ? v.path("family").asText("") : "";
        // `dnat ip to` in an inet table acts on IPv4 packets only, `dnat ip6 to` on IPv6 ones
        if (fam.equals("ip")) familyGuard = ONLY_V4;
        if (fam.equals("ip6")) familyGuard = ONLY_V6;
        NatAction.Type type = switch (k) {
            case "snat" -> NatAction.Type.SNAT;
            case "dnat" -> NatAction.Type.DNAT;
            case "masquerade" -> NatAction.Type.MASQUERADE;
            default -> NatAction.Type.REDIRECT;
        };
        String text = NftText.statement(JsonNodeFactory.instance.objectNode().set(k, v));
        JsonNode addr = v.isObject() ? v.get("addr") : null;
        int[] ports = ports(k, v.isObject() ? v.get("port") : null);
        if (addr != null && addr.has("map")) return natFromMap(type, k, addr.get("map"), ports, netmap(v), text);
        if (addr != null && !addr.isTextual() && !addr.has("range") && !addr.has("prefix"))
            throw new Unsupported(k + " to an address computed by " + NftText.expr(addr, false));
        Ip[] range = addr == null ? null : isV6Address(addr) ? addressRange6(k, addr) : v4Range(addressRange(k, addr));
        if ((type == NatAction.Type.SNAT || type == NatAction.Type.DNAT) && range == null) throw new Unsupported(k + " without an address");
        NatAction action = new NatAction(type, range == null ? null : range[0], range == null ? null : range[1], ports[0], ports[1]);
        return new Step.Terminal(Step.Terminal.Kind.VERDICT, Verdict.Kind.NAT, null, action, null, text);
    }

    private static boolean netmap(JsonNode v) {
        JsonNode f = v.path("flags");
        if (f.isTextual()) return f.asText().equals("netmap");
        for (JsonNode x : f) if (x.asText().equals("netmap")) return true;
        return false;
    }

    private static int[] ports(String k, JsonNode p) {
        if (p == null) return new int[] {0, 0};
        if (p.isIntegralNumber()) return new int[] {p.intValue(), p.intValue()};
        if (p.has("range")) return new int[] {p.get("range").path(0).asInt(), p.get("range").path(1).asInt()};
        throw new Unsupported(k + " to port " + p);
    }

    private static Ip[] v4Range(Long[] r) { return r == null ? null : new Ip[] {Ip.v4((int) (long) r[0]), Ip.v4((int) (long) r[1])}; }

    /** Whether a NAT address (a literal, range or prefix) is IPv6. */
    private static boolean isV6Address(JsonNode a) {
        JsonNode first = a.isTextual() ? a : a.has("range") ? a.get("range").path(0) : a.has("prefix") ? a.get("prefix").path("addr") : null;
        return first != null && first.isTextual() && first.textValue().contains(":");
    }

    /** An IPv6 address, range or prefix: the first and last address NAT may choose. */
    private static Ip[] addressRange6(String k, JsonNode a) {
        Ip from, to;
        if (a.isTextual()) {
            from = to = Ip.parseV6OrNull(a.textValue());
        } else if (a.has("range")) {
            from = Ip.parseV6OrNull(a.get("range").path(0).asText());
            to = Ip.parseV6OrNull(a.get("range").path(1).asText());
        } else {
            Ip net = Ip.parseV6OrNull(a.get("prefix").path("addr").asText());
            int len = a.get("prefix").path("len").asInt(-1);
            if (net == null || len < 0 || len > 128) throw new Unsupported(k + " to " + a + ": not an IPv6 prefix");
            from = net.masked(len);
            to = net.lastOf(len);
        }
        if (from == null || to == null) throw new Unsupported(k + " to " + a + ": not an IPv6 address");
        return new Ip[] {from, to};
    }

    /** An address, a range or a prefix: the first and last address NAT may choose. */
    private static Long[] addressRange(String k, JsonNode a) {
        try {
            if (a.isTextual()) {
                if (a.textValue().contains(":")) throw new Unsupported(k + " to " + a + ": not an IPv4 address");
                long x = Ip.parseV4(a.textValue()).v4() & 0xffffffffL;
                return new Long[] {x, x};
            }
            if (a.has("range")) {
                return new Long[] {Ip.parseV4(a.get("range").path(0).asText()).v4() & 0xffffffffL,
                        Ip.parseV4(a.get("range").path(1).asText()).v4() & 0xffffffffL};
            }
            if (a.has("prefix")) {
                int net = Ip.parseV4(a.get("prefix").path("addr").asText()).v4();
                int len = a.get("prefix").path("len").asInt();
                long from = (net & Ip.v4Mask(len)) & 0xffffffffL;
                return new Long[] {from, from | (~Ip.v4Mask(len) & 0xffffffffL)};
            }
        } catch (IllegalArgumentException e) {
            throw new Unsupported(k + " to " + a + ": not an IPv4 address");
        }
        return null;
    }

    /**
     * `dnat to ip daddr map { ... }`, `snat ip prefix to ip saddr map { ... }`, `dnat ip to tcp dport map { 80 : a . p }`:
     * the address (and port) come from the map element the packet's key finds; no element, no NAT (the lookup breaks
     * the rule). With `netmap` the element's prefix replaces the network part and keeps the host part (nf_nat's
     * NF_NAT_RANGE_NETMAP). A key nobody can predict (numgen, jhash: a load balancer) is uncertain.
     */
    private Step natFromMap(NatAction.Type type, String k, JsonNode map, int[] ports, boolean netmap, String text) {
        Operand key = operand(map.path("key"));
        List<Elem> keys = new ArrayList<>();
        List<JsonNode> data = new ArrayList<>();
        for (JsonNode e : mapElements(map.path("data"))) {
            if (!e.isArray() || e.size() != 2) throw new Unsupported(k + " map element " + e);
            keys.add(element(key, e.get(0)));
            data.add(e.get(1));
        }
        List<NatChoice> choices = new ArrayList<>();
        for (JsonNode d : data) choices.add(natChoice(k, d));
        boolean source = type == NatAction.Type.SNAT;
        Source rule = source();
        return new Step.Terminal(Step.Terminal.Kind.VERDICT, Verdict.Kind.NAT, null, null, null, text, ctx -> {
            Object kv = key.read(ctx);
            int index = -1;
            if (kv instanceof Operand.Unknown u) {
                uncertain(ctx, rule, Message.of(Sentences.FIRST_MAP_ELEMENT_TAKEN, u.reason()));
                index = choices.isEmpty() ? -1 : 0;
            } else if (kv != null) {
                for (int i = 0; i < keys.size(); i++) if (keys.get(i).test(kv)) { index = i; break; }
            }
            if (index < 0) return null;
            NatChoice c = choices.get(index);
            Ip from = c.from, to = c.to;
            if (netmap) {
                Ip old = source ? ctx.packet.src : ctx.packet.dst;
                if (old.family() != from.family()) return null;   // a map of the other family's addresses
                from = to = old.withNetwork(c.from, c.netmapLen);   // NF_NAT_RANGE_NETMAP
            }
            int pf = c.port != 0 ? c.port : ports[0], pt = c.port != 0 ? c.port : ports[1];
            return new NatAction(type, from, to, pf, pt);
        });
    }

    private record NatChoice(Ip from, Ip to, int netmapLen, int port) {}

    private static NatChoice natChoice(String k, JsonNode d) {
        int port = 0;
        JsonNode a = d;
        if (d.has("concat")) {
            a = d.get("concat").path(0);
            JsonNode p = d.get("concat").path(1);
            if (!p.isIntegralNumber()) throw new Unsupported(k + " map data " + d);
            port = p.intValue();
        }
        boolean v6 = isV6Address(a);
        Ip[] range = v6 ? addressRange6(k, a) : v4Range(addressRange(k, a));
        if (range == null) throw new Unsupported(k + " map data " + d);
        int len = a.has("prefix") ? a.get("prefix").path("len").asInt() : v6 ? 128 : 32;
        return new NatChoice(range[0], range[1], len, port);
    }

    // ---------------------------------------------------------------------------------------------- statements that set

    /** `meta mark set ...`, `ct mark set ...`, header fields set; statements without an effect the model sees are traced only. */
    private Step mangle(JsonNode v) {
        JsonNode key = v.path("key");
        JsonNode value = v.path("value");
        String text = NftText.expr(key, false) + " set " + NftText.expr(value, false);
        if (key.has("meta")) {
            String k = key.get("meta").path("key").asText();
            switch (k) {
                case "mark": {
                    Arith a = arith(value, ValueType.NUMBER);
                    return (Step.Effect) ctx -> {
                        Object x = a.eval(ctx);
                        if (x == Step.BREAK) return Step.BREAK;
                        if (x instanceof Long m) ctx.packet.mark = m & 0xffffffffL;
                        return "meta mark set " + NftText.expr(value, false);
                    };
                }
                case "nftrace", "priority", "secmark", "pkttype":
                    // tracing, the qdisc class, the SELinux label, the packet type seen by later hooks: no verdict here
                    return (Step.Effect) ctx -> text;
                default: throw new Unsupported("meta " + k + " set");
            }
        }
        if (key.has("ct")) {
            String k = key.get("ct").path("key").asText();
            if (k.equals("mark") && !key.get("ct").has("dir")) {
                Arith a = arith(value, ValueType.NUMBER);
                return (Step.Effect) ctx -> {
                    if (!hasConnection(ctx)) return null;   // no connection, nothing to set
                    Object x = a.eval(ctx);
                    if (x == Step.BREAK) return Step.BREAK;
                    if (x instanceof Long m) ctx.ctMark = m & 0xffffffffL;
                    return "ct mark set " + NftText.expr(value, false);
                };
            }
            if (k.equals("label") || k.equals("event") || k.equals("expectation") || k.equals("timeout") || k.equals("helper"))
                return (Step.Effect) ctx -> text;
            throw new Unsupported("ct " + k + " set");
        }
        if (key.has("payload")) return payloadSet(key.get("payload"), value, text);
        if (key.has("tcp option") && key.get("tcp option").path("name").asText().equals("maxseg")) {
            // MSS clamping changes no routing or filtering decision the model makes
            return (Step.Effect) ctx -> text;
        }
        if (key.has("exthdr")) return (Step.Effect) ctx -> null;   // IPv6 extension headers: the model's packets carry none
        throw new Unsupported(NftText.expr(key, false) + " set");
    }

    /** Header fields rewritten by a rule: the TOS byte (DSCP, ECN), the TTL, stateless address and port changes. */
    private Step payloadSet(JsonNode p, JsonNode value, String text) {
        String proto = p.path("protocol").asText();
        String field = p.path("field").asText();
        ValueType type = switch (proto + " " + field) {
            case "ip dscp", "ip6 dscp" -> ValueType.DSCP;
            case "ip ecn", "ip6 ecn" -> ValueType.ECN;
            case "ip6 hoplimit" -> ValueType.NUMBER;
            case "ip saddr", "ip daddr" -> ValueType.ADDR;
            case "tcp sport", "tcp dport", "udp sport", "udp dport", "th sport", "th dport" -> ValueType.PORT;
            case "ip ttl" -> ValueType.NUMBER;
            default -> throw new Unsupported(proto + " " + field + " set");
        };
        Arith a = arith(value, type);
        // a header of the other family is not there to set (in an inet table)
        Ip.Family only = proto.equals("ip") ? Ip.Family.IPV4 : proto.equals("ip6") ? Ip.Family.IPV6 : null;
        return (Step.Effect) ctx -> {
            if (only != null && ctx.packet.family() != only) return null;
            Object x = a.eval(ctx);
            if (x == Step.BREAK) return Step.BREAK;
            if (!(x instanceof Long n)) return null;
            Packet pk = ctx.packet;
            switch (proto + " " + field) {
                // the TOS byte (IPv6's traffic class) is what `ip rule ... tos` routes by: DSCP its upper six bits, ECN the lower two
                case "ip dscp", "ip6 dscp" -> pk.tos = (int) ((n & 63) << 2) | (pk.tos & 3);
                case "ip ecn", "ip6 ecn" -> pk.tos = (pk.tos & ~3) | (int) (n & 3);
                case "ip6 hoplimit" -> pk.ttl = (int) (n & 255);
                case "ip saddr" -> pk.src = Ip.v4((int) (long) n);
                case "ip daddr" -> pk.dst = Ip.v4((int) (long) n);
                case "ip ttl" -> pk.ttl = (int) (n & 255);
                default -> {
                    if (!pk.hasPorts() || (proto.equals("tcp") && pk.proto != Packet.TCP) || (proto.equals("udp") && pk.proto != Packet.UDP))
                        return null;
                    if (field.equals("sport")) pk.sport = (int) (n & 0xffff);
                    else pk.dport = (int) (n & 0xffff);
                }
            }
            return text;
        };
    }

    /** A value computed at run time: a number, the packet or connection mark, a map lookup, combined with & | ^ << >>. */
    @FunctionalInterface
    interface Arith {
        /** a Long, null when there is nothing (no connection), or {@link Step#BREAK} when a lookup found no element */
        Object eval(PacketContext ctx);
    }

    private Arith arith(JsonNode n, ValueType type) {
        if (n.isIntegralNumber()) {
            long c = n.longValue() & 0xffffffffL;
            return ctx -> c;
        }
        if (n.isTextual()) {
            Object c = type.literal(n);
            if (!(c instanceof Long)) throw new Unsupported("value " + n);
            return ctx -> c;
        }
        if (n.has("map")) {
            JsonNode map = n.get("map");
            Operand key = operand(map.path("key"));
            List<Elem> keys = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            for (JsonNode e : mapElements(map.path("data"))) {
                if (!e.isArray() || e.size() != 2) throw new Unsupported("map element " + e);
                keys.add(element(key, e.get(0)));
                Object d = type.literal(e.get(1));
                if (!(d instanceof Long)) throw new Unsupported("map data " + e.get(1));
                values.add(d);
            }
            Source rule = source();
            return ctx -> {
                Object kv = key.read(ctx);
                if (kv instanceof Operand.Unknown u) {
                    uncertain(ctx, rule, Message.of(Sentences.FIRST_MAP_ELEMENT_TAKEN, u.reason()));
                    return values.isEmpty() ? Step.BREAK : values.get(0);
                }
                if (kv == null) return Step.BREAK;
                for (int i = 0; i < keys.size(); i++) if (keys.get(i).test(kv)) return values.get(i);
                return Step.BREAK;   // nft_lookup without an element: NFT_BREAK
            };
        }
        if (n.has("meta") && n.get("meta").path("key").asText().equals("mark")) return ctx -> ctx.packet.mark & 0xffffffffL;
        if (n.has("ct") && n.get("ct").path("key").asText().equals("mark") && !n.get("ct").has("dir"))
            return ctx -> hasConnection(ctx) ? ctx.ctMark & 0xffffffffL : null;
        if (n.has("payload") || n.has("meta") || n.has("ct")) {
            // `meta mark set ip dscp`: what the packet has, read as for a match
            Operand o = operand(n);
            Source rule = source();
            return ctx -> {
                Object x = o.read(ctx);
                if (x instanceof Operand.Unknown u) {
                    uncertain(ctx, rule, Message.of(Sentences.VALUE_SET_UNKNOWN, u.reason()));
                    return null;
                }
                return x instanceof Long l ? l : x == null ? Step.BREAK : null;
            };
        }
        for (String op : new String[] {"&", "|", "^", "<<", ">>"}) {
            if (!n.has(op)) continue;
            JsonNode args = n.get(op);
            if (!args.isArray() || args.size() != 2) throw new Unsupported("expression " + n);
            Arith l = arith(args.get(0), type), r = arith(args.get(1), type);
            return ctx -> {
                Object a = l.eval(ctx), b = r.eval(ctx);
                if (a == Step.BREAK || b == Step.BREAK) return Step.BREAK;
                if (!(a instanceof Long x) || !(b instanceof Long y)) return null;
                long z = switch (op) {
                    case "&" -> x & y;
                    case "|" -> x | y;
                    case "^" -> x ^ y;
                    case "<<" -> x << y;
                    default -> x >>> y;
                };
                return z & 0xffffffffL;
            };
        }
        throw new Unsupported("value " + n);
    }

    static boolean hasConnection(PacketContext ctx) { return ctx.ctOrigSrc != null && !ctx.notrack; }

    private Source source() { return source; }

    private static void uncertain(PacketContext ctx, Source rule, Message why) {
        Problem p = new Problem(rule, why);
        if (!ctx.uncertain.contains(p)) ctx.uncertain.add(p);
    }

    // ---------------------------------------------------------------------------------------------- matches

    private Step match(JsonNode m) {
        String op = m.path("op").asText("==");
        Operand left = operand(m.path("left"));
        JsonNode right = m.path("right");
        if (left.type == ValueType.IPV6) return (Step.Test) ctx -> false;   // an IPv6 field: IPv4 packets never match
        Source rule = source();
        Step.Test test = test(op, left, right);
        Set<String> dynamic = right.isTextual() && right.textValue().startsWith("@") && !left.isUnknowable()
                ? Set.of(right.textValue().substring(1)) : Set.of();
        String unknownStatus = left.type == ValueType.CT_STATUS ? unmodelledStatus(right) : null;
        return (Step.Test) ctx -> {
            Object v = left.read(ctx);
            if (v instanceof Operand.Unknown u) {
                uncertain(ctx, rule, Message.of(Sentences.TAKEN_AS_MATCHING, u.reason()));
                return true;
            }
            if (unknownStatus != null && v != null) uncertain(ctx, rule, Message.of(Sentences.CT_STATUS_NOT_MODELLED, unknownStatus));
            boolean r = test.test(ctx);
            if (!r && !dynamic.isEmpty() && v != null && (op.equals("==") || op.equals("in"))) {
                String name = dynamic.iterator().next();
                if (filledByRules.contains(name))
                    uncertain(ctx, rule, Message.of(Sentences.SET_FILLED_BY_RULES, name));
            }
            return r;
        };
    }

    /** The ct status bits a match names that the model does not follow (assured, dying, ...), or null. */
    private static String unmodelledStatus(JsonNode right) {
        long bits;
        try {
            Object b = ValueType.CT_STATUS.literal(right.has("set") ? right.get("set").path(0) : right);
            if (!(b instanceof Long x)) return null;
            bits = x;
        } catch (Unsupported e) {
            return null;
        }
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, Long> e : NftTypes.CT_STATUS.entrySet())
            if ((bits & e.getValue()) != 0 && (e.getValue() & MODELLED_STATUS) == 0) names.add(e.getKey());
        return names.isEmpty() ? null : String.join(",", names);
    }

    /** ct status bits the model knows: expected, seen-reply, confirmed, snat, dnat */
    private static final long MODELLED_STATUS = 1 | 2 | 8 | 16 | 32;

    private Step.Test test(String op, Operand left, JsonNode right) {
        if (left.isUnknowable()) return ctx -> true;   // never asked: the match is uncertain before
        switch (op) {
            case "==": {
                Elem e = element(left, right);
                return ctx -> {
                    Object v = left.read(ctx);
                    return v != null && e.test(v);
                };
            }
            case "!=": {
                Elem e = element(left, right);
                return ctx -> {
                    Object v = left.read(ctx);
                    return v != null && !e.test(v);
                };
            }
            case "in", "!": {
                if (left.type != null && left.type.isBitmask() && !isSet(right)) {
                    // `ct state invalid`, `ct status dnat`, `tcp flags syn`: any of the bits set; `!`: none of them
                    long bits = (Long) left.type.literal(right);
                    boolean any = op.equals("in");
                    return ctx -> {
                        Object v = left.read(ctx);
                        return v instanceof Long x && ((x & bits) != 0) == any;
                    };
                }
                if (op.equals("!")) throw new Unsupported("match operator ! on a " + word(left));
                Elem e = element(left, right);
                return ctx -> {
                    Object v = left.read(ctx);
                    return v != null && e.test(v);
                };
            }
            case "<", ">", "<=", ">=": {
                if (left.type == null || left.type == ValueType.IFNAME) throw new Unsupported("comparison " + op + " on a " + word(left));
                Object lit = left.type.literal(right);
                if (!(lit instanceof Long)) throw new Unsupported("comparison with " + right);
                long c = (Long) lit;
                return ctx -> {
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
        if (left.isUnknowable()) return x -> true;   // never asked: the match is uncertain before
        if (n.isTextual() && n.textValue().equals("*") && left.type != ValueType.IFNAME) return x -> true;   // the catch-all
        if (n.isTextual() && n.textValue().startsWith("@")) return namedSet(left, n.textValue().substring(1));
        if (n.isObject() && n.size() == 1 && !n.has("|")) {
            String k = n.fieldNames().next();
            JsonNode v = n.get(k);
            switch (k) {
                case "set": {
                    if (!v.isArray()) return element(left, v);
                    return setOf(left, v);
                }
                case "elem": return element(left, v.path("val"));
                case "prefix": return prefix(left, n, v);
                case "range": {
                    if (left.type == null || left.type == ValueType.IFNAME || !v.isArray() || v.size() != 2)
                        throw new Unsupported("range " + n + " for a " + word(left));
                    Object lo = left.type.literal(v.get(0)), hi = left.type.literal(v.get(1));
                    if (lo == ValueType.NEVER || hi == ValueType.NEVER) return x -> false;
                    if (lo instanceof Ip l6 && hi instanceof Ip h6)
                        return x -> x instanceof Ip a && a.compareTo(l6) >= 0 && a.compareTo(h6) <= 0;
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
        if (lit instanceof Boolean exists && left.type == ValueType.FIB_DEVICE)
            return x -> x instanceof String dev && !dev.isEmpty() == exists;
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

    /** `10.0.0.0/8` for an address; `0x00000000/16` (nft's way to list `mark & 0xffff0000 == 0`) for a 32-bit number. */
    private Elem prefix(Operand left, JsonNode n, JsonNode v) {
        if (left.type == ValueType.ADDR6) {
            Object net6 = left.type.literal(v.path("addr"));
            if (net6 == ValueType.NEVER) return x -> false;
            int len6 = v.path("len").asInt(-1);
            if (len6 < 0 || len6 > 128) throw new Unsupported("prefix length in " + n);
            Ip base = ((Ip) net6).masked(len6);
            return x -> x instanceof Ip a && base.samePrefix(a, len6);
        }
        if (left.type != ValueType.ADDR && left.type != ValueType.NUMBER)
            throw new Unsupported("prefix " + NftText.expr(n, false) + " for a " + word(left));
        Object net = left.type.literal(v.path("addr"));
        if (net == ValueType.NEVER) return x -> false;
        int len = v.path("len").asInt(-1);
        if (len < 0 || len > 32) throw new Unsupported("prefix length in " + n);
        long mask = Ip.v4Mask(len) & 0xffffffffL;
        long want = (Long) net & mask;
        return x -> x instanceof Long a && (a & mask) == want;
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
            case "numgen", "jhash", "symhash":
                return Operand.unknowable(Message.of(Sentences.LOAD_BALANCER_PICK, k), ValueType.NUMBER);
            case "socket":
                return Operand.unknowable(Message.of(Sentences.SOCKET_NOT_MODELLED, v.path("key").asText()),
                        ValueType.NUMBER);
            case "osf":
                return Operand.unknowable(Message.of(Sentences.OS_FINGERPRINT_UNKNOWN), ValueType.TEXT);
            case "rt":
                if (v.path("key").asText().equals("mtu")) return new Operand(ctx -> 1500L, ValueType.NUMBER);
                if (v.path("key").asText().equals("ipsec")) return new Operand(ctx -> false, ValueType.BOOL);   // no IPsec in the model
                throw new Unsupported("rt " + v.path("key").asText());
            case "exthdr":
                // `exthdr NAME exists`: the model's IPv6 packets carry no extension header; its fields are never there
                if (!v.has("field")) return new Operand(ctx -> isV4(ctx) ? null : Boolean.FALSE, ValueType.BOOL);
                return Operand.opaque(ctx -> null);
            case "tcp option", "ip option":
                throw new Unsupported(NftText.expr(n, false) + " (header options are not in the model's packets)");
            // IPsec policy state, SCTP chunks, DCCP options: the model's packets have none (the kernel's dependency
            // or its lookup fails, and the rule does not match)
            case "ipsec", "sctp chunk", "dccp option": return Operand.opaque(ctx -> null);
            case "&", "|", "^", "<<", ">>": {
                if (!v.isArray() || v.size() != 2) throw new Unsupported("expression " + n);
                Operand inner = operand(v.get(0));
                if (inner.type == null || inner.type == ValueType.IFNAME) throw new Unsupported(k + " on " + NftText.expr(v.get(0), false));
                if (inner.type == ValueType.IPV6 || inner.isUnknowable()) return inner;
                Object m = (k.equals("<<") || k.equals(">>") ? ValueType.NUMBER : inner.type).literal(v.get(1));
                if (!(m instanceof Long c)) throw new Unsupported(k + " " + v.get(1));
                return new Operand(ctx -> {
                    Object x = inner.read(ctx);
                    if (!(x instanceof Long a)) return x;
                    long r = switch (k) {
                        case "&" -> a & c;
                        case "|" -> a | c;
                        case "^" -> a ^ c;
                        case "<<" -> a << c;
                        default -> a >>> c;
                    };
                    return (Object) (r & 0xffffffffL);
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
                        if (x == null || x instanceof Operand.Unknown) return x;
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
            case "nfproto": return new Operand(ctx -> ctx.packet.family() == Ip.Family.IPV4 ? "ipv4" : "ipv6", ValueType.NFPROTO);
            case "protocol": return new Operand(ctx -> ctx.packet.family() == Ip.Family.IPV4 ? "ip" : "ip6", ValueType.ETHERTYPE);
            case "mark": return new Operand(ctx -> ctx.packet.mark & 0xffffffffL, ValueType.NUMBER);
            case "pkttype": return new Operand(RuleCompiler::pktType, ValueType.PKTTYPE);
            case "length": return new Operand(ctx -> (long) ipLength(ctx.packet), ValueType.NUMBER);
            case "skuid", "skgid": return new Operand(ctx -> socketOwner(ctx, key), ValueType.TEXT);
            case "hour", "day", "time":
                return Operand.unknowable(Message.of(Sentences.META_TIME, key), key.equals("day") ? ValueType.DAY : ValueType.TEXT);
            case "cpu", "random", "priority", "iifgroup", "oifgroup", "iiftype", "oiftype", "cgroup", "rtclassid", "secmark",
                 "iifkind", "oifkind", "sdif", "sdifname":
                return Operand.unknowable(Message.of(Sentences.NOT_KNOWN_FOR_PACKET, "meta " + key), ValueType.TEXT);
            case "ipsec", "secpath": return new Operand(ctx -> false, ValueType.BOOL);   // the model has no IPsec
            default: throw new Unsupported("meta " + key);
        }
    }

    /**
     * `meta skuid`/`skgid` read the socket that owns the packet: a locally sent packet has one whose user the model
     * does not know; an established TCP packet arriving for a local socket has one (early demux) too; anything
     * else has none and the match breaks (nft_meta_get_eval_skugid).
     */
    private static Object socketOwner(PacketContext ctx, String key) {
        boolean local = ctx.inIface == null && (ctx.hook == Hook.OUTPUT || ctx.hook == Hook.POSTROUTING);
        boolean demuxed = ctx.hook == Hook.INPUT && ctx.packet.proto == Packet.TCP && ctx.ctState == CtState.ESTABLISHED;
        if (!local && !demuxed) return null;
        return new Operand.Unknown(Message.of(key.equals("skuid") ? Sentences.SOCKET_USER_UNKNOWN : Sentences.SOCKET_GROUP_UNKNOWN, key));
    }

    /**
     * The IPv4 total length as Linux sends the model's packets: a SYN or SYN-ACK with its 20 bytes of options (MSS,
     * SACK permitted, timestamps, window scale), other TCP segments with timestamps, UDP and ICMP with their payload,
     * an ICMP error quoting the packet that caused it.
     */
    static int ipLength(Packet p) { return roundtrip.netfilter.HeaderFields.ipLength(p); }

    /** What the link layer would say: the simulation knows only broadcast and multicast destinations. */
    private static Object pktType(PacketContext ctx) {
        Ip dst = ctx.packet.dst;
        if (dst.isMulticast()) return "multicast";
        if (dst.isLimitedBroadcast()) return "broadcast";
        if (ctx.inIface != null && "BROADCAST".equalsIgnoreCase(ctx.addressTypes == null ? null : ctx.addressTypes.typeOf(dst)))
            return "broadcast";
        return "host";
    }

    /** True for an IPv4 packet: what `ip` header fields need (an inet chain sees IPv6 packets too). */
    private static boolean isV4(PacketContext ctx) { return ctx.packet.family() == Ip.Family.IPV4; }

    /** An IPv6 address as an ADDR6 operand reads it (the model's Ip itself); null for an IPv4 one. */
    private static Object v6Value(Ip a) { return a != null && a.isV6() ? a : null; }

    /** An IPv4 address as the Long an ADDR operand reads; null for an IPv6 one (`ip saddr` needs nfproto ipv4). */
    private static Object v4Value(Ip a) { return a.isV4() ? (Object) (a.v4() & 0xffffffffL) : null; }

    private Operand payload(JsonNode v) {
        if (!v.has("protocol")) return rawPayload(v);
        String proto = v.path("protocol").asText();
        String field = v.path("field").asText();
        switch (proto) {
            case "ip":
                switch (field) {
                    case "saddr": return new Operand(ctx -> v4Value(ctx.packet.src), ValueType.ADDR);
                    case "daddr": return new Operand(ctx -> v4Value(ctx.packet.dst), ValueType.ADDR);
                    // the IPv4 header's fields: an IPv6 packet has none (in an inet table nft's implicit
                    // `meta nfproto ipv4` dependency fails and the rule does not match)
                    case "protocol": return new Operand(ctx -> isV4(ctx) ? (Object) (long) ctx.packet.proto : null, ValueType.PROTO);
                    case "ttl": return new Operand(ctx -> isV4(ctx) ? (Object) (long) ctx.packet.ttl : null, ValueType.NUMBER);
                    case "dscp": return new Operand(ctx -> isV4(ctx) ? (Object) (long) (ctx.packet.tos >> 2) : null, ValueType.DSCP);
                    case "ecn": return new Operand(ctx -> isV4(ctx) ? (Object) (long) (ctx.packet.tos & 3) : null, ValueType.ECN);
                    case "version": return new Operand(ctx -> isV4(ctx) ? (Object) 4L : null, ValueType.NUMBER);
                    case "hdrlength": return new Operand(ctx -> isV4(ctx) ? (Object) 5L : null, ValueType.NUMBER);   // no IP options in the model
                    case "length": return new Operand(ctx -> isV4(ctx) ? (Object) (long) ipLength(ctx.packet) : null, ValueType.NUMBER);
                    case "frag-off": return new Operand(ctx -> isV4(ctx) ? (Object) 0x4000L : null, ValueType.NUMBER);   // DF set, not fragmented
                    case "id", "checksum": return notInModel("ip " + field, RuleCompiler::isV4);
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
                    case "length":
                        if (number == Packet.UDP)
                            return new Operand(ctx -> ctx.packet.proto == Packet.UDP ? (Object) (long) (8 + ctx.packet.payload) : null, ValueType.NUMBER);
                        throw new Unsupported("tcp length");
                    case "doff":
                        // the header length in 32-bit words: a SYN carries 20 bytes of options, later segments 12
                        return new Operand(ctx -> ctx.packet.proto == Packet.TCP ? (Object) ((ctx.packet.tcpFlags & Packet.SYN) != 0 ? 10L : 8L) : null, ValueType.NUMBER);
                    case "sequence", "ackseq", "window", "urgptr", "checksum", "reserved":
                        return notInModel(proto + " " + field, ctx -> ctx.packet.proto == number);
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
                    case "id": return new Operand(ctx -> ctx.packet.proto == Packet.ICMP && ctx.packet.isIcmpEchoLike() ? (Object) (long) ctx.packet.sport : null, ValueType.NUMBER);
                    case "sequence": return notInModel("icmp sequence", ctx -> ctx.packet.proto == Packet.ICMP && ctx.packet.isIcmpEchoLike());
                    case "checksum": return notInModel("icmp checksum", ctx -> ctx.packet.proto == Packet.ICMP);
                    case "mtu": return notInModel("icmp mtu", ctx -> ctx.packet.proto == Packet.ICMP && ctx.packet.icmpType == Packet.ICMP_DEST_UNREACH);
                    case "gateway": return notInModel("icmp gateway", ctx -> ctx.packet.proto == Packet.ICMP && ctx.packet.icmpType == 5);
                    default: throw new Unsupported("icmp " + field);
                }
            // headers of protocols the model's packets never have: the kernel's dependency on them (meta l4proto,
            // ether type) fails and the rule does not match
            case "ah", "esp", "comp", "sctp", "dccp", "udplite", "igmp", "gre", "vlan", "arp":
                return Operand.opaque(ctx -> null);
            case "ether":
                return notInModel("ether " + field + " (Ethernet addresses are not in the model)", ctx -> ctx.inIface != null);
            case "ip6":
                // the IPv6 header's fields: an IPv4 packet has none; the model's IPv6 packets carry no extension
                // headers, so the next header is the transport protocol
                switch (field) {
                    case "saddr": return new Operand(ctx -> v6Value(ctx.packet.src), ValueType.ADDR6);
                    case "daddr": return new Operand(ctx -> v6Value(ctx.packet.dst), ValueType.ADDR6);
                    case "nexthdr": return new Operand(ctx -> isV4(ctx) ? null : (Object) (long) ctx.packet.proto, ValueType.PROTO);
                    case "hoplimit": return new Operand(ctx -> isV4(ctx) ? null : (Object) (long) ctx.packet.ttl, ValueType.NUMBER);
                    case "dscp": return new Operand(ctx -> isV4(ctx) ? null : (Object) (long) (ctx.packet.tos >> 2), ValueType.DSCP);
                    case "ecn": return new Operand(ctx -> isV4(ctx) ? null : (Object) (long) (ctx.packet.tos & 3), ValueType.ECN);
                    case "version": return new Operand(ctx -> isV4(ctx) ? null : (Object) 6L, ValueType.NUMBER);
                    case "length": return new Operand(ctx -> isV4(ctx) ? null : (Object) (long) (ipLength(ctx.packet) - 40), ValueType.NUMBER);
                    // Linux picks a flow label per connection (net.ipv6.auto_flowlabels): not known for a probe
                    case "flowlabel": return notInModel("ip6 flowlabel", ctx -> !isV4(ctx));
                    default: throw new Unsupported("ip6 " + field);
                }
            case "icmpv6":
                switch (field) {
                    case "type": return new Operand(ctx -> ctx.packet.proto == Packet.ICMPV6 ? (Object) (long) ctx.packet.icmpType : null, ValueType.ICMPV6_TYPE);
                    case "code": return new Operand(ctx -> ctx.packet.proto == Packet.ICMPV6 ? (Object) (long) ctx.packet.icmpCode : null, ValueType.ICMPV6_CODE);
                    case "id": return new Operand(ctx -> ctx.packet.proto == Packet.ICMPV6 && ctx.packet.isIcmpEchoLike() ? (Object) (long) ctx.packet.sport : null, ValueType.NUMBER);
                    case "sequence": return notInModel("icmpv6 sequence", ctx -> ctx.packet.proto == Packet.ICMPV6 && ctx.packet.isIcmpEchoLike());
                    case "checksum": return notInModel("icmpv6 checksum", ctx -> ctx.packet.proto == Packet.ICMPV6);
                    case "mtu": return notInModel("icmpv6 mtu", ctx -> ctx.packet.proto == Packet.ICMPV6 && ctx.packet.icmpType == Packet.ICMP6_PACKET_TOO_BIG);
                    case "parameter-problem": return notInModel("icmpv6 parameter-problem", ctx -> ctx.packet.proto == Packet.ICMPV6 && ctx.packet.icmpType == Packet.ICMP6_PARAM_PROB);
                    case "max-delay": return notInModel("icmpv6 max-delay", ctx -> ctx.packet.proto == Packet.ICMPV6 && ctx.packet.icmpType >= 130 && ctx.packet.icmpType <= 132);
                    case "taddr", "daddr": return notInModel("icmpv6 " + field + " (neighbour discovery's target)", ctx -> ctx.packet.proto == Packet.ICMPV6
                            && ctx.packet.icmpType >= Packet.ND_NEIGHBOR_SOLICIT && ctx.packet.icmpType <= 137);
                    default: throw new Unsupported("icmpv6 " + field);
                }
            // IPv6 extension and mobility headers: the model's packets carry none (the lookup of the header fails)
            case "ip6nh", "ah6", "frag", "rt0", "rt2", "rt", "srh", "hbh", "dst", "mh":
                return Operand.opaque(ctx -> null);
            default: throw new Unsupported(proto + " " + field);
        }
    }

    /** A header field the model's packets do not carry: unknown when the packet has that header, absent otherwise. */
    private static Operand notInModel(String what, java.util.function.Predicate<PacketContext> present) {
        Operand.Unknown u = new Operand.Unknown(Message.of(Sentences.NOT_KNOWN_FOR_PACKET, what));
        return Operand.opaque(ctx -> present.test(ctx) ? u : null);
    }

    /**
     * `@nh,OFFSET,LEN` / `@th,OFFSET,LEN`: bits of the IPv4 or transport header as the model's packet has them
     * (addresses, protocol, TTL, TOS, length; ports, TCP flags, ICMP type and code); bits the model does not know
     * (checksums, IDs, sequence numbers, payload) make the value unknown.
     */
    private Operand rawPayload(JsonNode v) {
        String base = v.path("base").asText();
        int offset = v.path("offset").asInt(-1), len = v.path("len").asInt(-1);
        if (offset < 0 || len <= 0 || len > 32 || (!base.equals("nh") && !base.equals("th")))
            throw new Unsupported("raw payload expression @" + base + "," + offset + "," + len);
        Operand.Unknown u = new Operand.Unknown(Message.of(Sentences.RAW_PAYLOAD, "@" + base + "," + offset + "," + len));
        boolean network = base.equals("nh");
        Operand.Unknown u6 = new Operand.Unknown(Message.of(Sentences.RAW_IPV6_HEADER, "@nh," + offset + "," + len));
        return new Operand(ctx -> {
            if (network && !isV4(ctx)) return u6;
            byte[] known = new byte[64];
            boolean[] mask = new boolean[64];
            int n = base.equals("nh") ? ipHeader(ctx.packet, known, mask) : transportHeader(ctx.packet, known, mask);
            long value = 0;
            for (int bit = offset; bit < offset + len; bit++) {
                int b = bit / 8;
                if (b >= n || !mask[b]) return u;
                value = value << 1 | ((known[b] >> (7 - bit % 8)) & 1);
            }
            return value;
        }, ValueType.NUMBER);
    }

    private static int ipHeader(Packet p, byte[] h, boolean[] known) {
        put(h, known, 0, 0x45, 1);
        put(h, known, 1, p.tos, 1);
        put(h, known, 2, ipLength(p), 2);
        put(h, known, 6, 0x4000, 2);   // DF, not fragmented
        put(h, known, 8, p.ttl, 1);
        put(h, known, 9, p.proto, 1);
        put(h, known, 12, p.src.v4(), 4);
        put(h, known, 16, p.dst.v4(), 4);
        return 20;
    }

    private static int transportHeader(Packet p, byte[] h, boolean[] known) {
        switch (p.proto) {
            case Packet.TCP -> {
                put(h, known, 0, p.sport, 2);
                put(h, known, 2, p.dport, 2);
                put(h, known, 12, ((p.tcpFlags & Packet.SYN) != 0 ? 10 : 8) << 4, 1);
                put(h, known, 13, p.tcpFlags, 1);
                return (p.tcpFlags & Packet.SYN) != 0 ? 40 : 32;
            }
            case Packet.UDP -> {
                put(h, known, 0, p.sport, 2);
                put(h, known, 2, p.dport, 2);
                put(h, known, 4, 8 + p.payload, 2);
                return 8;
            }
            case Packet.ICMP -> {
                put(h, known, 0, p.icmpType, 1);
                put(h, known, 1, p.icmpCode, 1);
                if (p.isIcmpEchoLike()) put(h, known, 4, p.sport, 2);
                return 8;
            }
            default -> {
                return 0;
            }
        }
    }

    private static void put(byte[] h, boolean[] known, int at, long value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            h[at + i] = (byte) (value >> (8 * (bytes - 1 - i)));
            known[at + i] = true;
        }
    }

    private Operand ct(JsonNode v) {
        String key = v.path("key").asText();
        String dir = v.path("dir").asText("");
        switch (key) {
            case "state":
                return new Operand(ctx -> ctStateBit(ctx), ValueType.CT_STATE);
            case "status":
                return new Operand(RuleCompiler::ctStatus, ValueType.CT_STATUS);
            case "mark":
                if (!dir.isEmpty()) break;
                return new Operand(ctx -> hasConnection(ctx) ? (Object) (ctx.ctMark & 0xffffffffL) : null, ValueType.NUMBER);
            case "direction":
                return new Operand(ctx -> hasConnection(ctx) ? (Object) (ctx.ctReply ? 1L : 0L) : null, ValueType.CT_DIR);
            case "l3proto":
                return new Operand(ctx -> hasConnection(ctx) ? (ctx.packet.family() == Ip.Family.IPV4 ? "ipv4" : "ipv6") : null, ValueType.NFPROTO);
            case "protocol":
                return new Operand(ctx -> hasConnection(ctx) ? (Object) (long) ctx.packet.proto : null, ValueType.PROTO);
            case "ip saddr", "ip daddr", "saddr", "daddr":
                if (dir.equals("original")) {
                    boolean src = key.endsWith("saddr");
                    return new Operand(ctx -> {
                        if (!hasConnection(ctx)) return null;
                        Ip a = src ? ctx.ctOrigSrc : ctx.ctOrigDst;
                        return a == null ? null : v4Value(a);
                    }, ValueType.ADDR);
                }
                break;
            case "ip6 saddr", "ip6 daddr":
                if (dir.equals("original")) {
                    boolean src = key.endsWith("saddr");
                    return new Operand(ctx -> {
                        if (!hasConnection(ctx)) return null;
                        return v6Value(src ? ctx.ctOrigSrc : ctx.ctOrigDst);
                    }, ValueType.ADDR6);
                }
                break;
            case "expiration", "helper", "label", "bytes", "packets", "avgpkt", "zone", "id", "secmark":
                return Operand.unknowable(Message.of(Sentences.CT_NOT_KNOWN, key), ValueType.TEXT);
            default: break;
        }
        throw new Unsupported("ct " + (dir.isEmpty() ? "" : dir + " ") + key);
    }

    /**
     * The connection's status bits the model follows: seen-reply once an answer passed (a reply, or any packet of an
     * established connection), confirmed for every packet after the first, snat/dnat when NAT is bound.
     */
    private static Object ctStatus(PacketContext ctx) {
        if (!hasConnection(ctx)) return null;
        long bits = (ctx.ctDnat ? 32L : 0L) | (ctx.ctSnat ? 16L : 0L);
        if (ctx.ctReply || ctx.ctState == CtState.ESTABLISHED) bits |= 2L;
        if (ctx.ctState != CtState.NEW) bits |= 8L;
        return bits;
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

    /**
     * `fib daddr type` and `fib saddr . iif oif` (reverse path filters): nft_fib4_eval_type classifies the address as
     * the host's routing does (restricted to a device only with VRFs, which the model has not); nft_fib4_eval routes
     * to the address as the host itself would (from lo, with the mark when `mark` is given) and, with `iif`/`oif`,
     * finds a device only when the route leaves by that device.
     */
    private Operand fib(JsonNode v) {
        String result = v.path("result").asText();
        Set<String> flags = new HashSet<>();
        JsonNode f = v.path("flags");
        if (f.isTextual()) flags.add(f.asText());
        else for (JsonNode x : f) flags.add(x.asText());
        boolean dst = flags.contains("daddr");
        if (!dst && !flags.contains("saddr")) throw new Unsupported("fib without saddr or daddr");
        if (result.equals("type")) {
            return new Operand(ctx -> {
                if (ctx.addressTypes == null) return null;
                String t = ctx.addressTypes.typeOf(dst ? ctx.packet.dst : ctx.packet.src);
                return t == null ? null : t.toLowerCase(Locale.ROOT);
            }, ValueType.FIB_TYPE);
        }
        if (!result.equals("oif") && !result.equals("oifname") && !result.equals("check"))
            throw new Unsupported("fib result " + result);
        boolean mark = flags.contains("mark"), iif = flags.contains("iif"), oif = flags.contains("oif");
        return new Operand(ctx -> {
            String dev = fibDevice(ctx, dst, mark, iif, oif);
            if (dev == FIB_UNKNOWN) return new Operand.Unknown(Message.of(Sentences.FIB_ROUTING_UNKNOWN));
            return dev == null ? "" : dev;
        }, ValueType.FIB_DEVICE);
    }

    private static final String FIB_UNKNOWN = new String("unknown");

    /** nft_fib4_eval / nft_fib6_eval: the device the lookup found (null for none). */
    private static String fibDevice(PacketContext ctx, boolean daddr, boolean mark, boolean iif, boolean oif) {
        Packet p = ctx.packet;
        String restrict = oif ? ctx.outIface : iif ? ctx.inIface : null;
        if (ctx.hook == Hook.PREROUTING && "lo".equals(ctx.inIface)) return ctx.inIface;   // looped back: its own device
        boolean noSource = p.src == null || p.src.isUnspecified();
        if (noSource && (p.dst.isLimitedBroadcast() || p.dst.isV4() && (p.dst.v4() & 0xffffff00) == 0xe0000000)) return ctx.inIface;
        if (ctx.routes == null) return FIB_UNKNOWN;
        Ip to = daddr ? p.dst : p.src, from = daddr ? p.src : p.dst;
        // get_saddr: no source for multicast, broadcast or 0.0.0.0
        if (from != null && (from.isMulticast() || from.isLimitedBroadcast() || from.isUnspecified())) from = null;
        List<String> devs = ctx.routes.devices(to, from, mark ? ctx.packet.mark : 0, p.tos);
        if (devs.isEmpty()) return null;
        if (to.isV6() && to.isLinkLocal()) {
            // nft_fib6_flowi_init: a link-local address is looked up on the packet's own device (RT6_LOOKUP_F_IFACE),
            // whose fe80::/64 route every IPv6 device has
            String own = ctx.inIface != null ? ctx.inIface : ctx.outIface;
            if (own != null) return restrict == null || restrict.equals(own) ? own : null;
        }
        if (restrict == null) return devs.get(0);
        return devs.contains(restrict) ? restrict : null;
    }
}
