package roundtrip.netfilter.iptables;

import roundtrip.model.InputException;
import roundtrip.model.Ip;
import roundtrip.model.Message;
import roundtrip.model.Packet;
import roundtrip.model.Problem;
import roundtrip.model.Source;
import roundtrip.netfilter.NatAction;
import roundtrip.netfilter.Verdict;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns the words of one `-A chain ...` line into rules. Options may be negated before (`! --dport 22`) or after
 * the option name (`--dport ! 22`). Comma lists in -s/-d expand into one rule per address pair, as iptables does
 * when it inserts them.
 */
final class RuleCompiler {
    private static final Set<String> TARGETS = Set.of("ACCEPT", "DROP", "RETURN", "REJECT", "LOG", "NFLOG", "ULOG",
            "TRACE", "MARK", "CONNMARK", "SNAT", "DNAT", "MASQUERADE", "REDIRECT", "NOTRACK", "CT", "TCPMSS",
            "NFQUEUE", "QUEUE", "CHECKSUM", "CLASSIFY", "TOS", "DSCP", "TTL", "NETMAP", "TPROXY");

    static boolean isTargetName(String name) { return TARGETS.contains(name); }

    private final String file;
    private final int line;
    private final Source source;
    private final IptablesRuleset.Table table;
    private final Chain chain;
    private final boolean rawTable;
    private final List<String> words;
    private int pos;
    /** an ip6tables rule: addresses are IPv6, the ICMP match is icmp6, REJECT answers with ICMPv6 */
    private final boolean v6;
    /** `-4` in ip6tables (or `-6` in iptables): ip6tables-restore leaves the rule out */
    private boolean otherFamily;

    // the IP header part
    private final List<int[]> sources = new ArrayList<>();
    private final List<int[]> destinations = new ArrayList<>();
    private final List<Matches.Prefix6> sources6 = new ArrayList<>();
    private final List<Matches.Prefix6> destinations6 = new ArrayList<>();
    private boolean srcInvert, dstInvert, protoInvert, fragment, fragmentInvert;
    private boolean srcSeen, dstSeen, protoSeen;
    private int proto;
    private IfaceMatch in, out;

    private final List<Match> matches = new ArrayList<>();
    private final List<Problem> problems = new ArrayList<>();
    /** approximations worth reporting that do not make the rule uncertain */
    private final List<Problem> notes = new ArrayList<>();
    /** the -m module whose options come next */
    private Module module;
    /** the implicit tcp/udp/icmp match that `-p tcp --dport 22` loads */
    private Module protoModule;
    private Target target;
    private TargetOptions targetOptions;

    private final Matches.SetHolder sets;

    RuleCompiler(String file, int line, Source source, IptablesRuleset.Table table, Chain chain, List<String> words,
                 Matches.SetHolder sets) {
        this.sets = sets;
        this.file = file;
        this.line = line;
        this.source = source;
        this.table = table;
        this.chain = chain;
        this.rawTable = table.name.equals("raw");
        this.words = words;
        this.v6 = table.family == Ip.Family.IPV6;
    }

    /** What was not understood, then what was approximated, for {@code Ruleset.problems()}. */
    List<Problem> problems() {
        List<Problem> all = new ArrayList<>(problems);
        all.addAll(notes);
        return all;
    }

    List<IptRule> compile() {
        boolean negate = false;
        while (pos < words.size()) {
            String word = words.get(pos++);
            if (word.equals("!")) {
                if (negate) throw error("multiple ! flags not allowed");
                negate = true;
                continue;
            }
            switch (word) {
                case "-s", "--source", "--src" -> {
                    srcInvert = negation(negate, word);
                    if (v6) addresses(value(word), sources6, srcInvert, srcSeen, word, this::address6);
                    else addresses(value(word), sources, srcInvert, srcSeen, word, this::address);
                    srcSeen = true;
                }
                case "-d", "--destination", "--dst" -> {
                    dstInvert = negation(negate, word);
                    if (v6) addresses(value(word), destinations6, dstInvert, dstSeen, word, this::address6);
                    else addresses(value(word), destinations, dstInvert, dstSeen, word, this::address);
                    dstSeen = true;
                }
                case "-i", "--in-interface" -> {
                    boolean inv = negation(negate, word);
                    in = new IfaceMatch(value(word), inv);
                }
                case "-o", "--out-interface" -> {
                    boolean inv = negation(negate, word);
                    out = new IfaceMatch(value(word), inv);
                }
                case "-p", "--protocol" -> {
                    protoInvert = negation(negate, word);
                    if (protoSeen) throw error("multiple -p flags not allowed");
                    protoSeen = true;
                    String name = value(word);
                    proto = Names.protocol(name);
                    if (proto < 0) throw error("unknown protocol \"" + name + "\"");
                    if (proto == 0 && protoInvert) throw error("rule would never match protocol");
                }
                case "-f", "--fragment" -> {
                    fragmentInvert = negation(negate, word);
                    fragment = true;
                }
                case "-m", "--match" -> {
                    if (negate) throw error("! is not allowed before " + word);
                    module = newModule(value(word));
                }
                case "-j", "--jump" -> {
                    if (negate) throw error("! is not allowed before " + word);
                    if (target != null || targetOptions != null) throw error("more than one target");
                    jump(value(word));
                }
                case "-g", "--goto" -> {
                    if (negate) throw error("! is not allowed before " + word);
                    if (target != null || targetOptions != null) throw error("more than one target");
                    String name = value(word);
                    Chain to = table.chains.get(name);
                    if (to == null || to.builtin) throw error("goto needs a user chain, not " + name);
                    target = Target.goTo(name);
                    target.chain = to;
                }
                case "-c", "--set-counters" -> {
                    value(word);
                    value(word);
                }
                // xtables' restore mode: a rule marked for the other family is skipped, one for its own kept
                case "-4" -> otherFamily |= v6;
                case "-6" -> otherFamily |= !v6;
                default -> {
                    if (!word.startsWith("--")) throw error("unknown option " + word);
                    option(word, negate);
                }
            }
            negate = false;
        }
        if (negate) throw error("! at the end of the rule");
        if (module != null) module.finish();
        if (protoModule != null) protoModule.finish();
        if (targetOptions != null) target = targetOptions.build();
        if (target == null) target = Target.none();
        if (otherFamily) return List.of();
        return v6 ? build6() : build();
    }

    private List<IptRule> build() {
        Problem problem = problems.isEmpty() ? null : problems.get(0);
        Match[] compiled = matches.toArray(new Match[0]);
        List<int[]> srcs = sources.isEmpty() ? List.of(new int[] {0, 0}) : sources;
        List<int[]> dsts = destinations.isEmpty() ? List.of(new int[] {0, 0}) : destinations;
        List<IptRule> rules = new ArrayList<>(srcs.size() * dsts.size());
        for (int[] s : srcs) {
            for (int[] d : dsts) {
                rules.add(new IptRule(source, table.name, chain.name, s[0], s[1], srcInvert, d[0], d[1], dstInvert,
                        proto, protoInvert, in, out, fragment, fragmentInvert, compiled, target, problem, roundtrip.netfilter.TraceStep.Family.IPTABLES));
            }
        }
        return rules;
    }

    /** ip6tables' rules: the addresses are IPv6 matches ahead of the others, the IPv4 header part matches anything. */
    private List<IptRule> build6() {
        Problem problem = problems.isEmpty() ? null : problems.get(0);
        List<Matches.Prefix6> srcs = sources6.isEmpty() ? java.util.Collections.singletonList(null) : sources6;
        List<Matches.Prefix6> dsts = destinations6.isEmpty() ? java.util.Collections.singletonList(null) : destinations6;
        List<IptRule> rules = new ArrayList<>(srcs.size() * dsts.size());
        for (Matches.Prefix6 s : srcs) {
            for (Matches.Prefix6 d : dsts) {
                List<Match> all = new ArrayList<>();
                if (s != null) all.add(new Matches.Addr6(true, s, srcInvert));
                if (d != null) all.add(new Matches.Addr6(false, d, dstInvert));
                all.addAll(matches);
                rules.add(new IptRule(source, table.name, chain.name, 0, 0, false, 0, 0, false,
                        proto, protoInvert, in, out, fragment, fragmentInvert, all.toArray(new Match[0]), target, problem,
                        roundtrip.netfilter.TraceStep.Family.IP6TABLES));
            }
        }
        return rules;
    }

    /** An option that is not one of the fixed ones: for the target, the current module, or the implicit one. */
    private void option(String word, boolean negate) {
        if (targetOptions != null && targetOptions.accepts(word)) {
            targetOptions.option(word, negation(negate, word));
            return;
        }
        if (module != null && module.accepts(word)) {
            module.option(word, negation(negate, word));
            return;
        }
        if (protoModule == null && !protoInvert) protoModule = implicitModule();
        if (protoModule != null && protoModule.accepts(word)) {
            protoModule.option(word, negation(negate, word));
            return;
        }
        String owner = targetOptions != null ? "-j " + targetOptions.name : module != null ? "-m " + module.name : null;
        unknown(owner == null ? Message.of(Sentences.UNKNOWN_OPTION, word) : Message.of(Sentences.UNKNOWN_OPTION_FOR, word, owner));
        skipValues();
    }

    private Module implicitModule() {
        return switch (proto) {
            case Packet.TCP -> new PortsModule("tcp", Packet.TCP);
            case Packet.UDP -> new PortsModule("udp", Packet.UDP);
            case Packet.ICMP -> v6 ? null : new IcmpModule();
            case Packet.ICMPV6 -> v6 ? new Icmp6Module() : null;
            default -> null;
        };
    }

    private void unknown(Message message) {
        problems.add(new Problem(source, message));
    }

    /** Skips the values of an option we do not know: an optional `!` and the words up to the next option. */
    private void skipValues() {
        if (pos < words.size() && words.get(pos).equals("!")) pos++;
        while (pos < words.size() && !words.get(pos).startsWith("-") && !words.get(pos).equals("!")) pos++;
    }

    // ---- helpers for words ----

    private InputException error(String message) { return new InputException(file, line, message); }

    private String value(String option) {
        if (pos >= words.size()) throw error("option " + option + " needs a value");
        return words.get(pos++);
    }

    /** Combines a `!` before the option with one after it (old syntax: `--dport ! 22`). */
    private boolean negation(boolean before, String option) {
        // "--opt ! value": the "!" belongs to this option only when a value follows it; "! --next" negates the next one
        if (pos < words.size() && words.get(pos).equals("!")
                && (pos + 1 >= words.size() || !words.get(pos + 1).startsWith("--"))) {
            if (before) throw error("multiple ! flags not allowed for " + option);
            pos++;
            return true;
        }
        return before;
    }

    /** -s / -d: a comma-separated list, each read by {@code parse} (IPv4's or IPv6's). */
    private <T> void addresses(String text, List<T> into, boolean invert, boolean seen, String option,
            java.util.function.Function<String, T> parse) {
        if (seen) throw error("multiple " + option + " flags not allowed");
        String[] parts = text.split(",", -1);
        if (invert && parts.length > 1) throw error("! not allowed with multiple source or destination addresses");
        for (String p : parts) into.add(parse.apply(p));
    }

    /** "addr[/len|/mask]" as ip6tables reads it (xtables_ip6parse_any), mask an IPv6 address or a length. */
    Matches.Prefix6 address6(String text) {
        int slash = text.indexOf('/');
        Ip addr = Ip.parseV6OrNull(slash < 0 ? text : text.substring(0, slash));
        if (addr == null) throw error("bad IPv6 address " + text);
        if (slash < 0) return new Matches.Prefix6(addr.hi(), addr.lo(), -1L, -1L);
        String m = text.substring(slash + 1);
        int len = Names.number(m);
        if (len >= 0 && len <= 128) {
            Ip mask = Ip.v6(-1L, -1L).masked(len);
            return new Matches.Prefix6(addr.hi(), addr.lo(), mask.hi(), mask.lo());
        }
        Ip mask = Ip.parseV6OrNull(m);
        if (mask == null) throw error("bad IPv6 address " + text);
        return new Matches.Prefix6(addr.hi(), addr.lo(), mask.hi(), mask.lo());
    }

    /** "a.b.c.d[/len|/mask]"; like iptables, "10/8" means 10.0.0.0/8. Returns {net, mask}. */
    int[] address(String text) {
        int slash = text.indexOf('/');
        String addrText = slash < 0 ? text : text.substring(0, slash);
        int addr = dotted(addrText, false);
        int mask = -1;
        if (slash >= 0) {
            String m = text.substring(slash + 1);
            int len = Names.number(m);
            if (len >= 0 && len <= 32 && !m.contains(".")) mask = Ip.v4Mask(len);
            else if (m.contains(".")) mask = dotted(m, true);
            else throw error("bad address " + text);
        }
        return new int[] {addr & mask, mask};
    }

    private int dotted(String text, boolean exact) {
        String[] octets = text.split("\\.", -1);
        if (text.isEmpty() || octets.length > 4 || (exact && octets.length != 4)) throw error("bad address " + text);
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int octet = 0;
            if (i < octets.length) {
                octet = Names.number(octets[i]);
                if (octet < 0 || octet > 255) throw error("bad address " + text);
            }
            value = (value << 8) | octet;
        }
        return value;
    }

    /** "a", "a:b", "a:" or ":b"; returns {min, max}. */
    private int[] portRange(String text, String sep) {
        int colon = text.indexOf(sep);
        if (colon < 0) {
            int p = port(text);
            return new int[] {p, p};
        }
        String a = text.substring(0, colon), b = text.substring(colon + 1);
        int min = a.isEmpty() ? 0 : port(a);
        int max = b.isEmpty() ? 65535 : port(b);
        return new int[] {Math.min(min, max), Math.max(min, max)};
    }

    private int port(String text) {
        int p = Names.port(text);
        if (p < 0) throw error("invalid port/service " + text);
        return p;
    }

    /** "a" or "a:b" of numbers up to {@code max} (-1: unsigned 32 bits). Returns {min, max} (as longs for spi). */
    private int[] numberRange(String text, int max) {
        int colon = text.indexOf(':');
        long a = Names.u32(colon < 0 ? text : text.substring(0, colon));
        long b = colon < 0 ? a : Names.u32(text.substring(colon + 1));
        long limit = max < 0 ? 0xffffffffL : max;
        if (a < 0 || b < 0 || a > limit || b > limit || a > b) throw error("bad range " + text);
        return new int[] {(int) a, (int) b};
    }

    /** A TOS value as libxt_tos reads it: "0x10[/0x3f]" (mask 0xff by default) or a name (mask 0x3f). */
    private int[] tosValue(String text) {
        int named = switch (text.toLowerCase(Locale.ROOT)) {
            case "minimize-delay" -> 0x10;
            case "maximize-throughput" -> 0x08;
            case "maximize-reliability" -> 0x04;
            case "minimize-cost" -> 0x02;
            case "normal-service" -> 0x00;
            default -> -1;
        };
        if (named >= 0) return new int[] {named, 0x3f};
        int slash = text.indexOf('/');
        long v = Names.u32(slash < 0 ? text : text.substring(0, slash));
        long m = slash < 0 ? 0xff : Names.u32(text.substring(slash + 1));
        if (v < 0 || v > 0xff || m < 0 || m > 0xff) throw error("bad TOS value " + text);
        return new int[] {(int) v, (int) m};
    }

    private int dscpNumber(String text) {
        long v = Names.u32(text);
        if (v < 0 || v > 63) throw error("DSCP value out of range: " + text);
        return (int) v;
    }

    /** RFC 2474/2597/3246 class names as libxt_dscp's dscp_helper knows them. */
    private int dscpClass(String text) {
        String t = text.toUpperCase(Locale.ROOT);
        if (t.matches("CS[0-7]")) return (t.charAt(2) - '0') << 3;
        if (t.matches("AF[1-4][1-3]")) return ((t.charAt(2) - '0') << 3) | ((t.charAt(3) - '0') << 1);
        if (t.equals("EF")) return 46;
        if (t.equals("BE")) return 0;
        throw error("invalid DSCP class " + text);
    }

    /** "value[/mask]" of marks; mask defaults to 0xffffffff. Returns {value, mask}. */
    private long[] markMask(String text) {
        int slash = text.indexOf('/');
        long value = Names.u32(slash < 0 ? text : text.substring(0, slash));
        long mask = slash < 0 ? 0xffffffffL : Names.u32(text.substring(slash + 1));
        if (value < 0 || mask < 0) throw error("bad mark " + text);
        return new long[] {value, mask};
    }

    private long u32(String text) {
        long v = Names.u32(text);
        if (v < 0) throw error("bad value " + text);
        return v;
    }

    // ---- match modules ----

    /** Options of one `-m` module; builds its Match when the rule ends. */
    private abstract class Module {
        final String name;

        Module(String name) { this.name = name; }

        abstract boolean accepts(String option);

        abstract void option(String option, boolean invert);

        /** Adds the finished match to the rule (called once, at the end). */
        abstract void finish();
    }

    private Module newModule(String name) {
        if (module != null) module.finish();
        if (v6) {
            switch (name) {
                case "icmp6" -> { return new Icmp6Module(); }
                case "ipv6header" -> { return new Ipv6HeaderModule(); }
                case "hl" -> { return new HlModule(); }
                case "rt", "frag", "hbh", "dst" -> { return new ExtensionHeaderModule(name); }
                // IPv4's header matches: ip6tables has none of them
                case "icmp", "ttl" -> { return new UnknownModule(name); }
                default -> { }
            }
        }
        return switch (name) {
            case "rpfilter" -> new RpfilterModule();
            case "tcp" -> new PortsModule("tcp", Packet.TCP);
            case "udp" -> new PortsModule("udp", Packet.UDP);
            case "icmp" -> new IcmpModule();
            case "multiport" -> new MultiportModule();
            case "conntrack" -> new ConntrackModule();
            case "state" -> new StateModule();
            case "mark" -> new MarkModule("mark", false);
            case "connmark" -> new MarkModule("connmark", true);
            case "iprange" -> new IpRangeModule();
            case "addrtype" -> new AddrTypeModule();
            case "comment" -> new FixedModule("comment", Set.of("--comment"), Set.of());
            case "limit" -> new RateModule("limit", Set.of("--limit", "--limit-burst"), Set.of());
            case "hashlimit" -> new RateModule("hashlimit", Set.of("--hashlimit-upto", "--hashlimit-above", "--hashlimit-burst",
                    "--hashlimit-mode", "--hashlimit-srcmask", "--hashlimit-dstmask", "--hashlimit-name", "--hashlimit-htable-size",
                    "--hashlimit-htable-max", "--hashlimit-htable-expire", "--hashlimit-htable-gcinterval", "--hashlimit-interval",
                    "--hashlimit-rate-interval",
                    "--hashlimit"), Set.of("--hashlimit-rate-match"));
            case "connlimit" -> new RateModule("connlimit", Set.of("--connlimit-upto", "--connlimit-above", "--connlimit-mask"),
                    Set.of("--connlimit-saddr", "--connlimit-daddr"));
            case "recent" -> new RateModule("recent", Set.of("--name", "--seconds", "--hitcount", "--mask"),
                    Set.of("--set", "--rcheck", "--update", "--remove", "--rttl", "--reap", "--rsource", "--rdest"));
            case "quota" -> new RateModule("quota", Set.of("--quota"), Set.of());
            case "ecn" -> new EcnModule();
            case "length" -> new LengthModule();
            case "tos" -> new TosModule();
            case "dscp" -> new DscpModule();
            case "sctp" -> new OtherProtocolModule("sctp", 132, Set.of("--sport", "--source-port", "--dport", "--destination-port",
                    "--chunk-types"));
            case "dccp" -> new OtherProtocolModule("dccp", 33, Set.of("--sport", "--source-port", "--dport", "--destination-port",
                    "--dccp-types", "--dccp-option"));
            case "esp" -> new OtherProtocolModule("esp", 50, Set.of("--espspi"));
            case "ah" -> new OtherProtocolModule("ah", 51, Set.of("--ahspi"));
            case "physdev" -> new PhysdevModule();
            case "owner" -> new OwnerModule();
            case "connbytes" -> new ConnbytesModule();
            case "string" -> new UnknowableModule("string", Set.of("--string", "--hex-string", "--algo", "--from", "--to"),
                    Set.of("--icase"), Message.of(Sentences.PAYLOAD_NOT_SIMULATED));
            case "socket" -> new UnknowableModule("socket", Set.of(), Set.of("--transparent", "--nowildcard", "--restore-skmark"),
                    Message.of(Sentences.LOCAL_SOCKET_NOT_SIMULATED));
            case "set" -> new SetModule();
            case "pkttype" -> new PktTypeModule();
            case "ttl" -> new TtlModule();
            case "policy" -> new PolicyModule();
            default -> new UnknownModule(name);
        };
    }

    private final class PortsModule extends Module {
        private final Matches.Ports match;
        private boolean used;

        PortsModule(String name, int proto) {
            super(name);
            match = new Matches.Ports(proto);
        }

        @Override boolean accepts(String o) {
            return switch (o) {
                case "--sport", "--source-port", "--dport", "--destination-port" -> true;
                case "--tcp-flags", "--syn" -> match.proto == Packet.TCP;
                default -> false;
            };
        }

        @Override void option(String o, boolean invert) {
            used = true;
            switch (o) {
                case "--sport", "--source-port" -> {
                    int[] r = portRange(value(o), ":");
                    match.sportMin = r[0];
                    match.sportMax = r[1];
                    match.sportInvert = invert;
                }
                case "--dport", "--destination-port" -> {
                    int[] r = portRange(value(o), ":");
                    match.dportMin = r[0];
                    match.dportMax = r[1];
                    match.dportInvert = invert;
                }
                case "--tcp-flags" -> {
                    int mask = Names.tcpFlags(value(o));
                    int comp = Names.tcpFlags(value(o));
                    if (mask < 0 || comp < 0) throw error("bad --tcp-flags");
                    match.flagMask = mask;
                    match.flagComp = comp;
                    match.flagsInvert = invert;
                    match.hasFlags = true;
                }
                case "--syn" -> {
                    match.flagMask = Packet.FIN | Packet.SYN | Packet.RST | Packet.ACK;
                    match.flagComp = Packet.SYN;
                    match.flagsInvert = invert;
                    match.hasFlags = true;
                }
                default -> throw new IllegalStateException(o);
            }
        }

        @Override void finish() {
            // an explicit -m tcp without options still requires the protocol; an implicit one only exists when used
            if (used || this == module) matches.add(match);
        }
    }

    private final class IcmpModule extends Module {
        private Matches.Icmp match;
        private boolean explicit;

        IcmpModule() { super("icmp"); }

        @Override boolean accepts(String o) { return o.equals("--icmp-type"); }

        @Override void option(String o, boolean invert) {
            String v = value(o);
            int[] typeCode = Names.icmpType(v);
            if (typeCode == null) throw error("invalid ICMP type " + v);
            match = new Matches.Icmp(Packet.ICMP, typeCode, invert);
        }

        @Override void finish() {
            explicit = this == module;
            if (match != null) matches.add(match);
            else if (explicit) matches.add(new Matches.Icmp(Packet.ICMP, new int[] {-1, 0, 0xff}, false));
        }
    }

    private final class Icmp6Module extends Module {
        private Matches.Icmp match;

        Icmp6Module() { super("icmp6"); }

        @Override boolean accepts(String o) { return o.equals("--icmpv6-type"); }

        @Override void option(String o, boolean invert) {
            String v = value(o);
            int[] typeCode = Names.icmp6Type(v);
            if (typeCode == null) throw error("invalid ICMPv6 type " + v);
            match = new Matches.Icmp(Packet.ICMPV6, typeCode, invert);
        }

        @Override void finish() {
            // ip6tables requires --icmpv6-type with -m icmp6 (an explicit module without it only needs -p)
            if (match != null) matches.add(match);
        }
    }

    /** -m ipv6header [!] --header LIST [--soft], the names libip6t_ipv6header reads (and /etc/protocols' ones it prints). */
    private final class Ipv6HeaderModule extends Module {
        private int headers = -1;
        private boolean soft, invert;

        Ipv6HeaderModule() { super("ipv6header"); }

        @Override boolean accepts(String o) { return o.equals("--header") || o.equals("--soft"); }

        @Override void option(String o, boolean inv) {
            if (o.equals("--soft")) {
                soft = true;
                return;
            }
            invert = inv;
            headers = 0;
            for (String w : value(o).split(",", -1)) {
                int bit = switch (w.toLowerCase(Locale.ROOT)) {
                    case "hop-by-hop", "hop", "hopopt", "0" -> Matches.Ipv6Header.HOP;
                    case "dst", "ipv6-opts", "60" -> Matches.Ipv6Header.DST;
                    case "route", "ipv6-route", "43" -> Matches.Ipv6Header.ROUTE;
                    case "frag", "ipv6-frag", "44" -> Matches.Ipv6Header.FRAG;
                    case "auth", "ah", "51" -> Matches.Ipv6Header.AUTH;
                    case "esp", "50" -> Matches.Ipv6Header.ESP;
                    case "none", "ipv6-nonxt", "59" -> Matches.Ipv6Header.NONE;
                    case "prot", "protocol", "raw", "255" -> Matches.Ipv6Header.PROTO;
                    default -> throw error("unknown header \"" + w + "\" for -m ipv6header");
                };
                headers |= bit;
            }
        }

        @Override void finish() {
            if (headers < 0) throw error("-m ipv6header needs --header");
            matches.add(new Matches.Ipv6Header(headers, soft, invert));
        }
    }

    /** -m hl --hl-eq/--hl-lt/--hl-gt: the IPv6 hop limit, the model's ttl. */
    private final class HlModule extends Module {
        private Match match;

        HlModule() { super("hl"); }

        @Override boolean accepts(String o) { return o.equals("--hl-eq") || o.equals("--hl-lt") || o.equals("--hl-gt"); }

        @Override void option(String o, boolean invert) {
            String v = value(o);
            int hl = Names.number(v);
            if (hl < 0 || hl > 255) throw error("bad hop limit " + v);
            int compare = o.equals("--hl-lt") ? -1 : o.equals("--hl-gt") ? 1 : 0;
            match = new Matches.Ttl(compare, hl, invert);
        }

        @Override void finish() {
            if (match == null) throw error("-m hl needs --hl-eq, --hl-lt or --hl-gt");
            matches.add(match);
        }
    }

    /**
     * -m rt / frag / hbh / dst: fields of an IPv6 extension header. The model's packets carry none, and these matches
     * (ip6t_rt, ip6t_frag, ip6t_hbh) fail when ipv6_find_hdr does not find their header, whatever the options and
     * their inversions say: the rule never matches (ufw's `-m rt --rt-type 0 -j DROP`).
     */
    private final class ExtensionHeaderModule extends Module {
        private final String prefix;

        ExtensionHeaderModule(String name) {
            super(name);
            this.prefix = "--" + name + "-";
        }

        @Override boolean accepts(String o) { return o.startsWith(prefix) || (name.equals("frag") && o.equals("--fragid")); }

        @Override void option(String o, boolean invert) { skipValues(); }

        @Override void finish() { matches.add(Matches.NEVER); }
    }

    /** -m rpfilter [--loose] [--validmark] [--accept-local] [--invert]: only in raw and mangle PREROUTING. */
    private final class RpfilterModule extends Module {
        private boolean loose, validMark, acceptLocal, invert;

        RpfilterModule() {
            super("rpfilter");
            if (!table.name.equals("raw") && !table.name.equals("mangle"))
                throw error("rpfilter is only valid in the raw or mangle table, not " + table.name);
        }

        @Override boolean accepts(String o) { return Set.of("--loose", "--validmark", "--accept-local", "--invert").contains(o); }

        @Override void option(String o, boolean inv) {
            if (inv) throw error("! is not allowed for " + o);
            switch (o) {
                case "--loose" -> loose = true;
                case "--validmark" -> validMark = true;
                case "--accept-local" -> acceptLocal = true;
                default -> invert = true;
            }
        }

        @Override void finish() {
            Problem why = new Problem(source, Message.of(Sentences.RPFILTER_NO_ROUTES));
            matches.add(new Matches.Rpfilter(loose, validMark, acceptLocal, invert, why));
        }
    }

    private final class MultiportModule extends Module {
        private Matches.Multiport match;

        MultiportModule() { super("multiport"); }

        @Override boolean accepts(String o) {
            return switch (o) {
                case "--dports", "--destination-ports", "--sports", "--source-ports", "--ports" -> true;
                default -> false;
            };
        }

        @Override void option(String o, boolean invert) {
            if (match != null) throw error("multiport accepts one port list");
            Matches.Multiport.Side side = switch (o) {
                case "--dports", "--destination-ports" -> Matches.Multiport.Side.DESTINATION;
                case "--sports", "--source-ports" -> Matches.Multiport.Side.SOURCE;
                default -> Matches.Multiport.Side.EITHER;
            };
            String[] items = value(o).split(",", -1);
            int[] ranges = new int[items.length * 2];
            for (int i = 0; i < items.length; i++) {
                int[] r = portRange(items[i], ":");
                ranges[2 * i] = r[0];
                ranges[2 * i + 1] = r[1];
            }
            match = new Matches.Multiport(side, ranges, invert);
        }

        @Override void finish() {
            if (match == null) throw error("multiport needs --dports, --sports or --ports");
            matches.add(match);
        }
    }

    private final class ConntrackModule extends Module {
        private final Matches.Conntrack match = new Matches.Conntrack(rawTable);

        ConntrackModule() { super("conntrack"); }

        @Override boolean accepts(String o) { return o.startsWith("--ct"); }

        @Override void option(String o, boolean invert) {
            switch (o) {
                case "--ctstate" -> {
                    match.hasState = true;
                    match.stateInvert = invert;
                    for (String w : value(o).split(",", -1)) {
                        int bit = Matches.stateBit(w, true);
                        if (bit == 0) throw error("bad ctstate \"" + w + "\"");
                        match.stateMask |= bit;
                    }
                }
                case "--ctstatus" -> {
                    match.hasStatus = true;
                    match.statusInvert = invert;
                    for (String w : value(o).split(",", -1)) {
                        int bit = Matches.statusBit(w);
                        if (bit < 0) throw error("bad ctstatus \"" + w + "\"");
                        match.statusMask |= bit;
                    }
                }
                case "--ctproto" -> {
                    String v = value(o);
                    match.hasProto = true;
                    match.protoInvert = invert;
                    match.ctProto = Names.protocol(v);
                    if (match.ctProto < 0) throw error("unknown protocol \"" + v + "\"");
                }
                case "--ctorigsrc" -> {
                    if (v6) {
                        match.origSrc6 = address6(value(o));
                        match.hasOrigSrc = true;
                        match.origSrcInvert = invert;
                        return;
                    }
                    int[] a = address(value(o));
                    match.hasOrigSrc = true;
                    match.origSrcInvert = invert;
                    match.origSrcNet = a[0];
                    match.origSrcMask = a[1];
                }
                case "--ctorigdst" -> {
                    if (v6) {
                        match.origDst6 = address6(value(o));
                        match.hasOrigDst = true;
                        match.origDstInvert = invert;
                        return;
                    }
                    int[] a = address(value(o));
                    match.hasOrigDst = true;
                    match.origDstInvert = invert;
                    match.origDstNet = a[0];
                    match.origDstMask = a[1];
                }
                case "--ctdir" -> {
                    String v = value(o).toUpperCase(Locale.ROOT);
                    if (!v.equals("ORIGINAL") && !v.equals("REPLY")) throw error("bad ctdir " + v);
                    match.hasDir = true;
                    match.wantReply = v.equals("REPLY") != invert;
                }
                case "--ctreplsrc" -> {
                    if (v6) {
                        match.replSrc6 = address6(value(o));
                        match.hasReplSrc = true;
                        match.replSrcInvert = invert;
                        return;
                    }
                    int[] a = address(value(o));
                    match.hasReplSrc = true;
                    match.replSrcInvert = invert;
                    match.replSrcNet = a[0];
                    match.replSrcMask = a[1];
                }
                case "--ctrepldst" -> {
                    if (v6) {
                        match.replDst6 = address6(value(o));
                        match.hasReplDst = true;
                        match.replDstInvert = invert;
                        return;
                    }
                    int[] a = address(value(o));
                    match.hasReplDst = true;
                    match.replDstInvert = invert;
                    match.replDstNet = a[0];
                    match.replDstMask = a[1];
                }
                case "--ctorigsrcport" -> { match.origSport = portRange(value(o), ":"); match.origSportInvert = invert; }
                case "--ctorigdstport" -> { match.origDport = portRange(value(o), ":"); match.origDportInvert = invert; }
                case "--ctreplsrcport" -> { match.replSport = portRange(value(o), ":"); match.replSportInvert = invert; }
                case "--ctrepldstport" -> { match.replDport = portRange(value(o), ":"); match.replDportInvert = invert; }
                case "--ctexpire" -> {
                    String v = value(o);
                    match.expire = new Match.Doubt(new Problem(source, Message.of(Sentences.CTEXPIRE_NOT_SIMULATED, v)), false);
                }
                default -> {
                    unknown(Message.of(Sentences.UNKNOWN_OPTION_FOR, o, "-m conntrack"));
                    skipValues();
                }
            }
        }

        @Override void finish() { matches.add(match); }
    }

    private final class StateModule extends Module {
        private int mask;
        private boolean invert, seen;

        StateModule() { super("state"); }

        @Override boolean accepts(String o) { return o.equals("--state"); }

        @Override void option(String o, boolean inv) {
            seen = true;
            invert = inv;
            for (String w : value(o).split(",", -1)) {
                int bit = Matches.stateBit(w, false);
                if (bit == 0) throw error("bad state \"" + w + "\"");
                mask |= bit;
            }
        }

        @Override void finish() {
            if (!seen) throw error("-m state needs --state");
            matches.add(new Matches.State(mask, invert, rawTable));
        }
    }

    private final class MarkModule extends Module {
        private final boolean connmark;
        private Match match;

        MarkModule(String name, boolean connmark) {
            super(name);
            this.connmark = connmark;
        }

        @Override boolean accepts(String o) { return o.equals("--mark"); }

        @Override void option(String o, boolean invert) {
            long[] vm = markMask(value(o));
            long value = vm[0] & vm[1];
            match = connmark ? new Matches.Connmark(value, vm[1], invert, rawTable) : new Matches.Mark(value, vm[1], invert);
        }

        @Override void finish() {
            if (match == null) throw error("-m " + name + " needs --mark");
            matches.add(match);
        }
    }

    private final class IpRangeModule extends Module {
        private final Matches.IpRange match = new Matches.IpRange();
        private final Matches.IpRange6 range6 = new Matches.IpRange6();

        IpRangeModule() { super("iprange"); }

        @Override boolean accepts(String o) { return o.equals("--src-range") || o.equals("--dst-range"); }

        @Override void option(String o, boolean invert) {
            String v = value(o);
            int dash = v.indexOf('-');
            if (v6) {
                Ip min = Ip.parseV6OrNull(dash < 0 ? v : v.substring(0, dash));
                Ip max = dash < 0 ? min : Ip.parseV6OrNull(v.substring(dash + 1));
                if (min == null || max == null) throw error("bad IPv6 range " + v);
                if (o.equals("--src-range")) {
                    range6.hasSrc = true;
                    range6.srcInvert = invert;
                    range6.srcMin = min;
                    range6.srcMax = max;
                } else {
                    range6.hasDst = true;
                    range6.dstInvert = invert;
                    range6.dstMin = min;
                    range6.dstMax = max;
                }
                return;
            }
            int min = dotted(dash < 0 ? v : v.substring(0, dash), true);
            int max = dash < 0 ? min : dotted(v.substring(dash + 1), true);
            if (o.equals("--src-range")) {
                match.hasSrc = true;
                match.srcInvert = invert;
                match.srcMin = min;
                match.srcMax = max;
            } else {
                match.hasDst = true;
                match.dstInvert = invert;
                match.dstMin = min;
                match.dstMax = max;
            }
        }

        @Override void finish() { matches.add(v6 ? range6 : match); }
    }

    private final class AddrTypeModule extends Module {
        private final Matches.AddrType match = new Matches.AddrType();

        AddrTypeModule() { super("addrtype"); }

        @Override boolean accepts(String o) {
            return switch (o) {
                case "--src-type", "--dst-type", "--limit-iface-in", "--limit-iface-out" -> true;
                default -> false;
            };
        }

        @Override void option(String o, boolean invert) {
            switch (o) {
                case "--src-type", "--dst-type" -> {
                    int bits = 0;
                    for (String w : value(o).split(",", -1)) {
                        int bit = Matches.AddrType.bit(w);
                        if (bit == 0) throw error("bad address type " + w);
                        // addrtype_mt_checkentry_v1: IPv6 has no broadcast, and these route types are not looked up
                        if (v6 && Set.of("BROADCAST", "BLACKHOLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE").contains(w.toUpperCase(Locale.ROOT)))
                            throw error("ipv6 " + w + " matching not supported");
                        bits |= bit;
                    }
                    if (o.equals("--src-type")) {
                        match.srcTypes = bits;
                        match.srcInvert = invert;
                    } else {
                        match.dstTypes = bits;
                        match.dstInvert = invert;
                    }
                }
                default -> notes.add(new Problem(source, Message.of(Sentences.ADDRTYPE_WITHOUT_INTERFACE, o)));
            }
        }

        @Override void finish() { matches.add(match); }
    }

    /** A module whose options do not change what matches (comment, limit); values are consumed. */
    private final class FixedModule extends Module {
        private final Set<String> withValue, flags;

        FixedModule(String name, Set<String> withValue, Set<String> flags) {
            super(name);
            this.withValue = withValue;
            this.flags = flags;
        }

        @Override boolean accepts(String o) { return withValue.contains(o) || flags.contains(o); }

        @Override void option(String o, boolean invert) {
            if (withValue.contains(o)) value(o);
        }

        @Override void finish() { }
    }

    private final class PktTypeModule extends Module {
        private Match match;

        PktTypeModule() { super("pkttype"); }

        @Override boolean accepts(String o) { return o.equals("--pkt-type"); }

        @Override void option(String o, boolean invert) {
            String v = value(o);
            int type = switch (v.toLowerCase(Locale.ROOT)) {
                case "unicast", "host" -> Matches.PktType.UNICAST;
                case "broadcast" -> Matches.PktType.BROADCAST;
                case "multicast" -> Matches.PktType.MULTICAST;
                default -> throw error("bad packet type " + v);
            };
            match = new Matches.PktType(type, invert);
        }

        @Override void finish() {
            if (match == null) throw error("-m pkttype needs --pkt-type");
            matches.add(match);
        }
    }

    private final class TtlModule extends Module {
        private Match match;

        TtlModule() { super("ttl"); }

        @Override boolean accepts(String o) { return o.equals("--ttl-eq") || o.equals("--ttl-lt") || o.equals("--ttl-gt"); }

        @Override void option(String o, boolean invert) {
            String v = value(o);
            int ttl = Names.number(v);
            if (ttl < 0 || ttl > 255) throw error("bad TTL " + v);
            int compare = o.equals("--ttl-lt") ? -1 : o.equals("--ttl-gt") ? 1 : 0;
            match = new Matches.Ttl(compare, ttl, invert);
        }

        @Override void finish() {
            if (match == null) throw error("-m ttl needs --ttl-eq, --ttl-lt or --ttl-gt");
            matches.add(match);
        }
    }

    /** -m policy: roundtrip simulates no IPsec, so `--pol none` always holds and `--pol ipsec` never does. */
    private final class PolicyModule extends Module {
        private Boolean ipsec;

        PolicyModule() { super("policy"); }

        @Override boolean accepts(String o) {
            return Set.of("--dir", "--pol", "--strict", "--reqid", "--spi", "--proto", "--mode", "--tunnel-src",
                    "--tunnel-dst", "--next").contains(o);
        }

        @Override void option(String o, boolean invert) {
            switch (o) {
                case "--pol" -> {
                    String v = value(o);
                    if (!v.equals("none") && !v.equals("ipsec")) throw error("bad policy " + v);
                    ipsec = v.equals("ipsec");
                }
                case "--strict", "--next" -> { }
                default -> value(o);
            }
        }

        @Override void finish() {
            if (ipsec == null) throw error("-m policy needs --pol");
            matches.add(ipsec ? Matches.NEVER : Matches.ALWAYS);
        }
    }

    /**
     * Rate and history matches (limit, hashlimit, connlimit, recent, quota): evaluated as for the first packet of a
     * quiet flow — within every rate and quota, alone in its connection count, in no recent list — and the packet is
     * marked uncertain where the rule decides something, since earlier traffic may change the answer.
     */
    private final class RateModule extends Module {
        private final Set<String> withValue, flags;
        private final StringBuilder text = new StringBuilder();
        private Boolean assume;
        private boolean deterministic;

        RateModule(String name, Set<String> withValue, Set<String> flags) {
            super(name);
            this.withValue = withValue;
            this.flags = flags;
        }

        @Override boolean accepts(String o) { return withValue.contains(o) || flags.contains(o); }

        @Override void option(String o, boolean invert) {
            text.append(invert ? " ! " : " ").append(o);
            String v = withValue.contains(o) ? value(o) : null;
            if (v != null) text.append(' ').append(v);
            switch (o) {
                case "--limit", "--hashlimit-upto", "--hashlimit", "--quota" -> assume = !invert;
                case "--hashlimit-above" -> assume = invert;
                case "--connlimit-upto", "--connlimit-above" -> {
                    long n = Names.u32(v);
                    if (n < 0) throw error("bad connection count " + v);
                    // xt_connlimit counts the connection itself: one for a quiet source
                    boolean holds = o.equals("--connlimit-upto") ? 1 <= n : 1 > n;
                    assume = holds != invert;
                }
                case "--set" -> { assume = !invert; deterministic = true; }   // adds the address: always holds
                case "--rcheck", "--update", "--remove" -> assume = invert;
                default -> { }
            }
        }

        @Override void finish() {
            String all = text.toString();
            if (name.equals("hashlimit") && !all.contains("--hashlimit-name")) throw error("hashlimit needs --hashlimit-name");
            if (name.equals("connlimit") && all.contains("--connlimit-saddr") && all.contains("--connlimit-daddr"))
                throw error("connlimit: --connlimit-saddr and --connlimit-daddr are mutually exclusive");
            if (assume == null) {
                if (name.equals("limit")) assume = true;   // --limit defaults to 3/hour
                else throw error("-m " + name + " needs " + switch (name) {
                    case "hashlimit" -> "--hashlimit-upto or --hashlimit-above";
                    case "connlimit" -> "--connlimit-upto or --connlimit-above";
                    case "recent" -> "--set, --rcheck, --update or --remove";
                    default -> "--quota";
                });
            }
            if (deterministic) {
                matches.add(assume ? Matches.ALWAYS : Matches.NEVER);
                return;
            }
            Sentences what = name.equals("connlimit") ? Sentences.CONNECTIONS_OPEN
                    : name.equals("recent") ? Sentences.PACKETS_SEEN
                    : name.equals("quota") ? Sentences.BYTES_COUNTED
                    : Sentences.RATE_BEFORE;
            matches.add(new Matches.Assumed(new Match.Doubt(new Problem(source, Message.of(assume ? Sentences.DEPENDS_TAKEN_TO_HOLD
                    : Sentences.DEPENDS_TAKEN_NOT_TO_HOLD, "-m " + name + text, Message.of(what))), assume)));
        }
    }

    /** A match on something the simulation does not have at all (payload bytes, sockets): the rule is not taken. */
    private final class UnknowableModule extends Module {
        private final Set<String> withValue, flags;
        private final Message why;
        private final StringBuilder text = new StringBuilder();
        private boolean inverted;

        UnknowableModule(String name, Set<String> withValue, Set<String> flags, Message why) {
            super(name);
            this.withValue = withValue;
            this.flags = flags;
            this.why = why;
        }

        @Override boolean accepts(String o) { return withValue.contains(o) || flags.contains(o); }

        @Override void option(String o, boolean invert) {
            if (invert && (o.equals("--string") || o.equals("--hex-string"))) inverted = true;
            text.append(invert ? " ! " : " ").append(o);
            if (withValue.contains(o)) text.append(" \"").append(value(o)).append('"');
        }

        @Override void finish() {
            String all = text.toString();
            if (name.equals("string") && (!all.contains("--algo") || !(all.contains("--string") || all.contains("--hex-string"))))
                throw error("STRING match: you must specify --algo and --string or --hex-string");
            // "! --string" of bytes nobody knows is as unknown; it is taken not to decide either
            matches.add(new Matches.Assumed(new Match.Doubt(new Problem(source, Message.of(Sentences.TAKEN_NOT_TO_MATCH,
                    "-m " + name + text, why)), false)));
        }
    }

    /** -m ecn: --ecn-tcp-cwr, --ecn-tcp-ece (flags) and --ecn-ip-ect 0..3. */
    private final class EcnModule extends Module {
        private final Matches.Ecn match = new Matches.Ecn();

        EcnModule() { super("ecn"); }

        @Override boolean accepts(String o) { return Set.of("--ecn-tcp-cwr", "--ecn-tcp-ece", "--ecn-ip-ect").contains(o); }

        @Override void option(String o, boolean invert) {
            switch (o) {
                case "--ecn-tcp-cwr" -> { match.hasCwr = true; match.cwrInvert = invert; }
                case "--ecn-tcp-ece" -> { match.hasEce = true; match.eceInvert = invert; }
                default -> {
                    String v = value(o);
                    int ect = Names.number(v);
                    if (ect < 0 || ect > 3) throw error("ECT value out of range 0-3: " + v);
                    match.hasIp = true;
                    match.ipInvert = invert;
                    match.ect = ect;
                }
            }
        }

        @Override void finish() {
            if (!match.hasIp && !match.hasCwr && !match.hasEce) throw error("-m ecn needs an option");
            if ((match.hasCwr || match.hasEce) && (proto != Packet.TCP || protoInvert))
                throw error("cannot match TCP bits in rule for non-tcp packets");
            matches.add(match);
        }
    }

    /** -m length --length min[:max]. */
    private final class LengthModule extends Module {
        private Match match;

        LengthModule() { super("length"); }

        @Override boolean accepts(String o) { return o.equals("--length"); }

        @Override void option(String o, boolean invert) {
            String v = value(o);
            int[] r = numberRange(v, 0xffff);
            match = new Matches.Length(r[0], r[1], invert);
        }

        @Override void finish() {
            if (match == null) throw error("-m length needs --length");
            matches.add(match);
        }
    }

    /** -m tos --tos value[/mask] or a symbolic name (mask 0x3f, as libxt_tos gives names). */
    private final class TosModule extends Module {
        private Match match;

        TosModule() { super("tos"); }

        @Override boolean accepts(String o) { return o.equals("--tos"); }

        @Override void option(String o, boolean invert) {
            int[] vm = tosValue(value(o));
            match = new Matches.Tos(vm[0] & vm[1], vm[1], invert);
        }

        @Override void finish() {
            if (match == null) throw error("-m tos needs --tos");
            matches.add(match);
        }
    }

    /** -m dscp --dscp 0..63 or --dscp-class name. */
    private final class DscpModule extends Module {
        private Match match;

        DscpModule() { super("dscp"); }

        @Override boolean accepts(String o) { return o.equals("--dscp") || o.equals("--dscp-class"); }

        @Override void option(String o, boolean invert) {
            if (match != null) throw error("DSCP match: only use one of --dscp or --dscp-class");
            int dscp = o.equals("--dscp") ? dscpNumber(value(o)) : dscpClass(value(o));
            match = new Matches.Tos(dscp << 2, 0xfc, invert);
        }

        @Override void finish() {
            if (match == null) throw error("DSCP match: Parameter --dscp is required");
            matches.add(match);
        }
    }

    /** sctp, dccp, esp, ah: their options are read and checked; only a packet of that protocol could match. */
    private final class OtherProtocolModule extends Module {
        private final int number;
        private final Set<String> options;
        private final StringBuilder text = new StringBuilder();

        OtherProtocolModule(String name, int number, Set<String> options) {
            super(name);
            this.number = number;
            this.options = options;
        }

        @Override boolean accepts(String o) { return options.contains(o); }

        @Override void option(String o, boolean invert) {
            text.append(invert ? " ! " : " ").append(o);
            switch (o) {
                case "--sport", "--source-port", "--dport", "--destination-port" -> text.append(' ').append(portText(value(o)));
                case "--chunk-types" -> {
                    String mode = value(o);
                    if (!Set.of("any", "all", "only").contains(mode)) throw error("--chunk-types requires any, all or only: " + mode);
                    text.append(' ').append(mode).append(' ').append(value(o));
                }
                case "--espspi", "--ahspi" -> {
                    String v = value(o);
                    numberRange(v, -1);
                    text.append(' ').append(v);
                }
                case "--dccp-option" -> {
                    String v = value(o);
                    int n = Names.number(v);
                    if (n < 0 || n > 255) throw error("bad DCCP option " + v);
                    text.append(' ').append(v);
                }
                default -> text.append(' ').append(value(o));   // --dccp-types
            }
        }

        private String portText(String v) {
            portRange(v, ":");
            return v;
        }

        @Override void finish() {
            // the kernel's checkentry: the match needs the rule's -p to be its protocol; ip6t_ah has no such check (it walks
            // the extension headers, where AH is one), and the model's packets carry none: it never matches there
            if ((proto != number || protoInvert) && !(v6 && name.equals("ah"))) throw error("-m " + name + " needs -p " + name);
            matches.add(new Matches.OtherProtocol(number, new Problem(source, Message.of(Sentences.PROTOCOL_NOT_MODELLED,
                    "-m " + name + text, name))));
        }
    }

    /** -m physdev: --physdev-in/--physdev-out name, --physdev-is-in, --physdev-is-out, --physdev-is-bridged. */
    private final class PhysdevModule extends Module {
        private final Matches.Physdev match = new Matches.Physdev();

        PhysdevModule() { super("physdev"); }

        @Override boolean accepts(String o) { return o.startsWith("--physdev-"); }

        @Override void option(String o, boolean invert) {
            switch (o) {
                case "--physdev-in" -> { match.hasIn = true; match.inInvert = invert; match.in = new IfaceMatch(value(o), invert); }
                case "--physdev-out" -> { match.hasOut = true; match.outInvert = invert; match.out = new IfaceMatch(value(o), invert); }
                case "--physdev-is-in" -> { match.hasIsIn = true; match.isInInvert = invert; }
                case "--physdev-is-out" -> { match.hasIsOut = true; match.isOutInvert = invert; }
                case "--physdev-is-bridged" -> { match.hasBridged = true; match.bridgedInvert = invert; }
                default -> {
                    unknown(Message.of(Sentences.UNKNOWN_OPTION_FOR, o, "-m physdev"));
                    skipValues();
                }
            }
        }

        @Override void finish() {
            if (!match.hasIn && !match.hasOut && !match.hasIsIn && !match.hasIsOut && !match.hasBridged)
                throw error("PHYSDEV: no physdev option specified");
            match.unknownPort = new Match.Doubt(new Problem(source, Message.of(Sentences.PHYSDEV_PORT_UNKNOWN)), false);
            matches.add(match);
        }
    }

    /** -m owner: --uid-owner, --gid-owner (a name, a number or a range), --suppl-groups, --socket-exists. */
    private final class OwnerModule extends Module {
        private final Matches.Owner match = new Matches.Owner();
        private final StringBuilder text = new StringBuilder();

        OwnerModule() { super("owner"); }

        @Override boolean accepts(String o) {
            return Set.of("--uid-owner", "--gid-owner", "--suppl-groups", "--socket-exists").contains(o);
        }

        @Override void option(String o, boolean invert) {
            text.append(invert ? " ! " : " ").append(o);
            switch (o) {
                case "--uid-owner" -> { match.hasUid = true; match.uidInvert = invert; text.append(' ').append(value(o)); }
                case "--gid-owner" -> { match.hasGid = true; match.gidInvert = invert; text.append(' ').append(value(o)); }
                case "--socket-exists" -> { match.hasSocket = true; match.socketInvert = invert; }
                default -> { }
            }
        }

        @Override void finish() {
            if (text.indexOf("--suppl-groups") >= 0 && !match.hasGid) throw error("owner: --suppl-groups needs --gid-owner");
            if (!match.hasUid && !match.hasGid && !match.hasSocket) throw error("owner: no owner option given");
            match.unknownUser = new Match.Doubt(new Problem(source, Message.of(Sentences.OWNER_UNKNOWN, "-m owner" + text)), false);
            matches.add(match);
        }
    }

    /** -m connbytes --connbytes from[:to] --connbytes-dir original|reply|both --connbytes-mode packets|bytes|avgpkt. */
    private final class ConnbytesModule extends Module {
        private final Matches.Connbytes match = new Matches.Connbytes();
        private final StringBuilder text = new StringBuilder();
        private boolean seen, dirSeen, modeSeen;

        ConnbytesModule() { super("connbytes"); }

        @Override boolean accepts(String o) { return o.startsWith("--connbytes"); }

        @Override void option(String o, boolean invert) {
            String v = value(o);
            text.append(invert ? " ! " : " ").append(o).append(' ').append(v);
            switch (o) {
                case "--connbytes" -> {
                    int colon = v.indexOf(':');
                    long from = colon < 0 ? parseCount(v) : colon == 0 ? 0 : parseCount(v.substring(0, colon));
                    long to = colon < 0 || colon == v.length() - 1 ? Long.MAX_VALUE : parseCount(v.substring(colon + 1));
                    // libxt_connbytes stores an inverted range swapped
                    match.from = invert ? to : from;
                    match.to = invert ? from : to;
                    seen = true;
                }
                case "--connbytes-dir" -> {
                    match.dir = switch (v) {
                        case "original" -> 0;
                        case "reply" -> 1;
                        case "both" -> 2;
                        default -> throw error("unknown --connbytes-dir " + v);
                    };
                    dirSeen = true;
                }
                case "--connbytes-mode" -> {
                    match.mode = switch (v) {
                        case "packets" -> 0;
                        case "bytes" -> 1;
                        case "avgpkt" -> 2;
                        default -> throw error("unknown --connbytes-mode " + v);
                    };
                    modeSeen = true;
                }
                default -> throw error("unknown option " + o + " for -m connbytes");
            }
        }

        private long parseCount(String v) {
            try {
                return Long.parseUnsignedLong(v);
            } catch (NumberFormatException e) {
                throw error("bad --connbytes value " + v);
            }
        }

        @Override void finish() {
            if (!seen || !dirSeen || !modeSeen) throw error("connbytes needs --connbytes, --connbytes-dir and --connbytes-mode");
            match.why = new Problem(source, Message.of(Sentences.CONNBYTES_FIRST_PACKET, "-m connbytes" + text));
            matches.add(match);
        }
    }

    /**
     * -m set --match-set NAME src[,dst...] [--return-nomatch] [! --update-counters] [! --update-subcounters]
     * [--packets-eq/lt/gt N] [--bytes-eq/lt/gt N] (also the old `--set NAME FLAGS`).
     */
    private final class SetModule extends Module {
        private String setName;
        private boolean[] src;
        private boolean invert, returnNomatch, counters;

        SetModule() { super("set"); }

        @Override boolean accepts(String o) {
            return Set.of("--match-set", "--set", "--return-nomatch", "--update-counters", "--update-subcounters",
                    "--packets-eq", "--packets-lt", "--packets-gt", "--bytes-eq", "--bytes-lt", "--bytes-gt").contains(o);
        }

        @Override void option(String o, boolean inv) {
            switch (o) {
                case "--match-set", "--set" -> {
                    if (setName != null) throw error("--match-set can be specified only once");
                    setName = value(o);
                    String[] flags = value(o).split(",");
                    if (flags.length > 6) throw error("too many src/dst flags in " + String.join(",", flags));
                    src = new boolean[flags.length];
                    for (int i = 0; i < flags.length; i++) {
                        if (!flags[i].equals("src") && !flags[i].equals("dst")) throw error("bad set flag " + flags[i]);
                        src[i] = flags[i].equals("src");
                    }
                    invert = inv;
                }
                case "--return-nomatch" -> returnNomatch = true;
                case "--update-counters", "--update-subcounters" -> { }
                default -> {
                    long n = Names.u32(value(o));
                    if (n < 0) throw error("bad counter value for " + o);
                    counters = true;
                }
            }
        }

        @Override void finish() {
            if (setName == null) throw error("-m set needs --match-set");
            matches.add(new Matches.SetMatch(sets, setName, src, invert, returnNomatch, counters, source));
        }
    }

    private final class UnknownModule extends Module {
        UnknownModule(String name) {
            super(name);
            unknown(Message.of(Sentences.UNKNOWN_MATCH, name));
        }

        @Override boolean accepts(String o) { return true; }

        @Override void option(String o, boolean invert) { skipValues(); }

        @Override void finish() { }
    }

    // ---- targets ----

    private void jump(String name) {
        switch (name) {
            case "ACCEPT" -> target = Target.verdict(name, Verdict.Kind.ACCEPT, "accept");
            case "DROP" -> target = Target.verdict(name, Verdict.Kind.DROP, "drop");
            case "RETURN" -> target = Target.ret();
            case "QUEUE" -> target = Target.verdict(name, Verdict.Kind.QUEUE, "queue to user space");
            case "TRACE" -> target = Target.noEffect(name, "TRACE");
            case "NOTRACK" -> target = Target.effect(name, ctx -> {
                ctx.notrack = true;
                return "notrack";
            });
            default -> {
                if (v6 ? TARGETS.contains(name) && !name.equals("TTL") || name.equals("HL") : TARGETS.contains(name)) {
                    targetOptions = new TargetOptions(name);
                    return;
                }
                Chain to = table.chains.get(name);
                if (to != null && to.builtin) throw error("cannot jump to built-in chain " + name);
                if (to != null) {
                    target = Target.jump(name);
                    target.chain = to;
                } else {
                    unknown(Message.of(Sentences.UNKNOWN_TARGET, name));
                    target = Target.none();
                    // the unknown target's options
                    targetOptions = new TargetOptions(name);
                }
            }
        }
    }

    /** Collects a target's options, then builds it. */
    private final class TargetOptions {
        final String name;
        final boolean known;
        /** ip6t_REJECT's default answer is ICMPv6 port unreachable, ipt_REJECT's ICMP port unreachable */
        String rejectWith = v6 ? "icmp6-port-unreachable" : "icmp-port-unreachable";
        long markValue = -1, markMask = 0xffffffffL;
        String connmarkMode;
        long nfmask = 0xffffffffL, ctmask = 0xffffffffL;
        String natTo;
        String ports;
        boolean ctNotrack;
        String queueNum = "0";
        String logPrefix;
        String extra = "";
        /** TOS: {value, mask}; DSCP: the code point; TTL: the action and its value */
        int[] tos;
        int dscp = -1;
        String ttlMode;
        int ttlValue;

        TargetOptions(String name) {
            this.name = name;
            this.known = TARGETS.contains(name) || v6 && name.equals("HL");
        }

        boolean accepts(String o) {
            if (!known) return true;
            return switch (name) {
                case "REJECT" -> o.equals("--reject-with");
                case "LOG" -> o.startsWith("--log-");
                case "NFLOG" -> o.startsWith("--nflog-");
                case "ULOG" -> o.startsWith("--ulog-");
                case "MARK" -> Set.of("--set-mark", "--set-xmark", "--and-mark", "--or-mark", "--xor-mark").contains(o);
                case "CONNMARK" -> Set.of("--set-mark", "--set-xmark", "--and-mark", "--or-mark", "--xor-mark",
                        "--save-mark", "--restore-mark", "--nfmask", "--ctmask", "--mask").contains(o);
                case "SNAT" -> Set.of("--to-source", "--random", "--random-fully", "--persistent").contains(o);
                case "DNAT" -> Set.of("--to-destination", "--random", "--persistent").contains(o);
                case "MASQUERADE" -> Set.of("--to-ports", "--random", "--random-fully").contains(o);
                case "REDIRECT" -> Set.of("--to-ports", "--random").contains(o);
                case "CT" -> Set.of("--notrack", "--helper", "--ctevents", "--expevents").contains(o);
                case "TCPMSS" -> o.equals("--set-mss") || o.equals("--clamp-mss-to-pmtu");
                case "NFQUEUE" -> Set.of("--queue-num", "--queue-balance", "--queue-bypass", "--queue-cpu-fanout",
                        "--fail-open").contains(o);
                case "CHECKSUM" -> o.equals("--checksum-fill");
                case "CLASSIFY" -> o.equals("--set-class");
                case "TOS" -> Set.of("--set-tos", "--and-tos", "--or-tos", "--xor-tos").contains(o);
                case "DSCP" -> o.equals("--set-dscp") || o.equals("--set-dscp-class");
                case "TTL" -> Set.of("--ttl-set", "--ttl-dec", "--ttl-inc").contains(o);
                case "HL" -> Set.of("--hl-set", "--hl-dec", "--hl-inc").contains(o);
                case "NETMAP" -> o.equals("--to");
                case "TPROXY" -> Set.of("--on-port", "--on-ip", "--tproxy-mark").contains(o);
                default -> false;
            };
        }

        void option(String o, boolean invert) {
            if (invert) throw error("! is not allowed for target option " + o);
            if (!known) {
                skipValues();
                return;
            }
            switch (o) {
                case "--reject-with" -> rejectWith = v6 ? rejectType6(value(o)) : rejectType(value(o));
                case "--log-prefix" -> logPrefix = value(o);
                case "--set-xmark", "--set-mark", "--and-mark", "--or-mark", "--xor-mark" -> {
                    if (markValue >= 0) throw error(name + " accepts one mark operation");
                    long[] xm = xmark(o, value(o));
                    markValue = xm[0];
                    markMask = xm[1];
                    connmarkMode = "set";
                }
                case "--save-mark" -> connmarkMode = "save";
                case "--restore-mark" -> connmarkMode = "restore";
                case "--nfmask" -> nfmask = u32(value(o));
                case "--ctmask" -> ctmask = u32(value(o));
                case "--mask" -> nfmask = ctmask = u32(value(o));
                case "--to-source", "--to-destination" -> {
                    if (natTo != null) throw error("multiple " + o + " are not supported");
                    natTo = value(o);
                }
                case "--to-ports" -> ports = value(o);
                case "--notrack" -> ctNotrack = true;
                case "--helper" -> extra = " helper " + value(o);
                case "--set-tos", "--and-tos", "--or-tos", "--xor-tos" -> {
                    if (tos != null) throw error("TOS target: only use one of --set-tos, --and-tos, --or-tos, --xor-tos");
                    String v = value(o);
                    if (o.equals("--set-tos")) {
                        int[] vm = tosValue(v);
                        tos = new int[] {vm[0], vm[1]};
                    } else {
                        long b = Names.u32(v);
                        if (b < 0 || b > 0xff) throw error("bad TOS value " + v);
                        // libxt_TOS: and = set 0/~b, or = set b/b, xor = set b/0
                        tos = switch (o) {
                            case "--and-tos" -> new int[] {0, ~(int) b & 0xff};
                            case "--or-tos" -> new int[] {(int) b, (int) b};
                            default -> new int[] {(int) b, 0};
                        };
                    }
                }
                case "--set-dscp" -> dscp = dscpNumber(value(o));
                case "--set-dscp-class" -> dscp = dscpClass(value(o));
                case "--ttl-set", "--ttl-dec", "--ttl-inc", "--hl-set", "--hl-dec", "--hl-inc" -> {
                    if (ttlMode != null) throw error(name + " target: you can only specify one action");
                    String v = value(o);
                    ttlValue = Names.number(v);
                    if (ttlValue < 0 || ttlValue > 255) throw error(name + " value out of range: " + v);
                    if (!o.endsWith("-set") && ttlValue == 0) throw error(name + " target: increasing or decreasing by 0?");
                    // the hop limit target acts as the TTL one (ip6t_HL), on the model's ttl
                    ttlMode = "--ttl" + o.substring(o.lastIndexOf('-'));
                }
                case "--to" -> natTo = value(o);
                case "--on-port", "--on-ip", "--tproxy-mark" -> extra += " " + o + " " + value(o);
                case "--queue-num" -> queueNum = value(o);
                case "--queue-balance" -> queueNum = value(o);
                default -> {
                    // options that take a value vs. flags
                    if (Set.of("--log-level", "--nflog-group", "--nflog-prefix", "--nflog-range", "--nflog-size",
                            "--nflog-threshold", "--ulog-nlgroup", "--ulog-prefix", "--ulog-cprange",
                            "--ulog-qthreshold", "--ctevents", "--expevents", "--set-mss", "--set-class").contains(o)) {
                        value(o);
                    }
                }
            }
        }

        Target build() {
            if (!known) return Target.none();
            switch (name) {
                case "REJECT":
                    return Target.reject(rejectWith);
                case "LOG":
                    return Target.noEffect(name, logPrefix == null ? "LOG" : "LOG prefix \"" + logPrefix + "\"");
                case "NFLOG":
                case "ULOG":
                    return Target.noEffect(name, name);
                case "TCPMSS":
                    return Target.noEffect(name, "TCPMSS (no effect on reachability)");
                case "CHECKSUM":
                case "CLASSIFY":
                    return Target.noEffect(name, name);
                case "TOS": {
                    if (tos == null) throw error("TOS target: Parameter --set-tos is required");
                    mangleOnly();
                    int value = tos[0], mask = tos[1];
                    // tos_tg: new = (old & ~mask) ^ value
                    return Target.effect(name, ctx -> {
                        ctx.packet.tos = ((ctx.packet.tos & ~mask) ^ value) & 0xff;
                        return "TOS set 0x" + Integer.toHexString(ctx.packet.tos);
                    });
                }
                case "DSCP": {
                    if (dscp < 0) throw error("DSCP target: Parameter --set-dscp is required");
                    mangleOnly();
                    int d = dscp;
                    // dscp_tg: the upper six bits, ECN kept
                    return Target.effect(name, ctx -> {
                        ctx.packet.tos = (d << 2) | (ctx.packet.tos & 3);
                        return "DSCP set 0x" + Integer.toHexString(d);
                    });
                }
                case "TTL":
                case "HL": {
                    if (ttlMode == null) throw error(name + " target: You must specify an action");
                    mangleOnly();
                    String mode = ttlMode;
                    int v = ttlValue;
                    // ttl_tg: set, or decrement/increment clamped to 0..255
                    return Target.effect(name, ctx -> {
                        int t = ctx.packet.ttl;
                        t = switch (mode) {
                            case "--ttl-set" -> v;
                            case "--ttl-dec" -> Math.max(0, t - v);
                            default -> Math.min(255, t + v);
                        };
                        ctx.packet.ttl = t;
                        return name + " set " + t;
                    });
                }
                case "TPROXY": {
                    if (!table.name.equals("mangle")) throw error("TPROXY is only valid in the mangle table");
                    Problem why = new Problem(source, Message.of(Sentences.TAKEN_NOT_TO_MATCH, "-j TPROXY" + extra,
                            Message.of(Sentences.TRANSPARENT_SOCKET_NOT_SIMULATED)));
                    return Target.effect(name, ctx -> {
                        if (!ctx.uncertain.contains(why)) ctx.uncertain.add(why);
                        return "TPROXY" + extra + " (not simulated)";
                    });
                }
                case "NFQUEUE":
                    return Target.verdict(name, Verdict.Kind.QUEUE, "queue to user space (NFQUEUE num " + queueNum + ")");
                case "MARK":
                    if (markValue < 0) throw error("MARK needs a mark operation");
                    return markTarget(markValue, markMask);
                case "CONNMARK":
                    return connmarkTarget();
                case "CT":
                    if (!rawTable) throw error("CT is only valid in the raw table");
                    if (ctNotrack) {
                        return Target.effect(name, ctx -> {
                            ctx.notrack = true;
                            return "notrack";
                        });
                    }
                    return Target.noEffect(name, "CT" + extra);
                default:
                    return natTarget();
            }
        }

        private void mangleOnly() {
            if (!table.name.equals("mangle")) throw error(name + " is only valid in the mangle table");
        }

        private Target markTarget(long value, long mask) {
            return Target.effect(name, ctx -> {
                long mark = ((ctx.packet.mark & ~mask) ^ value) & 0xffffffffL;
                ctx.packet.mark = mark;
                return ctx.tracing ? "MARK set 0x" + Long.toHexString(mark) : null;
            });
        }

        private Target connmarkTarget() {
            if (connmarkMode == null) throw error("CONNMARK needs --set-xmark, --save-mark or --restore-mark");
            long value = markValue, mask = markMask, nf = nfmask, ct = ctmask;
            boolean raw = rawTable;
            return switch (connmarkMode) {
                case "set" -> Target.effect(name, ctx -> {
                    if (!Matches.hasConntrack(ctx, raw)) return "CONNMARK (no conntrack entry: nothing set)";
                    ctx.ctMark = ((ctx.ctMark & ~mask) ^ value) & 0xffffffffL;
                    return ctx.tracing ? "CONNMARK set 0x" + Long.toHexString(ctx.ctMark) : null;
                });
                case "save" -> Target.effect(name, ctx -> {
                    if (!Matches.hasConntrack(ctx, raw)) return "CONNMARK (no conntrack entry: nothing saved)";
                    ctx.ctMark = ((ctx.ctMark & ~ct) ^ (ctx.packet.mark & nf)) & 0xffffffffL;
                    return ctx.tracing ? "CONNMARK save -> ctmark 0x" + Long.toHexString(ctx.ctMark) : null;
                });
                default -> Target.effect(name, ctx -> {
                    if (!Matches.hasConntrack(ctx, raw)) return "CONNMARK (no conntrack entry: nothing restored)";
                    ctx.packet.mark = ((ctx.packet.mark & ~nf) ^ (ctx.ctMark & ct)) & 0xffffffffL;
                    return ctx.tracing ? "CONNMARK restore -> mark 0x" + Long.toHexString(ctx.packet.mark) : null;
                });
            };
        }

        private Target natTarget() {
            if (!table.name.equals("nat")) throw error(name + " is only valid in the nat table");
            switch (name) {
                case "SNAT":
                case "DNAT": {
                    if (natTo == null) throw error(name + " needs --to-" + (name.equals("SNAT") ? "source" : "destination"));
                    NatAction.Type type = name.equals("SNAT") ? NatAction.Type.SNAT : NatAction.Type.DNAT;
                    if (v6) return Target.nat(name, nat6(type, natTo), name + " to " + natTo);
                    String addrPart = natTo, portPart = null;
                    int colon = natTo.indexOf(':');
                    if (colon >= 0) {
                        addrPart = natTo.substring(0, colon);
                        portPart = natTo.substring(colon + 1);
                    }
                    Ip from = null, to = null;
                    if (!addrPart.isEmpty()) {
                        int dash = addrPart.indexOf('-');
                        from = Ip.v4(dotted(dash < 0 ? addrPart : addrPart.substring(0, dash), true));
                        to = dash < 0 ? from : Ip.v4(dotted(addrPart.substring(dash + 1), true));
                    }
                    // iptables-save prints a port shift (NF_NAT_RANGE_PROTO_OFFSET) as min-max/base
                    int base = -1;
                    if (portPart != null && portPart.indexOf('/') >= 0) {
                        String b = portPart.substring(portPart.indexOf('/') + 1);
                        portPart = portPart.substring(0, portPart.indexOf('/'));
                        base = port(b);
                        if (!portPart.contains("-")) throw error("a port offset needs a port range: " + natTo);
                    }
                    int[] p = portPart == null ? new int[] {0, 0} : portRange(portPart, "-");
                    if (base >= 0 && p[0] == 0) throw error("a port offset needs a port range: " + natTo);
                    return Target.nat(name, new NatAction(type, from, to, p[0], p[1], base, -1), name + " to " + natTo);
                }
                case "NETMAP": {
                    if (natTo == null) throw error("NETMAP needs --to");
                    if (v6) {
                        // netmap_tg6: as netmap_tg4, on IPv6 prefixes
                        Matches.Prefix6 p6 = address6(natTo);
                        int len6 = p6.length();
                        if (len6 < 0) throw error("NETMAP: bad netmask " + natTo);
                        boolean dst6 = !chain.builtin || chain.name.equals("PREROUTING") || chain.name.equals("OUTPUT");
                        Ip net6 = Ip.v6(p6.hi, p6.lo);
                        return Target.nat(name, new NatAction(dst6 ? NatAction.Type.DNAT : NatAction.Type.SNAT, net6, net6, 0, 0, -1, len6),
                                "NETMAP to " + natTo);
                    }
                    int[] a = address(natTo);
                    int len = Ip.v4MaskLength(a[1]);
                    if (len < 0) throw error("NETMAP: bad netmask " + natTo);
                    // netmap_tg4: the destination in PREROUTING and OUTPUT, the source in POSTROUTING and INPUT; the
                    // kernel model rewrites what the hook's NAT manipulates, so a user chain's type is only its name
                    boolean dst = !chain.builtin || chain.name.equals("PREROUTING") || chain.name.equals("OUTPUT");
                    NatAction.Type type = dst ? NatAction.Type.DNAT : NatAction.Type.SNAT;
                    Ip net = Ip.v4(a[0]);
                    return Target.nat(name, new NatAction(type, net, net, 0, 0, -1, len), "NETMAP to " + natTo);
                }
                case "MASQUERADE":
                case "REDIRECT": {
                    NatAction.Type type = name.equals("MASQUERADE") ? NatAction.Type.MASQUERADE : NatAction.Type.REDIRECT;
                    int[] p = ports == null ? new int[] {0, 0} : portRange(ports, "-");
                    String text = ports == null ? name : name + " to ports " + ports;
                    return Target.nat(name, new NatAction(type, null, null, p[0], p[1]), text);
                }
                default:
                    throw new IllegalStateException(name);
            }
        }
    }

    /**
     * An ip6tables --to-source / --to-destination (libxt_NAT for IPv6): "addr", "addr-addr", "[addr]:port",
     * "[addr-addr]:port-port" (ip6tables-save brackets the addresses when ports follow), ":port[-port]", and a
     * port shift "/base" after a port range.
     */
    private NatAction nat6(NatAction.Type type, String text) {
        String addrPart = text, portPart = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) throw error("bad IPv6 NAT address " + text + ": ']' missing");
            addrPart = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) throw error("bad IPv6 NAT address " + text);
                portPart = rest.substring(1);
            }
        } else if (text.startsWith(":") && !text.startsWith("::") && Names.number(text.substring(1).split("[-/]")[0]) >= 0) {
            addrPart = "";
            portPart = text.substring(1);
        }
        Ip from = null, to = null;
        if (!addrPart.isEmpty()) {
            int dash = addrPart.indexOf('-');
            from = Ip.parseV6OrNull(dash < 0 ? addrPart : addrPart.substring(0, dash));
            to = dash < 0 ? from : Ip.parseV6OrNull(addrPart.substring(dash + 1));
            if (from == null || to == null) throw error("bad IPv6 NAT address " + text);
        }
        int base = -1;
        if (portPart != null && portPart.indexOf('/') >= 0) {
            base = port(portPart.substring(portPart.indexOf('/') + 1));
            portPart = portPart.substring(0, portPart.indexOf('/'));
            if (!portPart.contains("-")) throw error("a port offset needs a port range: " + text);
        }
        int[] p = portPart == null ? new int[] {0, 0} : portRange(portPart, "-");
        return new NatAction(type, from, to, p[0], p[1], base, -1);
    }

    /** ip6t_REJECT's answers (libip6t_REJECT's names and their short forms), as ip6tables-save prints them. */
    private String rejectType6(String text) {
        return switch (text) {
            case "icmp6-no-route", "no-route" -> "icmp6-no-route";
            case "icmp6-adm-prohibited", "adm-prohibited" -> "icmp6-adm-prohibited";
            case "icmp6-addr-unreachable", "addr-unreach" -> "icmp6-addr-unreachable";
            case "icmp6-port-unreachable", "port-unreach" -> "icmp6-port-unreachable";
            case "icmp6-policy-fail", "policy-fail" -> "icmp6-policy-fail";
            case "icmp6-reject-route", "reject-route" -> "icmp6-reject-route";
            case "tcp-reset", "tcp-rst" -> "tcp-reset";
            default -> throw error("unknown reject type " + text);
        };
    }

    /** --set-xmark and friends as the (value, mask) pair the kernel applies: new = (old & ~mask) ^ value. */
    private long[] xmark(String option, String text) {
        switch (option) {
            case "--set-xmark": {
                return markMask(text);
            }
            case "--set-mark": {
                long[] vm = markMask(text);
                return new long[] {vm[0], vm[0] | vm[1]};
            }
            case "--and-mark":
                return new long[] {0, ~u32(text) & 0xffffffffL};
            case "--or-mark": {
                long v = u32(text);
                return new long[] {v, v};
            }
            default: // --xor-mark
                return new long[] {u32(text), 0};
        }
    }

    private String rejectType(String text) {
        return switch (text) {
            case "icmp-net-unreachable", "net-unreach" -> "icmp-net-unreachable";
            case "icmp-host-unreachable", "host-unreach" -> "icmp-host-unreachable";
            case "icmp-port-unreachable", "port-unreach" -> "icmp-port-unreachable";
            case "icmp-proto-unreachable", "proto-unreach" -> "icmp-proto-unreachable";
            case "icmp-net-prohibited", "net-prohib" -> "icmp-net-prohibited";
            case "icmp-host-prohibited", "host-prohib" -> "icmp-host-prohibited";
            case "icmp-admin-prohibited", "admin-prohib" -> "icmp-admin-prohibited";
            case "tcp-reset", "tcp-rst" -> "tcp-reset";
            default -> throw error("unknown reject type " + text);
        };
    }
}
