package roundtrip.importer.openwrt;

import roundtrip.importer.HostBuilder;
import roundtrip.importer.IpCommandSyntax;
import roundtrip.model.Address;
import roundtrip.model.Host;
import roundtrip.model.Interface;
import roundtrip.model.Ip;
import roundtrip.model.Network;
import roundtrip.model.Packet;
import roundtrip.model.Prefix;
import roundtrip.model.Probe;
import roundtrip.model.Route;
import roundtrip.model.Segment;
import roundtrip.model.Source;
import roundtrip.netfilter.Ruleset;
import roundtrip.netfilter.nft.NftJsonReader;
import roundtrip.sim.ProbeResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One configuration of src/test/resources/fw4 (our own /etc/config/network and /etc/config/firewall, with the ruleset
 * firewall4 itself generated from them, fw4.nft, and the kernel's listing of it, fw4.json) as a network to probe: the
 * router read from its configuration, one host on each of its IPv4 subnets, and one for each address of those subnets
 * that the firewall configuration names (the NAS a port forward reaches, the children's tablet a rule rejects), so that
 * the rules about them are exercised. The host on the subnet of the router's gateway is that gateway: the internet,
 * routing back to the router's networks, and holding the outside addresses the configuration names; the other hosts
 * route by the router. The router's interfaces are plain links: how a tunnel carries a packet is not what the firewall
 * decides.
 */
final class Fw4Fixture {
    static final Path ROOT = Path.of("src/test/resources/fw4");

    final String name;
    final Path dir;
    final Host routerOurs, routerFw4;
    final List<Host> hosts = new ArrayList<>();
    final List<Segment> segments = new ArrayList<>();
    final List<Probe> probes = new ArrayList<>();

    static List<Fw4Fixture> all() {
        try (Stream<Path> s = Files.list(ROOT)) {
            return s.filter(d -> Files.exists(d.resolve("firewall"))).sorted().map(Fw4Fixture::new).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Fw4Fixture(Path dir) {
        this.dir = dir;
        this.name = dir.getFileName().toString();
        Uci network = Uci.parse(dir.resolve("network").toString(), read(dir.resolve("network")), 1);
        Uci firewall = Uci.parse(dir.resolve("firewall").toString(), read(dir.resolve("firewall")), 1);
        HostBuilder b = new HostBuilder("router", dir.resolve("network").toString(), 1);
        UciReader.read(b, network, firewall);
        Host r = plainLinks(b.build());
        routerOurs = r;
        routerFw4 = withFirewall(r, NftJsonReader.parse(dir.resolve("fw4.json").toString(), read(dir.resolve("fw4.json"))));
        buildHosts(network, firewall);
        buildProbes(firewall);
    }

    Network network(boolean fw4) {
        List<Host> all = new ArrayList<>();
        all.add(fw4 ? routerFw4 : routerOurs);
        all.addAll(hosts);
        return new Network(all, segments);
    }

    /** What a probe's outcome is for the comparison: verdict, where the request arrived, the data exchange. */
    static String outcome(ProbeResult r) {
        return r.verdict() + (r.request().delivered() ? " at " + r.request().deliveredTo() : "")
                + (r.data() != null && r.verdict() == ProbeResult.Verdict.ROUND_TRIP_OK ? (r.data().delivered() ? " data" : " no-data") : "");
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Host withFirewall(Host h, Ruleset fw) {
        return new Host(h.name(), new ArrayList<>(h.interfaces().values()), h.routes(), h.rules(), fw, h.sysctls(), h.listeners(),
                h.problems(), h.tunnels(), h.firewallConfig());
    }

    /** The router with its tunnels as plain links: the firewall sees only the device's name. */
    private static Host plainLinks(Host h) {
        List<Interface> ifaces = new ArrayList<>();
        for (Interface i : h.interfaces().values())
            ifaces.add(i.kind() != null && (i.kind().equals("wireguard") || i.kind().equals("tun"))
                    ? new Interface(i.name(), i.index(), null, i.master(), i.up(), false, i.mac(), i.mtu(), i.addresses()) : i);
        return new Host(h.name(), ifaces, h.routes(), h.rules(), h.firewall(), h.sysctls(), h.listeners(), h.problems(), List.of(),
                h.firewallConfig());
    }

    // ------------------------------------------------------------------------------------------- hosts

    private record Subnet(String host, String device, Address router, Prefix prefix) {}

    /** One host of the fixture: its name, the subnet it is on, its addresses ("A/LEN"). */
    private record Machine(String name, Subnet subnet, List<String> addresses) {}

    private void buildHosts(Uci network, Uci firewall) {
        // the subnets of the router: a host each, on the router's device (a port of it when it is a bridge)
        List<Subnet> subnets = new ArrayList<>();
        Map<String, String> gateways = new LinkedHashMap<>();   // device -> gateway address of an interface on it
        for (Uci.Section s : network.sections("interface"))
            if (s.get("gateway") != null) gateways.put(deviceOf(s), s.get("gateway"));
        for (Interface i : routerOurs.interfaces().values()) {
            if (i.isLoopback()) continue;
            List<Prefix> seen = new ArrayList<>();
            for (Address a : i.addresses()) {
                if (!a.local().isV4()) continue;   // the fixture probes IPv4: IPv6 is not simulated yet
                if (seen.contains(a.subnet())) continue;   // a second router address in a subnet: the same host serves it
                seen.add(a.subnet());
                subnets.add(new Subnet("h-" + i.name().replace('.', '-') + (seen.size() > 1 ? "-" + seen.size() : ""), i.name(), a, a.subnet()));
            }
        }
        Map<String, Machine> machines = new LinkedHashMap<>();
        Set<Ip> taken = new LinkedHashSet<>();
        Subnet outside = null;
        for (Subnet s : subnets) {
            String gw = gateways.get(s.device());
            boolean isGateway = gw != null && s.prefix().contains(Ip.parse(gw));
            Ip addr = isGateway ? Ip.parse(gw) : hostAddress(s.prefix(), s.router().local());
            if (isGateway) outside = s;
            machines.put(s.host(), new Machine(s.host(), s, new ArrayList<>(List.of(addr.toString() + "/" + s.prefix().len()))));
            taken.add(addr);
        }
        // networks the router reaches through a device (a WireGuard peer's network): an address there for that device's host
        for (Route rt : routerOurs.routes()) {
            if (rt.dev() == null || rt.gateway() != null || rt.dst().len() == 0 || rt.table() != Route.TABLE_MAIN || !rt.dst().addr().isV4()) continue;
            if (subnets.stream().anyMatch(x -> x.prefix().contains(rt.dst()))) continue;
            for (Subnet s : subnets)
                if (s.device().equals(rt.dev())) {
                    Ip a = hostAddress(rt.dst(), null);
                    machines.get(s.host()).addresses().add(a.toString() + "/" + rt.dst().len());
                    taken.add(a);
                    break;
                }
        }
        // the addresses the firewall configuration names: a host of their own in a subnet of the router (the NAS,
        // the children's tablet), else an address of the internet (the gateway's side)
        for (Ip a : literals(firewall)) {
            if (taken.contains(a)) continue;
            Subnet in = null;
            for (Subnet s : subnets) if (s.prefix().contains(a)) in = s;
            if (in != null && routerOurs.ownsAddress(a)) continue;
            taken.add(a);
            if (in != null) {
                String n = in.host() + "-" + (a.v4() & 0xff);
                machines.put(n, new Machine(n, in, new ArrayList<>(List.of(a.toString() + "/" + in.prefix().len()))));
            } else if (outside != null) {
                machines.get(outside.host()).addresses().add(a.toString() + "/32");
            }
        }
        Map<String, List<String>> members = new LinkedHashMap<>();
        for (Machine m : machines.values()) {
            HostBuilder hb = new HostBuilder(m.name(), "fw4 fixture " + name, 1);
            hb.addInterface("eth0", null, null, true, 1500, src(m.name()));
            for (String a : m.addresses()) hb.addAddress("eth0", a, src(m.name()));
            String via = m.subnet().router().local().toString();
            if (m.subnet() == outside) {
                // the internet: back to every other network of the router by its address here
                for (Subnet o : subnets) if (!o.prefix().equals(m.subnet().prefix())) route(hb, o.prefix() + " via " + via);
                for (Route rt : routerOurs.routes())
                    if (rt.dev() != null && rt.gateway() == null && rt.dst().len() > 0 && rt.table() == Route.TABLE_MAIN && rt.dst().addr().isV4()
                            && subnets.stream().noneMatch(x -> x.prefix().contains(rt.dst())))
                        route(hb, rt.dst() + " via " + via);
            } else {
                route(hb, "default via " + via);
            }
            hosts.add(hb.build());
            String attach = attachment(m.subnet().device());
            members.computeIfAbsent(attach, k -> new ArrayList<>(List.of("router:" + attach))).add(m.name() + ":eth0");
        }
        for (Map.Entry<String, List<String>> e : members.entrySet()) {
            List<Segment.Attachment> att = new ArrayList<>();
            for (String m : e.getValue()) att.add(new Segment.Attachment(m.substring(0, m.indexOf(':')), m.substring(m.indexOf(':') + 1)));
            segments.add(new Segment("seg-" + e.getKey(), att));
        }
    }

    private String deviceOf(Uci.Section s) { return s.get("device", s.get("ifname", s.name)); }

    private static Source src(String host) { return new Source("fw4 fixture", 0, host); }

    private static void route(HostBuilder hb, String text) {
        hb.addRoute(IpCommandSyntax.route(text, new Source("fw4 fixture", 0, text), Map.of()));
    }

    /** The segment a subnet's host joins: the router's device, or the bridge's port (one segment per device). */
    private String attachment(String device) {
        List<String> ports = new ArrayList<>();
        for (Interface i : routerOurs.interfaces().values()) if (device.equals(i.master())) ports.add(i.name());
        return ports.isEmpty() ? device : ports.get(0);
    }

    /** The subnet's 100th address (or its first) that is not the router's. */
    private static Ip hostAddress(Prefix p, Ip router) {
        if (p.len() == 32) return p.addr();
        long size = 1L << (32 - p.len());
        for (long off : new long[] {100, 10, 1, 2})
            if (off < size - 1 && !p.addr().plus(off).equals(router)) return p.addr().plus(off);
        throw new IllegalStateException("no host address in " + p);
    }

    private static final Pattern IPV4 = Pattern.compile("(?<![0-9.])(\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3})(/(\\d+))?(?![0-9.])");

    /** The IPv4 host addresses a firewall configuration names (not prefixes, masks or special addresses). */
    private static Set<Ip> literals(Uci firewall) {
        Set<Ip> out = new TreeSet<>();
        for (Uci.Section s : firewall.sections())
            for (String k : s.keys())
                for (Uci.Value v : s.list(k)) {
                    Matcher m = IPV4.matcher(v.text());
                    while (m.find()) {
                        if (m.group(3) != null && !m.group(3).equals("32")) continue;
                        if (!Ip.isV4Address(m.group(1))) continue;
                        Ip a = Ip.parseV4(m.group(1));
                        if (a.isZeroNet() || a.isLoopback() || a.isMulticast() || (a.v4() >>> 24) == 255) continue;
                        out.add(a);
                    }
                }
        return out;
    }

    // ------------------------------------------------------------------------------------------- probes

    /** a protocol and port to probe */
    record Service(int proto, int port) {
        String text() { return proto == Packet.ICMP ? "icmp" : (proto == Packet.TCP ? "tcp" : "udp") + "/" + port; }
    }

    /**
     * Every host address (and the router) to every other host's addresses and every router address, with tcp/22,
     * tcp/80, udp/53, ping, and the ports the configuration names (rules' and redirects' destination ports, port
     * forwards' outside ports) with the protocols it names them for.
     */
    private void buildProbes(Uci firewall) {
        Set<Service> services = new LinkedHashSet<>(List.of(new Service(Packet.TCP, 22), new Service(Packet.TCP, 80),
                new Service(Packet.UDP, 53), new Service(Packet.ICMP, 0)));
        for (Uci.Section s : firewall.sections()) {
            Set<Integer> protos = new LinkedHashSet<>();
            String proto = String.join(" ", s.list("proto").stream().map(Uci.Value::text).toList()).toLowerCase();
            if (proto.isEmpty() || proto.contains("tcpudp") || proto.contains("all") || proto.contains("any")) { protos.add(Packet.TCP); protos.add(Packet.UDP); }
            if (proto.matches(".*\\b(tcp|6)\\b.*")) protos.add(Packet.TCP);
            if (proto.matches(".*\\b(udp|17)\\b.*")) protos.add(Packet.UDP);
            for (String k : List.of("dest_port", "src_dport"))
                for (Uci.Value v : s.list(k)) {
                    Matcher m = Pattern.compile("(\\d+)").matcher(v.text());
                    if (!m.find()) continue;
                    for (int p : protos) services.add(new Service(p, Integer.parseInt(m.group(1))));
                }
        }
        Map<String, List<Ip>> addrs = new LinkedHashMap<>();
        for (Host h : hosts) {
            List<Ip> l = new ArrayList<>();
            for (Address a : h.iface("eth0").addresses()) if (a.local().isV4()) l.add(a.local());
            addrs.put(h.name(), l);
        }
        List<Ip> routerAddrs = new ArrayList<>();
        for (Interface i : routerOurs.interfaces().values())
            if (!i.isLoopback()) for (Address a : i.addresses()) if (a.local().isV4()) routerAddrs.add(a.local());
        int n = 0;
        for (Host from : hosts)
            for (Ip src : addrs.get(from.name())) {
                List<Ip> targets = new ArrayList<>(routerAddrs);
                for (Host to : hosts) if (to != from) targets.addAll(addrs.get(to.name()));
                for (Ip dst : targets)
                    for (Service sv : services)
                        probes.add(probe(++n, from.name(), src, dst, sv));
            }
        for (Host to : hosts)
            for (Ip dst : addrs.get(to.name()))
                for (Service sv : services) probes.add(probe(++n, "router", null, dst, sv));
    }

    private static Probe probe(int n, String from, Ip src, Ip dst, Service sv) {
        String id = "p" + n + "-" + from + (src != null ? "-" + src : "") + "-" + dst + "-" + sv.text();
        return new Probe(id, from, src, dst, sv.proto(), sv.port(), null, null);
    }
}
