package roundtrip.netfilter;

import roundtrip.model.Problem;

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

    Ruleset EMPTY = new Ruleset() {
        @Override public Verdict evaluate(String table, Hook hook, PacketContext ctx) { return Verdict.accept(hook.name()); }
        @Override public boolean matters(String table, Hook hook) { return false; }
        @Override public List<Problem> problems() { return List.of(); }
    };
}
