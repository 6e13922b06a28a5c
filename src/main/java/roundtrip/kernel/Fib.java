package roundtrip.kernel;

import roundtrip.model.Address;
import roundtrip.model.Host;
import roundtrip.model.Interface;
import roundtrip.model.Ip;
import roundtrip.model.Prefix;
import roundtrip.model.Route;
import roundtrip.model.RouteType;
import roundtrip.model.Rule;
import roundtrip.model.Source;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One host's forwarding information base: policy rules over several tables, longest-prefix match, route types,
 * source address selection and reverse-path validation, following net/ipv4/fib_rules.c, fib_trie.c,
 * fib_frontend.c (fib_validate_source) and devinet.c (inet_select_addr). The kernel keeps rules and tables per
 * family: a lookup only ever sees the rules and routes of its destination's family.
 */
public final class Fib {
    private final Host host;
    /** the rules and tables of each family, by Ip.Family ordinal */
    private final PerFamily[] families = new PerFamily[Ip.Family.values().length];
    /** devices in index order (not comparingInt: see the route order in PerFamily) */
    private static final Comparator<Interface> BY_INDEX = (a, b) -> Integer.compare(a.index(), b.index());

    /** What a policy rule does, read once from its action word (fib_rule's FR_ACT_*). */
    private enum Action {
        TABLE, GOTO, NOP, BLACKHOLE, UNREACHABLE, PROHIBIT;

        static Action of(Rule r) {
            return switch (r.action()) {
                case "goto" -> GOTO;
                case "nop" -> NOP;
                case "blackhole" -> BLACKHOLE;
                case "unreachable" -> UNREACHABLE;
                case "prohibit" -> PROHIBIT;
                default -> TABLE;
            };
        }
    }

    /** One family's rules (the kernel's defaults when the host has none of that family) and tables. */
    private static final class PerFamily {
        /** the rules and their actions, walked by every lookup */
        final Rule[] ruleArray;
        final Action[] actions;
        /** routes of each table, most specific prefix first, then lowest metric */
        final Map<Integer, Route[]> tables = new HashMap<>();
        /** the same routes as a prefix trie per table, for the lookups packets make */
        final Map<Integer, RouteTrie> tries = new HashMap<>();
        /** the tries of tables 0..255 (every table the usual rules name) by number, looked up without boxing */
        final RouteTrie[] low = new RouteTrie[256];
        final boolean customRules;
        /**
         * Non-null when every rule matches every packet and looks up a table (the kernel's defaults, or rules like them
         * at other priorities): each rule's table, so that a lookup walks the tables without reading the rules.
         */
        final RouteTrie[] everyPacketTables;

        PerFamily(Host host, Ip.Family family, int scanUpTo) {
            List<Rule> own = host.rules().stream().filter(r -> r.family() == family).toList();
            List<Rule> rules = own.isEmpty() ? Rule.kernelDefaults(family, Source.NONE) : own;
            this.ruleArray = rules.toArray(new Rule[0]);
            this.actions = new Action[ruleArray.length];
            for (int i = 0; i < ruleArray.length; i++) actions[i] = Action.of(ruleArray[i]);
            Map<Integer, List<Route>> byTable = new HashMap<>();
            for (Route r : host.routes())
                if (r.family() == family) byTable.computeIfAbsent(r.table(), t -> new ArrayList<>()).add(r);
            // most specific first, then the higher tos, then the lower metric; a lambda of our own rather than
            // Comparator.comparingInt: the JDK's lambdas are not in the class-data archive and are spun at every
            // start, a few milliseconds of a one-shot run (issue 13)
            Comparator<Route> order = (a, b) -> {
                int c = Integer.compare(-a.dst().len(), -b.dst().len());
                if (c == 0) c = Integer.compare(-a.tos(), -b.tos());
                return c != 0 ? c : Integer.compare(a.metric(), b.metric());
            };
            byTable.forEach((t, list) -> {
                list.sort(order);
                Route[] sorted = list.toArray(new Route[0]);
                tables.put(t, sorted);
                RouteTrie trie = new RouteTrie(sorted, host, scanUpTo);
                tries.put(t, trie);
                if (t >= 0 && t < low.length) low[t] = trie;
            });
            this.customRules = !sameAsDefaultRules(rules, family);
            boolean plain = true;
            for (int i = 0; i < ruleArray.length; i++) plain &= actions[i] == Action.TABLE && matchesEveryPacket(ruleArray[i]);
            if (plain) {
                everyPacketTables = new RouteTrie[ruleArray.length];
                for (int i = 0; i < ruleArray.length; i++) {
                    int t = ruleArray[i].table();
                    everyPacketTables[i] = t >= 0 && t < low.length ? low[t] : tries.get(t);
                }
            } else {
                everyPacketTables = null;
            }
        }
    }

    private final boolean customLocalRoutes;

    public Fib(Host host) { this(host, RouteTrie.SCAN_UP_TO); }

    /** With tables of up to {@code scanUpTo} routes scanned rather than made into a trie (tests try both ways). */
    Fib(Host host, int scanUpTo) {
        this.host = host;
        for (Ip.Family f : Ip.Family.values()) families[f.ordinal()] = new PerFamily(host, f, scanUpTo);
        this.customLocalRoutes = hasCustomLocalRoutes();
    }

    public Host host() { return host; }

    private PerFamily of(Ip.Family f) { return families[f.ordinal()]; }

    /** fib_lookup: walk the rules by priority; the first table that yields a route (not suppressed) decides. */
    public FibResult lookup(Flow flow) {
        PerFamily f = of(flow.dst().family());
        Rule[] rules = f.ruleArray;
        RouteTrie[] plain = f.everyPacketTables;
        if (plain != null) {
            // the same walk as below when every rule matches and looks up its table
            for (int i = 0; i < plain.length; i++) {
                Route route = plain[i] == null ? null : plain[i].lookup(flow.dst(), flow.tos(), flow.oif());
                if (route == null || route.type() == RouteType.THROW) continue;
                return new FibResult(route, rules[i], route.type(), false);
            }
            return FibResult.none();
        }
        int i = 0;
        while (i < rules.length) {
            Rule rule = rules[i];
            Action action = f.actions[i];
            i++;
            if (!ruleMatches(rule, flow)) continue;
            switch (action) {
                case GOTO -> {
                    int target = rule.gotoPriority();
                    int j = 0;
                    while (j < rules.length && rules[j].priority() < target) j++;
                    i = j;
                }
                case NOP -> { }
                case BLACKHOLE -> { return new FibResult(null, rule, RouteType.BLACKHOLE, false); }
                case UNREACHABLE -> { return new FibResult(null, rule, RouteType.UNREACHABLE, false); }
                case PROHIBIT -> { return new FibResult(null, rule, RouteType.PROHIBIT, false); }
                case TABLE -> {
                    Route route = lookupTable(rule.table(), flow);
                    if (route == null || route.type() == RouteType.THROW) continue;
                    if (isError(route.type())) return new FibResult(route, rule, route.type(), false);
                    // suppress_prefixlength N: a result whose prefix is N or shorter does not count
                    if (rule.suppressPrefixLength() >= 0 && route.dst().len() <= rule.suppressPrefixLength()) continue;
                    return new FibResult(route, rule, route.type(), false);
                }
            }
        }
        return FibResult.none();
    }

    private static boolean isError(RouteType t) {
        return t == RouteType.BLACKHOLE || t == RouteType.UNREACHABLE || t == RouteType.PROHIBIT;
    }

    private static boolean ruleMatches(Rule r, Flow f) {
        boolean m = true;
        if (r.iif() != null && !r.iif().equals(f.iif())) m = false;
        else if (r.oif() != null && !r.oif().equals(f.oif())) m = false;
        else if (r.fwmark() != null && ((f.mark() ^ r.fwmark()) & r.fwmask()) != 0) m = false;
        else if (r.from() != null && !r.from().contains(f.srcOrAny())) m = false;
        else if (r.to() != null && !r.to().contains(f.dst())) m = false;
        else if (r.tos() != null && r.tos() != f.tos()) m = false;
        return r.not() != m;
    }

    /** fib_table_lookup: longest prefix; among equal prefixes TOS then metric; an oif constraint skips routes. */
    public Route lookupTable(int table, Flow flow) {
        PerFamily f = of(flow.dst().family());
        RouteTrie trie = table >= 0 && table < f.low.length ? f.low[table] : f.tries.get(table);
        return trie == null ? null : trie.lookup(flow);
    }

    /**
     * One table as fib_trie holds it: a path-compressed binary trie over the destination's bits, with a node for
     * every prefix that has routes (by TOS, then metric, then the order they were added) and for every branching. A
     * lookup follows the destination down while the nodes' prefixes contain it, then tries the prefixes with routes
     * from the deepest up, which visits exactly the routes the linear {@link #scanTable} would, in the same order:
     * two prefixes of one length that both contain an address are the same prefix. A small table (at most
     * {@link #SCAN_UP_TO} routes) is kept without the trie, as its routes in that order with their prefixes' bits and
     * masks, and looked up by the scan itself.
     */
    static final class RouteTrie {
        /** an uncompressed node while building: one bit of a prefix */
        private static final class Bit {
            Bit zero, one;
            List<Route> routes;
            Ip some;   // an address under this node, to name its prefix
        }

        private static class Node {
            final Prefix prefix;
            final int len;
            Node zero, one;
            /** the routes of exactly this prefix; null when the node only branches */
            final Route[] routes;
            /** per route: its device is known and down (fib_table_lookup skips nexthops with RTNH_F_DEAD) */
            final boolean[] down;
            /** the nearest shorter prefix that has routes */
            Node up;
            /** an IPv4 prefix's bits and mask, compared without going through the Prefix */
            final int bits4, mask4;

            Node(Prefix prefix, Route[] routes, boolean[] down) {
                this.prefix = prefix;
                this.len = prefix.len();
                this.routes = routes;
                this.down = down;
                this.mask4 = prefix.addr().isV4() ? Ip.v4Mask(len) : 0;
                this.bits4 = prefix.addr().isV4() ? prefix.addr().v4() & mask4 : 0;
            }

            /** A node of the prefix, IPv4 or IPv6. */
            static Node of(Prefix prefix, Route[] routes, boolean[] down) {
                return prefix.addr().isV4() ? new Node(prefix, routes, down) : new Node6(prefix, routes, down);
            }
        }

        /**
         * A node of an IPv6 table, with its prefix's bits and mask as two longs (first and last 64 bits). Apart from
         * {@link Node}: IPv4 nodes stay small, and an IPv4 walk over a large router's table misses the cache less.
         */
        private static final class Node6 extends Node {
            final long bitsHi, bitsLo, maskHi, maskLo;

            Node6(Prefix prefix, Route[] routes, boolean[] down) {
                super(prefix, routes, down);
                this.maskHi = Ip.hiMask(len);
                this.maskLo = Ip.loMask(len);
                this.bitsHi = prefix.addr().hi() & maskHi;
                this.bitsLo = prefix.addr().lo() & maskLo;
            }

            boolean contains(long hi, long lo) { return (hi & maskHi) == bitsHi && (lo & maskLo) == bitsLo; }
        }

        private final Node root;

        /**
         * A quick "no route here" for tables of host routes and a few shorter prefixes, as table local is (IPv4: each
         * address and broadcast address a /32, 127.0.0.0/8; IPv6: each address and anycast address a /128, ff00::/8):
         * its host addresses sorted, and the shorter prefixes' bits and masks. An address none of them contains has no
         * route in the table, and most packets a host forwards or checks the source of miss table local. Null when
         * the table has more shorter prefixes. IPv6 addresses are two longs, first and last 64 bits, side by side.
         */
        private final int[] hosts4, shortBits4, shortMasks4;
        private final long[] hosts6, short6;
        /** the most shorter-than-host prefixes a table may have for the quick no */
        static final int QUICK_NO_SHORT = 4;

        /**
         * Tables of at most this many routes are not made into a trie but scanned in order, with each route's prefix
         * as bits and mask: building the trie (a node per bit of every prefix, 128 for an IPv6 address) was a tenth of
         * a one-shot `why`, which builds the kernel of every host a candidate fix edits, in a cold JVM (issue 13);
         * hosts have tables of a few routes, a scan of sixteen costs a walk of a trie's few nodes.
         */
        static final int SCAN_UP_TO = 16;
        /** a small table's routes in lookup order, and per route: its device is down, its prefix's bits and mask */
        private final Route[] scanned;
        private final boolean[] scannedDown;
        private final int[] scannedBits4, scannedMasks4;
        /** IPv6: bits of the first and last 64 bits, then their masks, four longs per route */
        private final long[] scanned6;

        RouteTrie(Route[] sorted, Host host, int scanUpTo) {
            if (sorted.length <= scanUpTo) {
                this.root = null;
                this.scanned = sorted;
                this.scannedDown = new boolean[sorted.length];
                boolean v6 = sorted.length > 0 && sorted[0].dst().addr().isV6();
                this.scannedBits4 = v6 ? null : new int[sorted.length];
                this.scannedMasks4 = v6 ? null : new int[sorted.length];
                this.scanned6 = v6 ? new long[4 * sorted.length] : null;
                for (int i = 0; i < sorted.length; i++) {
                    Route r = sorted[i];
                    scannedDown[i] = isDown(r, host);
                    Prefix p = r.dst();
                    if (v6) {
                        long mh = Ip.hiMask(p.len()), ml = Ip.loMask(p.len());
                        scanned6[4 * i] = p.addr().hi() & mh;
                        scanned6[4 * i + 1] = p.addr().lo() & ml;
                        scanned6[4 * i + 2] = mh;
                        scanned6[4 * i + 3] = ml;
                    } else {
                        scannedMasks4[i] = Ip.v4Mask(p.len());
                        scannedBits4[i] = p.addr().v4() & scannedMasks4[i];
                    }
                }
                this.hosts4 = this.shortBits4 = this.shortMasks4 = null;
                this.hosts6 = this.short6 = null;
                return;
            }
            this.scanned = null;
            this.scannedDown = null;
            this.scannedBits4 = this.scannedMasks4 = null;
            this.scanned6 = null;
            Bit top = new Bit();
            for (Route r : sorted) {
                Bit n = top;
                Ip a = r.dst().addr();
                n.some = a;
                for (int b = 0; b < r.dst().len(); b++) {
                    if (bit(a, b)) n = n.one == null ? (n.one = new Bit()) : n.one;
                    else n = n.zero == null ? (n.zero = new Bit()) : n.zero;
                    n.some = a;
                }
                if (n.routes == null) n.routes = new ArrayList<>();
                n.routes.add(r);
            }
            Node r = compress(top, 0, host);
            if (r == null || r.len != 0) {
                Node empty = Node.of(new Prefix(sorted.length == 0 ? Ip.V4_ANY : sorted[0].dst().addr(), 0), null, null);
                if (r != null) {
                    if (bit(r.prefix.addr(), 0)) empty.one = r; else empty.zero = r;
                }
                r = empty;
            }
            this.root = r;
            link(root, null);
            // plain arrays and loops, no streams or boxed sets: every kernel of a one-shot run builds these in a cold JVM
            boolean v6 = sorted.length > 0 && sorted[0].dst().addr().isV6();
            int[] hosts = v6 ? null : new int[sorted.length], bits = new int[QUICK_NO_SHORT], masks = new int[QUICK_NO_SHORT];
            long[] hosts6 = v6 ? new long[2 * sorted.length] : null, short6 = new long[4 * QUICK_NO_SHORT];
            int nHosts = 0, nShort = 0;
            boolean quick = true;
            for (Route route : sorted) {
                Prefix p = route.dst();
                Ip a = p.addr();
                if (a.isV6() != v6) { quick = false; break; }
                if (p.len() == a.width()) {
                    if (v6) { hosts6[2 * nHosts] = a.hi(); hosts6[2 * nHosts + 1] = a.lo(); nHosts++; }
                    else hosts[nHosts++] = a.v4();
                    continue;
                }
                boolean seen = false;
                if (v6) {
                    long mh = Ip.hiMask(p.len()), ml = Ip.loMask(p.len()), bh = a.hi() & mh, bl = a.lo() & ml;
                    for (int i = 0; i < nShort; i++)
                        seen |= short6[4 * i] == bh && short6[4 * i + 1] == bl && short6[4 * i + 2] == mh && short6[4 * i + 3] == ml;
                    if (seen) continue;
                    if (nShort == QUICK_NO_SHORT) { quick = false; break; }
                    short6[4 * nShort] = bh;
                    short6[4 * nShort + 1] = bl;
                    short6[4 * nShort + 2] = mh;
                    short6[4 * nShort++ + 3] = ml;
                } else {
                    int mask = Ip.v4Mask(p.len()), b = a.v4() & mask;
                    for (int i = 0; i < nShort; i++) seen |= bits[i] == b && masks[i] == mask;
                    if (seen) continue;
                    if (nShort == QUICK_NO_SHORT) { quick = false; break; }
                    bits[nShort] = b;
                    masks[nShort++] = mask;
                }
            }
            if (quick && !v6) {
                hosts = java.util.Arrays.copyOf(hosts, nHosts);
                java.util.Arrays.sort(hosts);
                this.hosts4 = hosts;
                this.shortBits4 = java.util.Arrays.copyOf(bits, nShort);
                this.shortMasks4 = java.util.Arrays.copyOf(masks, nShort);
            } else {
                this.hosts4 = this.shortBits4 = this.shortMasks4 = null;
            }
            if (quick && v6) {
                this.hosts6 = sortedPairs(hosts6, nHosts);
                this.short6 = java.util.Arrays.copyOf(short6, 4 * nShort);
            } else {
                this.hosts6 = this.short6 = null;
            }
        }

        /**
         * The first {@code n} (first 64 bits, last 64 bits) pairs of {@code pairs}, in unsigned order. By insertion: a
         * table local holds a few IPv6 addresses per device, and a comparator here would be a lambda class made at the
         * start of every one-shot run.
         */
        private static long[] sortedPairs(long[] pairs, int n) {
            long[] out = java.util.Arrays.copyOf(pairs, 2 * n);
            for (int i = 1; i < n; i++) {
                long hi = out[2 * i], lo = out[2 * i + 1];
                int j = i - 1;
                for (; j >= 0 && comparePair(out[2 * j], out[2 * j + 1], hi, lo) > 0; j--) {
                    out[2 * j + 2] = out[2 * j];
                    out[2 * j + 3] = out[2 * j + 1];
                }
                out[2 * j + 2] = hi;
                out[2 * j + 3] = lo;
            }
            return out;
        }

        private static int comparePair(long hi1, long lo1, long hi2, long lo2) {
            int c = Long.compareUnsigned(hi1, hi2);
            return c != 0 ? c : Long.compareUnsigned(lo1, lo2);
        }

        /** False when no prefix of the table contains the IPv4 address {@code a} (only with {@link #hosts4}). */
        private boolean mayContain4(int a) {
            for (int i = 0; i < shortBits4.length; i++) if ((a & shortMasks4[i]) == shortBits4[i]) return true;
            return java.util.Arrays.binarySearch(hosts4, a) >= 0;
        }

        /** False when no prefix of the table contains the IPv6 address {@code hi}:{@code lo} (only with {@link #hosts6}). */
        private boolean mayContain6(long hi, long lo) {
            for (int i = 0; i < short6.length; i += 4)
                if ((hi & short6[i + 2]) == short6[i] && (lo & short6[i + 3]) == short6[i + 1]) return true;
            int low = 0, high = hosts6.length / 2 - 1;
            while (low <= high) {
                int mid = (low + high) >>> 1;
                int c = comparePair(hosts6[2 * mid], hosts6[2 * mid + 1], hi, lo);
                if (c < 0) low = mid + 1;
                else if (c > 0) high = mid - 1;
                else return true;
            }
            return false;
        }

        /** The kept nodes under {@code b}: those with routes, and those where the paths of two of them part. */
        private static Node compress(Bit b, int len, Host host) {
            Node z = b.zero == null ? null : compress(b.zero, len + 1, host);
            Node o = b.one == null ? null : compress(b.one, len + 1, host);
            if (b.routes == null && (z == null || o == null)) return z != null ? z : o;
            Route[] routes = null;
            boolean[] down = null;
            if (b.routes != null) {
                routes = b.routes.toArray(new Route[0]);
                down = new boolean[routes.length];
                for (int i = 0; i < routes.length; i++) down[i] = isDown(routes[i], host);
            }
            Node n = Node.of(new Prefix(b.some, len), routes, down);
            n.zero = z;
            n.one = o;
            return n;
        }

        /** The route's device is known and down (fib_table_lookup skips nexthops with RTNH_F_DEAD). */
        private static boolean isDown(Route r, Host host) {
            Interface dev = r.dev() == null ? null : host.iface(r.dev());
            return dev != null && !dev.up();
        }

        private static void link(Node n, Node up) {
            if (n == null) return;
            n.up = up;
            Node below = n.routes != null ? n : up;
            link(n.zero, below);
            link(n.one, below);
        }

        /** Bit {@code i} of an address, counted from the left. */
        static boolean bit(Ip a, int i) {
            if (a.isV4()) return ((int) a.lo() << i) < 0;
            return i < 64 ? (a.hi() << i) < 0 : (a.lo() << (i - 64)) < 0;
        }

        Route lookup(Flow flow) { return lookup(flow.dst(), flow.tos(), flow.oif()); }

        Route lookup(Ip dst, int tos, String oif) {
            if (scanned != null) return scan(dst, tos, oif);
            Node deepest = null;
            if (dst.isV4()) {
                // the same walk on the address's bits (a table holds one family: its nodes are IPv4 too)
                int a = dst.v4();
                if (hosts4 != null && !mayContain4(a)) return null;
                for (Node n = root; n != null && (a & n.mask4) == n.bits4; ) {
                    if (n.routes != null) deepest = n;
                    if (n.len == 32) break;
                    n = (a << n.len) < 0 ? n.one : n.zero;
                }
            } else {
                long hi = dst.hi(), lo = dst.lo();
                if (hosts6 != null && !mayContain6(hi, lo)) return null;
                // an empty table's root is an IPv4 node: no route
                for (Node n = root; n instanceof Node6 m && m.contains(hi, lo); ) {
                    if (n.routes != null) deepest = n;
                    if (n.len == 128) break;
                    n = (n.len < 64 ? hi << n.len : lo << (n.len - 64)) < 0 ? n.one : n.zero;
                }
            }
            for (Node n = deepest; n != null; n = n.up) {
                Route[] routes = n.routes;
                for (int i = 0; i < routes.length; i++)
                    if (usable(routes[i], n.down[i], tos, oif)) return routes[i];
            }
            return null;
        }

        /** A small table's lookup: the routes whose prefix contains dst, in the table's order (as {@link #scanTable}). */
        private Route scan(Ip dst, int tos, String oif) {
            if (dst.isV4()) {
                int a = dst.v4();
                int[] bits = scannedBits4, masks = scannedMasks4;
                // an IPv6 table (or an empty one) has no IPv4 bits: no route
                if (bits == null) return null;
                for (int i = 0; i < bits.length; i++)
                    if ((a & masks[i]) == bits[i] && usable(scanned[i], scannedDown[i], tos, oif)) return scanned[i];
            } else {
                long hi = dst.hi(), lo = dst.lo();
                long[] s6 = scanned6;
                if (s6 == null) return null;
                for (int i = 0; i < scanned.length; i++)
                    if ((hi & s6[4 * i + 2]) == s6[4 * i] && (lo & s6[4 * i + 3]) == s6[4 * i + 1]
                            && usable(scanned[i], scannedDown[i], tos, oif)) return scanned[i];
            }
            return null;
        }

        /**
         * Whether a route whose prefix contains the destination ends the lookup: its TOS fits, and it is an error or
         * throw route, or it leaves by the required device (if any) and its device is not down.
         */
        private static boolean usable(Route r, boolean down, int tos, String oif) {
            if (r.tos() != 0 && r.tos() != tos) return false;
            if (isError(r.type()) || r.type() == RouteType.THROW) return true;
            if (oif != null && r.dev() != null && !oif.equals(r.dev())) return false;
            return !down;
        }
    }

    /** fib_table_lookup as a walk over the table's routes in order: what {@link RouteTrie} must agree with. */
    Route scanTable(int table, Flow flow) {
        Route[] routes = of(flow.dst().family()).tables.get(table);
        if (routes == null) return null;
        for (Route r : routes) {
            if (!r.dst().contains(flow.dst())) continue;
            if (r.tos() != 0 && r.tos() != flow.tos()) continue;
            if (isError(r.type()) || r.type() == RouteType.THROW) return r;
            if (flow.oif() != null && r.dev() != null && !flow.oif().equals(r.dev())) continue;
            if (r.dev() != null) {
                Interface dev = host.iface(r.dev());
                if (dev != null && !dev.up()) continue;
            }
            return r;
        }
        return null;
    }

    /** The type the local table gives an address (what -m addrtype and fib daddr type see). */
    public String addressType(Ip addr) {
        if (addr.isZeroNet() || addr.isLimitedBroadcast()) return "BROADCAST";
        if (addr.isMulticast()) return "MULTICAST";
        RouteTrie local = of(addr.family()).low[Route.TABLE_LOCAL];
        Route r = local == null ? null : local.lookup(addr, 0, null);
        return r == null ? "UNICAST" : r.type().name();
    }

    public boolean isLocalAddress(Ip addr) { return "LOCAL".equals(addressType(addr)); }

    // ---- source address selection ----

    /** fib_result_prefsrc: the route's src hint, else an address of the next hop's device (inet_select_addr). */
    public Ip preferredSource(FibResult res, Ip dst) {
        Route r = res.route();
        if (r == null) return null;
        if (r.type() == RouteType.LOCAL) return r.prefSrc() != null ? r.prefSrc() : dst;
        if (r.prefSrc() != null) return r.prefSrc();
        Interface dev = r.dev() == null ? null : host.iface(r.dev());
        if (r.family() == Ip.Family.IPV6) return selectSource6(dev, dst);
        return selectAddress(dev, r.family(), r.gateway(), scopeOf(r));
    }

    /**
     * ipv6_dev_get_saddr (RFC 6724 as Linux implements it): the candidates are the IPv6 addresses of every device, or only
     * of the outgoing device {@code dev} when {@code dst} is link-local or multicast; the best by, in order: the same
     * address as dst, the smallest scope not below dst's (ULAs have global scope), the outgoing device, the same label
     * as dst in the default policy table (ip6addrlbl_init_table), the longest prefix shared with dst (at most the
     * address's own prefix length). Ties keep the first in the kernel's list order (ip addr's order). Deprecated and
     * temporary addresses are not modelled (ip -j addr's flags are not read).
     */
    public Ip selectSource6(Interface dev, Ip dst) {
        boolean linkScope = dst.isLinkLocal() || dst.isMulticast() || dst.isLoopback();
        List<Interface> devices = new ArrayList<>();
        if (linkScope && dev != null) devices.add(dev);
        else {
            devices.addAll(host.interfaces().values());
            devices.sort(BY_INDEX);
        }
        int dstScope = scope6(dst), dstLabel = label6(dst);
        Ip best = null;
        int[] bestScore = null;
        for (Interface d : devices) {
            if (!d.up() || host.sysctls().ipv6Disabled(d.name())) continue;
            for (Address a : d.addresses()) {
                if (a.family() != Ip.Family.IPV6) continue;
                Ip c = a.local();
                int sc = scope6(c);
                int[] score = {
                        c.equals(dst) ? 1 : 0,
                        sc >= dstScope ? -sc : sc - 128,
                        dev != null && d.name().equals(dev.name()) ? 1 : 0,
                        label6(c) == dstLabel ? 1 : 0,
                        Math.min(c.commonPrefixLength(dst), a.prefixLen())};
                if (best == null || java.util.Arrays.compare(score, bestScore) > 0) {
                    best = c;
                    bestScore = score;
                }
            }
        }
        return best;
    }

    /** __ipv6_addr_src_scope: interface-local 1 (::1), link-local 2, global 14 (ULAs included); multicast its own. */
    static int scope6(Ip a) {
        if (a.isLoopback()) return 1;
        if (a.isLinkLocal()) return 2;
        if (a.isMulticast()) return (int) ((a.hi() >>> 48) & 0xf);
        return 14;
    }

    /** The label of the kernel's default address label table (net/ipv6/addrlabel.c), longest prefix first. */
    static int label6(Ip a) {
        long hi = a.hi();
        if (hi == 0 && a.lo() == 1) return 0;                                  // ::1/128
        if ((hi >>> 36) == 0x2001001L) return 7;                               // 2001:10::/28 (ORCHID)
        if ((hi >>> 32) == 0x20010000L) return 6;                              // 2001::/32 (Teredo)
        if (hi == 0 && (a.lo() >>> 32) == 0xffffL) return 4;                   // ::ffff:0:0/96 (IPv4-mapped)
        if (hi == 0 && (a.lo() >>> 32) == 0) return 3;                         // ::/96 (IPv4-compatible)
        if ((hi >>> 48) == 0x2002L) return 2;                                  // 2002::/16 (6to4)
        if ((hi >>> 57) == (0xfc00L >>> 9)) return 5;                          // fc00::/7 (ULA)
        if ((hi >>> 54) == (0xfec0L >>> 6)) return 11;                         // fec0::/10 (site-local)
        if ((hi >>> 48) == 0x3ffeL) return 12;                                 // 3ffe::/16 (6bone)
        return 1;                                                              // ::/0
    }

    static int scopeOf(Route r) {
        if (r.scope() != null) return scopeNumber(r.scope());
        if (r.type() == RouteType.LOCAL) return 254;
        return r.gateway() == null && r.type() == RouteType.UNICAST ? 253 : 0;
    }

    private static int scopeOf(Address a) { return a.scope() == null ? 0 : scopeNumber(a.scope()); }

    /** rtnetlink scope numbers: universe 0, site 200, link 253, host 254, nowhere 255. */
    private static int scopeNumber(String scope) {
        return switch (scope) {
            case "host" -> 254;
            case "link" -> 253;
            case "site" -> 200;
            case "nowhere" -> 255;
            default -> 0;
        };
    }

    /**
     * inet_select_addr: on the device, the first primary address of the family within scope, preferring one whose
     * subnet holds {@code dst} (null: no preference); otherwise the first suitable primary address on any device
     * (loopback first), never link scope. Null when there is none.
     */
    public Ip selectAddress(Interface dev, Ip.Family family, Ip dst, int scope) {
        Ip chosen = null;
        if (dev != null) {
            for (Address a : dev.addresses()) {
                if (a.secondary() || a.family() != family) continue;
                if (Math.min(scopeOf(a), 254) > scope) continue;
                if (dst == null || a.inSubnet(dst)) return a.local();
                if (chosen == null) chosen = a.local();
            }
            if (chosen != null) return chosen;
        }
        List<Interface> devices = new ArrayList<>(host.interfaces().values());
        devices.sort(BY_INDEX);
        for (Interface d : devices) {
            for (Address a : d.addresses()) {
                if (a.secondary() || a.family() != family) continue;
                int s = scopeOf(a);
                if (s != 253 && s <= scope) return a.local();
            }
        }
        return null;
    }

    // ---- reverse path validation ----

    /** Why fib_validate_source rejected a packet, or null when it passes. */
    public record SourceCheck(boolean ok, roundtrip.model.Message reason, FibResult reverse) {}

    /**
     * fib_validate_source for a packet from {@code src} to {@code dst} arriving on {@code dev}: with rp_filter 0
     * and no custom rules or local routes only a local source address is refused; otherwise a reverse lookup
     * (from lo, mark only with src_valid_mark) must give a unicast route, through {@code dev} in strict mode.
     */
    public SourceCheck validateSource(Ip src, Ip dst, String dev, long mark) {
        return validateSource(src, dst, dev, host.iface(dev), mark, host.sysctls().rpFilter(dev), host.sysctls().acceptLocal(dev),
                host.sysctls().srcValidMark(dev));
    }

    /**
     * The same for the device {@code in} the caller already found by the name {@code dev} (null: the host has none), with
     * the sysctls given (to ask what other values would decide).
     */
    public SourceCheck validateSource(Ip src, Ip dst, String dev, Interface in, long mark, int rpf, boolean acceptLocal,
                                      boolean srcValidMark) {
        boolean customLocal = src.isV4() && customLocalRoutes;
        if (rpf == 0 && !of(src.family()).customRules && !customLocal) {
            if (!acceptLocal && isLocalAddress(src))
                return new SourceCheck(false, roundtrip.model.Message.of(Sentences.MARTIAN_SOURCE_LOCAL, src), null);
            return new SourceCheck(true, null, null);
        }
        long m = srcValidMark ? mark : 0;
        FibResult rev = lookup(new Flow(src, dst, "lo", null, m, 0));
        boolean noAddr = in == null || !in.hasAddress(src.family());
        // fib_lookup fails for no route and for error routes (unreachable, blackhole, prohibit): "last resort"
        if (rev.isError() || rev.type() == RouteType.THROW) {
            if (rpf != 0) return new SourceCheck(false, roundtrip.model.Message.of(Sentences.RP_NO_ROUTE_BACK, src), rev);
            return new SourceCheck(true, null, rev);
        }
        if (rev.type() != RouteType.UNICAST && !(rev.type() == RouteType.LOCAL && acceptLocal))
            return new SourceCheck(false, roundtrip.model.Message.of(Sentences.MARTIAN_SOURCE_ROUTE_BACK, src,
                    new roundtrip.model.Message.RouteText(rev.route() != null ? rev.route().text() : rev.type().word(), null)), rev);
        boolean devMatch = rev.route() != null && dev.equals(rev.route().dev())
                || rev.type() == RouteType.LOCAL && "lo".equals(dev);
        if (devMatch || noAddr) {
            if (noAddr && !devMatch && rpf != 0) return new SourceCheck(false, roundtrip.model.Message.of(Sentences.RP_NO_ADDRESS, dev), rev);
            return new SourceCheck(true, null, rev);
        }
        if (rpf == 1)
            return new SourceCheck(false, roundtrip.model.Message.of(Sentences.RP_STRICT, src, rev.route().dev(), dev,
                    new roundtrip.model.Message.RouteText(rev.route().text(), null)), rev);
        return new SourceCheck(true, null, rev);
    }

    /** A rule without selectors: fib_rule_match holds for every packet (a `from all`/`from ::/0` selects nothing). */
    private static boolean matchesEveryPacket(Rule r) {
        return !r.not() && (r.from() == null || r.from().len() == 0) && r.to() == null && r.fwmark() == null && r.iif() == null
                && r.oif() == null && r.tos() == null && r.suppressPrefixLength() < 0;
    }

    private static boolean sameAsDefaultRules(List<Rule> rules, Ip.Family family) {
        List<Rule> defaults = Rule.kernelDefaults(family, Source.NONE);
        if (rules.size() != defaults.size()) return false;
        for (int i = 0; i < rules.size(); i++) {
            Rule a = rules.get(i), b = defaults.get(i);
            if (a.priority() != b.priority() || a.not() || a.from() != null && a.from().len() != 0 || a.to() != null
                    || a.fwmark() != null || a.iif() != null || a.oif() != null || !a.action().equals("table")
                    || a.table() != b.table() || a.suppressPrefixLength() >= 0) return false;
        }
        return true;
    }

    /**
     * fib_has_custom_local_routes (IPv4 only) is set when a user adds a route of type local. The kernel's own local
     * routes live in table local; one elsewhere (e.g. `local default dev lo table 100` for TPROXY) was added by hand.
     */
    private boolean hasCustomLocalRoutes() {
        for (Route r : host.routes()) {
            if (r.family() == Ip.Family.IPV4 && r.type() == RouteType.LOCAL && r.table() != Route.TABLE_LOCAL) return true;
        }
        return false;
    }

    /** The connected subnet an address of this host belongs to, for "is on-link" questions. */
    public boolean onLink(String dev, Ip addr) {
        Interface d = host.iface(dev);
        if (d == null) return false;
        for (Address a : d.addresses()) if (a.inSubnet(addr)) return true;
        return false;
    }

    public static Prefix hostPrefix(Ip a) { return Prefix.host(a); }
}
