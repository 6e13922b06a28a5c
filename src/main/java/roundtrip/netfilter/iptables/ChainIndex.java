package roundtrip.netfilter.iptables;

import roundtrip.netfilter.PacketContext;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds, for a long chain, the rules that can possibly match a packet without testing each one: rules that require
 * a source or destination prefix are filed under that prefix; the others ("wildcards") are always candidates.
 * Evaluation then visits only the candidates, in rule order, so the result is the same as a linear walk.
 * Valid for one hook traversal because no iptables target rewrites addresses in place (NAT returns a verdict).
 */
final class ChainIndex {
    /** Below this many rules a linear walk is as fast. */
    static final int MIN_RULES = 16;
    private static final int[] NONE = new int[0];

    private final int[] wildcards;
    /** per group: true = destination, false = source */
    private final boolean[] groupDst;
    private final int[] groupMask;
    private final IntMap[] groupRules;

    private ChainIndex(int[] wildcards, boolean[] groupDst, int[] groupMask, IntMap[] groupRules) {
        this.wildcards = wildcards;
        this.groupDst = groupDst;
        this.groupMask = groupMask;
        this.groupRules = groupRules;
    }

    /** An index for the chain, or null when it would not help. */
    static ChainIndex build(IptRule[] rules) {
        if (rules.length < MIN_RULES) return null;
        List<Integer> wild = new ArrayList<>();
        // (dst?, mask) -> net -> rule positions
        Map<Long, Map<Integer, List<Integer>>> groups = new LinkedHashMap<>();
        for (int i = 0; i < rules.length; i++) {
            IptRule r = rules[i];
            boolean srcKey = !r.srcInvert && r.srcMask != 0;
            boolean dstKey = !r.dstInvert && r.dstMask != 0;
            if (!srcKey && !dstKey) {
                wild.add(i);
                continue;
            }
            // file the rule under its more specific prefix
            boolean useDst = dstKey && (!srcKey || Integer.bitCount(r.dstMask) >= Integer.bitCount(r.srcMask));
            int mask = useDst ? r.dstMask : r.srcMask;
            int net = useDst ? r.dstNet : r.srcNet;
            long groupKey = ((useDst ? 1L : 0L) << 32) | (mask & 0xffffffffL);
            groups.computeIfAbsent(groupKey, k -> new HashMap<>()).computeIfAbsent(net, k -> new ArrayList<>()).add(i);
        }
        // not worth it when most rules are candidates anyway, or the prefixes are too varied
        if (wild.size() * 2 > rules.length || groups.size() > 8) return null;
        boolean[] dst = new boolean[groups.size()];
        int[] masks = new int[groups.size()];
        IntMap[] maps = new IntMap[groups.size()];
        int g = 0;
        for (Map.Entry<Long, Map<Integer, List<Integer>>> e : groups.entrySet()) {
            dst[g] = (e.getKey() >>> 32) == 1;
            masks[g] = (int) (long) e.getKey();
            maps[g] = new IntMap(e.getValue().size());
            for (Map.Entry<Integer, List<Integer>> byNet : e.getValue().entrySet()) {
                maps[g].put(byNet.getKey(), toArray(byNet.getValue()));
            }
            g++;
        }
        return new ChainIndex(toArray(wild), dst, masks, maps);
    }

    private static int[] toArray(List<Integer> list) {
        int[] a = new int[list.size()];
        for (int i = 0; i < a.length; i++) a[i] = list.get(i);
        return a;
    }

    /** Ascending lists of rule positions that may match this packet (their union, in order, is the walk). */
    int[][] candidates(PacketContext ctx) {
        int[][] lists = new int[groupMask.length + 1][];
        lists[0] = wildcards;
        for (int g = 0; g < groupMask.length; g++) {
            int addr = groupDst[g] ? ctx.dst4 : ctx.src4;
            int[] found = groupRules[g].get(addr & groupMask[g]);
            lists[g + 1] = found == null ? NONE : found;
        }
        return lists;
    }

    /** The smallest candidate position >= from, or Integer.MAX_VALUE; cursors advance monotonically. */
    static int next(int[][] lists, int[] cursors, int from) {
        int best = Integer.MAX_VALUE;
        for (int k = 0; k < lists.length; k++) {
            int[] list = lists[k];
            int c = cursors[k];
            while (c < list.length && list[c] < from) c++;
            cursors[k] = c;
            if (c < list.length && list[c] < best) best = list[c];
        }
        return best;
    }

    /** Open-addressing int -> int[] map, so lookups do not box. */
    private static final class IntMap {
        private final int[] keys;
        private final int[][] values;
        private final int mask;

        IntMap(int expected) {
            int size = Integer.highestOneBit(Math.max(4, expected * 2) - 1) << 1;
            keys = new int[size];
            values = new int[size][];
            mask = size - 1;
        }

        void put(int key, int[] value) {
            int slot = mix(key) & mask;
            while (values[slot] != null && keys[slot] != key) slot = (slot + 1) & mask;
            keys[slot] = key;
            values[slot] = value;
        }

        int[] get(int key) {
            int slot = mix(key) & mask;
            while (values[slot] != null) {
                if (keys[slot] == key) return values[slot];
                slot = (slot + 1) & mask;
            }
            return null;
        }

        private static int mix(int key) {
            int h = key * 0x9E3779B9;
            return h ^ (h >>> 16);
        }
    }
}
