package roundtrip.kernel;

import roundtrip.model.Ip;
import roundtrip.model.Packet;
import roundtrip.netfilter.CtState;

import java.util.HashMap;
import java.util.Map;

/**
 * One host's connection tracking table (nf_conntrack_core.c): classifies each packet as NEW, ESTABLISHED,
 * RELATED or INVALID, creates unconfirmed entries that become permanent only when the packet leaves the host
 * (confirm at POSTROUTING / INPUT), and applies and reverses NAT (nf_nat_core.c: nf_nat_packet).
 */
public final class Conntrack {
    private final Map<Tuple, Connection> byTuple = new HashMap<>();

    /** The result of conntrack's look at one packet. {@code ct} is null for INVALID and UNTRACKED. */
    public record Lookup(Connection ct, boolean reply, CtState state, boolean fresh) {
        static final Lookup INVALID = new Lookup(null, false, CtState.INVALID, false);
        static final Lookup UNTRACKED = new Lookup(null, false, CtState.UNTRACKED, false);
    }

    public static Lookup untracked() { return Lookup.UNTRACKED; }

    /** nf_conntrack_in: find the packet's connection or start one. */
    public Lookup classify(Packet p, boolean tcpLoose) {
        if (p.proto == Packet.ICMP && p.isIcmpError()) return related(p);
        Tuple t = Tuple.of(p);
        Connection ct = byTuple.get(t);
        if (ct == null) {
            if (p.proto == Packet.ICMP && p.icmpType != Packet.ICMP_ECHO && p.icmpType != 13 && p.icmpType != 15
                    && p.icmpType != 17) return Lookup.INVALID;   // an echo reply with no request seen
            Connection fresh = new Connection(t);
            if (p.proto == Packet.TCP) {
                TcpTracker.State s = TcpTracker.first(p.tcpFlags, tcpLoose);
                if (s == TcpTracker.State.INVALID) return Lookup.INVALID;
                fresh.tcpState = s;
            }
            return new Lookup(fresh, false, CtState.NEW, true);
        }
        boolean reply = !ct.original.equals(t);
        if (p.proto == Packet.TCP) {
            TcpTracker.State s = TcpTracker.next(ct.tcpState, reply, p.tcpFlags);
            if (s == TcpTracker.State.INVALID) return Lookup.INVALID;
            if (s != TcpTracker.State.IGNORE) ct.tcpState = s;
        }
        if (reply) {
            ct.seenReply = true;
            return new Lookup(ct, true, CtState.ESTABLISHED, false);
        }
        return new Lookup(ct, false, ct.seenReply ? CtState.ESTABLISHED : CtState.NEW, false);
    }

    /** ICMP errors: the embedded packet, inverted, names the connection the error is about. */
    private Lookup related(Packet p) {
        if (p.inner == null) return Lookup.INVALID;
        Tuple inverted = Tuple.of(p.inner).invert();
        Connection ct = byTuple.get(inverted);
        if (ct == null) return Lookup.INVALID;
        boolean reply = !ct.original.equals(inverted);
        return new Lookup(ct, reply, CtState.RELATED, false);
    }

    /** __nf_conntrack_confirm: the entry becomes part of the table once its first packet leaves the host. */
    public void confirm(Connection ct) {
        if (ct == null || ct.confirmed) return;
        ct.confirmed = true;
        byTuple.put(ct.original, ct);
        byTuple.put(ct.reply, ct);
    }

    public Iterable<Connection> connections() {
        return byTuple.values().stream().distinct().toList();
    }

    // ---- NAT ----

    /** Which header field a hook's NAT manipulates: DST at PREROUTING/OUTPUT, SRC at POSTROUTING/INPUT. */
    public enum Manip { SRC, DST }

    /**
     * nf_nat_setup_info: bind the connection's NAT for one manip type, given the new address and port
     * (port 0 keeps the current one). The reply tuple is recomputed from the translated original.
     */
    public static void bind(Connection ct, Manip manip, Ip addr, int port) {
        Tuple current = ct.reply.invert();
        Tuple wanted = manip == Manip.SRC
                ? current.withSrc(addr, port == 0 ? current.sport() : port)
                : current.withDst(addr, port == 0 ? current.dport() : port);
        if (!wanted.equals(current)) {
            ct.reply = wanted.invert();
            if (manip == Manip.SRC) ct.srcNat = true; else ct.dstNat = true;
        }
        if (manip == Manip.SRC) ct.srcNatDone = true; else ct.dstNatDone = true;
    }

    public static boolean initialized(Connection ct, Manip manip) {
        return manip == Manip.SRC ? ct.srcNatDone : ct.dstNatDone;
    }

    /**
     * nf_nat_packet: rewrite the packet for this hook's manip type if the connection has NAT in the direction
     * concerned (a reply has the opposite manip reversed). Returns a description of the change, or null.
     */
    public static String translate(Connection ct, boolean reply, Manip manip, Packet p) {
        return translate(ct, reply, manip, p, true);
    }

    /** The same; without {@code describe} the change is not put in words (returns null), for untraced runs. */
    public static String translate(Connection ct, boolean reply, Manip manip, Packet p, boolean describe) {
        boolean natBit = manip == Manip.SRC ? ct.srcNat : ct.dstNat;
        if (reply) natBit = manip == Manip.SRC ? ct.dstNat : ct.srcNat;
        if (!natBit) return null;
        Tuple target = ct.tuple(!reply).invert();
        String before = describe ? p.describe() : null;
        if (manip == Manip.SRC) {
            p.src = target.src();
            if (p.hasPorts()) p.sport = target.sport();
        } else {
            p.dst = target.dst();
            if (p.hasPorts()) p.dport = target.dport();
        }
        if (p.isIcmpError() && p.inner != null) {
            // nf_nat_icmp_reply_translation: the embedded packet gets the opposite manip of the other direction
            Tuple inner = ct.tuple(!reply);
            if (manip == Manip.SRC) {
                p.inner.dst = inner.dst();
                if (p.inner.hasPorts()) p.inner.dport = inner.dport();
            } else {
                p.inner.src = inner.src();
                if (p.inner.hasPorts()) p.inner.sport = inner.sport();
            }
        }
        if (!describe) return null;
        String after = p.describe();
        return before.equals(after) ? null : before + " -> " + after;
    }
}
