package roundtrip.importer;

import roundtrip.model.Host;
import roundtrip.model.InputException;
import roundtrip.model.Interface;
import roundtrip.model.Ip;
import roundtrip.model.Message;
import roundtrip.model.NdpProxy;
import roundtrip.model.Listener;
import roundtrip.model.Network;
import roundtrip.model.Problem;
import roundtrip.model.Route;
import roundtrip.model.Rule;
import roundtrip.model.Segment;
import roundtrip.model.Source;
import roundtrip.model.TunnelConfig;
import roundtrip.model.WireGuardConfig;
import roundtrip.model.InputException;
import roundtrip.model.Sysctls;
import roundtrip.netfilter.Ruleset;
import roundtrip.netfilter.IpSets;
import roundtrip.netfilter.iptables.IptablesRuleset;
import roundtrip.netfilter.iptables.IptablesSaveParser;
import roundtrip.netfilter.nft.NftInput;
import roundtrip.netfilter.nft.NftRuleset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Loads a snapshot directory (design §1a) into a {@link Network}. Files are named in messages and Sources
 * relative to the snapshot directory's parent ("snap/router/ip-route.json"), or under a caller's label.
 */
public final class SnapshotLoader {
    private SnapshotLoader() {}


    /** @throws InputException naming file and line for missing or malformed input */
    public static Network load(Path dir) {
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return load(dir, name == null ? dir.toString() : name.toString());
    }

    /**
     * Like {@link #load(Path)}, naming files "{label}/router/ip-route.json" (label "" gives
     * "router/ip-route.json").
     */
    public static Network load(Path dir, String label) {
        return load(dir, label, false);
    }

    /**
     * With {@code afterReboot}, each host's firewall is what its saved/ rules would restore at boot
     * (saved/iptables-rules.v4, saved/nftables.conf), not the live one.
     */
    public static Network load(Path dir, String label, boolean afterReboot) {
        String prefix = label.isEmpty() ? "" : label + "/";
        if (!Files.isDirectory(dir)) throw InputErrors.at(label.isEmpty() ? dir.toString() : label, 0, "not a directory");
        String topologyFile = prefix + "topology.json";
        List<Path> hostDirs = hostDirectories(dir, prefix);
        List<TopologyReader.SegmentSpec> specs;
        if (Files.exists(dir.resolve("topology.json")))
            specs = TopologyReader.read(topologyFile, LocatedJson.readText(dir.resolve("topology.json"), topologyFile));
        else if (hostDirs.size() <= 1)
            specs = List.of();   // one host has no link to name: its probes stay inside it or end at its interfaces
        else
            throw InputErrors.at(label.isEmpty() ? dir.toString() : label, 0, missingTopology(hostDirs.stream()
                    .map(p -> p.getFileName().toString()).toList()));

        Map<String, Host> hosts = new LinkedHashMap<>();
        for (Host h : loadHosts(hostDirs, prefix, afterReboot)) hosts.put(h.name(), h);
        for (TopologyReader.SegmentSpec spec : specs) {
            for (TopologyReader.Member m : spec.members()) {
                if (hosts.containsKey(m.host())) continue;
                String why = Files.isDirectory(dir.resolve(m.host()))
                        ? "host \"" + m.host() + "\" has no " + m.host() + "/ip-addr.json in the snapshot"
                        : "host \"" + m.host() + "\" has no directory in the snapshot";
                throw InputErrors.at(topologyFile, m.line(), why);
            }
        }
        List<Segment> segments = TopologyReader.resolve(topologyFile, specs, hosts);
        return new Network(new ArrayList<>(hosts.values()), segments);
    }

    /**
     * Why several hosts need a topology: without one every host would be alone and each probe between them lost,
     * which looks like an answer but is only the missing file.
     */
    static String missingTopology(List<String> hostNames) {
        String a = hostNames.get(0), b = hostNames.get(1);
        return hostNames.size() + " hosts (" + String.join(", ", hostNames) + ") and no topology.json: give --topology FILE "
                + "naming which interfaces share a link, e.g. {\"segments\": [{\"name\": \"lan\", \"members\": [\"" + a
                + ":eth0\", \"" + b + ":eth0\"]}]}";
    }

    /** Snapshots with fewer hosts are read on one thread: starting the others would cost more than it saves. */
    static final int PARALLEL_FROM = 16;

    /**
     * The hosts of {@code dirs}, in their order; a big snapshot (a thousand hosts take seconds) on all cores. Hosts
     * are read independently. When several are malformed, the error is the first one's in name order, as when read
     * one by one.
     */
    private static List<Host> loadHosts(List<Path> dirs, String prefix, boolean afterReboot) {
        record Loaded(Host host, RuntimeException error) {}
        Stream<Path> stream = dirs.size() >= PARALLEL_FROM ? dirs.parallelStream() : dirs.stream();
        List<Loaded> all = stream.map(d -> {
            String hostName = d.getFileName().toString();
            try {
                return new Loaded(loadHost(d, hostName, prefix + hostName, afterReboot), null);
            } catch (RuntimeException e) {
                return new Loaded(null, e);
            }
        }).toList();
        List<Host> out = new ArrayList<>(all.size());
        for (Loaded l : all) {
            if (l.error() != null) throw l.error();
            out.add(l.host());
        }
        return out;
    }

    /** Host directories: the subdirectories holding ip-addr.json, in name order. */
    private static List<Path> hostDirectories(Path dir, String prefix) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> Files.isDirectory(p) && Files.isRegularFile(p.resolve("ip-addr.json")))
                    .sorted().toList();
        } catch (IOException e) {
            throw InputErrors.at(prefix.isEmpty() ? dir.toString() : prefix, 0, "cannot list directory: " + e.getMessage());
        }
    }

    /**
     * Loads one host directory ({@code <host>/} of the layout). {@code label} prefixes file names in messages,
     * e.g. "snap/router".
     */
    public static Host loadHost(Path hostDir, String hostName, String label) {
        return loadHost(hostDir, hostName, label, false);
    }

    public static Host loadHost(Path hostDir, String hostName, String label, boolean afterReboot) {
        List<Problem> problems = new ArrayList<>();
        String addrFile = label + "/ip-addr.json";
        List<Interface> interfaces = IpAddrReader.read(addrFile, LocatedJson.readText(hostDir.resolve("ip-addr.json"), addrFile), problems);

        String routeFile = label + "/ip-route.json";
        IpRouteReader.Parsed routeJson = IpRouteReader.parse(routeFile,
                LocatedJson.readText(hostDir.resolve("ip-route.json"), routeFile));
        String ruleFile = label + "/ip-rule.json";
        IpRouteReader.Parsed ruleJson = optionalJson(hostDir, "ip-rule.json", label);
        IpRouteReader.Parsed route6Json = optionalJson(hostDir, "ip6-route.json", label);
        IpRouteReader.Parsed rule6Json = optionalJson(hostDir, "ip6-rule.json", label);

        // routes and rules name tables alike; stand-ins for unknown names must be shared and not collide
        TableNames tables = new TableNames(problems);
        for (IpRouteReader.Parsed p : new IpRouteReader.Parsed[] {routeJson, ruleJson, route6Json, rule6Json})
            if (p != null) IpRouteReader.noteTables(p, tables);
        // ip-route.json holds the IPv6 routes too (iproute2 >= 6.1); ip6-route.json, when collected, says the same
        // of them as `ip -6` prints it, and is the one taken
        List<Route> routes = new ArrayList<>(IpRouteReader.routes(routeJson, tables, null, problems));
        if (route6Json != null) {
            routes.removeIf(r -> r.family() == Ip.Family.IPV6);
            routes.addAll(IpRouteReader.routes(route6Json, tables, Ip.Family.IPV6, problems));
        }
        checkRouteDevices(routes, interfaces);
        routes = withLocalTable(routes, interfaces, routeFile, addrFile, problems);
        List<Message> missing = new ArrayList<>();
        // without ip-rule.json: the kernel's three default rules, as on a host where nobody added one
        List<Rule> rules = new ArrayList<>(ruleJson != null ? IpRuleReader.rules(ruleJson, tables, null, problems)
                : IpRuleReader.kernelDefaults(Ip.Family.IPV4, ruleFile + " (absent: kernel default rules)"));
        if (ruleJson == null) missing.add(Message.of(Sentences.MISSING_IP_RULE));
        // ip6-rule.json (ip -6 rule) holds IPv6's rules; without it, IPv6 has the kernel's (Fib derives them)
        if (rule6Json != null) {
            rules.removeIf(r -> r.family() == Ip.Family.IPV6);
            rules.addAll(IpRuleReader.rules(rule6Json, tables, Ip.Family.IPV6, problems));
        }

        Ip6tablesSave.Content ip6tables = new Ip6tablesSave.Content(Set.of(), 0, null);
        // after a reboot, as for IPv4 (SavedRules.bootRuleset): the saved IPv6 rules, none when saved/ lacks them,
        // the live ones when the snapshot has no saved/ at all
        Path ip6tablesFile = hostDir.resolve("ip6tables-save.txt");
        if (afterReboot && Files.isDirectory(hostDir.resolve("saved"))) ip6tablesFile = hostDir.resolve("saved/ip6tables-rules.v6");
        if (Files.exists(ip6tablesFile)) {
            String file = label + "/" + hostDir.relativize(ip6tablesFile);
            ip6tables = Ip6tablesSave.read(file, LocatedJson.readText(ip6tablesFile, file));
        }
        Path iptablesFile = afterReboot ? SavedRules.bootRuleset(hostDir, label, problems) : hostDir.resolve("iptables-save.txt");
        Ruleset firewall = firewall(hostDir, iptablesFile, label, afterReboot, ip6tables, problems);
        if (!afterReboot) SavedRules.warnIfLiveDiffers(hostDir, label, problems);

        // nft.json alone is complete on an nftables host (iptables-nft's tables are in it too); neither file: unknown
        if (!Files.exists(hostDir.resolve("iptables-save.txt")) && !Files.exists(hostDir.resolve("nft.json")))
            missing.add(Message.of(Sentences.MISSING_FIREWALL));

        Sysctls sysctls;
        Path sysctl = hostDir.resolve("sysctl.txt");
        String sysctlFile = label + "/sysctl.txt";
        if (Files.exists(sysctl)) {
            sysctls = SysctlReader.read(sysctlFile, LocatedJson.readText(sysctl, sysctlFile));
        } else {
            sysctls = Sysctls.notCollected(sysctlFile);
            missing.add(Message.of(Sentences.MISSING_SYSCTL));
        }

        List<Listener> listeners = null;   // null = unknown (no ss-listen.txt)
        Path ss = hostDir.resolve("ss-listen.txt");
        if (Files.exists(ss)) {
            String file = label + "/ss-listen.txt";
            listeners = SsListenReader.read(file, LocatedJson.readText(ss, file), problems);
        } else {
            missing.add(Message.of(Sentences.MISSING_SS_LISTEN));
        }

        List<TunnelConfig> tunnels = new ArrayList<>(wireGuard(hostDir, label, interfaces, routes, rules, problems));
        tunnels.addAll(openVpn(hostDir, label, interfaces, problems));
        // a kernel WireGuard interface says what it is (info_kind); without its configuration nothing can leave it
        for (Interface i : interfaces)
            if ("wireguard".equals(i.kind()) && tunnels.stream().noneMatch(t -> t.device().equals(i.name())))
                missing.add(Message.of(Sentences.MISSING_WG_CONF, i.name()));
        if (!missing.isEmpty())
            problems.add(0, Problem.notCollected(new Source(label, 0, ""), list(missing)));

        problems.addAll(roundtrip.netfilter.AbsentNames.of(firewall, hostName, interfaces));
        List<NdpProxy> ndpProxies = List.of();
        Path proxies = hostDir.resolve("ip6-neigh-proxy.json");
        if (Files.exists(proxies)) {
            String file = label + "/ip6-neigh-proxy.json";
            ndpProxies = NdpProxyReader.read(file, LocatedJson.readText(proxies, file), interfaces, problems);
        }
        return new Host(hostName, interfaces, routes, rules, firewall, sysctls, listeners, problems, tunnels)
                .withNdpProxies(ndpProxies);
    }

    /** Items said one after another, separated by ", " ("a, b, c"). */
    static Message list(List<Message> items) {
        Message out = items.get(items.size() - 1);
        for (int i = items.size() - 2; i >= 0; i--) out = Message.of(Sentences.LIST, items.get(i), out);
        return out;
    }

    /** An optional JSON file of the host directory, parsed; null when the collector did not write it. */
    private static IpRouteReader.Parsed optionalJson(Path hostDir, String name, String label) {
        Path path = hostDir.resolve(name);
        if (!Files.exists(path)) return null;
        String file = label + "/" + name;
        return IpRouteReader.parse(file, LocatedJson.readText(path, file));
    }

    /**
     * iptables-save.txt and the nft ruleset (nft.json, or nft.txt where the host's nft could not print JSON), hooked
     * side by side; null when neither is present. iptables-nft keeps its tables in nftables, so they show up in the
     * nft ruleset too: those that iptables-save also lists are left out of it (iptables-save says what their xt
     * matches do, nft.json cannot), so no rule is evaluated twice. After a reboot: the saved rules (SavedRules).
     */
    private static Ruleset firewall(Path hostDir, Path save, String label, boolean afterReboot, Ip6tablesSave.Content ip6tables,
                                    List<Problem> problems) {
        Set<String> ip6tablesTables = ip6tables.tables();
        // ip6tables-save.txt's tables see IPv6 packets only: beside iptables' (first in a combination's first part)
        Ruleset ipv4 = iptablesAndNft(hostDir, save, label, afterReboot, ip6tablesTables, problems);
        IptablesRuleset ipv6 = ip6tables.ruleset();
        if (ipv6 == null) return ipv4;
        problems.addAll(ipv6.problems());
        useIpSets(hostDir, label, ipv6);
        return Ruleset.withIp6tables(ipv4, ipv6);
    }

    /** ipset.txt (`ipset save`): the members -m set looks up (iptables' and ip6tables'); without it those rules leave probes uncertain. */
    private static void useIpSets(Path hostDir, String label, IptablesRuleset rules) {
        Path ipset = hostDir.resolve("ipset.txt");
        if (!Files.exists(ipset)) return;
        String setsFile = label + "/ipset.txt";
        rules.useSets(IpSets.parse(setsFile, LocatedJson.readText(ipset, setsFile)));
    }

    private static Ruleset iptablesAndNft(Path hostDir, Path save, String label, boolean afterReboot, Set<String> ip6tablesTables,
                                          List<Problem> problems) {
        IptablesRuleset iptables = null;
        if (save != null && Files.exists(save)) {
            String file = label + "/" + hostDir.relativize(save);
            iptables = IptablesSaveParser.parseRuleset(file, LocatedJson.readText(save, file));
            problems.addAll(iptables.problems());
            useIpSets(hostDir, label, iptables);
        }
        Set<String> inIptables = new HashSet<>();
        if (iptables != null) for (String t : iptables.tableNames()) inIptables.add("ip " + t);
        NftInput live = liveNft(hostDir, label);
        Ruleset nft;
        if (afterReboot) {
            nft = SavedRules.bootNft(hostDir, label, live, inIptables, problems);
        } else {
            if (live == null) return iptables;
            Set<String> skip = new HashSet<>(live.iptablesNftTables());
            skip.retainAll(inIptables);
            // ip6tables-nft's tables: ip6tables-save.txt describes them (and names them in the host's IPv6 warning)
            for (String table : ip6tablesTables) skip.add("ip6 " + table);
            nft = live.ruleset(skip::contains);
        }
        if (nft == null) return iptables;
        problems.addAll(nft.problems());
        if (iptables == null) return nft;
        return nft instanceof NftRuleset n && n.isEmpty() ? iptables : Ruleset.combine(iptables, nft);
    }

    /** The host's live nftables ruleset: nft.json, else nft.txt (`nft list ruleset`); null when neither is there. */
    static NftInput liveNft(Path hostDir, String label) {
        Path json = hostDir.resolve("nft.json");
        if (Files.exists(json)) {
            String file = label + "/nft.json";
            return NftInput.json(file, LocatedJson.readText(json, file));
        }
        Path text = hostDir.resolve("nft.txt");
        if (Files.exists(text)) {
            String file = label + "/nft.txt";
            return NftInput.text(file, LocatedJson.readText(text, file), n -> n);
        }
        return null;
    }

    /** wg/IFACE.conf for each WireGuard interface; the file name names the interface. */
    private static List<TunnelConfig> wireGuard(Path hostDir, String label, List<Interface> interfaces, List<Route> routes,
                                                List<Rule> rules, List<Problem> problems) {
        Path dir = hostDir.resolve("wg");
        List<TunnelConfig> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        List<Path> files;
        try (var list = Files.list(dir)) {
            files = list.filter(f -> f.getFileName().toString().endsWith(".conf")).sorted().toList();
        } catch (java.io.IOException e) {
            throw new InputException(label + "/wg", 0, "cannot list: " + e.getMessage());
        }
        for (Path f : files) {
            String name = f.getFileName().toString();
            String device = name.substring(0, name.length() - ".conf".length());
            String file = label + "/wg/" + name;
            WireGuardReader.Parsed parsed = WireGuardReader.parse(file, device, LocatedJson.readText(f, file), problems, Map.of());
            WireGuardConfig c = parsed.config();
            // a wg-quick file (the collector writes `wg showconf`; a user may give /etc/wireguard/wg0.conf): the state
            // wg-quick made (addresses, routes, rules, hooks' rules) is collected already and is not applied again; only
            // the fwmark add_default set with `wg set` is not in the file, and the collected rules show it
            if (parsed.quick().present()) c = fwmarkSetByWgQuick(c, parsed.quick(), routes, rules, problems);
            if (interfaces.stream().noneMatch(i -> i.name().equals(device)))
                problems.add(new Problem(new Source(file, 0, ""), Message.of(Sentences.WG_NO_INTERFACE_IN_SNAPSHOT, device)));
            else out.add(c);
        }
        return out;
    }

    /**
     * add_default (wg-quick) gives an interface without FwMark the mark of the table it routes /0 in, and adds
     * `not fwmark T lookup T`: when the collected rules have that rule and table T a route through the interface,
     * the interface has mark T. Without them the file's FwMark stands, and a full tunnel is said to lack its rules.
     */
    private static WireGuardConfig fwmarkSetByWgQuick(WireGuardConfig c, WireGuardReader.Quick q, List<Route> routes, List<Rule> rules,
                                                      List<Problem> problems) {
        if (c.fwmark() != 0 || !q.tableAuto()) return c;
        boolean fullTunnel = c.peers().stream().anyMatch(p -> p.allowedIps().stream().anyMatch(a -> a.len() == 0));
        if (!fullTunnel) return c;
        for (Rule r : rules) {
            if (!r.not() || r.fwmark() == null || r.fwmark() != r.table()) continue;
            long t = r.table();
            if (routes.stream().anyMatch(rt -> rt.table() == t && c.device().equals(rt.dev()) && rt.dst().len() == 0))
                return c.withFwmark(t);
        }
        problems.add(new Problem(c.source(), Message.of(Sentences.WG_FULL_TUNNEL_WITHOUT_FWMARK, c.device())));
        return c;
    }

    /** openvpn/*.conf with openvpn/ccd/* and openvpn/status.log; see {@link OpenVpnFiles}. */
    private static List<TunnelConfig> openVpn(Path hostDir, String label, List<Interface> interfaces, List<Problem> problems) {
        return new ArrayList<>(OpenVpnFiles.load(hostDir.resolve("openvpn"), label + "/openvpn", interfaces, problems));
    }

    /**
     * `ip route show table all` always lists table local (the kernel's local and broadcast routes, at least
     * 127.0.0.1 on lo); a dump without any is another command's output (`ip route show`: table main only). The
     * kernel adds those routes for every address (fib_add_ifaddr), so they are derived from ip-addr.json, as
     * {@link KernelRoutes} does for hand-written hosts, and a warning says so.
     */
    private static List<Route> withLocalTable(List<Route> routes, List<Interface> interfaces, String routeFile, String addrFile,
                                              List<Problem> problems) {
        // IPv4's: an IPv6 local route (of ip6-route.json, say) does not tell whether the IPv4 ones were collected
        if (routes.stream().anyMatch(r -> r.table() == Route.TABLE_LOCAL && r.family() == Ip.Family.IPV4)) return routes;
        List<Route> out = new ArrayList<>(routes);
        for (Route r : KernelRoutes.forInterfaces(interfaces, (i, a) -> new Source(addrFile, 0, a + " on " + i.name())))
            if (r.table() == Route.TABLE_LOCAL && r.family() == Ip.Family.IPV4) out.add(r);
        problems.add(new Problem(new Source(routeFile, 0, ""), Message.of(Sentences.NO_LOCAL_TABLE)));
        return out;
    }

    /** A route through a device the host does not have cannot come from real output: the files disagree. */
    private static void checkRouteDevices(List<Route> routes, List<Interface> interfaces) {
        for (Route r : routes) {
            if (r.dev() == null) continue;
            boolean known = interfaces.stream().anyMatch(i -> i.name().equals(r.dev()));
            if (!known)
                throw InputErrors.at(r.source().file(), r.source().line(),
                        "route through device \"" + r.dev() + "\", which ip-addr.json does not list");
        }
    }
}
