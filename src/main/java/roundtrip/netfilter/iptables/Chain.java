package roundtrip.netfilter.iptables;

import roundtrip.model.Source;
import roundtrip.netfilter.TraceStep;
import roundtrip.netfilter.Verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A chain of one table: built-in (with a policy) or user-defined (policy null). */
final class Chain {
    final String table;
    final String name;
    final boolean builtin;
    /** ACCEPT or DROP for built-in chains, null for user chains */
    Verdict.Kind policy;
    /** line of the `:CHAIN` declaration (0 when the chain was never declared) */
    int declaredAt;
    final List<IptRule> ruleList = new ArrayList<>();

    // frozen when the table is committed
    IptRule[] rules = new IptRule[0];
    /** null when the chain is short or does not lend itself to an address index */
    ChainIndex index;
    Verdict policyVerdict;
    TraceStep policyStep;

    Chain(String table, String name, boolean builtin, Verdict.Kind policy) {
        this.table = table;
        this.name = name;
        this.builtin = builtin;
        this.policy = policy;
    }

    void freeze(boolean indexed, roundtrip.model.Ip.Family family) {
        rules = ruleList.toArray(new IptRule[0]);
        index = indexed ? ChainIndex.build(rules) : null;
        if (builtin) {
            policyVerdict = new Verdict(policy, name, Source.NONE, null, null);
            policyStep = new TraceStep(TraceStep.Family.iptablesOf(family), table, name, Source.NONE, "policy " + policy.name().toLowerCase(Locale.ROOT), null);
        }
    }

    /** What {@code Ruleset.matters} reports for a built-in chain. */
    boolean matters() { return rules.length > 0 || policy != Verdict.Kind.ACCEPT; }
}
