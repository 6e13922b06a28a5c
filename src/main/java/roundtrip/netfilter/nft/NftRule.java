package roundtrip.netfilter.nft;

import roundtrip.model.Problem;
import roundtrip.model.Source;

/** One rule: its text (rendered from JSON) with handle, the compiled steps, what was not understood, and its comment. */
final class NftRule {
    final Source source;
    final Step[] steps;
    /** first thing not understood in this rule; null when fully understood */
    final Problem problem;
    /** the rule's comment, null without one */
    final String comment;

    NftRule(Source source, Step[] steps, Problem problem, String comment) {
        this.source = source;
        this.steps = steps;
        this.problem = problem;
        this.comment = comment;
    }
}
