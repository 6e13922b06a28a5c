package roundtrip.importer;

import roundtrip.model.Problem;
import roundtrip.netfilter.Hook;
import roundtrip.netfilter.PacketContext;
import roundtrip.netfilter.Ruleset;
import roundtrip.netfilter.Verdict;

import java.util.List;

/**
 * Stands for rules that were given but cannot be evaluated: every packet crossing the host's filter hooks passes,
 * and is marked uncertain with the Problem that says which rules were skipped.
 */
final class NotEvaluatedRuleset implements Ruleset {
    private final Problem problem;

    private NotEvaluatedRuleset(Problem problem) { this.problem = problem; }

    static Ruleset of(Problem problem) { return new NotEvaluatedRuleset(problem); }

    @Override public Verdict evaluate(String table, Hook hook, PacketContext ctx) {
        if (!ctx.uncertain.contains(problem)) ctx.uncertain.add(problem);
        return Verdict.accept(hook.name());
    }

    @Override public boolean matters(String table, Hook hook) {
        return table.equals("filter") && (hook == Hook.INPUT || hook == Hook.FORWARD || hook == Hook.OUTPUT);
    }

    @Override public List<Problem> problems() { return List.of(problem); }
}
