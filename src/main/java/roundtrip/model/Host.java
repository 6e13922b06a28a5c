package roundtrip.model;

import roundtrip.netfilter.Ruleset;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the simulator knows about one Linux host: interfaces, routes of all tables, policy rules,
 * netfilter rules, sysctls and (optionally) its listening sockets. {@code listeners == null} means the
 * snapshot had no ss-listen.txt: then the probed port is taken to be open on the host that receives it.
 */
public final class Host {
    private final String name;
    private final Map<String, Interface> interfaces;
    private final List<Route> routes;
    private final List<Rule> rules;
    private final Ruleset firewall;
    private final Sysctls sysctls;
    private final List<Listener> listeners;
    private final List<Problem> problems;
    private final List<TunnelConfig> tunnels;
    private final FirewallConfig firewallConfig;
    private final boolean managed;
    /** IPv6 neighbour proxy entries (ip6-neigh-proxy.json); set by {@link #withNdpProxies}, kept by the copies */
    private List<NdpProxy> ndpProxies = List.of();

    public Host(String name, List<Interface> interfaces, List<Route> routes, List<Rule> rules, Ruleset firewall,
                Sysctls sysctls, List<Listener> listeners, List<Problem> problems) {
        this(name, interfaces, routes, rules, firewall, sysctls, listeners, problems, List.of());
    }

    public Host(String name, List<Interface> interfaces, List<Route> routes, List<Rule> rules, Ruleset firewall,
                Sysctls sysctls, List<Listener> listeners, List<Problem> problems, List<TunnelConfig> tunnels) {
        this(name, interfaces, routes, rules, firewall, sysctls, listeners, problems, tunnels, null);
    }

    /** @param firewallConfig the configuration {@code firewall} was generated from, or null when the input does not hold one */
    public Host(String name, List<Interface> interfaces, List<Route> routes, List<Rule> rules, Ruleset firewall,
                Sysctls sysctls, List<Listener> listeners, List<Problem> problems, List<TunnelConfig> tunnels,
                FirewallConfig firewallConfig) {
        this(name, interfaces, routes, rules, firewall, sysctls, listeners, problems, tunnels, firewallConfig, true);
    }

    /** @param managed false for a host the user cannot change (see {@link #managed()}) */
    public Host(String name, List<Interface> interfaces, List<Route> routes, List<Rule> rules, Ruleset firewall,
                Sysctls sysctls, List<Listener> listeners, List<Problem> problems, List<TunnelConfig> tunnels,
                FirewallConfig firewallConfig, boolean managed) {
        this.managed = managed;
        this.tunnels = List.copyOf(tunnels);
        this.firewallConfig = firewallConfig;
        this.name = name;
        Map<String, Interface> byName = new LinkedHashMap<>();
        for (Interface i : interfaces) byName.put(i.name(), i);
        this.interfaces = Collections.unmodifiableMap(byName);
        this.routes = List.copyOf(routes);
        List<Rule> sorted = new ArrayList<>(rules);
        sorted.sort((a, b) -> Integer.compare(a.priority(), b.priority()));   // not comparingInt: see Fib's route order
        this.rules = List.copyOf(sorted);
        this.firewall = firewall == null ? Ruleset.EMPTY : firewall;
        this.sysctls = sysctls == null ? Sysctls.empty() : sysctls;
        this.listeners = listeners == null ? null : List.copyOf(listeners);
        this.problems = problems == null ? List.of() : List.copyOf(problems);
    }

    public String name() { return name; }
    public Map<String, Interface> interfaces() { return interfaces; }
    public Interface iface(String n) { return interfaces.get(n); }
    public List<Route> routes() { return routes; }
    /** Policy rules sorted by priority (stable: same priority keeps file order, as the kernel does). */
    public List<Rule> rules() { return rules; }
    public Ruleset firewall() { return firewall; }
    /** The configuration the firewall was generated from (OpenWrt's /etc/config/firewall); null when not known. */
    public FirewallConfig firewallConfig() { return firewallConfig; }
    public Sysctls sysctls() { return sysctls; }
    public List<Listener> listeners() { return listeners; }
    /** Things the importers did not understand or found suspicious on this host. */
    public List<Problem> problems() { return problems; }

    /** Tunnel daemons and drivers configured on this host (WireGuard interfaces, OpenVPN instances, ...). */
    public List<TunnelConfig> tunnels() { return tunnels; }

    /**
     * Whether the user can change this host. False for a host described only to complete the path (the ISP's router,
     * a cloud fabric, a friend's site: a network file's {@code managed: false}); collected hosts are always managed.
     */
    public boolean managed() { return managed; }

    /** The same host with {@link #managed()} set; copies that rebuild a host keep the flag through this. */
    public Host withManaged(boolean managed) {
        if (managed == this.managed) return this;
        Host h = new Host(name, List.copyOf(interfaces.values()), routes, rules, firewall, sysctls, listeners, problems, tunnels,
                firewallConfig, managed);
        h.ndpProxies = ndpProxies;
        return h;
    }

    /** The IPv6 neighbour proxy entries (ip -6 neigh show proxy); empty when none were collected. */
    public List<NdpProxy> ndpProxies() { return ndpProxies; }

    /** The same host with these neighbour proxy entries. */
    public Host withNdpProxies(List<NdpProxy> entries) {
        Host h = new Host(name, List.copyOf(interfaces.values()), routes, rules, firewall, sysctls, listeners, problems, tunnels,
                firewallConfig, managed);
        h.ndpProxies = List.copyOf(entries);
        return h;
    }

    public boolean ownsAddress(Ip ip) {
        for (Interface i : interfaces.values()) if (i.hasAddress(ip)) return true;
        return false;
    }

    public Interface interfaceWithAddress(Ip ip) {
        for (Interface i : interfaces.values()) if (i.hasAddress(ip)) return i;
        return null;
    }

    @Override public String toString() { return name; }
}
