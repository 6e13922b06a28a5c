package roundtrip.tunnel;

import roundtrip.kernel.Fact;
import roundtrip.model.Ip;
import roundtrip.model.Message;
import roundtrip.model.OpenVpnConfig;
import roundtrip.model.OpenVpnConfig.Iroute;
import roundtrip.model.OpenVpnConfig.Remote;
import roundtrip.model.Packet;
import roundtrip.model.Prefix;
import roundtrip.model.Source;

import java.util.ArrayList;
import java.util.List;

/**
 * One OpenVPN instance, modelled on multi.c (server), forward.c and socket.c (every mode).
 * <p>Server: the daemon routes by its own table (multi_get_instance_by_virtual_addr): each client's virtual
 * address as a host route plus its CCD iroutes, longest prefix first. An inner packet the kernel routed into the
 * server's tun goes to the client found there, as a UDP datagram (or TCP segment) from the server's port to the
 * client's real address; nothing found = dropped silently. A packet from a client must come from that client's
 * virtual address or one of its iroutes ("MULTI: bad source address"); with client-to-client a packet for
 * another client is handed over inside the daemon, otherwise it is written to the tun device and the kernel
 * routes it (FORWARD, ip_forward). The clients come from {@link OpenVpnPairing}.
 * <p>Client (and p2p): everything routed into the tun goes to the first remote; only packets from that remote's
 * address and port are accepted (unless --float).
 * <p>TAP is modelled at layer 3 like tun (MAC learning and ARP are not simulated), except that without
 * client-to-client a client's ARP for another client is never answered.
 */
public final class OpenVpnTunnel implements Tunnel {
    /** The ephemeral port a client without a bound port (nobind, tcp) gets from the kernel. */
    static final int EPHEMERAL_PORT = 50123;
    /** Bytes OpenVPN adds around an inner packet (opcode, peer id, packet id, tag; UDP and IP headers). */
    static final int OVERHEAD = 52;

    private final String host;
    private final OpenVpnConfig config;
    /** Server: the clients the daemon knows, set once by the pairing. */
    private List<Client> clients = List.of();
    /** Client: the server instance its remote pairs with, when in the network (null otherwise). */
    private OpenVpnTunnel server;
    /** A client without a bound port: the port the server's status file shows it used (0 = unknown). */
    private int seenPort;

    /**
     * A client as the server knows it. {@code peer} names the client's tunnel (host:device) when the snapshot has
     * that host; {@code realAddr} is where its packets come from (null when unknown until it sends one).
     */
    public record Client(String commonName, String peer, Ip realAddr, int realPort, Ip virtualAddr,
                         List<Iroute> iroutes, String how, Source source, Ip virtualAddr6) {
        public Client {
            iroutes = List.copyOf(iroutes);
        }

        /** Without an IPv6 virtual address. */
        public Client(String commonName, String peer, Ip realAddr, int realPort, Ip virtualAddr, List<Iroute> iroutes, String how,
                      Source source) {
            this(commonName, peer, realAddr, realPort, virtualAddr, iroutes, how, source, null);
        }

        /** The virtual address of {@code addr}'s family (null when the client has none). */
        public Ip virtual(Ip.Family f) { return f == Ip.Family.IPV4 ? virtualAddr : virtualAddr6; }

        String label(Ip learnedAddr, int learnedPort) {
            Ip a = learnedAddr != null ? learnedAddr : realAddr;
            int p = learnedAddr != null ? learnedPort : realPort;
            return commonName + (a == null ? "" : "/" + a + ":" + p);
        }
    }

    public OpenVpnTunnel(String host, OpenVpnConfig config) {
        this.host = host;
        this.config = config;
    }

    @Override public String host() { return host; }
    @Override public String device() { return config.device(); }
    @Override public String kind() { return "openvpn"; }

    public OpenVpnConfig config() { return config; }
    public List<Client> clients() { return clients; }
    public OpenVpnTunnel server() { return server; }

    void setClients(List<Client> c) { clients = List.copyOf(c); }
    void setServer(OpenVpnTunnel s) { server = s; }

    /** This tunnel's name on outer packets, as the TLS session identifies a peer. */
    String id() { return host + ":" + device(); }

    int port() { return config.port() != 0 ? config.port() : seenPort != 0 ? seenPort : EPHEMERAL_PORT; }

    /** Client: the address and port the server sees its packets come from (after NAT on the way), or null. */
    Ip seenAddr;
    int seenAddrPort;

    /** The kernel chose this client's port; the status file says which. */
    void seenAtPort(int port) { if (config.port() == 0) seenPort = port; }

    private String realKey(Client c) { return "ovpn:" + id() + ":real:" + c.commonName(); }
    private String arrivedKey(Client c) { return "ovpn:" + id() + ":arrived:" + c.commonName(); }

    /**
     * multi_get_instance_by_virtual_addr with CIDR routing: the client whose virtual address (of the address's family:
     * the pool's IPv4 one or its IPv6 one) or iroute (iroute, iroute-ipv6) holds the address most specifically.
     */
    public Client clientFor(Ip addr) {
        Client best = null;
        int bestLen = -1;
        for (Client c : clients) {
            if (addr.equals(c.virtual(addr.family()))) return c;   // host routes are looked up first
            if (config.isTap()) continue;   // TAP routes by MAC: no iroutes
            for (Iroute r : c.iroutes())
                if (r.net().contains(addr) && r.net().len() > bestLen) { best = c; bestLen = r.net().len(); }
        }
        return best;
    }

    @Override
    public TunnelResult send(Packet inner, TunnelState state) {
        return config.isServer() ? serverSend(inner, state, "") : clientSend(inner, state);
    }

    @Override
    public boolean owns(Packet outer) {
        return outer.encapsulated != null && outer.proto == config.transport() && outer.dport == port()
                && (config.local() == null || outer.dst.equals(config.local())) && config.socketTakes(outer.dst.family());
    }

    @Override
    public TunnelResult receive(Packet outer, TunnelState state) {
        return config.isServer() ? serverReceive(outer, state) : clientReceive(outer, state);
    }

    // ---- server ------------------------------------------------------------------------------------------------

    private TunnelResult serverSend(Packet inner, TunnelState state, String how) {
        Client c = clientFor(inner.dst);
        if (c == null)
            return TunnelResult.drop(Message.of(Sentences.OVPN_NO_CLIENT, inner.dst, clientSummary()), ccdSource(),
                    new Fact.OvpnNoClient(inner.dst));
        TunnelState.Endpoint learned = state.get(realKey(c));
        Ip addr = learned != null ? learned.addr() : c.realAddr();
        int port = learned != null ? learned.port() : c.realPort();
        if (addr == null)
            return TunnelResult.drop(Message.of(Sentences.OVPN_CLIENT_UNLOCATED, c.commonName(), inner.dst), c.source());
        if (inner.dst.equals(addr))
            return TunnelResult.drop(recursive(addr, port), config.source(), new Fact.TunnelLoop(null, addr, port));
        Packet outer = outer(inner);
        Ip arrived = state.get(arrivedKey(c));
        // a UDP server socket bound to 0.0.0.0 answers from whatever source routing picks (S5), unless
        // --multihome (answers from the address the client reached) or --local; a TCP connection keeps its address
        if (config.local() != null) outer.src = config.local();
        else if (arrived != null && (config.multihome() || config.transport() == Packet.TCP)) outer.src = arrived;
        outer.dst = addr;
        outer.dport = port;
        return TunnelResult.send(outer, how + "client " + c.label(learned == null ? null : addr, port) + " ("
                + (inner.dst.equals(c.virtual(inner.dst.family())) ? "virtual address " + inner.dst
                : "iroute " + iroutesOf(c)) + ")");
    }

    private TunnelResult serverReceive(Packet outer, TunnelState state) {
        Client from = null;
        for (Client c : clients) if (c.peer() != null && c.peer().equals(outer.tunnelSender)) from = c;
        if (from == null)
            for (Client c : clients)
                if (c.realAddr() != null && c.realAddr().equals(outer.src) && (c.realPort() == 0 || c.realPort() == outer.sport)) from = c;
        if (from == null)
            return TunnelResult.drop(Message.of(Sentences.OVPN_NO_SESSION, outer.src + ":" + outer.sport), config.source());
        state.put(realKey(from), new TunnelState.Endpoint(outer.src, outer.sport));
        state.put(arrivedKey(from), outer.dst);
        if (outer.keepalive) return TunnelResult.consumed("ping from client " + from.label(outer.src, outer.sport));
        String prefix = from.label(outer.src, outer.sport) + " ";
        Packet inner = outer.encapsulated.copy();
        if (!config.isTap()) {
            Ip serverOwn = inner.src.isV4() ? config.ifconfigLocal() : config.ipv6() == null ? null : config.ipv6().ifconfigLocal();
            Client owner = inner.src.equals(serverOwn) ? null : clientFor(inner.src);
            // multi.c multi_process_incoming_link: a link-local IPv6 source (fe80::, the client's kernel talking to its
            // link) is dropped like a bad source, but without the log line
            if (owner != from && inner.src.isV6() && inner.src.isLinkLocal())
                return TunnelResult.drop(Message.of(Sentences.OVPN_LINK_LOCAL_SOURCE, prefix.strip(), inner.src), config.source());
            Ip virtual = from.virtual(inner.src.family());
            if (owner != from) {
                Object shownVirtual = virtual == null ? Message.of(Sentences.OVPN_VIRTUAL_UNKNOWN) : virtual;
                Message belongs = owner != null ? Message.of(Sentences.OVPN_SOURCE_BELONGS_TO, owner.commonName()) : Message.text("");
                Message verb = config.verb() < 4 ? Message.of(Sentences.OVPN_LOGGED_AT_VERB_4_SILENT, config.verb())
                        : Message.of(Sentences.OVPN_LOGGED_AT_VERB_4);
                String client = from.label(outer.src, outer.sport);
                Message said = from.iroutes().isEmpty()
                        ? Message.of(Sentences.OVPN_BAD_SOURCE_NO_IROUTES, client, inner.src, from.commonName(), shownVirtual, belongs, verb)
                        : Message.of(Sentences.OVPN_BAD_SOURCE, client, inner.src, from.commonName(), shownVirtual, iroutesOf(from), belongs, verb);
                return TunnelResult.drop(said, badSourceEvidence(from), new Fact.OvpnBadSource(from.commonName(), inner.src));
            }
        }
        if (config.clientToClient()) {
            Client to = config.isTap() ? byVirtual(inner.dst) : clientFor(inner.dst);
            if (to != null) {
                TunnelResult relayed = serverSend(inner, state, "client-to-client from " + from.commonName() + " to ");
                return relayed;
            }
        }
        return TunnelResult.inject(inner, device(), "from client " + prefix.strip()
                + (config.isTap() ? " (TAP: layer 2 not simulated, taken as routed)" : ""));
    }

    private Client byVirtual(Ip addr) {
        for (Client c : clients) if (addr.equals(c.virtual(addr.family()))) return c;
        return null;
    }

    /** Where a missing iroute would have to be written: the client's CCD file, else client-config-dir, else the config. */
    private Source badSourceEvidence(Client c) {
        OpenVpnConfig.Ccd ccd = config.ccd(c.commonName());
        if (ccd != null) return ccd.source();
        return ccdSource();
    }

    private Source ccdSource() { return config.source(); }

    private static String iroutesOf(Client c) {
        List<String> s = new ArrayList<>();
        for (Iroute r : c.iroutes()) s.add(r.net().toString());
        return s.toString();
    }

    private Message clientSummary() {
        if (clients.isEmpty()) return Message.of(Sentences.OVPN_NO_CLIENTS);
        List<String> s = new ArrayList<>();
        for (Client c : clients)
            s.add(c.commonName() + " " + (c.virtualAddr() == null ? "?" : c.virtualAddr())
                    + (c.virtualAddr6() == null ? "" : " " + c.virtualAddr6())
                    + (c.iroutes().isEmpty() ? "" : " " + iroutesOf(c)));
        return Message.of(Sentences.OVPN_CLIENTS, String.join(", ", s));
    }

    // ---- client and p2p ----------------------------------------------------------------------------------------

    /** The remote OpenVPN connects to: the first with an address (names are not resolved). */
    Remote remote() {
        for (Remote r : config.remotes()) if (r.addr() != null) return r;
        return null;
    }

    private String peerKey() { return "ovpn:" + id() + ":peer"; }

    private TunnelResult clientSend(Packet inner, TunnelState state) {
        Remote r = remote();
        TunnelState.Endpoint learned = state.get(peerKey());
        if (r == null && learned == null)
            return TunnelResult.drop(Message.of(Sentences.OVPN_NO_PEER_TO_SEND_TO),
                    config.remotes().isEmpty() ? config.source() : config.remotes().get(0).source());
        // --float (or p2p without --remote): the peer is wherever its last authenticated packet came from
        Ip addr = learned != null ? learned.addr() : r.addr();
        int port = learned != null ? learned.port() : r.port();
        // forward.c drop_if_recursive_routing (2.6): a tun packet for the peer itself would loop
        if (inner.dst.equals(addr))
            return TunnelResult.drop(recursive(addr, port), r != null ? r.source() : config.source(), new Fact.TunnelLoop(null, addr, port));
        if (config.isTap() && server != null && !server.config().clientToClient()) {
            Client other = server.byVirtual(inner.dst);
            if (other != null && other.peer() != null && !other.peer().equals(id()))
                return TunnelResult.drop(Message.of(Sentences.OVPN_TAP_ARP_UNANSWERED, inner.dst, other.commonName()),
                        server.config().source());
        }
        Packet outer = outer(inner);
        if (config.local() != null) outer.src = config.local();
        outer.dst = addr;
        outer.dport = port;
        return TunnelResult.send(outer, "remote " + addr + ":" + port + " (" + Packet.protoName(config.transport()) + ")"
                + (learned != null ? ", where the peer was last seen" : ""));
    }

    private TunnelResult clientReceive(Packet outer, TunnelState state) {
        Remote r = remote();
        if (r != null && !config.floatPeer() && (!outer.src.equals(r.addr()) || outer.sport != r.port()))
            return TunnelResult.drop(Message.of(Sentences.OVPN_INCOMING_REJECTED, sockaddr(outer.src) + ":" + outer.sport,
                    sockaddr(r.addr()) + ":" + r.port()), r.source());
        if (r == null || config.floatPeer()) state.put(peerKey(), new TunnelState.Endpoint(outer.src, outer.sport));
        return TunnelResult.inject(outer.encapsulated.copy(), device(), "from " + outer.src + ":" + outer.sport
                + (config.isTap() ? " (TAP: layer 2 not simulated, taken as routed)" : ""));
    }

    /**
     * A connected client's pings to its server over UDP (ping.c; the servers PiVPN and openvpn-install write push
     * `keepalive`, and a connected client's traffic does the same): they keep the NAT mappings on the way open and tell
     * the server where the client is, so the server (and its LAN) can reach the client first. A TCP connection keeps
     * its own state and is not followed here.
     */
    @Override
    public List<Packet> keepalives() {
        Remote r = config.isServer() ? null : remote();
        if (r == null || server == null || config.transport() != Packet.UDP) return List.of();
        Packet outer = outer(new Packet());
        if (config.local() != null) outer.src = config.local();
        outer.dst = r.addr();
        outer.dport = r.port();
        outer.keepalive = true;
        return List.of(outer);
    }

    @Override public String keepaliveName() { return "ping"; }

    // ---- both --------------------------------------------------------------------------------------------------

    private Packet outer(Packet inner) {
        Packet outer = new Packet();
        outer.proto = config.transport();
        outer.sport = port();
        if (outer.proto == Packet.TCP) outer.tcpFlags = Packet.ACK | Packet.PSH;
        outer.payload = inner.payload + OVERHEAD;
        outer.encapsulated = inner.copy();
        outer.tunnelSender = id();
        return outer;
    }

    /** forward.c (2.6): "Recursive routing detected, drop tun packet to %s" with the peer's link address. */
    public static Message recursive(Ip addr, int port) {
        return Message.of(Sentences.OVPN_RECURSIVE_ROUTING, sockaddr(addr) + ":" + port);
    }

    /** print_sockaddr's family tag: "[AF_INET]1.2.3.4", "[AF_INET6]fd00::1". */
    public static String sockaddr(Ip addr) { return (addr.isV4() ? "[AF_INET]" : "[AF_INET6]") + addr; }

    @Override public String toString() { return "openvpn " + config.mode().name().toLowerCase() + " " + id(); }
}
