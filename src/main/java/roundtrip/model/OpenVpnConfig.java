package roundtrip.model;

import java.util.List;
import java.util.Set;

/**
 * One OpenVPN instance as its config file describes it, after the helper directives are expanded the way
 * helper.c does ({@code server} = mode server + tls-server + ifconfig + pool; {@code client} = pull + tls-client).
 * {@code device} is the interface of the host the instance owns (tun0), {@code devType} "tun" or "tap".
 * {@code transport} is {@link Packet#UDP} or {@link Packet#TCP}; {@code port} the local port (0 = a random
 * ephemeral port, a client with nobind). Addresses are null when not configured. A server carries the CCD files
 * of its client-config-dir and its status file when the snapshot has them; secrets are never stored.
 * {@code writepid} is the pid file as written (relative to the daemon's working directory), null without one.
 * {@code text} is the config as read (what a lab runs again), without its key material. {@code ipv6} holds the
 * IPv6 side (ifconfig-ipv6, ifconfig-ipv6-pool, and server-ipv6 expanded into them as helper.c does; null without
 * any); route-ipv6 lines are among {@code routes} with an IPv6 prefix, iroute-ipv6 among a CCD file's iroutes.
 * {@code socketFamily}: the family the proto word restricts the socket to (udp4/tcp4: IPv4, udp6/tcp6: IPv6), null
 * for udp/tcp (a client takes a remote of either family; a server without --local listens dual-stack).
 */
public record OpenVpnConfig(String device, String devType, Mode mode, int transport, int port, Ip local,
                            List<Remote> remotes, Topology topology, boolean topologySet,
                            Prefix server, Ip ifconfigLocal, Ip ifconfigRemote,
                            Ip poolStart, Ip poolEnd,
                            List<RouteOption> routes, List<Option> pushes, Redirect redirectGateway,
                            String clientConfigDir, boolean ccdExclusive, boolean clientToClient,
                            boolean pull, boolean routeNoPull, List<Option> pullFilters, boolean floatPeer,
                            boolean multihome, int verb, String writepid, List<Ccd> ccds, StatusLog status, Source source,
                            String text, Ipv6 ipv6, Ip.Family socketFamily)
        implements TunnelConfig {

    public enum Mode { SERVER, CLIENT, P2P }

    public enum Topology { NET30, P2P, SUBNET }

    public OpenVpnConfig {
        remotes = List.copyOf(remotes);
        routes = List.copyOf(routes);
        pushes = List.copyOf(pushes);
        pullFilters = List.copyOf(pullFilters);
        ccds = List.copyOf(ccds);
    }

    public boolean isTap() { return "tap".equals(devType); }

    /** {@code dev null}: no tun or tap device, the instance carries no packet (OpenVPN's test setup). */
    public boolean isNullDevice() { return "null".equals(devType); }

    public boolean isServer() { return mode == Mode.SERVER; }

    /** The CCD file of a common name, or null. */
    public Ccd ccd(String commonName) {
        for (Ccd c : ccds) if (c.commonName().equals(commonName)) return c;
        return null;
    }

    public OpenVpnConfig withDevice(String dev) {
        return new OpenVpnConfig(dev, devType, mode, transport, port, local, remotes, topology, topologySet, server,
                ifconfigLocal, ifconfigRemote, poolStart, poolEnd, routes, pushes, redirectGateway, clientConfigDir,
                ccdExclusive, clientToClient, pull, routeNoPull, pullFilters, floatPeer, multihome, verb, writepid, ccds, status, source, text, ipv6, socketFamily);
    }

    /** The same instance with other remotes (e.g. host names resolved). */
    public OpenVpnConfig withRemotes(List<Remote> newRemotes) {
        return new OpenVpnConfig(device, devType, mode, transport, port, local, newRemotes, topology, topologySet, server,
                ifconfigLocal, ifconfigRemote, poolStart, poolEnd, routes, pushes, redirectGateway, clientConfigDir,
                ccdExclusive, clientToClient, pull, routeNoPull, pullFilters, floatPeer, multihome, verb, writepid, ccds, status, source, text, ipv6, socketFamily);
    }

    /** The same instance with another redirect-gateway (null: none). */
    public OpenVpnConfig withRedirectGateway(Redirect newRedirect) {
        return new OpenVpnConfig(device, devType, mode, transport, port, local, remotes, topology, topologySet, server,
                ifconfigLocal, ifconfigRemote, poolStart, poolEnd, routes, pushes, newRedirect, clientConfigDir,
                ccdExclusive, clientToClient, pull, routeNoPull, pullFilters, floatPeer, multihome, verb, writepid, ccds, status, source, text, ipv6, socketFamily);
    }

    /** The same instance pushing other options. */
    public OpenVpnConfig withPushes(List<Option> newPushes) {
        return new OpenVpnConfig(device, devType, mode, transport, port, local, remotes, topology, topologySet, server,
                ifconfigLocal, ifconfigRemote, poolStart, poolEnd, routes, newPushes, redirectGateway, clientConfigDir,
                ccdExclusive, clientToClient, pull, routeNoPull, pullFilters, floatPeer, multihome, verb, writepid, ccds, status, source, text, ipv6, socketFamily);
    }

    /**
     * The name of the file the instance was read from, when it is an OpenVPN config file of its own ({@code NAME.conf},
     * as in a snapshot's openvpn/ directory): the daemon's --config; null when it came from a network file.
     */
    public String configFile() {
        String f = source.file();
        String name = f.substring(f.lastIndexOf('/') + 1);
        return name.endsWith(".conf") ? name : null;
    }

    public OpenVpnConfig withCcdsAndStatus(List<Ccd> newCcds, StatusLog newStatus) {
        return new OpenVpnConfig(device, devType, mode, transport, port, local, remotes, topology, topologySet, server,
                ifconfigLocal, ifconfigRemote, poolStart, poolEnd, routes, pushes, redirectGateway, clientConfigDir,
                ccdExclusive, clientToClient, pull, routeNoPull, pullFilters, floatPeer, multihome, verb, writepid, newCcds, newStatus, source, text, ipv6, socketFamily);
    }

    /**
     * {@code server-ipv6 NET/BITS}, {@code ifconfig-ipv6 LOCAL/BITS REMOTE}, {@code ifconfig-ipv6-pool START/BITS}, as
     * written (server-ipv6 is not expanded into the other two); absent parts are null (lengths then 0).
     */
    public record Ipv6(Prefix server, Ip ifconfigLocal, int ifconfigLength, Ip ifconfigRemote, Ip poolStart, int poolLength) {}

    /** Whether the socket takes packets of {@code f}: a udp6/tcp6 server's socket is dual-stack (IPv4 arrives v4-mapped). */
    public boolean socketTakes(Ip.Family f) {
        return socketFamily == null || socketFamily == f || isServer() && socketFamily == Ip.Family.IPV6;
    }

    /** {@code ifconfig-ipv6-push LOCAL/BITS [REMOTE]} of a CCD file; {@code remote} null when not written. */
    public record IfconfigPush6(Ip local, int len, Ip remote, Source source) {}

    /** {@code remote HOST [PORT] [PROTO]}: {@code addr} null when HOST is a name no {@code names:} entry resolves. */
    public record Remote(String host, Ip addr, int port, int transport, Source source) {}

    /** {@code route NET [MASK] [GATEWAY] [METRIC]}; {@code gateway} as written (an address or vpn_gateway, net_gateway, remote_host), null when absent. */
    public record RouteOption(Prefix net, String gateway, Source source) {}

    /** An option as written, e.g. a pushed {@code route 192.168.1.0 255.255.255.0} (the text inside the quotes). */
    public record Option(String text, Source source) {
        public List<String> words() { return List.of(Text.words(text.strip())); }
        public String name() { return words().get(0); }
    }

    /** {@code redirect-gateway [def1] [local] [autolocal] [bypass-dhcp] ...}. */
    public record Redirect(Set<String> flags, Source source) {
        public Redirect { flags = Set.copyOf(flags); }
        public boolean def1() { return flags.contains("def1"); }
        public boolean local() { return flags.contains("local"); }
    }

    /** {@code ifconfig-push LOCAL REMOTE_OR_MASK} of a CCD file. */
    public record IfconfigPush(Ip local, Ip remoteOrMask, Source source) {}

    /** {@code iroute NET [MASK]}: a network the server routes to this client inside the daemon. */
    public record Iroute(Prefix net, Source source) {}

    /** openvpn/ccd/COMMON_NAME. */
    public record Ccd(String commonName, List<Iroute> iroutes, IfconfigPush ifconfigPush, List<Option> pushes,
                      boolean pushReset, boolean disabled, Source source, IfconfigPush6 ifconfigIpv6Push) {
        public Ccd {
            iroutes = List.copyOf(iroutes);
            pushes = List.copyOf(pushes);
        }

        /** Without ifconfig-ipv6-push. */
        public Ccd(String commonName, List<Iroute> iroutes, IfconfigPush ifconfigPush, List<Option> pushes,
                   boolean pushReset, boolean disabled, Source source) {
            this(commonName, iroutes, ifconfigPush, pushes, pushReset, disabled, source, null);
        }
    }

    /** The status file of a server: who was connected, from where, with which virtual address. */
    public record StatusLog(int version, List<StatusClient> clients, List<StatusRoute> routes, Source source) {
        public StatusLog {
            clients = List.copyOf(clients);
            routes = List.copyOf(routes);
        }
    }

    /**
     * A CLIENT LIST line; {@code virtualAddr} null in version 1 (read it from the routing table), {@code virtualAddr6}
     * the "Virtual IPv6 Address" column (null when empty, or in version 1).
     */
    public record StatusClient(String commonName, Ip realAddr, int realPort, Ip virtualAddr, Source source, Ip virtualAddr6) {
        public StatusClient(String commonName, Ip realAddr, int realPort, Ip virtualAddr, Source source) {
            this(commonName, realAddr, realPort, virtualAddr, source, null);
        }
    }

    /** A ROUTING TABLE line: {@code cached} for the 'C' suffix (a host route learned from an iroute); {@code virtual} null for a MAC (tap). */
    public record StatusRoute(Prefix virtual, String mac, boolean cached, String commonName, Ip realAddr, int realPort,
                              Source source) {}
}
