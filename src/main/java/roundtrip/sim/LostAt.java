package roundtrip.sim;

import roundtrip.kernel.Fact;
import roundtrip.model.Message;
import roundtrip.model.Source;

/**
 * Where and why a packet was lost: host, stage (routing, netfilter, rp_filter, arp, ...), reason, and the
 * configuration line that decided, as written; {@code why} the facts behind the drop a diagnosis reads (the
 * neighbour that did not answer, the chain that dropped, the tunnel check that failed), null when there are none.
 */
public record LostAt(String host, String stage, Message reason, Source source, Fact.Why why) {
    public LostAt(String host, String stage, Message reason, Source source) { this(host, stage, reason, source, null); }

}
