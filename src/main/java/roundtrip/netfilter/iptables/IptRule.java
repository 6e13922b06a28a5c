package roundtrip.netfilter.iptables;

import roundtrip.model.Problem;
import roundtrip.model.Source;
import roundtrip.netfilter.PacketContext;
import roundtrip.netfilter.TraceStep;
import roundtrip.netfilter.Verdict;

/**
 * One rule as the kernel holds it: the fixed IP header part (-s -d -i -o -p, compared inline like ipt_ip), the
 * extension matches, and the target. A rule whose syntax was partly not understood keeps its {@link #problem}.
 */
final class IptRule {
    final Source source;
    final String table;
    final String chain;

    // IP header part: address & mask == net, compared with the inversion flag
    final int srcNet, srcMask, dstNet, dstMask;
    final boolean srcInvert, dstInvert;
    /** 0 = any protocol */
    final int proto;
    final boolean protoInvert;
    /** null = any device */
    final IfaceMatch in, out;
    /** `-f`: the rule only matches non-first fragments, which the simulation never produces */
    final boolean fragment, fragmentInvert;

    final Match[] matches;
    final Target target;
    /** first thing not understood in this rule (match, option or target); null when fully understood */
    final Problem problem;

    /** true when a match may be unsure for some packet (see {@link Match#doubt}) */
    final boolean mayDoubt;

    /** precomputed for VERDICT targets */
    final Verdict verdict;
    /** precomputed trace line for targets whose text does not depend on the packet */
    final TraceStep step;
    /** iptables' or ip6tables', for the trace */
    final TraceStep.Family family;

    IptRule(Source source, String table, String chain, int srcNet, int srcMask, boolean srcInvert,
            int dstNet, int dstMask, boolean dstInvert, int proto, boolean protoInvert, IfaceMatch in, IfaceMatch out,
            boolean fragment, boolean fragmentInvert, Match[] matches, Target target, Problem problem, TraceStep.Family family) {
        this.family = family;
        this.source = source;
        this.table = table;
        this.chain = chain;
        this.srcNet = srcNet & srcMask;
        this.srcMask = srcMask;
        this.srcInvert = srcInvert;
        this.dstNet = dstNet & dstMask;
        this.dstMask = dstMask;
        this.dstInvert = dstInvert;
        this.proto = proto;
        this.protoInvert = protoInvert;
        this.in = in;
        this.out = out;
        this.fragment = fragment;
        this.fragmentInvert = fragmentInvert;
        this.matches = matches;
        this.target = target;
        this.problem = problem;
        boolean doubt = false;
        for (Match m : matches) doubt |= m.mayDoubt();
        // a rule whose target changes nothing the simulation sees (LOG, a counter) cannot change a verdict either way
        this.mayDoubt = doubt && !(target.kind == Target.Kind.NONE || (target.kind == Target.Kind.EFFECT && target.effect == null));
        this.verdict = target.kind == Target.Kind.VERDICT
                ? new Verdict(target.verdictKind, chain, source, target.rejectWith, target.nat) : null;
        this.step = target.traceText != null ? new TraceStep(family, table, chain, source, target.traceText, target.nat) : null;
    }

    /**
     * After {@link #matches} said yes: the doubts of matches that could not tell, added to the packet's uncertainties;
     * returns whether the rule is taken to match.
     */
    boolean settleDoubts(PacketContext ctx) {
        boolean holds = true;
        for (Match m : matches) {
            if (!m.mayDoubt()) continue;
            Match.Doubt d = m.doubt(ctx);
            if (d == null) continue;
            if (!ctx.uncertain.contains(d.problem())) ctx.uncertain.add(d.problem());
            holds &= d.assumeMatch();
        }
        return holds;
    }

    /** True when every understood part of the rule matches the packet (a match that cannot tell holds here). */
    boolean matches(PacketContext ctx) {
        var p = ctx.packet;
        if (((ctx.src4 & srcMask) == srcNet) == srcInvert) return false;
        if (((ctx.dst4 & dstMask) == dstNet) == dstInvert) return false;
        if (proto != 0 && (p.proto == proto) == protoInvert) return false;
        if (in != null && !in.test(ctx.inIface)) return false;
        if (out != null && !out.test(ctx.outIface)) return false;
        if (fragment && !fragmentInvert) return false;
        for (Match m : matches) {
            if (!m.test(ctx)) return false;
        }
        return true;
    }
}
