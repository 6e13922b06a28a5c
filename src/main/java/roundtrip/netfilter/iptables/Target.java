package roundtrip.netfilter.iptables;

import roundtrip.netfilter.NatAction;
import roundtrip.netfilter.PacketContext;
import roundtrip.netfilter.Verdict;

/**
 * What a rule does when it matches. {@link Kind#VERDICT} ends the traversal with a verdict fixed at load time,
 * JUMP/GOTO enter another chain, RETURN leaves the current one, EFFECT changes the context and continues, NONE
 * (a rule without -j) only counts.
 */
final class Target {
    enum Kind { VERDICT, JUMP, GOTO, RETURN, EFFECT, NONE }

    /** A non-terminal target's change to the context; returns the trace text, or null when {@code ctx.tracing} is off. */
    @FunctionalInterface
    interface Effect {
        String apply(PacketContext ctx);
    }

    final Kind kind;
    /** target name as written (ACCEPT, DNAT, MARK, a chain name, ...) */
    final String name;
    /** for VERDICT: the verdict kind, completed with the rule's chain and source when the rule is built */
    final Verdict.Kind verdictKind;
    final String rejectWith;
    final NatAction nat;
    /** for VERDICT and fixed-text effects: the trace text */
    final String traceText;
    final Effect effect;
    /** for JUMP/GOTO: resolved when the table is committed */
    Chain chain;

    private Target(Kind kind, String name, Verdict.Kind verdictKind, String rejectWith,
                   NatAction nat, String traceText, Effect effect) {
        this.kind = kind;
        this.name = name;
        this.verdictKind = verdictKind;
        this.rejectWith = rejectWith;
        this.nat = nat;
        this.traceText = traceText;
        this.effect = effect;
    }

    static Target verdict(String name, Verdict.Kind kind, String traceText) {
        return new Target(Kind.VERDICT, name, kind, null, null, traceText, null);
    }

    static Target reject(String rejectWith) {
        return new Target(Kind.VERDICT, "REJECT", Verdict.Kind.REJECT, rejectWith, null, "reject with " + rejectWith, null);
    }

    static Target nat(String name, NatAction nat, String traceText) {
        return new Target(Kind.VERDICT, name, Verdict.Kind.NAT, null, nat, traceText, null);
    }

    static Target jump(String chainName) { return new Target(Kind.JUMP, chainName, null, null, null, "jump to " + chainName, null); }

    static Target goTo(String chainName) { return new Target(Kind.GOTO, chainName, null, null, null, "goto " + chainName, null); }

    static Target ret() { return new Target(Kind.RETURN, "RETURN", null, null, null, "return", null); }

    static Target effect(String name, Effect effect) { return new Target(Kind.EFFECT, name, null, null, null, null, effect); }

    /** A target with no effect the simulation can see (LOG, TRACE, TCPMSS, ...): traced with a fixed text. */
    static Target noEffect(String name, String traceText) {
        return new Target(Kind.EFFECT, name, null, null, null, traceText, null);
    }

    static Target none() { return new Target(Kind.NONE, "", null, null, null, "continue", null); }
}
