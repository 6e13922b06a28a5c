package roundtrip.netfilter.iptables;

import roundtrip.model.Ip;
import roundtrip.netfilter.PacketContext;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Finds, for a long chain, the rules that can possibly match a packet without testing each one (bit-vector packet
 * classification, one vector per field). For each field a rule may require (source and destination prefix, `-i` and
 * `-o` device, protocol, destination and source port, `-m iprange` source and destination range, `-m mark`) the index knows which rules require nothing of it and, by the
 * packet's value, which rules require that value; a rule is a candidate only when it is possible in every field.
 * Evaluation visits only the candidates, in rule order, testing each fully, so the result is the same as a linear
 * walk whatever mix of rules the chain holds. Valid for one hook traversal because no iptables target rewrites
 * addresses, devices, protocol or ports in place (NAT is a verdict); the mark is the one field a target rewrites
 * (MARK, CONNMARK --restore-mark), so the walk asks for new candidates when the mark changed ({@link #usesMark}).
 */
final class ChainIndex {
    /** Below this many rules a linear walk is as fast. */
    static final int MIN_RULES = 16;
    /**
     * Most longs one field's ready-made sets may take in one chain. Within it each possible answer of the field (a
     * device, a piece of the port line, a trie node) keeps its whole set (the rules free in the field and those
     * wanting that answer), so a packet costs one lookup and one AND per field; beyond it (chains of thousands of
     * rules) the set is built per packet from the rule positions.
     */
    static final int DENSE_LONGS = 1 << 17;

    /** every rule position, the set each packet starts from */
    private final long[] all;
    private final Prefixes src, dst;
    private final Devices in, out;
    private final Protocols proto;
    private final Line dport, sport, srcRange, dstRange;
    private final Marks mark;
    /** whether some field builds its sets per packet (see {@link #DENSE_LONGS}) */
    private final boolean sparse;
    private final boolean oneWord;

    private ChainIndex(int size, Prefixes src, Prefixes dst, Devices in, Devices out, Protocols proto, Line dport, Line sport,
                       Line srcRange, Line dstRange, Marks mark) {
        this.all = new long[(size + 63) >>> 6];
        for (int i = 0; i < size; i++) all[i >>> 6] |= 1L << i;
        this.src = src;
        this.dst = dst;
        this.in = in;
        this.out = out;
        this.proto = proto;
        this.dport = dport;
        this.sport = sport;
        this.srcRange = srcRange;
        this.dstRange = dstRange;
        this.mark = mark;
        this.sparse = src != null && src.sparse() || dst != null && dst.sparse() || in != null && in.sparse()
                || out != null && out.sparse() || proto != null && proto.sparse() || dport != null && dport.sparse()
                || sport != null && sport.sparse() || srcRange != null && srcRange.sparse()
                || dstRange != null && dstRange.sparse() || mark != null && mark.sparse();
        this.oneWord = all.length == 1 && !sparse;
    }

    /**
     * True when the chain's positions fit one long and every field's sets are ready-made: then {@link #word} gives the
     * candidates without an array (most indexed chains have 16 to 64 rules, and a packet walks dozens of them).
     */
    boolean oneWord() { return oneWord; }

    /**
     * {@link #candidates} as one long, for a chain that is {@link #oneWord}: the same fields in the same order, written
     * out rather than shared through a function per field (a call the JIT could not inline, on every chain walked);
     * ChainIndexTest holds the two equal.
     */
    long word(PacketContext ctx) {
        long set = all[0];
        if (proto != null && (set &= proto.allowed(null, ctx.packet.proto)[0]) == 0) return 0;
        if (in != null && (set &= in.allowed(null, ctx.inIface)[0]) == 0) return 0;
        if (out != null && (set &= out.allowed(null, ctx.outIface)[0]) == 0) return 0;
        if (dport != null && (set &= dport.allowed(null, ctx.packet.dport)[0]) == 0) return 0;
        if (sport != null && (set &= sport.allowed(null, ctx.packet.sport)[0]) == 0) return 0;
        if (mark != null && (set &= mark.allowed(null, ctx.packet.mark)[0]) == 0) return 0;
        if (srcRange != null && (set &= srcRange.allowed(null, ctx.src4 & 0xffffffffL)[0]) == 0) return 0;
        if (dstRange != null && (set &= dstRange.allowed(null, ctx.dst4 & 0xffffffffL)[0]) == 0) return 0;
        if (src != null && (set &= src.allowed(null, ctx.src4)[0]) == 0) return 0;
        if (dst != null) set &= dst.allowed(null, ctx.dst4)[0];
        return set;
    }

    /** The first position >= from in a {@link #word}, or Integer.MAX_VALUE when there is none. */
    static int next(long word, int from) {
        long bits = from >= 64 ? 0 : word & (-1L << from);
        return bits == 0 ? Integer.MAX_VALUE : Long.numberOfTrailingZeros(bits);
    }

    /** True when the candidates depend on the packet's mark, which targets may change during the walk. */
    boolean usesMark() { return mark != null; }

    /** An index for the chain, or null when no rule requires anything the index knows. */
    static ChainIndex build(IptRule[] rules) { return build(rules, DENSE_LONGS); }

    /** The same with another bound than {@link #DENSE_LONGS} on each field's ready-made sets (0: none ready-made). */
    static ChainIndex build(IptRule[] rules, long denseLongs) {
        if (rules.length < MIN_RULES) return null;
        Prefixes src = Prefixes.build(rules, false, denseLongs), dst = Prefixes.build(rules, true, denseLongs);
        Devices in = Devices.build(rules, true, denseLongs), out = Devices.build(rules, false, denseLongs);
        Protocols proto = Protocols.build(rules, denseLongs);
        Line dport = Line.build(rules, r -> Line.ports(r, true), 16, denseLongs);
        Line sport = Line.build(rules, r -> Line.ports(r, false), 16, denseLongs);
        Line srcRange = Line.build(rules, r -> Line.range(r, false), 32, denseLongs);
        Line dstRange = Line.build(rules, r -> Line.range(r, true), 32, denseLongs);
        Marks mark = Marks.build(rules, denseLongs);
        if (src == null && dst == null && in == null && out == null && proto == null && dport == null && sport == null
                && srcRange == null && dstRange == null && mark == null) return null;
        return new ChainIndex(rules.length, src, dst, in, out, proto, dport, sport, srcRange, dstRange, mark);
    }

    /**
     * The rule positions that may match this packet, as a bit set (visit its bits in ascending order). The fields are
     * taken cheapest first (an array index, a device, a piece of the port line, then the address prefixes), and the
     * search stops when no candidate is left: most packets match none of a long chain's rules.
     */
    long[] candidates(PacketContext ctx) {
        long[] set = all.clone();
        // room to build a field's set in, for the fields too big to keep theirs ready-made
        long[] scratch = sparse ? new long[set.length] : null;
        if (proto != null && !and(set, proto.allowed(scratch, ctx.packet.proto))) return set;
        if (in != null && !and(set, in.allowed(scratch, ctx.inIface))) return set;
        if (out != null && !and(set, out.allowed(scratch, ctx.outIface))) return set;
        if (dport != null && !and(set, dport.allowed(scratch, ctx.packet.dport))) return set;
        if (sport != null && !and(set, sport.allowed(scratch, ctx.packet.sport))) return set;
        if (mark != null && !and(set, mark.allowed(scratch, ctx.packet.mark))) return set;
        if (srcRange != null && !and(set, srcRange.allowed(scratch, ctx.src4 & 0xffffffffL))) return set;
        if (dstRange != null && !and(set, dstRange.allowed(scratch, ctx.dst4 & 0xffffffffL))) return set;
        if (src != null && !and(set, src.allowed(scratch, ctx.src4))) return set;
        if (dst != null) and(set, dst.allowed(scratch, ctx.dst4));
        return set;
    }

    /** set &= allowed; false when nothing is left. */
    private static boolean and(long[] set, long[] allowed) {
        long any = 0;
        for (int w = 0; w < set.length; w++) any |= set[w] &= allowed[w];
        return any != 0;
    }

    /** The first candidate position >= from, or Integer.MAX_VALUE when there is none. */
    static int next(long[] set, int from) {
        int w = from >>> 6;
        if (w >= set.length) return Integer.MAX_VALUE;
        long bits = set[w] & (-1L << from);
        while (true) {
            if (bits != 0) return (w << 6) + Long.numberOfTrailingZeros(bits);
            if (++w == set.length) return Integer.MAX_VALUE;
            bits = set[w];
        }
    }

    // ------------------------------------------------------------------------------------------------ fields

    private static void add(long[] set, int[] positions) {
        if (positions == null) return;
        for (int i : positions) set[i >>> 6] |= 1L << i;
    }

    /** free | the listed positions, built in {@code scratch}. */
    private static long[] union(long[] scratch, long[] free, int[] positions) {
        System.arraycopy(free, 0, scratch, 0, free.length);
        add(scratch, positions);
        return scratch;
    }

    private static int[] toArray(List<Integer> list) {
        int[] a = new int[list.size()];
        for (int i = 0; i < a.length; i++) a[i] = list.get(i);
        return a;
    }

    /**
     * The ready-made sets of one field: free | the rules wanting one answer, made once per distinct list of rules
     * (many answers share one: the gaps between port ranges all allow only the free rules).
     */
    private static final class Sets {
        final long[] free;
        private final Map<List<Integer>, long[]> made = new HashMap<>();

        Sets(long[] free) { this.free = free; }

        /** Whether {@code count} sets of a chain's width fit in {@code limit} longs. */
        static boolean fit(long count, long[] free, long limit) { return count * free.length <= limit; }

        /** The allowed set of each entry of {@code rules}, ready-made; null when they do not fit in {@code limit} longs. */
        static long[][] readyMade(int[][] rules, long[] free, long limit) {
            if (!fit(rules.length, free, limit)) return null;
            Sets sets = new Sets(free);
            long[][] out = new long[rules.length][];
            for (int k = 0; k < rules.length; k++) out[k] = sets.of(rules[k]);
            return out;
        }

        long[] of(int[] positions) {
            if (positions == null || positions.length == 0) return free;
            List<Integer> key = new ArrayList<>(positions.length);
            for (int p : positions) key.add(p);
            return made.computeIfAbsent(key, k -> {
                long[] set = free.clone();
                add(set, positions);
                return set;
            });
        }
    }

    /**
     * Source or destination prefixes (ipt_ip's -s/-d, not inverted, a CIDR mask). Two prefixes either nest or are
     * disjoint, so the prefixes holding an address are the longest one that does and those above it: each prefix keeps
     * the set of itself and of every prefix above it, and a lookup only needs the longest prefix holding the address.
     * That is found in a path-compressed binary trie (only prefixes and the points where two paths part are nodes)
     * laid out flat, a few ints a node in depth-first order: a lookup reads a few neighbouring ints where a walk bit by
     * bit through node objects read one object per bit.
     */
    private static final class Prefixes {
        /** one node: its prefix length, its bits, the next node for a 0 and a 1 bit after it (-1: none), its prefix */
        private static final int LEN = 0, BITS = 1, ZERO = 2, ONE = 3, PREFIX = 4, STRIDE = 5;
        final long[] free;
        /** the trie's nodes, STRIDE ints each, the root first; PREFIX is -1 at a node where paths part */
        final int[] nodes;
        /** per prefix (numbered depth first): the longest shorter prefix holding it, or -1 */
        final int[] parent;
        /** per prefix: the rules requiring exactly it */
        final int[][] rules;
        /** per prefix, ready-made: free | its rules | the rules of the prefixes above it (null when too big) */
        final long[][] allowed;

        private Prefixes(long[] free, int[] nodes, int[] parent, int[][] rules, long limit) {
            this.free = free;
            this.nodes = nodes;
            this.parent = parent;
            this.rules = rules;
            if (Sets.fit(rules.length, free, limit)) {
                allowed = new long[rules.length][];
                // depth-first numbering: a parent's set is made before its children's
                for (int k = 0; k < rules.length; k++) {
                    long[] set = (parent[k] < 0 ? free : allowed[parent[k]]).clone();
                    add(set, rules[k]);
                    allowed[k] = set;
                }
            } else {
                allowed = null;
            }
        }

        boolean sparse() { return allowed == null; }

        /** A node of the trie while it is built, one per bit. */
        private static final class Bit {
            Bit zero, one;
            List<Integer> rules;
        }

        /** The flat trie while it is laid out. */
        private static final class Layout {
            final List<int[]> nodes = new ArrayList<>();
            final List<Integer> parent = new ArrayList<>();
            final List<int[]> rules = new ArrayList<>();

            /**
             * Lays out the kept nodes under {@code b} (at depth {@code len}, reached by {@code bits}) depth first, and
             * numbers their prefixes in that order; returns the first node's index, or -1 when none is kept.
             */
            int add(Bit b, int len, int bits, int above) {
                // a bit with no prefix and one way on is no node: its path goes on below
                while (b.rules == null && (b.zero == null) != (b.one == null)) {
                    if (b.one != null) bits |= 1 << (31 - len);
                    b = b.one != null ? b.one : b.zero;
                    len++;
                }
                if (b.rules == null && b.zero == null) return -1;
                int at = nodes.size();
                int[] node = {len, bits, -1, -1, -1};
                nodes.add(node);
                if (b.rules != null) {
                    node[PREFIX] = rules.size();
                    rules.add(toArray(b.rules));
                    parent.add(above);
                    above = node[PREFIX];
                }
                if (b.zero != null) node[ZERO] = add(b.zero, len + 1, bits, above);
                if (b.one != null) node[ONE] = add(b.one, len + 1, bits | 1 << (31 - len), above);
                return at;
            }
        }

        static Prefixes build(IptRule[] all, boolean dst, long limit) {
            long[] free = new long[(all.length + 63) >>> 6];
            Bit root = new Bit();
            boolean any = false;
            for (int i = 0; i < all.length; i++) {
                IptRule r = all[i];
                int mask = dst ? r.dstMask : r.srcMask;
                int len = Integer.bitCount(mask);
                // a mask that is not a prefix (-s 10.0.0.0/255.0.255.0) nests with nothing: tested on the rule itself
                if (mask == 0 || (dst ? r.dstInvert : r.srcInvert) || mask != Ip.v4Mask(len)) { free[i >>> 6] |= 1L << i; continue; }
                int net = dst ? r.dstNet : r.srcNet;
                Bit n = root;
                for (int b = 0; b < len; b++) {
                    if ((net << b) < 0) n = n.one == null ? (n.one = new Bit()) : n.one;
                    else n = n.zero == null ? (n.zero = new Bit()) : n.zero;
                }
                if (n.rules == null) n.rules = new ArrayList<>();
                n.rules.add(i);
                any = true;
            }
            if (!any) return null;
            Layout l = new Layout();
            l.add(root, 0, 0, -1);
            int[] nodes = new int[l.nodes.size() * STRIDE];
            for (int i = 0; i < l.nodes.size(); i++) System.arraycopy(l.nodes.get(i), 0, nodes, i * STRIDE, STRIDE);
            int[] parent = new int[l.parent.size()];
            for (int k = 0; k < parent.length; k++) parent[k] = l.parent.get(k);
            return new Prefixes(free, nodes, parent, l.rules.toArray(new int[0][]), limit);
        }

        /** The longest prefix holding the address, or -1: down the path-compressed trie while each node's prefix holds it. */
        private int longest(int addr) {
            int found = -1;
            int[] t = nodes;
            for (int i = 0; i >= 0; ) {
                int len = t[i + LEN];
                if (len != 0 && ((addr ^ t[i + BITS]) & (-1 << (32 - len))) != 0) break;
                if (t[i + PREFIX] >= 0) found = t[i + PREFIX];
                if (len == 32) break;
                int next = (addr << len) < 0 ? t[i + ONE] : t[i + ZERO];
                i = next < 0 ? -1 : next * STRIDE;
            }
            return found;
        }

        long[] allowed(long[] scratch, int addr) {
            int k = longest(addr);
            if (k < 0) return free;
            if (allowed != null) return allowed[k];
            System.arraycopy(free, 0, scratch, 0, free.length);
            for (; k >= 0; k = parent[k]) add(scratch, rules[k]);
            return scratch;
        }
    }

    /** The device names rules require exactly (`-i eth0`; not inverted, not an `eth+` prefix), side by side. */
    private static final class Devices {
        final long[] free;
        final String[] names;
        final int[] hashes;
        final int[][] rules;
        /** per name, ready-made (null when too big) */
        final long[][] allowed;

        private Devices(long[] free, Map<String, List<Integer>> byName, long limit) {
            this.free = free;
            names = byName.keySet().toArray(new String[0]);
            hashes = new int[names.length];
            rules = new int[names.length][];
            for (int k = 0; k < names.length; k++) {
                hashes[k] = names[k].hashCode();
                rules[k] = toArray(byName.get(names[k]));
            }
            allowed = Sets.readyMade(rules, free, limit);
        }

        boolean sparse() { return allowed == null; }

        static Devices build(IptRule[] all, boolean in, long limit) {
            long[] free = new long[(all.length + 63) >>> 6];
            Map<String, List<Integer>> byName = new LinkedHashMap<>();
            for (int i = 0; i < all.length; i++) {
                IfaceMatch m = in ? all[i].in : all[i].out;
                String name = m == null ? null : m.exactName();
                if (name == null) free[i >>> 6] |= 1L << i;
                else byName.computeIfAbsent(name, k -> new ArrayList<>()).add(i);
            }
            return byName.isEmpty() ? null : new Devices(free, byName, limit);
        }

        long[] allowed(long[] scratch, String dev) {
            // a missing device compares like the kernel's empty name
            String d = dev == null ? "" : dev;
            int h = d.hashCode();
            for (int k = 0; k < hashes.length; k++)
                if (hashes[k] == h && names[k].equals(d)) return allowed != null ? allowed[k] : union(scratch, free, rules[k]);
            return free;
        }
    }

    /** The protocol rules require (`-p tcp`, not inverted). */
    private static final class Protocols {
        final long[] free;
        final int[][] byNumber = new int[256][];
        /** per protocol number, ready-made (null when too big) */
        long[][] allowed;

        private Protocols(long[] free) { this.free = free; }

        boolean sparse() { return allowed == null; }

        static Protocols build(IptRule[] all, long limit) {
            Protocols p = new Protocols(new long[(all.length + 63) >>> 6]);
            Map<Integer, List<Integer>> by = new HashMap<>();
            for (int i = 0; i < all.length; i++) {
                IptRule r = all[i];
                if (r.proto == 0 || r.protoInvert || r.proto >= 256) p.free[i >>> 6] |= 1L << i;
                else by.computeIfAbsent(r.proto, k -> new ArrayList<>()).add(i);
            }
            if (by.isEmpty()) return null;
            by.forEach((n, list) -> p.byNumber[n] = toArray(list));
            if (Sets.fit(by.size(), p.free, limit)) {
                Sets sets = new Sets(p.free);
                p.allowed = new long[256][];
                for (int n = 0; n < 256; n++) p.allowed[n] = sets.of(p.byNumber[n]);
            }
            return p;
        }

        long[] allowed(long[] scratch, int number) {
            if (number <= 0 || number >= 256) return free;
            return allowed != null ? allowed[number] : union(scratch, free, byNumber[number]);
        }
    }

    /**
     * A value line (ports, or unsigned IPv4 addresses) and the ranges rules require on it: a `--dport`/`--sport`
     * range of -p tcp/udp or a multiport list of that side, or an `-m iprange` range (none of them inverted). The
     * line is cut where any range starts or ends; each piece lists the rules whose ranges cover it. A table by the
     * value's top bits (about two buckets per piece, at most 12 bits) says which few pieces to look at, so a lookup
     * costs a step or two however many pieces.
     */
    private static final class Line {
        /** at most 2^12 buckets; fewer for a line of few pieces, so that its table stays within a few cache lines */
        private static final int BUCKET_BITS = 12;
        final long[] free;
        /** first value of each piece */
        final long[] starts;
        final int[][] rules;
        /** value >>> shift = bucket; the piece holding the bucket's first value, for each bucket and the end */
        final int shift;
        final int[] bucketPiece;
        /** per piece, ready-made (null when too big) */
        final long[][] allowed;

        private Line(long[] free, long[] starts, int[][] rules, int bits, long limit) {
            this.free = free;
            this.starts = starts;
            this.rules = rules;
            allowed = Sets.readyMade(rules, free, limit);
            // about two buckets per piece: a lookup still looks at a step or two
            int bucketBits = Math.max(4, Math.min(BUCKET_BITS, 33 - Integer.numberOfLeadingZeros(starts.length)));
            this.shift = bits - bucketBits;
            int buckets = 1 << bucketBits;
            bucketPiece = new int[buckets + 1];
            int k = 0;
            for (int b = 0; b <= buckets; b++) {
                long first = (long) b << shift;
                while (k + 1 < starts.length && starts[k + 1] <= first) k++;
                bucketPiece[b] = k;
            }
        }

        /** The ports a rule requires on this side (pairs min,max), or null when it requires none. */
        static long[] ports(IptRule r, boolean dst) {
            for (Match m : r.matches) {
                if (m instanceof Matches.Ports p) {
                    int min = dst ? p.dportMin : p.sportMin, max = dst ? p.dportMax : p.sportMax;
                    boolean invert = dst ? p.dportInvert : p.sportInvert;
                    if (!invert && (min != 0 || max != 0xffff)) return new long[] {min, max};
                }
                if (m instanceof Matches.Multiport mp && !mp.invert
                        && mp.side == (dst ? Matches.Multiport.Side.DESTINATION : Matches.Multiport.Side.SOURCE)) {
                    long[] l = new long[mp.ranges.length];
                    for (int k = 0; k < l.length; k++) l[k] = mp.ranges[k];
                    return l;
                }
            }
            return null;
        }

        /** The address range (unsigned) an `-m iprange` of the rule requires on this side, or null. */
        static long[] range(IptRule r, boolean dst) {
            for (Match m : r.matches) {
                if (m instanceof Matches.IpRange ir) {
                    if (dst && ir.hasDst && !ir.dstInvert) return new long[] {ir.dstMin & 0xffffffffL, ir.dstMax & 0xffffffffL};
                    if (!dst && ir.hasSrc && !ir.srcInvert) return new long[] {ir.srcMin & 0xffffffffL, ir.srcMax & 0xffffffffL};
                }
            }
            return null;
        }

        static Line build(IptRule[] all, java.util.function.Function<IptRule, long[]> required, int bits, long limit) {
            long[] free = new long[(all.length + 63) >>> 6];
            long[][] need = new long[all.length][];
            TreeSet<Long> cuts = new TreeSet<>();
            cuts.add(0L);
            boolean any = false;
            for (int i = 0; i < all.length; i++) {
                need[i] = required.apply(all[i]);
                if (need[i] == null) { free[i >>> 6] |= 1L << i; continue; }
                any = true;
                for (int k = 0; k + 1 < need[i].length; k += 2) {
                    // an empty range (min > max) matches nothing: the rule is on no piece
                    if (need[i][k] > need[i][k + 1]) continue;
                    cuts.add(need[i][k]);
                    cuts.add(need[i][k + 1] + 1);
                }
            }
            if (!any) return null;
            long[] starts = cuts.stream().mapToLong(Long::longValue).toArray();
            List<List<Integer>> pieces = new ArrayList<>();
            for (int k = 0; k < starts.length; k++) pieces.add(new ArrayList<>());
            for (int i = 0; i < all.length; i++) {
                if (need[i] == null) continue;
                for (int k = 0; k + 1 < need[i].length; k += 2) {
                    if (need[i][k] > need[i][k + 1]) continue;
                    int from = Arrays.binarySearch(starts, need[i][k]);
                    for (int piece = from; piece < starts.length && starts[piece] <= need[i][k + 1]; piece++) {
                        List<Integer> l = pieces.get(piece);
                        if (l.isEmpty() || l.get(l.size() - 1) != i) l.add(i);
                    }
                }
            }
            int[][] rules = new int[starts.length][];
            for (int k = 0; k < starts.length; k++) rules[k] = toArray(pieces.get(k));
            return new Line(free, starts, rules, bits, limit);
        }

        /** The piece holding the value: the last piece starting at or below it. */
        int piece(long value) {
            int b = (int) (value >>> shift);
            if (b >= bucketPiece.length - 1) b = bucketPiece.length - 2;
            int lo = bucketPiece[b], hi = bucketPiece[b + 1];
            if (hi - lo > 8) {
                // many cuts in one bucket: the last start <= value in starts[lo..hi]
                int k = Arrays.binarySearch(starts, lo, hi + 1, value);
                return k >= 0 ? k : -k - 2;
            }
            while (lo < hi && starts[lo + 1] <= value) lo++;
            return lo;
        }

        boolean sparse() { return allowed == null; }

        long[] allowed(long[] scratch, long value) {
            if (value < 0) return free;
            int piece = piece(value);
            return allowed != null ? allowed[piece] : union(scratch, free, rules[piece]);
        }
    }

    /**
     * The marks rules require (`-m mark --mark value/mask`, not inverted), by mask: for each mask, the rules that
     * want each value, found by the packet's mark & mask (xt_mark's mark_mt).
     */
    private static final class Marks {
        final long[] free;
        final long[] masks;
        /** per mask: open-addressed table of values and the rules wanting each */
        final long[][] keys;
        final int[][][] rules;
        /**
         * with one mask, per slot of its table ready-made (null with several masks, whose sets a packet may join,
         * or when too big)
         */
        final long[][] allowed;

        private Marks(long[] free, Map<Long, Map<Long, List<Integer>>> byMask, long limit) {
            this.free = free;
            masks = new long[byMask.size()];
            keys = new long[masks.length][];
            rules = new int[masks.length][][];
            int m = 0;
            for (var e : byMask.entrySet()) {
                masks[m] = e.getKey();
                int cap = Integer.highestOneBit(Math.max(1, e.getValue().size()) * 2) * 2;
                keys[m] = new long[cap];
                rules[m] = new int[cap][];
                for (var v : e.getValue().entrySet()) {
                    int slot = slot(v.getKey(), cap);
                    while (rules[m][slot] != null) slot = (slot + 1) & (cap - 1);
                    keys[m][slot] = v.getKey();
                    rules[m][slot] = toArray(v.getValue());
                }
                m++;
            }
            if (masks.length == 1 && Sets.fit(rules[0].length, free, limit)) {
                Sets sets = new Sets(free);
                allowed = new long[rules[0].length][];
                for (int slot = 0; slot < allowed.length; slot++) if (rules[0][slot] != null) allowed[slot] = sets.of(rules[0][slot]);
            } else {
                allowed = null;
            }
        }

        boolean sparse() { return allowed == null; }

        private static int slot(long key, int cap) {
            long h = key * 0x9E3779B97F4A7C15L;
            return (int) (h >>> 40) & (cap - 1);
        }

        static Marks build(IptRule[] all, long limit) {
            long[] free = new long[(all.length + 63) >>> 6];
            Map<Long, Map<Long, List<Integer>>> byMask = new LinkedHashMap<>();
            for (int i = 0; i < all.length; i++) {
                Matches.Mark want = null;
                for (Match m : all[i].matches) if (m instanceof Matches.Mark mk && !mk.invert) { want = mk; break; }
                if (want == null) { free[i >>> 6] |= 1L << i; continue; }
                byMask.computeIfAbsent(want.mask, k -> new LinkedHashMap<>())
                        .computeIfAbsent(want.value, k -> new ArrayList<>()).add(i);
            }
            return byMask.isEmpty() ? null : new Marks(free, byMask, limit);
        }

        long[] allowed(long[] scratch, long mark) {
            if (allowed != null) {
                long v = mark & masks[0];
                long[] k = keys[0];
                int cap = k.length;
                for (int slot = slot(v, cap); allowed[slot] != null; slot = (slot + 1) & (cap - 1))
                    if (k[slot] == v) return allowed[slot];
                return free;
            }
            System.arraycopy(free, 0, scratch, 0, free.length);
            for (int m = 0; m < masks.length; m++) {
                long v = mark & masks[m];
                long[] k = keys[m];
                int[][] r = rules[m];
                int cap = k.length;
                for (int slot = slot(v, cap); r[slot] != null; slot = (slot + 1) & (cap - 1))
                    if (k[slot] == v) { add(scratch, r[slot]); break; }
            }
            return scratch;
        }
    }
}
