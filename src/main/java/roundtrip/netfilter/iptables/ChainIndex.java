package roundtrip.netfilter.iptables;

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
 * `-o` device, protocol, destination and source port) the index knows which rules require nothing of it and, by the
 * packet's value, which rules require that value; a rule is a candidate only when it is possible in every field.
 * Evaluation visits only the candidates, in rule order, testing each fully, so the result is the same as a linear
 * walk whatever mix of rules the chain holds. Valid for one hook traversal because no iptables target rewrites
 * addresses, devices, protocol or ports in place (NAT is a verdict).
 */
final class ChainIndex {
    /** Below this many rules a linear walk is as fast. */
    static final int MIN_RULES = 16;
    private static final int[] NONE = new int[0];

    /** every rule position, the set each packet starts from */
    private final long[] all;
    private final Trie src, dst;
    private final Devices in, out;
    private final Protocols proto;
    private final PortLine dport, sport;

    private ChainIndex(int size, Trie src, Trie dst, Devices in, Devices out, Protocols proto, PortLine dport, PortLine sport) {
        this.all = new long[(size + 63) >>> 6];
        for (int i = 0; i < size; i++) all[i >>> 6] |= 1L << i;
        this.src = src;
        this.dst = dst;
        this.in = in;
        this.out = out;
        this.proto = proto;
        this.dport = dport;
        this.sport = sport;
    }

    /** An index for the chain, or null when no rule requires anything the index knows. */
    static ChainIndex build(IptRule[] rules) {
        if (rules.length < MIN_RULES) return null;
        Trie src = Trie.build(rules, false), dst = Trie.build(rules, true);
        Devices in = Devices.build(rules, true), out = Devices.build(rules, false);
        Protocols proto = Protocols.build(rules);
        PortLine dport = PortLine.build(rules, true), sport = PortLine.build(rules, false);
        if (src == null && dst == null && in == null && out == null && proto == null && dport == null && sport == null) return null;
        return new ChainIndex(rules.length, src, dst, in, out, proto, dport, sport);
    }

    /** The rule positions that may match this packet, as a bit set (visit its bits in ascending order). */
    long[] candidates(PacketContext ctx) {
        long[] set = all.clone();
        long[] scratch = new long[set.length];
        if (src != null) src.keep(set, scratch, ctx.src4);
        if (dst != null) dst.keep(set, scratch, ctx.dst4);
        if (in != null) in.keep(set, scratch, ctx.inIface);
        if (out != null) out.keep(set, scratch, ctx.outIface);
        if (proto != null) proto.keep(set, scratch, ctx.packet.proto);
        if (dport != null) dport.keep(set, scratch, ctx.packet.dport);
        if (sport != null) sport.keep(set, scratch, ctx.packet.sport);
        return set;
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

    /** set &= (free | the listed positions), with {@code scratch} as room to build the second operand. */
    private static void keep(long[] set, long[] scratch, long[] free, int[] positions) {
        System.arraycopy(free, 0, scratch, 0, free.length);
        add(scratch, positions);
        for (int w = 0; w < set.length; w++) set[w] &= scratch[w];
    }

    private static int[] toArray(List<Integer> list) {
        int[] a = new int[list.size()];
        for (int i = 0; i < a.length; i++) a[i] = list.get(i);
        return a;
    }

    /** Source or destination prefixes (ipt_ip's -s/-d, not inverted) in a binary trie: all lengths share one walk. */
    private static final class Trie {
        private static final class Node {
            Node zero, one;
            int[] rules = NONE;
        }

        final long[] free;
        final Node root = new Node();

        private Trie(long[] free) { this.free = free; }

        static Trie build(IptRule[] rules, boolean dst) {
            Trie t = new Trie(new long[(rules.length + 63) >>> 6]);
            Map<Node, List<Integer>> filed = new HashMap<>();
            for (int i = 0; i < rules.length; i++) {
                IptRule r = rules[i];
                int mask = dst ? r.dstMask : r.srcMask;
                boolean invert = dst ? r.dstInvert : r.srcInvert;
                if (mask == 0 || invert) { t.free[i >>> 6] |= 1L << i; continue; }
                int net = dst ? r.dstNet : r.srcNet;
                Node n = t.root;
                for (int b = 0, len = Integer.bitCount(mask); b < len; b++) {
                    if ((net << b) < 0) n = n.one == null ? (n.one = new Node()) : n.one;
                    else n = n.zero == null ? (n.zero = new Node()) : n.zero;
                }
                filed.computeIfAbsent(n, k -> new ArrayList<>()).add(i);
            }
            if (filed.isEmpty()) return null;
            filed.forEach((n, list) -> n.rules = toArray(list));
            return t;
        }

        /** Every prefix on the address's path through the trie contains it. */
        void keep(long[] set, long[] scratch, int addr) {
            System.arraycopy(free, 0, scratch, 0, free.length);
            Node n = root;
            for (int b = 0; ; b++) {
                add(scratch, n.rules);
                if (b == 32) break;
                n = (addr << b) < 0 ? n.one : n.zero;
                if (n == null) break;
            }
            for (int w = 0; w < set.length; w++) set[w] &= scratch[w];
        }
    }

    /** The device names rules require exactly (`-i eth0`; not inverted, not an `eth+` prefix), side by side. */
    private static final class Devices {
        final long[] free;
        final String[] names;
        final int[] hashes;
        final int[][] rules;

        private Devices(long[] free, Map<String, List<Integer>> byName) {
            this.free = free;
            names = byName.keySet().toArray(new String[0]);
            hashes = new int[names.length];
            rules = new int[names.length][];
            for (int k = 0; k < names.length; k++) {
                hashes[k] = names[k].hashCode();
                rules[k] = toArray(byName.get(names[k]));
            }
        }

        static Devices build(IptRule[] all, boolean in) {
            long[] free = new long[(all.length + 63) >>> 6];
            Map<String, List<Integer>> byName = new LinkedHashMap<>();
            for (int i = 0; i < all.length; i++) {
                IfaceMatch m = in ? all[i].in : all[i].out;
                String name = m == null ? null : m.exactName();
                if (name == null) free[i >>> 6] |= 1L << i;
                else byName.computeIfAbsent(name, k -> new ArrayList<>()).add(i);
            }
            return byName.isEmpty() ? null : new Devices(free, byName);
        }

        void keep(long[] set, long[] scratch, String dev) {
            // a missing device compares like the kernel's empty name
            String d = dev == null ? "" : dev;
            int h = d.hashCode();
            int[] found = null;
            for (int k = 0; k < hashes.length; k++) if (hashes[k] == h && names[k].equals(d)) { found = rules[k]; break; }
            ChainIndex.keep(set, scratch, free, found);
        }
    }

    /** The protocol rules require (`-p tcp`, not inverted). */
    private static final class Protocols {
        final long[] free;
        final int[][] byNumber = new int[256][];

        private Protocols(long[] free) { this.free = free; }

        static Protocols build(IptRule[] all) {
            Protocols p = new Protocols(new long[(all.length + 63) >>> 6]);
            Map<Integer, List<Integer>> by = new HashMap<>();
            for (int i = 0; i < all.length; i++) {
                IptRule r = all[i];
                if (r.proto == 0 || r.protoInvert || r.proto >= 256) p.free[i >>> 6] |= 1L << i;
                else by.computeIfAbsent(r.proto, k -> new ArrayList<>()).add(i);
            }
            if (by.isEmpty()) return null;
            by.forEach((n, list) -> p.byNumber[n] = toArray(list));
            return p;
        }

        void keep(long[] set, long[] scratch, int number) {
            ChainIndex.keep(set, scratch, free, number > 0 && number < 256 ? byNumber[number] : null);
        }
    }

    /**
     * The destination (or source) ports rules require: a `--dport`/`--sport` range of -p tcp/udp, or a multiport
     * list of that side (not inverted). The port line is cut where any range starts or ends; each piece lists the
     * rules whose ranges cover it.
     */
    private static final class PortLine {
        final long[] free;
        /** first port of each piece */
        final int[] starts;
        final int[][] rules;

        private PortLine(long[] free, int[] starts, int[][] rules) {
            this.free = free;
            this.starts = starts;
            this.rules = rules;
        }

        /** The ports a rule requires on this side (pairs min,max), or null when it requires none. */
        private static int[] required(IptRule r, boolean dst) {
            for (Match m : r.matches) {
                if (m instanceof Matches.Ports p) {
                    int min = dst ? p.dportMin : p.sportMin, max = dst ? p.dportMax : p.sportMax;
                    boolean invert = dst ? p.dportInvert : p.sportInvert;
                    if (!invert && (min != 0 || max != 0xffff)) return new int[] {min, max};
                }
                if (m instanceof Matches.Multiport mp && !mp.invert
                        && mp.side == (dst ? Matches.Multiport.Side.DESTINATION : Matches.Multiport.Side.SOURCE))
                    return mp.ranges;
            }
            return null;
        }

        static PortLine build(IptRule[] all, boolean dst) {
            long[] free = new long[(all.length + 63) >>> 6];
            int[][] need = new int[all.length][];
            TreeSet<Integer> cuts = new TreeSet<>();
            cuts.add(0);
            boolean any = false;
            for (int i = 0; i < all.length; i++) {
                need[i] = required(all[i], dst);
                if (need[i] == null) { free[i >>> 6] |= 1L << i; continue; }
                any = true;
                for (int k = 0; k + 1 < need[i].length; k += 2) {
                    cuts.add(need[i][k]);
                    cuts.add(need[i][k + 1] + 1);
                }
            }
            if (!any) return null;
            int[] starts = cuts.stream().mapToInt(Integer::intValue).toArray();
            List<List<Integer>> pieces = new ArrayList<>();
            for (int k = 0; k < starts.length; k++) pieces.add(new ArrayList<>());
            for (int i = 0; i < all.length; i++) {
                if (need[i] == null) continue;
                for (int k = 0; k + 1 < need[i].length; k += 2) {
                    int from = Arrays.binarySearch(starts, need[i][k]);
                    for (int piece = from; piece < starts.length && starts[piece] <= need[i][k + 1]; piece++) {
                        List<Integer> l = pieces.get(piece);
                        if (l.isEmpty() || l.get(l.size() - 1) != i) l.add(i);
                    }
                }
            }
            int[][] rules = new int[starts.length][];
            for (int k = 0; k < starts.length; k++) rules[k] = toArray(pieces.get(k));
            return new PortLine(free, starts, rules);
        }

        void keep(long[] set, long[] scratch, int port) {
            int k = Arrays.binarySearch(starts, port);
            if (k < 0) k = -k - 2;
            ChainIndex.keep(set, scratch, free, k >= 0 ? rules[k] : null);
        }
    }
}
