package roundtrip.netfilter;

import roundtrip.model.Ip;
import roundtrip.model.Packet;
import roundtrip.model.Problem;

import java.util.ArrayList;
import java.util.List;

/**
 * What rules see and may change while a packet passes one hook: the packet itself (its mark may be set),
 * devices, conntrack state and connection mark (CONNMARK may set it), and a trace of rules that acted.
 * Made by the kernel model for each base chain it runs (one object per packet pass, {@link #reset} between chains);
 * read back after evaluation.
 */
public final class PacketContext {
    public Packet packet;
    /**
     * The IPv4 packet's addresses as bits, read once for the rules of this hook (no rule rewrites them in place:
     * NAT is a verdict); 0 for an IPv6 packet, which no IPv4 table sees.
     */
    public int src4, dst4;
    public Hook hook;
    /** incoming device (null for locally generated packets) */
    public String inIface;
    /** outgoing device (null before routing) */
    public String outIface;
    public CtState ctState;
    /** true when the packet travels in the reply direction of its connection */
    public boolean ctReply;
    /** conntrack status bits for `--ctstatus DNAT/SNAT`, `ct status dnat` */
    public boolean ctDnat, ctSnat;
    /** original-direction tuple, for --ctorigsrc/--ctorigdst; null when untracked */
    public Ip ctOrigSrc, ctOrigDst;
    /** original-direction ports, and the reply tuple (after NAT bound it), for --ctorig*port and --ctrepl*; unset when untracked */
    public int ctOrigSport, ctOrigDport, ctReplSport, ctReplDport;
    public Ip ctReplSrc, ctReplDst;
    /**
     * br_netfilter's record of a bridged frame (nf_bridge_info): set when the packet came in through a port of a bridge
     * with net.bridge.bridge-nf-call-iptables = 1. {@code physIn} is that port, {@code physOut} the port the bridge sends
     * it out of (known from the bridge's FORWARD hook on, null before and for routed packets); {@link #PORT_UNKNOWN} when
     * the snapshot names the bridge but not the port.
     */
    public boolean bridgeInfo;
    public String physIn, physOut;
    public static final String PORT_UNKNOWN = "?";
    /**
     * For a packet sent by this host: true when a program's socket sent it (the probe, a daemon), false when the kernel
     * itself did (an ICMP error, a REJECT's reset); meaningless for packets that came in.
     */
    public boolean fromSocket = true;
    /** connection mark; CONNMARK --set-mark / --save-mark write it */
    public long ctMark;
    /** set by NOTRACK / CT --notrack in the raw table */
    public boolean notrack;
    public AddressTypes addressTypes;
    /** the host's routing, for nft's fib lookups; null when not known (rules asking become uncertain) */
    public RouteLookup routes;
    /**
     * false when nobody reads {@link #trace}: rulesets then skip the steps and targets the text of their effect
     */
    public boolean tracing;
    /** every rule that acted (matched with a target, or a policy), in order; only while {@link #tracing} */
    public final List<TraceStep> trace = new ArrayList<>();
    /** rules whose syntax was not understood and that this packet reached */
    public final List<Problem> uncertain = new ArrayList<>();

    public PacketContext(Packet packet, Hook hook, String inIface, String outIface, CtState ctState, boolean ctReply,
                         boolean ctDnat, boolean ctSnat, Ip ctOrigSrc, Ip ctOrigDst, long ctMark,
                         AddressTypes addressTypes) {
        this(packet, hook, inIface, outIface, ctState, ctReply, ctDnat, ctSnat, ctOrigSrc, ctOrigDst, ctMark, addressTypes, null);
    }

    public PacketContext(Packet packet, Hook hook, String inIface, String outIface, CtState ctState, boolean ctReply,
                         boolean ctDnat, boolean ctSnat, Ip ctOrigSrc, Ip ctOrigDst, long ctMark,
                         AddressTypes addressTypes, RouteLookup routes) {
        this(packet, hook, inIface, outIface, ctState, ctReply, ctDnat, ctSnat, ctOrigSrc, ctOrigDst, ctMark, addressTypes, routes, true);
    }

    public PacketContext(Packet packet, Hook hook, String inIface, String outIface, CtState ctState, boolean ctReply,
                         boolean ctDnat, boolean ctSnat, Ip ctOrigSrc, Ip ctOrigDst, long ctMark,
                         AddressTypes addressTypes, RouteLookup routes, boolean tracing) {
        reset(packet, hook, inIface, outIface, ctState, ctReply, ctDnat, ctSnat, ctOrigSrc, ctOrigDst, ctMark, addressTypes, routes,
                tracing);
    }

    /**
     * Makes this context what the constructor with these arguments makes, so that a packet's pass through a host
     * fills one context for each chain instead of allocating one: every field is set again, the lists emptied.
     */
    public PacketContext reset(Packet packet, Hook hook, String inIface, String outIface, CtState ctState, boolean ctReply,
                               boolean ctDnat, boolean ctSnat, Ip ctOrigSrc, Ip ctOrigDst, long ctMark,
                               AddressTypes addressTypes, RouteLookup routes, boolean tracing) {
        this.tracing = tracing;
        this.packet = packet;
        boolean v4 = packet.family() == Ip.Family.IPV4;
        this.src4 = v4 && packet.src != null ? packet.src.v4() : 0;
        this.dst4 = v4 && packet.dst != null ? packet.dst.v4() : 0;
        this.hook = hook;
        this.inIface = inIface;
        this.outIface = outIface;
        this.ctState = ctState;
        this.ctReply = ctReply;
        this.ctDnat = ctDnat;
        this.ctSnat = ctSnat;
        this.ctOrigSrc = ctOrigSrc;
        this.ctOrigDst = ctOrigDst;
        this.ctMark = ctMark;
        this.addressTypes = addressTypes;
        this.routes = routes;
        ctOrigSport = ctOrigDport = ctReplSport = ctReplDport = 0;
        ctReplSrc = ctReplDst = null;
        bridgeInfo = false;
        physIn = physOut = null;
        fromSocket = true;
        notrack = false;
        if (!trace.isEmpty()) trace.clear();
        if (!uncertain.isEmpty()) uncertain.clear();
        return this;
    }
}
