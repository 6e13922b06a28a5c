package roundtrip.netfilter;

import roundtrip.model.Ip;
import roundtrip.model.Problem;

import java.util.ArrayList;
import java.util.List;

/**
 * A host's packet filter. The kernel model calls {@link #evaluate} for each table in hook order
 * (raw, mangle, nat, filter). Chains absent from the ruleset accept.
 */
public interface Ruleset {
    /**
     * Runs the built-in chain {@code hook} of {@code table} ("raw", "mangle", "nat", "filter") for the packet in
     * {@code ctx}, following jumps, gotos and returns, applying non-terminal targets (MARK, CONNMARK, LOG, TRACE,
     * NOTRACK, TCPMSS) to the context, and returns the verdict. Never returns null.
     */
    Verdict evaluate(String table, Hook hook, PacketContext ctx);

    /** True when the table has a built-in chain for this hook with a rule or a non-ACCEPT policy. */
    boolean matters(String table, Hook hook);

    /** Syntax that was not understood while loading (file:line and text). */
    List<Problem> problems();

    /** The iptables part of a host's firewall (this ruleset, or a combination's first). */
    default Ruleset iptablesPart() { return this; }

    /** The nftables part of a host's firewall (this ruleset, or a combination's second). */
    default Ruleset nftPart() { return this; }

    /** The ip6tables part of a host's firewall (ip6tables-save.txt's rules); null when it has none. */
    default Ruleset ip6tablesPart() { return null; }


    /** Every device a rule names by `-i`/`-o` or `iifname`/`oifname` (not inverted), in rule order. */
    default List<DeviceName> deviceNames() { return List.of(); }

    /**
     * Adds the port ranges this ruleset compares packets with ({@link PortCuts}). A kind of ruleset that cannot list
     * them says so, which makes the classes inexact.
     */
    default void portCuts(PortCuts cuts) {
        cuts.unknown(roundtrip.model.Message.of(Sentences.PORT_COMPARISONS_NOT_LISTED, getClass().getSimpleName()));
    }

    /** The family whose packets an iptables-style ruleset's tables see (iptables: IPv4, ip6tables: IPv6). */
    default Ip.Family family() { return Ip.Family.IPV4; }

    /**
     * The base chains this ruleset hooks into {@code hook}, by priority. An iptables ruleset has its tables' built-in
     * chains at the fixed priorities of iptable_raw, iptable_mangle, iptable_nat, iptable_filter and iptable_security.
     */
    default List<BaseChain> chains(Hook hook) {
        List<BaseChain> out = new ArrayList<>();
        for (String table : new String[] {"raw", "mangle", "nat", "filter", "security"}) {
            if (!matters(table, hook)) continue;
            int priority = switch (table) {
                case "raw" -> -300;
                case "mangle" -> -150;
                case "nat" -> hook == Hook.PREROUTING || hook == Hook.OUTPUT ? -100 : 100;
                case "security" -> 50;
                default -> 0;
            };
            BaseChain.Type type = table.equals("nat") ? BaseChain.Type.NAT
                    : table.equals("mangle") && hook == Hook.OUTPUT ? BaseChain.Type.ROUTE : BaseChain.Type.FILTER;
            out.add(baseChain(table, hook, priority, type));
        }
        return out;
    }

    /** The built-in chain {@code hook} of {@code table} as a base chain; a ruleset may resolve the chain once here. */
    default BaseChain baseChain(String table, Hook hook, int priority, BaseChain.Type type) {
        Ruleset self = this;
        return new BaseChain() {
            @Override public String table() { return table; }
            @Override public String name() { return hook.name(); }
            @Override public Hook hook() { return hook; }
            @Override public int priority() { return priority; }
            @Override public Type type() { return type; }
            @Override public Verdict evaluate(PacketContext ctx) { return self.evaluate(table, hook, ctx); }
            @Override public boolean sees(Ip.Family f) { return f == self.family(); }
        };
    }

    /**
     * Two rulesets hooked side by side (iptables and nftables): their base chains interleave by priority. A host's
     * firewall nests them as combine(combine(iptables, ip6tables), nftables) where it has all three.
     */
    static Ruleset combine(Ruleset first, Ruleset second) { return new Combined(first, second); }

    /**
     * A host's firewall from its parts, hooked side by side as combine(combine(iptables, ip6tables), nftables), the
     * absent (null) ones left out; {@link #EMPTY} when all are.
     */
    static Ruleset of(Ruleset iptables, Ruleset ip6tables, Ruleset nft) {
        Ruleset xt = iptables == null ? ip6tables : ip6tables == null ? iptables : combine(iptables, ip6tables);
        if (xt == null) return nft == null ? EMPTY : nft;
        return nft == null ? xt : combine(xt, nft);
    }

    /** {@code firewall} (iptables, nftables or both; null for none) with ip6tables-save's rules beside its iptables part. */
    static Ruleset withIp6tables(Ruleset firewall, Ruleset ip6tables) {
        if (firewall == null || firewall == EMPTY) return ip6tables;
        if (firewall instanceof Combined both && both.first() instanceof roundtrip.netfilter.iptables.IptablesRuleset)
            return of(both.first(), ip6tables, both.second());
        if (firewall instanceof roundtrip.netfilter.iptables.IptablesRuleset) return of(firewall, ip6tables, null);
        return of(null, ip6tables, firewall);   // nftables alone (or saved and live nftables): ip6tables first, as before them
    }

    /** iptables and nftables on one host; the parts stay visible so a fix can replace one of them. */
    record Combined(Ruleset first, Ruleset second) implements Ruleset {
        @Override public Verdict evaluate(String table, Hook hook, PacketContext ctx) {
            throw new UnsupportedOperationException("a combined ruleset is run by its base chains");
        }
        @Override public boolean matters(String table, Hook hook) { return first.matters(table, hook) || second.matters(table, hook); }
        @Override public List<Problem> problems() {
            List<Problem> all = new ArrayList<>(first.problems());
            all.addAll(second.problems());
            return all;
        }
        @Override public void portCuts(PortCuts cuts) {
            first.portCuts(cuts);
            second.portCuts(cuts);
        }
        @Override public Ruleset iptablesPart() { return first.iptablesPart(); }
        @Override public Ruleset nftPart() { return second; }
        @Override public Ruleset ip6tablesPart() {
            Ruleset inFirst = first.ip6tablesPart();
            return inFirst != null ? inFirst : second.ip6tablesPart();
        }
        @Override public List<DeviceName> deviceNames() {
            List<DeviceName> all = new ArrayList<>(first.deviceNames());
            all.addAll(second.deviceNames());
            return all;
        }
        @Override public List<BaseChain> chains(Hook hook) {
            List<BaseChain> all = new ArrayList<>(first.chains(hook));
            all.addAll(second.chains(hook));
            all.sort(BaseChain.BY_PRIORITY);   // stable: the first ruleset wins ties
            return all;
        }
    }

    Ruleset EMPTY = new Ruleset() {
        @Override public Verdict evaluate(String table, Hook hook, PacketContext ctx) { return Verdict.accept(hook.name()); }
        @Override public boolean matters(String table, Hook hook) { return false; }
        @Override public List<Problem> problems() { return List.of(); }
        @Override public void portCuts(PortCuts cuts) {}
    };
}
