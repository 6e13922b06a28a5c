package roundtrip.netfilter.iptables;

import roundtrip.netfilter.PacketContext;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds, for a long chain, the rules that can possibly match a packet without testing each one. Every rule is filed
 * under one thing it requires of the packet's IP header (the part ipt_ip compares before any match runs): a source
 * or destination prefix (in a binary trie per direction, so prefixes of every length share one walk), else an exact
 * `-i` or `-o` device, else a protocol; a rule that requires none of these (or only inverted ones, or `eth+`
 * wildcards) is always a candidate. Evaluation visits only the candidates, in rule order, so the result is the same
 * as a linear walk, whatever mix of rules the chain holds. Valid for one hook traversal because no iptables target
 * rewrites addresses, devices or the protocol in place (NAT is a verdict).
 */
final class ChainIndex {
    /** Below this many rules a linear walk is as fast. */
    static final int MIN_RULES = 16;
    /** a prefix at least this long is filed by address before a device name is considered */
    private static final int SPECIFIC = 8;
    private static final int[] NONE = new int[0];

    /** the candidates every packet has, as a bit set over rule positions */
    private final long[] wildcards;
    private final Node srcTrie, dstTrie;
    private final Devices byIn, byOut;
    /** by protocol number; null when no rule is filed by protocol */
    private final int[][] byProto;
    /**
     * A second, independent condition: the destination port (a `--dport` range or a `-m multiport --dports` list).
     * A rule that names one can only match packets whose port it lists, so candidates are also kept to the rules
     * without one or with the packet's port; null when no rule names one.
     */
    private final DstPorts ports;

    /** One bit of a prefix trie: the rules filed under the prefix that ends here, and the two longer ones. */
    private static final class Node {
        Node zero, one;
        int[] rules = NONE;
    }

    private ChainIndex(long[] wildcards, Node srcTrie, Node dstTrie, Devices byIn, Devices byOut, int[][] byProto,
                       DstPorts ports) {
        this.ports = ports;
        this.wildcards = wildcards;
        this.srcTrie = srcTrie;
        this.dstTrie = dstTrie;
        this.byIn = byIn;
        this.byOut = byOut;
        this.byProto = byProto;
    }

    /** An index for the chain, or null when it would not help. */
    static ChainIndex build(IptRule[] rules) {
        if (rules.length < MIN_RULES) return null;
        int words = (rules.length + 63) >>> 6;
        long[] wild = new long[words];
        int wildCount = 0;
        Node src = new Node(), dst = new Node();
        Map<Node, List<Integer>> filed = new HashMap<>();
        Map<String, List<Integer>> in = new HashMap<>(), out = new HashMap<>();
        Map<Integer, List<Integer>> proto = new HashMap<>();
        for (int i = 0; i < rules.length; i++) {
            IptRule r = rules[i];
            int srcLen = !r.srcInvert && r.srcMask != 0 ? Integer.bitCount(r.srcMask) : 0;
            int dstLen = !r.dstInvert && r.dstMask != 0 ? Integer.bitCount(r.dstMask) : 0;
            String inName = exactDevice(r.in), outName = exactDevice(r.out);
            int longest = Math.max(srcLen, dstLen);
            if (longest >= SPECIFIC || longest > 0 && inName == null && outName == null) {
                // the longer prefix: fewer packets fall under it
                Node n = dstLen >= srcLen ? insert(dst, r.dstNet, dstLen) : insert(src, r.srcNet, srcLen);
                filed.computeIfAbsent(n, k -> new ArrayList<>()).add(i);
            } else if (inName != null) {
                in.computeIfAbsent(inName, k -> new ArrayList<>()).add(i);
            } else if (outName != null) {
                out.computeIfAbsent(outName, k -> new ArrayList<>()).add(i);
            } else if (r.proto != 0 && !r.protoInvert && r.proto < 256) {
                proto.computeIfAbsent(r.proto, k -> new ArrayList<>()).add(i);
            } else {
                wild[i >>> 6] |= 1L << i;
                wildCount++;
            }
        }
        if (wildCount == rules.length) return null;
        filed.forEach((n, list) -> n.rules = toArray(list));
        int[][] byProto = null;
        if (!proto.isEmpty()) {
            byProto = new int[256][];
            for (Map.Entry<Integer, List<Integer>> e : proto.entrySet()) byProto[e.getKey()] = toArray(e.getValue());
        }
        return new ChainIndex(wild, src, dst, arrays(in), arrays(out), byProto, DstPorts.build(rules));
    }

    /** The destination ports a rule requires (pairs min,max), or null when it does not require any. */
    private static int[] dstPorts(IptRule r) {
        for (Match m : r.matches) {
            if (m instanceof Matches.Ports p && !p.dportInvert && (p.dportMin != 0 || p.dportMax != 0xffff))
                return new int[] {p.dportMin, p.dportMax};
            if (m instanceof Matches.Multiport mp && !mp.invert && mp.side == Matches.Multiport.Side.DESTINATION)
                return mp.ranges;
        }
        return null;
    }

    /** Rules by the destination port ranges they require: the port line cut where any range starts or ends. */
    private static final class DstPorts {
        final long[] free;
        /** first port of each piece; rules covering piece k in rules[k] */
        final int[] starts;
        final int[][] rules;

        private DstPorts(long[] free, int[] starts, int[][] rules) {
            this.free = free;
            this.starts = starts;
            this.rules = rules;
        }

        static DstPorts build(IptRule[] all) {
            long[] free = new long[(all.length + 63) >>> 6];
            int[][] need = new int[all.length][];
            java.util.TreeSet<Integer> cuts = new java.util.TreeSet<>();
            cuts.add(0);
            boolean any = false;
            for (int i = 0; i < all.length; i++) {
                need[i] = dstPorts(all[i]);
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
                    int from = java.util.Arrays.binarySearch(starts, need[i][k]);
                    for (int piece = from; piece < starts.length && starts[piece] <= need[i][k + 1]; piece++) {
                        List<Integer> l = pieces.get(piece);
                        if (l.isEmpty() || l.get(l.size() - 1) != i) l.add(i);
                    }
                }
            }
            int[][] rules = new int[starts.length][];
            for (int k = 0; k < starts.length; k++) rules[k] = toArray(pieces.get(k));
            return new DstPorts(free, starts, rules);
        }

        /** Keeps in {@code set} only the rules that require no port or require this one. */
        void keep(long[] set, int port) {
            long[] ok = free.clone();
            int k = java.util.Arrays.binarySearch(starts, port);
            if (k < 0) k = -k - 2;
            if (k >= 0) add(ok, rules[k]);
            for (int w = 0; w < set.length; w++) set[w] &= ok[w];
        }
    }

    /** The device name a rule requires exactly; null for none, an inverted one or a `+` wildcard. */
    private static String exactDevice(IfaceMatch m) {
        if (m == null) return null;
        return m.exactName();
    }

    private static Node insert(Node root, int net, int len) {
        Node n = root;
        for (int b = 0; b < len; b++) {
            boolean one = (net << b) < 0;   // bit b from the left
            if (one) n = n.one == null ? (n.one = new Node()) : n.one;
            else n = n.zero == null ? (n.zero = new Node()) : n.zero;
        }
        return n;
    }

    private static Devices arrays(Map<String, List<Integer>> m) {
        if (m.isEmpty()) return null;
        Devices d = new Devices(m.size());
        int k = 0;
        for (Map.Entry<String, List<Integer>> e : m.entrySet()) {
            d.names[k] = e.getKey();
            d.hashes[k] = e.getKey().hashCode();
            d.rules[k++] = toArray(e.getValue());
        }
        return d;
    }

    /** The few device names a chain's rules require, side by side (a chain names a handful). */
    private static final class Devices {
        final String[] names;
        final int[] hashes;
        final int[][] rules;

        Devices(int n) {
            names = new String[n];
            hashes = new int[n];
            rules = new int[n][];
        }

        int[] get(String dev) {
            String d = dev == null ? "" : dev;
            int h = d.hashCode();
            for (int k = 0; k < hashes.length; k++) if (hashes[k] == h && names[k].equals(d)) return rules[k];
            return null;
        }
    }

    private static int[] toArray(List<Integer> list) {
        int[] a = new int[list.size()];
        for (int i = 0; i < a.length; i++) a[i] = list.get(i);
        return a;
    }

    /** The rule positions that may match this packet, as a bit set (visit its bits in ascending order). */
    long[] candidates(PacketContext ctx) {
        long[] set = wildcards.clone();
        walk(set, srcTrie, ctx.src4);
        walk(set, dstTrie, ctx.dst4);
        if (byIn != null) add(set, byIn.get(ctx.inIface));
        if (byOut != null) add(set, byOut.get(ctx.outIface));
        if (byProto != null) {
            int p = ctx.packet.proto;
            if (p > 0 && p < 256) add(set, byProto[p]);
        }
        if (ports != null) ports.keep(set, ctx.packet.dport);
        return set;
    }

    /** Every prefix on the address's path through the trie contains it. */
    private static void walk(long[] set, Node root, int addr) {
        Node n = root;
        int b = 0;
        while (true) {
            add(set, n.rules);
            if (b == 32) return;
            n = (addr << b) < 0 ? n.one : n.zero;
            if (n == null) return;
            b++;
        }
    }

    private static void add(long[] set, int[] positions) {
        if (positions == null) return;
        for (int i : positions) set[i >>> 6] |= 1L << i;
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
}
