package roundtrip.netfilter.nft;

import roundtrip.model.Problem;
import roundtrip.model.Source;

/** One rule: where it was written (or its handle and text rendered from JSON), the compiled steps, what was not understood, and its comment. */
final class NftRule {
    final Source source;
    /** the kernel's handle (nft -a, nft -j), 0 when the input did not say */
    final int handle;
    final Step[] steps;
    /** first thing not understood in this rule; null when fully understood */
    final Problem problem;
    /** the rule's comment, null without one */
    final String comment;
    /** the devices it names by iifname/oifname */
    final java.util.List<roundtrip.netfilter.DeviceName> devices;

    NftRule(Source source, int handle, Step[] steps, Problem problem, String comment, java.util.List<roundtrip.netfilter.DeviceName> devices) {
        this.devices = devices;
        this.source = source;
        this.handle = handle;
        this.steps = steps;
        this.problem = problem;
        this.comment = comment;
    }
}
