package roundtrip.netfilter.iptables;

import roundtrip.netfilter.PacketContext;

/** One precompiled match of a rule (`-m ...` or an implicit protocol match); no parsing at evaluation time. */
@FunctionalInterface
interface Match {
    boolean test(PacketContext ctx);
}
