package roundtrip.netfilter;

import roundtrip.model.Source;

/**
 * The outcome of running one table's chain for one hook. {@code decidedBy} is the rule that gave the verdict
 * (Source.NONE when the chain policy decided or nothing matched). {@code rejectWith} is iptables' word
 * (icmp-port-unreachable, tcp-reset, ...) for REJECT; {@code nat} is set for NAT.
 */
public record Verdict(Kind kind, String chain, Source decidedBy, String rejectWith, NatAction nat) {
    public enum Kind {
        /** continue to the next table / hook */
        ACCEPT,
        DROP,
        REJECT,
        /** a NAT target matched (nat table only): accepted, NAT applied */
        NAT,
        /** the packet was handed to user space (NFQUEUE): the simulator cannot know what happens */
        QUEUE
    }

    public static Verdict accept(String chain) { return new Verdict(Kind.ACCEPT, chain, Source.NONE, null, null); }

    public boolean passes() { return kind == Kind.ACCEPT || kind == Kind.NAT; }
}
