package roundtrip.netfilter.nft;

import roundtrip.model.Problem;
import roundtrip.model.Source;

/** One rule: its text (rendered from JSON) with handle, the compiled steps, and what was not understood. */
final class NftRule {
    final Source source;
    final Step[] steps;
    /** first thing not understood in this rule; null when fully understood */
    final Problem problem;

    NftRule(Source source, Step[] steps, Problem problem) {
        this.source = source;
        this.steps = steps;
        this.problem = problem;
    }
}
