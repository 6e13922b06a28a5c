package roundtrip.importer.openwrt;

import roundtrip.importer.HostBuilder;
import roundtrip.importer.IpCommandSyntax;
import roundtrip.importer.WireGuardReader;
import roundtrip.model.InputException;
import roundtrip.model.Ip;
import roundtrip.model.Message;
import roundtrip.model.Prefix;
import roundtrip.model.Problem;
import roundtrip.model.Source;
import roundtrip.model.WireGuardConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OpenWrt router from its UCI configuration: /etc/config/network gives the devices (bridges with their ports),
 * the interfaces with their addresses, gateways, static routes and rules, and WireGuard interfaces with their
 * peers (route_allowed_ips adds the routes, as netifd does); /etc/config/firewall is translated by
 * {@link Fw4Translation}. What netifd learns only at run time (DHCP and PPPoE addresses) is reported as a Problem.
 */
public final class UciReader {
    private UciReader() {}

    /**
     * Adds the router described by {@code network} (and {@code firewall}, may be null) to {@code b}.
     * @throws InputException naming the UCI file and line
     */
    public static void read(HostBuilder b, Uci network, Uci firewall) {
        read(b, network, firewall, Map.of());
    }

    /** @param tables routing table names the router's rt_tables defines (for "lookup NAME", "table NAME") */
    public static void read(HostBuilder b, Uci network, Uci firewall, Map<String, Integer> tables) {
        Map<String, String> deviceOf = new LinkedHashMap<>();   // interface section name -> its L3 device
        Map<String, Uci.Section> wireguard = new LinkedHashMap<>();
        Map<String, Integer> metricOf = new LinkedHashMap<>();
        devices(b, network);
        for (Uci.Section s : network.sections("interface")) {
            if (s.name == null) throw network.error(s.line, "an interface section needs a name (config interface 'lan')");
            interfaceSection(b, network, s, deviceOf, wireguard, metricOf);
        }
        // an IPv6 interface on top of another (wan6 with device '@wan') has that interface's device
        for (Uci.Section s : network.sections("interface")) {
            String device = s.get("device", s.get("ifname"));
            if (device != null && device.startsWith("@") && deviceOf.get(device.substring(1)) != null)
                deviceOf.putIfAbsent(s.name, deviceOf.get(device.substring(1)));
        }
        for (Map.Entry<String, Uci.Section> e : wireguard.entrySet())
            wireGuard(b, network, e.getKey(), e.getValue(), metricOf.getOrDefault(e.getKey(), 0));
        ipv6AtRunTime(b, network, deviceOf);
        prefixAssignments(b, network, deviceOf);
        gatewaysAndEndpoints(b, network, deviceOf, wireguard, tables);
        for (Uci.Section s : network.sections("route")) route(b, network, s, deviceOf, tables, false);
        for (Uci.Section s : network.sections("route6")) route(b, network, s, deviceOf, tables, true);
        for (Uci.Section s : network.sections("rule")) rule(b, network, s, deviceOf, tables, false);
        for (Uci.Section s : network.sections("rule6")) rule(b, network, s, deviceOf, tables, true);
        if (firewall != null) Fw4Translation.translate(b, firewall, Fw4Translation.networks(network, deviceOf));
        bootSysctls(b, network);
    }

    /**
     * What OpenWrt sets at boot before any configuration: forwarding on (/etc/sysctl.d/10-default.conf), and bridges
     * that do not pass their frames through the IP firewall (kmod-br-netfilter's /etc/sysctl.d/11-br-netfilter.conf;
     * without that package there is no br_netfilter at all).
     */
    private static void bootSysctls(HostBuilder b, Uci network) {
        String[][] defaults = {
                {"net.ipv4.ip_forward", "1", "/etc/sysctl.d/10-default.conf"},
                {"net.bridge.bridge-nf-call-iptables", "0", "/etc/sysctl.d/11-br-netfilter.conf"},
                {"net.bridge.bridge-nf-call-ip6tables", "0", "/etc/sysctl.d/11-br-netfilter.conf"},
                {"net.bridge.bridge-nf-call-arptables", "0", "/etc/sysctl.d/11-br-netfilter.conf"}};
        for (String[] d : defaults)
            if (!b.hasSysctl(d[0])) b.sysctl(d[0], d[1], network.source(0, d[0] + " = " + d[1] + " (OpenWrt's " + d[2] + ")"));
    }

    /**
     * Interfaces whose IPv6 comes at run time (dhcpv6: the address and the default route from DHCPv6 and router
     * advertisements, a delegated prefix; 6in4, 6rd, ...: a tunnel): nothing of it is known from the configuration, and
     * nothing is guessed. Each is named, so a probe that needs it is understood to be missing it.
     */
    private static void ipv6AtRunTime(HostBuilder b, Uci network, Map<String, String> deviceOf) {
        for (Uci.Section s : network.sections("interface")) {
            String proto = s.get("proto", "none");
            if (!IPV6_AT_RUN_TIME.contains(proto) || s.flag("disabled", false)) continue;
            String dev = deviceOf.get(s.name);
            b.problems().add(new Problem(network.source(s.line, "interface '" + s.name + "' (proto " + proto + ")"), dev == null
                    ? Message.of(Sentences.IPV6_AT_RUN_TIME, s.name, proto) : Message.of(Sentences.IPV6_AT_RUN_TIME_ON, s.name, proto, dev)));
        }
    }

    /**
     * netifd's prefix assignment (interface-ip.c interface_update_prefix_assignments): each prefix the router has to
     * hand out (globals' ula_prefix, a static interface's ip6prefix) gives every interface with ip6assign N a /N of it
     * (ip6hint picks which; otherwise the lowest free one, the largest assignments first), and the interface the
     * address ip6ifaceid (default ::1) in it. netifd adds an unreachable route for the whole prefix (metric 2147483647)
     * so that what no interface was given is not sent back out of the default route.
     */
    private static void prefixAssignments(HostBuilder b, Uci network, Map<String, String> deviceOf) {
        record Pool(Prefix prefix, Source source, String owner) {}
        List<Pool> pools = new ArrayList<>();
        for (Uci.Section g : network.sections("globals")) {
            Uci.Value ula = g.option("ula_prefix");
            if (ula == null || ula.text().equals("auto")) continue;
            pools.add(new Pool(prefix6(network, ula, "ula_prefix"), network.source(ula.line(), "option ula_prefix '" + ula.text() + "'"), null));
        }
        for (Uci.Section s : network.sections("interface"))
            for (Uci.Value p : s.list("ip6prefix"))
                pools.add(new Pool(prefix6(network, p, "ip6prefix"), network.source(p.line(), "ip6prefix '" + p.text() + "' of interface '"
                        + s.name + "'"), s.name));
        List<Uci.Section> assigned = new ArrayList<>();
        for (Uci.Section s : network.sections("interface"))
            if (s.has("ip6assign") && deviceOf.get(s.name) != null && !s.flag("disabled", false)) assigned.add(s);
        if (assigned.isEmpty()) return;
        if (pools.isEmpty()) {
            Uci.Section first = assigned.get(0);
            b.problems().add(new Problem(network.source(first.option("ip6assign").line(), "ip6assign " + first.get("ip6assign")),
                    Message.of(Sentences.IP6ASSIGN_NO_PREFIX)));
            return;
        }
        // interfaces with a hint first, then the largest assignments (the shortest lengths), then in file order
        assigned.sort(java.util.Comparator.comparing((Uci.Section s) -> !s.has("ip6hint"))
                .thenComparingInt(s -> intOption(network, s, "ip6assign", 64)));
        for (Pool pool : pools) {
            List<Prefix> taken = new ArrayList<>();
            for (Uci.Section s : assigned) {
                if (s.name.equals(pool.owner())) continue;   // netifd does not assign a prefix back to where it comes from
                int len = intOption(network, s, "ip6assign", 64);
                Uci.Value at = s.option("ip6assign");
                if (len < pool.prefix().len() || len > 64) {
                    b.problems().add(new Problem(network.source(at.line(), "ip6assign " + len), Message.of(Sentences.IP6ASSIGN_TOO_LONG, len, s.name, pool.prefix())));
                    continue;
                }
                Prefix sub = subprefix(network, s, pool.prefix(), len, taken);
                if (sub == null) {
                    b.problems().add(new Problem(network.source(at.line(), "ip6assign " + len), Message.of(Sentences.IP6ASSIGN_NO_ROOM, len, pool.prefix(), s.name)));
                    continue;
                }
                taken.add(sub);
                Ip ifaceId = Ip.parse(s.get("ip6ifaceid", "::1"));
                Ip addr = ifaceId.withNetwork(sub.addr(), len);
                String text = addr + "/" + len;
                b.addAddress(deviceOf.get(s.name), text, network.source(at.line(), text + " (ip6assign " + len + " of " + pool.source().text() + ")"));
            }
            String unreachable = "-6 unreachable " + pool.prefix() + " metric 2147483647";
            b.addRoute(IpCommandSyntax.route(unreachable, network.source(pool.source().line(), unreachable.substring(3)
                    + " (netifd, for " + pool.source().text() + ")"), Map.of()));
        }
    }

    /** The /len of {@code pool} an interface gets: its ip6hint's (the hint's bits above len), else the lowest free one. */
    private static Prefix subprefix(Uci network, Uci.Section s, Prefix pool, int len, List<Prefix> taken) {
        int bits = len - pool.len();
        long count = bits >= 62 ? Long.MAX_VALUE : 1L << bits;
        if (s.has("ip6hint")) {
            long hint;
            try { hint = Long.parseLong(s.get("ip6hint"), 16); } catch (NumberFormatException e) {
                throw network.error(s.option("ip6hint").line(), "ip6hint: not a hexadecimal number: " + s.get("ip6hint"));
            }
            // the hint counts /64s; a shorter assignment uses its upper bits
            Prefix p = nth(pool, len, (hint >>> (64 - len)) & (count - 1));
            if (taken.stream().noneMatch(t -> t.contains(p) || p.contains(t))) return p;
        }
        for (long i = 0; i < count && i < 65536; i++) {
            Prefix p = nth(pool, len, i);
            if (taken.stream().noneMatch(t -> t.contains(p) || p.contains(t))) return p;
        }
        return null;
    }

    /** The i-th /len inside {@code pool} (len at most 64). */
    private static Prefix nth(Prefix pool, int len, long i) {
        return new Prefix(Ip.v6(pool.addr().hi() | (i << (64 - len)), 0), len);
    }

    private static Prefix prefix6(Uci network, Uci.Value v, String option) {
        try {
            Prefix p = Prefix.parse(v.text(), Ip.Family.IPV6);
            if (p.family() != Ip.Family.IPV6 || p.len() > 64) throw new IllegalArgumentException();
            return p;
        } catch (IllegalArgumentException e) {
            throw network.error(v.line(), option + ": not an IPv6 prefix of at most 64 bits: " + v.text());
        }
    }

    /** config device: bridges (type bridge, list ports) and other named devices. */
    private static void devices(HostBuilder b, Uci network) {
        for (Uci.Section s : network.sections("device")) {
            String name = s.get("name");
            if (name == null) throw network.error(s.line, "config device without option name");
            String type = s.get("type", "");
            Source src = network.source(s.line, s.label() + " " + name);
            if (!b.hasInterface(name)) b.addInterface(name, type.equals("bridge") ? "bridge" : null, null, true, 1500, src);
            for (Uci.Value port : s.list("ports")) {
                if (!b.hasInterface(port.text()))
                    b.addInterface(port.text(), null, null, true, 1500, network.source(port.line(), "port " + port.text()));
                if (type.equals("bridge")) b.setMaster(port.text(), name);
            }
        }
    }

    /** protos whose addresses come at run time and are IPv6 (or IPv4 carried in IPv6): the wan6 of most routers */
    private static final java.util.Set<String> IPV6_AT_RUN_TIME = java.util.Set.of("dhcpv6", "6in4", "6to4", "6rd", "dslite");

    private static void interfaceSection(HostBuilder b, Uci network, Uci.Section s, Map<String, String> deviceOf,
                                         Map<String, Uci.Section> wireguard, Map<String, Integer> metricOf) {
        String proto = s.get("proto", "none");
        Source where = network.source(s.line, "interface '" + s.name + "' (proto " + proto + ")");
        boolean up = s.flag("auto", true) && !s.flag("disabled", false);
        metricOf.put(s.name, intOption(network, s, "metric", 0));
        if (proto.equals("wireguard")) {
            b.addInterface(s.name, "wireguard", null, up, intOption(network, s, "mtu", 1420), where);
            deviceOf.put(s.name, s.name);
            wireguard.put(s.name, s);
            for (Uci.Value a : s.list("addresses"))
                b.addAddress(s.name, a.text(), network.source(a.line(), "list addresses '" + a.text() + "'"));
            return;
        }
        String device = s.get("device", s.get("ifname"));
        if (device != null && device.contains(" ")) device = null;   // legacy "ifname 'eth0 eth1'" of a bridge
        if ("bridge".equals(s.get("type"))) {
            // OpenWrt before 21.02: the interface itself made the bridge br-NAME from its ifname list
            String bridge = "br-" + s.name;
            if (!b.hasInterface(bridge)) b.addInterface(bridge, "bridge", null, true, 1500, where);
            for (Uci.Value port : s.list(s.has("device") ? "device" : "ifname")) {
                if (!b.hasInterface(port.text())) b.addInterface(port.text(), null, null, true, 1500, network.source(port.line(), port.text()));
                b.setMaster(port.text(), bridge);
            }
            device = bridge;
        }
        if (device == null) {
            if (!proto.equals("none"))
                b.problems().add(new Problem(where, Message.of(Sentences.INTERFACE_NO_DEVICE, s.name)));
            return;
        }
        if (device.startsWith("@") && IPV6_AT_RUN_TIME.contains(proto)) return;   // resolved once every interface is read
        if (device.startsWith("@"))
            throw network.error(s.option("device") != null ? s.option("device").line() : s.line, "alias interfaces (" + device + ") are not simulated");
        deviceOf.put(s.name, device);
        if (!b.hasInterface(device)) b.addInterface(device, null, null, up, intOption(network, s, "mtu", 1500), where);
        if (device.equals("lo")) return;   // the loopback is always there with 127.0.0.1/8
        switch (proto) {
            case "static" -> staticAddresses(b, network, s, device);
            case "none" -> { }
            case "dhcpv6", "static6", "6in4", "6to4", "6rd", "dslite" -> { }   // IPv6 learnt at run time: nothing static to load
            default -> b.problems().add(new Problem(where, Message.of(Sentences.ADDRESS_AT_RUN_TIME, proto, device)));
        }
        if (s.has("ip4table"))
            b.problems().add(new Problem(network.source(s.option("ip4table") != null ? s.option("ip4table").line() : s.line, "ip4table"),
                    Message.of(Sentences.IP4TABLE_RULES)));
    }

    private static void staticAddresses(HostBuilder b, Uci network, Uci.Section s, String device) {
        String netmask = s.get("netmask");
        for (Uci.Value a : s.list("ipaddr")) {
            String text = a.text();
            if (text.contains(":")) {
                // netifd parses ipaddr as IPv4 (proto_apply_static_ip_settings): an IPv6 address belongs in ip6addr
                b.problems().add(new Problem(network.source(a.line(), "ipaddr '" + text + "'"), Message.of(Sentences.IPADDR_IS_IPV6, text, s.name)));
                continue;
            }
            if (!text.contains("/")) {
                int len = 32;
                if (netmask != null) {
                    len = Ip.netmaskLength(netmask);
                    if (len < 0) throw network.error(s.option("netmask").line(), "not a netmask: " + netmask);
                }
                text = text + "/" + len;
            }
            b.addAddress(device, text, network.source(a.line(), "ipaddr '" + a.text() + "'" + (netmask != null && !a.text().contains("/") ? " netmask '" + netmask + "'" : "")));
        }
        // netifd proto_apply_static_ip_settings: ip6addr without a length is a /128
        for (Uci.Value a : s.list("ip6addr"))
            b.addAddress(device, a.text().contains("/") ? a.text() : a.text() + "/128", network.source(a.line(), "ip6addr '" + a.text() + "'"));
    }

    /** The "gateway" of static interfaces, and netifd's host route to each WireGuard endpoint (a host dependency). */
    private static void gatewaysAndEndpoints(HostBuilder b, Uci network, Map<String, String> deviceOf, Map<String, Uci.Section> wireguard,
                                             Map<String, Integer> tables) {
        List<String[]> gateways = new ArrayList<>();   // {gateway, device}
        for (Uci.Section s : network.sections("interface")) {
            String gw = s.get("gateway");
            if (gw == null || gw.equals("0.0.0.0") || !"static".equals(s.get("proto")) || deviceOf.get(s.name) == null) continue;
            String dev = deviceOf.get(s.name);
            StringBuilder text = new StringBuilder("default via " + gw + " dev " + dev);
            if (s.has("metric")) text.append(" metric ").append(s.get("metric"));
            if (s.has("ip4table")) text.append(" table ").append(s.get("ip4table"));
            int line = s.option("gateway").line();
            b.addRoute(IpCommandSyntax.route(text.toString(), network.source(line, text + " (option gateway of interface '" + s.name + "')"), tables));
            gateways.add(new String[] {gw, dev});
        }
        // ip6gw: netifd adds the IPv6 default route only for an interface that has an ip6addr
        List<String[]> gateways6 = new ArrayList<>();
        for (Uci.Section s : network.sections("interface")) {
            String gw = s.get("ip6gw");
            if (gw != null && "static".equals(s.get("proto")) && deviceOf.get(s.name) != null && s.list("ip6addr").isEmpty())
                b.problems().add(new Problem(network.source(s.option("ip6gw").line(), "ip6gw " + gw), Message.of(Sentences.IP6GW_WITHOUT_IP6ADDR, s.name)));
            if (gw == null || !"static".equals(s.get("proto")) || deviceOf.get(s.name) == null || s.list("ip6addr").isEmpty()) continue;
            gateways6.add(new String[] {gw, deviceOf.get(s.name)});
            StringBuilder text = new StringBuilder("-6 default via " + gw + " dev " + deviceOf.get(s.name));
            if (s.has("metric")) text.append(" metric ").append(s.get("metric"));
            String written = text.substring(3);
            b.addRoute(IpCommandSyntax.route(text.toString(), network.source(s.option("ip6gw").line(), written + " (option ip6gw of interface '" + s.name + "')"), tables));
        }
        for (Map.Entry<String, Uci.Section> e : wireguard.entrySet()) {
            for (Uci.Section peer : network.sections("wireguard_" + e.getKey())) {
                String host = endpointHost(peer);
                if (host == null || !Ip.isAddress(host) || !peer.flag("route_allowed_ips", false)) continue;
                List<String[]> ofFamily = Ip.parse(host).isV4() ? gateways : gateways6;
                if (ofFamily.isEmpty()) continue;
                String[] gw = ofFamily.get(0);
                String text = host + " via " + gw[0] + " dev " + gw[1];
                b.addRoute(IpCommandSyntax.route(text, network.source(peer.option("endpoint_host").line(),
                        text + " (netifd keeps the endpoint of " + e.getKey() + " reachable outside the tunnel)"), Map.of()));
            }
        }
    }

    /** proto wireguard: private_key, listen_port, fwmark; peers in "config wireguard_IFACE" sections. */
    private static void wireGuard(HostBuilder b, Uci network, String iface, Uci.Section s, int metric) {
        Source where = network.source(s.line, "interface '" + iface + "' (proto wireguard)");
        String publicKey = null;
        Uci.Value priv = s.option("private_key");
        if (priv != null && !priv.text().isBlank() && !priv.text().startsWith("("))
            publicKey = WireGuardReader.derivePublicKey(priv.text().trim(), network.file(), priv.line());
        else if (s.get("public_key") != null) publicKey = s.get("public_key").trim();
        else b.problems().add(new Problem(where, Message.of(Sentences.WG_NO_PRIVATE_KEY, iface)));
        int listenPort = intOption(network, s, "listen_port", 0);
        long fwmark = 0;
        if (s.get("fwmark") != null) {
            try {
                String m = s.get("fwmark").trim();
                fwmark = m.startsWith("0x") ? Long.parseLong(m.substring(2), 16) : Long.parseLong(m);
            } catch (NumberFormatException e) {
                throw network.error(s.option("fwmark").line(), "not a fwmark: " + s.get("fwmark"));
            }
        }
        List<WireGuardConfig.Peer> peers = new ArrayList<>();
        for (Uci.Section p : network.sections("wireguard_" + iface)) {
            if (p.flag("disabled", false)) continue;
            Source ps = network.source(p.line, p.label() + (p.get("description") != null ? " (" + p.get("description") + ")" : ""));
            Uci.Value key = p.option("public_key");
            if (key == null) throw network.error(p.line, "peer without public_key");
            List<Prefix> allowed = new ArrayList<>();
            Source allowedSource = ps;
            for (Uci.Value a : p.list("allowed_ips")) {
                allowedSource = network.source(a.line(), "list allowed_ips '" + a.text() + "'");
                try {
                    allowed.add(Prefix.parse(a.text()));
                } catch (IllegalArgumentException ex) {
                    throw network.error(a.line(), "not a prefix in allowed_ips: " + a.text());
                }
                if (p.flag("route_allowed_ips", false)) {
                    String text = Prefix.parse(a.text()) + " dev " + iface + (metric != 0 ? " metric " + metric : "");
                    b.addRoute(IpCommandSyntax.route(text, network.source(a.line(), text + " (route_allowed_ips)"), Map.of()));
                }
            }
            Ip epAddr = null;
            int epPort = 0;
            String host = p.get("endpoint_host");
            if (host != null) {
                String bare = endpointHost(p);
                if (Ip.isAddress(bare)) {
                    epAddr = Ip.parse(bare);
                    epPort = intOption(network, p, "endpoint_port", 51820);
                } else {
                    b.problems().add(new Problem(ps, Message.of(Sentences.WG_ENDPOINT_HOST_NAME, host)));
                }
            }
            // netifd's wireguard.sh hands persistent_keepalive to `wg set ... persistent-keepalive`
            int keepalive = intOption(network, p, "persistent_keepalive", 0);
            peers.add(new WireGuardConfig.Peer(key.text().trim(), epAddr, epPort, allowed, ps, allowedSource, null, keepalive));
        }
        b.tunnel(new WireGuardConfig(iface, publicKey, listenPort, fwmark, peers, where));
    }

    /** A peer's endpoint_host without brackets: wireguard.sh writes "endpoint [HOST]:PORT" for an IPv6 address, so either is given. */
    private static String endpointHost(Uci.Section peer) {
        String host = peer.get("endpoint_host");
        return host != null && host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /**
     * config route (IPv4) and config route6 (IPv6): interface, target, netmask (IPv4), gateway, metric, table, type,
     * source, onlink. netifd reads each section for its own family only: an IPv6 target in a route section (or an IPv4
     * one in route6) is refused, and said so here.
     */
    private static void route(HostBuilder b, Uci network, Uci.Section s, Map<String, String> deviceOf, Map<String, Integer> tables,
                              boolean v6) {
        String iface = s.get("interface");
        String target = s.get("target");
        if (target == null) throw network.error(s.line, "config " + s.type + " without option target");
        if (target.contains(":") != v6) {
            b.problems().add(new Problem(network.source(s.option("target").line(), "target '" + target + "'"), Message.of(v6 ? Sentences.ROUTE_IN_ROUTE6 : Sentences.ROUTE6_IN_ROUTE, s.type)));
            return;
        }
        StringBuilder text = new StringBuilder(v6 ? "-6 " : "");
        String type = s.get("type");
        if (type != null && !type.equals("unicast")) text.append(type).append(' ');
        String netmask = s.get("netmask");
        if (!target.contains("/") && netmask != null) {
            int len = Ip.netmaskLength(netmask);
            if (len < 0) throw network.error(s.option("netmask").line(), "not a netmask: " + netmask);
            target = target + "/" + len;
        }
        text.append(target);
        String gw = s.get("gateway");
        if (gw != null && !gw.equals("0.0.0.0")) text.append(" via ").append(gw);
        if (iface != null && (type == null || type.equals("unicast") || type.equals("local"))) {
            String dev = deviceOf.get(iface);
            if (dev == null) throw network.error(s.option("interface").line(), "route: no interface '" + iface + "' with a device");
            text.append(" dev ").append(dev);
        }
        if (s.get("table") != null) text.append(" table ").append(s.get("table"));
        if (s.get("metric") != null) text.append(" metric ").append(s.get("metric"));
        if (s.get("source") != null) text.append(" src ").append(s.get("source").replaceAll("/(32|128)$", ""));
        if (s.flag("onlink", false)) text.append(" onlink");
        String written = v6 ? text.substring(3) : text.toString();
        b.addRoute(IpCommandSyntax.route(text.toString(), network.source(s.line, written + " (config " + s.type + ")"), tables));
    }

    /** config rule and rule6: in, out, src, dest, tos, mark, invert, priority, lookup, goto, action, suppress_prefixlength. */
    private static void rule(HostBuilder b, Uci network, Uci.Section s, Map<String, String> deviceOf, Map<String, Integer> tables,
                             boolean v6) {
        StringBuilder text = new StringBuilder();
        if (s.flag("invert", false)) text.append("not ");
        if (s.get("src") != null) text.append("from ").append(s.get("src")).append(' ');
        if (s.get("dest") != null) text.append("to ").append(s.get("dest")).append(' ');
        for (String[] dir : new String[][] {{"in", "iif"}, {"out", "oif"}}) {
            String iface = s.get(dir[0]);
            if (iface == null) continue;
            String dev = deviceOf.getOrDefault(iface, iface);
            text.append(dir[1]).append(' ').append(dev).append(' ');
        }
        if (s.get("mark") != null) text.append("fwmark ").append(s.get("mark")).append(' ');
        if (s.get("tos") != null) text.append("tos ").append(s.get("tos")).append(' ');
        if (s.get("priority") != null) text.append("priority ").append(s.get("priority")).append(' ');
        if (s.get("lookup") != null) text.append("lookup ").append(s.get("lookup")).append(' ');
        if (s.get("goto") != null) text.append("goto ").append(s.get("goto")).append(' ');
        if (s.get("action") != null) text.append(s.get("action")).append(' ');
        if (s.get("suppress_prefixlength") != null) text.append("suppress_prefixlength ").append(s.get("suppress_prefixlength"));
        String t = text.toString().trim();
        boolean hasV6 = s.get("src") != null && s.get("src").contains(":") || s.get("dest") != null && s.get("dest").contains(":");
        boolean hasV4 = s.get("src") != null && !s.get("src").contains(":") || s.get("dest") != null && !s.get("dest").contains(":");
        if (v6 ? hasV4 : hasV6) {
            b.problems().add(new Problem(network.source(s.line, s.label()), Message.of(v6 ? Sentences.RULE_IN_RULE6 : Sentences.RULE6_IN_RULE, s.type)));
            return;
        }
        b.addRule(IpCommandSyntax.rule((v6 ? "-6 " : "") + t, network.source(s.line, t + " (config " + s.type + ")"), tables));
    }

    private static int intOption(Uci uci, Uci.Section s, String key, int dflt) {
        Uci.Value v = s.option(key);
        if (v == null) return dflt;
        try {
            return Integer.parseInt(v.text().trim());
        } catch (NumberFormatException e) {
            throw uci.error(v.line(), "option " + key + ": not a number: " + v.text());
        }
    }
}
