package roundtrip.sim;

import roundtrip.model.Source;

/** Where and why a packet was lost: host, stage (routing, netfilter, rp_filter, arp, ...), reason, and the
 *  configuration line that decided, as written. */
public record LostAt(String host, String stage, String reason, Source source) {}
