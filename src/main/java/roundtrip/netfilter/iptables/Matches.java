package roundtrip.netfilter.iptables;

import roundtrip.model.Ip;
import roundtrip.model.Packet;
import roundtrip.model.Problem;
import roundtrip.netfilter.HeaderFields;
import roundtrip.netfilter.IpSets;
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

    /**
     * -m icmp --icmp-type (type -1 is "any") and -m icmp6 --icmpv6-type (icmp6_type_code_match): the packet must be of
     * the match's protocol (ICMP or ICMPv6, as the rule's -p says).
     */
    static final class Icmp implements Match {
        final int proto, type, codeMin, codeMax;
        final boolean invert;

        Icmp(int proto, int[] typeCode, boolean invert) {
            this.proto = proto;
            this.type = typeCode[0];
            this.codeMin = typeCode[1];
            this.codeMax = typeCode[2];
            this.invert = invert;
        }

        @Override public boolean test(PacketContext ctx) {
            Packet p = ctx.packet;
            if (p.proto != proto) return false;
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
        boolean hasReplSrc, replSrcInvert, hasReplDst, replDstInvert;
        int replSrcNet, replSrcMask, replDstNet, replDstMask;
        /** --ctorigsrcport, --ctorigdstport, --ctreplsrcport, --ctrepldstport: {min, max} or null; inverted flags */
        int[] origSport, origDport, replSport, replDport;
        boolean origSportInvert, origDportInvert, replSportInvert, replDportInvert;
        /** --ctexpire: the remaining lifetime of the entry, which the simulation does not follow */
        Doubt expire;

        Conntrack(boolean rawTable) { this.rawTable = rawTable; }

        @Override public boolean mayDoubt() { return expire != null; }

        @Override public Doubt doubt(PacketContext ctx) { return hasConntrack(ctx, rawTable) ? expire : null; }

        /** ip6tables' address options: set instead of the int nets, which then stay unused */
        Prefix6 origSrc6, origDst6, replSrc6, replDst6;

        private static boolean in(Ip a, int net, int mask) { return a != null && a.isV4() && (a.v4() & mask) == net; }

        private static boolean port(int value, int[] range) { return value >= range[0] && value <= range[1]; }

        /** ICMP tuples keep the echo id as the source "port" and type << 8 | code as the destination one. */
        private static int dportOf(PacketContext ctx, int port, boolean original) {
            Packet p = ctx.packet;
            if (!p.isIcmp() || !p.isIcmpEchoLike()) return port;
            int type = original != ctx.ctReply ? p.icmpType : p.isEchoRequest() ? Packet.echoReplyType(p.family())
                    : p.isEchoReply() ? Packet.echoRequestType(p.family()) : p.icmpType;
            return type << 8 | p.icmpCode;
        }

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
                boolean same = origSrc6 != null ? origSrc6.contains(ctx.ctOrigSrc)
                        : ctx.ctOrigSrc != null && (ctx.ctOrigSrc.v4() & origSrcMask) == origSrcNet;
                if (same == origSrcInvert) return false;
            }
            if (hasOrigDst) {
                boolean same = origDst6 != null ? origDst6.contains(ctx.ctOrigDst)
                        : ctx.ctOrigDst != null && (ctx.ctOrigDst.v4() & origDstMask) == origDstNet;
                if (same == origDstInvert) return false;
            }
            if (hasReplSrc && (replSrc6 != null ? replSrc6.contains(ctx.ctReplSrc)
                    : in(ctx.ctReplSrc, replSrcNet, replSrcMask)) == replSrcInvert) return false;
            if (hasReplDst && (replDst6 != null ? replDst6.contains(ctx.ctReplDst)
                    : in(ctx.ctReplDst, replDstNet, replDstMask)) == replDstInvert) return false;
            if (origSport != null && port(ctx.ctOrigSport, origSport) == origSportInvert) return false;
            if (origDport != null && port(dportOf(ctx, ctx.ctOrigDport, true), origDport) == origDportInvert) return false;
            if (replSport != null && port(ctx.ctReplSport, replSport) == replSportInvert) return false;
            if (replDport != null && port(dportOf(ctx, ctx.ctReplDport, false), replDport) == replDportInvert) return false;
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

    /** -m ecn (xt_ecn ecn_mt4): the IP header's ECN bits, and (only TCP can match then) the ECE and CWR flags. */
    static final class Ecn implements Match {
        static final int ECE = 0x40, CWR = 0x80;
        boolean hasIp, ipInvert, hasEce, eceInvert, hasCwr, cwrInvert;
        int ect;

        @Override public boolean test(PacketContext ctx) {
            Packet p = ctx.packet;
            if (hasIp && ((p.tos & 3) == ect) == ipInvert) return false;
            if (hasEce || hasCwr) {
                if (p.proto != Packet.TCP) return false;
                if (hasEce && ((p.tcpFlags & ECE) != 0) == eceInvert) return false;
                if (hasCwr && ((p.tcpFlags & CWR) != 0) == cwrInvert) return false;
            }
            return true;
        }
    }

    /** -m length (xt_length length_mt): the IPv4 total length in [min, max]. */
    record Length(int min, int max, boolean invert) implements Match {
        @Override public boolean test(PacketContext ctx) {
            int len = HeaderFields.ipLength(ctx.packet);
            return (len >= min && len <= max) != invert;
        }
    }

    /** -m tos (tos_mt): (tos & mask) == value; -m dscp (dscp_mt): tos >> 2 == value, as a tos compare with mask 0xfc. */
    record Tos(int value, int mask, boolean invert) implements Match {
        @Override public boolean test(PacketContext ctx) {
            return ((ctx.packet.tos & mask) == value) != invert;
        }
    }

    /**
     * sctp, dccp, esp, ah: the rule needs `-p` of that protocol, and the simulation only makes tcp, udp and icmp
     * packets; a packet of the protocol (a hand-made one) has header fields the model does not carry.
     */
    static final class OtherProtocol implements Match {
        final int proto;
        final Doubt doubt;

        OtherProtocol(int proto, Problem why) {
            this.proto = proto;
            this.doubt = new Doubt(why, false);
        }

        @Override public boolean test(PacketContext ctx) { return ctx.packet.proto == proto; }

        @Override public boolean mayDoubt() { return true; }

        @Override public Doubt doubt(PacketContext ctx) { return ctx.packet.proto == proto ? doubt : null; }
    }

    /**
     * -m physdev (xt_physdev physdev_mt): the bridge ports br_netfilter recorded. Without that record (not bridged, or
     * bridge-nf-call-iptables = 0) only options that are all negated hold; --physdev-is-bridged needs an out port, so it
     * holds from FORWARD on; an in or out name is not compared while that port is not known (yet).
     */
    static final class Physdev implements Match {
        boolean hasIn, inInvert, hasOut, outInvert, hasIsIn, isInInvert, hasIsOut, isOutInvert, hasBridged, bridgedInvert;
        IfaceMatch in, out;
        Doubt unknownPort;

        @Override public boolean test(PacketContext ctx) {
            if (!ctx.bridgeInfo) {
                return !(hasBridged && !bridgedInvert) && !(hasIsIn && !isInInvert) && !(hasIsOut && !isOutInvert)
                        && !(hasIn && !inInvert) && !(hasOut && !outInvert);
            }
            String outdev = ctx.physOut, indev = ctx.physIn;
            if (hasBridged && (outdev != null) == bridgedInvert) return false;
            if (hasIsIn && (indev != null) == isInInvert) return false;
            if (hasIsOut && (outdev != null) == isOutInvert) return false;
            if (hasIn && indev != null && !PacketContext.PORT_UNKNOWN.equals(indev) && !in.test(indev)) return false;
            if (hasOut && outdev != null && !PacketContext.PORT_UNKNOWN.equals(outdev) && !out.test(outdev)) return false;
            return true;
        }

        @Override public boolean mayDoubt() { return true; }

        @Override public Doubt doubt(PacketContext ctx) {
            if (!ctx.bridgeInfo) return null;
            if (hasIn && PacketContext.PORT_UNKNOWN.equals(ctx.physIn)) return unknownPort;
            if (hasOut && PacketContext.PORT_UNKNOWN.equals(ctx.physOut)) return unknownPort;
            return null;
        }
    }

    /**
     * -m owner (xt_owner owner_mt): only a packet this host sends has a socket; without one the match holds only when
     * every option is negated. A program's socket has a user the simulation does not know; the kernel's own packets
     * (ICMP errors, resets) are taken to have no socket.
     */
    static final class Owner implements Match {
        /** options given, and which of them are negated */
        boolean hasUid, uidInvert, hasGid, gidInvert, hasSocket, socketInvert;
        Doubt unknownUser;

        private boolean hasSocket(PacketContext ctx) {
            return ctx.inIface == null && ctx.fromSocket && (ctx.hook == roundtrip.netfilter.Hook.OUTPUT
                    || ctx.hook == roundtrip.netfilter.Hook.POSTROUTING);
        }

        @Override public boolean test(PacketContext ctx) {
            if (!hasSocket(ctx)) return !(hasUid && !uidInvert) && !(hasGid && !gidInvert) && !(hasSocket && !socketInvert);
            return !(hasSocket && socketInvert);
        }

        @Override public boolean mayDoubt() { return hasUid || hasGid; }

        @Override public Doubt doubt(PacketContext ctx) { return hasSocket(ctx) ? unknownUser : null; }
    }

    /**
     * A match whose answer depends on traffic before the probe or on what the model's packets do not carry (rate
     * limits, recent lists, connection counts, payload, sockets): evaluated as for the first packet of a quiet flow,
     * or not at all, and the packet is marked uncertain when the rule's other parts hold.
     */
    record Assumed(Doubt doubt) implements Match {
        @Override public boolean test(PacketContext ctx) { return true; }

        @Override public boolean mayDoubt() { return true; }

        @Override public Doubt doubt(PacketContext ctx) { return doubt; }
    }

    /** -m connbytes for the connection's first packet: one packet of the packet's length in the original direction. */
    static final class Connbytes implements Match {
        long from, to;
        /** 0 packets, 1 bytes, 2 avgpkt; 0 original, 1 reply, 2 both */
        int mode, dir;
        Problem why;

        @Override public boolean test(PacketContext ctx) { return true; }

        @Override public boolean mayDoubt() { return true; }

        @Override public Doubt doubt(PacketContext ctx) {
            long packets = dir == 1 ? 0 : 1, bytes = dir == 1 ? 0 : HeaderFields.ipLength(ctx.packet);
            long what = mode == 0 ? packets : mode == 1 ? bytes : (packets == 0 ? 0 : bytes / packets);
            // connbytes_mt: an inverted range is stored with from > to
            boolean holds = to >= from ? what <= to && what >= from : what < to || what > from;
            return new Doubt(why, holds);
        }
    }

    /** Where a ruleset's -m set matches find the host's sets once they are read (null: ipset.txt not collected). */
    static final class SetHolder {
        volatile IpSets sets;
    }

    /** -m set --match-set NAME FLAGS (xt_set set_match_v4): membership as ip_set_test answers it. */
    static final class SetMatch implements Match {
        final SetHolder holder;
        final String name;
        final boolean[] src;
        final boolean invert, returnNomatch;
        /** --packets-* / --bytes-* compare the element's counters, which depend on earlier traffic */
        final boolean counters;
        final roundtrip.model.Source source;

        SetMatch(SetHolder holder, String name, boolean[] src, boolean invert, boolean returnNomatch, boolean counters,
                 roundtrip.model.Source source) {
            this.holder = holder;
            this.name = name;
            this.src = src;
            this.invert = invert;
            this.returnNomatch = returnNomatch;
            this.counters = counters;
            this.source = source;
        }

        private IpSets.Answer answer(PacketContext ctx) {
            IpSets sets = holder.sets;
            if (sets == null) return new IpSets.Answer(false, roundtrip.model.Message.of(Sentences.SET_MEMBERS_UNKNOWN, name));
            return sets.test(name, src, ctx, returnNomatch);
        }

        @Override public boolean test(PacketContext ctx) {
            IpSets.Answer a = answer(ctx);
            if (a.unknown() != null) return true;
            if (counters && a.member() != invert) return true;
            return a.member() != invert;
        }

        @Override public boolean mayDoubt() { return true; }

        @Override public Doubt doubt(PacketContext ctx) {
            IpSets.Answer a = answer(ctx);
            if (a.unknown() != null)
                return new Doubt(new Problem(source, roundtrip.model.Message.of(Sentences.MATCH_SET_UNKNOWN, name, a.unknown())), false);
            if (counters) return new Doubt(new Problem(source, roundtrip.model.Message.of(Sentences.SET_COUNTERS, name)), false);
            return null;
        }
    }

    /** An IPv6 prefix as ip6tables compares it: address & mask == net, the mask as two longs (ipv6_masked_addr_cmp). */
    static final class Prefix6 {
        final long hi, lo, maskHi, maskLo;

        Prefix6(long hi, long lo, long maskHi, long maskLo) {
            this.hi = hi & maskHi;
            this.lo = lo & maskLo;
            this.maskHi = maskHi;
            this.maskLo = maskLo;
        }

        boolean contains(Ip a) {
            return a != null && a.isV6() && (a.hi() & maskHi) == hi && (a.lo() & maskLo) == lo;
        }

        /** The prefix length when the mask is contiguous, else -1. */
        int length() {
            int len = Long.bitCount(maskHi) + Long.bitCount(maskLo);
            return Ip.v6(maskHi, maskLo).equals(Ip.v6(-1L, -1L).masked(len)) ? len : -1;
        }

        @Override public String toString() {
            int len = length();
            return Ip.v6(hi, lo) + "/" + (len >= 0 ? Integer.toString(len) : Ip.v6(maskHi, maskLo).toString());
        }
    }

    /** ip6tables' -s / -d (ip6_packet_match): the packet's IPv6 source or destination in a prefix. */
    static final class Addr6 implements Match {
        final boolean source;
        final Prefix6 prefix;
        final boolean invert;

        Addr6(boolean source, Prefix6 prefix, boolean invert) {
            this.source = source;
            this.prefix = prefix;
            this.invert = invert;
        }

        @Override public boolean test(PacketContext ctx) {
            return prefix.contains(source ? ctx.packet.src : ctx.packet.dst) != invert;
        }
    }

    /** -m iprange with IPv6 addresses (iprange_mt6): inclusive, compared as unsigned 128-bit numbers. */
    static final class IpRange6 implements Match {
        boolean hasSrc, srcInvert, hasDst, dstInvert;
        Ip srcMin, srcMax, dstMin, dstMax;

        @Override public boolean test(PacketContext ctx) {
            if (hasSrc && inRange(ctx.packet.src, srcMin, srcMax) == srcInvert) return false;
            return !hasDst || inRange(ctx.packet.dst, dstMin, dstMax) != dstInvert;
        }

        private static boolean inRange(Ip a, Ip min, Ip max) {
            return a != null && a.isV6() && a.compareTo(min) >= 0 && a.compareTo(max) <= 0;
        }
    }

    /**
     * -m ipv6header (ipv6header_mt6): which headers the packet has, as bits (hop-by-hop 128, destination options 64,
     * routing 32, fragment 16, AH 8, ESP 4, no next header 2, an upper-layer protocol 1). The model's packets carry no
     * extension header: the transport protocol's bit only (ESP's or "none"'s for those protocols). Without --soft the
     * header set must be exactly the listed one, with it the listed ones must all be there ({@code !}: none of them).
     */
    static final class Ipv6Header implements Match {
        static final int HOP = 128, DST = 64, ROUTE = 32, FRAG = 16, AUTH = 8, ESP = 4, NONE = 2, PROTO = 1;
        final int headers;
        final boolean soft, invert;

        Ipv6Header(int headers, boolean soft, boolean invert) {
            this.headers = headers;
            this.soft = soft;
            this.invert = invert;
        }

        @Override public boolean test(PacketContext ctx) {
            int proto = ctx.packet.proto;
            int present = proto == 50 ? ESP : proto == 59 ? NONE : PROTO;
            if (soft) return ((present ^ headers ^ (invert ? 0xff : 0)) & headers) == 0;
            return (present == headers) != invert;
        }
    }

    /**
     * -m rpfilter (ipt_rpfilter / ip6t_rpfilter): a route lookup back towards the packet's source, as if the host
     * sent to it, must leave by the device the packet came in on (--loose: by any device); --validmark looks up with
     * the packet's mark, --accept-local lets a source that is one of the host's addresses pass, --invert negates.
     * Packets from lo always pass, as do IPv4 packets from 0.0.0.0 to a broadcast or link-local multicast address
     * (DHCP) and IPv6 packets from :: (duplicate address detection). A link-local IPv6 source is looked up on the
     * incoming device (RT6_LOOKUP_F_IFACE): it passes when the device has a route back, taken to be when the lookup
     * finds one at all (every IPv6 device has fe80::/64).
     */
    static final class Rpfilter implements Match {
        final boolean loose, validMark, acceptLocal, invert;
        final Problem noRoutes;

        Rpfilter(boolean loose, boolean validMark, boolean acceptLocal, boolean invert, Problem noRoutes) {
            this.loose = loose;
            this.validMark = validMark;
            this.acceptLocal = acceptLocal;
            this.invert = invert;
            this.noRoutes = noRoutes;
        }

        @Override public boolean test(PacketContext ctx) {
            if (ctx.routes == null) return true;   // doubt() says so; the rule's other parts decide
            return passes(ctx) != invert;
        }

        @Override public boolean mayDoubt() { return true; }

        @Override public Doubt doubt(PacketContext ctx) { return ctx.routes == null ? new Doubt(noRoutes, false) : null; }

        private boolean passes(PacketContext ctx) {
            Packet p = ctx.packet;
            if ("lo".equals(ctx.inIface)) return true;
            Ip src = p.src, dst = p.dst;
            if (src == null) return false;
            long mark = validMark ? p.mark : 0;
            if (src.isV4()) {
                if (src.isZeroNet() && (dst.isLimitedBroadcast() || (dst.v4() & 0xffffff00) == 0xe0000000)) return true;
                if (isLocal(ctx, src)) return acceptLocal;
                // rpfilter_get_saddr: the packet's destination as the lookup's source, unless it is not unicast
                Ip from = dst.isMulticast() || dst.isLimitedBroadcast() || dst.isZeroNet() ? null : dst;
                return reachesBack(ctx.routes.devices(src, from, mark, p.tos & 0x1e), ctx.inIface);
            }
            if (src.isUnspecified()) return true;
            if (isLocal(ctx, src)) return acceptLocal;
            Ip from = dst.isMulticast() || dst.isUnspecified() ? null : dst;
            java.util.List<String> devices = ctx.routes.devices(src, from, mark, 0);
            if (src.isLinkLocal()) return !devices.isEmpty();
            return reachesBack(devices, ctx.inIface);
        }

        private boolean reachesBack(java.util.List<String> devices, String in) {
            return !devices.isEmpty() && (loose || devices.contains(in));
        }

        private static boolean isLocal(PacketContext ctx, Ip a) {
            return ctx.addressTypes != null && "LOCAL".equals(ctx.addressTypes.typeOf(a));
        }
    }

    /** A match that never holds (-m policy --pol ipsec: the simulation has no IPsec). */
    static final Match NEVER = ctx -> false;

    /** A match that always holds (-m policy --pol none: no IPsec). */
    static final Match ALWAYS = ctx -> true;
}
