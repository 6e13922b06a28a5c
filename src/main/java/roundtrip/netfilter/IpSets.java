package roundtrip.netfilter;

import roundtrip.model.InputException;
import roundtrip.model.Ip;
import roundtrip.model.Prefix;
import roundtrip.model.Packet;
import roundtrip.model.Text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sets of `ipset save` (a host's ipset.txt), tested as the kernel's ip_set_test does for `-m set --match-set`:
 * each dimension of an element is an address (with a prefix for hash:net types), a protocol and port, an interface or
 * a mark, taken from the packet's source or destination as the match's flags say. Entries with `nomatch` are
 * exceptions (the most specific prefix wins). Types whose elements the model cannot compare (MAC addresses) give an
 * unknown answer.
 */
public final class IpSets {
    /** One dimension of an element's type. */
    enum Dim { IP, NET, PORT, IFACE, MARK, MAC, SET }

    /** One element: per dimension {low, high} for addresses and ports (inclusive), text for interfaces and sets. */
    /** {@code ranges6}: for an inet6 set's address dimensions, the first and last address (null elsewhere) */
    /** the protocol of an icmpv6:TYPE/CODE element: its type and code are not compared (the answer is left open) */
    private static final int ICMPV6_UNCOMPARED = -3;

    record Element(long[][] ranges, String[] words, int[] protos, boolean nomatch, int specificity, Ip[][] ranges6) {}

    /** One set: its type's dimensions and its elements. */
    public static final class Set {
        final String name, type;
        final Dim[] dims;
        final boolean v6;
        final List<Element> elements = new ArrayList<>();

        Set(String name, String type, Dim[] dims, boolean v6) {
            this.name = name;
            this.type = type;
            this.dims = dims;
            this.v6 = v6;
        }

        public String type() { return type; }
        public int size() { return elements.size(); }
    }

    /** What a test says: the packet is in the set, it is not, or the model cannot tell (and why). */
    public record Answer(boolean member, roundtrip.model.Message unknown) {
        static final Answer YES = new Answer(true, null), NO = new Answer(false, null);
    }

    private final Map<String, Set> sets = new LinkedHashMap<>();
    private final String file;

    private IpSets(String file) { this.file = file; }

    /**
     * The port ranges of a set whose type has a port dimension (hash:ip,port and the like), as cuts; a set that is not
     * known cuts nothing and is said to be unknown. A set without ports cuts nothing.
     */
    public void portCuts(String name, PortCuts cuts) {
        Set s = sets.get(name);
        if (s == null) {
            cuts.unknown(roundtrip.model.Message.of(Sentences.SET_MEMBERS_NOT_KNOWN, name));
            return;
        }
        for (int d = 0; d < s.dims.length; d++) {
            if (s.dims[d] != Dim.PORT) continue;
            for (Element e : s.elements) {
                int proto = e.protos()[d];
                if (e.ranges()[d] == null || proto == Packet.ICMP || proto == ICMPV6_UNCOMPARED) continue;   // icmp(v6):TYPE/CODE is not a port
                cuts.range(proto == Packet.TCP || proto == Packet.UDP ? proto : 0, (int) e.ranges()[d][0], (int) e.ranges()[d][1]);
            }
        }
    }

    public String file() { return file; }

    public boolean has(String name) { return sets.containsKey(name); }

    public Set set(String name) { return sets.get(name); }

    /** Reads `ipset save` (or `ipset list -o save`) output; `create` and `add` lines. */
    public static IpSets parse(String file, String text) { return parse(file, text, n -> n); }

    /** As {@link #parse(String, String)} for text embedded in another file: line n is reported as lineInFile(n). */
    public static IpSets parse(String file, String text, java.util.function.IntUnaryOperator lineInFile) {
        IpSets s = new IpSets(file);
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] w = Text.words(line);
            int no = lineInFile.applyAsInt(i + 1);
            switch (w[0]) {
                case "create", "-N", "-exist" -> s.create(no, w);
                case "add", "-A" -> s.add(no, w);
                case "COMMIT" -> { }
                default -> throw new InputException(file, no, "not an ipset save line: " + line);
            }
        }
        return s;
    }

    private void create(int no, String[] w) {
        if (w.length < 3) throw new InputException(file, no, "create needs a set name and a type");
        String type = w[2].toLowerCase(Locale.ROOT);
        int colon = type.indexOf(':');
        if (colon < 0) throw new InputException(file, no, "bad set type " + w[2]);
        String[] parts = type.substring(colon + 1).split(",");
        Dim[] dims = new Dim[parts.length];
        for (int i = 0; i < parts.length; i++) {
            dims[i] = switch (parts[i]) {
                case "ip" -> type.startsWith("bitmap:") && i == 0 ? Dim.NET : Dim.IP;
                case "net" -> Dim.NET;
                case "port" -> Dim.PORT;
                case "iface" -> Dim.IFACE;
                case "mark" -> Dim.MARK;
                case "mac" -> Dim.MAC;
                case "set" -> Dim.SET;
                default -> throw new InputException(file, no, "unknown set type " + w[2]);
            };
        }
        boolean v6 = false;
        for (int i = 3; i + 1 < w.length; i++) if (w[i].equals("family")) v6 = w[i + 1].equals("inet6");
        sets.put(w[1], new Set(w[1], type, dims, v6));
    }

    private void add(int no, String[] w) {
        if (w.length < 3) throw new InputException(file, no, "add needs a set name and an element");
        Set set = sets.get(w[1]);
        if (set == null) throw new InputException(file, no, "set " + w[1] + " is added to before it is created");
        boolean nomatch = false;
        for (int i = 3; i < w.length; i++) if (w[i].equals("nomatch")) nomatch = true;
        String[] parts = set.dims.length == 1 ? new String[] {w[2]} : w[2].split(",", set.dims.length);
        if (parts.length != set.dims.length) throw new InputException(file, no, "element " + w[2] + " does not fit " + set.type);
        long[][] ranges = new long[parts.length][];
        Ip[][] ranges6 = new Ip[parts.length][];
        String[] words = new String[parts.length];
        int[] protos = new int[parts.length];
        int specificity = 0;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            try {
                switch (set.dims[i]) {
                    case IP, NET -> {
                        if (set.v6) {
                            // an inet6 set: a prefix (hash:net) or an address; ipset prints /128 addresses bare
                            int dash = p.indexOf('-');
                            if (dash > 0) {
                                ranges6[i] = new Ip[] {Ip.parseV6(p.substring(0, dash)), Ip.parseV6(p.substring(dash + 1))};
                                specificity += 128;
                            } else {
                                Prefix net = Prefix.parse(p, Ip.Family.IPV6);
                                ranges6[i] = new Ip[] {net.addr(), net.last()};
                                specificity += net.len();
                            }
                            continue;
                        }
                        if (p.indexOf(':') >= 0) { words[i] = p; continue; }   // an inet set never holds an IPv6 address
                        int dash = p.indexOf('-');
                        if (dash > 0) {
                            ranges[i] = new long[] {v4(p.substring(0, dash)), v4(p.substring(dash + 1))};
                            specificity += 32;
                        } else {
                            int slash = p.indexOf('/');
                            int len = slash < 0 ? 32 : Integer.parseInt(p.substring(slash + 1));
                            long a = v4(slash < 0 ? p : p.substring(0, slash));
                            long mask = Ip.v4Mask(len) & 0xffffffffL;
                            ranges[i] = new long[] {a & mask, (a & mask) | (~mask & 0xffffffffL)};
                            specificity += len;
                        }
                    }
                    case PORT -> {
                        int colon = p.indexOf(':');
                        String proto = colon < 0 ? "tcp" : p.substring(0, colon).toLowerCase(Locale.ROOT);
                        String port = colon < 0 ? p : p.substring(colon + 1);
                        protos[i] = switch (proto) {
                            case "tcp" -> Packet.TCP;
                            case "udp" -> Packet.UDP;
                            case "icmp" -> Packet.ICMP;
                            case "icmpv6" -> ICMPV6_UNCOMPARED;
                            case "sctp" -> 132;
                            case "udplite" -> 136;
                            default -> Text.isAsciiDigits(proto) ? Integer.parseInt(proto) : -1;
                        };
                        if (set.type.startsWith("bitmap:")) protos[i] = -2;   // bitmap:port: tcp, udp, sctp, udplite alike
                        if (protos[i] == ICMPV6_UNCOMPARED) {
                            ranges[i] = new long[] {0, 0};
                        } else if (protos[i] == Packet.ICMP) {
                            ranges[i] = icmpTypeCode(port);
                        } else {
                            int dash = port.indexOf('-');
                            long lo = Long.parseLong(dash < 0 ? port : port.substring(0, dash));
                            long hi = dash < 0 ? lo : Long.parseLong(port.substring(dash + 1));
                            ranges[i] = new long[] {lo, hi};
                        }
                    }
                    case MARK -> {
                        long m = Long.decode(p);
                        ranges[i] = new long[] {m, m};
                    }
                    default -> words[i] = p;   // interface (with an optional "physdev:"), MAC, set name
                }
            } catch (IllegalArgumentException e) {
                throw new InputException(file, no, "bad element " + w[2] + " for " + set.type);
            }
        }
        set.elements.add(new Element(ranges, words, protos, nomatch, specificity, ranges6));
    }

    private static long v4(String text) { return Ip.parseV4(text).v4() & 0xffffffffL; }

    /** icmp:TYPE/CODE or a name of libipset's icmp table (the common ones). */
    private static long[] icmpTypeCode(String text) {
        int slash = text.indexOf('/');
        if (slash > 0) {
            long v = Long.parseLong(text.substring(0, slash)) << 8 | Long.parseLong(text.substring(slash + 1));
            return new long[] {v, v};
        }
        long v = switch (text) {
            case "echo-reply" -> 0;
            case "echo-request" -> 8 << 8;
            case "network-unreachable" -> 3 << 8;
            case "host-unreachable" -> 3 << 8 | 1;
            case "port-unreachable" -> 3 << 8 | 3;
            case "ttl-zero-during-transit" -> 11 << 8;
            default -> throw new IllegalArgumentException(text);
        };
        return new long[] {v, v};
    }

    /**
     * ip_set_test for a packet (an inet set holds IPv4 addresses, an inet6 set IPv6 ones): {@code src[i]} says whether dimension i reads the source (else the destination),
     * as the match's flags list them (a dimension without a flag reads the destination). {@code returnNomatch}:
     * --return-nomatch, which turns a nomatch element into a match and a match into none.
     */
    public Answer test(String name, boolean[] src, PacketContext ctx, boolean returnNomatch) {
        Set set = sets.get(name);
        if (set == null) return new Answer(false, roundtrip.model.Message.of(Sentences.SET_NOT_IN_FILE, name, file));
        return test(set, src, ctx, returnNomatch, 0);
    }

    private Answer test(Set set, boolean[] src, PacketContext ctx, boolean returnNomatch, int depth) {
        Packet p = ctx.packet;
        if (set.dims[0] == Dim.SET) {
            // list:set: the first member set that holds the packet
            for (Element e : set.elements) {
                Set member = sets.get(e.words()[0]);
                if (member == null)
                    return new Answer(false, roundtrip.model.Message.of(Sentences.LISTED_SET_NOT_IN_FILE, e.words()[0], set.name, file));
                if (depth > 8) return new Answer(false, roundtrip.model.Message.of(Sentences.LIST_NESTS_TOO_DEEP, set.name));
                Answer a = test(member, src, ctx, returnNomatch, depth + 1);
                if (a.unknown() != null || a.member()) return a;
            }
            return Answer.NO;
        }
        // a set holds one family (ip_set_test: a set of the other family never matches)
        if (set.v6 != (p.family() == Ip.Family.IPV6)) return Answer.NO;
        Element best = null;
        for (Element e : set.elements) {
            int r = matches(set, e, src, ctx);
            if (r < 0) return new Answer(false, roundtrip.model.Message.of(Sentences.SET_COMPARES_MAC, set.name, set.type));
            if (r == 0) continue;
            if (best == null || e.specificity() > best.specificity()) best = e;
        }
        if (best == null) return Answer.NO;
        boolean nomatch = best.nomatch();
        // ip_set_test: with --return-nomatch a nomatch element matches and a match does not
        return new Answer(returnNomatch == nomatch, null);
    }

    /** 1 when the element holds the packet's values, 0 when not, -1 when it cannot be told. */
    private static int matches(Set set, Element e, boolean[] src, PacketContext ctx) {
        Packet p = ctx.packet;
        for (int i = 0; i < set.dims.length; i++) {
            boolean s = i < src.length && src[i];
            switch (set.dims[i]) {
                case IP, NET -> {
                    if (set.v6) {
                        Ip[] r = e.ranges6()[i];
                        Ip a = s ? p.src : p.dst;
                        if (r == null || a.compareTo(r[0]) < 0 || a.compareTo(r[1]) > 0) return 0;
                        continue;
                    }
                    if (e.ranges()[i] == null) return 0;
                    long a = (s ? p.src : p.dst).v4() & 0xffffffffL;
                    if (a < e.ranges()[i][0] || a > e.ranges()[i][1]) return 0;
                }
                case PORT -> {
                    int proto = e.protos()[i];
                    if (proto == ICMPV6_UNCOMPARED) return p.proto == Packet.ICMPV6 ? -1 : 0;
                    long value;
                    if (p.proto == Packet.ICMP) {
                        if (proto != Packet.ICMP) return 0;
                        value = (long) p.icmpType << 8 | p.icmpCode;
                    } else if (p.hasPorts()) {
                        if (proto != -2 && proto != p.proto) return 0;
                        value = s ? p.sport : p.dport;
                    } else {
                        return 0;   // ip_set_get_ip4_port: no port to read
                    }
                    if (value < e.ranges()[i][0] || value > e.ranges()[i][1]) return 0;
                }
                case MARK -> {
                    if ((p.mark & 0xffffffffL) != e.ranges()[i][0]) return 0;
                }
                case IFACE -> {
                    String want = e.words()[i];
                    if (want.startsWith("physdev:")) return -1;
                    String dev = s ? ctx.inIface : ctx.outIface;
                    if (dev == null || !dev.equals(want)) return 0;
                }
                default -> { return -1; }
            }
        }
        return 1;
    }
}
