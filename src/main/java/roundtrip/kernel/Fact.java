package roundtrip.kernel;

import roundtrip.model.Ip;
import roundtrip.model.Packet;
import roundtrip.model.Problem;
import roundtrip.model.Route;
import roundtrip.model.Rule;
import roundtrip.netfilter.CtState;
import roundtrip.netfilter.NatAction;
import roundtrip.netfilter.TraceStep;
import roundtrip.netfilter.Verdict;

/**
 * What one trace step says, as data: the simulator records facts and `report` puts them in words (StepText), so
 * `diagnose` reads fields instead of parsing sentences. Packets are copies taken when the step happened (later hooks
 * rewrite the packet in place).
 */
public sealed interface Fact {
    /** The trace's coarse kind of this fact (what the report labels the line with). */
    Trace.Kind kind();

    /** The packet on a device, as tcpdump would show it there: coming in ({@code in}) or going out. */
    record Seen(boolean in, String dev, Packet packet) implements Fact {
        public Trace.Kind kind() { return in ? Trace.Kind.IN : Trace.Kind.OUT; }
    }

    /** Which routing decision: ip_route_input's local/broadcast/forward, ip_route_output's, ip_route_me_harder's. */
    enum Decision { LOCAL_DELIVERY, BROADCAST, FORWARD, OUTPUT, REROUTE }

    /** A FIB lookup's answer; {@code source} is the address the host chose for its own packet (OUTPUT only). */
    record Routed(Decision decision, FibResult result, Ip source) implements Fact {
        public Trace.Kind kind() { return Trace.Kind.ROUTE; }

        public Route route() { return result.route(); }

        /** The policy rule the lookup went through when it is not a default one ({@link FibResult#viaRule()}), else null. */
        public Rule viaRule() { return result.viaRule(); }
    }

    /** A netfilter rule or chain policy that acted, as `nft monitor trace` reports it (the rule itself is the step's source). */
    record RuleHit(TraceStep.Family family, String table, String chain, String action, NatAction nat) implements Fact {
        public Trace.Kind kind() { return Trace.Kind.RULE; }

        /** The rule bound a NAT of this type to an address or port of its own (not a NETMAP, which keeps the host part). */
        public boolean boundNat(NatAction.Type type) { return nat != null && nat.type() == type && nat.netmapLen() < 0; }
    }

    /** Conntrack rewrote the packet: its source or destination, for the original direction or reversed for a reply. */
    record NatChange(boolean source, boolean reply, Packet before, Packet after) implements Fact {
        public Trace.Kind kind() { return Trace.Kind.NAT; }
    }

    /** Conntrack's classification of the packet (nf_conntrack_in), with the connection's mark when it has one. */
    record Tracked(CtState state, boolean reply, long connmark, Packet packet) implements Fact {
        public Trace.Kind kind() { return Trace.Kind.CONNTRACK; }
    }

    /** The packet reached a local socket (ip_local_deliver_finish). */
    record Delivered(Packet packet) implements Fact {
        public Trace.Kind kind() { return Trace.Kind.LOCAL; }
    }

    /** Where the packet was dropped, as the lost-at line names it. */
    enum Stage implements roundtrip.model.Message.Term {
        LINK, ROUTING, RP_FILTER, FORWARDING, TTL, SOCKET, NETFILTER, NAT, ARP, NDP, LOOP, WIREGUARD, OPENVPN;

        /** The stage as the trace and the lost-at line name it ("rp_filter", "netfilter", ...). */
        public String word() { return name().toLowerCase(java.util.Locale.ROOT); }

        /** The stage of a tunnel daemon's drop ("wireguard", "openvpn"). */
        public static Stage ofDaemon(String kind) { return valueOf(kind.toUpperCase(java.util.Locale.ROOT)); }
    }

    /**
     * The packet was dropped. {@code reason} is the wording the lost-at line shows (a daemon's drop quotes its log);
     * {@code why} the facts a diagnosis reads, where the drop has any (null otherwise).
     */
    record Drop(Stage stage, roundtrip.model.Message reason, Why why) implements Fact {
        public Trace.Kind kind() { return Trace.Kind.DROP; }
    }

    /** The facts behind a drop (or a loss at the prober's socket). */
    sealed interface Why {}

    /** No table the rules select has a route to {@code dst} (fib_lookup's -ENETUNREACH). */
    record NoRoute(Ip dst) implements Why {}

    /** Nobody answered ARP (neighbour solicitation) for {@code address} on {@code dev}. */
    record NoNeighbour(Ip address, String dev) implements Why {}

    /**
     * Neighbour discovery for {@code address} (looked up on {@code dev}) failed because {@code host}'s netfilter
     * dropped the solicitation or the advertisement ({@code advert}) in {@code filtered}'s chain.
     */
    record NdFiltered(Ip address, String dev, String host, boolean advert, Filtered filtered) implements Why {}

    /**
     * A netfilter verdict dropped the packet: {@code table} and {@code chain} are the base chain that gave it,
     * {@code verdictChain} the chain the deciding rule sits in when that is another one (a jump target), else null.
     */
    record Filtered(String table, String chain, String verdictChain, Verdict.Kind verdict, boolean policy) implements Why {}

    /** The answer reached the prober from or to an address or port its socket does not expect (it is not its answer). */
    record MisaddressedAnswer(Ip src, int sport, Ip dst, int dport) implements Why {}

    /** Forwarding is off for packets that came in on {@code dev}: {@code key} is the switch that decided. */
    record ForwardingOff(String dev, String key) implements Why {}

    /** The reverse path filter refused the source on {@code dev}: {@code key} is the rp_filter setting in force. */
    record RpFilter(String dev, String key) implements Why {}

    /** WireGuard's allowedips check on receive (wg_packet_consume_data_done): the source is not the peer's. */
    record WgUnallowedSource(String dev, Ip src, String peerShortKey) implements Why {}

    /** WireGuard has no peer whose AllowedIPs hold the destination (wg_xmit: "No peer has allowed IPs matching"). */
    record WgNoPeer(String dev, Ip dst) implements Why {}

    /** OpenVPN's server refused a client's packet from a source none of its iroutes holds. */
    record OvpnBadSource(String commonName, Ip src) implements Why {}

    /** OpenVPN's server has no client with the virtual address or an iroute for the destination. */
    record OvpnNoClient(Ip dst) implements Why {}

    /** The tunnel's own datagrams to its peer at {@code peer}:{@code port} are routed into the tunnel; {@code dev} null for OpenVPN. */
    record TunnelLoop(String dev, Ip peer, int port) implements Why {}

    /** A bridge's chains saw the frame (br_netfilter): {@code stopped} when they ended it. */
    record Bridged(String bridge, boolean stopped) implements Fact {
        public Trace.Kind kind() { return Trace.Kind.NOTE; }
    }

    /** The host itself sends {@code packet} (an ICMP error, a TCP reset) because of {@code cause}. */
    record Sends(Packet packet, roundtrip.model.Message cause) implements Fact {
        public Trace.Kind kind() { return Trace.Kind.NOTE; }
    }

    /** What a tunnel daemon did with the packet. */
    enum TunnelOp { ENCRYPT, DECRYPT, RELAY, CONSUME }

    /** A tunnel daemon ({@code daemon} "wireguard"/"openvpn") on {@code device}; {@code detail} in the daemon's words. */
    record Tunnel(TunnelOp op, String daemon, String device, String detail) implements Fact {
        public Trace.Kind kind() { return Trace.Kind.NOTE; }
    }

    /** Nothing listens on the UDP port: the kernel answers with {@code error}. */
    record NoListener(int port, Packet error) implements Fact {
        public Trace.Kind kind() { return Trace.Kind.NOTE; }
    }

    /** The server's socket answers; {@code what} describes the answer. */
    record Answers(roundtrip.model.Message what) implements Fact {
        public Trace.Kind kind() { return Trace.Kind.NOTE; }
    }

    /** The outcome rests on something not understood or not collected. */
    record Uncertain(Problem problem) implements Fact {
        public Trace.Kind kind() { return Trace.Kind.UNCERTAIN; }
    }
}
