package roundtrip.sim;

import roundtrip.model.Source;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a matrix run adds up to, counted one outcome at a time: verdicts, the failing pairs grouped by where and why
 * they were lost (with their first few pairs as examples), per source and target host how many pairs fail, and
 * against a baseline the pairs whose verdict changed. Holds counts and a bounded number of examples, never the
 * outcomes themselves.
 */
public final class MatrixSummary {
    /** Example pairs kept per group. */
    public static final int EXAMPLES = 5;
    /**
     * Groups kept with their own reason; a lost packet's reason can name its addresses, so beyond this many the
     * further reasons of a host and stage are counted together.
     */
    public static final int MAX_GROUPS = 10_000;

    /** How a pair's verdict moved from the baseline to now. */
    public enum Change {
        /** worked, now fails */ REGRESSED,
        /** failed, now works */ FIXED,
        /** failed both times, with another verdict (or its data phase changed) */ CHANGED,
        /** the baseline has the pair, this network not its source host */ GONE,
        /** this network has the pair, the baseline not its source host */ NEW
    }

    /**
     * Where a failing pair was lost: the half ("request", "reply", or "data" after a handshake that worked) and the
     * simulator's loss (host, stage, reason, the configuration line that decided).
     */
    public record Cause(String half, LostAt at) {}

    /** A pair and its verdicts: {@code before} null without a baseline or when the baseline lacks the pair. */
    public record Example(Matrix.Pair pair, ProbeResult.Verdict now, ProbeResult.Verdict before) {}

    /** Failing pairs with one cause: how many, and the first {@link #EXAMPLES} of them. */
    public static final class Group {
        private final Cause cause;
        private long count;
        private final List<Example> examples = new ArrayList<>();

        Group(Cause cause) { this.cause = cause; }

        /** The first pair's cause; others in the group were lost at the same host, stage and rule (or reason). */
        public Cause cause() { return cause; }
        public long count() { return count; }
        public List<Example> examples() { return Collections.unmodifiableList(examples); }

        void add(Example e) {
            count++;
            if (examples.size() < EXAMPLES) examples.add(e);
        }
    }

    /** Pairs from or to one host, and how many of them fail. */
    public static final class HostCount {
        private long pairs, failing;
        public long pairs() { return pairs; }
        public long failing() { return failing; }
    }

    /** reason: the loss's message when no configuration line decided (compared as a message, not rendered per pair) */
    private record Key(String half, String host, String stage, Source source, roundtrip.model.Message reason) {}

    private final boolean comparing;
    private long pairs, working, dataLost, uncertain;
    // counted in arrays, not boxed in maps: the matrix counts millions of pairs on the thread that hands them over
    private final long[] verdicts = new long[ProbeResult.Verdict.values().length];
    /** pairs per protocol number, and the numbers in the order first met */
    private final long[] byProto = new long[256];
    private final List<Integer> protos = new ArrayList<>();
    /** the last source's and target's counts: pairs come source by source, a target's services one after another */
    private String lastFrom, lastTo;
    private HostCount lastFromCount, lastToCount;
    private final Map<Key, Group> failures = new LinkedHashMap<>();
    private final Map<String, HostCount> from = new LinkedHashMap<>();
    private final Map<String, HostCount> to = new LinkedHashMap<>();
    private final Map<Change, Long> changes = new EnumMap<>(Change.class);
    private final Map<Change, Map<Key, Group>> changed = new EnumMap<>(Change.class);

    /** @param comparing whether the outcomes carry a baseline (then a pair the baseline lacks is {@link Change#NEW}) */
    public MatrixSummary(boolean comparing) { this.comparing = comparing; }

    /** Counts one outcome. */
    public void add(Matrix.Outcome o) {
        Matrix.Pair p = o.pair();
        ProbeResult now = o.now();
        if (now != null) {
            pairs++;
            verdicts[now.verdict().ordinal()]++;
            int proto = p.target().service().proto() & 0xff;
            if (byProto[proto]++ == 0) protos.add(proto);
            if (!now.certain()) uncertain++;
            boolean works = works(now);
            if (works) working++;
            if (now.verdict() == ProbeResult.Verdict.ROUND_TRIP_OK && !works) dataLost++;
            if (!p.from().equals(lastFrom)) { lastFrom = p.from(); lastFromCount = from.computeIfAbsent(lastFrom, k -> new HostCount()); }
            if (!p.target().host().equals(lastTo)) { lastTo = p.target().host(); lastToCount = to.computeIfAbsent(lastTo, k -> new HostCount()); }
            HostCount f = lastFromCount, t = lastToCount;
            f.pairs++;
            t.pairs++;
            if (!works) {
                f.failing++;
                t.failing++;
                group(failures, cause(now)).add(new Example(p, now.verdict(), o.before() == null ? null : o.before().verdict()));
            }
        }
        Change c = change(o, comparing);
        if (c != null) {
            changes.merge(c, 1L, Long::sum);
            Cause cause = switch (c) {
                case REGRESSED, CHANGED, NEW -> cause(now);
                case FIXED, GONE -> cause(o.before());
            };
            group(changed.computeIfAbsent(c, k -> new LinkedHashMap<>()), cause)
                    .add(new Example(p, now == null ? null : now.verdict(), o.before() == null ? null : o.before().verdict()));
        }
    }

    /** A pair works when the answer comes back and, for tcp, the first data exchange too. */
    public static boolean works(ProbeResult r) {
        return r.verdict() == ProbeResult.Verdict.ROUND_TRIP_OK && (r.data() == null || r.data().delivered());
    }

    /** Where a result was lost; a cause with a null loss for a pair that works. */
    public static Cause cause(ProbeResult r) {
        if (r == null) return new Cause("none", null);
        return switch (r.verdict()) {
            case REQUEST_LOST -> new Cause("request", r.request().lostAt());
            case REPLY_LOST -> new Cause("reply", r.reply().lostAt());
            case ROUND_TRIP_OK -> works(r) ? new Cause("none", null) : new Cause("data", r.data().lostAt());
        };
    }

    /** How the verdict moved, or null when it did not; always null when not {@code comparing} with a baseline. */
    public static Change change(Matrix.Outcome o, boolean comparing) {
        ProbeResult now = o.now(), before = o.before();
        if (!comparing) return null;
        if (now == null) return before == null ? null : Change.GONE;
        if (before == null) return Change.NEW;
        boolean w = works(now), b = works(before);
        if (b && !w) return Change.REGRESSED;
        if (!b && w) return Change.FIXED;
        if (now.verdict() != before.verdict() || delivered(now.data()) != delivered(before.data())) return Change.CHANGED;
        return null;
    }

    private static Boolean delivered(Half h) { return h == null ? null : h.delivered(); }

    private static Group group(Map<Key, Group> groups, Cause c) {
        LostAt at = c.at();
        Key key = at == null ? new Key(c.half(), "", "", Source.NONE, null)
                : at.source() != null && at.source() != Source.NONE ? new Key(c.half(), at.host(), at.stage(), at.source(), null)
                : new Key(c.half(), at.host(), at.stage(), Source.NONE, at.reason());
        Group g = groups.get(key);
        if (g != null) return g;
        if (groups.size() >= MAX_GROUPS && at != null) {
            // too many distinct reasons: the rest of this host and stage share a group (its first reason is shown)
            key = new Key(c.half(), at.host(), at.stage(), null, null);
            g = groups.get(key);
            if (g != null) return g;
        }
        g = new Group(c);
        groups.put(key, g);
        return g;
    }

    public boolean comparing() { return comparing; }
    /** Pairs simulated in this network. */
    public long pairs() { return pairs; }
    /** Pairs whose answer came back (and for tcp the first data exchange too). */
    public long working() { return working; }
    public long failing() { return pairs - working; }
    /** TCP pairs whose handshake worked but whose first data exchange was lost. */
    public long dataLost() { return dataLost; }
    /** Pairs whose path crossed configuration that was not understood. */
    public long uncertain() { return uncertain; }
    public long verdict(ProbeResult.Verdict v) { return verdicts[v.ordinal()]; }
    /** Pairs per protocol ("icmp", "tcp", "udp"), in the order first met. */
    public Map<String, Long> services() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (int proto : protos) out.put(proto == roundtrip.model.Packet.ICMP ? "icmp" : roundtrip.model.Packet.protoName(proto), byProto[proto]);
        return Collections.unmodifiableMap(out);
    }

    /** Failing pairs grouped by cause, most pairs first (ties in the order first met). */
    public List<Group> failures() { return sorted(failures); }

    /** Hosts with failing pairs they send, most failing first. */
    public List<Map.Entry<String, HostCount>> failingFrom() { return failingHosts(from); }
    /** Hosts with failing pairs sent to them, most failing first. */
    public List<Map.Entry<String, HostCount>> failingTo() { return failingHosts(to); }

    public long changes(Change c) { return changes.getOrDefault(c, 0L); }
    public long changes() { return changes.values().stream().mapToLong(Long::longValue).sum(); }

    /** Changed pairs of one kind grouped by cause (the new one; for FIXED and GONE the one they had), most first. */
    public List<Group> changed(Change c) { return sorted(changed.getOrDefault(c, Map.of())); }

    /** Whether some pair that worked in the baseline fails now. */
    public boolean regressed() { return changes(Change.REGRESSED) > 0; }

    private static List<Group> sorted(Map<Key, Group> groups) {
        List<Group> out = new ArrayList<>(groups.values());
        out.sort((a, b) -> Long.compare(b.count, a.count));
        return out;
    }

    private static List<Map.Entry<String, HostCount>> failingHosts(Map<String, HostCount> m) {
        List<Map.Entry<String, HostCount>> out = new ArrayList<>();
        for (Map.Entry<String, HostCount> e : m.entrySet()) if (e.getValue().failing > 0) out.add(e);
        out.sort((a, b) -> Long.compare(b.getValue().failing, a.getValue().failing));
        return out;
    }
}
