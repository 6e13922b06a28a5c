package roundtrip.tunnel;

import roundtrip.importer.KernelRoutes;
import roundtrip.model.Address;
import roundtrip.model.Host;
import roundtrip.model.Interface;
import roundtrip.model.Ip;
import roundtrip.model.Message;
import roundtrip.model.Network;
import roundtrip.model.OpenVpnConfig;
import roundtrip.model.OpenVpnConfig.Topology;
import roundtrip.model.Prefix;
import roundtrip.model.Problem;
import roundtrip.model.Route;
import roundtrip.model.Source;
import roundtrip.model.TunnelConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What OpenVPN does to a host when it comes up, for hosts described by hand (a snapshot already shows it): the tun
 * device's address (tun.c do_ifconfig: a server's or a p2p peer's own `ifconfig`, which `server` expands to; a
 * client's from the server's ifconfig-push: its CCD file, else the pool in connection order) and the routes route.c
 * adds (a client's own `route` lines, the pushed ones and redirect-gateway, see {@link OpenVpnRoutes}; a server's
 * `route` lines, including the one `server` adds for net30). A route the description already writes to the same
 * destination stays: OpenVPN's own `ip route add` fails with "File exists" (a different one is warned). A
 * redirect-gateway without def1 deletes the default route it replaces, as route.c does.
 */
public final class OpenVpnDaemon {
    private OpenVpnDaemon() {}

    /**
     * @param byHand the hosts described by hand (the others are left as they are)
     * @return every host of {@code byHand} with its OpenVPN instances up
     */
    public static Map<String, Host> up(Network net, Set<String> byHand) {
        Map<String, Host> hosts = new LinkedHashMap<>(net.hosts());
        Map<String, List<Problem>> said = new LinkedHashMap<>();
        // 1. the addresses an instance gives itself; 2. those a client gets from its server (paired by its remote; the
        // simulation follows the client's first packet later, and finds out whether a port forward really leads there)
        for (String name : byHand) hosts.put(name, ownAddresses(hosts.get(name), said));
        Network withOwn = new Network(new ArrayList<>(hosts.values()), net.segments());
        Tunnels paired = Tunnels.forwardsAssumed(withOwn);
        for (String name : byHand) hosts.put(name, pushedAddresses(hosts.get(name), paired, said));
        // 3. the routes, once every tunnel address is known (a gateway must be on the tun's link)
        Network addressed = new Network(new ArrayList<>(hosts.values()), net.segments());
        paired = Tunnels.forwardsAssumed(addressed);
        Map<String, Host> out = new LinkedHashMap<>();
        for (String name : byHand) {
            Host h = routes(hosts.get(name), paired, said);
            List<Problem> problems = said.getOrDefault(name, List.of());
            out.put(name, problems.isEmpty() ? h : with(h, null, null, problems));
        }
        return out;
    }

    private static Host ownAddresses(Host h, Map<String, List<Problem>> said) {
        Map<String, List<Address>> added = new LinkedHashMap<>();
        for (TunnelConfig t : h.tunnels()) {
            if (!(t instanceof OpenVpnConfig o)) continue;
            if (o.ifconfigLocal() != null && !has(h, o.device(), Ip.Family.IPV4)) {
                boolean subnet = o.isTap() || o.topology() == Topology.SUBNET;
                // `ifconfig LOCAL MASK` (subnet, tap) or `ifconfig LOCAL REMOTE` (net30, p2p: a point-to-point address)
                added.computeIfAbsent(o.device(), d -> new ArrayList<>()).add(subnet
                        ? new Address(o.ifconfigLocal(), Ip.v4MaskLength(o.ifconfigRemote().v4()), null, "global", false)
                        : new Address(o.ifconfigLocal(), 32, o.ifconfigRemote(), "global", false));
            }
            // tun.c do_ifconfig_ipv6: `ip -6 addr add LOCAL/BITS dev tun0` (ifconfig-ipv6, or what server-ipv6 expands to)
            if (o.ipv6() != null && o.ipv6().ifconfigLocal() != null && !has(h, o.device(), Ip.Family.IPV6))
                added.computeIfAbsent(o.device(), d -> new ArrayList<>())
                        .add(new Address(o.ipv6().ifconfigLocal(), o.ipv6().ifconfigLength(), null, "global", false));
        }
        return added.isEmpty() ? h : with(h, added, null, null);
    }

    private static Host pushedAddresses(Host h, Tunnels paired, Map<String, List<Problem>> said) {
        Map<String, List<Address>> added = new LinkedHashMap<>();
        for (Tunnel t : paired.all()) {
            if (!t.host().equals(h.name())) continue;
            if (!(t instanceof OpenVpnTunnel c) || c.config().isServer() || c.server() == null) continue;
            OpenVpnConfig server = c.server().config();
            for (OpenVpnTunnel.Client k : c.server().clients()) {
                if (!c.id().equals(k.peer())) continue;
                OpenVpnConfig.Ccd ccd = server.ccd(k.commonName());
                // the pushed ifconfig-ipv6 ADDR/BITS: the CCD's ifconfig-ipv6-push, else the pool's with the server's bits
                if (k.virtualAddr6() != null && !has(h, c.device(), Ip.Family.IPV6)) {
                    int bits = ccd != null && ccd.ifconfigIpv6Push() != null ? ccd.ifconfigIpv6Push().len()
                            : server.ipv6() != null ? server.ipv6().ifconfigLength() : 64;
                    added.computeIfAbsent(c.device(), d -> new ArrayList<>()).add(new Address(k.virtualAddr6(), bits, null, "global", false));
                }
                if (k.virtualAddr() == null || has(h, c.device(), Ip.Family.IPV4)) continue;
                Ip remoteOrMask = ccd != null && ccd.ifconfigPush() != null ? ccd.ifconfigPush().remoteOrMask() : null;
                Address a;
                if (server.isTap() || server.topology() == Topology.SUBNET) {
                    int len = remoteOrMask != null ? Ip.v4MaskLength(remoteOrMask.v4())
                            : server.server() != null ? server.server().len() : Ip.v4MaskLength(server.ifconfigRemote().v4());
                    a = new Address(k.virtualAddr(), len, null, "global", false);
                } else {
                    // net30: pool.c hands out the third address of a /30 and pushes the second as the peer
                    Ip peer = remoteOrMask != null ? remoteOrMask : k.virtualAddr().plus(-1);
                    a = new Address(k.virtualAddr(), 32, peer, "global", false);
                    if (server.topology() == Topology.NET30)
                        said.computeIfAbsent(h.name(), x -> new ArrayList<>()).add(new Problem(c.config().source(),
                                Message.of(Sentences.OVPN_NET30, h.name(), c.device(), k.virtualAddr(), peer, server.ifconfigLocal())));
                }
                added.computeIfAbsent(c.device(), d -> new ArrayList<>()).add(0, a);
            }
        }
        return added.isEmpty() ? h : with(h, added, null, null);
    }

    private static Host routes(Host h, Tunnels paired, Map<String, List<Problem>> said) {
        List<Route> routes = new ArrayList<>(h.routes());
        boolean changed = false;
        for (Tunnel t : paired.all()) {
            if (!t.host().equals(h.name())) continue;
            if (!(t instanceof OpenVpnTunnel o)) continue;
            List<Route> adds = new ArrayList<>();
            if (o.config().mode() == OpenVpnConfig.Mode.CLIENT) {
                if (o.server() == null) continue;
                String cn = null;
                for (OpenVpnTunnel.Client k : o.server().clients()) if (o.id().equals(k.peer())) cn = k.commonName();
                if (cn == null) continue;   // refused by its server: no routes
                // what it logs is said again by the pairing of every run
                adds.addAll(OpenVpnRoutes.routesPushedTo(o.config(), o.server().config(), h, cn, new ArrayList<>()));
            } else {
                Ip vpnGateway = serverGateway(o.config());
                for (OpenVpnConfig.RouteOption r : o.config().routes()) {
                    if (r.net().family() == Ip.Family.IPV6) {
                        // route.c add_route_ipv6: on tun the device alone, on tap via the gateway given (or ifconfig-ipv6's peer)
                        Ip gw6 = !o.config().isTap() ? null : r.gateway() != null && Ip.isAddress(r.gateway()) ? Ip.parse(r.gateway())
                                : o.config().ipv6() == null ? null : o.config().ipv6().ifconfigRemote();
                        if (o.config().isTap() && gw6 == null) continue;
                        adds.add(OpenVpnRoutes.route6(r.net(), gw6, o.device(), 1024, r.source()));
                        continue;
                    }
                    Ip gw = r.gateway() == null || r.gateway().equals("vpn_gateway") ? vpnGateway
                            : Ip.isV4Address(r.gateway()) ? Ip.parseV4(r.gateway()) : null;
                    if (gw != null) adds.add(OpenVpnRoutes.route(r.net(), gw, o.device(), r.source()));
                }
            }
            for (Route r : adds) {
                Route same = null;
                for (Route x : routes) if (x.table() == r.table() && x.dst().equals(r.dst()) && x.metric() == r.metric()) same = x;
                if (same != null && r.dst().len() == 0 && !o.device().equals(same.dev())) {
                    routes.remove(same);   // redirect-gateway without def1: route.c deletes the old default first
                } else if (same != null) {
                    if (!same.text().equals(r.text()))
                        said.computeIfAbsent(h.name(), x -> new ArrayList<>()).add(new Problem(same.source(),
                                Message.of(Sentences.OVPN_ROUTE_EXISTS, h.name(), o.device(), r.text(), r.source().where())));
                    continue;
                }
                routes.add(r);
                changed = true;
            }
        }
        return changed ? with(h, null, routes, null) : h;
    }

    /**
     * vpn_gateway of a server's (or p2p instance's) own `route` lines: route-gateway, which `server` sets to the pool's
     * first address for subnet (helper.c), else the point-to-point peer of `ifconfig`.
     */
    private static Ip serverGateway(OpenVpnConfig o) {
        if (o.topology() == Topology.SUBNET || o.isTap()) return o.server() == null ? null : o.server().addr().plus(2);
        return o.ifconfigRemote();
    }

    /** Whether the device has an address of the family (IPv6: other than link-local); true when it does not exist. */
    private static boolean has(Host h, String dev, Ip.Family f) {
        Interface i = h.iface(dev);
        if (i == null) return true;
        return i.addresses(f).stream().anyMatch(a -> !(a.local().isV6() && a.local().isLinkLocal()));
    }

    /** The host with addresses added to devices (and the routes the kernel adds for them), other routes, more problems. */
    private static Host with(Host h, Map<String, List<Address>> addresses, List<Route> routes, List<Problem> problems) {
        List<Interface> ifaces = new ArrayList<>();
        List<Route> table = new ArrayList<>(routes != null ? routes : h.routes());
        for (Interface i : h.interfaces().values()) {
            List<Address> a = addresses == null ? null : addresses.get(i.name());
            if (a != null) {
                List<Address> all = new ArrayList<>(i.addresses());
                all.addAll(a);
                i = new Interface(i.name(), i.index(), i.kind(), i.master(), i.up(), i.noArp(), i.mac(), i.mtu(), all);
                Source by = Source.NONE;
                for (TunnelConfig t : h.tunnels()) if (t instanceof OpenVpnConfig o && o.device().equals(i.name())) by = o.source();
                Source where = by;
                // the routes the kernel adds for the new addresses (the device had none of their family before)
                Interface alone = new Interface(i.name(), i.index(), i.kind(), i.master(), i.up(), i.noArp(), i.mac(), i.mtu(), a);
                table.addAll(KernelRoutes.forInterfaces(List.of(alone), (x, y) -> where));
            }
            ifaces.add(i);
        }
        List<Problem> all = new ArrayList<>(h.problems());
        if (problems != null) all.addAll(problems);
        return new Host(h.name(), ifaces, table, h.rules(), h.firewall(), h.sysctls(), h.listeners(), all, h.tunnels(),
                h.firewallConfig(), h.managed()).withNdpProxies(h.ndpProxies());
    }
}
