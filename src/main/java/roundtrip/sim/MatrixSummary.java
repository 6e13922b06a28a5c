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

        void add(Matrix.Pair pair, ProbeResult.Verdict now, ProbeResult.Verdict before) {
            count++;
            if (examples.size() < EXAMPLES) examples.add(new Example(pair, now, before));
        }
    }

    /** Pairs from or to one host, and how many of them fail. */
    public static final class HostCount {
        private long pairs, failing;
        public long pairs() { return pairs; }
        public long failing() { return failing; }
    }

    /**
     * reason: the loss's message when no configuration line decided (compared as a message, not rendered per pair).
     * Its hash is made once, by the thread that made the key (a worker), not by the thread that counts.
     */
    private static final class Key {
        final String half, host, stage;
        final Source source;
        final roundtrip.model.Message reason;
        final int hash;

        Key(String half, String host, String stage, Source source, roundtrip.model.Message reason) {
            this.half = half;
            this.host = host;
            this.stage = stage;
            this.source = source;
            this.reason = reason;
            this.hash = java.util.Objects.hash(half, host, stage, source, reason);
        }

        @Override public int hashCode() { return hash; }

        @Override public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && java.util.Objects.equals(k.half, half)
                    && java.util.Objects.equals(k.host, host) && java.util.Objects.equals(k.stage, stage)
                    && java.util.Objects.equals(k.source, source) && java.util.Objects.equals(k.reason, reason);
        }
    }

    /**
     * What {@link #add(Tally)} needs of one outcome, worked out by {@link #tally} on the thread that simulated the pair.
     * The matrix hands millions of outcomes to one counting thread; reading each outcome's objects there, made and
     * last touched on another processor, was a second of that thread's time on the bench's 1,000-host network
     * (issue 13). A tally is one object with what counting reads.
     */
    public static final class Tally {
        final Matrix.Pair pair;
        final String from, to;
        final ProbeResult.Verdict now, before;
        final int proto;
        final boolean certain, works;
        /** the failing pair's cause and its group key; null when it works or the network lacks its source */
        final Cause cause;
        final Key key;
        final Change change;
        final Cause changeCause;
        final Key changeKey;

        private Tally(Matrix.Outcome o, boolean comparing) {
            pair = o.pair();
            from = pair.from();
            to = pair.target().host();
            ProbeResult n = o.now();
            now = n == null ? null : n.verdict();
            before = o.before() == null ? null : o.before().verdict();
            proto = pair.target().service().proto() & 0xff;
            certain = n == null || n.certain();
            works = n != null && works(n);
            cause = n == null || works ? null : cause(n);
            key = cause == null ? null : key(cause);
            change = change(o, comparing);
            changeCause = change == null ? null : switch (change) {
                case REGRESSED, CHANGED, NEW -> cause(n);
                case FIXED, GONE -> cause(o.before());
            };
            changeKey = changeCause == null ? null : key(changeCause);
        }

        /** Whether the pair's verdict moved from the baseline's (always false without one). */
        public boolean changed() { return change != null; }
    }

    /** The tally of one outcome, for {@link #add(Tally)}; safe on any thread. */
    public static Tally tally(Matrix.Outcome o, boolean comparing) { return new Tally(o, comparing); }

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
    public void add(Matrix.Outcome o) { add(tally(o, comparing)); }

    /** Counts one outcome by its tally; outcomes must come in pair order (examples are the first pairs of a group). */
    public void add(Tally t) {
        if (t.now != null) {
            pairs++;
            verdicts[t.now.ordinal()]++;
            if (byProto[t.proto]++ == 0) protos.add(t.proto);
            if (!t.certain) uncertain++;
            if (t.works) working++;
            if (t.now == ProbeResult.Verdict.ROUND_TRIP_OK && !t.works) dataLost++;
            if (!t.from.equals(lastFrom)) { lastFrom = t.from; lastFromCount = from.computeIfAbsent(lastFrom, k -> new HostCount()); }
            if (!t.to.equals(lastTo)) { lastTo = t.to; lastToCount = to.computeIfAbsent(lastTo, k -> new HostCount()); }
            HostCount fromCount = lastFromCount, toCount = lastToCount;
            fromCount.pairs++;
            toCount.pairs++;
            if (!t.works) {
                fromCount.failing++;
                toCount.failing++;
                group(failures, t.cause, t.key).add(t.pair, t.now, t.before);
            }
        }
        if (t.change != null) {
            changes.merge(t.change, 1L, Long::sum);
            group(changed.computeIfAbsent(t.change, k -> new LinkedHashMap<>()), t.changeCause, t.changeKey)
                    .add(t.pair, t.now, t.before);
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

    /** A cause's group: by the configuration line that decided, else by the loss's reason. */
    private static Key key(Cause c) {
        LostAt at = c.at();
        return at == null ? new Key(c.half(), "", "", Source.NONE, null)
                : at.source() != null && at.source() != Source.NONE ? new Key(c.half(), at.host(), at.stage(), at.source(), null)
                : new Key(c.half(), at.host(), at.stage(), Source.NONE, at.reason());
    }

    private static Group group(Map<Key, Group> groups, Cause c, Key key) {
        LostAt at = c.at();
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
