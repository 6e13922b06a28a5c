package roundtrip.importer.openwrt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import roundtrip.importer.HostBuilder;
import roundtrip.importer.openwrt.Fw4Options.Dev;
import roundtrip.importer.openwrt.Fw4Options.Dscp;
import roundtrip.importer.openwrt.Fw4Options.Helper;
import roundtrip.importer.openwrt.Fw4Options.Icmp;
import roundtrip.importer.openwrt.Fw4Options.Limit;
import roundtrip.importer.openwrt.Fw4Options.Mac;
import roundtrip.importer.openwrt.Fw4Options.Mark;
import roundtrip.importer.openwrt.Fw4Options.Net;
import roundtrip.importer.openwrt.Fw4Options.Port;
import roundtrip.importer.openwrt.Fw4Options.Proto;
import roundtrip.importer.openwrt.Fw4Options.Reader;
import roundtrip.importer.openwrt.Fw4Options.SetMatch;
import roundtrip.importer.openwrt.Fw4Options.Stamp;
import roundtrip.importer.openwrt.Fw4Options.Weekdays;
import roundtrip.importer.openwrt.Fw4Options.ZoneRef;
import roundtrip.model.Message;
import roundtrip.model.Problem;
import roundtrip.netfilter.nft.NftRuleset;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static roundtrip.importer.openwrt.Fw4Options.DEPRECATED;
import static roundtrip.importer.openwrt.Fw4Options.LIST;
import static roundtrip.importer.openwrt.Fw4Options.NO_INVERT;
import static roundtrip.importer.openwrt.Fw4Options.REQUIRED;
import static roundtrip.importer.openwrt.Fw4Options.UNSUPPORTED;

/**
 * /etc/config/firewall translated into the ruleset OpenWrt's firewall4 generates from it: table inet fw4 with fw4's
 * chains, in the form {@code nft -j list ruleset} shows, evaluated by the nft model. This class reads the sections as
 * firewall4's fw4.uc does (how each option is read, which sections are skipped and why, how families are inferred, how
 * zones, rules, forwardings, redirects with their NAT reflection, nat sections and ipsets become rules);
 * {@link Fw4Templates} writes them as fw4's templates do. Checked against fw4 itself run on the configurations under
 * src/test/resources/fw4. Every rule is quoted at the UCI line it comes from.
 * <p>
 * What is generated but not simulated makes the results that reach it uncertain, with the option's line: time limits
 * (start/stop date and time, weekdays), MAC address matches, conntrack helper matches, ipsets filled from a file on the
 * router, and includes (their files are not part of /etc/config). IPv6 rules are generated as fw4 writes them; the
 * model, IPv4 only, never matches them.
 */
final class Fw4Translation {
    /** an interface of /etc/config/network as netifd reports it to fw4: its layer-3 device and addresses */
    record Network(String device, List<Fw4Address> addrs) {}

    static final String TABLE = "fw4";
    private static final JsonNodeFactory J = JsonNodeFactory.instance;

    /** Adds the ruleset fw4 generates from {@code fw} to the router being read, and the configuration to regenerate it. */
    static void translate(HostBuilder b, Uci fw, Map<String, Network> networks) {
        b.firewall(ruleset(fw, networks, b.problems()));
        b.firewallConfig(new Fw4Config(fw, networks));
    }

    /** The ruleset fw4 generates; what fw4 warns about, and what is not simulated, is added to {@code problems}. */
    static NftRuleset ruleset(Uci fw, Map<String, Network> networks, List<Problem> problems) {
        Fw4Translation t = new Fw4Translation(fw, networks, problems);
        t.load();
        return new Fw4Templates(t).render();
    }

    /**
     * The interfaces of /etc/config/network as netifd reports them to fw4 (ubus network.interface dump): the device
     * the router model gives each interface, and its static addresses (ipaddr with netmask, ip6addr, a WireGuard
     * interface's addresses). Addresses learnt at run time (DHCP, PPPoE) are not known.
     */
    static Map<String, Network> networks(Uci network, Map<String, String> deviceOf) {
        Map<String, Network> out = new LinkedHashMap<>();
        for (Uci.Section s : network.sections("interface")) {
            if (s.name == null) continue;
            List<Fw4Address> addrs = new ArrayList<>();
            String proto = s.get("proto", "none");
            if (proto.equals("static")) {
                addresses(s, "ipaddr", s.get("netmask"), addrs);
                addresses(s, "ip6addr", null, addrs);
            } else if (proto.equals("wireguard")) {
                addresses(s, "addresses", null, addrs);
            }
            out.put(s.name, new Network(deviceOf.get(s.name), addrs));
        }
        return out;
    }

    private static void addresses(Uci.Section s, String key, String netmask, List<Fw4Address> out) {
        for (Uci.Value v : s.list(key)) {
            String[] p = v.text().split("/", 2);
            boolean v6 = p[0].contains(":");
            int bits = v6 ? 128 : 32;
            if (p.length == 2) {
                Long b = Fw4Options.integer(p[1]);
                if (b != null) bits = b.intValue();
                else {
                    List<Fw4Address> m = Fw4Address.parse("0.0.0.0/" + p[1]);
                    if (m == null || m.get(0).bits() < 0) continue;
                    bits = m.get(0).bits();
                }
            } else if (netmask != null && !v6) {
                List<Fw4Address> m = Fw4Address.parse("0.0.0.0/" + netmask);
                if (m != null && m.get(0).bits() >= 0) bits = m.get(0).bits();
            }
            Fw4Address a = Fw4Address.of(p[0], bits);
            if (a != null) out.add(a);
        }
    }

    // ============================================================================================ state (fw4.uc)

    static final class Zone {
        final String name;
        final int line;
        int family;
        String input, output, forward;
        boolean masq, masq6, masqAllowInvalid, mtuFix, counter;
        long log;
        Limit logLimit;
        int masqLine, mtuFixLine;
        final List<ZoneMatch> matchRules = new ArrayList<>();
        List<Group> masq4Src, masq4Dest, masq6Src, masq6Dest;
        final Set<String> sflags = new HashSet<>(), dflags = new HashSet<>();
        final List<String> matchDevices = new ArrayList<>();
        final List<Fw4Address> relatedSubnets = new ArrayList<>();

        Zone(String name, int line) {
            this.name = name;
            this.line = line;
        }
    }

    /** an address with fw4's invert flag */
    record Addr(Fw4Address a, boolean invert) {}

    /** one match of a zone (fw4 zone.match_rules): devices and subnets for one family */
    record ZoneMatch(int family, List<String> devicesPos, List<String> devicesNeg, List<String> devicesNegWildcard,
                     List<Addr> subnetsPos, List<Addr> subnetsNeg, List<Addr> subnetsMasked) {}

    /** fw4's subnets_group_by_masking entry: plain addresses, negated plain ones, masked ones (each may be null) */
    record Group(List<Addr> pos, List<Addr> neg, List<Addr> masked) {
        static final Group NONE = new Group(null, null, null);
        boolean any() { return pos != null || neg != null || masked != null; }
    }

    /** fw4's subnets_split_af: IPv4 and IPv6 addresses apart, and the one family they have (null: none, 0: both) */
    record Split(List<Addr> v4, List<Addr> v6, Integer family) {
        List<Addr> of(int i) { return i == 0 ? v4 : v6; }
        boolean isEmpty() { return v4.isEmpty() && v6.isEmpty(); }
    }

    /** one nft rule fw4 renders from a rule, forwarding, redirect or nat section (rule.uc, redirect.uc) */
    static final class Spec {
        Uci.Section section;
        String name, chain, target, jumpChain, log, device;
        int family;
        Proto proto = new Proto(false, true, null);
        boolean hasAddrs, hasPorts, counter;
        List<String> saddrsPos, saddrsNeg, daddrsPos, daddrsNeg, sportsPos, sportsNeg, dportsPos, dportsNeg, smacsPos, smacsNeg,
                iifnames, oifnames, ipsetFields;
        List<Addr> saddrsMasked, daddrsMasked;
        List<Integer> icmpTypes;
        List<int[]> icmpCodes;
        Helper helper;
        Limit limit, logLimit;
        Long limitBurst;
        Stamp startDate, stopDate, startTime, stopTime;
        Weekdays weekdays;
        Mark mark, setXmark;
        Dscp dscp, setDscp;
        SetMatch ipset;
        ZoneRef src, dest;
        /** a rule's device and direction options (device out: the outgoing interface) */
        Dev dev;
        boolean devOut;
        Fw4Address raddr;
        Port rport;
        Problem notSimulated;
        int line;

        Spec copy() {
            Spec c = new Spec();
            c.section = section; c.name = name; c.chain = chain; c.target = target; c.jumpChain = jumpChain; c.log = log;
            c.device = device; c.family = family; c.proto = proto; c.hasAddrs = hasAddrs; c.hasPorts = hasPorts; c.counter = counter;
            c.saddrsPos = saddrsPos; c.saddrsNeg = saddrsNeg; c.daddrsPos = daddrsPos; c.daddrsNeg = daddrsNeg;
            c.sportsPos = sportsPos; c.sportsNeg = sportsNeg; c.dportsPos = dportsPos; c.dportsNeg = dportsNeg;
            c.smacsPos = smacsPos; c.smacsNeg = smacsNeg; c.iifnames = iifnames; c.oifnames = oifnames; c.ipsetFields = ipsetFields;
            c.saddrsMasked = saddrsMasked; c.daddrsMasked = daddrsMasked; c.icmpTypes = icmpTypes; c.icmpCodes = icmpCodes;
            c.helper = helper; c.limit = limit; c.logLimit = logLimit; c.limitBurst = limitBurst; c.startDate = startDate;
            c.stopDate = stopDate; c.startTime = startTime; c.stopTime = stopTime; c.weekdays = weekdays; c.mark = mark;
            c.setXmark = setXmark; c.dscp = dscp; c.setDscp = setDscp; c.ipset = ipset; c.src = src; c.dest = dest; c.dev = dev; c.devOut = devOut;
            c.raddr = raddr; c.rport = rport; c.notSimulated = notSimulated; c.line = line;
            return c;
        }
    }

    /** an ipset section as fw4 declares it: nft set types, match directions, entries */
    record IpSet(String name, int family, List<String> fw4types, List<String> types, List<String> directions, boolean interval,
                 List<String> flags, List<List<JsonNode>> entries, String loadfile, Long maxelem, Long timeout,
                 String comment) {}

    /** an include fw4 puts into the ruleset: where, and the file the configuration does not hold */
    record Include(String type, String path, String position, String chain, int line) {}

    final Uci fw;
    private final Map<String, Network> networks;
    final List<Problem> problems;

    Uci.Section defaultsSection;
    String dInput = "drop", dOutput = "drop", dForward = "drop", tcpRejectCode = "tcp-reset",
            anyRejectCode = "port-unreachable";
    boolean dropInvalid, synflood;
    Limit synfloodRate = new Limit(false, 25, "second");
    Long synfloodBurst = 50L;
    final List<Zone> zones = new ArrayList<>();
    final List<Spec> rules = new ArrayList<>();
    final List<Spec> redirects = new ArrayList<>();
    final List<IpSet> ipsets = new ArrayList<>();
    final List<Include> includes = new ArrayList<>();

    private Fw4Translation(Uci fw, Map<String, Network> networks, List<Problem> problems) {
        this.fw = fw;
        this.networks = networks;
        this.problems = problems;
    }

    private String label(Uci.Section s) {
        String id = s.name;
        if (id == null) id = "@" + s.type + "[" + fw.sections(s.type).indexOf(s) + "]";
        return "config " + s.type + " " + id + (s.get("name") != null ? " (" + s.get("name") + ")" : "");
    }

    private Reader reader(Uci.Section s) { return new Reader(fw, s, label(s), problems); }

    private void warn(Uci.Section s, int line, String message) {
        warn(s, line, Message.text(message));
    }

    private void warn(Uci.Section s, int line, Message message) {
        problems.add(new Problem(fw.source(line > 0 ? line : s.line, label(s)), message));
    }

    /** fw4.uc load(): defaults, ipsets, zones, rules, forwardings, redirects, nat sections, includes, in this order. */
    private void load() {
        List<Uci.Section> defaults = fw.sections("defaults");
        boolean parsed = false;
        for (Uci.Section d : defaults) {
            if (parsed) { warn(d, d.line, "ignoring duplicate defaults section (fw4 reads only the first)"); continue; }
            parsed = defaults(d);
        }
        for (Uci.Section s : fw.sections("ipset")) ipset(s);
        for (Uci.Section s : fw.sections("zone")) zone(s);
        for (Uci.Section s : fw.sections("rule")) rule(s);
        for (Uci.Section s : fw.sections("forwarding")) forwarding(s);
        for (Uci.Section s : fw.sections("redirect")) redirect(s);
        for (Uci.Section s : fw.sections("nat")) nat(s);
        for (Uci.Section s : fw.sections("include")) include(s);
    }

    // ------------------------------------------------------------------------------------------- defaults

    private boolean defaults(Uci.Section d) {
        Reader r = reader(d);
        String input = r.opt("input", Fw4Options::policy, "drop", 0), output = r.opt("output", Fw4Options::policy, "drop", 0),
                forward = r.opt("forward", Fw4Options::policy, "drop", 0);
        Boolean dropInv = r.opt("drop_invalid", Fw4Options::bool, null, 0);
        String tcpCode = r.opt("tcp_reject_code", Fw4Options::rejectCode, "tcp-reset", 0);
        String anyCode = r.opt("any_reject_code", Fw4Options::rejectCode, "port-unreachable", 0);
        Boolean synFlood = r.opt("syn_flood", Fw4Options::bool, null, 0);
        Boolean protect = r.opt("synflood_protect", Fw4Options::bool, null, 0);
        Limit rate = r.opt("synflood_rate", Fw4Options::limit, "25/second", 0);
        Long burst = r.opt("synflood_burst", Fw4Options::integer, "50", 0);
        for (String k : List.of("tcp_syncookies", "tcp_window_scaling"))
            r.opt(k, Fw4Options::bool, "1", 0);
        r.opt("tcp_ecn", Fw4Options::integer, null, 0);
        for (String k : List.of("accept_redirects", "accept_source_route")) r.opt(k, Fw4Options::bool, null, 0);
        r.opt("auto_helper", Fw4Options::bool, "1", 0);
        r.opt("custom_chains", Fw4Options::bool, null, UNSUPPORTED);
        r.opt("disable_ipv6", Fw4Options::bool, null, UNSUPPORTED);
        r.opt("flow_offloading", Fw4Options::bool, "0", 0);
        r.opt("flow_offloading_hw", Fw4Options::bool, "0", 0);
        r.opt("auto_includes", Fw4Options::bool, "1", 0);
        r.unknownOptions();
        if (!r.valid()) return false;   // fw4 then takes every default as if the section were empty
        defaultsSection = d;
        dInput = input;
        dOutput = output;
        dForward = forward;
        dropInvalid = Boolean.TRUE.equals(dropInv);
        tcpRejectCode = tcpCode;
        anyRejectCode = anyCode;
        synflood = Boolean.TRUE.equals(protect != null ? protect : synFlood);
        synfloodRate = rate;
        synfloodBurst = burst;
        return true;
    }

    // ------------------------------------------------------------------------------------------- ipsets

    private void ipset(Uci.Section s) {
        Reader r = reader(s);
        Boolean enabled = r.opt("enabled", Fw4Options::bool, "1", 0);
        r.opt("reload_set", Fw4Options::bool, null, 0);
        r.opt("counters", Fw4Options::bool, null, 0);
        String comment = r.opt("comment", Fw4Options::string, null, 0);
        String name = r.opt("name", Fw4Options::identifier, null, REQUIRED);
        Integer family = r.opt("family", Fw4Options::family, "4", 0);
        r.opt("storage", Fw4Options::string, null, UNSUPPORTED);
        List<String[]> match = r.list("match", Fw4Options::ipsetType, null, LIST);
        for (String k : List.of("iprange", "portrange", "external")) r.opt(k, Fw4Options::string, null, UNSUPPORTED);
        for (String k : List.of("netmask", "hashsize")) r.opt(k, Fw4Options::integer, null, UNSUPPORTED);
        Long maxelem = r.opt("maxelem", Fw4Options::integer, null, 0);
        Long timeout = r.opt("timeout", Fw4Options::integer, "-1", 0);
        List<String> entry = r.list("entry", Fw4Options::string, null, LIST);
        String loadfile = r.opt("loadfile", Fw4Options::string, null, 0);
        r.unknownOptions();
        if (!r.valid() || !Boolean.TRUE.equals(enabled)) return;
        if (match == null) { warn(s, s.line, "has no datatypes assigned: fw4 skips the set"); return; }
        List<String> dirs = new ArrayList<>(), fw4types = new ArrayList<>(), types = new ArrayList<>();
        for (String[] m : match) { dirs.add(m[0]); fw4types.add(m[1]); }
        if ((fw4types.contains("ip") || fw4types.contains("net")) && family == 0) {
            warn(s, r.line("family"), "must not specify family 'any' when matching type 'ip' or 'net': fw4 skips the set");
            return;
        }
        if (fw4types.contains("set")) { warn(s, r.line("match"), "match type 'set' is not supported: fw4 skips the set"); return; }
        for (String t : fw4types)
            types.add(switch (t) {
                case "ip", "net" -> family == 4 ? "ipv4_addr" : "ipv6_addr";
                case "mac" -> "ether_addr";
                default -> "inet_service";
            });
        boolean interval = fw4types.contains("net");
        List<String> flags = new ArrayList<>();
        if (interval) flags.add("interval");
        if (timeout != null && timeout >= 0) flags.add("timeout");
        List<List<JsonNode>> entries = new ArrayList<>();
        if (entry != null)
            for (String e : entry) {
                List<JsonNode> v = ipsetEntry(e, types, fw4types);
                if (v == null) warn(s, r.line("entry"), "ignoring invalid ipset entry '" + e + "' (as fw4 does)");
                else entries.add(v);
            }
        ipsets.add(new IpSet(name, family, fw4types, types, dirs, interval, flags, entries, loadfile, maxelem,
                timeout, comment));
    }

    /** fw4's parse_ipsetentry: one value per type, separated by spaces */
    private List<JsonNode> ipsetEntry(String e, List<String> types, List<String> fw4types) {
        String[] values = e.trim().split("[ \\t]+");
        if (values.length != types.size()) return null;
        List<JsonNode> out = new ArrayList<>();
        for (int i = 0; i < types.size(); i++) {
            switch (types.get(i)) {
                case "ipv4_addr", "ipv6_addr" -> {
                    int fam = types.get(i).equals("ipv4_addr") ? 4 : 6;
                    List<Fw4Address> a = Fw4Options.subnet(values[i], networks);
                    if (a == null) return null;
                    a = a.stream().filter(x -> x.family() == fam).toList();
                    if (a.isEmpty()) return null;
                    Fw4Address x = a.get(0);
                    out.add(fw4types.contains("net") ? Fw4Templates.addressValue(x.network() + "/" + x.bits()) : J.textNode(x.network()));
                }
                case "ether_addr" -> {
                    Mac m = Fw4Options.mac(values[i]);
                    if (m == null || m.invert()) return null;
                    out.add(J.textNode(m.mac()));
                }
                default -> {
                    Port p = Fw4Options.port(values[i]);
                    if (p == null || p.invert() || p.min() != p.max()) return null;
                    out.add(J.numberNode(p.min()));
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------- zones

    private void zone(Uci.Section s) {
        Reader r = reader(s);
        Boolean enabled = r.opt("enabled", Fw4Options::bool, "1", 0);
        String name = r.opt("name", Fw4Options::identifier, null, REQUIRED);
        Integer family = r.opt("family", Fw4Options::family, null, 0);
        List<Dev> network = r.list("network", Fw4Options::device, null, LIST);
        List<Dev> device = r.list("device", Fw4Options::device, null, LIST);
        List<Net> subnet = r.list("subnet", v -> Fw4Options.network(v, networks), null, LIST);
        String input = r.opt("input", Fw4Options::policy, dInput, 0), output = r.opt("output", Fw4Options::policy, dOutput, 0),
                forward = r.opt("forward", Fw4Options::policy, dForward, 0);
        Boolean masq = r.opt("masq", Fw4Options::bool, null, 0);
        Boolean allowInvalid = r.opt("masq_allow_invalid", Fw4Options::bool, null, 0);
        List<Net> masqSrc = r.list("masq_src", v -> Fw4Options.network(v, networks), null, LIST);
        List<Net> masqDest = r.list("masq_dest", v -> Fw4Options.network(v, networks), null, LIST);
        Boolean masq6 = r.opt("masq6", Fw4Options::bool, null, 0);
        for (String k : List.of("extra", "extra_src", "extra_dest")) r.opt(k, Fw4Options::string, null, UNSUPPORTED);
        Boolean mtuFix = r.opt("mtu_fix", Fw4Options::bool, null, 0);
        r.opt("custom_chains", Fw4Options::bool, null, UNSUPPORTED);
        Long log = r.opt("log", Fw4Options::integer, null, 0);
        Limit logLimit = r.opt("log_limit", Fw4Options::limit, null, 0);
        r.opt("auto_helper", Fw4Options::bool, "1", 0);
        r.list("helper", Fw4Options::helper, null, LIST);
        Boolean counter = r.opt("counter", Fw4Options::bool, "1", 0);
        r.unknownOptions();
        if (!r.valid() || !Boolean.TRUE.equals(enabled)) return;

        Zone z = new Zone(name, s.line);
        z.input = input;
        z.output = output;
        z.forward = forward;
        z.masq = Boolean.TRUE.equals(masq);
        z.masq6 = Boolean.TRUE.equals(masq6);
        z.masqAllowInvalid = Boolean.TRUE.equals(allowInvalid);
        z.mtuFix = Boolean.TRUE.equals(mtuFix);
        z.counter = Boolean.TRUE.equals(counter);
        z.log = log == null ? 0 : log;
        z.logLimit = logLimit;
        z.masqLine = r.line("masq");
        z.mtuFixLine = r.line("mtu_fix");

        List<Dev> matchDevices = new ArrayList<>();
        if (network != null)
            for (Dev n : network) {
                Network net = n.name() == null ? null : networks.get(n.name());
                if (net == null) {
                    warn(s, r.line("network"), Message.of(Sentences.ZONE_NETWORK_UNKNOWN, name, n.name()));
                    continue;
                }
                if (net.device() != null) matchDevices.add(new Dev(n.invert(), false, net.device()));
                z.relatedSubnets.addAll(net.addrs());
            }
        if (device != null) matchDevices.addAll(device);
        Split matchSubnets = split(subnet), masqSrcSubnets = split(masqSrc), masqDestSubnets = split(masqDest);
        for (Addr a : matchSubnets.v4()) z.relatedSubnets.add(a.a());
        for (Addr a : matchSubnets.v6()) z.relatedSubnets.add(a.a());

        Object fam = inferFamily(family, List.of(new Ref(matchSubnets.family(), "subnet list")));
        if (fam instanceof String conflict) { warn(s, s.line, conflict + ": fw4 skips the zone"); return; }
        int zfamily = fam == null ? 0 : (Integer) fam;

        // device groups: each wildcard on its own, the plain names together, each with the negated ones
        List<List<List<String>>> groups = new ArrayList<>();
        List<String> plain = new ArrayList<>(), plainInvert = new ArrayList<>(), wildcardInvert = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Dev d : matchDevices) {
            String dev = d.name();
            if (dev == null || !dev.matches("[^+]*\\+?")) {
                warn(s, r.line("device"), "skipping invalid wildcard pattern '" + (dev == null ? "*" : dev) + "' (as fw4 does)");
                continue;
            }
            boolean invert = d.invert();
            if (!invert && dev.equals("+")) continue;   // any device: nft has no wildcard-only match
            boolean wildcard = dev.endsWith("+");
            if (invert && dev.equals("+")) { dev = "/never/"; invert = false; wildcard = false; }
            else if (wildcard) dev = dev.substring(0, dev.length() - 1) + "*";
            if (!invert) names.add(dev);
            if (!invert && wildcard) groups.add(List.of(List.of(dev), plainInvert, wildcardInvert));
            else if (!invert) plain.add(dev);
            else if (wildcard) wildcardInvert.add(dev);
            else plainInvert.add(dev);
        }
        if (!plain.isEmpty()) groups.add(List.of(plain, plainInvert, wildcardInvert));
        else if (groups.isEmpty()) groups.add(java.util.Arrays.asList(null, plainInvert, wildcardInvert));

        if (!matchDevices.isEmpty() || !matchSubnets.isEmpty()) {
            for (List<List<String>> g : groups) {
                if (zfamily == 0 && matchSubnets.isEmpty()) {
                    z.matchRules.add(zoneMatch(0, g, Group.NONE));
                } else {
                    if (zfamily == 0 || zfamily == 4) for (Group sub : group(matchSubnets.v4())) z.matchRules.add(zoneMatch(4, g, sub));
                    if (zfamily == 0 || zfamily == 6) for (Group sub : group(matchSubnets.v6())) z.matchRules.add(zoneMatch(6, g, sub));
                }
            }
        }
        z.family = zfamily;
        z.masq4Src = group(masqSrcSubnets.v4());
        z.masq4Dest = group(masqDestSubnets.v4());
        z.masq6Src = group(masqSrcSubnets.v6());
        z.masq6Dest = group(masqDestSubnets.v6());
        z.sflags.add(z.input);
        z.dflags.add(z.output);
        z.dflags.add(z.forward);
        z.matchDevices.addAll(names);
        if (z.masq || z.masq6) z.dflags.add("snat");
        zones.add(z);
    }

    private static ZoneMatch zoneMatch(int family, List<List<String>> devices, Group subnets) {
        return new ZoneMatch(family, nullIfEmpty(devices.get(0)), nullIfEmpty(devices.get(1)), nullIfEmpty(devices.get(2)),
                subnets.pos(), subnets.neg(), subnets.masked());
    }

    static <T> List<T> nullIfEmpty(List<T> l) { return l == null || l.isEmpty() ? null : l; }

    /** subnets_split_af */
    private static Split split(List<Net> nets) {
        List<Addr> v4 = new ArrayList<>(), v6 = new ArrayList<>();
        if (nets != null)
            for (Net n : nets)
                for (Fw4Address a : n.addrs()) (a.isV4() ? v4 : v6).add(new Addr(a, n.invert()));
        Integer family = null;
        if (!v4.isEmpty() || !v6.isEmpty()) family = (v4.isEmpty() != v6.isEmpty()) ? (v4.isEmpty() ? 6 : 4) : 0;
        return new Split(v4, v6, family);
    }

    private static Split splitAddrs(List<Fw4Address> addrs) {
        List<Net> one = List.of(new Net(false, addrs));
        return split(one);
    }

    /** subnets_group_by_masking: each non-contiguous mask its own rule, the plain addresses together */
    private static List<Group> group(List<Addr> addrs) {
        List<Group> groups = new ArrayList<>();
        List<Addr> plain = new ArrayList<>(), nc = new ArrayList<>(), invertPlain = new ArrayList<>(), invertMasked = new ArrayList<>();
        for (Addr a : addrs) {
            boolean masked = a.a().bits() == -1 && !a.a().isRange();
            if (masked && !a.invert()) nc.add(a);
            else if (!a.invert()) plain.add(a);
            else if (masked) invertMasked.add(a);
            else invertPlain.add(a);
        }
        for (Addr a : nc) {
            List<Addr> m = new ArrayList<>(List.of(a));
            m.addAll(invertMasked);
            groups.add(new Group(null, nullIfEmpty(invertPlain), m));
        }
        if (!plain.isEmpty()) groups.add(new Group(plain, nullIfEmpty(invertPlain), nullIfEmpty(invertMasked)));
        else if (groups.isEmpty()) groups.add(new Group(null, nullIfEmpty(invertPlain), nullIfEmpty(invertMasked)));
        return groups;
    }

    /** what a section refers to, for fw4's infer_family: its family (null or 0: any) and how fw4 names it */
    record Ref(Integer family, String desc) {}

    /** infer_family: the one family the references agree on; a String saying what conflicts when they do not */
    private static Object inferFamily(Integer f, List<Ref> refs) {
        Integer res = f;
        String by = null;
        for (Ref r : refs) {
            if (r.family() == null || r.family() == 0 || r.family().equals(res)) continue;
            if (res == null || res == 0) {
                res = r.family();
                by = r.desc();
                continue;
            }
            return by != null ? "references IPv" + r.family() + " only " + r.desc() + " but is restricted to IPv" + res + " by " + by
                    : "is restricted to IPv" + res + " but referenced " + r.desc() + " is IPv" + r.family() + " only";
        }
        return res;
    }

    private ZoneRef zoneRef(String v) {
        if (v.equals("*")) return new ZoneRef(true, null);
        for (Zone z : zones) if (z.name.equals(v)) return new ZoneRef(false, z);
        return null;
    }

    private static Integer familyOf(ZoneRef r) { return r == null || r.zone() == null ? null : r.zone().family; }

    // ------------------------------------------------------------------------------------------- forwardings

    private void forwarding(Uci.Section s) {
        Reader r = reader(s);
        Boolean enabled = r.opt("enabled", Fw4Options::bool, "1", 0);
        String name = r.opt("name", Fw4Options::string, null, 0);
        Integer family = r.opt("family", Fw4Options::family, null, 0);
        ZoneRef src = r.opt("src", this::zoneRef, null, REQUIRED), dest = r.opt("dest", this::zoneRef, null, REQUIRED);
        r.unknownOptions();
        if (!r.valid() || !Boolean.TRUE.equals(enabled)) return;
        Object fam = inferFamily(family, List.of(new Ref(familyOf(src), "source zone"), new Ref(familyOf(dest), "destination zone")));
        if (fam instanceof String conflict) { warn(s, s.line, conflict + ": fw4 skips the forwarding"); return; }
        int f = fam == null ? 0 : (Integer) fam;
        Spec x = new Spec();
        x.section = s;
        x.line = s.line;
        x.family = f;
        x.name = name != null ? name : "Accept " + (src.any() ? "any" : src.zone().name) + " to " + (dest.any() ? "any" : dest.zone().name)
                + " " + (f != 0 ? Fw4Templates.nfprotoHuman(f) + " " : "") + "forwarding";
        x.chain = src.any() ? "forward" : "forward_" + src.zone().name;
        x.src = src;
        x.dest = dest;
        if (dest.any()) x.target = "accept";
        else x.jumpChain = "accept_to_" + dest.zone().name;
        rules.add(x);
        if (dest.zone() != null) dest.zone().dflags.add("accept");
    }

    // ------------------------------------------------------------------------------------------- rules

    /** The options fw4 matches on but the simulation does not know: the rule's results are uncertain. */
    private Problem notSimulated(Uci.Section s, Reader r, boolean helper, boolean mac, boolean time, IpSet set) {
        if (time) {
            for (String k : List.of("start_date", "stop_date", "start_time", "stop_time", "weekdays"))
                if (s.has(k))
                    return new Problem(fw.source(r.line(k), label(s)), Message.of(Sentences.RULE_TIME_NOT_SIMULATED, k));
        }
        if (mac) return new Problem(fw.source(r.line("src_mac"), label(s)), Message.of(Sentences.RULE_SRC_MAC_NOT_SIMULATED));
        if (helper) return new Problem(fw.source(r.line("helper"), label(s)), Message.of(Sentences.RULE_HELPER_NOT_SIMULATED));
        if (set != null && set.loadfile() != null)
            return new Problem(fw.source(r.line("ipset"), label(s)), Message.of(Sentences.RULE_IPSET_LOADFILE, set.name(), set.loadfile()));
        return null;
    }

    private void rule(Uci.Section s) {
        Reader r = reader(s);
        Boolean enabled = r.opt("enabled", Fw4Options::bool, "1", 0);
        String name = r.opt("name", Fw4Options::string, sectionId(s), 0);
        r.opt("_name", Fw4Options::string, null, DEPRECATED);
        Integer family = r.opt("family", Fw4Options::family, null, 0);
        ZoneRef src = r.opt("src", this::zoneRef, null, 0), dest = r.opt("dest", this::zoneRef, null, 0);
        Dev device = r.opt("device", Fw4Options::device, null, NO_INVERT);
        Boolean direction = r.opt("direction", Fw4Options::direction, null, 0);
        SetMatch ipsetMatch = r.opt("ipset", Fw4Options::setMatch, null, 0);
        Helper helper = r.opt("helper", Fw4Options::helper, null, 0);
        Helper setHelper = r.opt("set_helper", Fw4Options::helper, null, NO_INVERT);
        List<Proto> protos = flatten(r.list("proto", Fw4Options::protocol, "tcpudp", LIST));
        List<Net> srcIp = r.list("src_ip", v -> Fw4Options.network(v, networks), null, LIST);
        List<Mac> srcMac = r.list("src_mac", Fw4Options::mac, null, LIST);
        List<Port> srcPort = r.list("src_port", Fw4Options::port, null, LIST);
        List<Net> destIp = r.list("dest_ip", v -> Fw4Options.network(v, networks), null, LIST);
        List<Port> destPort = r.list("dest_port", Fw4Options::port, null, LIST);
        List<Icmp> icmpType = r.list("icmp_type", Fw4Options::icmpType, null, LIST);
        r.opt("extra", Fw4Options::string, null, UNSUPPORTED);
        Limit limit = r.opt("limit", Fw4Options::limit, null, 0);
        Long limitBurst = r.opt("limit_burst", Fw4Options::integer, null, 0);
        r.opt("utc_time", Fw4Options::bool, null, 0);
        Stamp startDate = r.opt("start_date", Fw4Options::date, null, 0), stopDate = r.opt("stop_date", Fw4Options::date, null, 0);
        Stamp startTime = r.opt("start_time", Fw4Options::time, null, 0), stopTime = r.opt("stop_time", Fw4Options::time, null, 0);
        Weekdays weekdays = r.opt("weekdays", Fw4Options::weekdays, null, 0);
        r.opt("monthdays", Fw4Options::monthdays, null, UNSUPPORTED);
        Mark mark = r.opt("mark", Fw4Options::mark, null, 0);
        Mark setMark = r.opt("set_mark", Fw4Options::mark, null, NO_INVERT), setXmark = r.opt("set_xmark", Fw4Options::mark, null, NO_INVERT);
        Dscp dscp = r.opt("dscp", Fw4Options::dscp, null, 0), setDscp = r.opt("set_dscp", Fw4Options::dscp, null, NO_INVERT);
        Boolean counter = r.opt("counter", Fw4Options::bool, "1", 0);
        String log = r.opt("log", Fw4Options::string, null, 0);
        Limit logLimit = r.opt("log_limit", Fw4Options::limit, null, 0);
        String target = r.opt("target", Fw4Options::target, null, 0);
        r.unknownOptions();
        if (!r.valid() || !Boolean.TRUE.equals(enabled)) return;

        if (("helper".equals(target) || "notrack".equals(target)) && (src == null || src.zone() == null)) {
            warn(s, r.line("target"), "must specify a source zone for target '" + target + "': fw4 skips the rule");
            return;
        }
        if ("dscp".equals(target) && setDscp == null) { warn(s, r.line("target"), "must specify option 'set_dscp' for target 'dscp': fw4 skips the rule"); return; }
        if ("mark".equals(target) && setMark == null && setXmark == null) {
            warn(s, r.line("target"), "must specify option 'set_mark' or 'set_xmark' for target 'mark': fw4 skips the rule");
            return;
        }
        if ("helper".equals(target) && setHelper == null) { warn(s, r.line("target"), "must specify option 'set_helper' for target 'helper': fw4 skips the rule"); return; }
        if (device != null && device.any()) { warn(s, r.line("device"), "must not specify '*' as device: fw4 skips the rule"); return; }
        if ("helper".equals(target)) return;   // conntrack helper assignment: decides no verdict, not generated

        log = logPrefix(log, name);
        IpSet set = null;
        if (ipsetMatch != null) {
            set = ipset(ipsetMatch.name());
            if (set == null) { warn(s, r.line("ipset"), "references unknown set '" + ipsetMatch.name() + "': fw4 skips the rule"); return; }
            if (set.types().contains("inet_service") && !ensureTcpUdp(protos)) {
                warn(s, r.line("ipset"), "references named set with port match but no UDP/TCP protocol: fw4 skips the rule");
                return;
            }
        }
        Spec base = new Spec();
        base.section = s;
        base.line = s.line;
        base.name = name;
        base.src = src;
        base.dest = dest;
        base.dev = device;
        base.devOut = Boolean.TRUE.equals(direction);
        base.helper = helper;
        base.limit = limit;
        base.limitBurst = limitBurst;
        base.startDate = startDate;
        base.stopDate = stopDate;
        base.startTime = startTime;
        base.stopTime = stopTime;
        base.weekdays = weekdays;
        base.mark = mark;
        base.dscp = dscp;
        base.setDscp = setDscp;
        base.setXmark = setMark != null ? new Mark(setMark.invert(), setMark.mark(), setMark.mark() | setMark.mask()) : setXmark;
        base.counter = Boolean.TRUE.equals(counter);
        base.log = log;
        base.logLimit = logLimit;
        base.target = target;
        base.ipset = ipsetMatch;
        base.notSimulated = notSimulated(s, r, helper != null, srcMac != null,
                startDate != null || stopDate != null || startTime != null || stopTime != null || weekdays != null, set);
        if (srcMac != null) {
            base.smacsPos = nullIfEmpty(srcMac.stream().filter(m -> !m.invert()).map(Mac::mac).toList());
            base.smacsNeg = nullIfEmpty(srcMac.stream().filter(Mac::invert).map(Mac::mac).toList());
        }

        for (Proto proto : protos) {
            Integer fam = family;
            List<Icmp> itypes4 = List.of(), itypes6 = List.of();
            List<Port> sports = null, dports = null;
            switch (proto.name() == null ? "" : proto.name()) {
                case "icmp" -> {
                    itypes4 = icmpType == null ? List.of() : icmpType.stream().filter(i -> i.family() == 0 || i.family() == 4).toList();
                    itypes6 = icmpType == null ? List.of() : icmpType.stream().filter(i -> i.family() == 0 || i.family() == 6).toList();
                }
                case "ipv6-icmp" -> {
                    fam = 6;
                    itypes6 = icmpType == null ? List.of() : icmpType.stream().filter(i -> i.family() == 0 || i.family() == 6).toList();
                }
                case "tcp", "udp" -> {
                    sports = srcPort;
                    dports = destPort;
                }
                default -> { }
            }
            Split sip = split(srcIp), dip = split(destIp);
            Object inferred = inferFamily(fam, List.of(new Ref(set == null ? null : set.family(), "set match"),
                    new Ref(sip.family(), "source IP"), new Ref(dip.family(), "destination IP"),
                    new Ref(familyOf(src), "source zone"), new Ref(familyOf(dest), "destination zone"),
                    new Ref(helper == null ? null : helper.family(), "helper match"),
                    new Ref(setHelper == null ? null : setHelper.family(), "helper to set")));
            if (inferred instanceof String conflict) { warn(s, s.line, conflict + ": fw4 skips this part of the rule"); continue; }
            Integer f = (Integer) inferred;
            boolean v4 = !sip.v4().isEmpty() || !dip.v4().isEmpty() || !itypes4.isEmpty() || dscp != null;
            boolean v6 = !sip.v6().isEmpty() || !dip.v6().isEmpty() || !itypes6.isEmpty() || dscp != null;
            if (f == null) f = v4 && !v6 ? 4 : v6 && !v4 ? 6 : 0;
            if (f == 0 && !"dscp".equals(target) && !v4 && !v6) {
                addRule(base, 0, proto, Group.NONE, Group.NONE, sports, dports, null, null, set);
                continue;
            }
            for (int i = 0; i <= 1; i++) {
                int af = i == 0 ? 4 : 6;
                if (f != 0 && f != af) continue;
                List<Icmp> itypes = i == 0 ? itypes4 : itypes6;
                // fw4 tells whole types from type/code pairs by the IPv4 code range, for IPv6 too: an IPv6-only name
                // (no IPv4 codes) is matched as a type . code pair
                List<Icmp> types = itypes.stream().filter(x -> x.codeMin() == 0 && x.codeMax() == 255).toList();
                List<Icmp> codes = itypes.stream().filter(x -> !(x.codeMin() == 0 && x.codeMax() == 255)).toList();
                for (Group sa : group(sip.of(i)))
                    for (Group da : group(dip.of(i))) {
                        if (!types.isEmpty() || codes.isEmpty()) addRule(base, af, proto, sa, da, sports, dports, types, null, set);
                        if (!codes.isEmpty()) addRule(base, af, proto, sa, da, sports, dports, null, codes, set);
                    }
            }
        }
    }

    private static <T> List<T> flatten(List<List<T>> l) {
        if (l == null) return List.of();
        List<T> out = new ArrayList<>();
        for (List<T> x : l) out.addAll(x);
        return out;
    }

    /** fw4's ensure_tcpudp: a protocol list with tcp or udp, or only "any" (then tcp and udp) */
    private static boolean ensureTcpUdp(List<Proto> protos) {
        if (protos.stream().anyMatch(p -> "tcp".equals(p.name()) || "udp".equals(p.name()))) return true;
        if (!protos.isEmpty() && protos.stream().allMatch(Proto::any)) {
            protos.clear();
            protos.add(new Proto(false, false, "tcp"));
            protos.add(new Proto(false, false, "udp"));
            return true;
        }
        return false;
    }

    private static String logPrefix(String log, String name) {
        if (log == null) return null;
        Boolean b = Fw4Options.bool(log);
        if (b == null) return log;
        return b ? name + ": " : null;
    }

    private IpSet ipset(String name) {
        for (IpSet s : ipsets) if (s.name().equals(name)) return s;
        return null;
    }

    /** fw4's section_id: the section's name, or @TYPE[N] for an anonymous one */
    private String sectionId(Uci.Section s) {
        return s.name != null ? s.name : "@" + s.type + "[" + fw.sections(s.type).indexOf(s) + "]";
    }

    /** parse_rule's add_rule: one rule of one family and protocol, put into the chain fw4 chooses */
    private void addRule(Spec base, int family, Proto proto, Group saddrs, Group daddrs, List<Port> sports, List<Port> dports,
                         List<Icmp> icmpTypes, List<Icmp> icmpCodes, IpSet set) {
        Spec r = base.copy();
        r.family = family;
        r.proto = proto;
        r.hasAddrs = saddrs.any() || daddrs.any();
        r.hasPorts = sports != null && !sports.isEmpty() || dports != null && !dports.isEmpty();
        addresses(r, saddrs, daddrs);
        ports(r, sports, dports);
        if (icmpTypes != null && !icmpTypes.isEmpty()) r.icmpTypes = icmpTypes.stream().map(i -> family == 4 ? i.type() : i.type6()).toList();
        if (icmpCodes != null && !icmpCodes.isEmpty())
            r.icmpCodes = icmpCodes.stream().map(i -> family == 4 ? new int[] {i.type(), i.codeMin()} : new int[] {i.type6(), i.code6Min()}).toList();
        if (set != null) {
            List<String> fields = setFields(set, base.ipset, proto.name());
            if (fields != null && fields.contains(null)) {
                warn(base.section, base.section.lineOf("ipset"), "destination MAC address matching not supported: fw4 skips this part of the rule");
                return;
            }
            r.ipsetFields = fields;
            if (fields == null) r.ipset = null;
        }
        String t = r.target;
        if ("notrack".equals(t)) {
            r.chain = "notrack_" + r.src.zone().name;
            r.src.zone().dflags.add("notrack");
        } else if ("mark".equals(t) || "dscp".equals(t)) {
            boolean srcAny = r.src != null && r.src.any(), destAny = r.dest != null && r.dest.any();
            boolean srcZone = r.src != null && r.src.zone() != null, destZone = r.dest != null && r.dest.zone() != null;
            if ((srcAny && destAny) || (srcZone && destZone)) r.chain = "mangle_forward";
            else if (srcAny && destZone) r.chain = "mangle_postrouting";
            else if (srcZone && destAny) r.chain = "mangle_prerouting";
            else if (r.src != null && r.dest == null) r.chain = "mangle_input";
            else r.chain = "mangle_output";
            if (srcZone) r.iifnames = nullIfEmpty(r.src.zone().matchDevices);
            if (destZone) r.oifnames = nullIfEmpty(r.dest.zone().matchDevices);
        } else {
            r.chain = "output";
            if (r.src != null) r.chain = r.src.any() ? (r.dest != null ? "forward" : "input") : (r.dest != null ? "forward_" : "input_") + r.src.zone().name;
            if (r.dest != null && r.src == null) r.chain = r.dest.any() ? "output" : "output_" + r.dest.zone().name;
            if (t != null && r.dest != null && !r.dest.any()) {
                r.jumpChain = t + "_to_" + r.dest.zone().name;
                r.dest.zone().dflags.add(t);
            } else if (t != null && r.src != null && r.src.zone() != null && r.src.zone().log != 0 && !t.equals("accept")) {
                r.jumpChain = t + "_from_" + r.src.zone().name;
                r.src.zone().sflags.add(t);
            } else if ("reject".equals(t)) {
                r.jumpChain = "handle_reject";
            }
        }
        if (r.dev != null) {
            if (r.devOut) r.oifnames = List.of(r.dev.name());
            else r.iifnames = List.of(r.dev.name());
        }
        rules.add(r);
    }

    private static void addresses(Spec r, Group saddrs, Group daddrs) {
        r.saddrsPos = cidrs(saddrs.pos());
        r.saddrsNeg = cidrs(saddrs.neg());
        r.saddrsMasked = saddrs.masked();
        r.daddrsPos = cidrs(daddrs.pos());
        r.daddrsNeg = cidrs(daddrs.neg());
        r.daddrsMasked = daddrs.masked();
    }

    private static void ports(Spec r, List<Port> sports, List<Port> dports) {
        if (sports != null) {
            r.sportsPos = nullIfEmpty(sports.stream().filter(p -> !p.invert()).map(Port::text).toList());
            r.sportsNeg = nullIfEmpty(sports.stream().filter(Port::invert).map(Port::text).toList());
        }
        if (dports != null) {
            r.dportsPos = nullIfEmpty(dports.stream().filter(p -> !p.invert()).map(Port::text).toList());
            r.dportsNeg = nullIfEmpty(dports.stream().filter(Port::invert).map(Port::text).toList());
        }
    }

    static List<String> cidrs(List<Addr> l) { return l == null ? null : l.stream().map(a -> a.a().cidr()).toList(); }

    /** map_setmatch: what each field of the set is matched against; null for a port set on a protocol without ports */
    private static List<String> setFields(IpSet set, SetMatch match, String proto) {
        if (set.types().contains("inet_service") && !"tcp".equals(proto) && !"udp".equals(proto)) return null;
        List<String> fields = new ArrayList<>();
        for (int i = 0; i < set.types().size(); i++) {
            String dir = match.dirs().size() > i && match.dirs().get(i) != null ? match.dirs().get(i)
                    : set.directions().size() > i ? set.directions().get(i) : "src";
            String d = dir.equals("src") ? "s" : "d";
            fields.add(switch (set.types().get(i)) {
                case "ipv4_addr" -> "ip " + d + "addr";
                case "ipv6_addr" -> "ip6 " + d + "addr";
                case "ether_addr" -> d.equals("s") ? "ether saddr" : null;
                default -> proto + " " + d + "port";
            });
        }
        return fields;
    }

    // ------------------------------------------------------------------------------------------- redirects

    private void redirect(Uci.Section s) {
        Reader r = reader(s);
        Boolean enabled = r.opt("enabled", Fw4Options::bool, "1", 0);
        String name = r.opt("name", Fw4Options::string, sectionId(s), 0);
        r.opt("_name", Fw4Options::string, null, DEPRECATED);
        Integer family = r.opt("family", Fw4Options::family, null, 0);
        ZoneRef src = r.opt("src", this::zoneRef, null, 0), destRef = r.opt("dest", this::zoneRef, null, 0);
        SetMatch ipsetMatch = r.opt("ipset", Fw4Options::setMatch, null, 0);
        Helper helper = r.opt("helper", Fw4Options::helper, null, NO_INVERT);
        List<Proto> protos = flatten(r.list("proto", Fw4Options::protocol, "tcpudp", LIST));
        Net srcIp = r.opt("src_ip", v -> Fw4Options.network(v, networks), null, 0);
        List<Mac> srcMac = r.list("src_mac", Fw4Options::mac, null, LIST);
        Port srcPort = r.opt("src_port", Fw4Options::port, null, 0);
        Net srcDip = r.opt("src_dip", v -> Fw4Options.network(v, networks), null, 0);
        Port srcDport = r.opt("src_dport", Fw4Options::port, null, 0);
        Net destIp = r.opt("dest_ip", v -> Fw4Options.network(v, networks), null, 0);
        Port destPort = r.opt("dest_port", Fw4Options::port, null, 0);
        r.opt("extra", Fw4Options::string, null, UNSUPPORTED);
        Limit limit = r.opt("limit", Fw4Options::limit, null, 0);
        Long limitBurst = r.opt("limit_burst", Fw4Options::integer, null, 0);
        r.opt("utc_time", Fw4Options::bool, null, 0);
        Stamp startDate = r.opt("start_date", Fw4Options::date, null, 0), stopDate = r.opt("stop_date", Fw4Options::date, null, 0);
        Stamp startTime = r.opt("start_time", Fw4Options::time, null, 0), stopTime = r.opt("stop_time", Fw4Options::time, null, 0);
        Weekdays weekdays = r.opt("weekdays", Fw4Options::weekdays, null, 0);
        r.opt("monthdays", Fw4Options::monthdays, null, UNSUPPORTED);
        Mark mark = r.opt("mark", Fw4Options::mark, null, 0);
        Boolean reflection = r.opt("reflection", Fw4Options::bool, "1", 0);
        String reflectionSrc = r.opt("reflection_src", v -> Fw4Options.choice(v, "internal", "external"), "internal", 0);
        List<ZoneRef> reflectionZone = r.list("reflection_zone", this::zoneRef, null, LIST);
        Boolean counter = r.opt("counter", Fw4Options::bool, "1", 0);
        String log = r.opt("log", Fw4Options::string, null, 0);
        Limit logLimit = r.opt("log_limit", Fw4Options::limit, null, 0);
        String target = r.opt("target", Fw4Options::target, "dnat", 0);
        r.unknownOptions();
        if (!r.valid() || !Boolean.TRUE.equals(enabled)) return;

        if (!"dnat".equals(target) && !"snat".equals(target)) {
            warn(s, r.line("target"), "has invalid target specified, fw4 takes it as dnat");
            target = "dnat";
        }
        log = logPrefix(log, name);
        IpSet set = null;
        if (ipsetMatch != null) {
            set = ipset(ipsetMatch.name());
            if (set == null) { warn(s, r.line("ipset"), "references unknown set '" + ipsetMatch.name() + "': fw4 skips the redirect"); return; }
            if (set.types().contains("inet_service") && !ensureTcpUdp(protos)) {
                warn(s, r.line("ipset"), "references named set with port match but no UDP/TCP protocol: fw4 skips the redirect");
                return;
            }
        }
        ZoneRef dest = destRef;
        if (target.equals("dnat")) {
            if (src == null) { warn(s, s.line, "has no source specified: fw4 skips the redirect"); return; }
            if (src.any()) { warn(s, r.line("src"), "must not have source '*' for dnat target: fw4 skips the redirect"); return; }
            if (destIp != null && destIp.invert()) { warn(s, r.line("dest_ip"), "must not specify a negated 'dest_ip' value: fw4 skips the redirect"); return; }
            if (destIp != null && destIp.addrs().stream().anyMatch(a -> a.bits() == -1 && !a.isRange())) {
                warn(s, r.line("dest_ip"), "must not use non-contiguous masks in 'dest_ip': fw4 skips the redirect");
                return;
            }
            if (dest == null && destIp != null) {
                dest = resolveDest(destIp);
                if (dest != null) warn(s, s.line, "does not specify a destination, fw4 assumes '" + dest.zone().name + "'");
            }
            if (destPort == null) destPort = srcDport;
            if (Boolean.TRUE.equals(reflection) && dest != null && dest.zone() != null && src.zone().masq) {
                dest.zone().dflags.add("accept");
                dest.zone().dflags.add("dnat");
                dest.zone().dflags.add("snat");
            }
            src.zone().dflags.add("dnat");
        } else {
            if (dest == null) { warn(s, s.line, "has no destination specified: fw4 skips the redirect"); return; }
            if (dest.any()) { warn(s, r.line("dest"), "must not have destination '*' for snat target: fw4 skips the redirect"); return; }
            if (srcDip == null) { warn(s, s.line, "has no 'src_dip' option specified: fw4 skips the redirect"); return; }
            if (srcDip.invert()) { warn(s, r.line("src_dip"), "must not specify a negated 'src_dip' value: fw4 skips the redirect"); return; }
            if (srcDip.addrs().stream().anyMatch(a -> a.bits() == -1 && !a.isRange())) {
                warn(s, r.line("src_dip"), "must not use non-contiguous masks in 'src_dip': fw4 skips the redirect");
                return;
            }
            if (srcMac != null) { warn(s, r.line("src_mac"), "must not use 'src_mac' option for snat target: fw4 skips the redirect"); return; }
            if (helper != null) { warn(s, r.line("helper"), "must not use 'helper' option for snat target: fw4 skips the redirect"); return; }
            dest.zone().dflags.add("snat");
        }

        Spec base = new Spec();
        base.section = s;
        base.line = s.line;
        base.name = name;
        base.src = src;
        base.dest = dest;
        base.target = target;
        base.helper = helper;
        base.limit = limit;
        base.limitBurst = limitBurst;
        base.startDate = startDate;
        base.stopDate = stopDate;
        base.startTime = startTime;
        base.stopTime = stopTime;
        base.weekdays = weekdays;
        base.mark = mark;
        base.counter = Boolean.TRUE.equals(counter);
        base.log = log;
        base.logLimit = logLimit;
        base.ipset = ipsetMatch;
        base.notSimulated = notSimulated(s, r, helper != null, srcMac != null,
                startDate != null || stopDate != null || startTime != null || stopTime != null || weekdays != null, set);
        if (srcMac != null) {
            base.smacsPos = nullIfEmpty(srcMac.stream().filter(m -> !m.invert()).map(Mac::mac).toList());
            base.smacsNeg = nullIfEmpty(srcMac.stream().filter(Mac::invert).map(Mac::mac).toList());
        }

        for (Proto proto : protos) {
            Integer fam = family;
            if ("ipv6-icmp".equals(proto.name())) fam = 6;
            boolean tcpudp = "tcp".equals(proto.name()) || "udp".equals(proto.name());
            Split sip, dip, rip;
            Port sport = null, dport = null, rport = null;
            if (target.equals("dnat")) {
                sip = split(srcIp == null ? null : List.of(srcIp));
                dip = split(srcDip == null ? null : List.of(srcDip));
                rip = split(destIp == null ? null : List.of(destIp));
                if (tcpudp) { sport = srcPort; dport = srcDport; rport = destPort; }
            } else {
                sip = split(srcIp == null ? null : List.of(srcIp));
                dip = split(destIp == null ? null : List.of(destIp));
                rip = split(srcDip == null ? null : List.of(srcDip));
                if (tcpudp) { sport = srcPort; dport = destPort; rport = srcDport; }
            }
            Object inferred = inferFamily(fam, List.of(new Ref(set == null ? null : set.family(), "set match"),
                    new Ref(sip.family(), "source IP"), new Ref(dip.family(), "destination IP"), new Ref(rip.family(), "rewrite IP"),
                    new Ref(familyOf(src), "source zone"), new Ref(familyOf(dest), "destination zone"),
                    new Ref(helper == null ? null : helper.family(), "helper match")));
            if (inferred instanceof String conflict) { warn(s, s.line, conflict + ": fw4 skips this part of the redirect"); continue; }
            Integer f = (Integer) inferred;

            if (target.equals("dnat") && Boolean.TRUE.equals(reflection) && !rip.isEmpty() && src != null && src.zone() != null
                    && dest != null && dest.zone() != null)
                reflection(s, r, base, notSimulated(s, r, helper != null, false, startDate != null || stopDate != null
                        || startTime != null || stopTime != null || weekdays != null, null), proto, src, dest, reflectionSrc,
                        reflectionZone, dip, rip, sport, dport, rport);

            if (rip.v4().size() > 1 || rip.v6().size() > 1)
                warn(s, s.line, "specifies multiple rewrite addresses, fw4 uses only the first one");
            boolean has4 = !sip.v4().isEmpty() || !dip.v4().isEmpty() || !rip.v4().isEmpty();
            boolean has6 = !sip.v6().isEmpty() || !dip.v6().isEmpty() || !rip.v6().isEmpty();
            if ((f == null || f == 0) && !has4 && !has6) {
                // an unspecified family is IPv4, for backwards compatibility; an explicit "any" stays both
                addRedirect(base, f == null ? 4 : 0, proto, Group.NONE, Group.NONE, null, sport, dport, rport, set);
            } else {
                if ((f == null || f == 0 || f == 4) && (!(has4 || has6) || has4))
                    for (Group sa : group(sip.v4())) for (Group da : group(dip.v4()))
                        addRedirect(base, 4, proto, sa, da, rip.v4().isEmpty() ? null : rip.v4().get(0).a(), sport, dport, rport, set);
                if ((f == null || f == 0 || f == 6) && (!(has4 || has6) || has6))
                    for (Group sa : group(sip.v6())) for (Group da : group(dip.v6()))
                        addRedirect(base, 6, proto, sa, da, rip.v6().isEmpty() ? null : rip.v6().get(0).a(), sport, dport, rport, set);
            }
        }
    }

    /** fw4's resolve_dest: the zone one of whose addresses is in the same network as dest_ip */
    private ZoneRef resolveDest(Net destIp) {
        for (Zone z : zones)
            for (Fw4Address za : z.relatedSubnets)
                for (Fw4Address d : destIp.addrs())
                    if (d.family() == za.family() && za.sameNetwork(d)) return new ZoneRef(false, z);
        return null;
    }

    /** NAT reflection (fw4 parse_redirect "build reflection rules"): the forward reached from inside by the outside address */
    private void reflection(Uci.Section s, Reader r, Spec redir, Problem notSimulated, Proto proto, ZoneRef src, ZoneRef dest,
                            String reflectionSrc, List<ZoneRef> reflectionZone, Split dip, Split rip, Port sport, Port dport, Port rport) {
        Spec ref = new Spec();
        ref.section = s;
        ref.line = s.has("reflection") ? r.line("reflection") : s.line;
        ref.name = redir.name + " (reflection)";
        ref.helper = redir.helper;
        ref.limit = redir.limit;
        ref.limitBurst = redir.limitBurst;
        ref.startDate = redir.startDate;
        ref.stopDate = redir.stopDate;
        ref.startTime = redir.startTime;
        ref.stopTime = redir.stopTime;
        ref.weekdays = redir.weekdays;
        ref.mark = redir.mark;
        ref.notSimulated = notSimulated;   // the reflection rules leave out src_mac and ipset, as fw4's do
        Split eaddrs = !dip.isEmpty() ? dip : splitAddrs(src.zone().relatedSubnets.stream().map(Fw4Address::hostAddress).toList());
        List<ZoneRef> rzones = reflectionZone != null ? reflectionZone : List.of(dest);
        for (ZoneRef rzone : rzones) {
            Split iaddrs = splitAddrs(rzone.zone().relatedSubnets);
            Split refaddrs = "internal".equals(reflectionSrc) ? iaddrs : eaddrs;
            for (int i = 0; i <= 1; i++) {
                if (!(i == 0 ? src.zone().masq : src.zone().masq6) || rip.of(i).isEmpty()) continue;
                Fw4Address snatAddr = refaddrs.of(i).isEmpty() ? null : refaddrs.of(i).get(0).a();
                if ("internal".equals(reflectionSrc)) {
                    Fw4Address target = rip.of(i).get(0).a();
                    for (Fw4Address za : rzone.zone().relatedSubnets)
                        if (za.family() == target.family() && za.sameNetwork(target)) { snatAddr = za; break; }
                }
                if (snatAddr == null) {
                    warn(s, s.line, reflectionSrc + " rewrite IP cannot be determined, fw4 disables reflection");
                } else if (iaddrs.of(i).isEmpty()) {
                    warn(s, s.line, "internal address range cannot be determined, fw4 disables reflection");
                } else if (eaddrs.of(i).isEmpty()) {
                    warn(s, s.line, "external address range cannot be determined, fw4 disables reflection");
                } else {
                    int af = i == 0 ? 4 : 6;
                    ref.src = rzone;
                    ref.dest = null;
                    ref.target = "dnat";
                    for (Group sa : group(iaddrs.of(i))) for (Group da : group(eaddrs.of(i)))
                        addRedirect(ref, af, proto, sa, da, rip.of(i).get(0).a(), sport, dport, rport, null);
                    ref.src = null;
                    ref.dest = rzone;
                    ref.target = "snat";
                    for (Group da : group(rip.of(i))) for (Group sa : group(iaddrs.of(i)))
                        addRedirect(ref, af, proto, sa, da, snatAddr.hostAddress(), null, rport, null, null);
                }
            }
        }
    }

    /** parse_redirect's add_rule */
    private void addRedirect(Spec base, int family, Proto proto, Group saddrs, Group daddrs, Fw4Address raddr, Port sport, Port dport,
                             Port rport, IpSet set) {
        Spec r = base.copy();
        r.family = family;
        r.proto = proto;
        r.hasAddrs = saddrs.any() || daddrs.any();
        r.hasPorts = sport != null || dport != null || rport != null;
        addresses(r, saddrs, daddrs);
        ports(r, sport == null ? null : List.of(sport), dport == null ? null : List.of(dport));
        r.raddr = raddr;
        r.rport = rport;
        if (set != null) {
            List<String> fields = setFields(set, base.ipset, proto.name());
            if (fields != null && fields.contains(null)) {
                warn(base.section, base.section.lineOf("ipset"), "destination MAC address matching not supported: fw4 skips this part of the redirect");
                return;
            }
            r.ipsetFields = fields;
            if (fields == null) r.ipset = null;
        } else {
            r.ipset = null;
        }
        if (r.target.equals("dnat")) {
            r.chain = "dstnat_" + r.src.zone().name;
            r.src.zone().dflags.add("dnat");
            if (r.raddr == null) r.target = "redirect";
        } else {
            r.chain = "srcnat_" + r.dest.zone().name;
            r.dest.zone().dflags.add("snat");
        }
        redirects.add(r);
    }

    // ------------------------------------------------------------------------------------------- nat

    private void nat(Uci.Section s) {
        Reader r = reader(s);
        Boolean enabled = r.opt("enabled", Fw4Options::bool, "1", 0);
        String name = r.opt("name", Fw4Options::string, sectionId(s), 0);
        Integer family = r.opt("family", Fw4Options::family, null, 0);
        ZoneRef src = r.opt("src", this::zoneRef, null, 0);
        String device = r.opt("device", Fw4Options::string, null, 0);
        r.opt("ipset", Fw4Options::setMatch, null, UNSUPPORTED);
        List<Proto> protos = flatten(r.list("proto", Fw4Options::protocol, "all", LIST));
        Net srcIp = r.opt("src_ip", v -> Fw4Options.network(v, networks), null, 0);
        Port srcPort = r.opt("src_port", Fw4Options::port, null, 0);
        Net snatIp = r.opt("snat_ip", v -> Fw4Options.network(v, networks), null, NO_INVERT);
        Port snatPort = r.opt("snat_port", Fw4Options::port, null, NO_INVERT);
        Net destIp = r.opt("dest_ip", v -> Fw4Options.network(v, networks), null, 0);
        Port destPort = r.opt("dest_port", Fw4Options::port, null, 0);
        r.opt("extra", Fw4Options::string, null, UNSUPPORTED);
        Limit limit = r.opt("limit", Fw4Options::limit, null, 0);
        Long limitBurst = r.opt("limit_burst", Fw4Options::integer, null, 0);
        r.opt("connlimit_ports", Fw4Options::bool, null, 0);
        r.opt("utc_time", Fw4Options::bool, null, 0);
        Stamp startDate = r.opt("start_date", Fw4Options::date, null, 0), stopDate = r.opt("stop_date", Fw4Options::date, null, 0);
        Stamp startTime = r.opt("start_time", Fw4Options::time, null, 0), stopTime = r.opt("stop_time", Fw4Options::time, null, 0);
        Weekdays weekdays = r.opt("weekdays", Fw4Options::weekdays, null, 0);
        r.opt("monthdays", Fw4Options::monthdays, null, UNSUPPORTED);
        Mark mark = r.opt("mark", Fw4Options::mark, null, 0);
        Boolean counter = r.opt("counter", Fw4Options::bool, "1", 0);
        String log = r.opt("log", Fw4Options::string, null, 0);
        String target = r.opt("target", Fw4Options::target, "masquerade", 0);
        r.unknownOptions();
        if (!r.valid() || !Boolean.TRUE.equals(enabled)) return;

        if (!List.of("accept", "snat", "masquerade").contains(target)) {
            warn(s, r.line("target"), "has invalid target specified, fw4 takes it as masquerade");
            target = "masquerade";
        }
        if (target.equals("snat") && snatIp == null && snatPort == null) {
            warn(s, s.line, "needs either 'snat_ip' or 'snat_port' for target snat: fw4 skips the section");
            return;
        }
        if (!target.equals("snat") && (snatIp != null || snatPort != null)) {
            warn(s, r.line(snatIp != null ? "snat_ip" : "snat_port"), "must not use snat_ip or snat_port for a target other than snat: fw4 skips the section");
            return;
        }
        if ((snatPort != null || srcPort != null || destPort != null) && !ensureTcpUdp(protos)) {
            warn(s, s.line, "specifies ports but no UDP/TCP protocol: fw4 skips the section");
            return;
        }
        if (snatIp != null && snatIp.addrs().stream().anyMatch(a -> a.bits() == -1 && !a.isRange())) {
            warn(s, r.line("snat_ip"), "must not use inversion or non-contiguous masks in 'snat_ip': fw4 skips the section");
            return;
        }
        Spec base = new Spec();
        base.section = s;
        base.line = s.line;
        base.name = name;
        base.src = src;
        base.device = device;
        base.target = target;
        base.limit = limit;
        base.limitBurst = limitBurst;
        base.startDate = startDate;
        base.stopDate = stopDate;
        base.startTime = startTime;
        base.stopTime = stopTime;
        base.weekdays = weekdays;
        base.mark = mark;
        base.counter = Boolean.TRUE.equals(counter);
        base.log = logPrefix(log, name);
        base.notSimulated = notSimulated(s, r, false, false,
                startDate != null || stopDate != null || startTime != null || stopTime != null || weekdays != null, null);
        for (Proto proto : protos) {
            Integer fam = family;
            Split sip = split(srcIp == null ? null : List.of(srcIp)), dip = split(destIp == null ? null : List.of(destIp)),
                    rip = split(snatIp == null ? null : List.of(snatIp));
            boolean tcpudp = "tcp".equals(proto.name()) || "udp".equals(proto.name());
            Port sport = tcpudp ? srcPort : null, dport = tcpudp ? destPort : null, rport = tcpudp ? snatPort : null;
            if (rip.v4().size() > 1 || rip.v6().size() > 1) warn(s, s.line, "specifies multiple rewrite addresses, fw4 uses only the first one");
            Object inferred = inferFamily(fam, List.of(new Ref(sip.family(), "source IP"), new Ref(dip.family(), "destination IP"),
                    new Ref(rip.family(), "rewrite IP"), new Ref(familyOf(src), "source zone")));
            if (inferred instanceof String conflict) { warn(s, s.line, conflict + ": fw4 skips this part of the section"); continue; }
            Integer f = (Integer) inferred;
            if (src != null && src.zone() != null) src.zone().dflags.add("snat");
            boolean has4 = !sip.v4().isEmpty() || !dip.v4().isEmpty() || !rip.v4().isEmpty();
            boolean has6 = !sip.v6().isEmpty() || !dip.v6().isEmpty() || !rip.v6().isEmpty();
            if (f == null) f = has4 && !has6 ? 4 : has6 && !has4 ? 6 : 4;   // IPv4 only unless "any" was given
            if (f == 0 && !has4 && !has6) {
                addNat(base, 0, proto, Group.NONE, Group.NONE, null, sport, dport, rport);
            } else {
                if (f == 0 || f == 4) for (Group sa : group(sip.v4())) for (Group da : group(dip.v4()))
                    addNat(base, 4, proto, sa, da, rip.v4().isEmpty() ? null : rip.v4().get(0).a(), sport, dport, rport);
                if (f == 0 || f == 6) for (Group sa : group(sip.v6())) for (Group da : group(dip.v6()))
                    addNat(base, 6, proto, sa, da, rip.v6().isEmpty() ? null : rip.v6().get(0).a(), sport, dport, rport);
            }
        }
    }

    /** parse_nat's add_rule */
    private void addNat(Spec base, int family, Proto proto, Group saddrs, Group daddrs, Fw4Address raddr, Port sport, Port dport, Port rport) {
        Spec n = base.copy();
        n.family = family;
        n.proto = proto;
        n.hasAddrs = saddrs.any() || daddrs.any();
        n.hasPorts = sport != null || dport != null;
        addresses(n, saddrs, daddrs);
        ports(n, sport == null ? null : List.of(sport), dport == null ? null : List.of(dport));
        n.raddr = raddr;
        n.rport = rport;
        n.chain = base.src != null && base.src.zone() != null ? "srcnat_" + base.src.zone().name : "srcnat";
        redirects.add(n);
    }

    // ------------------------------------------------------------------------------------------- includes

    private void include(Uci.Section s) {
        Reader r = reader(s);
        Boolean enabled = r.opt("enabled", Fw4Options::bool, "1", 0);
        String path = r.opt("path", Fw4Options::string, null, REQUIRED);
        String type = r.opt("type", v -> Fw4Options.choice(v, "script", "nftables"), "script", 0);
        Boolean compatible = r.opt("fw4_compatible", Fw4Options::bool, "/etc/firewall.user".equals(s.get("path")) ? "0" : "1", 0);
        r.opt("family", Fw4Options::family, null, UNSUPPORTED);
        r.opt("reload", Fw4Options::bool, null, UNSUPPORTED);
        String position = r.opt("position", v -> {
            String c = Fw4Options.choice(v, "ruleset-prepend", "ruleset-postpend", "ruleset-append", "table-prepend", "table-postpend",
                    "table-append", "chain-prepend", "chain-postpend", "chain-append");
            return c == null ? null : c.replace("postpend", "append");
        }, null, 0);
        String chain = r.opt("chain", Fw4Options::identifier, null, 0);
        r.unknownOptions();
        if (!r.valid() || !Boolean.TRUE.equals(enabled)) return;
        if (type.equals("script") && !Boolean.TRUE.equals(compatible)) {
            warn(s, s.line, "is not marked as compatible with fw4 (option fw4_compatible '1'): fw4 does not run it");
            return;
        }
        if (!type.equals("nftables") && (position != null || chain != null)) {
            warn(s, s.line, "must not specify 'chain' or 'position' for non-nftables includes: fw4 ignores the section");
            return;
        }
        if (position == null) position = "table-append";
        if (position.startsWith("chain-") && chain == null) {
            warn(s, r.line("position"), "must specify 'chain' for position " + position + ": fw4 ignores the section");
            return;
        }
        includes.add(new Include(type, path, position, position.startsWith("chain-") ? chain : null, s.line));
    }
}
