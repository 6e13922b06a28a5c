package roundtrip.netfilter;

import roundtrip.model.Ip;
import roundtrip.model.Packet;

import java.util.HashSet;
import java.util.Set;

/** Test helper: a packet plus what the kernel model would know about it at one hook. */
public final class Pkt {
    public final Packet packet = new Packet();
    public Hook hook = Hook.INPUT;
    String in = "eth0", out;
    CtState state = CtState.NEW;
    boolean reply, dnat, snat;
    Ip origSrc, origDst;
    long ctMark;
    final Set<Ip> local = new HashSet<>();

    public static Pkt tcp(String src, String dst, int dport) {
        Pkt p = new Pkt();
        p.packet.proto = Packet.TCP;
        p.packet.src = Ip.parse(src);
        p.packet.dst = Ip.parse(dst);
        p.packet.sport = 40000;
        p.packet.dport = dport;
        p.packet.tcpFlags = Packet.SYN;
        return p;
    }

    public static Pkt udp(String src, String dst, int dport) {
        Pkt p = tcp(src, dst, dport);
        p.packet.proto = Packet.UDP;
        p.packet.tcpFlags = 0;
        return p;
    }

    public static Pkt icmp(String src, String dst, int type, int code) {
        Pkt p = tcp(src, dst, 0);
        p.packet.proto = Packet.ICMP;
        p.packet.tcpFlags = 0;
        p.packet.sport = p.packet.dport = 77;
        p.packet.icmpType = type;
        p.packet.icmpCode = code;
        return p;
    }

    /** An ICMPv6 packet (proto 58) of the given type and code. */
    public static Pkt icmp6(String src, String dst, int type, int code) {
        Pkt p = icmp(src, dst, type, code);
        p.packet.proto = Packet.ICMPV6;
        return p;
    }

    public Pkt sport(int port) { packet.sport = port; return this; }
    public Pkt flags(int flags) { packet.tcpFlags = flags; return this; }
    public Pkt mark(long mark) { packet.mark = mark; return this; }
    public Pkt in(String iface) { in = iface; return this; }
    public Pkt out(String iface) { out = iface; return this; }
    public Pkt hook(Hook h) { hook = h; return this; }
    public Pkt state(CtState s) { state = s; return this; }
    public Pkt reply() { reply = true; return this; }
    public Pkt dnat() { dnat = true; return this; }
    public Pkt snat() { snat = true; return this; }
    public Pkt ctMark(long m) { ctMark = m; return this; }
    public Pkt orig(String src, String dst) { origSrc = Ip.parse(src); origDst = Ip.parse(dst); return this; }
    public Pkt local(String addr) { local.add(Ip.parse(addr)); return this; }

    /** An independent copy (targets change the packet's mark in place). */
    public Pkt copy() {
        Pkt c = new Pkt();
        Packet q = packet.copy();
        c.packet.src = q.src; c.packet.dst = q.dst; c.packet.proto = q.proto; c.packet.sport = q.sport;
        c.packet.dport = q.dport; c.packet.tcpFlags = q.tcpFlags; c.packet.icmpType = q.icmpType;
        c.packet.icmpCode = q.icmpCode; c.packet.mark = q.mark;
        c.hook = hook; c.in = in; c.out = out; c.state = state; c.reply = reply; c.dnat = dnat; c.snat = snat;
        c.origSrc = origSrc; c.origDst = origDst; c.ctMark = ctMark; c.local.addAll(local);
        return c;
    }

    @Override public String toString() {
        return packet.describe() + " in " + in + " out " + out + " " + state + " mark " + packet.mark;
    }

    public PacketContext ctx() {
        AddressTypes types = a -> local.contains(a) ? "LOCAL" : a.isMulticast() ? "MULTICAST"
                : a.isLimitedBroadcast() ? "BROADCAST" : "UNICAST";
        boolean untracked = state == CtState.UNTRACKED || state == CtState.INVALID;
        return new PacketContext(packet, hook, in, out, state, reply, dnat, snat,
                untracked ? null : origSrc != null ? origSrc : packet.src,
                untracked ? null : origDst != null ? origDst : packet.dst, ctMark, types);
    }
}
