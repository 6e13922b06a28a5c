package roundtrip.importer;

import roundtrip.importer.openwrt.Uci;
import roundtrip.importer.openwrt.UciReader;
import roundtrip.model.Host;
import roundtrip.model.InputException;
import roundtrip.model.Ip;
import roundtrip.model.Listener;
import roundtrip.model.Message;
import roundtrip.model.Network;
import roundtrip.model.Packet;
import roundtrip.model.Probe;
import roundtrip.model.Problem;
import roundtrip.model.Segment;
import roundtrip.model.Source;
import roundtrip.model.OpenVpnConfig;
import roundtrip.model.WireGuardConfig;
import roundtrip.netfilter.Ruleset;
import roundtrip.netfilter.IpSets;
import roundtrip.netfilter.iptables.IptablesRuleset;
import roundtrip.netfilter.iptables.IptablesSaveParser;
import roundtrip.netfilter.nft.NftInput;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a hand-written network file (design §1b): hosts described with addresses in CIDR, routes and rules in
 * `ip route add` / `ip rule add` syntax, netfilter as inline iptables-save or nft text or as intent (for closed devices),
 * WireGuard as its own config text, OpenWrt hosts by their UCI files, snapshot hosts pulled in by path; segments;
 * probes. Every error is an {@link InputException} naming the file and line.
 */
public final class NetworkFileReader {
    private NetworkFileReader() {}

    /**
     * The network and the probes the file lists (empty when it has none); {@code names}: its {@code names:} map (host
     * name in lower case to address), already applied to its own hosts, for hosts of snapshots given next to it.
     */
    public record Result(Network network, List<ProbeReader.LocatedProbe> probes, Map<String, Ip> names) {}

    private static final Set<String> TOP_KEYS = Set.of("hosts", "segments", "probes", "description", "names");
    private static final Set<String> HOST_KEYS;
    static {
        Set<String> k = new HashSet<>(Set.of("interfaces", "routes", "rules", "tables", "iptables", "ip6tables", "ipset", "nft", "sysctl",
                "listen", "wireguard", "openvpn", "snapshot", "openwrt", "openwrt-dir", "description", "managed"));
        k.addAll(IntentRules.KEYS);
        HOST_KEYS = Set.copyOf(k);
    }
    /** Keys that describe the host's own state, which a snapshot or an OpenWrt config already gives. */
    private static final Set<String> STATE_KEYS = Set.of("interfaces", "routes", "rules", "iptables", "ip6tables", "ipset", "nft",
            "wireguard", "nat", "masquerade", "port-forward", "forward", "allow", "input", "allow-input");

    /** Reads a network file; file names in messages are as given, paths in it are relative to its directory. */
    public static Result read(Path path) {
        return read(path, Map.of());
    }

    /**
     * Reads a network file whose segments may also name {@code otherHosts} (hosts of snapshots given next to it);
     * the result holds the file's hosts only, and a file host may not take the name of one of them.
     */
    public static Result read(Path path, Map<String, Host> otherHosts) {
        String name = path.toString();
        Path base = path.toAbsolutePath().getParent();
        return parse(name, LocatedJson.readText(path, name), base, displayBase(path), otherHosts);
    }

    /** @param baseDir directory that relative paths in the file (snapshot:, openwrt-dir:) start from */
    public static Result parse(String file, String text, Path baseDir) {
        return parse(file, text, baseDir, "", Map.of());
    }

    private static String displayBase(Path path) {
        Path parent = path.getParent();
        return parent == null ? "" : parent.toString();
    }

    private static Result parse(String file, String text, Path baseDir, String displayBase, Map<String, Host> otherHosts) {
        LocatedYaml doc = LocatedYaml.parse(file, text);
        YamlNode root = YamlNode.root(doc);
        if (!root.isMap()) throw root.error("a network file is a YAML map with \"hosts\" (and \"segments\", \"probes\")");
        root.onlyKeys(TOP_KEYS);
        YamlNode hostsNode = root.get("hosts");
        if (hostsNode == null || hostsNode.isNull()) throw root.error("no \"hosts\"");

        Map<String, Ip> names = names(root.get("names"));
        Map<String, Host> hosts = new LinkedHashMap<>();
        java.util.Set<String> byHand = new java.util.LinkedHashSet<>();
        for (Map.Entry<String, YamlNode> e : hostsNode.entries()) {
            String name = e.getKey();
            YamlNode h = e.getValue();
            if (name.isBlank() || name.contains(":") || name.contains("/") || name.contains(" "))
                throw h.error("not a host name (no ':', '/' or spaces): \"" + name + "\"");
            if (otherHosts.containsKey(name)) throw h.error("host \"" + name + "\" is also in a snapshot given with --snapshot");
            hosts.put(name, RemoteNames.resolve(host(name, h, baseDir, displayBase, names), names));
            if (h.get("snapshot") == null) byHand.add(name);
        }
        Map<String, Host> all = new LinkedHashMap<>(otherHosts);
        all.putAll(hosts);
        List<Segment> segments = segments(root.get("segments"), all);
        // what the OpenVPN daemons do when they come up, on the hosts described here (a snapshot already shows it)
        Map<String, Host> up = roundtrip.tunnel.OpenVpnDaemon.up(new Network(new ArrayList<>(all.values()), segments), byHand);
        hosts.putAll(up);
        List<ProbeReader.LocatedProbe> probes = probes(root.get("probes"), file);
        Network net = new Network(new ArrayList<>(hosts.values()), segments);
        return new Result(net, probes, names);
    }

    /**
     * One family's xtables rules of a host: the pasted iptables-save (ip6tables-save) text, or for IPv4 the rules its
     * intent keys render, with wg-quick's hook commands of that family run on them as they run when the interface comes
     * up; the `ipset save` text gives the sets' members. Null when the host has none.
     */
    private static Ruleset xtables(String file, YamlNode h, String key, YamlNode text, IptablesText intent,
                                   List<WgQuickUp.IptablesCommand> hooks, boolean ipv6, List<Problem> problems) {
        Ruleset rules;
        if (!hooks.isEmpty()) {
            IptablesText current;
            if (intent != null) current = intent;
            else if (text != null) {
                int first = text.textLine();
                try {
                    current = IptablesText.fromSave(text.text(), n -> n + first - 1, text.line());
                } catch (IllegalArgumentException e) {
                    throw text.error(key + ": " + e.getMessage());
                }
            } else current = new IptablesText(h.line());
            WgQuickUp.applyIptables(current, hooks, problems);
            rules = current.parse(file, ipv6);
        } else if (text != null) {
            int first = text.textLine();
            rules = ipv6 ? IptablesSaveParser.parseIp6Ruleset(file, text.text(), n -> n + first - 1)
                    : IptablesSaveParser.parse(file, text.text(), n -> n + first - 1);
        } else {
            rules = intent == null ? null : intent.parse(file);
        }
        YamlNode ipset = h.get("ipset");
        if (ipset != null && rules instanceof IptablesRuleset ipt) {
            int at = ipset.textLine();
            ipt.useSets(IpSets.parse(file, ipset.text(), n -> n + at - 1));
        }
        return rules;
    }

    /**
     * names: {vpn.example.org: 198.51.100.2} — what the hosts' resolvers answer for the names their VPN configs use
     * (OpenVPN remote): roundtrip never asks DNS. Keys are host names, compared without regard to case.
     */
    private static Map<String, Ip> names(YamlNode node) {
        Map<String, Ip> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) return out;
        if (!node.isMap()) throw node.error("names: expected {host.name: address, ...}");
        for (Map.Entry<String, YamlNode> e : node.entries()) {
            String name = e.getKey().trim().toLowerCase(java.util.Locale.ROOT);
            if (!name.matches("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\\.?"))
                throw e.getValue().error("names: not a host name: \"" + e.getKey() + "\"");
            // the one address the host's resolver gave: an A record's or an AAAA record's
            String addr = e.getValue().text().trim();
            if (!Ip.isAddress(addr))
                throw e.getValue().error("names: " + e.getKey() + ": not an IPv4 or IPv6 address: " + addr);
            if (out.put(name.endsWith(".") ? name.substring(0, name.length() - 1) : name, Ip.parse(addr)) != null)
                throw e.getValue().error("names: " + e.getKey() + " is given twice");
        }
        return out;
    }

    private static Host host(String name, YamlNode h, Path baseDir, String displayBase, Map<String, Ip> names) {
        if (!h.isNull() && !h.isMap()) throw h.error("host " + name + " must be a map (interfaces:, routes:, ...)");
        h.onlyKeys(HOST_KEYS);
        String file = h.doc().file();
        YamlNode snapshot = h.get("snapshot");
        if (snapshot != null) return snapshotHost(name, h, snapshot, baseDir, displayBase);

        HostBuilder b = new HostBuilder(name, file, h.line());
        Map<String, Integer> tables = tables(h.get("tables"));
        YamlNode openwrt = h.get("openwrt");
        YamlNode openwrtDir = h.get("openwrt-dir");
        boolean isOpenWrt = openwrt != null || openwrtDir != null;
        if (isOpenWrt) {
            if (openwrt != null && openwrtDir != null) throw openwrtDir.error("give either \"openwrt\" or \"openwrt-dir\", not both");
            for (String k : STATE_KEYS)
                if (h.get(k) != null) throw h.get(k).error("\"" + k + "\" cannot be combined with an OpenWrt configuration, which describes it");
            if (openwrt != null) openWrtInline(b, openwrt, tables);
            else openWrtDirectory(b, resolve(baseDir, openwrtDir), join(displayBase, openwrtDir.text()), openwrtDir, tables);
        }

        interfaces(b, h.get("interfaces"));
        YamlNode routes = h.get("routes");
        if (routes != null)
            for (YamlNode r : routes.items())
                b.addRoute(IpCommandSyntax.route(r.text(), new Source(file, r.line(), r.text().trim()), tables));
        YamlNode rules = h.get("rules");
        if (rules != null)
            for (YamlNode r : rules.items())
                b.addRule(IpCommandSyntax.rule(r.text(), new Source(file, r.line(), r.text().trim()), tables));

        // WireGuard before the firewall: wg-quick creates its interface, and its hooks and tables add rules
        List<WgQuickUp.Result> quick = wireguard(b, h.get("wireguard"), tables, names);
        List<WgQuickUp.IptablesCommand> hookRules = new ArrayList<>(), hookRules6 = new ArrayList<>();
        List<WgQuickUp.NftLine> quickNft = new ArrayList<>();
        for (WgQuickUp.Result r : quick) {
            hookRules.addAll(r.iptables());
            hookRules6.addAll(r.ip6tables());
            quickNft.addAll(r.nft());
        }

        YamlNode iptables = h.get("iptables");
        IptablesText intent = IntentRules.render(h, b::hasInterface, b.problems());
        if (iptables != null && intent != null)
            throw iptables.error("describe host " + name + "'s firewall either as iptables or by intent (nat, masquerade, "
                    + "port-forward, forward, allow, input), not both");
        Ruleset firewall = xtables(file, h, "iptables", iptables, intent, hookRules, false, b.problems());
        YamlNode nft = h.get("nft");
        if (nft != null || !quickNft.isEmpty()) {
            // nft text as `nft list ruleset` prints it or as /etc/nftables.conf holds it, quoted at its lines in this file;
            // then what wg-quick and its hooks feed to nft, each line quoted at the setting it comes from
            StringBuilder text = new StringBuilder();
            List<Integer> lines = new ArrayList<>();
            if (nft != null) {
                int first = nft.textLine();
                String[] own = nft.text().split("\n", -1);
                for (int i = 0; i < own.length; i++) {
                    text.append(own[i]).append('\n');
                    lines.add(first + i);
                }
            }
            for (WgQuickUp.NftLine l : quickNft) {
                text.append(l.text()).append('\n');
                lines.add(l.source().line());
            }
            int last = lines.isEmpty() ? h.line() : lines.get(lines.size() - 1);
            NftInput nftText = NftInput.text(file, text.toString(), n -> n >= 1 && n <= lines.size() ? lines.get(n - 1) : last);
            // a pasted `nft list ruleset` shows iptables-nft's tables too: counted once, from iptables: when it has them
            Set<String> skip = new HashSet<>();
            if (firewall instanceof IptablesRuleset ipt)
                for (String t : nftText.iptablesNftTables()) if (ipt.tableNames().contains(t.substring(t.indexOf(' ') + 1))) skip.add(t);
            Ruleset nftRules = nftText.ruleset(skip::contains);
            firewall = firewall == null ? nftRules : Ruleset.combine(firewall, nftRules);
        }
        // ip6tables-save text: its tables see IPv6 packets only, beside iptables' (Ruleset.withIp6tables)
        Ruleset six = xtables(file, h, "ip6tables", h.get("ip6tables"), null, hookRules6, true, b.problems());
        if (six != null) firewall = Ruleset.withIp6tables(firewall, six);
        if (firewall != null) b.firewall(firewall);

        if (isOpenWrt || intent != null) {
            // a router forwards: OpenWrt enables it at boot, and a device described by its NAT is a router
            if (!b.hasSysctl("net.ipv4.ip_forward"))
                b.sysctl("net.ipv4.ip_forward", "1", new Source(file, h.line(), "net.ipv4.ip_forward = 1 (a router forwards)"));
        }
        sysctl(b, h.get("sysctl"));
        // wg-quick runs after boot's sysctl settings: what it and its hooks set is what the host has while it is up
        for (WgQuickUp.Result r : quick)
            for (Map.Entry<String, String> e : r.sysctlValues().entrySet()) b.sysctl(e.getKey(), e.getValue(), r.sysctls().get(e.getKey()));
        YamlNode listen = h.get("listen");
        if (listen != null) b.listeners(listeners(listen));
        openVpn(b, h.get("openvpn"));
        YamlNode managed = h.get("managed");
        // a host described only to complete the path (the ISP's router, a cloud fabric): fixes are not for it
        return b.build().withManaged(managed == null || bool(managed));
    }

    /** openwrt: {network: "UCI text", firewall: "UCI text"}, numbered as lines of the YAML file. */
    private static void openWrtInline(HostBuilder b, YamlNode node, Map<String, Integer> tables) {
        if (!node.isMap()) throw node.error("openwrt: expected {network: |, firewall: |} with the UCI files' text");
        node.onlyKeys(Set.of("network", "firewall"));
        YamlNode network = node.get("network");
        if (network == null) throw node.error("openwrt: \"network\" (the text of /etc/config/network) is required");
        YamlNode firewall = node.get("firewall");
        String file = node.doc().file();
        UciReader.read(b, Uci.parse(file, network.text(), network.textLine()),
                firewall == null ? null : Uci.parse(file, firewall.text(), firewall.textLine()), tables);
    }

    /** openwrt-dir: a copy of the router's /etc/config (network required, firewall optional). */
    private static void openWrtDirectory(HostBuilder b, Path dir, String label, YamlNode node, Map<String, Integer> tables) {
        if (!Files.isDirectory(dir)) throw node.error("no such directory: " + node.text());
        Path network = dir.resolve("network");
        if (!Files.isRegularFile(network)) throw node.error(node.text() + " has no \"network\" file (a copy of /etc/config/network)");
        String networkName = label + "/network";
        Uci net = Uci.parse(networkName, LocatedJson.readText(network, networkName), 1);
        Path firewall = dir.resolve("firewall");
        Uci fw = null;
        if (Files.isRegularFile(firewall)) {
            String fwName = label + "/firewall";
            fw = Uci.parse(fwName, LocatedJson.readText(firewall, fwName), 1);
        }
        UciReader.read(b, net, fw, tables);
    }

    private static Host snapshotHost(String name, YamlNode h, YamlNode snapshot, Path baseDir, String displayBase) {
        YamlNode managed = h.get("managed");
        if (managed != null)
            throw managed.error("host " + name + " comes from a snapshot: a collected host is always managed (\"managed\" is for "
                    + "hosts described by hand)");
        for (Map.Entry<String, YamlNode> e : h.entries())
            if (!e.getKey().equals("snapshot") && !e.getKey().equals("description"))
                throw e.getValue().error("host " + name + " comes from a snapshot: \"" + e.getKey() + "\" cannot be added to it");
        Path dir = resolve(baseDir, snapshot);
        if (!Files.isDirectory(dir)) throw snapshot.error("no such snapshot host directory: " + snapshot.text());
        if (!Files.isRegularFile(dir.resolve("ip-addr.json")))
            throw snapshot.error(snapshot.text() + " is not a host directory of a snapshot (it has no ip-addr.json)");
        return SnapshotLoader.loadHost(dir, name, join(displayBase, snapshot.text()));
    }

    private static Path resolve(Path baseDir, YamlNode pathNode) {
        String p = pathNode.text().trim();
        if (p.isEmpty()) throw pathNode.error("empty path");
        try {
            return baseDir == null ? Path.of(p) : baseDir.resolve(p).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw pathNode.error("not a path: " + p);
        }
    }

    private static String join(String base, String relative) {
        String r = relative.trim();
        if (r.startsWith("./")) r = r.substring(2);
        while (r.endsWith("/")) r = r.substring(0, r.length() - 1);
        if (base.isEmpty() || Path.of(r).isAbsolute()) return r;
        return Path.of(base).resolve(r).normalize().toString();
    }

    private static Map<String, Integer> tables(YamlNode node) {
        Map<String, Integer> out = new HashMap<>();
        if (node == null) return out;
        for (Map.Entry<String, YamlNode> e : node.entries()) {
            String v = e.getValue().text().trim();
            long n;
            try { n = Long.parseLong(v); } catch (NumberFormatException ex) { throw e.getValue().error("table number expected, got " + v); }
            if (n < 1 || n > 0xffffffffL || n == 253 || n == 254 || n == 255)
                throw e.getValue().error("table " + e.getKey() + ": number out of range or reserved (253-255): " + v);
            out.put(e.getKey(), (int) n);
        }
        return out;
    }

    private static final Set<String> IFACE_KEYS = Set.of("address", "kind", "master", "up", "mtu");
    private static final Set<String> KINDS = Set.of("ethernet", "veth", "dummy", "tun", "wireguard", "bridge");

    /**
     * interfaces: {eth0: 10.0.0.1/24} | {eth0: [A/N, B/N]} | {eth0: {address: ..., kind: tun|wireguard|bridge, master: br0,
     * up: false, mtu: N}} | {eth1: } (no address).
     */
    private static void interfaces(HostBuilder b, YamlNode node) {
        if (node == null) return;
        String file = node.doc().file();
        for (Map.Entry<String, YamlNode> e : node.entries()) {
            String name = e.getKey();
            YamlNode v = e.getValue();
            YamlNode addresses = v;
            String kind = null, master = null;
            boolean up = true;
            int mtu = 1500;
            if (v.isMap()) {
                v.onlyKeys(IFACE_KEYS);
                addresses = v.get("address");
                kind = v.string("kind");
                if (kind != null && !KINDS.contains(kind))
                    throw v.get("kind").error("unknown kind \"" + kind + "\" (" + String.join(", ", new java.util.TreeSet<>(KINDS)) + ")");
                if ("ethernet".equals(kind)) kind = null;
                master = v.string("master");
                String upText = v.string("up");
                if (upText != null) up = bool(v.get("up"));
                String mtuText = v.string("mtu");
                if (mtuText != null) {
                    try { mtu = Integer.parseInt(mtuText.trim()); } catch (NumberFormatException ex) { throw v.get("mtu").error("not an MTU: " + mtuText); }
                    if (mtu < 68 || mtu > 65535) throw v.get("mtu").error(Message.of(Sentences.MTU_OUT_OF_RANGE, mtu));
                } else if ("wireguard".equals(kind)) {
                    mtu = 1420;
                }
            }
            b.addInterface(name, kind, master, up, mtu, new Source(file, v.line(), name));
            if (addresses != null)
                for (YamlNode a : addresses.items()) b.addAddress(name, a.text(), new Source(file, a.line(), a.text()));
        }
    }

    static boolean bool(YamlNode v) {
        return switch (v.text().trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw v.error(v.what() + " must be true or false");
        };
    }

    private static void sysctl(HostBuilder b, YamlNode node) {
        if (node == null) return;
        for (Map.Entry<String, YamlNode> e : node.entries()) {
            String key = e.getKey().trim().replace('/', '.');
            if (!key.startsWith("net.")) throw e.getValue().error("not a network sysctl (net.*): " + e.getKey());
            String value = e.getValue().text().trim();
            b.sysctl(key, value, new Source(node.doc().file(), e.getValue().line(), key + " = " + value));
        }
    }

    /**
     * listen: [tcp/22, udp/53, tcp/192.168.1.1:80, tcp/[2001:db8::1]:22, tcp/0.0.0.0:80, tcp/[::]:80]. A port alone is
     * a dual-stack socket (both families); 0.0.0.0 takes IPv4 only, [::] IPv6 only (IPV6_V6ONLY).
     */
    private static List<Listener> listeners(YamlNode node) {
        List<Listener> out = new ArrayList<>();
        for (YamlNode item : node.items()) {
            String t = item.text().trim();
            int slash = t.indexOf('/');
            if (slash < 0) throw item.error("expected PROTO/PORT (tcp/22) or PROTO/ADDR:PORT, got " + t);
            String proto = t.substring(0, slash);
            if (!proto.equals("tcp") && !proto.equals("udp")) throw item.error("listen: proto must be tcp or udp, got " + proto);
            String rest = t.substring(slash + 1);
            Ip addr = null;
            Ip.Family family = null;
            int colon = rest.lastIndexOf(':');
            if (colon >= 0) {
                String a = rest.substring(0, colon);
                boolean bracketed = a.startsWith("[") && a.endsWith("]");
                if (bracketed) a = a.substring(1, a.length() - 1);
                if (!Ip.isAddress(a) || bracketed != a.contains(":"))
                    throw item.error("not an address: " + rest.substring(0, colon) + " (A.B.C.D:PORT, or [IPV6]:PORT in brackets)");
                addr = Ip.parse(a);
                family = addr.family();   // a bound socket takes its address's family; 0.0.0.0 and [::] the whole family
                if (addr.isUnspecified()) addr = null;
                rest = rest.substring(colon + 1);
            }
            int port;
            try { port = Integer.parseInt(rest); } catch (NumberFormatException e) { throw item.error("not a port: " + rest); }
            if (port < 1 || port > 65535) throw item.error("port out of range: " + port);
            out.add(new Listener(proto.equals("tcp") ? Packet.TCP : Packet.UDP, addr, port, family));
        }
        return out;
    }

    /**
     * wireguard: {wg0: "wg showconf or wg-quick text"}. A wg-quick file (one with any of wg-quick's own settings:
     * Address, DNS, MTU, Table, PreUp, PostUp, PreDown, PostDown, SaveConfig) is brought up as `wg-quick up` does
     * ({@link WgQuickUp}), creating the interface when the host does not declare it; other text is what `wg setconf`
     * takes, for an interface the host declares, and adds no route.
     */
    private static List<WgQuickUp.Result> wireguard(HostBuilder b, YamlNode node, Map<String, Integer> tables, Map<String, Ip> names) {
        List<WgQuickUp.Result> out = new ArrayList<>();
        if (node == null) return out;
        for (Map.Entry<String, YamlNode> e : node.entries()) {
            String dev = e.getKey();
            YamlNode v = e.getValue();
            WireGuardReader.Parsed p = WireGuardReader.parse(v.doc().file(), dev, padded(v.text(), v.textLine()), b.problems(), names);
            if (p.quick().present()) {
                WgQuickUp.Result r = WgQuickUp.up(b, p.config(), p.quick(), tables);
                out.add(r);
                b.tunnel(r.config());
            } else {
                if (!b.hasInterface(dev)) throw v.error(Message.of(Sentences.WG_NO_INTERFACE, dev, b.name()));
                b.tunnel(p.config());
            }
        }
        return out;
    }

    /**
     * openvpn: {NAME: "config text" | {directive: args, ...}, ccd: {COMMON-NAME: "ccd text"}} — each instance read by the
     * OpenVPN importer, at its line in this file. `dev tun` names the first tunN the host declares, as OpenVPN would get.
     */
    private static void openVpn(HostBuilder b, YamlNode node) {
        if (node == null) return;
        if (!node.isMap()) throw node.error("openvpn: expected {instance: config text, ccd: {common-name: text}}");
        String file = node.doc().file();
        List<OpenVpnConfig.Ccd> ccds = new ArrayList<>();
        YamlNode ccdNode = node.get("ccd");
        if (ccdNode != null) {
            if (!ccdNode.isMap()) throw ccdNode.error("ccd: expected {common-name: \"iroute ...\"}");
            for (Map.Entry<String, YamlNode> c : ccdNode.entries())
                ccds.add(OpenVpnReader.readCcd(file, c.getKey(), padded(c.getValue().text(), c.getValue().textLine()), b.problems()));
        }
        for (Map.Entry<String, YamlNode> e : node.entries()) {
            if (e.getKey().equals("ccd")) continue;
            YamlNode v = e.getValue();
            String text;
            int line;
            if (v.isScalar()) {
                text = v.text();
                line = v.textLine();
            } else if (v.isMap()) {
                // the design's short form: {remote: 198.51.100.2 1194, dev: tun0}, one directive per key
                StringBuilder sb = new StringBuilder();
                for (Map.Entry<String, YamlNode> d : v.entries()) sb.append(d.getKey()).append(' ').append(d.getValue().json().asText()).append('\n');
                text = sb.toString();
                line = v.line();
            } else {
                throw v.error("openvpn " + e.getKey() + ": expected the configuration text");
            }
            OpenVpnConfig c = OpenVpnReader.read(file, padded(text, line), b.problems());
            if (c.isNullDevice()) continue;   // dev null: said by the reader, nothing to simulate
            String dev = c.device();
            if (!b.hasInterface(dev) && (dev.equals("tun") || dev.equals("tap"))) {
                for (int n = 0; n < 256; n++) if (b.hasInterface(dev + n)) { c = c.withDevice(dev + n); break; }
            }
            if (!b.hasInterface(c.device())) {
                // OpenVPN makes its device (tun.c open_tun): the first free tunN for `dev tun`; its address comes when it is up
                String made = c.device();
                if (made.equals("tun") || made.equals("tap"))
                    for (int n = 0; ; n++) if (!b.hasInterface(made + n)) { made = made + n; break; }
                if (!c.device().equals(made)) c = c.withDevice(made);
                b.addInterface(made, "tun", null, true, 1500, c.source());   // ip -d shows tap devices as kind tun too
            }
            if (!ccds.isEmpty() && c.isServer()) c = c.withCcdsAndStatus(ccds, null);
            b.tunnel(c);
        }
    }

    /** Text embedded at {@code firstLine} of the file, padded so a reader's line n is the file's line n. */
    static String padded(String text, int firstLine) {
        return "\n".repeat(Math.max(0, firstLine - 1)) + text;
    }

    /** segments: {lan: [router:lan1, nas:eth0]}. */
    private static List<Segment> segments(YamlNode node, Map<String, Host> hosts) {
        List<Segment> out = new ArrayList<>();
        if (node == null) return out;
        for (Map.Entry<String, YamlNode> e : node.entries()) {
            String seg = e.getKey();
            List<Segment.Attachment> members = new ArrayList<>();
            for (YamlNode m : e.getValue().items()) {
                String t = m.text().trim();
                int colon = t.lastIndexOf(':');
                if (colon <= 0 || colon == t.length() - 1) throw m.error("segment " + seg + ": member \"" + t + "\" is not host:interface");
                String host = t.substring(0, colon), iface = t.substring(colon + 1);
                Host h = hosts.get(host);
                if (h == null) throw m.error("segment " + seg + ": unknown host \"" + host + "\"");
                if (h.iface(iface) == null)
                    throw m.error("segment " + seg + ": host " + host + " has no interface \"" + iface + "\" (it has "
                            + String.join(", ", h.interfaces().keySet()) + ")");
                Segment.Attachment a = new Segment.Attachment(host, iface);
                if (!members.contains(a)) members.add(a);
            }
            out.add(new Segment(seg, members));
        }
        return out;
    }

    private static List<ProbeReader.LocatedProbe> probes(YamlNode node, String file) {
        List<ProbeReader.LocatedProbe> out = new ArrayList<>();
        if (node == null) return out;
        if (!node.isList()) throw node.error("\"probes\" must be a list");
        Set<String> ids = new HashSet<>();
        int index = 1;
        for (YamlNode item : node.items()) {
            Probe p = ProbeReader.fromNode(item.json(), index++, file, item.line());
            if (!ids.add(p.id())) throw item.error("duplicate probe id \"" + p.id() + "\"");
            out.add(new ProbeReader.LocatedProbe(p, new Source(file, item.line(), p.describe())));
        }
        return out;
    }
}
