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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * `roundtrip why` without the printing: simulate the probe, name the causes, generate the candidate fixes, apply
 * each to a copy of the network and simulate again (the probe, the other probes, and automatic neighbour probes),
 * and rank them: no regressions first, then the client's real address kept (no NAT), then fewest changes.
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
    static final java.util.Set<String> BROAD = java.util.Set.of("forward-policy-accept", "delete-rule");

    private final Network net;
    private final Simulator sim;
    private final Map<Probe, Boolean> baseline = new HashMap<>();

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
            for (Fix fix : gen.candidates(f))
                // never a change on a host the user cannot change (managed: false)
                if (fix.changes().stream().allMatch(c -> net.host(c.host()) == null || net.host(c.host()).managed())) fixes.add(fix);
        List<RankedFix> verified = new ArrayList<>();
        for (Fix fix : fixes) verified.add(new RankedFix(0, fix, verify(fix, probe, checks)));
        Comparator<RankedFix> order = Comparator
                .comparing((RankedFix x) -> !x.verification().clean())
                .thenComparing(x -> !x.verification().fixesProbe())
                .thenComparing(x -> x.verification().fixesProbe() ? 0 : -x.verification().progress())
                .thenComparing(x -> BROAD.contains(x.fix().id()))
                .thenComparing(x -> !x.fix().keepsSource())
                .thenComparingInt(x -> x.fix().changes().size());
        List<RankedFix> sorted = new ArrayList<>(verified);
        sorted.sort(order);   // stable: equal fixes keep the order of findings and of generators
        List<RankedFix> ranked = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) ranked.add(new RankedFix(i + 1, sorted.get(i).fix(), sorted.get(i).verification()));
        return new Result(r, findings, ranked);
    }

    /** Applies the fix to a copy of the network and simulates the probe and every check before and after. */
    public Verification verify(Fix fix, Probe probe, List<Probe> checks) {
        Network changed;
        try {
            changed = new Editor().apply(net, fix.changes());
        } catch (Editor.CannotApply | roundtrip.model.InputException e) {
            return new Verification(false, List.of(), List.of(), e.getMessage());
        }
        Simulator after = new Simulator(changed);
        ProbeResult afterProbe = after.run(probe, false);
        boolean fixes = Diagnoser.passes(afterProbe);
        List<Verification.Check> results = new ArrayList<>();
        List<String> regressions = new ArrayList<>();
        for (Probe p : checks) {
            boolean before = baseline.computeIfAbsent(p, q -> Diagnoser.passes(sim.run(q, false)));
            boolean now = Diagnoser.passes(after.run(p, false));
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
