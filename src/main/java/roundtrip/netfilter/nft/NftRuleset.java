package roundtrip.netfilter.nft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import roundtrip.model.Problem;
import roundtrip.model.Source;
import roundtrip.netfilter.BaseChain;
import roundtrip.netfilter.Hook;
import roundtrip.netfilter.NatAction;
import roundtrip.netfilter.PacketContext;
import roundtrip.netfilter.Ruleset;
import roundtrip.netfilter.TraceStep;
import roundtrip.netfilter.Verdict;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The ip and inet tables of {@code nft -j list ruleset}. Each base chain is one {@link BaseChain}; the kernel model
 * runs a hook's base chains by priority. Inside a chain the rules run as nft_do_chain runs them: jump pushes a return
 * point, goto does not, return (or the end of a regular chain) goes back, the end of a base chain applies its policy;
 * accept ends only this base chain, drop ends the packet.
 */
public final class NftRuleset implements Ruleset {
    /** the kernel's NFT_JUMP_STACK_SIZE: deeper jumps make it drop the packet */
    private static final int MAX_DEPTH = 16;

    private final List<NftChain> baseChains;
    private final List<NftChain> allChains;
    private final Origin origin;
    private final List<Problem> problems;
    private final List<String> tables;
    private final int ruleCount;
    @SuppressWarnings("unchecked")
    private final List<BaseChain>[] byHook = new List[Hook.values().length];

    /** What the ruleset was read from, so that it can be read again with rules left out. */
    record Origin(String file, JsonNode items, Predicate<String> skip, NftOrigins origins) {}

    /**
     * One rule as `nft -a list ruleset` lists it: its table ("inet fw4"), chain, handle (0 when the input did not
     * say: nft text without `nft -a`'s "# handle N"), comment (null without) and where it was read.
     */
    public record RuleInfo(String table, String chain, int handle, String comment, Source source) {}

    NftRuleset(List<String> tables, List<NftChain> baseChains, List<NftChain> allChains, int ruleCount, List<Problem> problems,
               List<Problem> everywhere, Origin origin) {
        this.tables = List.copyOf(tables);
        this.baseChains = baseChains;
        this.allChains = List.copyOf(allChains);
        this.origin = origin;
        this.ruleCount = ruleCount;
        this.problems = Collections.unmodifiableList(problems);
        for (Hook h : Hook.values()) {
            List<BaseChain> list = new ArrayList<>();
            if (!everywhere.isEmpty()) list.add(new Unread(origin == null ? "" : origin.file(), h, List.copyOf(everywhere)));
            for (NftChain c : baseChains) if (c.hook == h) list.add(new Base(c));
            list.sort(BaseChain.BY_PRIORITY);
            byHook[h.ordinal()] = List.copyOf(list);
        }
    }

    /** An empty ruleset (nothing hooked). */
    public static NftRuleset empty() { return new NftRuleset(List.of(), List.of(), List.of(), 0, new ArrayList<>(), List.of(), null); }

    /** Every rule of the evaluated tables, chain by chain in file order. */
    public List<RuleInfo> rules() {
        List<RuleInfo> out = new ArrayList<>();
        for (NftChain c : allChains)
            for (NftRule r : c.rules) out.add(new RuleInfo(c.table, c.name, r.handle, r.comment, r.source));
        return out;
    }

    /**
     * This ruleset as it is after `nft delete rule` of each of {@code rules} (from {@link #rules()}): read again
     * without them. A rule is known by its handle, or, read from text without handles, by where it was written.
     * @throws IllegalArgumentException when one of them is not in this ruleset (nft refuses too)
     */
    public NftRuleset withoutRules(Collection<RuleInfo> rules) {
        List<RuleInfo> left = new ArrayList<>(rules);
        if (origin == null) {
            if (left.isEmpty()) return this;
            throw new IllegalArgumentException("no rule " + left.get(0).source() + " in this ruleset");
        }
        ArrayNode kept = JsonTree.array();
        for (JsonNode item : origin.items()) {
            JsonNode rule = item.path("rule");
            if (rule.isObject() && left.removeIf(r -> isRule(rule, r))) continue;
            kept.add(item);
        }
        if (!left.isEmpty()) throw new IllegalArgumentException("no rule " + left.get(0).source() + " in this ruleset");
        return NftJsonReader.read(origin.file(), kept, origin.skip(), origin.origins());
    }

    /**
     * This ruleset as it is after `nft add rule` of each of {@code rules} (nft -j's {"rule": {...}} objects, appended to
     * their chains in order): read again with them.
     * @throws IllegalArgumentException when this ruleset was not read from nft's JSON or text
     */
    public NftRuleset withRules(List<? extends JsonNode> rules) {
        if (origin == null) throw new IllegalArgumentException("this ruleset cannot take rules: it was not read from nft's output");
        ArrayNode all = JsonTree.array();
        for (JsonNode item : origin.items()) all.add(item);
        for (JsonNode r : rules) all.add(r);
        return NftJsonReader.read(origin.file(), all, origin.skip(), origin.origins());
    }

    /**
     * This ruleset after `nft add rule FAMILY TABLE CHAIN RULE` ({@code text} in nft's own syntax, parsed as nft -f would).
     * @throws IllegalArgumentException when the rule is not understood or the ruleset cannot take rules
     */
    public NftRuleset withRule(String family, String table, String chain, String text) { return withRule(family, table, chain, text, false); }

    /**
     * As {@link #withRule(String, String, String, String)}; with {@code insert}, `nft insert rule`: the rule goes before the
     * chain's first rule (in the JSON, right after the chain's declaration).
     */
    public NftRuleset withRule(String family, String table, String chain, String text, boolean insert) {
        List<NftLexer.Token> tokens = new ArrayList<>();
        for (NftLexer.Token t : NftLexer.lex(text).tokens())
            if (t.kind() != NftLexer.Kind.NEWLINE && t.kind() != NftLexer.Kind.EOF) tokens.add(t);
        NftRuleParser.Result parsed = NftRuleParser.parse(tokens, family);
        if (parsed.failure() != null) throw new IllegalArgumentException("nft: " + text + ": " + parsed.failure().getMessage());
        com.fasterxml.jackson.databind.node.ObjectNode item = JsonTree.object();
        com.fasterxml.jackson.databind.node.ObjectNode rule = item.putObject("rule");
        rule.put("family", family).put("table", table).put("chain", chain);
        rule.set("expr", parsed.expr());
        if (!insert) return withRules(List.of(item));
        if (origin == null) throw new IllegalArgumentException("this ruleset cannot take rules: it was not read from nft's output");
        ArrayNode all = JsonTree.array();
        boolean placed = false;
        for (JsonNode it : origin.items()) {
            all.add(it);
            JsonNode c = it.path("chain");
            if (!placed && c.isObject() && c.path("family").asText().equals(family) && c.path("table").asText().equals(table)
                    && c.path("name").asText().equals(chain)) {
                all.add(item);
                placed = true;
            }
        }
        if (!placed) throw new IllegalArgumentException("nft: no chain " + family + " " + table + " " + chain);
        return NftJsonReader.read(origin.file(), all, origin.skip(), origin.origins());
    }

    /** Whether the ruleset declares chain {@code chain} in table {@code family table}. */
    public boolean hasChain(String family, String table, String chain) {
        if (origin == null) return false;
        for (JsonNode it : origin.items()) {
            JsonNode c = it.path("chain");
            if (c.isObject() && c.path("family").asText().equals(family) && c.path("table").asText().equals(table)
                    && c.path("name").asText().equals(chain)) return true;
        }
        return false;
    }

    /**
     * This ruleset after `nft chain FAMILY TABLE CHAIN { policy POLICY; }` on a base chain (what `iptables -P CHAIN POLICY`
     * does to the table iptables-nft keeps in nftables).
     * @throws IllegalArgumentException when there is no such base chain or the ruleset cannot be edited
     */
    public NftRuleset withPolicy(String family, String table, String chain, String policy) {
        if (origin == null) throw new IllegalArgumentException("this ruleset cannot be edited: it was not read from nft's output");
        ArrayNode all = JsonTree.array();
        boolean found = false;
        for (JsonNode it : origin.items()) {
            JsonNode c = it.path("chain");
            if (c.isObject() && c.has("hook") && c.path("family").asText().equals(family) && c.path("table").asText().equals(table)
                    && c.path("name").asText().equals(chain)) {
                com.fasterxml.jackson.databind.node.ObjectNode copy = it.deepCopy();
                ((com.fasterxml.jackson.databind.node.ObjectNode) copy.get("chain")).put("policy", policy.toLowerCase(Locale.ROOT));
                all.add(copy);
                found = true;
            } else {
                all.add(it);
            }
        }
        if (!found) throw new IllegalArgumentException("nft: no base chain " + family + " " + table + " " + chain);
        return NftJsonReader.read(origin.file(), all, origin.skip(), origin.origins());
    }

    private boolean isRule(JsonNode rule, RuleInfo r) {
        if (!(rule.path("family").asText() + " " + rule.path("table").asText()).equals(r.table())) return false;
        if (!rule.path("chain").asText().equals(r.chain())) return false;
        Source written = origin.origins().source(rule);
        if (written != null) return written.equals(r.source());
        return rule.has("handle") && rule.path("handle").asInt() == r.handle();
    }

    @Override public void portCuts(roundtrip.netfilter.PortCuts cuts) {
        if (origin == null) cuts.unknown(roundtrip.model.Message.of(Sentences.RULESET_NOT_FROM_NFT));
        else NftPortCuts.add(origin.items(), cuts);
    }

    @Override public List<BaseChain> chains(Hook hook) { return byHook[hook.ordinal()]; }

    /** nftables rules hold no iptables-save part (iptables-nft's tables here are nftables'): a fix adds one beside them. */
    @Override public Ruleset iptablesPart() { return Ruleset.EMPTY; }

    @Override public List<roundtrip.netfilter.DeviceName> deviceNames() {
        List<roundtrip.netfilter.DeviceName> out = new ArrayList<>();
        for (NftChain c : allChains) for (NftRule r : c.rules) out.addAll(r.devices);
        return out;
    }

    /**
     * Runs the base chains of {@code table} ("inet fw4", or just "fw4") hooked into {@code hook}, by priority, until
     * one does not accept. Meant for tests and tools; the kernel model runs {@link #chains} itself.
     */
    @Override public Verdict evaluate(String table, Hook hook, PacketContext ctx) {
        Verdict last = Verdict.accept(hook.name());
        for (BaseChain c : byHook[hook.ordinal()]) {
            if (!sameTable(c.table(), table)) continue;
            last = c.evaluate(ctx);
            if (!last.passes()) return last;
        }
        return last;
    }

    @Override public boolean matters(String table, Hook hook) {
        for (BaseChain c : byHook[hook.ordinal()]) if (sameTable(c.table(), table)) return true;
        return false;
    }

    private static boolean sameTable(String full, String asked) {
        return full.equals(asked) || full.endsWith(" " + asked);
    }

    @Override public List<Problem> problems() { return problems; }

    /** Tables evaluated ("inet fw4"), in file order; skipped tables are not listed. */
    public List<String> tableNames() { return tables; }

    /** True when no base chain hooks into the IPv4 path. */
    public boolean isEmpty() {
        for (List<BaseChain> l : byHook) if (!l.isEmpty()) return false;
        return true;
    }

    /** Rules in the evaluated tables. */
    public int size() { return ruleCount; }

    /**
     * The evaluated tables as input for {@code nft -j -f}: what the file listed for them, without the tables that
     * were skipped (iptables-nft's, which iptables-restore loads) and those of families that are not simulated.
     */
    public String restoreJson() {
        var root = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        ArrayNode out = root.putArray("nftables");
        if (origin != null)
            for (JsonNode item : origin.items()) {
                if (!item.isObject() || item.size() != 1 || item.has("metainfo")) continue;
                JsonNode body = item.elements().next();
                String family = body.path("family").asText("");
                String table = item.has("table") ? body.path("name").asText("") : body.path("table").asText("");
                if ((family.equals("ip") || family.equals("ip6") || family.equals("inet")) && !origin.skip().test(family + " " + table)) out.add(item);
            }
        return root.toString();
    }

    @Override public String toString() { return "NftRuleset" + tables + ": " + ruleCount + (ruleCount == 1 ? " rule" : " rules"); }

    /**
     * Stands for rules the input refers to but does not hold (an `include` not followed): every packet through the
     * hook is marked uncertain with the problems that say what is missing, and passes on to the chains read.
     */
    private record Unread(String file, Hook hook, List<Problem> problems) implements BaseChain {
        @Override public String table() { return file; }
        @Override public String name() { return "(not read)"; }
        @Override public int priority() { return Integer.MIN_VALUE; }
        @Override public Type type() { return Type.FILTER; }
        @Override public Verdict evaluate(PacketContext ctx) {
            for (Problem p : problems) if (!ctx.uncertain.contains(p)) ctx.uncertain.add(p);
            return Verdict.accept(name());
        }
    }

    /** One base chain as the kernel model sees it. */
    private static final class Base implements BaseChain {
        final NftChain chain;
        final Verdict policyVerdict;
        final TraceStep policyStep;

        Base(NftChain chain) {
            this.chain = chain;
            this.policyVerdict = new Verdict(chain.policy, chain.name, Source.NONE, null, null);
            this.policyStep = new TraceStep(TraceStep.Family.NFT, chain.table, chain.name, Source.NONE, "policy " + chain.policy.name().toLowerCase(Locale.ROOT), null);
        }

        @Override public String table() { return chain.table; }
        @Override public String name() { return chain.name; }
        @Override public Hook hook() { return chain.hook; }
        @Override public int priority() { return chain.priority; }
        @Override public Type type() { return chain.type; }

        /** A table of family ip sees IPv4, ip6 IPv6, inet both. */
        @Override public boolean sees(roundtrip.model.Ip.Family f) {
            return chain.table.startsWith("inet ") || chain.table.startsWith(f == roundtrip.model.Ip.Family.IPV4 ? "ip " : "ip6 ");
        }

        @Override public Verdict evaluate(PacketContext ctx) {
            Verdict v = run(chain, ctx, 0);
            if (v != null) return v;
            ctx.trace.add(policyStep);
            return policyVerdict;
        }

        @Override public String toString() { return chain.table + " " + chain.name + " (" + chain.hook + " " + chain.priority + ")"; }
    }

    /** Runs a chain; the verdict, or null when it returned (return, or its end). */
    private static Verdict run(NftChain start, PacketContext ctx, int depth) {
        NftChain chain = start;
        List<NftRule> rules = chain.rules;
        int i = 0;
        while (i < rules.size()) {
            NftRule rule = rules.get(i++);
            Step.Terminal end = null;
            StringBuilder effects = null;
            boolean matched = true;
            if (rule.problem != null) {
                // part of the rule is not understood: when the understood matches pass, say we are unsure, don't guess
                for (Step s : rule.steps) {
                    if (s instanceof Step.Test t && !t.test(ctx)) { matched = false; break; }
                }
                if (matched && !ctx.uncertain.contains(rule.problem)) ctx.uncertain.add(rule.problem);
                continue;
            }
            for (Step s : rule.steps) {
                if (s instanceof Step.Test t) {
                    if (!t.test(ctx)) { matched = false; break; }
                } else if (s instanceof Step.Effect e) {
                    String what = e.apply(ctx);
                    if (what == Step.BREAK) { matched = false; break; }
                    if (what != null) effects = (effects == null ? new StringBuilder() : effects.append(", ")).append(what);
                } else if (s instanceof Step.VerdictMap m) {
                    end = m.lookup(ctx);
                    if (end == null) { matched = false; break; }   // no element: NFT_BREAK, the rule did not match
                    break;
                } else if (s instanceof Step.Terminal t) {
                    end = t;
                    break;
                }
            }
            if (!matched) continue;
            String prefix = effects == null ? "" : effects + ", ";
            if (end == null || end.kind == Step.Terminal.Kind.CONTINUE) {
                if (ctx.tracing) ctx.trace.add(new TraceStep(TraceStep.Family.NFT, chain.table, chain.name, rule.source, prefix + "verdict continue", null));
                continue;
            }
            NatAction nat = end.nat;
            if (end.natOf != null) {
                nat = end.natOf.apply(ctx);
                if (nat == null) continue;   // the map had no element for this packet: NFT_BREAK
            }
            if (ctx.tracing) ctx.trace.add(new TraceStep(TraceStep.Family.NFT, chain.table, chain.name, rule.source, prefix + end.text
                    + (end.natOf != null ? " (" + nat + ")" : ""), nat));
            switch (end.kind) {
                case VERDICT -> {
                    String with = end.rejectWith6 != null && ctx.packet.family() == roundtrip.model.Ip.Family.IPV6
                            ? end.rejectWith6 : end.rejectWith;
                    return new Verdict(end.verdict, chain.name, rule.source, with, nat);
                }
                case RETURN -> { return null; }
                case JUMP -> {
                    if (depth + 1 >= MAX_DEPTH) return tooDeep(chain, rule, ctx);
                    Verdict v = run(end.chain, ctx, depth + 1);
                    if (v != null) return v;
                }
                case GOTO -> {
                    if (depth + 1 >= MAX_DEPTH) return tooDeep(chain, rule, ctx);
                    depth++;
                    chain = end.chain;
                    rules = chain.rules;
                    i = 0;
                }
                default -> { }
            }
        }
        return null;
    }

    private static Verdict tooDeep(NftChain chain, NftRule rule, PacketContext ctx) {
        ctx.uncertain.add(new Problem(rule.source, roundtrip.model.Message.of(Sentences.TOO_MANY_JUMPS, MAX_DEPTH)));
        return new Verdict(Verdict.Kind.DROP, chain.name, rule.source, null, null);
    }
}
