package roundtrip.tunnel;

import roundtrip.model.Packet;

/**
 * The behaviour of one tunnel on one host: what happens to an inner packet the kernel routed out of the
 * tunnel's device, and to an outer packet delivered to the tunnel's socket. The simulator carries the outer
 * packets through the underlay like any other traffic of the host.
 */
public interface Tunnel {
    String host();

    /** The device inner packets enter and leave by. */
    String device();

    /** Kind for messages and JSON stages: "wireguard", "openvpn", "tun". */
    String kind();

    /** An inner packet routed out of {@link #device()}: encapsulate it (outer packets sent by the host) or drop it. */
    TunnelResult send(Packet inner, TunnelState state);

    /** Whether an outer packet delivered to a local socket of the host belongs to this tunnel. */
    boolean owns(Packet outer);

    /** An outer packet delivered to the tunnel's socket: inject its inner packet, relay it, or drop it. */
    TunnelResult receive(Packet outer, TunnelState state);

    /**
     * The outer packets this tunnel keeps sending whatever is probed (flagged {@link Packet#keepalive}, carrying
     * nothing): every probe starts with what they leave on the way (NAT mappings, conntrack entries) and with the far
     * side knowing where this side is. None by default.
     */
    default java.util.List<Packet> keepalives() { return java.util.List.of(); }

    /** What the daemon calls those packets, for the notes ("PersistentKeepalive", "ping"). */
    default String keepaliveName() { return "keepalive"; }
}
