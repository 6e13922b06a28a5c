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
    /*
     * The hash of tuples (nf_conntrack_core.c: hash_conntrack_raw over the tuple's fields). An IPv4 tuple is two
     * longs, addresses and protocol/ports, found in an open-addressed table without building a Tuple per packet;
     * IPv6 tuples (and fields out of range) go to a map of Tuple objects.
     */
    private static final long[] NO_KEYS = new long[0];
    private static final Connection[] NO_VALUES = new Connection[0];
    // most tables see a connection or two: the arrays and the map come with the first entry that needs them
    private long[] keyAddr = NO_KEYS, keyPorts = NO_KEYS;
    private Connection[] value = NO_VALUES;
    private int used;
    private Map<Tuple, Connection> other = Map.of();

    /** The result of conntrack's look at one packet. {@code ct} is null for INVALID and UNTRACKED. */
    public record Lookup(Connection ct, boolean reply, CtState state, boolean fresh) {
        static final Lookup INVALID = new Lookup(null, false, CtState.INVALID, false);
        static final Lookup UNTRACKED = new Lookup(null, false, CtState.UNTRACKED, false);
    }

    public static Lookup untracked() { return Lookup.UNTRACKED; }

    /** nf_conntrack_in: find the packet's connection or start one. */
    public Lookup classify(Packet p, boolean tcpLoose) {
        if (p.isIcmpError()) return related(p);
        if (p.proto == Packet.ICMPV6 && p.icmpType >= 130 && p.icmpType <= 143 && p.icmpType != 139 && p.icmpType != 140)
            return Lookup.UNTRACKED;   // MLD and neighbour discovery (nf_conntrack_icmpv6_error's noct_valid_new)
        Connection ct = find(p.proto, p.src, p.sport, p.dst, p.dport);
        if (ct == null) {
            if (p.proto == Packet.ICMP && p.icmpType != Packet.ICMP_ECHO && p.icmpType != 13 && p.icmpType != 15
                    && p.icmpType != 17) return Lookup.INVALID;   // an echo reply with no request seen
            // nf_conntrack_icmpv6_packet: only echo requests and node information queries start a connection
            if (p.proto == Packet.ICMPV6 && p.icmpType != Packet.ICMP6_ECHO_REQUEST && p.icmpType != 139) return Lookup.INVALID;
            Connection fresh = new Connection(Tuple.of(p));
            if (p.proto == Packet.TCP) {
                TcpTracker.State s = TcpTracker.first(p.tcpFlags, tcpLoose);
                if (s == TcpTracker.State.INVALID) return Lookup.INVALID;
                fresh.tcpState = s;
            }
            return new Lookup(fresh, false, CtState.NEW, true);
        }
        boolean reply = !isTuple(ct.original, p.proto, p.src, p.sport, p.dst, p.dport);
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
        Packet in = p.inner;
        // the embedded packet inverted: its destination is the tuple's source
        Connection ct = find(in.proto, in.dst, in.dport, in.src, in.sport);
        if (ct == null) return Lookup.INVALID;
        boolean reply = !isTuple(ct.original, in.proto, in.dst, in.dport, in.src, in.sport);
        return new Lookup(ct, reply, CtState.RELATED, false);
    }

    /**
     * Empty again, as a new table: the arrays are kept at their size (a slot is free when it holds no connection, so the
     * keys need no clearing).
     */
    public void clear() {
        if (used > 0) {
            java.util.Arrays.fill(value, null);
            used = 0;
        }
        if (!other.isEmpty()) other.clear();
    }

    /** __nf_conntrack_confirm: the entry becomes part of the table once its first packet leaves the host. */
    public void confirm(Connection ct) {
        if (ct == null || ct.confirmed) return;
        ct.confirmed = true;
        put(ct.original, ct);
        put(ct.reply, ct);
    }

    public Iterable<Connection> connections() {
        java.util.LinkedHashSet<Connection> all = new java.util.LinkedHashSet<>();
        for (Connection c : value) if (c != null) all.add(c);
        all.addAll(other.values());
        return java.util.List.copyOf(all);
    }

    private static boolean isTuple(Tuple t, int proto, Ip src, int sport, Ip dst, int dport) {
        return t.proto() == proto && t.sport() == sport && t.dport() == dport
                && java.util.Objects.equals(t.src(), src) && java.util.Objects.equals(t.dst(), dst);
    }

    /** Whether the fields fit the two-long form: IPv4 addresses, a protocol number and 16-bit ports. */
    private static boolean packs(int proto, Ip src, int sport, Ip dst, int dport) {
        return src != null && dst != null && src.isV4() && dst.isV4() && (proto & ~0xff) == 0
                && (sport & ~0xffff) == 0 && (dport & ~0xffff) == 0;
    }

    private static long addrKey(Ip src, Ip dst) { return ((long) src.v4() << 32) | (dst.v4() & 0xffffffffL); }

    private static long portKey(int proto, int sport, int dport) { return ((long) proto << 32) | ((long) sport << 16) | dport; }

    private static int slot(long a, long b, int mask) {
        long h = (a * 0x9E3779B97F4A7C15L) ^ (b * 0xC2B2AE3D27D4EB4FL);
        return (int) (h ^ (h >>> 29)) & mask;
    }

    private Connection find(int proto, Ip src, int sport, Ip dst, int dport) {
        if (!packs(proto, src, sport, dst, dport)) return other.isEmpty() ? null : other.get(new Tuple(proto, src, sport, dst, dport));
        if (used == 0) return null;   // no arrays yet
        long a = addrKey(src, dst), b = portKey(proto, sport, dport);
        int mask = value.length - 1;
        for (int i = slot(a, b, mask); value[i] != null; i = (i + 1) & mask)
            if (keyAddr[i] == a && keyPorts[i] == b) return value[i];
        return null;
    }

    private void put(Tuple t, Connection ct) {
        if (!packs(t.proto(), t.src(), t.sport(), t.dst(), t.dport())) {
            if (other.isEmpty()) other = new HashMap<>();
            other.put(t, ct);
            return;
        }
        if ((used + 1) * 2 > value.length) grow();
        long a = addrKey(t.src(), t.dst()), b = portKey(t.proto(), t.sport(), t.dport());
        int mask = value.length - 1;
        int i = slot(a, b, mask);
        for (; value[i] != null; i = (i + 1) & mask)
            if (keyAddr[i] == a && keyPorts[i] == b) { value[i] = ct; return; }
        keyAddr[i] = a;
        keyPorts[i] = b;
        value[i] = ct;
        used++;
    }

    private void grow() {
        long[] oa = keyAddr, ob = keyPorts;
        Connection[] ov = value;
        // four slots hold one connection (its original and reply tuples) at half load: what most tables of a probe need
        int cap = Math.max(4, ov.length * 2);
        keyAddr = new long[cap];
        keyPorts = new long[cap];
        value = new Connection[cap];
        int mask = value.length - 1;
        for (int j = 0; j < ov.length; j++) {
            if (ov[j] == null) continue;
            int i = slot(oa[j], ob[j], mask);
            while (value[i] != null) i = (i + 1) & mask;
            keyAddr[i] = oa[j];
            keyPorts[i] = ob[j];
            value[i] = ov[j];
        }
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
     * concerned (a reply has the opposite manip reversed). The trace records the change as a fact (HostKernel).
     */
    public static void translate(Connection ct, boolean reply, Manip manip, Packet p) {
        boolean natBit = manip == Manip.SRC ? ct.srcNat : ct.dstNat;
        if (reply) natBit = manip == Manip.SRC ? ct.dstNat : ct.srcNat;
        if (!natBit) return;
        Tuple target = ct.tuple(!reply).invert();
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
    }
}
