package roundtrip.fix;

import roundtrip.diagnose.Diagnoser;
import roundtrip.diagnose.Finding;
import roundtrip.diagnose.PacketPath;
import roundtrip.model.Host;
import roundtrip.model.Network;
import roundtrip.model.Packet;
import roundtrip.model.Probe;
import roundtrip.model.Route;
import roundtrip.model.RouteType;
import roundtrip.sim.ProbeResult;
import roundtrip.sim.Simulator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * `roundtrip why` without the printing: simulate the probe, name the causes, generate the candidate fixes, apply
 * each to a copy of the network and simulate again (the probe, the other probes, and automatic neighbour probes),
 * and rank them: no regressions first, then the client's real address kept (no NAT), then fewest changes. When no
 * single fix makes the probe pass, pairs are searched ({@link #pairs}): a first fix that gets the probe further, and a
 * second one found by diagnosing the network again with the first applied, verified together.
 */
public final class Why {
    public record Result(ProbeResult result, List<Finding> findings, List<RankedFix> fixes) {
        /** Fixes were proposed, and none makes the probe pass when simulated again: the first is only the closest. */
        public boolean nonePasses() {
            return !fixes.isEmpty() && fixes.stream().noneMatch(f -> f.verification().error() == null && f.verification().fixesProbe());
        }
    }

    /**
     * Fixes that open more than the failing path (a whole chain's policy, a rule deleted for all traffic): proposed,
     * but after a narrower fix that also passes.
     */
    static final java.util.Set<String> BROAD = java.util.Set.of("forward-policy-accept", "delete-rule", "wireguard-full-tunnel");

    private final Network net;
    private final Simulator sim;
    /** whether each other probe passes before any fix; shared by the probes explained side by side */
    private final Map<Probe, Boolean> baseline = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Each fix applied once, and what each probe does on the network it makes, shared by the probes explained side by
     * side: the probes of one run propose many of the same fixes and are each other's checks (on the bundled lab, 23
     * verifications of 11 distinct fixes, 244 check simulations of 160 distinct ones; issue 13). Keyed by the
     * commands the fix pastes, in order, which is what the fix is (pairs are told apart by them too).
     */
    private final Map<String, Applied> applied = new java.util.concurrent.ConcurrentHashMap<>();

    /** A fix applied to a copy of the network and its simulator, or why it cannot be applied. */
    private static final class Applied {
        final Network changed;
        final Simulator sim;
        final Verification refused;
        /** untraced results on the changed network, by probe (a probe's simulation does not depend on what ran before) */
        final Map<Probe, ProbeResult> results = new java.util.concurrent.ConcurrentHashMap<>();

        Applied(Network changed, Simulator sim, Verification refused) {
            this.changed = changed;
            this.sim = sim;
            this.refused = refused;
        }

        ProbeResult run(Probe p) { return results.computeIfAbsent(p, q -> sim.run(q, false)); }
    }

    /** How many distinct fixes this Why has applied (each once, whatever the probes that proposed it). */
    int fixesApplied() { return applied.size(); }

    private Applied applied(Fix fix) {
        StringBuilder key = new StringBuilder();
        for (Change c : fix.changes()) key.append(line(c)).append('\n');
        return applied.computeIfAbsent(key.toString(), k -> {
            try {
                Network changed = new Editor().apply(net, fix.changes());
                return new Applied(changed, new Simulator(changed, sim), null);
            } catch (Editor.CannotApply e) {
                return new Applied(null, null, new Verification(false, List.of(), List.of(), e.reason()));
            } catch (roundtrip.model.InputException e) {
                return new Applied(null, null, new Verification(false, List.of(), List.of(), roundtrip.model.Message.text(e.getMessage())));
            }
        });
    }

    public Why(Network net) {
        this.net = net;
        this.sim = new Simulator(net);
    }

    public Simulator simulator() { return sim; }

    public Result explain(Probe probe, List<Probe> others) {
        ProbeResult r = sim.run(probe, true);
        List<Finding> findings = new Diagnoser(net, sim).diagnose(r);
        if (Diagnoser.passes(r)) return new Result(r, findings, List.of());
        List<Probe> checks = checks(r, others);
        FixGenerator gen = new FixGenerator(net);
        List<Fix> fixes = new ArrayList<>();
        for (Finding f : findings)
            for (Fix fix : gen.candidates(f, probe.dst().family()))
                // never a change on a host the user cannot change (managed: false)
                if (fix.changes().stream().allMatch(c -> net.host(c.host()) == null || net.host(c.host()).managed())) fixes.add(fix);
        List<RankedFix> verified = new ArrayList<>();
        for (Fix fix : fixes) verified.add(new RankedFix(0, fix, verify(fix, probe, checks)));
        if (verified.stream().noneMatch(x -> passes(x.verification()))) verified.addAll(pairs(probe, r, verified, checks));
        // a passing single fix, then a passing pair, then what does not pass
        // (written out rather than chained from Comparator.comparingInt/thenComparing: the JDK's lambdas are not in
        // the class-data archive and are spun at every start, milliseconds of a one-shot run; issue 13)
        Comparator<RankedFix> order = (a, b) -> {
            Verification va = a.verification(), vb = b.verification();
            int c = Integer.compare(passes(va) ? (a.fix().combined() ? 1 : 0) : 2, passes(vb) ? (b.fix().combined() ? 1 : 0) : 2);
            if (c == 0) c = Boolean.compare(!va.clean(), !vb.clean());
            if (c == 0) c = Boolean.compare(!va.fixesProbe(), !vb.fixesProbe());
            if (c == 0) c = Integer.compare(va.fixesProbe() ? 0 : -va.progress(), vb.fixesProbe() ? 0 : -vb.progress());
            return c != 0 ? c : narrowerFirst(a.fix(), b.fix());
        };
        List<RankedFix> sorted = new ArrayList<>(verified);
        sorted.sort(order);   // stable: equal fixes keep the order of findings and of generators
        List<RankedFix> ranked = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) ranked.add(new RankedFix(i + 1, sorted.get(i).fix(), sorted.get(i).verification()));
        return new Result(r, findings, ranked);
    }

    /** At most this many single fixes are tried as the first of a pair (those that get the probe furthest). */
    static final int MAX_FIRST = 6;
    /** At most this many pairs are simulated for one probe: the search stays linear in the candidates, never their square. */
    static final int MAX_PAIRS = 24;

    private int pairsTried;

    /** How many pairs the last {@link #explain} simulated (at most {@link #MAX_PAIRS}). */
    int pairsTried() { return pairsTried; }

    static boolean passes(Verification v) { return v.error() == null && v.fixesProbe(); }

    /** The narrower fix first, then the one that keeps the source address, then the smaller. */
    private static int narrowerFirst(Fix a, Fix b) {
        int c = Boolean.compare(broad(a), broad(b));
        if (c == 0) c = Boolean.compare(!a.keepsSource(), !b.keepsSource());
        return c != 0 ? c : Integer.compare(a.changes().size(), b.changes().size());
    }

    static boolean broad(Fix f) {
        return BROAD.contains(f.id()) || f.parts().stream().anyMatch(Why::broad);
    }

    /**
     * Two fixes needed together, for a probe that no single fix makes pass. The first is a single fix that gets the
     * probe further (it then fails later on its way, or at another place or for another reason), those that get it
     * furthest first, at most {@link #MAX_FIRST}; the network with it applied is simulated and diagnosed again, and
     * each fix generated for the new causes is the second (on hosts the user can change, not already part of the
     * first). Each pair is verified as one fix on the original network, at most {@link #MAX_PAIRS} in all; those that
     * make the probe pass are returned, unless the second alone already does (then it is returned alone).
     */
    List<RankedFix> pairs(Probe probe, ProbeResult before, List<RankedFix> singles, List<Probe> checks) {
        pairsTried = 0;
        record Step(RankedFix first, Applied applied, ProbeResult result) {}
        List<Step> steps = new ArrayList<>();
        for (RankedFix s : singles) {
            if (s.verification().error() != null || s.fix().changes().isEmpty()) continue;
            Applied a = applied(s.fix());
            if (a.refused != null) continue;
            ProbeResult r = a.sim.run(probe, true);
            int progress = Verification.progress(r), was = Verification.progress(before);
            // a first step gets the probe further: a later stage of the round trip, or lost elsewhere at the same stage
            if (progress < was || progress == was && lossPoint(r).equals(lossPoint(before))) continue;
            steps.add(new Step(s, a, r));
        }
        // furthest first; then the narrower, address-keeping, smaller fix, as singles are ranked
        steps.sort((a, b) -> {
            int c = Integer.compare(-Verification.progress(a.result()), -Verification.progress(b.result()));
            return c != 0 ? c : narrowerFirst(a.first().fix(), b.first().fix());
        });
        List<RankedFix> out = new ArrayList<>();
        java.util.Set<java.util.Set<String>> seen = new java.util.HashSet<>();
        for (Step step : steps.subList(0, Math.min(MAX_FIRST, steps.size()))) {
            java.util.Set<String> firstChanges = commands(step.first().fix());
            FixGenerator gen = new FixGenerator(step.applied().changed);
            for (Finding f : new Diagnoser(step.applied().changed, step.applied().sim).diagnose(step.result())) {
                for (Fix second : gen.candidates(f, probe.dst().family())) {
                    if (pairsTried >= MAX_PAIRS) return out;
                    if (!second.changes().stream().allMatch(c -> net.host(c.host()) == null || net.host(c.host()).managed())) continue;
                    if (firstChanges.containsAll(commands(second))) continue;
                    java.util.Set<String> key = new java.util.HashSet<>(firstChanges);
                    key.addAll(commands(second));
                    if (!seen.add(key)) continue;
                    Fix pair = Fix.together(step.first().fix(), second);
                    pairsTried++;
                    Verification v = verify(pair, probe, checks, true);
                    if (!passes(v)) continue;
                    // a pair claims that neither alone is enough: the second, found only on the changed network, may
                    // be enough by itself on the real one, and is then offered alone (the first was not needed)
                    Verification alone = verify(second, probe, checks, true);
                    if (passes(alone)) {
                        if (seen.add(commands(second))) out.add(new RankedFix(0, second, alone));
                    } else out.add(new RankedFix(0, pair, v));
                }
            }
        }
        return out;
    }

    private static java.util.Set<String> commands(Fix f) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (Change c : f.changes()) out.add(line(c));
        return out;
    }

    /** A change as what it is to the user: the command, on its host. Fixes are told apart (and shared) by these. */
    static String line(Change c) { return c.host() + "# " + c.command(); }

    /** Where and why a probe was lost: the verdict, and the lost half's host, stage and reason (its sentence id and values). */
    private record LossPoint(ProbeResult.Verdict verdict, String host, String stage, roundtrip.model.Message reason) {}

    /** Where and why the probe was lost: the lost half's host, stage and reason. */
    private static LossPoint lossPoint(ProbeResult r) {
        roundtrip.sim.LostAt l = switch (r.verdict()) {
            case REQUEST_LOST -> r.request().lostAt();
            case REPLY_LOST -> r.reply().lostAt();
            case ROUND_TRIP_OK -> r.data() == null ? null : r.data().lostAt();
        };
        return l == null ? new LossPoint(r.verdict(), null, null, null) : new LossPoint(r.verdict(), l.host(), l.stage(), l.reason());
    }

    /** Applies the fix to a copy of the network and simulates the probe and every check before and after. */
    public Verification verify(Fix fix, Probe probe, List<Probe> checks) {
        return verify(fix, probe, checks, false);
    }

    /**
     * As {@link #verify(Fix, Probe, List)}; with {@code onlyIfFixed}, the checks are simulated only when the fix makes
     * the probe pass: {@link #pairs} drops a fix that does not unseen, and each check is a simulation (issue 13).
     */
    private Verification verify(Fix fix, Probe probe, List<Probe> checks, boolean onlyIfFixed) {
        Applied after = applied(fix);
        if (after.refused != null) return after.refused;
        ProbeResult afterProbe = after.run(probe);
        boolean fixes = Diagnoser.passes(afterProbe);
        if (onlyIfFixed && !fixes) return new Verification(false, List.of(), List.of(), null, Verification.progress(afterProbe));
        List<Verification.Check> results = new ArrayList<>();
        List<String> regressions = new ArrayList<>();
        for (Probe p : checks) {
            boolean before = baseline.computeIfAbsent(p, q -> Diagnoser.passes(sim.run(q, false)));
            boolean now = Diagnoser.passes(after.run(p));
            results.add(new Verification.Check(p.id(), p.describe(), before, now));
            if (before && !now) regressions.add(p.id() + " (" + p.describe() + ")");
        }
        return new Verification(fixes, results, regressions, null, Verification.progress(afterProbe));
    }

    /**
     * The probes a fix must not break: the given ones, each host's reachability of its default gateway, and the
     * target's reachability of the prober.
     */
    List<Probe> checks(ProbeResult r, List<Probe> others) {
        Map<String, Probe> out = new LinkedHashMap<>();
        for (Probe p : others) if (!same(p, r.probe())) out.putIfAbsent(key(p), p);
        for (Host h : net.hosts().values()) {
            for (Route rt : h.routes()) {
                if (rt.table() != Route.TABLE_MAIN || rt.dst().len() != 0 || rt.gateway() == null || rt.type() != RouteType.UNICAST
                        || rt.family() != r.probe().dst().family()) continue;
                Probe p = new Probe("neighbour:" + h.name() + "-gateway", h.name(), null, rt.gateway(), Packet.ICMP, 0, null, null);
                out.putIfAbsent(key(p), p);
                break;
            }
        }
        PacketPath req = PacketPath.of(r, "request");
        String target = r.request().deliveredTo();
        if (target != null && !req.isEmpty() && req.hops().get(0).srcOut != null && !target.equals(r.probe().from())) {
            Probe back = new Probe("neighbour:" + target + "-prober", target, null, req.hops().get(0).srcOut, Packet.ICMP, 0, null, null);
            out.putIfAbsent(key(back), back);
        }
        return new ArrayList<>(out.values());
    }

    private static boolean same(Probe a, Probe b) { return key(a).equals(key(b)); }

    private static String key(Probe p) {
        return p.from() + "|" + p.src() + "|" + p.dst() + "|" + p.proto() + "|" + p.dport() + "|" + p.target();
    }
}
