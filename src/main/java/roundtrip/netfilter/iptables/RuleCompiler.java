package roundtrip.netfilter.iptables;

import roundtrip.model.InputException;
import roundtrip.model.Ip;
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
            "NFQUEUE", "QUEUE", "CHECKSUM", "CLASSIFY");

    static boolean isTargetName(String name) { return TARGETS.contains(name); }

    private final String file;
    private final int line;
    private final Source source;
    private final IptablesRuleset.Table table;
    private final Chain chain;
    private final boolean rawTable;
    private final List<String> words;
    private int pos;

    // the IP header part
    private final List<int[]> sources = new ArrayList<>();
    private final List<int[]> destinations = new ArrayList<>();
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

    RuleCompiler(String file, int line, Source source, IptablesRuleset.Table table, Chain chain, List<String> words) {
        this.file = file;
        this.line = line;
        this.source = source;
        this.table = table;
        this.chain = chain;
        this.rawTable = table.name.equals("raw");
        this.words = words;
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
                    addresses(value(word), sources, srcInvert, srcSeen, word);
                    srcSeen = true;
                }
                case "-d", "--destination", "--dst" -> {
                    dstInvert = negation(negate, word);
                    addresses(value(word), destinations, dstInvert, dstSeen, word);
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
                case "-4" -> { }
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
        return build();
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
                        proto, protoInvert, in, out, fragment, fragmentInvert, compiled, target, problem));
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
        String owner = targetOptions != null ? " for -j " + targetOptions.name : module != null ? " for -m " + module.name : "";
        unknown("unknown option " + word + owner);
        skipValues();
    }

    private Module implicitModule() {
        return switch (proto) {
            case Packet.TCP -> new PortsModule("tcp", Packet.TCP);
            case Packet.UDP -> new PortsModule("udp", Packet.UDP);
            case Packet.ICMP -> new IcmpModule();
            default -> null;
        };
    }

    private void unknown(String message) {
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
        if (pos < words.size() && words.get(pos).equals("!")) {
            if (before) throw error("multiple ! flags not allowed for " + option);
            pos++;
            return true;
        }
        return before;
    }

    private void addresses(String text, List<int[]> into, boolean invert, boolean seen, String option) {
        if (seen) throw error("multiple " + option + " flags not allowed");
        String[] parts = text.split(",", -1);
        if (invert && parts.length > 1) throw error("! not allowed with multiple source or destination addresses");
        for (String p : parts) into.add(address(p));
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
        return switch (name) {
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
            case "limit" -> new FixedModule("limit", Set.of("--limit", "--limit-burst"), Set.of());
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
            match = new Matches.Icmp(typeCode, invert);
        }

        @Override void finish() {
            explicit = this == module;
            if (match != null) matches.add(match);
            else if (explicit) matches.add(new Matches.Icmp(new int[] {-1, 0, 0xff}, false));
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
                    int[] a = address(value(o));
                    match.hasOrigSrc = true;
                    match.origSrcInvert = invert;
                    match.origSrcNet = a[0];
                    match.origSrcMask = a[1];
                }
                case "--ctorigdst" -> {
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
                    match.wantReply = v.equals("REPLY");
                }
                default -> {
                    // --ctreplsrc, --ctorigsrcport, --ctexpire, ...: the context does not carry what they test
                    unknown("unknown option " + o + " for -m conntrack");
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

        IpRangeModule() { super("iprange"); }

        @Override boolean accepts(String o) { return o.equals("--src-range") || o.equals("--dst-range"); }

        @Override void option(String o, boolean invert) {
            String v = value(o);
            int dash = v.indexOf('-');
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

        @Override void finish() { matches.add(match); }
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
                default -> notes.add(new Problem(source, "approximated: addrtype " + o
                        + " is evaluated without the interface limit (types are looked up host-wide)"));
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

    private final class UnknownModule extends Module {
        UnknownModule(String name) {
            super(name);
            unknown("unknown match -m " + name);
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
                if (TARGETS.contains(name)) {
                    targetOptions = new TargetOptions(name);
                    return;
                }
                Chain to = table.chains.get(name);
                if (to != null && to.builtin) throw error("cannot jump to built-in chain " + name);
                if (to != null) {
                    target = Target.jump(name);
                    target.chain = to;
                } else {
                    unknown("unknown target -j " + name);
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
        String rejectWith = "icmp-port-unreachable";
        long markValue = -1, markMask = 0xffffffffL;
        String connmarkMode;
        long nfmask = 0xffffffffL, ctmask = 0xffffffffL;
        String natTo;
        String ports;
        boolean ctNotrack;
        String queueNum = "0";
        String logPrefix;
        String extra = "";

        TargetOptions(String name) {
            this.name = name;
            this.known = TARGETS.contains(name);
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
                case "--reject-with" -> rejectWith = rejectType(value(o));
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
                    int[] p = portPart == null ? new int[] {0, 0} : portRange(portPart, "-");
                    return Target.nat(name, new NatAction(type, from, to, p[0], p[1]), name + " to " + natTo);
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
