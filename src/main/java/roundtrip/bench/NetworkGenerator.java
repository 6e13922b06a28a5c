package roundtrip.bench;

import roundtrip.model.Address;
import roundtrip.model.Host;
import roundtrip.model.Interface;
import roundtrip.model.Ip;
import roundtrip.model.Listener;
import roundtrip.model.Network;
import roundtrip.model.Packet;
import roundtrip.model.Prefix;
import roundtrip.model.Probe;
import roundtrip.model.Route;
import roundtrip.model.RouteType;
import roundtrip.model.Rule;
import roundtrip.model.Segment;
import roundtrip.model.Source;
import roundtrip.model.Sysctls;
import roundtrip.netfilter.Ruleset;
import roundtrip.netfilter.iptables.IptablesRuleset;
import roundtrip.netfilter.iptables.IptablesSaveParser;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Generates a large, deterministic (seeded) network for benchmarks: a full mesh of core routers joined by
 * point-to-point /30 links, edge routers hanging off the cores by /30 uplinks, each edge router with a /24 LAN
 * of a few hosts. Hosts route by default to their edge router, edge routers by default to their core, cores
 * carry one route per LAN. On top: filler routes (branch offices, bogon blackholes, policy tables) up to the
 * requested route count, policy rules on some edge routers and hosts, and iptables rulesets (raw, mangle with
 * MARK/CONNMARK, nat with DNAT/SNAT/MASQUERADE, filter with user chains, DROP policies) up to the requested rule
 * count. The rulesets are written as iptables-save text and read by the real {@link IptablesSaveParser}. Most
 * rules are written so that they do not match the generated probes, so chains are walked in full; a minority
 * decide: some services are allowed, others dropped or rejected, some hosts have closed ports, some edges NAT.
 *
 * <p>Addressing: LAN of edge e = 10.(16 + e/256).(e%256).0/24 (edge .1, hosts .10, .11, ...); uplink of edge e =
 * 10.254.(e/64).(4*(e%64))/30 (core .1, edge .2); core link i = 10.255.(i/64).(4*(i%64))/30.
 */
public final class NetworkGenerator {
    /** What to generate. {@code rules} and {@code routes} are targets: the result is close, not exact. */
    public record Config(int hosts, int rules, int routes, int probes, long seed) {
        public static Config defaults() { return new Config(200, 10_000, 1_000, 1_000, 1); }
    }

    /**
     * The generated network and probes. {@code routes} counts routes outside table local; {@code localRoutes} the
     * kernel's local/broadcast routes of table local; {@code rules} the iptables rules as the parser holds them.
     */
    public record Generated(Network network, List<Probe> probes, int hosts, int routers, int lans, int rules,
                            int routes, int localRoutes, int policyRules, Map<String, String> iptablesSave) {}

    private static final int[] TCP_PORTS = {22, 80, 443, 8080, 3306, 5432};
    private static final int[] UDP_PORTS = {53, 123, 161};

    private final Config cfg;
    private final Random rnd;
    private final Consumer<Step> progress;

    /** What a generation step made: {@code done} of {@code total} (the same when the kind is made at once). */
    public enum Kind { CORE_ROUTERS, EDGE_ROUTERS, HOSTS, PROBES }

    /** A step of the generation, for progress: bench words it (in English or Chinese). */
    public record Step(Kind kind, int done, int total) {}

    private final int cores;
    private final int edges;
    private final int endHosts;

    /** per edge: its core, the LAN hosts' names and addresses, and what its firewall lets in */
    private final int[] edgeCore;
    private final List<List<String>> lanHosts = new ArrayList<>();
    private final List<List<Integer>> lanAddrs = new ArrayList<>();
    private final boolean[] edgeMasquerades;
    private final boolean[] edgePolicy;

    private final List<Host> hosts = new ArrayList<>();
    private final List<Segment> segments = new ArrayList<>();
    private final Map<String, String> iptablesSave = new LinkedHashMap<>();
    private int ruleCount, routeCount, localRouteCount, policyRuleCount;

    private NetworkGenerator(Config cfg, Consumer<Step> progress) {
        if (cfg.hosts() < 6) throw new IllegalArgumentException("--hosts must be at least 6");
        this.cfg = cfg;
        this.rnd = new Random(cfg.seed());
        this.progress = progress == null ? s -> { } : progress;
        this.cores = Math.max(2, Math.min(8, cfg.hosts() / 40));
        this.edges = Math.max(2, Math.min(60_000, (cfg.hosts() - cores) / 6));
        this.endHosts = cfg.hosts() - cores - edges;
        if (endHosts < edges) throw new IllegalArgumentException("too few hosts for the topology");
        this.edgeCore = new int[edges];
        this.edgeMasquerades = new boolean[edges];
        this.edgePolicy = new boolean[edges];
        for (int e = 0; e < edges; e++) {
            edgeCore[e] = e % cores;
            edgeMasquerades[e] = e % 5 == 3;
            edgePolicy[e] = e % 3 == 0;
            lanHosts.add(new ArrayList<>());
            lanAddrs.add(new ArrayList<>());
        }
        for (int j = 0; j < endHosts; j++) {
            int e = j % edges;
            int k = j / edges;
            lanHosts.get(e).add(String.format("h%03d-%d", e, k));
            lanAddrs.get(e).add(lanAddr(e, 10 + k));
        }
    }

    /** Generates the network and its probes; {@code progress} (may be null) gets a step now and then. */
    public static Generated generate(Config cfg, Consumer<Step> progress) {
        return new NetworkGenerator(cfg, progress).build();
    }

    // ------------------------------------------------------------------------------------------ addressing

    static int lanNet(int e) { return Ip.parseV4("10.16.0.0").v4() + (e << 8); }
    static int lanAddr(int e, int host) { return lanNet(e) + host; }
    static int uplinkNet(int e) { return Ip.parseV4("10.254.0.0").v4() + (e / 64 << 8) + 4 * (e % 64); }
    static int coreLinkNet(int i) { return Ip.parseV4("10.255.0.0").v4() + (i / 64 << 8) + 4 * (i % 64); }

    private int coreLinkIndex(int a, int b) {
        int lo = Math.min(a, b), hi = Math.max(a, b), idx = 0;
        for (int i = 0; i < lo; i++) idx += cores - 1 - i;
        return idx + (hi - lo - 1);
    }

    static String coreName(int c) { return String.format("core%02d", c); }
    static String edgeName(int e) { return String.format("edge%03d", e); }

    // ------------------------------------------------------------------------------------------ build

    private Generated build() {
        // filler routes: whatever the structure does not already give, spread over the routers
        int structural = structuralRouteCount();
        int filler = Math.max(0, cfg.routes() - structural);
        int routers = cores + edges;
        int[] fillerPer = new int[routers];
        for (int i = 0; i < filler; i++) fillerPer[i % routers]++;

        // rule budgets: routers weigh 6, end hosts 1
        double unit = (double) cfg.rules() / (routers * 6 + endHosts);
        int routerBudget = (int) Math.round(unit * 6), hostBudget = (int) Math.round(unit);

        for (int c = 0; c < cores; c++) {
            hosts.add(core(c, fillerPer[c], routerBudget));
        }
        progress.accept(new Step(Kind.CORE_ROUTERS, cores, cores));
        for (int e = 0; e < edges; e++) {
            hosts.add(edge(e, fillerPer[cores + e], routerBudget));
            if ((e + 1) % 50 == 0) progress.accept(new Step(Kind.EDGE_ROUTERS, e + 1, edges));
        }
        int done = 0;
        for (int e = 0; e < edges; e++) {
            for (int k = 0; k < lanHosts.get(e).size(); k++) {
                hosts.add(endHost(e, k, hostBudget));
                if (++done % 200 == 0) progress.accept(new Step(Kind.HOSTS, done, endHosts));
            }
        }
        // segments: core mesh, uplinks, LANs
        for (int a = 0; a < cores; a++)
            for (int b = a + 1; b < cores; b++)
                segments.add(new Segment("core-" + a + "-" + b, List.of(
                        new Segment.Attachment(coreName(a), "c" + b), new Segment.Attachment(coreName(b), "c" + a))));
        for (int e = 0; e < edges; e++) {
            segments.add(new Segment("uplink-" + e, List.of(
                    new Segment.Attachment(coreName(edgeCore[e]), "e" + e), new Segment.Attachment(edgeName(e), "up0"))));
            List<Segment.Attachment> lan = new ArrayList<>();
            lan.add(new Segment.Attachment(edgeName(e), "lan0"));
            for (String h : lanHosts.get(e)) lan.add(new Segment.Attachment(h, "eth0"));
            segments.add(new Segment("lan-" + e, lan));
        }
        Network net = new Network(hosts, segments);
        List<Probe> probes = probes();
        progress.accept(new Step(Kind.PROBES, probes.size(), probes.size()));
        return new Generated(net, probes, hosts.size(), routers, edges, ruleCount, routeCount, localRouteCount, policyRuleCount,
                java.util.Collections.unmodifiableMap(iptablesSave));
    }

    private int structuralRouteCount() {
        int n = 0;
        // core: connected links to other cores and to its edges, one route per LAN, the other cores' uplink nets
        n += cores * (cores - 1) + edges + cores * edges + (cores - 1) * edges;
        // edge: LAN + uplink connected, default; policy edges also tables 100 and 101 (2 + 1)
        for (int e = 0; e < edges; e++) n += 3 + (edgePolicy[e] ? 3 : 0);
        // end hosts: connected + default (+ a policy table on some)
        n += endHosts * 2;
        for (int e = 1; e < edges; e += 4) if (lanHosts.get(e).size() > 1) n++;
        return n;
    }

    // ------------------------------------------------------------------------------------------ hosts

    /** Collects one host's interfaces and routes; adds the kernel's local-table routes for every address. */
    private final class HostBuilder {
        final String name;
        final List<Interface> ifaces = new ArrayList<>();
        final List<Route> routes = new ArrayList<>();
        final List<Rule> rules = new ArrayList<>();
        final Map<String, String> sysctl = new LinkedHashMap<>();

        HostBuilder(String name) {
            this.name = name;
            Address lo = new Address(Ip.V4_LOOPBACK, 8, null, "host", false);
            ifaces.add(new Interface("lo", 1, "loopback", null, true, false, "00:00:00:00:00:00", 65536, List.of(lo)));
            local(RouteType.LOCAL, Prefix.parse("127.0.0.0/8"), "lo", lo.local(), "host");
            local(RouteType.LOCAL, Prefix.host(lo.local()), "lo", lo.local(), "host");
            local(RouteType.BROADCAST, Prefix.parse("127.255.255.255"), "lo", lo.local(), "link");
            sysctl.put("net.netfilter.nf_conntrack_tcp_loose", "1");
            sysctl.put("net.netfilter.nf_conntrack_tcp_be_liberal", "0");
        }

        void iface(String dev, int addr, int len) {
            int index = ifaces.size() + 1;
            String mac = String.format("52:54:00:%02x:%02x:%02x", (name.hashCode() >>> 8) & 0xff, name.hashCode() & 0xff, index);
            Address a = new Address(Ip.v4(addr), len, null, "global", false);
            ifaces.add(new Interface(dev, index, null, null, true, false, mac, 1500, List.of(a)));
            // `ip addr add` adds the connected route and, in table local, the local and broadcast routes
            Prefix subnet = new Prefix(Ip.v4(addr), len);
            route(new Route(Route.TABLE_MAIN, RouteType.UNICAST, subnet, null, dev, a.local(), 0, "link", 0, false, Source.NONE), "proto kernel");
            local(RouteType.LOCAL, Prefix.host(a.local()), dev, a.local(), "host");
            if (len < 31) local(RouteType.BROADCAST, Prefix.host(subnet.last()), dev, a.local(), "link");
        }

        private void local(RouteType type, Prefix dst, String dev, Ip src, String scope) {
            Route r = new Route(Route.TABLE_LOCAL, type, dst, null, dev, src, 0, scope, 0, false, Source.NONE);
            routes.add(withSource(r, ""));
            localRouteCount++;
        }

        void route(Route r, String extra) {
            routes.add(withSource(r, extra));
            routeCount++;
        }

        void via(int table, Prefix dst, int gw, String dev, int metric) {
            route(new Route(table, RouteType.UNICAST, dst, Ip.v4(gw), dev, null, metric, "global", 0, false, Source.NONE), "proto static");
        }

        void rule(int priority, Prefix from, Long fwmark, long fwmask, int table) {
            Rule r = new Rule(Ip.Family.IPV4, priority, false, from, null, fwmark, fwmask, null, null, null, "table", table, 0, -1, Source.NONE);
            rules.add(new Rule(r.family(), r.priority(), r.not(), r.from(), r.to(), r.fwmark(), r.fwmask(), r.iif(), r.oif(), r.tos(),
                    r.action(), r.table(), r.gotoPriority(), r.suppressPrefixLength(),
                    new Source("generated/" + name + "/ip-rule", rules.size() + 1, r.text())));
        }

        /** Custom rules: the kernel's three defaults plus these (call before adding custom ones). */
        void defaultRules() {
            rule(0, null, null, 0, Route.TABLE_LOCAL);
            rule(32766, null, null, 0, Route.TABLE_MAIN);
            rule(32767, null, null, 0, Route.TABLE_DEFAULT);
        }

        private Route withSource(Route r, String extra) {
            String text = r.text() + (extra.isEmpty() ? "" : " " + extra);
            return new Route(r.table(), r.type(), r.dst(), r.gateway(), r.dev(), r.prefSrc(), r.metric(), r.scope(),
                    r.tos(), r.onlink(), new Source("generated/" + name + "/ip-route", routes.size() + 1, text));
        }

        Host build(String iptables, List<Listener> listeners) {
            Ruleset fw = null;
            if (iptables != null) {
                IptablesRuleset rs = IptablesSaveParser.parseRuleset("generated/" + name + "/iptables-save.txt", iptables);
                if (!rs.problems().isEmpty())
                    throw new IllegalStateException("generated rules not understood: " + rs.problems().get(0));
                ruleCount += rs.size();
                fw = rs;
                iptablesSave.put(name, iptables);
            }
            Map<String, Source> sources = new HashMap<>();
            for (String k : sysctl.keySet()) sources.put(k, new Source("generated/" + name + "/sysctl.txt", 0, k + " = " + sysctl.get(k)));
            policyRuleCount += Math.max(0, rules.size() - 3);
            return new Host(name, ifaces, routes, rules.isEmpty() ? defaultRuleList() : rules, fw,
                    new Sysctls(sysctl, sources), listeners, List.of());
        }

        private List<Rule> defaultRuleList() {
            defaultRules();
            return rules;
        }
    }

    private Host core(int c, int filler, int ruleBudget) {
        HostBuilder b = new HostBuilder(coreName(c));
        for (int o = 0; o < cores; o++) {
            if (o == c) continue;
            int net = coreLinkNet(coreLinkIndex(c, o));
            b.iface("c" + o, net + (c < o ? 1 : 2), 30);
        }
        for (int e = 0; e < edges; e++) if (edgeCore[e] == c) b.iface("e" + e, uplinkNet(e) + 1, 30);
        for (int e = 0; e < edges; e++) {
            int owner = edgeCore[e];
            if (owner == c) {
                b.via(Route.TABLE_MAIN, new Prefix(Ip.v4(lanNet(e)), 24), uplinkNet(e) + 2, "e" + e, 20);
            } else {
                int net = coreLinkNet(coreLinkIndex(c, owner));
                b.via(Route.TABLE_MAIN, new Prefix(Ip.v4(lanNet(e)), 24), net + (owner < c ? 1 : 2), "c" + owner, 20);
                // the other core's uplinks, so MASQUERADEd traffic (from an edge's uplink address) finds its way back
                b.via(Route.TABLE_MAIN, new Prefix(Ip.v4(uplinkNet(e)), 30), net + (owner < c ? 1 : 2), "c" + owner, 20);
            }
        }
        int firstPeer = c == 0 ? 1 : 0;
        int peerGw = coreLinkNet(coreLinkIndex(c, firstPeer)) + (firstPeer < c ? 1 : 2);
        fillerRoutes(b, filler, peerGw, "c" + firstPeer, false);
        b.sysctl.put("net.ipv4.ip_forward", "1");
        b.sysctl.put("net.ipv4.conf.all.rp_filter", "0");
        return b.build(coreFirewall(c, ruleBudget), null);
    }

    private Host edge(int e, int filler, int ruleBudget) {
        HostBuilder b = new HostBuilder(edgeName(e));
        int up = uplinkNet(e) + 2, gw = uplinkNet(e) + 1;
        b.iface("lan0", lanAddr(e, 1), 24);
        b.iface("up0", up, 30);
        b.via(Route.TABLE_MAIN, Prefix.ANY, gw, "up0", 0);
        if (edgePolicy[e]) {
            b.defaultRules();
            b.rule(100, null, 0x10L, 0xffL, 100);
            b.rule(200, new Prefix(Ip.v4(lanAddr(e, 128)), 25), null, 0, 101);
            b.route(new Route(100, RouteType.UNICAST, new Prefix(Ip.v4(lanNet(e)), 24), null, "lan0", Ip.v4(lanAddr(e, 1)), 0, "link", 0, false, Source.NONE), "");
            b.via(100, Prefix.ANY, gw, "up0", 0);
            b.via(101, Prefix.ANY, gw, "up0", 0);
        }
        fillerRoutes(b, filler, gw, "up0", true);
        b.sysctl.put("net.ipv4.ip_forward", "1");
        b.sysctl.put("net.ipv4.conf.all.rp_filter", e % 2 == 0 ? "1" : "2");
        b.sysctl.put("net.ipv4.conf.all.src_valid_mark", edgePolicy[e] ? "1" : "0");
        return b.build(edgeFirewall(e, ruleBudget), null);
    }

    private Host endHost(int e, int k, int ruleBudget) {
        String name = lanHosts.get(e).get(k);
        HostBuilder b = new HostBuilder(name);
        int addr = lanAddrs.get(e).get(k);
        b.iface("eth0", addr, 24);
        b.route(new Route(Route.TABLE_MAIN, RouteType.UNICAST, Prefix.ANY, Ip.v4(lanAddr(e, 1)), "eth0", Ip.v4(addr), 100, "global", 0,
                false, Source.NONE), "proto dhcp");
        if (k == 1 && e % 4 == 1) {
            // a host with its own source-based table (e.g. left over from a VPN setup)
            b.defaultRules();
            b.rule(1000, Prefix.host(Ip.v4(addr)), null, 0, 50);
            b.via(50, Prefix.ANY, lanAddr(e, 1), "eth0", 0);
        }
        b.sysctl.put("net.ipv4.ip_forward", "0");
        b.sysctl.put("net.ipv4.conf.all.rp_filter", "2");
        List<Listener> listeners = null;
        if (e % 4 == 2) {
            listeners = List.of(new Listener(Packet.TCP, null, 22), new Listener(Packet.TCP, null, 443),
                    new Listener(Packet.UDP, null, 53));
        }
        return b.build(hostFirewall(e, k, ruleBudget), listeners);
    }

    /** Routes that never carry the probes: branch offices via the upstream, bogon blackholes. */
    private void fillerRoutes(HostBuilder b, int n, int gw, String dev, boolean blackholes) {
        for (int i = 0; i < n; i++) {
            int pick = rnd.nextInt(10);
            if (blackholes && pick < 3) {
                Prefix p = new Prefix(Ip.v4(Ip.parseV4("192.168.0.0").v4() + (rnd.nextInt(256) << 8)), 24);
                b.route(new Route(Route.TABLE_MAIN, RouteType.BLACKHOLE, p, null, null, null, 0, "global", 0, false, Source.NONE), "");
            } else {
                int len = 20 + rnd.nextInt(9);
                Prefix p = new Prefix(Ip.v4(Ip.parseV4("172.16.0.0").v4() + rnd.nextInt(1 << 20)), len);
                b.via(Route.TABLE_MAIN, p, gw, dev, 10 * rnd.nextInt(5));
            }
        }
    }

    // ------------------------------------------------------------------------------------------ firewalls

    /** iptables-save text of one table, with filler appended to chains until the budget is spent. */
    private static final class Table {
        final String name;
        final Map<String, String> policies = new LinkedHashMap<>();
        final Map<String, List<String>> chains = new LinkedHashMap<>();
        Table(String name) { this.name = name; }
        Table builtin(String chain, String policy) { policies.put(chain, policy); chains.put(chain, new ArrayList<>()); return this; }
        Table user(String chain) { policies.put(chain, "-"); chains.put(chain, new ArrayList<>()); return this; }
        Table add(String chain, String rule) { chains.get(chain).add(rule); return this; }
        int size() { int n = 0; for (List<String> l : chains.values()) n += l.size(); return n; }
        void write(StringBuilder sb) {
            sb.append('*').append(name).append('\n');
            for (Map.Entry<String, String> p : policies.entrySet())
                sb.append(':').append(p.getKey()).append(' ').append(p.getValue()).append(" [0:0]\n");
            for (Map.Entry<String, List<String>> c : chains.entrySet())
                for (String r : c.getValue()) sb.append("-A ").append(c.getKey()).append(' ').append(r).append('\n');
            sb.append("COMMIT\n");
        }
    }

    private static String ip(int a) { return Ip.v4(a).toString(); }

    /** An address no generated host has (TEST-NET, benchmarking and CGNAT ranges). */
    private String foreignAddr() {
        return switch (rnd.nextInt(4)) {
            case 0 -> "198.18." + rnd.nextInt(256) + "." + (1 + rnd.nextInt(254));
            case 1 -> "192.0.2." + (1 + rnd.nextInt(254));
            case 2 -> "203.0.113." + (1 + rnd.nextInt(254));
            default -> "100." + (64 + rnd.nextInt(64)) + "." + rnd.nextInt(256) + "." + (1 + rnd.nextInt(254));
        };
    }

    private String foreignNet() {
        int len = 16 + rnd.nextInt(17);
        return Prefix.parse(foreignAddr() + "/" + len).toString() + (len == 32 ? "/32" : "");
    }

    /** A port no probe uses. */
    private int foreignPort() { return 10_000 + rnd.nextInt(20_000); }

    /**
     * One rule that the generated probes do not match, of a varied shape so the evaluator's different matches
     * run: some fail on the address, others only in an extension match after the address part passed.
     */
    private String fillerRule(String verdict, String inDev, String outDev) {
        String io = (inDev != null && rnd.nextBoolean() ? "-i " + inDev + " " : "") + (outDev != null && rnd.nextInt(3) == 0 ? "-o " + outDev + " " : "");
        return switch (rnd.nextInt(10)) {
            case 0, 1 -> "-s " + foreignNet() + " " + io + "-j " + verdict;
            case 2 -> "-d " + foreignNet() + " " + io + "-p tcp -m tcp --dport " + foreignPort() + " -j " + verdict;
            case 3 -> io + "-p tcp -m multiport --dports " + foreignPort() + "," + foreignPort() + "," + foreignPort() + " -j " + verdict;
            case 4 -> io + "-p udp -m udp --dport " + foreignPort() + " -m conntrack --ctstate NEW -j " + verdict;
            case 5 -> io + "-m mark --mark 0x" + Integer.toHexString(0x100 + rnd.nextInt(0xf00)) + "/0xfff -j " + verdict;
            case 6 -> "-i tun" + rnd.nextInt(8) + " " + "-s 10." + rnd.nextInt(16) + ".0.0/16 -j " + verdict;
            case 7 -> io + "-m iprange --src-range 198.18.0." + (1 + rnd.nextInt(100)) + "-198.18.0." + (101 + rnd.nextInt(100))
                    + " -m comment --comment \"partner " + rnd.nextInt(1000) + "\" -j " + verdict;
            case 8 -> io + "-p tcp -m tcp --sport " + foreignPort() + " -m conntrack --ctstate RELATED,ESTABLISHED -j " + verdict;
            default -> "-s " + foreignNet() + " -d 10.0.0.0/8 " + io + "-p tcp -m multiport --dports 22,80,443 -j " + verdict;
        };
    }

    private void fill(Table t, String chain, int n, String verdict, String in, String out) {
        for (int i = 0; i < n; i++) t.add(chain, fillerRule(verdict, in, out));
    }

    private static String write(Table... tables) {
        StringBuilder sb = new StringBuilder("# Generated by iptables-save v1.8.7 on Sun Jan  1 00:00:00 2023\n");
        for (Table t : tables) t.write(sb);
        sb.append("# Completed on Sun Jan  1 00:00:00 2023\n");
        return sb.toString();
    }

    /** Core: stateless transit ACL (a block list walked by every packet), a little mangle. */
    private String coreFirewall(int c, int budget) {
        Table mangle = new Table("mangle").builtin("PREROUTING", "ACCEPT").builtin("INPUT", "ACCEPT")
                .builtin("FORWARD", "ACCEPT").builtin("OUTPUT", "ACCEPT").builtin("POSTROUTING", "ACCEPT").user("qos");
        mangle.add("PREROUTING", "-j qos");
        Table filter = new Table("filter").builtin("INPUT", "DROP").builtin("FORWARD", "ACCEPT").builtin("OUTPUT", "ACCEPT")
                .user("blocklist").user("transit");
        filter.add("INPUT", "-i lo -j ACCEPT");
        filter.add("INPUT", "-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
        filter.add("INPUT", "-s 10.0.0.0/8 -p tcp -m tcp --dport 22 -j ACCEPT");
        filter.add("INPUT", "-p icmp -j ACCEPT");
        filter.add("FORWARD", "-m conntrack --ctstate INVALID -j DROP");
        filter.add("FORWARD", "-j blocklist");
        filter.add("FORWARD", "-j transit");
        // the one transit rule that decides: nobody speaks snmp across the core
        filter.add("transit", "-p udp -m udp --dport 161 -j DROP");
        int left = budget - mangle.size() - filter.size();
        int qos = left / 8;
        for (int i = 0; i < qos; i++)
            mangle.add("qos", rnd.nextBoolean()
                    ? "-s " + foreignNet() + " -j MARK --set-xmark 0x" + Integer.toHexString(0x100 + i) + "/0xfff"
                    : "-p tcp -m multiport --dports " + foreignPort() + "," + foreignPort() + " -j MARK --set-xmark 0x" + Integer.toHexString(0x200 + i) + "/0xfff");
        left -= qos;
        int block = left * 2 / 3;
        fill(filter, "blocklist", block, "DROP", "c" + ((c + 1) % cores), null);
        left -= block;
        int input = left / 3;
        filter.chains.get("INPUT").addAll(0, fillerList(input, "DROP", "c" + ((c + 1) % cores), null));
        fill(filter, "transit", left - input, rnd.nextBoolean() ? "DROP" : "ACCEPT", null, null);
        return write(mangle, filter);
    }

    private List<String> fillerList(int n, String verdict, String in, String out) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < n; i++) l.add(fillerRule(verdict, in, out));
        return l;
    }

    /** Edge: stateful LAN firewall with FORWARD DROP, MARK/CONNMARK for policy routing, DNAT and MASQUERADE. */
    private String edgeFirewall(int e, int budget) {
        String lan = ip(lanNet(e)) + "/24";
        int up = uplinkNet(e) + 2;
        Table raw = new Table("raw").builtin("PREROUTING", "ACCEPT").builtin("OUTPUT", "ACCEPT");
        Table mangle = new Table("mangle").builtin("PREROUTING", "ACCEPT").builtin("INPUT", "ACCEPT")
                .builtin("FORWARD", "ACCEPT").builtin("OUTPUT", "ACCEPT").builtin("POSTROUTING", "ACCEPT").user("mark-in");
        Table nat = new Table("nat").builtin("PREROUTING", "ACCEPT").builtin("INPUT", "ACCEPT").builtin("OUTPUT", "ACCEPT")
                .builtin("POSTROUTING", "ACCEPT");
        Table filter = new Table("filter").builtin("INPUT", "DROP").builtin("FORWARD", "DROP").builtin("OUTPUT", "ACCEPT")
                .user("blocklist").user("lan-in").user("lan-out");

        mangle.add("PREROUTING", "-j CONNMARK --restore-mark --nfmask 0xff --ctmask 0xff");
        mangle.add("PREROUTING", "-i lan0 -j mark-in");
        if (edgePolicy[e]) mangle.add("mark-in", "-p tcp -m tcp --dport 5432 -j MARK --set-xmark 0x10/0xff");
        mangle.add("POSTROUTING", "-o up0 -p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu");

        nat.add("PREROUTING", "-d " + ip(up) + "/32 -p tcp -m tcp --dport 8443 -j DNAT --to-destination " + ip(lanAddr(e, 10)) + ":443");
        if (edgeMasquerades[e]) nat.add("POSTROUTING", "-s " + lan + " -o up0 -j MASQUERADE");

        filter.add("INPUT", "-i lo -j ACCEPT");
        filter.add("INPUT", "-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
        filter.add("INPUT", "-p icmp -m icmp --icmp-type 8 -j ACCEPT");
        filter.add("INPUT", "-s 10.0.0.0/8 -p tcp -m tcp --dport 22 -j ACCEPT");
        filter.add("INPUT", "-i lan0 -p udp -m udp --dport 53 -j ACCEPT");
        filter.add("FORWARD", "-m conntrack --ctstate INVALID -j DROP");
        filter.add("FORWARD", "-j blocklist");
        filter.add("FORWARD", "-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
        filter.add("FORWARD", "-i lan0 -o up0 -j lan-out");
        filter.add("FORWARD", "-i up0 -o lan0 -j lan-in");
        filter.add("FORWARD", "-m limit --limit 5/min -j LOG --log-prefix \"fwd-drop: \"");

        // what this LAN lets in: a deterministic, varied policy
        List<String> decide = new ArrayList<>();
        decide.add("-d " + ip(lanAddr(e, 10)) + "/32 -p tcp -m tcp --dport 443 -m conntrack --ctstate NEW,UNTRACKED -j ACCEPT");
        if (rnd.nextInt(10) < 8) decide.add("-p icmp -m icmp --icmp-type 8 -j ACCEPT");
        StringBuilder ports = new StringBuilder();
        for (int p : TCP_PORTS) if (rnd.nextInt(10) < 5) ports.append(ports.length() == 0 ? "" : ",").append(p);
        if (ports.length() > 0) decide.add("-p tcp -m multiport --dports " + ports + " -j ACCEPT");
        if (rnd.nextInt(4) == 0) decide.add("-p tcp -m tcp --dport 3306 -j REJECT --reject-with tcp-reset");
        for (int p : UDP_PORTS) if (rnd.nextInt(10) < 6) decide.add("-p udp -m udp --dport " + p + " -j ACCEPT");
        if (rnd.nextBoolean()) decide.add("-j REJECT --reject-with icmp-host-prohibited");

        int left = budget - raw.size() - mangle.size() - nat.size() - filter.size() - decide.size() - 1;
        int nRaw = left / 25, nMangle = left / 8, nNat = left / 10, nInput = left / 8;
        for (int i = 0; i < nRaw; i++) raw.add("PREROUTING", "-s " + foreignNet() + " -p udp -m udp --dport " + foreignPort() + " -j NOTRACK");
        for (int i = 0; i < nMangle; i++)
            mangle.add("mark-in", "-s " + ip(lanAddr(e, 200 + rnd.nextInt(50))) + "/32 -p tcp -m tcp --dport " + foreignPort()
                    + " -j MARK --set-xmark 0x" + Integer.toHexString(0x20 + rnd.nextInt(0x40)) + "/0xff");
        mangle.add("mark-in", "-m mark ! --mark 0x0/0xff -j CONNMARK --save-mark --nfmask 0xff --ctmask 0xff");
        for (int i = 0; i < nNat; i++) {
            if (i % 2 == 0)
                nat.add("PREROUTING", "-d " + ip(up) + "/32 -p tcp -m tcp --dport " + foreignPort() + " -j DNAT --to-destination "
                        + ip(lanAddr(e, 10 + rnd.nextInt(4))) + ":22");
            else
                nat.add("POSTROUTING", "-s " + ip(lanAddr(e, 200 + rnd.nextInt(50))) + "/32 -o up0 -j SNAT --to-source " + ip(up));
        }
        filter.chains.get("INPUT").addAll(4, fillerList(nInput, "ACCEPT", "up0", null));
        left -= nRaw + nMangle + nNat + nInput;
        int nBlock = left / 2, nIn = left / 3;
        fill(filter, "blocklist", nBlock, "DROP", "up0", null);
        fill(filter, "lan-in", nIn, "ACCEPT", null, "lan0");
        for (String d : decide) filter.add("lan-in", d);
        fill(filter, "lan-out", left - nBlock - nIn, "REJECT", "lan0", "up0");
        filter.add("lan-out", "-j ACCEPT");
        return write(raw, mangle, nat, filter);
    }

    /** End host: INPUT with a service chain (policy DROP on some), an OUTPUT rule that drops replies on a few. */
    private String hostFirewall(int e, int k, int budget) {
        Table filter = new Table("filter").builtin("INPUT", rnd.nextBoolean() ? "DROP" : "ACCEPT").builtin("FORWARD", "DROP")
                .builtin("OUTPUT", "ACCEPT").user("in-svc");
        filter.add("INPUT", "-i lo -j ACCEPT");
        filter.add("INPUT", "-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
        filter.add("INPUT", "-m conntrack --ctstate INVALID -j DROP");
        filter.add("INPUT", "-m addrtype --dst-type BROADCAST -j DROP");
        filter.add("INPUT", "-j in-svc");
        List<String> decide = new ArrayList<>();
        StringBuilder ports = new StringBuilder();
        for (int p : TCP_PORTS) if (rnd.nextInt(10) < 6) ports.append(ports.length() == 0 ? "" : ",").append(p);
        if (ports.length() > 0) decide.add("-s 10.0.0.0/8 -p tcp -m multiport --dports " + ports + " -j ACCEPT");
        decide.add("-p icmp -j ACCEPT");
        decide.add("-p udp -m udp --dport 53 -j ACCEPT");
        if (rnd.nextInt(6) == 0) filter.add("OUTPUT", "-p tcp -m tcp --sport 5432 -j DROP");
        if (rnd.nextInt(6) == 0) filter.add("OUTPUT", "-p udp -m udp --sport 123 -j DROP");
        int left = Math.max(0, budget - filter.size() - decide.size());
        fill(filter, "in-svc", left, "ACCEPT", "eth0", null);
        for (String d : decide) filter.add("in-svc", d);
        return write(filter);
    }

    // ------------------------------------------------------------------------------------------ probes

    private List<Probe> probes() {
        List<Probe> out = new ArrayList<>();
        for (int i = 0; i < cfg.probes(); i++) {
            int from = rnd.nextInt(edges);
            int to = rnd.nextInt(edges - 1);
            if (to >= from) to++;
            String client = lanHosts.get(from).get(rnd.nextInt(lanHosts.get(from).size()));
            int kind = rnd.nextInt(20);
            String id = "p" + i;
            if (kind == 0) {
                // the DNAT on the far edge: to its uplink address, must reach its first LAN host
                out.add(new Probe(id, client, null, Ip.v4(uplinkNet(to) + 2), Packet.TCP, 8443, lanHosts.get(to).get(0), null));
                continue;
            }
            if (kind == 1) {
                // a service of the far edge router itself
                out.add(new Probe(id, client, null, Ip.v4(lanAddr(to, 1)), Packet.TCP, 22, null, null));
                continue;
            }
            Ip dst = Ip.v4(lanAddrs.get(to).get(rnd.nextInt(lanAddrs.get(to).size())));
            int proto = rnd.nextInt(20);
            if (proto < 9) out.add(new Probe(id, client, null, dst, Packet.TCP, TCP_PORTS[rnd.nextInt(TCP_PORTS.length)], null, null));
            else if (proto < 14) out.add(new Probe(id, client, null, dst, Packet.UDP, UDP_PORTS[rnd.nextInt(UDP_PORTS.length)], null, null));
            else out.add(new Probe(id, client, null, dst, Packet.ICMP, 0, null, null));
        }
        return out;
    }
}
