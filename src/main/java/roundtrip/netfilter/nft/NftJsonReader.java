package roundtrip.netfilter.nft;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import roundtrip.model.InputException;
import roundtrip.model.Message;
import roundtrip.model.Problem;
import roundtrip.model.Source;
import roundtrip.netfilter.BaseChain;
import roundtrip.netfilter.Hook;
import roundtrip.netfilter.Verdict;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Reads {@code nft -j list ruleset}. The output is one line of JSON, so a rule's {@link Source} is the nft.json path,
 * the rule's handle as "line", and the rule rendered back into nft syntax as text.
 */
public final class NftJsonReader {
    private NftJsonReader() {}

    /** the tables iptables-nft creates */
    private static final Set<String> IPTABLES_TABLES = Set.of("filter", "nat", "mangle", "raw", "security");

    /** Reads every ip and inet table. @throws InputException when the text is not nft's JSON */
    public static NftRuleset parse(String file, String text) {
        return parse(file, text, t -> false);
    }

    /**
     * Like {@link #parse(String, String)}, leaving out the tables for which {@code skip} is true (given
     * "family name", e.g. "ip filter").
     */
    public static NftRuleset parse(String file, String text, Predicate<String> skip) {
        JsonNode items = NftInput.json(file, text).items();
        try {
            return new Reader(file, skip, NftOrigins.NONE).read(items);
        } catch (InputException e) {
            throw e;
        } catch (RuntimeException e) {
            // a shape no nft version writes: say so instead of failing somewhere inside
            throw new InputException(file, 0, "not the output of nft -j list ruleset: unexpected structure ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** Reads again the items a ruleset was read from (after a fix left some out). */
    static NftRuleset read(String file, JsonNode items, Predicate<String> skip) {
        return read(file, items, skip, NftOrigins.NONE);
    }

    /**
     * Where a rule generated from another configuration was written (its text: empty to have the rule rendered in nft
     * syntax), and, when the generator could not say all the rule means, the problem that makes results reaching the
     * rule uncertain.
     */
    public record RuleOrigin(Source source, Problem notSimulated) {}

    /**
     * Reads the items ({"table": ...}, {"chain": ...}, {"rule": ...}, as nft -j lists them) of a ruleset generated from
     * another configuration, such as OpenWrt's /etc/config/firewall: each rule is quoted where {@code originOf} says
     * it was written. A rule with a {@link RuleOrigin#notSimulated} problem is evaluated as far as its matches go, and
     * a packet that reaches it has an uncertain result, as with syntax that is not understood.
     */
    public static NftRuleset readGenerated(String file, JsonNode items, Function<JsonNode, RuleOrigin> originOf) {
        NftOrigins origins = new NftOrigins();
        for (JsonNode item : items) {
            JsonNode rule = item.path("rule");
            if (!rule.isObject()) continue;
            RuleOrigin o = originOf.apply(rule);
            if (o == null) continue;
            Source at = o.source();
            origins.sources.put(rule, at.text().isEmpty() ? new Source(at.file(), at.line(), NftText.rule(rule)) : at);
            if (o.notSimulated() != null) origins.ruleProblems.put(rule, o.notSimulated());
        }
        return read(file, items, t -> false, origins);
    }

    /** Reads items made from nft text, quoting each rule where {@code origins} says it was written. */
    static NftRuleset read(String file, JsonNode items, Predicate<String> skip, NftOrigins origins) {
        try {
            return new Reader(file, skip, origins).read(items);
        } catch (InputException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InputException(file, 0, "unexpected structure (" + e.getClass().getSimpleName() + ")");
        }
    }

    static Set<String> iptablesTables(JsonNode items) {
        Map<String, Boolean> builtinNames = new HashMap<>();
        Set<String> withXt = new java.util.HashSet<>();
        for (JsonNode item : items) {
            JsonNode chain = item.path("chain");
            if (chain.isObject() && chain.path("family").asText().equals("ip") && chain.has("hook")) {
                String key = "ip " + chain.path("table").asText();
                boolean builtin = chain.path("name").asText().equals(chain.path("hook").asText().toUpperCase(Locale.ROOT));
                builtinNames.merge(key, builtin, Boolean::logicalAnd);
            }
            JsonNode rule = item.path("rule");
            if (rule.isObject() && rule.path("family").asText().equals("ip") && hasXt(rule.path("expr")))
                withXt.add("ip " + rule.path("table").asText());
        }
        Set<String> out = new java.util.HashSet<>();
        for (var e : builtinNames.entrySet()) if (e.getValue()) out.add(e.getKey());
        out.addAll(withXt);
        out.removeIf(t -> !IPTABLES_TABLES.contains(t.substring(3)));
        return out;
    }

    /**
     * Whether an expression holds an xt match or target ({"xt": ...}, what iptables-nft writes for what nft cannot
     * say): a walk of the tree, as printing it would build an ObjectMapper, tens of milliseconds of a one-shot run.
     */
    private static boolean hasXt(JsonNode n) {
        if (n.isObject() && n.size() > 0 && n.fieldNames().next().equals("xt")) return true;
        for (JsonNode child : n) if (hasXt(child)) return true;
        return false;
    }

    /**
     * The tables of an nft.json text that iptables-nft made ("ip filter", ...), so that the caller can leave out those
     * iptables-save already describes: ip tables named like an iptables table whose rules use xt expressions or whose
     * base chains all carry the upper-case built-in names (INPUT, FORWARD, ...). Empty when the text is not JSON.
     */
    public static Set<String> iptablesNftTables(String text) {
        try {
            return iptablesTables(JsonTree.read(text).path("nftables"));
        } catch (JsonProcessingException e) {
            return Set.of();
        }
    }

    private static final class Table {
        final String family, name, label;
        final Map<String, JsonNode> sets = new HashMap<>();
        /** stateful objects by "kind name" ("limit wan.log_limit") */
        final Map<String, JsonNode> objects = new HashMap<>();
        final Map<String, NftChain> chains = new LinkedHashMap<>();
        final List<JsonNode> rules = new ArrayList<>();

        Table(String family, String name) {
            this.family = family;
            this.name = name;
            this.label = family + " " + name;
        }
    }

    private static final class Reader {
        final String file;
        final Predicate<String> skip;
        final NftOrigins origins;
        final List<Problem> problems = new ArrayList<>();

        Reader(String file, Predicate<String> skip, NftOrigins origins) {
            this.file = file;
            this.skip = skip;
            this.origins = origins;
        }

        NftRuleset read(JsonNode items) {
            Map<String, Table> tables = new LinkedHashMap<>();
            Map<String, Integer> otherFamilyRules = new LinkedHashMap<>();
            Set<String> dormant = new java.util.HashSet<>();
            problems.addAll(origins.problems);
            for (JsonNode item : items) {
                if (!item.isObject() || item.size() != 1) throw new InputException(file, 0, "unexpected entry " + abbreviate(item));
                String kind = item.fieldNames().next();
                JsonNode body = item.get(kind);
                if (kind.equals("metainfo")) continue;
                if (!body.isObject()) throw new InputException(file, 0, "unexpected " + kind + " entry " + abbreviate(item));
                String family = body.path("family").asText("");
                String tableName = kind.equals("table") ? body.path("name").asText("") : body.path("table").asText("");
                String label = family + " " + tableName;
                boolean simulated = family.equals("ip") || family.equals("ip6") || family.equals("inet");
                // a dormant table's base chains are not registered with the hooks: nothing in it sees packets
                if (kind.equals("table") && isDormant(body.path("flags"))) dormant.add(label);
                if (!simulated || skip.test(label) || dormant.contains(label)) {
                    if (!simulated && kind.equals("rule") && !skip.test(label)) otherFamilyRules.merge(label, 1, Integer::sum);
                    continue;
                }
                switch (kind) {
                    case "table" -> tables.putIfAbsent(label, new Table(family, tableName));
                    case "set", "map" -> table(tables, family, tableName).sets.put(body.path("name").asText(), body);
                    case "chain" -> chain(table(tables, family, tableName), body);
                    case "rule" -> table(tables, family, tableName).rules.add(body);
                    case "limit", "quota" -> table(tables, family, tableName).objects.put(kind + " " + body.path("name").asText(), body);
                    default -> { }   // flowtables, ct helpers, counters: nothing the path depends on
                }
            }
            for (var e : otherFamilyRules.entrySet())
                problems.add(new Problem(new Source(file, 0, "table " + e.getKey()), Message.of(e.getValue() == 1
                        ? Sentences.FAMILY_NOT_SIMULATED_ONE : Sentences.FAMILY_NOT_SIMULATED, e.getKey().split(" ")[0], e.getValue())));

            List<NftChain> baseChains = new ArrayList<>();
            List<NftChain> allChains = new ArrayList<>();
            int ruleCount = 0;
            for (Table t : tables.values()) {
                RuleCompiler compiler = new RuleCompiler(t.sets, t.objects);
                List<Step.Terminal> jumps = new ArrayList<>();
                Map<Step.Terminal, NftRule> jumpRules = new HashMap<>();
                for (JsonNode r : t.rules) {
                    NftChain chain = t.chains.get(r.path("chain").asText());
                    if (chain == null) throw new InputException(file, 0, "rule in chain \"" + r.path("chain").asText() + "\", which table " + t.label + " does not declare");
                    NftRule rule = rule(compiler, t, chain, r);
                    chain.rules.add(rule);
                    ruleCount++;
                    for (Step s : rule.steps) {
                        if (s instanceof Step.Terminal term && term.target != null) { jumps.add(term); jumpRules.put(term, rule); }
                        if (s instanceof Step.VerdictMap m) for (var e : m.entries) if (e.verdict().target != null) { jumps.add(e.verdict()); jumpRules.put(e.verdict(), rule); }
                    }
                }
                for (Step.Terminal j : jumps) {
                    j.chain = t.chains.get(j.target);
                    if (j.chain == null) throw new InputException(file, jumpRules.get(j).source.line(),
                            "jump to chain \"" + j.target + "\", which table " + t.label + " does not declare: " + jumpRules.get(j).source.text());
                }
                for (NftChain c : t.chains.values()) if (c.isBase()) baseChains.add(c);
                allChains.addAll(t.chains.values());
            }
            return new NftRuleset(new ArrayList<>(tables.keySet()), baseChains, allChains, ruleCount, problems,
                    origins.everywhere, new NftRuleset.Origin(file, items, skip, origins));
        }

        private static boolean isDormant(JsonNode flags) {
            if (flags.isTextual()) return flags.asText().equals("dormant");
            for (JsonNode f : flags) if (f.asText().equals("dormant")) return true;
            return false;
        }

        private Table table(Map<String, Table> tables, String family, String name) {
            return tables.computeIfAbsent(family + " " + name, k -> new Table(family, name));
        }

        private void chain(Table t, JsonNode c) {
            String name = c.path("name").asText(null);
            if (name == null) throw new InputException(file, 0, "chain without a name in table " + t.label);
            Hook hook = null;
            BaseChain.Type type = BaseChain.Type.FILTER;
            int priority = 0;
            Verdict.Kind policy = Verdict.Kind.ACCEPT;
            if (c.has("hook")) {
                String h = c.path("hook").asText();
                hook = switch (h) {
                    case "prerouting" -> Hook.PREROUTING;
                    case "input" -> Hook.INPUT;
                    case "forward" -> Hook.FORWARD;
                    case "output" -> Hook.OUTPUT;
                    case "postrouting" -> Hook.POSTROUTING;
                    default -> null;
                };
                if (hook == null) {
                    // e.g. an inet ingress chain: runs before the IPv4 stack, not modelled
                    Source at = origins.source(c);
                    problems.add(new Problem(at != null ? at : new Source(file, 0, "table " + t.label + " chain " + name),
                            Message.of(Sentences.HOOK_NOT_SIMULATED, h)));
                    t.chains.put(name, new NftChain(t.label, name, null, type, 0, policy));
                    return;
                }
                type = switch (c.path("type").asText("filter")) {
                    case "nat" -> BaseChain.Type.NAT;
                    case "route" -> BaseChain.Type.ROUTE;
                    default -> BaseChain.Type.FILTER;
                };
                JsonNode prio = c.path("prio");
                if (!prio.isIntegralNumber()) throw new InputException(file, 0, "chain " + name + " of table " + t.label + ": priority " + prio + " is not a number");
                priority = prio.intValue();
                String p = c.path("policy").asText("accept");
                policy = p.equals("drop") ? Verdict.Kind.DROP : Verdict.Kind.ACCEPT;
            }
            t.chains.put(name, new NftChain(t.label, name, hook, type, priority, policy));
        }

        private NftRule rule(RuleCompiler compiler, Table t, NftChain chain, JsonNode r) {
            // nft -j quotes a rule by its handle; text keeps the line it was written on
            int handle = r.path("handle").asInt(0);
            Source written = origins.source(r);
            Source source = written != null ? written : new Source(file, r.path("handle").asInt(chain.rules.size() + 1), NftText.rule(r));
            String comment = r.hasNonNull("comment") ? r.get("comment").asText() : null;
            List<roundtrip.netfilter.DeviceName> devices = deviceNames(r.path("expr"), source);
            Problem unread = origins.ruleProblems.get(r);
            if (unread != null) {
                if (!problems.contains(unread)) problems.add(unread);   // once, however many rules one line became
                return new NftRule(source, handle, understoodTests(compiler, r.path("expr"), source), unread, comment, devices);
            }
            try {
                List<Step> steps = compiler.compile(r.path("expr"), source);
                return new NftRule(source, handle, steps.toArray(new Step[0]), null, comment, devices);
            } catch (Unsupported u) {
                Problem problem = new Problem(source, Message.of(Sentences.RULE_NOT_UNDERSTOOD, u.getMessage()));
                problems.add(problem);
                return new NftRule(source, handle, understoodTests(compiler, r.path("expr"), source), problem, comment, devices);
            }
        }

        /**
         * The devices a rule names by `iifname`/`oifname` equal to a name, in an anonymous set, or as a verdict map's
         * keys; `!=` and named sets are left out. A trailing `*` names a prefix (nft's wildcard), an escaped one a star.
         */
        private static List<roundtrip.netfilter.DeviceName> deviceNames(JsonNode exprs, Source rule) {
            List<roundtrip.netfilter.DeviceName> out = new ArrayList<>();
            for (JsonNode e : exprs) {
                JsonNode key, names;
                if (e.has("match") && Set.of("==", "in").contains(e.get("match").path("op").asText("=="))) {
                    key = e.get("match").path("left");
                    names = e.get("match").path("right");
                } else if (e.has("vmap")) {
                    key = e.get("vmap").path("key");
                    names = e.get("vmap").path("data");
                } else continue;
                String k = key.path("meta").path("key").asText("");
                if (!k.equals("iifname") && !k.equals("oifname")) continue;
                List<JsonNode> values = new ArrayList<>();
                if (names.isTextual()) values.add(names);
                for (JsonNode v : names.path("set")) values.add(v.isArray() && v.size() == 2 ? v.get(0) : v);
                for (JsonNode v : values) {
                    if (!v.isTextual() || v.textValue().startsWith("@")) continue;
                    String written = v.textValue();
                    boolean prefix = written.endsWith("*") && !written.endsWith("\\*");
                    String name = prefix ? written.substring(0, written.length() - 1) : written.replace("\\*", "*");
                    out.add(new roundtrip.netfilter.DeviceName(rule, name, prefix, k.equals("iifname"), written));
                }
            }
            return out;
        }

        /** The matches of a partly understood rule that can be evaluated: they tell whether a packet reaches it. */
        private static Step[] understoodTests(RuleCompiler compiler, JsonNode exprs, Source rule) {
            List<Step> tests = new ArrayList<>();
            for (JsonNode e : exprs) {
                if (!e.has("match")) continue;
                try {
                    tests.addAll(compiler.compile(JsonTree.array().add(e), rule));   // what it cannot know is quoted at the rule
                } catch (Unsupported ignored) {
                    // left out: the rule is uncertain anyway
                }
            }
            return tests.toArray(new Step[0]);
        }
    }

    private static String abbreviate(JsonNode n) {
        String s = n.toString();
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
