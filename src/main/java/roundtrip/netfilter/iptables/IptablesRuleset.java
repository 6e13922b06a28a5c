package roundtrip.netfilter.iptables;

import roundtrip.model.Problem;
import roundtrip.netfilter.BaseChain;
import roundtrip.netfilter.Hook;
import roundtrip.netfilter.PacketContext;
import roundtrip.netfilter.Ruleset;
import roundtrip.netfilter.TraceStep;
import roundtrip.netfilter.Verdict;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rules of one `iptables-save` file, evaluated like the kernel's ipt_do_table: rules in order, jumps push a
 * return point, gotos do not, RETURN or the end of a user chain go back to the last jump, and the end of (or a
 * RETURN in) a built-in chain applies its policy.
 */
public final class IptablesRuleset implements Ruleset {
    private static final Hook[] HOOKS = Hook.values();

    /** One table's built-in chains by hook, and every chain by name. */
    static final class Table {
        final String name;
        /** IPv4 for iptables' tables, IPv6 for ip6tables' */
        final roundtrip.model.Ip.Family family;
        final Map<String, Chain> chains = new LinkedHashMap<>();
        final Chain[] builtinByHook = new Chain[HOOKS.length];
        final boolean[] mattersByHook = new boolean[HOOKS.length];

        Table(String name, roundtrip.model.Ip.Family family) {
            this.name = name;
            this.family = family;
        }
    }

    private final Map<String, Table> tables;
    private final List<Problem> problems;
    private final Verdict[] acceptByHook = new Verdict[HOOKS.length];
    /** the iptables-save text it was read from: a fix edits this text and reads it again */
    private final String text;

    /** the sets -m set looks in (null until {@link #useSets}) */
    private final Matches.SetHolder sets;

    @Override public void portCuts(roundtrip.netfilter.PortCuts cuts) {
        for (Table t : tables.values()) IptablesPortCuts.add(t.chains.values(), cuts);
    }

    /** the family whose packets the tables see: IPv4 (iptables-save) or IPv6 (ip6tables-save) */
    private final roundtrip.model.Ip.Family family;

    IptablesRuleset(Map<String, Table> tables, List<Problem> problems, String text, Matches.SetHolder sets,
                    roundtrip.model.Ip.Family family) {
        this.family = family;
        this.text = text;
        this.sets = sets;
        this.tables = tables;
        this.problems = Collections.unmodifiableList(problems);
        for (Hook h : HOOKS) acceptByHook[h.ordinal()] = Verdict.accept(h.name());
    }

    @Override public roundtrip.model.Ip.Family family() { return family; }

    @Override public Ruleset ip6tablesPart() { return family == roundtrip.model.Ip.Family.IPV6 ? this : null; }

    /** ip6tables' rules are no part of iptables' (a fix that edits iptables-save.txt does not edit them) */
    @Override public Ruleset iptablesPart() { return family == roundtrip.model.Ip.Family.IPV4 ? this : Ruleset.EMPTY; }

    @Override public Verdict evaluate(String table, Hook hook, PacketContext ctx) {
        Table t = tables.get(table);
        return evaluate(t == null ? null : t.builtinByHook[hook.ordinal()], hook, ctx);
    }

    /** The base chain runs its built-in chain directly, found once instead of by name for every packet. */
    @Override public BaseChain baseChain(String table, Hook hook, int priority, BaseChain.Type type) {
        BaseChain named = Ruleset.super.baseChain(table, hook, priority, type);
        Table t = tables.get(table);
        Chain start = t == null ? null : t.builtinByHook[hook.ordinal()];
        // the table is committed (its chains frozen): read once here, not from the cold chain for every packet
        boolean untouched = start == null || !start.matters();
        return new BaseChain() {
            @Override public String table() { return table; }
            @Override public String name() { return named.name(); }
            @Override public Hook hook() { return hook; }
            @Override public int priority() { return priority; }
            @Override public Type type() { return type; }
            @Override public Verdict evaluate(PacketContext ctx) { return IptablesRuleset.this.evaluate(start, hook, ctx); }
            @Override public boolean passesUntouched() { return untouched; }
            @Override public boolean sees(roundtrip.model.Ip.Family f) { return named.sees(f); }
        };
    }

    private Verdict evaluate(Chain start, Hook hook, PacketContext ctx) {
        if (start == null) return acceptByHook[hook.ordinal()];
        Verdict v = run(start, ctx);
        if (v != null) return v;
        if (ctx.tracing) ctx.trace.add(start.policyStep);
        return start.policyVerdict;
    }

    /**
     * Runs a chain; returns the verdict, or null when the chain returned (RETURN or its end). A goto replaces
     * the chain being run without a new return point, so the goto'd chain's end returns to our caller.
     */
    private static Verdict run(Chain chain, PacketContext ctx) {
        Chain current = chain;
        IptRule[] rules = null;
        // with an index, visit only the rules that can match this packet's header, still in order: in one long when
        // the chain's rules fit one (no array made per chain walked), else in an array
        ChainIndex index = null;
        boolean oneWord = false, entering = true;
        long word = 0;
        long[] candidates = null;
        // the mark the candidates were chosen by: a target (here or in a called chain) may change it
        long markSeen = 0;
        int i = 0;
        while (true) {
            if (entering) {
                // the chain this call runs, or the one a goto replaced it with
                rules = current.rules;
                index = current.index;
                oneWord = index != null && index.oneWord();
                word = oneWord ? index.word(ctx) : 0;
                candidates = index == null || oneWord ? null : index.candidates(ctx);
                markSeen = ctx.packet.mark;
                i = 0;
                entering = false;
            }
            if (index != null) {
                if (ctx.packet.mark != markSeen && index.usesMark()) {
                    if (oneWord) word = index.word(ctx); else candidates = index.candidates(ctx);
                    markSeen = ctx.packet.mark;
                }
                i = oneWord ? ChainIndex.next(word, i) : ChainIndex.next(candidates, i);
            }
            if (i >= rules.length) return null;
            IptRule rule = rules[i++];
            if (!rule.matches(ctx)) continue;
            if (rule.mayDoubt && rule.problem == null && !rule.settleDoubts(ctx)) continue;
            if (rule.problem != null) {
                // part of the rule is not understood: don't guess whether it matches, say we are unsure
                if (!ctx.uncertain.contains(rule.problem)) ctx.uncertain.add(rule.problem);
                continue;
            }
            Target target = rule.target;
            boolean tracing = ctx.tracing;
            switch (target.kind) {
                case VERDICT -> {
                    if (tracing) ctx.trace.add(rule.step);
                    return rule.verdict;
                }
                case JUMP -> {
                    if (tracing) ctx.trace.add(rule.step);
                    Verdict v = run(target.chain, ctx);
                    if (v != null) return v;
                }
                case GOTO -> {
                    if (tracing) ctx.trace.add(rule.step);
                    current = target.chain;
                    entering = true;
                }
                case RETURN -> {
                    if (tracing) ctx.trace.add(rule.step);
                    return null;
                }
                case EFFECT -> {
                    if (target.effect == null) {
                        if (tracing) ctx.trace.add(rule.step);
                    } else {
                        // the effect puts itself in words only when traced (it returns null otherwise)
                        String what = target.effect.apply(ctx);
                        if (tracing) ctx.trace.add(new TraceStep(rule.family, rule.table, rule.chain, rule.source, what, null));
                    }
                }
                case NONE -> {
                    if (tracing) ctx.trace.add(rule.step);
                }
            }
        }
    }

    /**
     * The host's ipset sets (its ipset.txt), for -m set; without them every -m set leaves the packets it could decide
     * uncertain. Called once, when the host is loaded.
     */
    public void useSets(roundtrip.netfilter.IpSets ipSets) { sets.sets = ipSets; }

    /** The sets given with {@link #useSets}, or null. */
    public roundtrip.netfilter.IpSets sets() { return sets.sets; }

    @Override public boolean matters(String table, Hook hook) {
        Table t = tables.get(table);
        return t != null && t.mattersByHook[hook.ordinal()];
    }

    @Override public List<Problem> problems() { return problems; }

    /**
     * An ACCEPT rule that differs from a packet in one field of its IP header part only (-s, -d, -p, -i, -o), every
     * other part holding: the rule that was meant for the packet. {@code flag} is the option ("-o"), {@code written}
     * its value in the rule, {@code actual} the packet's.
     */
    public record NearMiss(roundtrip.model.Source rule, String chain, String flag, String written, String actual) {}

    /**
     * The ACCEPT rules of {@code table}'s chain {@code chain} and of the chains it jumps or goes to that miss the packet
     * in {@code ctx} by one header field, in rule order (the compare of ipt_do_table's ip_packet_match, field by field).
     */
    public List<NearMiss> nearMisses(String table, String chain, PacketContext ctx) {
        Table t = tables.get(table);
        List<NearMiss> out = new java.util.ArrayList<>();
        // a packet of the other family never passes these tables
        if (t == null || t.chains.get(chain) == null || ctx.packet.family() != family) return out;
        java.util.ArrayDeque<Chain> todo = new java.util.ArrayDeque<>(List.of(t.chains.get(chain)));
        Set<Chain> seen = new java.util.HashSet<>();
        while (!todo.isEmpty()) {
            Chain c = todo.poll();
            if (!seen.add(c)) continue;
            for (IptRule r : c.ruleList) {
                if ((r.target.kind == Target.Kind.JUMP || r.target.kind == Target.Kind.GOTO) && r.target.chain != null) todo.add(r.target.chain);
                if (r.target.kind != Target.Kind.VERDICT || r.target.verdictKind != roundtrip.netfilter.Verdict.Kind.ACCEPT || r.problem != null)
                    continue;
                NearMiss miss = nearMiss(r, c.name, ctx);
                if (miss != null) out.add(miss);
            }
        }
        return out;
    }

    /**
     * The ACCEPT rules of {@code table}'s chain {@code chain} written after the rule read from {@code drop} that would
     * accept the packet in {@code ctx}: accepts that a drop or reject ahead of them keeps the packet from (ipt_do_table
     * stops at the first verdict). Empty when the rule is not in the chain.
     */
    public List<roundtrip.model.Source> acceptsAfter(String table, String chain, roundtrip.model.Source drop, PacketContext ctx) {
        Table t = tables.get(table);
        Chain c = t == null || ctx.packet.family() != family ? null : t.chains.get(chain);
        List<roundtrip.model.Source> out = new java.util.ArrayList<>();
        if (c == null) return out;
        boolean after = false;
        for (IptRule r : c.ruleList) {
            if (after && r.target.kind == Target.Kind.VERDICT && r.target.verdictKind == roundtrip.netfilter.Verdict.Kind.ACCEPT
                    && r.problem == null && r.matches(ctx)) out.add(r.source);
            if (r.source.equals(drop)) after = true;
        }
        return out;
    }

    /**
     * Whether the rule read from {@code rule} is the last of {@code table}'s chain {@code chain} and drops or rejects
     * everything that reaches it (no header part, no match): the chain's policy written as a rule.
     */
    public boolean isCatchAllEnd(String table, String chain, roundtrip.model.Source rule) {
        Table t = tables.get(table);
        Chain c = t == null ? null : t.chains.get(chain);
        if (c == null || c.ruleList.isEmpty()) return false;
        IptRule r = c.ruleList.get(c.ruleList.size() - 1);
        return r.source.equals(rule) && r.matches.length == 0 && r.srcMask == 0 && r.dstMask == 0 && r.proto == 0
                && r.in == null && r.out == null && !r.fragment && r.target.kind == Target.Kind.VERDICT
                && (r.target.verdictKind == roundtrip.netfilter.Verdict.Kind.DROP || r.target.verdictKind == roundtrip.netfilter.Verdict.Kind.REJECT);
    }

    private static NearMiss nearMiss(IptRule r, String chain, PacketContext ctx) {
        if (r.fragment && !r.fragmentInvert) return null;
        // -i X -o X accepts what a bridge forwards between its own ports (Docker's rule for a network's containers):
        // meant for that, not for traffic that leaves the bridge
        if (r.in != null && r.out != null && r.in.text.equals(r.out.text)) return null;
        List<NearMiss> differ = new java.util.ArrayList<>();
        for (Match m : r.matches) {
            if (m.test(ctx)) continue;
            // ip6tables' -s/-d are matches of their own: a header field all the same
            if (!(m instanceof Matches.Addr6 a)) return null;
            differ.add(new NearMiss(r.source, chain, a.source ? "-s" : "-d", (a.invert ? "! " : "") + a.prefix,
                    String.valueOf(a.source ? ctx.packet.src : ctx.packet.dst)));
        }
        if (((ctx.src4 & r.srcMask) == r.srcNet) == r.srcInvert)
            differ.add(new NearMiss(r.source, chain, "-s", prefix(r.srcNet, r.srcMask, r.srcInvert), roundtrip.model.Ip.v4(ctx.src4).toString()));
        if (((ctx.dst4 & r.dstMask) == r.dstNet) == r.dstInvert)
            differ.add(new NearMiss(r.source, chain, "-d", prefix(r.dstNet, r.dstMask, r.dstInvert), roundtrip.model.Ip.v4(ctx.dst4).toString()));
        if (r.proto != 0 && (ctx.packet.proto == r.proto) == r.protoInvert)
            differ.add(new NearMiss(r.source, chain, "-p", (r.protoInvert ? "! " : "") + roundtrip.model.Packet.protoName(r.proto),
                    roundtrip.model.Packet.protoName(ctx.packet.proto)));
        if (r.in != null && !r.in.test(ctx.inIface))
            differ.add(new NearMiss(r.source, chain, "-i", (r.in.inverted() ? "! " : "") + r.in.text, String.valueOf(ctx.inIface)));
        if (r.out != null && !r.out.test(ctx.outIface))
            differ.add(new NearMiss(r.source, chain, "-o", (r.out.inverted() ? "! " : "") + r.out.text, String.valueOf(ctx.outIface)));
        return differ.size() == 1 ? differ.get(0) : null;
    }

    private static String prefix(int net, int mask, boolean invert) {
        return (invert ? "! " : "") + roundtrip.model.Ip.v4(net) + "/" + Integer.bitCount(mask);
    }

    @Override public List<roundtrip.netfilter.DeviceName> deviceNames() {
        List<roundtrip.netfilter.DeviceName> out = new java.util.ArrayList<>();
        for (Table t : tables.values())
            for (Chain c : t.chains.values())
                for (IptRule r : c.ruleList)
                    for (IfaceMatch m : new IfaceMatch[] {r.in, r.out})
                        if (m != null && !m.inverted()) out.add(m.named(r.source, m == r.in));
        return out;
    }

    /** The iptables-save text this ruleset was read from. */
    public String text() { return text; }

    /** Table names present, in file order (for tests and reports). */
    public Set<String> tableNames() { return Collections.unmodifiableSet(tables.keySet()); }

    /** Chain names of a table in declaration order; empty when the table is absent. */
    public List<String> chainNames(String table) {
        Table t = tables.get(table);
        return t == null ? List.of() : List.copyOf(t.chains.keySet());
    }

    /** Number of rules in a chain (after comma lists are expanded); -1 when the chain is absent. */
    public int ruleCount(String table, String chain) {
        Table t = tables.get(table);
        Chain c = t == null ? null : t.chains.get(chain);
        return c == null ? -1 : c.rules.length;
    }

    /** Policy of a built-in chain (ACCEPT or DROP); null for a user chain or an absent chain. */
    public Verdict.Kind policy(String table, String chain) {
        Table t = tables.get(table);
        Chain c = t == null ? null : t.chains.get(chain);
        return c == null ? null : c.policy;
    }

    /** A chain of a table, or null (for tests of its index). */
    Chain chain(String table, String name) {
        Table t = tables.get(table);
        return t == null ? null : t.chains.get(name);
    }

    /** Number of chains that got an address index (see ChainIndex). */
    int indexedChains() {
        int n = 0;
        for (Table t : tables.values()) for (Chain c : t.chains.values()) if (c.index != null) n++;
        return n;
    }

    /** Total number of rules in all tables. */
    public int size() {
        int n = 0;
        for (Table t : tables.values()) for (Chain c : t.chains.values()) n += c.rules.length;
        return n;
    }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder("IptablesRuleset[");
        String sep = "";
        for (Table t : tables.values()) {
            int n = 0;
            for (Chain c : t.chains.values()) n += c.rules.length;
            sb.append(sep).append(t.name).append(": ").append(n).append(n == 1 ? " rule" : " rules");
            sep = ", ";
        }
        return sb.append(']').toString();
    }
}
