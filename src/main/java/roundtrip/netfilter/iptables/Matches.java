package roundtrip.netfilter.iptables;

import roundtrip.model.Ip;
import roundtrip.model.Packet;
import roundtrip.netfilter.CtState;
import roundtrip.netfilter.PacketContext;

import java.util.Locale;

/** The match extensions roundtrip understands, each precompiled into a small object. */
final class Matches {
    private Matches() {}

    // conntrack state bits, as xt_conntrack computes them (plus the SNAT/DNAT pseudo states)
    static final int ST_INVALID = 1, ST_NEW = 2, ST_ESTABLISHED = 4, ST_RELATED = 8, ST_UNTRACKED = 16,
            ST_SNAT = 32, ST_DNAT = 64;
    // conntrack status bits (--ctstatus)
    static final int CS_EXPECTED = 1, CS_SEEN_REPLY = 2, CS_ASSURED = 4, CS_CONFIRMED = 8;

    /** Bit for one --ctstate/--state word; 0 when unknown. */
    static int stateBit(String word, boolean allowNat) {
        return switch (word.toUpperCase(Locale.ROOT)) {
            case "INVALID" -> ST_INVALID;
            case "NEW" -> ST_NEW;
            case "ESTABLISHED" -> ST_ESTABLISHED;
            case "RELATED" -> ST_RELATED;
            case "UNTRACKED" -> ST_UNTRACKED;
            case "SNAT" -> allowNat ? ST_SNAT : 0;
            case "DNAT" -> allowNat ? ST_DNAT : 0;
            default -> 0;
        };
    }

    /** Bit for one --ctstatus word; -1 when unknown (NONE is 0). */
    static int statusBit(String word) {
        return switch (word.toUpperCase(Locale.ROOT)) {
            case "NONE" -> 0;
            case "EXPECTED" -> CS_EXPECTED;
            case "SEEN_REPLY" -> CS_SEEN_REPLY;
            case "ASSURED" -> CS_ASSURED;
            case "CONFIRMED" -> CS_CONFIRMED;
            default -> -1;
        };
    }

    /**
     * True when the packet has a conntrack entry attached. In the raw table it never has: raw runs before
     * conntrack (priority -300 vs -200), so the kernel sees no entry there yet.
     */
    static boolean hasConntrack(PacketContext ctx, boolean rawTable) {
        if (rawTable) return false;
        CtState s = ctx.ctState;
        return s != null && s != CtState.INVALID && s != CtState.UNTRACKED;
    }

    /** The packet's state bits without the NAT pseudo states. */
    static int stateBits(PacketContext ctx, boolean rawTable) {
        if (rawTable || ctx.ctState == null) return ST_INVALID;
        return switch (ctx.ctState) {
            case NEW -> ST_NEW;
            case ESTABLISHED -> ST_ESTABLISHED;
            case RELATED -> ST_RELATED;
            case UNTRACKED -> ST_UNTRACKED;
            case INVALID -> ST_INVALID;
        };
    }

    /** -m tcp / -m udp: ports and (tcp) flags; only a packet of that protocol can match. */
    static final class Ports implements Match {
        final int proto;
        int sportMin = 0, sportMax = 0xffff, dportMin = 0, dportMax = 0xffff;
        boolean sportInvert, dportInvert;
        int flagMask, flagComp;
        boolean flagsInvert, hasFlags;

        Ports(int proto) { this.proto = proto; }

        @Override public boolean test(PacketContext ctx) {
            Packet p = ctx.packet;
            if (p.proto != proto) return false;
            if ((p.sport >= sportMin && p.sport <= sportMax) == sportInvert) return false;
            if ((p.dport >= dportMin && p.dport <= dportMax) == dportInvert) return false;
            return !hasFlags || ((p.tcpFlags & flagMask) == flagComp) != flagsInvert;
        }
    }

    /** -m icmp --icmp-type: type -1 is "any". */
    static final class Icmp implements Match {
        final int type, codeMin, codeMax;
        final boolean invert;

        Icmp(int[] typeCode, boolean invert) {
            this.type = typeCode[0];
            this.codeMin = typeCode[1];
            this.codeMax = typeCode[2];
            this.invert = invert;
        }

        @Override public boolean test(PacketContext ctx) {
            Packet p = ctx.packet;
            if (p.proto != Packet.ICMP) return false;
            boolean same = type == -1 || (p.icmpType == type && p.icmpCode >= codeMin && p.icmpCode <= codeMax);
            return same != invert;
        }
    }

    /** -m multiport: a list of ports and ranges, matched against source, destination or either. */
    static final class Multiport implements Match {
        enum Side { SOURCE, DESTINATION, EITHER }

        final Side side;
        /** pairs min,max */
        final int[] ranges;
        final boolean invert;

        Multiport(Side side, int[] ranges, boolean invert) {
            this.side = side;
            this.ranges = ranges;
            this.invert = invert;
        }

        @Override public boolean test(PacketContext ctx) {
            Packet p = ctx.packet;
            if (!p.hasPorts()) return false;
            boolean found = false;
            for (int i = 0; i < ranges.length && !found; i += 2) {
                int min = ranges[i], max = ranges[i + 1];
                if (side != Side.DESTINATION && p.sport >= min && p.sport <= max) found = true;
                if (side != Side.SOURCE && p.dport >= min && p.dport <= max) found = true;
            }
            return found != invert;
        }
    }

    /** -m conntrack, following xt_conntrack's order: state first, then nothing else matches without an entry. */
    static final class Conntrack implements Match {
        final boolean rawTable;
        boolean hasState, stateInvert;
        int stateMask;
        boolean hasStatus, statusInvert;
        int statusMask;
        boolean hasProto, protoInvert;
        int ctProto;
        boolean hasOrigSrc, origSrcInvert, hasOrigDst, origDstInvert;
        int origSrcNet, origSrcMask, origDstNet, origDstMask;
        boolean hasDir, wantReply;

        Conntrack(boolean rawTable) { this.rawTable = rawTable; }

        @Override public boolean test(PacketContext ctx) {
            boolean tracked = hasConntrack(ctx, rawTable);
            if (hasState) {
                int bits = stateBits(ctx, rawTable);
                if (tracked && ctx.ctSnat) bits |= ST_SNAT;
                if (tracked && ctx.ctDnat) bits |= ST_DNAT;
                if (((stateMask & bits) != 0) == stateInvert) return false;
            }
            if (!tracked) return hasState;
            if (hasDir && ctx.ctReply != wantReply) return false;
            if (hasProto) {
                Packet p = ctx.packet;
                // an ICMP error belongs to the connection of the packet it quotes
                int proto = ctx.ctState == CtState.RELATED && p.isIcmpError() && p.inner != null ? p.inner.proto : p.proto;
                if ((proto == ctProto) == protoInvert) return false;
            }
            if (hasOrigSrc) {
                boolean same = ctx.ctOrigSrc != null && (ctx.ctOrigSrc.v4() & origSrcMask) == origSrcNet;
                if (same == origSrcInvert) return false;
            }
            if (hasOrigDst) {
                boolean same = ctx.ctOrigDst != null && (ctx.ctOrigDst.v4() & origDstMask) == origDstNet;
                if (same == origDstInvert) return false;
            }
            if (hasStatus) {
                if (((statusMask & statusBits(ctx)) != 0) == statusInvert) return false;
            }
            return true;
        }

        /**
         * Status bits approximated from what the context knows: EXPECTED for related connections; SEEN_REPLY once
         * established; CONFIRMED for everything but a connection's first packet; ASSURED for an established TCP
         * connection past its handshake, never for a short UDP or ICMP exchange (the kernel waits for a UDP stream
         * to last two seconds). Checked against a real kernel: kernel-ctstatus-tcp-udp.txt, kernel-counters-3-pings.txt.
         */
        private static int statusBits(PacketContext ctx) {
            int bits = 0;
            CtState s = ctx.ctState;
            Packet p = ctx.packet;
            if (s == CtState.RELATED) bits |= CS_EXPECTED;
            if (s == CtState.ESTABLISHED || ctx.ctReply) bits |= CS_SEEN_REPLY;
            if (s != CtState.NEW || ctx.ctReply) bits |= CS_CONFIRMED;
            if (s == CtState.ESTABLISHED && p.proto == Packet.TCP && (p.tcpFlags & Packet.SYN) == 0) bits |= CS_ASSURED;
            return bits;
        }
    }

    /** -m state --state (xt_state: no NAT pseudo states). */
    static final class State implements Match {
        final int mask;
        final boolean invert, rawTable;

        State(int mask, boolean invert, boolean rawTable) {
            this.mask = mask;
            this.invert = invert;
            this.rawTable = rawTable;
        }

        @Override public boolean test(PacketContext ctx) {
            return ((mask & stateBits(ctx, rawTable)) != 0) != invert;
        }
    }

    /** -m mark --mark value[/mask] on the packet mark. */
    static final class Mark implements Match {
        final long value, mask;
        final boolean invert;

        Mark(long value, long mask, boolean invert) {
            this.value = value;
            this.mask = mask;
            this.invert = invert;
        }

        @Override public boolean test(PacketContext ctx) {
            return ((ctx.packet.mark & mask) == value) != invert;
        }
    }

    /** -m connmark --mark value[/mask]: never matches a packet without a conntrack entry, inverted or not. */
    static final class Connmark implements Match {
        final long value, mask;
        final boolean invert, rawTable;

        Connmark(long value, long mask, boolean invert, boolean rawTable) {
            this.value = value;
            this.mask = mask;
            this.invert = invert;
            this.rawTable = rawTable;
        }

        @Override public boolean test(PacketContext ctx) {
            if (!hasConntrack(ctx, rawTable)) return false;
            return ((ctx.ctMark & mask) == value) != invert;
        }
    }

    /** -m iprange --src-range / --dst-range (inclusive, unsigned). */
    static final class IpRange implements Match {
        boolean hasSrc, srcInvert, hasDst, dstInvert;
        int srcMin, srcMax, dstMin, dstMax;

        @Override public boolean test(PacketContext ctx) {
            if (hasSrc && inRange(ctx.src4, srcMin, srcMax) == srcInvert) return false;
            return !hasDst || inRange(ctx.dst4, dstMin, dstMax) != dstInvert;
        }

        private static boolean inRange(int a, int min, int max) {
            return Integer.compareUnsigned(a, min) >= 0 && Integer.compareUnsigned(a, max) <= 0;
        }
    }

    /** -m addrtype: the routing type of source/destination, as the kernel model reports it. */
    static final class AddrType implements Match {
        static final String[] TYPES = {"UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST",
            "BLACKHOLE", "UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE"};

        int srcTypes, dstTypes;
        boolean srcInvert, dstInvert;

        /** Bit for a type name; 0 when unknown. */
        static int bit(String name) {
            for (int i = 0; i < TYPES.length; i++) if (TYPES[i].equalsIgnoreCase(name)) return 1 << i;
            return 0;
        }

        @Override public boolean test(PacketContext ctx) {
            if (srcTypes != 0 && ((typeBit(ctx, ctx.packet.src) & srcTypes) != 0) == srcInvert) return false;
            return dstTypes == 0 || ((typeBit(ctx, ctx.packet.dst) & dstTypes) != 0) != dstInvert;
        }

        private static int typeBit(PacketContext ctx, Ip addr) {
            if (ctx.addressTypes == null) return 1; // UNSPEC
            String type = ctx.addressTypes.typeOf(addr);
            if (type == null) return 1;
            // the usual answers first, without a loop
            switch (type) {
                case "LOCAL": return 1 << 2;
                case "UNICAST": return 1 << 1;
                case "BROADCAST": return 1 << 3;
                case "MULTICAST": return 1 << 5;
                default: return bit(type);
            }
        }
    }

    /** -m pkttype: link-layer type, derived from the destination (multicast range, broadcast, else unicast). */
    static final class PktType implements Match {
        static final int UNICAST = 0, BROADCAST = 1, MULTICAST = 2;
        final int type;
        final boolean invert;

        PktType(int type, boolean invert) {
            this.type = type;
            this.invert = invert;
        }

        @Override public boolean test(PacketContext ctx) {
            Ip dst = ctx.packet.dst;
            int actual;
            if (dst.isMulticast()) actual = MULTICAST;
            else if (dst.isLimitedBroadcast() || (ctx.addressTypes != null && "BROADCAST".equals(ctx.addressTypes.typeOf(dst)))) actual = BROADCAST;
            else actual = UNICAST;
            return (actual == type) != invert;
        }
    }

    /** -m ttl --ttl-eq/--ttl-lt/--ttl-gt. */
    static final class Ttl implements Match {
        /** -1 less than, 0 equal, 1 greater than */
        final int compare;
        final int value;
        final boolean invert;

        Ttl(int compare, int value, boolean invert) {
            this.compare = compare;
            this.value = value;
            this.invert = invert;
        }

        @Override public boolean test(PacketContext ctx) {
            int ttl = ctx.packet.ttl;
            boolean holds = compare < 0 ? ttl < value : compare > 0 ? ttl > value : ttl == value;
            return holds != invert;
        }
    }

    /** A match that never holds (-m policy --pol ipsec: the simulation has no IPsec). */
    static final Match NEVER = ctx -> false;

    /** A match that always holds (-m limit: a probe's few packets stay within the burst). */
    static final Match ALWAYS = ctx -> true;
}
