package roundtrip.tunnel;

import roundtrip.model.Address;
import roundtrip.model.Host;
import roundtrip.model.Interface;
import roundtrip.model.Ip;
import roundtrip.model.Message;
import roundtrip.model.OpenVpnConfig;
import roundtrip.model.OpenVpnConfig.Option;
import roundtrip.model.OpenVpnConfig.Redirect;
import roundtrip.model.OpenVpnConfig.Remote;
import roundtrip.model.Prefix;
import roundtrip.model.Problem;
import roundtrip.model.Route;
import roundtrip.model.RouteType;
import roundtrip.model.Source;

import java.util.ArrayList;
import java.util.List;

/**
 * The routes an OpenVPN client installs when it connects (route.c, OpenVPN 2.6 on Linux): its own {@code route}
 * lines and the server's pushed ones (unless --route-nopull or a pull-filter removes them), and for
 * redirect-gateway a host route to the server via the old default gateway (skipped with {@code local}, or
 * {@code autolocal} when the server is on a connected subnet) plus either 0.0.0.0/1 and 128.0.0.0/1 (def1) or a
 * new default route replacing the old one. In a snapshot these routes are already installed; this is for hosts
 * described by hand and for explaining a route ("why is 0.0.0.0/1 via tun0 here?").
 */
public final class OpenVpnRoutes {
    private OpenVpnRoutes() {}

    /** {@link #routesPushedTo(OpenVpnConfig, OpenVpnConfig, Host, String, List)} with the host name as common name, problems dropped. */
    public static List<Route> routesPushedTo(OpenVpnConfig client, OpenVpnConfig server, Host clientHost) {
        return routesPushedTo(client, server, clientHost, clientHost.name(), new ArrayList<>());
    }

    /**
     * @param server      the server's config (its pushes and the client's CCD pushes); null when unknown (only the client's own lines)
     * @param commonName  the client's common name, to find its CCD file
     * @param problems    receives what OpenVPN would log (refused redirect, conflicting routes) and what the routes replace
     * @return the routes added to the main table, in the order OpenVPN adds them. Without def1 the default route
     *         returned replaces the old one (a Problem says which).
     */
    public static List<Route> routesPushedTo(OpenVpnConfig client, OpenVpnConfig server, Host clientHost, String commonName,
                                             List<Problem> problems) {
        String dev = client.device();
        List<Option> accepted = accepted(client, server, commonName, problems);
        Ip vpnGateway = vpnGateway(client, accepted, clientHost);
        Route oldDefault = oldDefault(clientHost, dev);
        List<Route> out = new ArrayList<>();
        Redirect redirect = redirect(client, accepted);
        // "!ipv4" leaves IPv4's default alone (options.c clears RG_REROUTE_GW): only the IPv6 part redirects
        if (redirect != null && !redirect.flags().contains("!ipv4"))
            redirect(client, clientHost, redirect, vpnGateway, oldDefault, dev, out, problems);

        List<RouteLine> lines = new ArrayList<>();
        for (OpenVpnConfig.RouteOption r : client.routes())
            if (r.net().family() == Ip.Family.IPV4) lines.add(new RouteLine(r.net(), r.gateway(), r.source()));   // route-ipv6: not simulated yet
        for (Option o : accepted) {
            if (!o.name().equals("route")) continue;
            List<String> w = o.words();
            Prefix p = w.size() >= 3 && !w.get(2).equals("default")
                    ? new Prefix(Ip.parseV4(w.get(1)), Ip.v4MaskLength(Ip.parseV4(w.get(2)).v4())) : Prefix.host(Ip.parseV4(w.get(1)));
            String gw = w.size() >= 4 && !w.get(3).equals("default") ? w.get(3) : null;
            lines.add(new RouteLine(p, gw, o.source()));
        }
        for (RouteLine l : lines) {
            Ip gw;
            String viaDev = dev;
            if (l.gateway == null || l.gateway.equals("vpn_gateway")) gw = vpnGateway;
            else if (l.gateway.equals("net_gateway")) {
                gw = oldDefault == null ? null : oldDefault.gateway();
                viaDev = oldDefault == null ? null : oldDefault.dev();
            } else if (l.gateway.equals("remote_host")) { gw = null; viaDev = null; }
            else gw = Ip.parseV4(l.gateway);
            if (viaDev == null) {
                problems.add(new Problem(l.source, Message.of(Sentences.OVPN_ROUTE_GATEWAY_UNKNOWN, l.net, clientHost.name())));
                continue;
            }
            Route r = route(l.net, gw, viaDev, l.source);
            conflicts(clientHost, r, problems);
            out.add(r);
        }
        out.addAll(ipv6Routes(client, accepted, redirect, clientHost, problems));
        return out;
    }

    /** The IPv6 redirect (init.c): these four prefixes through the tunnel cover every unicast address but fe80::/10 and ::. */
    static final List<Prefix> REDIRECT_IPV6 = List.of(Prefix.parse("::/3", Ip.Family.IPV6), Prefix.parse("2000::/4", Ip.Family.IPV6),
            Prefix.parse("3000::/4", Ip.Family.IPV6), Prefix.parse("fc00::/7", Ip.Family.IPV6));

    /**
     * The IPv6 routes (route.c init_route_ipv6_list, add_route_ipv6): the client's own route-ipv6 lines, the pushed
     * ones, and for redirect-gateway ipv6 (only when the tunnel has an IPv6 address) ::/3, 2000::/4, 3000::/4 and
     * fc00::/7. On tun a route names the device only (a point-to-point link needs no gateway); on tap it goes via the
     * server's IPv6 address. Without a metric the kernel gives an IPv6 route 1024. When one of them holds the server's
     * IPv6 address, a host route to it goes the way it went before (metric 1), so the tunnel's own packets stay out.
     */
    private static List<Route> ipv6Routes(OpenVpnConfig client, List<Option> accepted, Redirect redirect, Host clientHost,
                                          List<Problem> problems) {
        String dev = client.device();
        Interface tun = clientHost.iface(dev);
        Ip local6 = null;
        if (tun != null) for (Address a : tun.addresses(Ip.Family.IPV6)) if (!a.local().isLinkLocal() && local6 == null) local6 = a.local();
        Ip gateway6 = client.isTap() ? vpnGateway6(client, accepted) : null;
        List<RouteLine> lines = new ArrayList<>();
        for (OpenVpnConfig.RouteOption r : client.routes())
            if (r.net().family() == Ip.Family.IPV6) lines.add(new RouteLine(r.net(), r.gateway(), r.source()));
        for (Option o : accepted) {
            if (!o.name().equals("route-ipv6")) continue;
            List<String> w = o.words();
            lines.add(new RouteLine(Prefix.parse(w.get(1), Ip.Family.IPV6), w.size() >= 3 && !w.get(2).equals("default") ? w.get(2) : null,
                    o.source()));
        }
        if (redirect != null && redirect.flags().contains("ipv6")) {
            if (local6 == null)
                problems.add(new Problem(redirect.source(), Message.of(Sentences.OVPN_REDIRECT_IPV6_NO_ADDRESS, clientHost.name(), dev)));
            else for (Prefix p : REDIRECT_IPV6) lines.add(new RouteLine(p, null, redirect.source()));
        }
        List<Route> out = new ArrayList<>();
        if (lines.isEmpty()) return out;
        if (local6 == null) {
            problems.add(new Problem(lines.get(0).source, Message.of(Sentences.OVPN_ROUTE_IPV6_NO_ADDRESS, clientHost.name(), dev)));
            return out;
        }
        Route old6 = oldDefault6(clientHost, dev);
        Remote remote = null;   // route.c remote_host_ipv6: the remote connected to, when it is an IPv6 one
        for (Remote r : client.remotes()) if (r.addr() != null) { remote = r.addr().isV6() ? r : null; break; }
        boolean overlapsRemote = false;
        for (RouteLine l : lines) {
            Route r;
            if ("net_gateway".equals(l.gateway)) {
                if (old6 == null) {
                    problems.add(new Problem(l.source, Message.of(Sentences.OVPN_ROUTE_IPV6_NO_NET_GATEWAY, l.net, clientHost.name())));
                    continue;
                }
                r = route6(l.net, old6.gateway(), old6.dev(), 1024, l.source);
            } else if (client.isTap()) {
                Ip gw = l.gateway != null && !l.gateway.equals("vpn_gateway") ? Ip.parse(l.gateway) : gateway6;
                if (gw == null) {
                    problems.add(new Problem(l.source, Message.of(Sentences.OVPN_ROUTE6_NO_GATEWAY, l.net)));
                    continue;
                }
                r = route6(l.net, gw, dev, 1024, l.source);
            } else {
                r = route6(l.net, null, dev, 1024, l.source);
            }
            if (remote != null && l.net.contains(remote.addr())) overlapsRemote = true;
            conflicts(clientHost, r, problems);
            out.add(r);
        }
        if (overlapsRemote) {
            Route toRemote = bestRoute(clientHost, remote.addr(), dev);
            if (toRemote == null)
                problems.add(new Problem(remote.source(), Message.of(Sentences.OVPN_ROUTE6_OVERLAPS_REMOTE)));
            else out.add(0, route6(Prefix.host(remote.addr()), toRemote.gateway(), toRemote.dev(), 1, remote.source()));
        }
        return out;
    }

    /** A tap client's IPv6 gateway: the server's address it pushed as the peer of ifconfig-ipv6. */
    private static Ip vpnGateway6(OpenVpnConfig client, List<Option> accepted) {
        for (Option o : accepted)
            if (o.name().equals("ifconfig-ipv6") && o.words().size() >= 3 && Ip.isAddress(o.words().get(2))) return Ip.parse(o.words().get(2));
        return client.ipv6() == null ? null : client.ipv6().ifconfigRemote();
    }

    /** The IPv6 default route of table main not into the tunnel, lowest metric first (net_gateway_ipv6). */
    private static Route oldDefault6(Host h, String tunDev) {
        Route best = null;
        for (Route r : h.routes())
            if (r.table() == Route.TABLE_MAIN && r.type() == RouteType.UNICAST && r.family() == Ip.Family.IPV6 && r.dst().len() == 0
                    && !tunDev.equals(r.dev()) && (best == null || r.metric() < best.metric())) best = r;
        return best;
    }

    /** get_default_gateway_ipv6 with the remote: the main table's most specific route to it, not into the tunnel. */
    private static Route bestRoute(Host h, Ip dst, String tunDev) {
        Route best = null;
        for (Route r : h.routes())
            if (r.table() == Route.TABLE_MAIN && r.type() == RouteType.UNICAST && r.dst().contains(dst) && !tunDev.equals(r.dev())
                    && (best == null || r.dst().len() > best.dst().len()
                    || r.dst().len() == best.dst().len() && r.metric() < best.metric())) best = r;
        return best;
    }

    /** An IPv6 route as OpenVPN adds it by netlink (metric 1024 when none is given: the kernel's IP6_RT_PRIO_USER). */
    static Route route6(Prefix dst, Ip gateway, String dev, int metric, Source source) {
        return new Route(Route.TABLE_MAIN, RouteType.UNICAST, dst, gateway, dev, null, metric, "global", 0, false, source);
    }

    private record RouteLine(Prefix net, String gateway, Source source) {}

    /** The server's pushes (and the client's CCD pushes) the client takes: pull, pull-filter, route-nopull. */
    private static List<Option> accepted(OpenVpnConfig client, OpenVpnConfig server, String commonName, List<Problem> problems) {
        List<Option> options = new ArrayList<>();
        if (server != null && client.pull()) {
            OpenVpnConfig.Ccd ccd = server.ccd(commonName);
            if (ccd == null || !ccd.pushReset()) options.addAll(server.pushes());
            if (ccd != null) options.addAll(ccd.pushes());
        }
        List<Option> accepted = new ArrayList<>();
        for (Option o : options) {
            String filter = pullFilter(client, o);
            if (filter != null) {
                if (filter.startsWith("reject"))
                    problems.add(new Problem(o.source(), Message.of(Sentences.OVPN_PULL_FILTER_REJECTS, filter, o.text())));
                continue;
            }
            if (client.routeNoPull() && (o.name().equals("route") || o.name().equals("route-ipv6") || o.name().equals("redirect-gateway")))
                continue;
            accepted.add(o);
        }
        return accepted;
    }

    /** The client's own redirect-gateway, replaced by a pushed one (its source says which line it is). */
    private static Redirect redirect(OpenVpnConfig client, List<Option> accepted) {
        Redirect redirect = client.redirectGateway();
        for (Option o : accepted)
            if (o.name().equals("redirect-gateway")) redirect = new Redirect(java.util.Set.copyOf(o.words().subList(1, o.words().size())), o.source());
        return redirect;
    }

    /**
     * The redirect-gateway a client connected to {@code server} (null: unknown) applies: its own, or the one pushed to it;
     * null when none.
     */
    public static Redirect redirectInForce(OpenVpnConfig client, OpenVpnConfig server, String commonName) {
        return redirect(client, accepted(client, server, commonName, new ArrayList<>()));
    }

    /** vpn_gateway of a client connected to {@code server} (null: unknown), as its redirect and route lines use it. */
    public static Ip vpnGateway(OpenVpnConfig client, OpenVpnConfig server, String commonName, Host clientHost) {
        return vpnGateway(client, accepted(client, server, commonName, new ArrayList<>()), clientHost);
    }

    /**
     * The main table of a client host after its OpenVPN instance went down and came up again with redirect-gateway
     * {@code after} instead of {@code before} (route.c). Down: undo_redirect_default_route_to_vpn deletes the host
     * route to the server (unless {@code local}), 0.0.0.0/1 and 128.0.0.0/1 (def1) or the default route into the
     * tunnel, and adds back the default route the redirect had deleted. Up: get_default_gateway reads the best route
     * to the server again and the new redirect is applied. Routes of {@code route} lines go and come back unchanged.
     *
     * <p>Which default route a redirect without def1 deleted is not in a table collected afterwards. It is known from
     * the host route to the server OpenVPN added through it (not with {@code local}); else, when the server saw the
     * client at one of this host's own addresses ({@code realAddr}, from its status file) on a point-to-point
     * device, it was that device's link (OpenVPN's RGI_ON_LINK: `default dev ppp0`, which is what it puts back).
     *
     * @param source  the source of the routes added (the fix)
     * @throws IllegalArgumentException when the deleted default route cannot be told
     */
    public static List<Route> afterReconnect(Host h, OpenVpnConfig client, Redirect before, Redirect after, Ip vpnGateway,
                                             Ip realAddr, Source source, List<Problem> problems) {
        String dev = client.device();
        Remote remote = ipv4Remote(client);
        List<Route> routes = new ArrayList<>(h.routes());
        if (before != null) {
            boolean local = before.local();
            if (before.flags().contains("autolocal") && remote != null) local = onConnectedSubnet(h, remote.addr());
            Route hostRoute = null;
            if (!local && remote != null)
                for (Route r : routes)
                    if (isMain(r) && r.dst().equals(Prefix.host(remote.addr())) && !dev.equals(r.dev())) hostRoute = r;
            if (hostRoute != null) routes.remove(hostRoute);
            if (before.def1()) {
                routes.removeIf(r -> isMain(r) && dev.equals(r.dev()) && r.dst().len() == 1);
            } else if (routes.removeIf(r -> isMain(r) && dev.equals(r.dev()) && r.dst().len() == 0)
                    && oldDefault(withRoutes(h, routes), dev) == null) {
                Route restored = null;
                if (hostRoute != null) restored = route(Prefix.ANY, hostRoute.gateway(), hostRoute.dev(), source);
                else if (realAddr != null && h.interfaceWithAddress(realAddr) != null) {
                    Interface uplink = h.interfaceWithAddress(realAddr);
                    for (Address a : uplink.addresses())
                        if (a.local().equals(realAddr) && a.peer() != null) restored = route(Prefix.ANY, null, uplink.name(), source);
                }
                if (restored == null)
                    throw new IllegalArgumentException(h.name() + ": the default route that redirect-gateway (" + before.source().where()
                            + ") replaced is not in the collected table, and neither a host route to the server nor the client's"
                            + " address in the server's status file tells which it was (OpenVPN puts it back when it goes down)");
                routes.add(restored);
            }
        }
        if (after != null) {
            Host base = withRoutes(h, routes);
            Route oldDefault = oldDefault(base, dev);
            List<Route> out = new ArrayList<>();
            redirect(client, base, after, vpnGateway, oldDefault, dev, out, problems);
            if (oldDefault != null && out.stream().anyMatch(r -> r.dst().len() == 0)) routes.remove(oldDefault);
            routes.addAll(out);
        }
        return routes;
    }

    /** An IPv4 unicast route of table main: what OpenVPN's IPv4 routes and redirect-gateway add and delete. */
    private static boolean isMain(Route r) {
        return r.table() == Route.TABLE_MAIN && r.type() == RouteType.UNICAST && r.family() == Ip.Family.IPV4;
    }

    private static Host withRoutes(Host h, List<Route> routes) {
        return new Host(h.name(), new ArrayList<>(h.interfaces().values()), routes, h.rules(), h.firewall(), h.sysctls(),
                h.listeners(), h.problems(), h.tunnels()).withManaged(h.managed());
    }

    private static void redirect(OpenVpnConfig client, Host clientHost, Redirect redirect, Ip vpnGateway, Route oldDefault,
                                 String dev, List<Route> out, List<Problem> problems) {
        Remote remote = ipv4Remote(client);
        boolean local = redirect.local();
        if (redirect.flags().contains("autolocal") && remote != null) local = onConnectedSubnet(clientHost, remote.addr());
        if (oldDefault == null && !local && remote != null) {
            problems.add(new Problem(redirect.source(), Message.of(Sentences.OVPN_NO_DEFAULT_TO_REDIRECT, clientHost.name())));
            return;
        }
        if (!local && remote != null) {
            // route.c: the remote host via the original default gateway (on-link for a gateway-less PPP default)
            out.add(route(Prefix.host(remote.addr()), oldDefault.gateway(), oldDefault.dev(), redirect.source()));
        } else if (remote != null && !onConnectedSubnet(clientHost, remote.addr())) {
            problems.add(new Problem(redirect.source(), Message.of(Sentences.OVPN_REDIRECT_LOCAL_LOOPS, remote.addr())));
        }
        if (redirect.def1()) {
            out.add(route(new Prefix(Ip.V4_ANY, 1), vpnGateway, dev, redirect.source()));
            out.add(route(new Prefix(Ip.v4(0x80000000), 1), vpnGateway, dev, redirect.source()));
        } else {
            Route r = route(Prefix.ANY, vpnGateway, dev, redirect.source());
            if (oldDefault != null)
                problems.add(new Problem(redirect.source(), Message.of(Sentences.OVPN_REDIRECT_WITHOUT_DEF1, oldDefault.text(), r.text())));
            out.add(r);
        }
    }

    /**
     * The remote the client connects to (the first with an address), when it is an IPv4 one: route.c's remote_host, which
     * the IPv4 redirect routes around; an IPv6 remote gets no IPv4 host route and needs no IPv4 default route.
     */
    private static Remote ipv4Remote(OpenVpnConfig client) {
        for (Remote r : client.remotes()) if (r.addr() != null) return r.addr().isV4() ? r : null;
        return null;
    }

    /** The first pull-filter that matches the option's text decides (options.c): null = accepted. */
    private static String pullFilter(OpenVpnConfig client, Option o) {
        for (Option f : client.pullFilters()) {
            String action = f.text().substring(0, f.text().indexOf(' '));
            String match = f.text().substring(action.length() + 1);
            if (o.text().strip().startsWith(match)) return action.equals("accept") ? null : action + " \"" + match + "\"";
        }
        return null;
    }

    /** vpn_gateway: route-gateway if pushed (topology subnet), else the tun's point-to-point peer (net30, p2p). */
    private static Ip vpnGateway(OpenVpnConfig client, List<Option> accepted, Host clientHost) {
        for (Option o : accepted)
            if (o.name().equals("route-gateway") && o.words().size() >= 2 && Ip.isV4Address(o.words().get(1)))
                return Ip.parseV4(o.words().get(1));
        if (client.ifconfigRemote() != null && client.topology() != OpenVpnConfig.Topology.SUBNET) return client.ifconfigRemote();
        Interface tun = clientHost.iface(client.device());
        Address a = tun == null ? null : tun.primary();
        return a == null ? null : a.peer();
    }

    /** The main table's default route that does not already lead into the tunnel, lowest metric first. */
    static Route oldDefault(Host h, String tunDev) {
        Route best = null;
        for (Route r : h.routes())
            if (isMain(r) && r.dst().len() == 0 && !tunDev.equals(r.dev())
                    && (best == null || r.metric() < best.metric())) best = r;
        return best;
    }

    private static boolean onConnectedSubnet(Host h, Ip addr) {
        for (Interface i : h.interfaces().values())
            for (Address a : i.addresses())
                if (!i.isLoopback() && a.subnet().contains(addr)) return true;
        return false;
    }

    /** A route with the same destination already exists: `ip route add` fails (OpenVPN logs "ERROR: Linux route add command failed"). */
    private static void conflicts(Host h, Route added, List<Problem> problems) {
        for (Route r : h.routes()) {
            if (r.table() != Route.TABLE_MAIN || r.type() != RouteType.UNICAST || added.dev().equals(r.dev()) && r.dst().equals(added.dst())) continue;
            if (r.dst().equals(added.dst()) && r.metric() == added.metric())
                problems.add(new Problem(added.source(), Message.of(Sentences.OVPN_ROUTE_CONFLICTS, added.dst(), r.text(), h.name())));
            // a more specific route into the same tunnel (net30's route to the peer address) takes nothing away from it
            else if (added.dst().contains(r.dst()) && r.dst().len() > added.dst().len() && added.dst().len() > 1 && !added.dev().equals(r.dev()))
                problems.add(new Problem(added.source(), Message.of(Sentences.OVPN_ROUTE_OUTDONE, added.dst(), added.dev(), r.text(), h.name(), r.dst())));
            else if (r.dst().len() > 0 && r.dst().contains(added.dst()) && added.dst().len() > r.dst().len() && "link".equals(r.scope()))
                problems.add(new Problem(added.source(), Message.of(Sentences.OVPN_ROUTE_TAKES_LOCAL_NETWORK, added.dst(), added.dev(), h.name(), r.dst(),
                        r.dev())));
        }
    }

    /** OpenVPN adds its routes by netlink with universe scope, also the gateway-less one (`198.51.100.2 dev ppp0`). */
    static Route route(Prefix dst, Ip gateway, String dev, Source source) {
        return new Route(Route.TABLE_MAIN, RouteType.UNICAST, dst, gateway, dev, null, 0, "global", 0,
                false, source);
    }
}
