package roundtrip.netfilter.iptables;

import roundtrip.model.Problem;
import roundtrip.netfilter.PacketContext;

/** One precompiled match of a rule (`-m ...` or an implicit protocol match); no parsing at evaluation time. */
@FunctionalInterface
interface Match {
    boolean test(PacketContext ctx);

    /**
     * Whether {@link #doubt} can ever say something: a match whose answer may rest on what the simulation does not
     * know (traffic before the probe, a program's user id, a set that was not collected).
     */
    default boolean mayDoubt() { return false; }

    /**
     * Asked only when every match of the rule held. Null when {@link #test} was certain; otherwise why it was not,
     * and what to take (test() returns true in that case so the rule's other parts decide).
     */
    default Doubt doubt(PacketContext ctx) { return null; }

    /**
     * The answer a match could not be sure of: the rule is taken to match when {@code assumeMatch} (e.g. a rate limit
     * for the first packet of a quiet flow), else taken not to match; either way the packet is marked uncertain.
     */
    record Doubt(Problem problem, boolean assumeMatch) {}
}
