package roundtrip.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * The sysctl values collected from a host ("key = value"), with the kernel's defaults for absent keys. When the
 * host's sysctl.txt was not collected at all, {@link #missing()} says where it should have been: every value is
 * then the kernel's default, which the host may well not have, so a decision that rests on one is uncertain.
 */
public final class Sysctls {
    private final Map<String, String> values;
    private final Map<String, Source> sources;
    /** the file that was not collected (line 0, no text); null when the values are known */
    private final Source missing;
    /** parsed values by key, including derived per-interface keys: lookups run for every packet */
    private final Map<String, Integer> parsed = new java.util.concurrent.ConcurrentHashMap<>();
    /** echo_ignore_all of each family (see {@link #echoIgnoreAll}) */
    private final boolean echoIgnoreAll4, echoIgnoreAll6;

    public Sysctls(Map<String, String> values, Map<String, Source> sources) {
        this(values, sources, null);
    }

    private Sysctls(Map<String, String> values, Map<String, Source> sources, Source missing) {
        this.values = new TreeMap<>(values);
        this.sources = new TreeMap<>(sources);
        this.missing = missing;
        this.echoIgnoreAll4 = intValue(echoIgnoreAllKey(Ip.Family.IPV4), 0) != 0;
        this.echoIgnoreAll6 = intValue(echoIgnoreAllKey(Ip.Family.IPV6), 0) != 0;
    }

    public static Sysctls empty() { return new Sysctls(Map.of(), Map.of()); }

    /** No value known: {@code file} (e.g. "snap/vpn/sysctl.txt") was not collected. */
    public static Sysctls notCollected(String file) { return new Sysctls(Map.of(), Map.of(), new Source(file, 0, "")); }

    /** The same with other values, still marked as not collected when this one is (values set by a fix are known). */
    public Sysctls with(Map<String, String> newValues, Map<String, Source> newSources) {
        return new Sysctls(newValues, newSources, missing);
    }

    /** False when the host's sysctls were not collected: every value is the kernel's default by assumption. */
    public boolean collected() { return missing == null; }

    /** Where the missing sysctl file should have been; null when the values are known. */
    public Source missing() { return missing; }

    /** Whether {@code key}'s value is the kernel's default only because nothing was collected. */
    public boolean assumed(String key) { return missing != null && !values.containsKey(key); }

    public String get(String key) { return values.get(key); }

    public Source source(String key) { return sources.getOrDefault(key, Source.NONE); }

    public Map<String, String> all() { return java.util.Collections.unmodifiableMap(values); }

    public int intValue(String key, int dflt) {
        Integer cached = parsed.get(key);
        if (cached != null) return cached == Integer.MIN_VALUE ? dflt : cached;
        String v = values.get(key);
        int result;
        try { result = v == null ? Integer.MIN_VALUE : Integer.parseInt(v.trim()); } catch (NumberFormatException e) { result = Integer.MIN_VALUE; }
        parsed.put(key, result);
        return result == Integer.MIN_VALUE ? dflt : result;
    }

    /**
     * One device's values as the per-packet path reads them (devinet_conf / IN_DEV_* macros), resolved once per
     * device: the values never change after loading.
     */
    private record Dev(boolean forwarding, int rpFilter, boolean srcValidMark, boolean proxyArp, boolean acceptLocal) {}

    private final Map<String, Dev> devs = new java.util.concurrent.ConcurrentHashMap<>();

    private Dev dev(String iface) {
        Dev d = devs.get(iface);
        return d != null ? d : resolve(iface);
    }

    /**
     * A device's values the first time they are asked for; apart from {@link #dev} so that the lookup every packet
     * makes stays small enough for the JIT compiler to inline (with this inlined it compiled 38 KB of code).
     */
    private Dev resolve(String iface) {
        String fwd = "net.ipv4.conf." + iface.replace('.', '/') + ".forwarding";
        Dev d = new Dev(values.containsKey(fwd) ? intValue(fwd, 0) != 0 : ipForward(),
                Math.max(intValue("net.ipv4.conf.all.rp_filter", 0), intValue(confKey(iface, "rp_filter"), 0)),
                intValue("net.ipv4.conf.all.src_valid_mark", 0) != 0 || intValue(confKey(iface, "src_valid_mark"), 0) != 0,
                intValue("net.ipv4.conf.all.proxy_arp", 0) != 0 || intValue(confKey(iface, "proxy_arp"), 0) != 0,
                intValue("net.ipv4.conf.all.accept_local", 0) != 0 || intValue(confKey(iface, "accept_local"), 0) != 0);
        devs.put(iface, d);
        return d;
    }

    public boolean ipForward() {
        return intValue("net.ipv4.ip_forward", intValue("net.ipv4.conf.all.forwarding", 0)) != 0;
    }

    /**
     * The key to quote for forwarding on {@code iface}: the device's own switch when it differs from ip_forward (a
     * program set it after ip_forward last changed), else net.ipv4.ip_forward (conf.all.forwarding, which set every
     * device's switch when it last changed).
     */
    public String forwardingKey(String iface) {
        String key = "net.ipv4.conf." + iface.replace('.', '/') + ".forwarding";
        if (values.containsKey(key) && (intValue(key, 0) != 0) != ipForward()) return key;
        return values.containsKey("net.ipv4.ip_forward") || !values.containsKey("net.ipv4.conf.all.forwarding")
                ? "net.ipv4.ip_forward" : "net.ipv4.conf.all.forwarding";
    }

    /** Per-interface forwarding: a packet is forwarded only if the incoming device has forwarding on. */
    public boolean forwarding(String iface) { return dev(iface).forwarding(); }

    /** The kernel uses the maximum of conf.all and conf.IFACE (0 off, 1 strict, 2 loose). */
    public int rpFilter(String iface) { return dev(iface).rpFilter(); }

    /** Key that decided rp_filter for an interface, for quoting. */
    public String rpFilterKey(String iface) {
        int all = intValue("net.ipv4.conf.all.rp_filter", 0);
        int dev = intValue(confKey(iface, "rp_filter"), 0);
        return all >= dev ? "net.ipv4.conf.all.rp_filter" : confKey(iface, "rp_filter");
    }

    public boolean srcValidMark(String iface) { return dev(iface).srcValidMark(); }

    public boolean proxyArp(String iface) { return dev(iface).proxyArp(); }

    public boolean acceptLocal(String iface) { return dev(iface).acceptLocal(); }

    /**
     * Whether IPv6 packets arriving on {@code iface} are forwarded (ip6_forward): net.ipv6.conf.all.forwarding, or the
     * ingress device's force_forwarding (Linux 6.17). The device's own conf.IF.forwarding only switches it between
     * host and router behaviour (router advertisements, the NA router flag), never forwarding itself.
     */
    public boolean forwarding6(String iface) {
        return intValue("net.ipv6.conf.all.forwarding", 0) != 0 || intValue(conf6Key(iface, "force_forwarding"), 0) != 0;
    }

    /**
     * Whether {@code iface} takes router advertisements (ipv6_accept_ra, net/ipv6/ndisc.c): accept_ra 1 only while the
     * device does not forward (its conf.IF.forwarding, which writing conf.all.forwarding sets on every device), 2
     * always, 0 never. The kernel's default for accept_ra is 1.
     */
    public boolean acceptsRa(String iface) {
        int ra = intValue(conf6Key(iface, "accept_ra"), 1);
        return deviceForwarding6(iface) ? ra == 2 : ra != 0;
    }

    /** The device's own IPv6 forwarding switch (host or router behaviour), as collected, else conf.all.forwarding's. */
    public boolean deviceForwarding6(String iface) {
        return intValue(conf6Key(iface, "forwarding"), intValue("net.ipv6.conf.all.forwarding", 0)) != 0;
    }

    /** The key to quote for IPv6 forwarding on {@code iface}: the device's force_forwarding when it is what switched it on. */
    public String forwarding6Key(String iface) {
        if (intValue("net.ipv6.conf.all.forwarding", 0) == 0 && intValue(conf6Key(iface, "force_forwarding"), 0) != 0)
            return conf6Key(iface, "force_forwarding");
        return "net.ipv6.conf.all.forwarding";
    }

    /**
     * Whether {@code iface} answers neighbour solicitations for its proxy entries (ndisc_recv_ns): the device must
     * forward (its conf.IF.forwarding) and proxy_ndp must be on for all or for it.
     */
    public boolean proxyNdp(String iface) {
        return intValue(conf6Key(iface, "forwarding"), intValue("net.ipv6.conf.all.forwarding", 0)) != 0
                && (intValue("net.ipv6.conf.all.proxy_ndp", 0) != 0 || intValue(conf6Key(iface, "proxy_ndp"), 0) != 0);
    }

    /** IPv6 is off on the device (disable_ipv6 of the device, or of all when the device's is not known). */
    public boolean ipv6Disabled(String iface) {
        return intValue(conf6Key(iface, "disable_ipv6"), intValue("net.ipv6.conf.all.disable_ipv6", 0)) != 0;
    }

    /** The net.ipv6.conf key of a device's setting (dots in device names are printed as slashes). */
    public static String conf6Key(String iface, String leaf) {
        return "net.ipv6.conf." + iface.replace('.', '/') + "." + leaf;
    }

    public boolean bridgeNfCallIptables() { return intValue("net.bridge.bridge-nf-call-iptables", 0) != 0; }

    /** echo_ignore_all of a family (icmp_echo, icmpv6_echo_reply): read for every ping answered, so read once. */
    public boolean echoIgnoreAll(Ip.Family family) { return family == Ip.Family.IPV6 ? echoIgnoreAll6 : echoIgnoreAll4; }

    /** The switch that silences echo replies of a family: net.ipv4.icmp_echo_ignore_all, net.ipv6.icmp.echo_ignore_all (5.4). */
    public static String echoIgnoreAllKey(Ip.Family family) {
        return family == Ip.Family.IPV6 ? "net.ipv6.icmp.echo_ignore_all" : "net.ipv4.icmp_echo_ignore_all";
    }

    /** br_netfilter's switch for bridged packets of a family: bridge-nf-call-iptables, or -ip6tables for IPv6. */
    public static String bridgeNfCallKey(Ip.Family family) {
        return family == Ip.Family.IPV6 ? "net.bridge.bridge-nf-call-ip6tables" : "net.bridge.bridge-nf-call-iptables";
    }

    public boolean bridgeNfCall(Ip.Family family) { return intValue(bridgeNfCallKey(family), 0) != 0; }

    public boolean tcpLoose() { return intValue("net.netfilter.nf_conntrack_tcp_loose", 1) != 0; }

    public boolean tcpBeLiberal() { return intValue("net.netfilter.nf_conntrack_tcp_be_liberal", 0) != 0; }

    private static String confKey(String iface, String leaf) {
        // sysctl prints interface names with dots as slashes (eth0.100 -> eth0/100)
        return "net.ipv4.conf." + iface.replace('.', '/') + "." + leaf;
    }
}
