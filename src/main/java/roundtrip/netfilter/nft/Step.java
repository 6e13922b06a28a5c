package roundtrip.netfilter.nft;

import roundtrip.netfilter.NatAction;
import roundtrip.netfilter.PacketContext;
import roundtrip.netfilter.Verdict;

import java.util.List;

/**
 * One expression of a compiled rule, run in order as the kernel's nft_do_chain does: a {@link Test} ends the rule
 * when it fails (NFT_BREAK), an {@link Effect} changes the packet or connection and goes on, a {@link Terminal} gives
 * the rule's verdict, a {@link VerdictMap} looks the verdict up (no entry: the rule goes on).
 */
interface Step {
    /** What an {@link Effect} returns when the statement ends the rule without a verdict (NFT_BREAK). */
    String BREAK = new String("break");

    /** A match; the packet must pass it for the rest of the rule to run. */
    @FunctionalInterface
    interface Test extends Step {
        boolean test(PacketContext ctx);
    }

    /**
     * A statement that changes the context (meta mark set, ct mark set, notrack) or only counts/logs; returns trace
     * text (null for none), or {@link #BREAK} when the rule stops here (a map lookup without an element, a limit).
     */
    @FunctionalInterface
    interface Effect extends Step {
        String apply(PacketContext ctx);
    }

    /** The end of a rule: a verdict, a NAT binding, or a jump/goto/return. */
    final class Terminal implements Step {
        enum Kind { VERDICT, JUMP, GOTO, RETURN, CONTINUE }

        final Kind kind;
        /** for VERDICT */
        final Verdict.Kind verdict;
        final String rejectWith;
        /** for a reject that answers IPv6 packets otherwise (icmpx, a plain reject): ip6tables' word for them */
        final String rejectWith6;
        final NatAction nat;
        /** for JUMP/GOTO, resolved when the table is complete */
        final String target;
        NftChain chain;
        /** the trace action, as nft trace would word it */
        final String text;
        /** for NAT chosen per packet (a map lookup): the binding, or null when the map has no element (NFT_BREAK) */
        final java.util.function.Function<PacketContext, NatAction> natOf;

        Terminal(Kind kind, Verdict.Kind verdict, String rejectWith, NatAction nat, String target, String text) {
            this(kind, verdict, rejectWith, nat, target, text, null);
        }

        Terminal(Kind kind, Verdict.Kind verdict, String rejectWith, NatAction nat, String target, String text,
                 java.util.function.Function<PacketContext, NatAction> natOf) {
            this(kind, verdict, rejectWith, null, nat, target, text, natOf);
        }

        /** A reject answering IPv4 packets with {@code rejectWith} and IPv6 ones with {@code rejectWith6}. */
        static Terminal reject(String rejectWith, String rejectWith6, String text) {
            return new Terminal(Kind.VERDICT, Verdict.Kind.REJECT, rejectWith, rejectWith6, null, null, text, null);
        }

        private Terminal(Kind kind, Verdict.Kind verdict, String rejectWith, String rejectWith6, NatAction nat, String target,
                         String text, java.util.function.Function<PacketContext, NatAction> natOf) {
            this.kind = kind;
            this.verdict = verdict;
            this.rejectWith = rejectWith;
            this.rejectWith6 = rejectWith6;
            this.nat = nat;
            this.target = target;
            this.text = text;
            this.natOf = natOf;
        }

        static Terminal verdict(Verdict.Kind kind, String text) { return new Terminal(Kind.VERDICT, kind, null, null, null, text); }
    }

    /** `KEY vmap { value : verdict, ... }` */
    final class VerdictMap implements Step {
        final Operand key;
        final List<Entry> entries;

        record Entry(Elem element, Terminal verdict) {}

        VerdictMap(Operand key, List<Entry> entries) {
            this.key = key;
            this.entries = entries;
        }

        /** The verdict for this packet, or null when the key is absent or no element matches. */
        Terminal lookup(PacketContext ctx) {
            Object v = key.read(ctx);
            if (v == null) return null;
            for (Entry e : entries) if (e.element.test(v)) return e.verdict;
            return null;
        }
    }
}
