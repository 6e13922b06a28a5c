package roundtrip.tunnel;

import roundtrip.kernel.Fib;
import roundtrip.kernel.FibResult;
import roundtrip.kernel.Flow;
import roundtrip.model.Address;
import roundtrip.model.Host;
import roundtrip.model.Interface;
import roundtrip.model.Ip;
import roundtrip.model.Message;
import roundtrip.model.Network;
import roundtrip.model.OpenVpnConfig;
import roundtrip.model.OpenVpnConfig.Ccd;
import roundtrip.model.OpenVpnConfig.Iroute;
import roundtrip.model.OpenVpnConfig.Remote;
import roundtrip.model.OpenVpnConfig.StatusClient;
import roundtrip.model.OpenVpnConfig.StatusRoute;
import roundtrip.model.Packet;
import roundtrip.model.Prefix;
import roundtrip.model.Problem;
import roundtrip.model.Route;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which OpenVPN clients each server knows, and who they are. The rule:
 * <ol>
 * <li>A client (or p2p) instance belongs to the server its first packet to its first {@code remote} with an
 *     address reaches, followed through the network (a router's port forward, the client's own NAT); the server
 *     sees it at the address and port that packet arrives from. Without a way to follow it, or when it arrives at no
 *     server: the server whose host owns the address of the remote, listening on that port and protocol. When no host owns it (a server behind DNAT) and exactly
 *     one server in the network listens on that port and protocol, that one, with a Problem.</li>
 * <li>With a status.log, the server's clients are the ones it lists, with their common names, real addresses and
 *     virtual addresses (version 1: the ROUTING TABLE's host entry). A listed client is the client host of step 1
 *     whose tun address is the listed virtual address, else the one owning the real address, else the one named
 *     like the common name. Client hosts it does not list are added as in step 3, with a Problem (not connected
 *     when the status was written?).</li>
 * <li>Without a status.log, every client host of step 1 is a client. Its common name is its host name (the
 *     snapshot has no certificates); its virtual address is the address of its tun device, else its CCD's
 *     ifconfig-push, else the next pool address (subnet: from .2; net30: .6, .10, ...), with a Problem; its real
 *     address is the source its kernel picks towards the server.</li>
 * <li>The iroutes of a client are those of the CCD file named by its common name (and, with a status.log, the
 *     network entries the server's routing table shows for it).</li>
 * </ol>
 */
public final class OpenVpnPairing {
    private OpenVpnPairing() {}

    public static void pair(Network net, Collection<Tunnel> tunnels, List<Problem> problems) { pair(net, tunnels, problems, null); }

    /** @param outerPath follows a client's first packet to its remote (see {@link Tunnels.OuterPath}); null: by address only */
    public static void pair(Network net, Collection<Tunnel> tunnels, List<Problem> problems, Tunnels.OuterPath outerPath) {
        pair(net, tunnels, problems, outerPath, false);
    }

    /**
     * @param forwardAssumed without {@code outerPath}: a remote whose owner has no server on its port is taken to be
     *                       forwarded to the only server listening on that port elsewhere (a router's port forward), as
     *                       when the remote is no host's address
     */
    static void pair(Network net, Collection<Tunnel> tunnels, List<Problem> problems, Tunnels.OuterPath outerPath,
                     boolean forwardAssumed) {
        List<OpenVpnTunnel> servers = new ArrayList<>(), clients = new ArrayList<>();
        for (Tunnel t : tunnels)
            if (t instanceof OpenVpnTunnel o) (o.config().isServer() ? servers : clients).add(o);
        if (servers.isEmpty() && clients.isEmpty()) return;
        servers.sort(Comparator.comparing(OpenVpnTunnel::id));
        clients.sort(Comparator.comparing(OpenVpnTunnel::id));

        Map<OpenVpnTunnel, List<OpenVpnTunnel>> byServer = new HashMap<>();
        for (OpenVpnTunnel c : clients) {
            Remote r = c.remote();
            for (Remote unresolved : c.config().remotes()) {
                if (unresolved.addr() != null) continue;
                if (!Ip.isAddress(unresolved.host()))
                    problems.add(new Problem(unresolved.source(), r == null
                            ? Message.of(Sentences.OVPN_REMOTE_NAME_UNRESOLVED, c.host(), c.device(), unresolved.host())
                            : Message.of(Sentences.OVPN_REMOTE_NAME_UNRESOLVED_FOLLOWS, c.host(), c.device(), unresolved.host(), r.host())));
                else
                    problems.add(new Problem(unresolved.source(), r == null
                            ? Message.of(Sentences.OVPN_REMOTE_FAMILY_UNTAKEN, c.host(), c.device(), unresolved.host())
                            : Message.of(Sentences.OVPN_REMOTE_FAMILY_UNTAKEN_FOLLOWS, c.host(), c.device(), unresolved.host(), r.host())));
            }
            if (r == null) continue;
            Tunnels.Arrival arrival = outerPath == null ? null : firstPacket(net, c, r, outerPath);
            OpenVpnTunnel s = arrival == null ? null : serverReached(servers, arrival, c);
            if (s == null) s = serverAt(net, servers, r, c, arrival, problems, forwardAssumed && outerPath == null);
            if (s == null) continue;
            c.setServer(s);
            byServer.computeIfAbsent(s, k -> new ArrayList<>()).add(c);
        }
        for (OpenVpnTunnel s : servers) {
            s.setClients(clientsOf(net, s, byServer.getOrDefault(s, List.of()), problems));
            if (s.config().isTap())
                problems.add(new Problem(s.config().source(), Message.of(Sentences.OVPN_TAP_AT_LAYER_3, s.host(), s.device())));
            // route and route-ipv6 lines alike: OpenVPN installs both when the server comes up
            List<OpenVpnConfig.RouteOption> own = s.config().routes();
            checkRoutes(net.host(s.host()), s, own.stream().map(r -> r.net()).toList(), own.stream().map(r -> r.source()).toList(), problems);
        }
        for (OpenVpnTunnel c : clients) {
            if (c.server() == null) continue;
            String cn = null;
            for (OpenVpnTunnel.Client k : c.server().clients()) if (c.id().equals(k.peer())) cn = k.commonName();
            if (cn == null) continue;   // refused by the server
            Host h = net.host(c.host());
            List<Problem> found = new ArrayList<>();
            List<Route> expected = OpenVpnRoutes.routesPushedTo(c.config(), c.server().config(), h, cn, found);
            // in a snapshot a redirect without def1 has already replaced the default route: the old gateway is gone
            boolean redirected = h.routes().stream().anyMatch(r -> r.table() == Route.TABLE_MAIN && r.dst().equals(Prefix.ANY)
                    && c.device().equals(r.dev()));
            for (Problem p : found)
                if (p.message().id() != Sentences.OVPN_REDIRECT_WITHOUT_DEF1
                        && !(redirected && p.message().id() == Sentences.OVPN_NO_DEFAULT_TO_REDIRECT)) problems.add(p);
            checkRoutes(h, c, expected.stream().map(Route::dst).toList(), expected.stream().map(Route::source).toList(), problems);
        }
    }

    /** Routes OpenVPN installs that the collected table does not hold: a failed route add, or a changed table. */
    private static void checkRoutes(Host h, OpenVpnTunnel t, List<Prefix> dsts, List<roundtrip.model.Source> sources, List<Problem> problems) {
        for (int i = 0; i < dsts.size(); i++) {
            Prefix dst = dsts.get(i);
            boolean present = h.routes().stream().anyMatch(r -> r.table() == Route.TABLE_MAIN && r.dst().equals(dst));
            if (!present)
                problems.add(new Problem(sources.get(i), Message.of(Sentences.OVPN_ROUTE_NOT_COLLECTED, h.name(), t.device(), dst)));
        }
    }

    /**
     * The client's first packet to its remote, sent from the address and port its socket uses, followed through the
     * network: a server behind a router's port forward (DNAT) is where it arrives, and the server sees the client at
     * the address and port it arrives from (the client's NAT router's, when it has one), as multi.c learns it.
     */
    private static Tunnels.Arrival firstPacket(Network net, OpenVpnTunnel c, Remote r, Tunnels.OuterPath outerPath) {
        Ip src = realAddress(net, c);
        if (src == null || r.addr() == null || src.family() != r.addr().family()) return null;
        Packet p = new Packet();
        p.proto = r.transport();
        p.src = src;
        p.dst = r.addr();
        p.sport = c.port();
        p.dport = r.port();
        if (p.proto == Packet.TCP) p.tcpFlags = Packet.SYN;
        else p.payload = 16;
        return outerPath.send(c.host(), p);
    }

    /** The server whose socket the first packet arrived at: on that host, that port and protocol, that local address. */
    private static OpenVpnTunnel serverReached(List<OpenVpnTunnel> servers, Tunnels.Arrival a, OpenVpnTunnel c) {
        if (a.host() == null) return null;
        Packet got = a.packet();
        for (OpenVpnTunnel s : servers)
            if (s.host().equals(a.host()) && s.config().port() == got.dport && s.config().transport() == got.proto
                    && (s.config().local() == null || s.config().local().equals(got.dst))) {
                c.seenAddr = got.src;
                c.seenAddrPort = got.sport;
                return s;
            }
        return null;
    }

    private static OpenVpnTunnel serverAt(Network net, List<OpenVpnTunnel> servers, Remote r, OpenVpnTunnel c, Tunnels.Arrival arrival,
                                          List<Problem> problems, boolean forwardAssumed) {
        Message lost = arrival == null ? Message.text("") : arrival.host() == null
                ? Message.of(Sentences.OVPN_FIRST_PACKET_LOST, arrival.lostOn(), arrival.lostReason())
                : Message.of(Sentences.OVPN_FIRST_PACKET_UNANSWERED, arrival.host(), arrival.packet().dst + ":" + arrival.packet().dport);
        List<OpenVpnTunnel> listening = new ArrayList<>();
        for (OpenVpnTunnel s : servers)
            if (s.config().port() == r.port() && s.config().transport() == r.transport()) listening.add(s);
        Host owner = null;
        for (Host h : net.hosts().values()) if (h.ownsAddress(r.addr())) owner = h;
        if (owner != null) {
            for (OpenVpnTunnel s : listening)
                if (s.host().equals(owner.name()) && (s.config().local() == null || s.config().local().equals(r.addr()))) return s;
            if (forwardAssumed && listening.size() == 1) return listening.get(0);
            problems.add(new Problem(r.source(), Message.of(Sentences.OVPN_REMOTE_NO_SERVER, c.host(), c.device(), r.addr() + ":" + r.port(),
                    owner.name(), Packet.protoName(r.transport()), r.port(), lost)));
            return null;
        }
        if (listening.size() == 1) {
            OpenVpnTunnel s = listening.get(0);
            problems.add(new Problem(r.source(), Message.of(Sentences.OVPN_REMOTE_FORWARDED, c.host(), c.device(), r.addr(),
                    Packet.protoName(r.transport()), r.port(), s.id())));
            return s;
        }
        problems.add(new Problem(r.source(), Message.of(listening.isEmpty() ? Sentences.OVPN_REMOTE_NO_SERVER_MATCHES
                : Sentences.OVPN_REMOTE_SERVERS_MATCH, c.host(), c.device(), r.addr(), lost)));
        return null;
    }

    private static List<OpenVpnTunnel.Client> clientsOf(Network net, OpenVpnTunnel s, List<OpenVpnTunnel> hosts, List<Problem> problems) {
        OpenVpnConfig cfg = s.config();
        List<OpenVpnTunnel.Client> out = new ArrayList<>();
        Set<OpenVpnTunnel> placed = new HashSet<>();
        if (cfg.status() != null) {
            for (StatusClient sc : cfg.status().clients()) {
                Ip virtual = sc.virtualAddr() != null && !sc.virtualAddr().isUnspecified() ? sc.virtualAddr()
                        : statusVirtual(cfg, sc, Ip.Family.IPV4);
                OpenVpnTunnel peer = match(net, hosts, placed, sc, virtual);
                if (peer != null) {
                    placed.add(peer);
                    if (sc.realAddr() != null && net.host(peer.host()).ownsAddress(sc.realAddr())) peer.seenAtPort(sc.realPort());
                    else if (sc.realAddr() != null && sc.realAddr().equals(peer.seenAddr)) {
                        // seen through NAT: the status file's port is the NAT router's, which MASQUERADE keeps equal to the
                        // client's own when it can (nf_nat_l4proto_unique_tuple); the client's pings then go from it
                        peer.seenAtPort(sc.realPort());
                    }
                }
                List<Iroute> iroutes = new ArrayList<>(ccdIroutes(cfg, sc.commonName()));
                for (StatusRoute r : cfg.status().routes())
                    if (r.commonName().equals(sc.commonName()) && r.virtual() != null && !r.cached()
                            && r.virtual().len() < r.virtual().addr().width()
                            && iroutes.stream().noneMatch(i -> i.net().equals(r.virtual())))
                        iroutes.add(new Iroute(r.virtual(), r.source()));
                Ip virtual6 = sc.virtualAddr6() != null ? sc.virtualAddr6() : statusVirtual(cfg, sc, Ip.Family.IPV6);
                out.add(new OpenVpnTunnel.Client(sc.commonName(), peer == null ? null : peer.id(), sc.realAddr(), sc.realPort(),
                        virtual, iroutes, "status.log", sc.source(), virtual6));
                if (virtual == null)
                    problems.add(new Problem(sc.source(), Message.of(Sentences.OVPN_NO_VIRTUAL_IN_STATUS, sc.commonName())));
            }
        }
        int poolIndex = 0;
        Set<Ip> used = new HashSet<>();
        for (OpenVpnTunnel.Client c : out) if (c.virtualAddr() != null) used.add(c.virtualAddr());
        for (OpenVpnTunnel c : hosts) {
            if (placed.contains(c)) continue;
            String cn = c.host();
            Ccd ccd = cfg.ccd(cn);
            if (ccd != null && ccd.disabled()) {
                problems.add(new Problem(ccd.source(), Message.of(Sentences.OVPN_CLIENT_DISABLED, cn)));
                continue;
            }
            if (ccd == null && cfg.ccdExclusive()) {
                problems.add(new Problem(cfg.source(), Message.of(Sentences.OVPN_CCD_EXCLUSIVE, cn)));
                continue;
            }
            Ip virtual = tunAddress(net, c);
            if (ccd != null && ccd.ifconfigPush() != null) {
                Ip pushed = ccd.ifconfigPush().local();
                if (virtual != null && !virtual.equals(pushed))
                    problems.add(new Problem(ccd.ifconfigPush().source(), Message.of(Sentences.OVPN_CCD_PUSHES_OTHER, cn, virtual, c.device(), pushed)));
                virtual = pushed;
            }
            int handle = -1;   // the pool entry the client took (pool.c: one entry holds its IPv4 and its IPv6 address)
            if (virtual == null) {
                while (true) {
                    handle = poolIndex++;
                    virtual = poolAddress(cfg, handle);
                    if (virtual == null || !used.contains(virtual)) break;
                }
                problems.add(new Problem(cfg.source(), virtual == null ? Message.of(Sentences.OVPN_NO_ADDRESS_NO_POOL, cn, c.id(), c.device())
                        : Message.of(Sentences.OVPN_ADDRESS_FROM_POOL, cn, c.id(), c.device(), virtual)));
            }
            if (virtual != null) used.add(virtual);
            Ip virtual6 = tunAddress6(net, c);
            if (ccd != null && ccd.ifconfigIpv6Push() != null) {
                Ip pushed = ccd.ifconfigIpv6Push().local();
                if (virtual6 != null && !virtual6.equals(pushed))
                    problems.add(new Problem(ccd.ifconfigIpv6Push().source(), Message.of(Sentences.OVPN_CCD_PUSHES_OTHER, cn, virtual6, c.device(), pushed)));
                virtual6 = pushed;
            } else if (virtual6 == null && cfg.ipv6() != null && cfg.ipv6().poolStart() != null) {
                if (ccd != null && ccd.ifconfigPush() != null) {
                    // multi.c multi_select_virtual_addr: a static IPv4 address takes no pool entry, so no IPv6 one either
                    problems.add(new Problem(ccd.ifconfigPush().source(), Message.of(Sentences.OVPN_STATIC_IPV4_NO_IPV6, cn)));
                } else {
                    if (handle < 0) handle = poolIndex++;
                    virtual6 = poolAddress6(cfg, handle);
                    if (virtual6 != null)
                        problems.add(new Problem(cfg.source(), Message.of(Sentences.OVPN_IPV6_FROM_POOL, cn, c.id(), c.device(), virtual6)));
                }
            }
            Ip real = seenAddress(net, c);
            if (cfg.status() != null)
                problems.add(new Problem(cfg.status().source(), Message.of(Sentences.OVPN_CLIENT_NOT_IN_STATUS, c.host(), cn)));
            out.add(new OpenVpnTunnel.Client(cn, c.id(), real, c.seenAddr != null ? c.seenAddrPort : c.port(), virtual, ccdIroutes(cfg, cn),
                    "paired by remote; common name taken to be the host name", c.config().source(), virtual6));
        }
        for (Ccd ccd : cfg.ccds())
            if (out.stream().noneMatch(c -> c.commonName().equals(ccd.commonName())) && !ccd.disabled())
                problems.add(new Problem(ccd.source(), Message.of(cfg.status() != null ? Sentences.OVPN_CCD_NOT_IN_STATUS
                        : Sentences.OVPN_CCD_NO_CLIENT_HOST, ccd.commonName())));
        Map<Ip, String> seen = new HashMap<>();
        for (OpenVpnTunnel.Client c : out) {
            for (Ip v : new Ip[] {c.virtualAddr(), c.virtualAddr6()}) {
                if (v == null) continue;
                String before = seen.put(v, c.commonName());
                if (before != null)
                    problems.add(new Problem(c.source(), Message.of(Sentences.OVPN_SAME_VIRTUAL, before, c.commonName(), v)));
            }
        }
        return out;
    }

    private static List<Iroute> ccdIroutes(OpenVpnConfig cfg, String cn) {
        Ccd ccd = cfg.ccd(cn);
        return ccd == null ? List.of() : ccd.iroutes();
    }

    /**
     * A client's virtual address of a family from the routing table (version 1 has no virtual address column, and no
     * version an IPv6 one before 2.4): its non-cached host route (/32, /128) outside its iroutes.
     */
    private static Ip statusVirtual(OpenVpnConfig cfg, StatusClient sc, Ip.Family family) {
        for (StatusRoute r : cfg.status().routes()) {
            if (!r.commonName().equals(sc.commonName()) || r.virtual() == null || r.cached() || r.virtual().family() != family
                    || r.virtual().len() != family.width()) continue;
            if (sc.realAddr() != null && r.realAddr() != null && !r.realAddr().equals(sc.realAddr())) continue;
            Ip a = r.virtual().addr();
            if (ccdIroutes(cfg, sc.commonName()).stream().anyMatch(i -> i.net().contains(a) && i.net().len() == family.width())) continue;
            return a;
        }
        return null;
    }

    private static OpenVpnTunnel match(Network net, List<OpenVpnTunnel> hosts, Set<OpenVpnTunnel> placed, StatusClient sc, Ip virtual) {
        for (OpenVpnTunnel c : hosts)
            if (!placed.contains(c) && virtual != null && virtual.equals(tunAddress(net, c))) return c;
        for (OpenVpnTunnel c : hosts)
            if (!placed.contains(c) && sc.realAddr() != null && (net.host(c.host()).ownsAddress(sc.realAddr()) || sc.realAddr().equals(c.seenAddr)))
                return c;
        for (OpenVpnTunnel c : hosts)
            if (!placed.contains(c) && c.host().equals(sc.commonName())) return c;
        return null;
    }

    static Ip tunAddress(Network net, OpenVpnTunnel c) {
        Interface i = net.host(c.host()).iface(c.device());
        Address a = i == null ? null : i.primary();
        return a == null ? null : a.local();
    }

    /** The tun device's IPv6 address OpenVPN set (ifconfig-ipv6): its first one that is not link-local. */
    static Ip tunAddress6(Network net, OpenVpnTunnel c) {
        Interface i = net.host(c.host()).iface(c.device());
        if (i == null) return null;
        for (Address a : i.addresses(Ip.Family.IPV6)) if (!a.local().isLinkLocal()) return a.local();
        return null;
    }

    /**
     * pool.c ifconfig_pool_init / acquire: entry {@code index} of ifconfig-ipv6-pool is the base plus the index, the base
     * moved on by one when the last 32 bits of its host part are zero (never hand out the subnet's anycast address);
     * a /112 or longer holds what is left of its host part, a shorter one 65536 entries (IFCONFIG_POOL_MAX). When the
     * IPv4 pool is smaller the pool has its size.
     */
    static Ip poolAddress6(OpenVpnConfig cfg, int index) {
        OpenVpnConfig.Ipv6 v6 = cfg.ipv6();
        if (v6 == null || v6.poolStart() == null) return null;
        int bits = v6.poolLength();
        long hostMask = bits <= 96 ? 0xffffffffL : (1L << (128 - bits)) - 1;
        long base = v6.poolStart().lo() & 0xffffffffL & hostMask;
        Ip start = v6.poolStart();
        if (base == 0) { start = start.plus(1); base = 1; }
        long size = bits >= 112 ? (1L << (128 - bits)) - base : 65536;
        if (cfg.poolStart() != null && cfg.poolEnd() != null) {
            boolean net30 = !cfg.isTap() && cfg.topology() == OpenVpnConfig.Topology.NET30;
            long span = (cfg.poolEnd().v4() & 0xffffffffL) - (cfg.poolStart().v4() & 0xffffffffL) + 1;
            size = Math.min(size, net30 ? span / 4 : span);
        }
        return index >= size ? null : start.plus(index);
    }

    /** pool.c: subnet (and tap) hand out start, start+1, ...; net30 hands out the third address of each /30. */
    static Ip poolAddress(OpenVpnConfig cfg, int index) {
        if (cfg.poolStart() == null || cfg.poolEnd() == null) return null;
        boolean net30 = !cfg.isTap() && cfg.topology() == OpenVpnConfig.Topology.NET30;
        long start = cfg.poolStart().v4() & 0xffffffffL;
        long a = net30 ? (start & ~3L) + 4L * index + 2 : start + index;
        return a > (cfg.poolEnd().v4() & 0xffffffffL) ? null : Ip.v4((int) a);
    }

    /** Where the server sees the client: after NAT on the way when its first packet was followed, else its own source. */
    private static Ip seenAddress(Network net, OpenVpnTunnel c) {
        return c.seenAddr != null ? c.seenAddr : realAddress(net, c);
    }

    /** The source address the client's kernel picks for its packets to the remote. */
    private static Ip realAddress(Network net, OpenVpnTunnel c) {
        if (c.config().local() != null) return c.config().local();
        Host h = net.host(c.host());
        Fib fib = new Fib(h);
        Ip dst = c.remote().addr();
        FibResult r = fib.lookup(Flow.output(dst, null, null, 0));
        if (r.isError()) return null;
        return fib.preferredSource(r, dst);
    }
}
