package roundtrip.lab;

import roundtrip.importer.KernelRoutes;
import roundtrip.model.Address;
import roundtrip.model.Host;
import roundtrip.model.Interface;
import roundtrip.model.Ip;
import roundtrip.model.Listener;
import roundtrip.model.Network;
import roundtrip.model.OpenVpnConfig;
import roundtrip.model.Packet;
import roundtrip.model.Probe;
import roundtrip.model.Route;
import roundtrip.model.Rule;
import roundtrip.model.Segment;
import roundtrip.model.Source;
import roundtrip.model.Text;
import roundtrip.model.TunnelConfig;
import roundtrip.model.WireGuardConfig;
import roundtrip.netfilter.Ruleset;
import roundtrip.netfilter.iptables.IptablesRuleset;
import roundtrip.netfilter.nft.NftRuleset;
import roundtrip.tunnel.OpenVpnTunnel;
import roundtrip.tunnel.Tunnel;
import roundtrip.tunnel.Tunnels;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a loaded network (snapshots or a network file) back into a {@link Scenario} the lab can build, so that a
 * fix can be proven on a real kernel for a network the user described rather than one written for the test suite.
 *
 * <p>What is rebuilt: interfaces (veth pairs or a hidden switch per segment, Linux bridges, WireGuard by
 * wireguard-go, everything else a dummy device that swallows what is sent to it), addresses, every route and
 * rule the kernel does not add by itself, the sysctls of the snapshot, the iptables text (iptables-restore), the
 * nft tables that are not iptables-nft's (nft -j -f), listening services, and OpenVPN instances. What cannot be
 * rebuilt faithfully is refused with the reason ({@link Unbuildable}); what is approximated is listed in
 * {@link Result#notes()}.
 */
public final class NetworkScenario {
    /** The network cannot be rebuilt in namespaces without changing what it does. */
    public static final class Unbuildable extends IllegalArgumentException {
        public Unbuildable(String message) { super(message); }
    }

    public record Result(Scenario scenario, List<roundtrip.model.Message> notes) {}

    private static final Set<String> DAEMON_KINDS = Set.of("wireguard", "tun");

    private final Network net;
    private final List<roundtrip.model.Message> notes = new ArrayList<>();

    private NetworkScenario(Network net) { this.net = net; }

    /** {@link #of(Network, List, Map, Map, String)} with each probe's target and port where the simulation delivers it. */
    public static Result of(Network net, List<Probe> probes, roundtrip.sim.Simulator sim, String description) {
        Map<String, String> targets = new LinkedHashMap<>();
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (Probe p : probes) {
            roundtrip.sim.ProbeResult r = sim.run(p, false);
            if (!r.request().delivered()) continue;
            targets.put(p.id(), r.request().deliveredTo());
            if (r.request().deliveredPort() != 0) ports.put(p.id(), r.request().deliveredPort());
        }
        return of(net, probes, targets, ports, description);
    }

    /**
     * @param targets per probe id, the host the simulation delivers the request to (after any DNAT), where the
     *                lab's capture watches for it; a probe without one is watched at the owner of its destination
     * @param ports   per probe id, the destination port the request arrives with there (a DNAT may change it)
     */
    public static Result of(Network net, List<Probe> probes, Map<String, String> targets, Map<String, Integer> ports,
                            String description) {
        NetworkScenario b = new NetworkScenario(net);
        Scenario s = new Scenario();
        s.name = "network";
        s.description = description;
        for (Segment seg : net.segments()) {
            List<String> members = new ArrayList<>();
            for (Segment.Attachment a : seg.members()) members.add(a.toString());
            if (members.size() < 2) { b.notes.add(roundtrip.model.Message.of(Sentences.SEGMENT_ONE_MEMBER, seg.name())); continue; }
            s.segments.put(seg.name(), members);
        }
        for (Host h : net.hosts().values()) s.hosts.put(h.name(), b.host(h, s.segments));
        for (Probe p : probes) s.probes.add(b.probe(p, targets.get(p.id()), ports.get(p.id())));
        for (Scenario.ProbeSpec p : s.probes) {
            // no ss-listen.txt: the simulation takes every probed port to be open, so the lab opens them
            Host target = net.host(p.target != null ? p.target : b.ownerOf(p.to));
            if (target == null || target.listeners() != null || p.proto.equals("icmp")) continue;
            String service = p.proto + "/" + p.portAtTarget();
            List<String> listen = s.hosts.get(target.name()).listen;
            if (!listen.contains(service)) {
                listen.add(service);
                b.notes.add(roundtrip.model.Message.of(Sentences.LISTENERS_UNKNOWN, target.name(), service));
            }
        }
        return new Result(s, List.copyOf(b.notes));
    }

    private Scenario.HostSpec host(Host h, Map<String, List<String>> segments) {
        Scenario.HostSpec spec = new Scenario.HostSpec();
        Set<String> onSegment = new HashSet<>();
        for (List<String> members : segments.values())
            for (String m : members) if (m.startsWith(h.name() + ":")) onSegment.add(m.substring(h.name().length() + 1));
        Set<String> byDaemon = tunnels(h, spec);

        List<String> setup = new ArrayList<>();
        // devices first (bridges before their ports are enslaved), then addresses, then state
        for (Interface i : h.interfaces().values()) {
            if (i.isLoopback() || onSegment.contains(i.name()) || byDaemon.contains(i.name())) continue;
            if (i.isBridge()) setup.add("ip link add name " + i.name() + " type bridge");
            else {
                setup.add("ip link add name " + i.name() + " type dummy");
                notes.add(isDaemonKind(i) ? roundtrip.model.Message.of(Sentences.DUMMY_FOR_DAEMON_DEVICE, h.name(), i.name(), i.kind())
                        : roundtrip.model.Message.of(Sentences.DUMMY_DEVICE, h.name(), i.name()));
            }
        }
        for (Interface i : h.interfaces().values()) {
            if (onSegment.contains(i.name()) && i.isBridge())
                throw new Unbuildable(h.name() + ": bridge " + i.name() + " is itself a segment member; name its ports in the topology instead");
            if (i.master() != null) setup.add("ip link set " + i.name() + " master " + i.master());
            if (i.mtu() > 0 && i.mtu() != 1500 && !i.isLoopback() && !byDaemonOpenVpn(h, i.name())) setup.add("ip link set " + i.name() + " mtu " + i.mtu());
            if (i.noArp() && !isDaemonKind(i) && !i.isLoopback()) setup.add("ip link set " + i.name() + " arp off");
        }
        for (Interface i : h.interfaces().values()) {
            if (byDaemonOpenVpn(h, i.name())) continue; // OpenVPN configures its own device
            for (Address a : i.addresses()) {
                if (i.isLoopback() && a.local().equals(Ip.V4_LOOPBACK) && a.prefixLen() == 8) continue;
                if (KernelRoutes.isAutomatic(a)) continue;   // ::1 and link-local: the namespace's kernel makes its own
                if (a.family() == Ip.Family.IPV6) setup.add("ip -6 addr add " + a + " dev " + i.name() + " nodad");
                else setup.add("ip addr add " + a + (a.isHostScope() && !i.isLoopback() ? " scope host" : "") + " dev " + i.name());
            }
        }
        for (Interface i : h.interfaces().values()) {
            if (i.isLoopback() || byDaemonOpenVpn(h, i.name())) continue;
            setup.add("ip link set " + i.name() + (i.up() ? " up" : " down"));
        }
        // What does not need an OpenVPN device goes in before the daemons start (a client must reach its server);
        // the rest once they have made their devices.
        List<String> post = new ArrayList<>();
        setup.addAll(sysctlLines(h, false));
        // the entries ndisc_recv_ns answers for, where the device's proxy_ndp (set above) lets it
        for (var proxy : h.ndpProxies())
            if (h.iface(proxy.dev()) != null) setup.add("ip -6 neigh add proxy " + proxy.address() + " dev " + proxy.dev());
        setup.addAll(ruleLines(h));
        setup.addAll(routeLines(h, false));
        post.addAll(sysctlLines(h, true));
        post.addAll(routeLines(h, true));
        spec.setup = String.join("\n", setup);
        spec.postSetup = String.join("\n", post);

        firewall(h, spec);
        for (Listener l : h.listeners() == null ? List.<Listener>of() : h.listeners()) {
            String service = (l.proto() == Packet.TCP ? "tcp/" : "udp/") + l.port();
            if (l.proto() == Packet.UDP && daemonPorts(h).contains(l.port())) continue; // the VPN daemon's own socket
            if (!spec.listen.contains(service)) spec.listen.add(service);
            if (l.address() != null) notes.add(roundtrip.model.Message.of(Sentences.LISTENS_ON_ONE_ADDRESS, h.name(), service, l.address()));
        }
        return spec;
    }

    // ---------------------------------------------------------------- tunnels

    /** Fills the host's WireGuard and OpenVPN specs; returns the interfaces a daemon creates. */
    private Set<String> tunnels(Host h, Scenario.HostSpec spec) {
        Set<String> devices = new HashSet<>();
        for (TunnelConfig t : h.tunnels()) {
            if (t instanceof WireGuardConfig wg) {
                devices.add(wg.device());
                spec.wireguard.put(wg.device(), wireGuard(h, wg));
            } else if (t instanceof OpenVpnConfig ovpn) {
                devices.add(ovpn.device());
                openVpn(h, ovpn, spec);
            }
        }
        return devices;
    }

    /** Directives that would run programs, switch users or write outside the instance's directory in the lab. */
    private static final Set<String> OPENVPN_UNSAFE = Set.of("cd", "chroot", "user", "group", "daemon", "plugin", "up", "down",
            "route-up", "route-pre-down", "ipchange", "learn-address", "client-connect", "client-disconnect", "auth-user-pass-verify",
            "tls-verify", "script-security", "ifconfig-pool-persist", "replay-persist", "tmp-dir", "auth-user-pass", "askpass",
            "management", "management-client-auth", "management-hold", "management-query-passwords", "status", "log", "log-append",
            "writepid", "syslog", "crl-verify", "verify-client-cert", "username-as-common-name");

    private void openVpn(Host h, OpenVpnConfig ovpn, Scenario.HostSpec spec) {
        if (ovpn.text() == null) throw new Unbuildable(h.name() + ": OpenVPN " + ovpn.device() + ": the config text is unknown");
        if (!ovpn.isServer()) requireUnderlayRoute(h, ovpn);
        if (spec.openvpn == null) spec.openvpn = new Scenario.OpenVpnSpec();
        StringBuilder config = new StringBuilder();
        List<String> dropped = new ArrayList<>();
        boolean hasCcdDir = false;
        for (String line : ovpn.text().split("\n")) {
            String t = line.strip();
            String word = t.isEmpty() || t.startsWith("#") || t.startsWith(";") ? "" : Text.words(t)[0].replaceFirst("^--", "");
            if (OPENVPN_UNSAFE.contains(word)) { dropped.add(word); continue; }
            if (word.equals("dev")) line = "dev " + ovpn.device();   // "dev tun" was taken to be this device
            if (word.equals("remote")) line = resolvedRemote(line, h, ovpn);
            if (word.equals("client-config-dir")) { line = "client-config-dir ccd"; hasCcdDir = true; }
            config.append(line).append('\n');
        }
        if (!dropped.isEmpty())
            notes.add(roundtrip.model.Message.of(Sentences.OPENVPN_LEFT_OUT, h.name(), ovpn.device(), String.join(", ", new java.util.TreeSet<>(dropped))));
        if (ovpn.isServer()) {
            Map<String, String> ccds = new LinkedHashMap<>();
            for (OpenVpnConfig.Ccd c : ovpn.ccds()) ccds.put(c.commonName(), ccdText(c));
            pinClientAddresses(h, ovpn, ccds);
            if (!ccds.isEmpty() && !hasCcdDir) {
                config.append("client-config-dir ccd\n");
                notes.add(roundtrip.model.Message.of(Sentences.OPENVPN_CCD_ADDED, h.name(), ovpn.device()));
            }
            spec.openvpn.ccd.putAll(ccds);
        } else {
            String cn = commonNameOf(h, ovpn);
            if (cn != null && !cn.equals(h.name())) {
                if (spec.openvpn.commonName != null && !spec.openvpn.commonName.equals(cn))
                    throw new Unbuildable(h.name() + ": two OpenVPN clients with different common names (" + spec.openvpn.commonName + ", " + cn + ")");
                spec.openvpn.commonName = cn;
            }
        }
        String name = instanceName(ovpn);
        while (spec.openvpn.instances.containsKey(name)) name = name + "-" + ovpn.device();
        spec.openvpn.instances.put(name, config.toString());
    }

    /**
     * A `remote` line whose host the network file's names: map resolved, with the address in place of the name: the lab
     * has no DNS (the simulation used that address, and so does the daemon now). Other lines as written.
     */
    private String resolvedRemote(String line, Host h, OpenVpnConfig ovpn) {
        String[] w = Text.words(line.strip());
        if (w.length < 2) return line;
        for (OpenVpnConfig.Remote r : ovpn.remotes())
            if (r.addr() != null && r.host().equalsIgnoreCase(w[1]) && !r.host().equals(r.addr().toString())) {
                notes.add(roundtrip.model.Message.of(Sentences.OPENVPN_REMOTE_RESOLVED, h.name(), ovpn.device(), r.host(), r.addr()));
                w[1] = r.addr().toString();
                return String.join(" ", w);
            }
        return line;
    }

    /**
     * A client connects before its routes into the tunnel exist: some route outside every OpenVPN device must lead to
     * its server. A snapshot taken after a redirect-gateway without def1 (the client's own or pushed) no longer has the
     * route that carried the tunnel, so the lab could not bring the client up.
     */
    private void requireUnderlayRoute(Host h, OpenVpnConfig ovpn) {
        for (OpenVpnConfig.Remote remote : ovpn.remotes()) {
            if (remote.addr() == null) continue;
            boolean routed = h.routes().stream().anyMatch(r -> r.table() != Route.TABLE_LOCAL && r.dev() != null
                    && !byDaemonOpenVpn(h, r.dev()) && r.dst().contains(remote.addr()));
            if (routed) return;
        }
        if (ovpn.remotes().stream().anyMatch(r -> r.addr() != null))
            throw new Unbuildable(h.name() + ": OpenVPN " + ovpn.device() + ": no route to its server outside the tunnel (a redirect-gateway"
                    + " without def1 replaces the default route that carried it, and the snapshot no longer has it), so the client could"
                    + " not connect in a lab");
    }

    private static String instanceName(OpenVpnConfig ovpn) {
        String file = ovpn.source() == null ? "" : ovpn.source().file();
        String base = file.substring(file.lastIndexOf('/') + 1);
        return base.endsWith(".conf") && base.length() > 5 ? base.substring(0, base.length() - 5) : ovpn.device();
    }

    private static String ccdText(OpenVpnConfig.Ccd c) {
        StringBuilder out = new StringBuilder();
        if (c.disabled()) out.append("disable\n");
        if (c.pushReset()) out.append("push-reset\n");
        for (OpenVpnConfig.Iroute i : c.iroutes())
            out.append("iroute ").append(i.net().addr()).append(' ').append(i.net().netmask()).append('\n');
        if (c.ifconfigPush() != null)
            out.append("ifconfig-push ").append(c.ifconfigPush().local()).append(' ').append(c.ifconfigPush().remoteOrMask()).append('\n');
        for (OpenVpnConfig.Option o : c.pushes()) out.append(o.text()).append('\n');
        return out.toString().strip();
    }

    /**
     * The lab's server hands out pool addresses in the order clients connect; the network says which address each
     * client has, so each connected client gets an ifconfig-push of it (unless its CCD file already pushes one).
     */
    private void pinClientAddresses(Host server, OpenVpnConfig ovpn, Map<String, String> ccds) {
        Tunnel t = tunnels().onDevice(server.name(), ovpn.device());
        if (!(t instanceof OpenVpnTunnel s)) return;
        for (OpenVpnTunnel.Client c : s.clients()) {
            if (c.virtualAddr() == null || c.commonName() == null) continue;
            OpenVpnConfig.Ccd ccd = ovpn.ccd(c.commonName());
            if (ccd != null && (ccd.ifconfigPush() != null || ccd.disabled())) continue;
            String second;
            if (ovpn.topology() == OpenVpnConfig.Topology.SUBNET) {
                if (ovpn.server() == null) continue;
                second = ovpn.server().netmask().toString();
            } else {
                Ip peer = peerOf(c);
                if (peer == null) continue;
                second = String.valueOf(peer);
            }
            String line = "ifconfig-push " + c.virtualAddr() + " " + second;
            ccds.merge(c.commonName(), line, (a, b) -> a.isEmpty() ? b : a + "\n" + b);
        }
    }

    /** The remote end of a net30/p2p client's tunnel address, from its interface. */
    private Ip peerOf(OpenVpnTunnel.Client c) {
        if (c.peer() == null) return null;
        String[] hostDev = c.peer().split(":", 2);
        Host h = net.host(hostDev[0]);
        Interface i = h == null || hostDev.length < 2 ? null : h.iface(hostDev[1]);
        if (i == null) return null;
        for (Address a : i.addresses()) if (a.local().equals(c.virtualAddr()) && a.peer() != null) return a.peer();
        return null;
    }

    private String commonNameOf(Host h, OpenVpnConfig ovpn) {
        Tunnel t = tunnels().onDevice(h.name(), ovpn.device());
        if (!(t instanceof OpenVpnTunnel c) || c.server() == null) return null;
        for (OpenVpnTunnel.Client k : c.server().clients()) if ((h.name() + ":" + ovpn.device()).equals(k.peer())) return k.commonName();
        return null;
    }

    private Tunnels tunnelRegistry;

    private Tunnels tunnels() {
        if (tunnelRegistry == null) tunnelRegistry = new Tunnels(net);
        return tunnelRegistry;
    }

    private static boolean isDaemonKind(Interface i) { return i.kind() != null && DAEMON_KINDS.contains(i.kind()); }

    private boolean byDaemonOpenVpn(Host h, String ifname) {
        for (TunnelConfig t : h.tunnels()) if (t instanceof OpenVpnConfig o && ifname.equals(o.device())) return true;
        return false;
    }

    private Set<Integer> daemonPorts(Host h) {
        Set<Integer> ports = new HashSet<>();
        for (TunnelConfig t : h.tunnels()) {
            if (t instanceof WireGuardConfig wg && wg.listenPort() > 0) ports.add(wg.listenPort());
            if (t instanceof OpenVpnConfig o && o.port() > 0) ports.add(o.port());
        }
        return ports;
    }

    private Scenario.WireGuardSpec wireGuard(Host h, WireGuardConfig wg) {
        Scenario.WireGuardSpec spec = new Scenario.WireGuardSpec();
        if (wg.listenPort() > 0) spec.listenPort = wg.listenPort();
        if (wg.fwmark() != 0) spec.fwmark = "0x" + Long.toHexString(wg.fwmark());
        Interface i = h.iface(wg.device());
        if (i != null && i.mtu() > 0) spec.mtu = i.mtu();
        // addresses go through the host's setup lines like any other interface's
        for (WireGuardConfig.Peer p : wg.peers()) {
            Scenario.WireGuardPeer peer = new Scenario.WireGuardPeer();
            String owner = p.publicKey() == null ? null : ownerOfKey(p.publicKey());
            if (owner != null) peer.peer = owner;
            else if (p.publicKey() != null) {
                peer.publicKey = p.publicKey();
                notes.add(roundtrip.model.Message.of(Sentences.WIREGUARD_STRANGER_PEER, h.name(), wg.device(), p.shortKey()));
            } else throw new Unbuildable(h.name() + ": " + wg.device() + ": a peer without a public key cannot be rebuilt");
            p.allowedIps().forEach(a -> peer.allowedIps.add(a.toString()));
            if (p.endpointAddr() != null) peer.endpoint = p.endpointAddr() + ":" + p.endpointPort();
            spec.peers.add(peer);
        }
        return spec;
    }

    /** The WireGuard interface ("host:ifname") whose public key this is; the lab generates fresh keys for it. */
    private String ownerOfKey(String publicKey) {
        for (Host other : net.hosts().values())
            for (TunnelConfig t : other.tunnels())
                if (t instanceof WireGuardConfig wg && publicKey.equals(wg.publicKey())) return other.name() + ":" + wg.device();
        return null;
    }

    // ---------------------------------------------------------------- routing

    /**
     * {@code ip rule} lines (IPv6's {@code ip -6 rule}) for every rule but those each namespace starts with, and a
     * delete for any of those the host lacks; a family the host has no rules of keeps the namespace's.
     */
    private List<String> ruleLines(Host h) {
        List<String> lines = new ArrayList<>();
        for (Ip.Family family : Ip.Family.values()) {
            String ip = family == Ip.Family.IPV4 ? "ip rule " : "ip -6 rule ";
            List<Rule> rules = h.rules().stream().filter(r -> r.family() == family).toList();
            Map<Integer, Integer> defaults = new java.util.LinkedHashMap<>();
            for (Rule d : Rule.kernelDefaults(family, Source.NONE)) defaults.put(d.priority(), d.table());
            Set<Integer> defaultsPresent = new HashSet<>();
            for (Rule r : rules) {
                Integer table = defaults.get(r.priority());
                if (table != null && isPlainLookup(r, table)) { defaultsPresent.add(r.priority()); continue; }
                String text = r.text();
                lines.add(ip + "add pref " + r.priority() + " " + text.substring(text.indexOf('\t') + 1));
            }
            for (int priority : defaults.keySet())
                if (!defaultsPresent.contains(priority) && !rules.isEmpty()) lines.add(ip + "del pref " + priority);
        }
        return lines;
    }

    private static boolean isPlainLookup(Rule r, int table) {
        return !r.not() && r.from() == null && r.to() == null && r.fwmark() == null && r.iif() == null && r.oif() == null
                && r.tos() == null && r.action().equals("table") && r.table() == table && r.suppressPrefixLength() < 0;
    }

    /**
     * Every route but those the kernel adds for the addresses, device routes first so that gateways resolve: those
     * through an OpenVPN device when {@code ofOpenVpnDevices}, else the others.
     */
    private List<String> routeLines(Host h, boolean ofOpenVpnDevices) {
        Set<String> kernelMade = new HashSet<>();
        for (Route r : KernelRoutes.forInterfaces(new ArrayList<>(h.interfaces().values()), (i, a) -> Source.NONE)) kernelMade.add(r.text());
        List<Route> routes = new ArrayList<>();
        for (Route r : h.routes())
            if (!kernelMade.contains(r.text()) && !KernelRoutes.isAutomatic(r)
                    && (r.dev() != null && byDaemonOpenVpn(h, r.dev())) == ofOpenVpnDevices) routes.add(r);
        routes.sort(Comparator.comparing((Route r) -> r.gateway() != null));
        List<String> lines = new ArrayList<>();
        for (Route r : routes) lines.add((r.family() == Ip.Family.IPV6 ? "ip -6 route replace " : "ip route replace ") + r.text());
        return lines;
    }

    /**
     * The snapshot's sysctls in an order that keeps each value: ip_forward and conf.all.forwarding rewrite every
     * interface's forwarding (IPv6's all.forwarding too: addrconf_forward_change), so they go first; a bridge-nf key
     * the lab lacks only matters when it is on. Those of OpenVPN devices when {@code ofOpenVpnDevices}, else the others.
     */
    private List<String> sysctlLines(Host h, boolean ofOpenVpnDevices) {
        List<Map.Entry<String, String>> entries = new ArrayList<>(h.sysctls().all().entrySet());
        entries.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> sysctlOrder(e.getKey())));
        List<String> lines = new ArrayList<>();
        for (var e : entries) {
            String key = e.getKey(), value = e.getValue().trim();
            if (!key.startsWith("net.")) continue;
            String ifname = key.startsWith("net.ipv4.conf.") || key.startsWith("net.ipv6.conf.") ? key.split("\\.")[3] : null;
            if (ifname != null && !ifname.equals("all") && !ifname.equals("default") && h.iface(ifname) == null) continue;
            if ((ifname != null && byDaemonOpenVpn(h, ifname)) != ofOpenVpnDevices) continue;
            String line = "sysctl -q -w " + key + "=" + value;
            if (key.startsWith("net.bridge.") && value.equals("0"))
                line = "[ ! -e /proc/sys/" + key.replace('.', '/') + " ] || " + line;
            lines.add(line);
        }
        return lines;
    }

    private static int sysctlOrder(String key) {
        if (key.equals("net.ipv4.ip_forward")) return 0;
        if (key.startsWith("net.ipv4.conf.all.")) return 1;
        if (key.startsWith("net.ipv4.conf.default.")) return 2;
        if (key.startsWith("net.ipv6.conf.all.")) return 3;
        if (key.startsWith("net.ipv6.conf.default.")) return 4;
        return 5;
    }

    // ---------------------------------------------------------------- firewall

    private void firewall(Host h, Scenario.HostSpec spec) {
        List<Ruleset> parts = new ArrayList<>();
        flatten(h.firewall(), parts);
        for (Ruleset r : parts) {
            if (r == Ruleset.EMPTY) continue;
            if (r instanceof IptablesRuleset ipt) {
                if (ipt.family() == roundtrip.model.Ip.Family.IPV6) spec.ip6tables = ipt.text();
                else spec.iptables = ipt.text();
            }
            else if (r instanceof NftRuleset nft) {
                if (!nft.isEmpty()) spec.nftJson = nft.restoreJson();
            } else throw new Unbuildable(h.name() + ": its firewall (" + r + ") cannot be loaded into a real kernel");
        }
    }

    private static void flatten(Ruleset r, List<Ruleset> out) {
        if (r == null) return;
        if (r instanceof Ruleset.Combined c) { flatten(c.first(), out); flatten(c.second(), out); }
        else out.add(r);
    }

    // ---------------------------------------------------------------- probes

    private String ownerOf(String address) {
        Ip a = Ip.parse(address);
        for (Host h : net.hosts().values()) if (h.ownsAddress(a)) return h.name();
        return null;
    }

    private Scenario.ProbeSpec probe(Probe p, String target, Integer portAtTarget) {
        Scenario.ProbeSpec spec = new Scenario.ProbeSpec();
        spec.id = p.id();
        spec.from = p.from();
        spec.src = p.src() == null ? null : p.src().toString();
        spec.to = p.dst().toString();
        spec.proto = p.protoName();
        if (p.proto() != Packet.ICMP) spec.dport = p.dport();
        spec.target = target != null ? target : p.target();
        if (portAtTarget != null && p.proto() != Packet.ICMP && portAtTarget != p.dport()) spec.targetPort = portAtTarget;
        return spec;
    }
}
