package roundtrip.tunnel;

import roundtrip.kernel.Fact;
import roundtrip.model.Ip;
import roundtrip.model.Message;
import roundtrip.model.Packet;
import roundtrip.model.Prefix;
import roundtrip.model.Problem;
import roundtrip.model.WireGuardConfig;

/**
 * WireGuard's cryptokey routing (drivers/net/wireguard: allowedips.c, send.c, receive.c, socket.c): on send the
 * peer is the one whose AllowedIPs hold the destination most specifically, and the encrypted packet is a UDP
 * datagram from the listen port to the peer's endpoint, routed with the interface's fwmark from the source the
 * peer last reached us at; on receipt the sender must be a configured peer and the inner source must be in
 * that peer's AllowedIPs. Drops are named as the kernel module logs them.
 */
public final class WireGuardTunnel implements Tunnel {
    /** Ephemeral source port the kernel picks when no ListenPort is set. */
    static final int RANDOM_PORT = 51999;

    private final String host;
    private final WireGuardConfig config;

    public WireGuardTunnel(String host, WireGuardConfig config) {
        this.host = host;
        this.config = config;
    }

    @Override public String host() { return host; }
    @Override public String device() { return config.device(); }
    @Override public String kind() { return "wireguard"; }

    public WireGuardConfig config() { return config; }

    int port() { return config.listenPort() != 0 ? config.listenPort() : RANDOM_PORT; }

    private String endpointKey(WireGuardConfig.Peer p) { return "wg:" + host + ":" + device() + ":endpoint:" + p.publicKey(); }
    private String sourceKey(WireGuardConfig.Peer p) { return "wg:" + host + ":" + device() + ":src:" + p.publicKey(); }

    /** allowedips.c: longest-prefix match over every peer's AllowedIPs. */
    WireGuardConfig.Peer peerFor(Ip dst) {
        WireGuardConfig.Peer best = null;
        int bestLen = -1;
        for (WireGuardConfig.Peer p : config.peers())
            for (Prefix a : p.allowedIps())
                if (a.contains(dst) && a.len() > bestLen) { best = p; bestLen = a.len(); }
        return best;
    }

    @Override
    public TunnelResult send(Packet inner, TunnelState state) {
        WireGuardConfig.Peer peer = peerFor(inner.dst);
        if (peer == null)
            return TunnelResult.drop(Message.of(Sentences.WG_NO_PEER, device(), inner.dst), config.source(),
                    new Fact.WgNoPeer(device(), inner.dst));
        TunnelState.Endpoint learned = state.get(endpointKey(peer));
        Ip addr = learned != null ? learned.addr() : peer.endpointAddr();
        int port = learned != null ? learned.port() : peer.endpointPort();
        if (addr == null)
            return TunnelResult.drop(Message.of(Sentences.WG_NO_ENDPOINT, device(), peer.shortKey()), peer.source());
        Packet outer = new Packet();
        outer.proto = Packet.UDP;
        outer.src = state.get(sourceKey(peer));
        outer.sport = port();
        outer.dst = addr;
        outer.dport = port;
        outer.mark = config.fwmark();
        outer.payload = inner.payload + 60;
        outer.encapsulated = inner.copy();
        outer.tunnelSender = config.publicKey();
        return TunnelResult.send(outer, "peer " + peer.shortKey() + " (AllowedIPs " + peer.allowedIps() + ")"
                + (config.fwmark() != 0 ? ", fwmark 0x" + Long.toHexString(config.fwmark()) : ""));
    }

    /**
     * The keepalives this interface sends (send.c wg_packet_send_keepalive, timers.c: every PersistentKeepalive
     * seconds to each peer that has one and an endpoint): a UDP datagram from the listen port with the fwmark,
     * carrying nothing. Sent before the probes, they leave what they leave on the way (NAT mappings, conntrack
     * entries) and teach the peer where this side is.
     */
    @Override
    public java.util.List<Packet> keepalives() {
        java.util.List<Packet> out = new java.util.ArrayList<>();
        for (WireGuardConfig.Peer p : config.peers()) {
            if (p.persistentKeepalive() <= 0 || p.endpointAddr() == null) continue;
            Packet outer = new Packet();
            outer.proto = Packet.UDP;
            outer.sport = port();
            outer.dst = p.endpointAddr();
            outer.dport = p.endpointPort();
            outer.mark = config.fwmark();
            outer.payload = 32;
            outer.encapsulated = new Packet();
            outer.keepalive = true;
            outer.tunnelSender = config.publicKey();
            out.add(outer);
        }
        return out;
    }

    @Override public String keepaliveName() { return "PersistentKeepalive"; }

    @Override
    public boolean owns(Packet outer) {
        return outer.proto == Packet.UDP && outer.dport == port() && outer.encapsulated != null;
    }

    @Override
    public TunnelResult receive(Packet outer, TunnelState state) {
        WireGuardConfig.Peer peer = null;
        for (WireGuardConfig.Peer p : config.peers())
            if (p.publicKey() != null && p.publicKey().equals(outer.tunnelSender)) peer = p;
        Problem guess = null;
        if (peer == null && (outer.tunnelSender == null || config.peers().stream().anyMatch(p -> p.publicKey() == null))) {
            // keys were redacted: the handshake cannot be checked; guess the peer by where the packet came from
            peer = peerByEndpoint(outer.src);
            if (peer != null) guess = new Problem(peer.source(), Message.of(Sentences.WG_PEERS_GUESSED, device(), host, outer.src));
        }
        if (peer == null)
            return TunnelResult.drop(Message.of(Sentences.WG_INVALID_HANDSHAKE, device(), outer.src.bracketed() + ":" + outer.sport),
                    config.source());
        // roaming: the peer is now reached where this packet came from, and answered from where it arrived
        state.put(endpointKey(peer), new TunnelState.Endpoint(outer.src, outer.sport));
        state.put(sourceKey(peer), outer.dst);
        if (outer.keepalive) {
            TunnelResult seen = TunnelResult.consumed("keepalive from peer " + peer.shortKey() + ": its endpoint is now "
                    + outer.src.bracketed() + ":" + outer.sport);
            return guess == null ? seen : seen.guessed(guess);
        }
        Packet inner = outer.encapsulated.copy();
        boolean allowed = false;
        for (Prefix a : peer.allowedIps()) if (a.contains(inner.src)) allowed = true;
        if (!allowed || peerFor(inner.src) != peer)
            return TunnelResult.drop(Message.of(Sentences.WG_UNALLOWED_SOURCE, device(), inner.src, peer.shortKey(),
                    outer.src.bracketed() + ":" + outer.sport), peer.allowedIpsSource(),
                    new Fact.WgUnallowedSource(device(), inner.src, peer.shortKey()));
        TunnelResult ok = TunnelResult.inject(inner, device(), "from peer " + peer.shortKey());
        return guess == null ? ok : ok.guessed(guess);
    }

    private WireGuardConfig.Peer peerByEndpoint(Ip addr) {
        WireGuardConfig.Peer only = config.peers().size() == 1 ? config.peers().get(0) : null;
        for (WireGuardConfig.Peer p : config.peers()) if (p.endpointAddr() != null && p.endpointAddr().equals(addr)) return p;
        return only;
    }
}
