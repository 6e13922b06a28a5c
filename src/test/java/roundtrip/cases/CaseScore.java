package roundtrip.cases;

import roundtrip.diagnose.Finding;
import roundtrip.fix.Change;
import roundtrip.fix.RankedFix;
import roundtrip.fix.Why;
import roundtrip.importer.NetworkFileReader;
import roundtrip.importer.ProbeReader;
import roundtrip.model.Probe;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * How `why` did on one failing probe of a real case, by the three measures of issue 12: the top cause is the thread's
 * cause on the thread's host; a fix that passes when simulated again matches the thread's fix (or an alternative an
 * admin would accept); that fix is ranked first.
 */
record CaseScore(String caseName, String probe, String verdict, String topCause, String topHost,
                 Integer acceptedRank, String firstFix, boolean firstPasses, Set<String> held) {

    static final String CAUSE = "cause";
    static final String PROPOSED = "fix-proposed";
    static final String FIRST = "fix-first";
    static final List<String> CRITERIA = List.of(CAUSE, PROPOSED, FIRST);

    static CaseScore of(RealCase c, NetworkFileReader.Result net, RealCase.Expectation e) {
        List<Probe> all = net.probes().stream().map(ProbeReader.LocatedProbe::probe).toList();
        Probe probe = RealCase.probe(net, e.probe()).probe();
        Why.Result w = new Why(net.network()).explain(probe, all);
        Set<String> held = new TreeSet<>();
        String topCause = null, topHost = null;
        if (!w.findings().isEmpty()) {
            Finding top = w.findings().get(0);
            topCause = top.cause().id();
            topHost = top.host();
            if (topCause.equals(e.cause()) && e.host().equals(topHost)) held.add(CAUSE);
        }
        Integer acceptedRank = null;
        for (RankedFix f : w.fixes()) {
            if (passes(f) && acceptable(f, e)) {
                acceptedRank = f.rank();
                break;
            }
        }
        if (acceptedRank != null) held.add(PROPOSED);
        if (acceptedRank != null && acceptedRank == 1) held.add(FIRST);
        RankedFix first = w.fixes().isEmpty() ? null : w.fixes().get(0);
        String firstFix = first == null ? null : String.join(" ; ",
                first.fix().changes().stream().map(ch -> ch.host() + ": " + ch.command()).toList());
        return new CaseScore(c.name(), e.probe(), w.result().verdict().name(), topCause, topHost, acceptedRank, firstFix,
                first != null && passes(first), held);
    }

    /** Re-simulated with the fix applied, the probe passes. */
    static boolean passes(RankedFix f) {
        return f.verification().error() == null && f.verification().fixesProbe();
    }

    /** The fix contains every change of the thread's fix, or of one accepted alternative. */
    static boolean acceptable(RankedFix f, RealCase.Expectation e) {
        for (List<RealCase.ChangeMatcher> alternative : e.acceptable())
            if (alternative.stream().allMatch(m -> f.fix().changes().stream().anyMatch(ch -> matches(m, ch)))) return true;
        return false;
    }

    private static boolean matches(RealCase.ChangeMatcher m, Change ch) {
        return m.host().equals(ch.host()) && m.command().matcher(ch.command()).find();
    }

    /** One line for the report: the criteria that held, what `why` said, and where the thread's fix ranked. */
    String line(RealCase.Expectation e) {
        StringBuilder sb = new StringBuilder();
        for (String k : CRITERIA) sb.append(held.contains(k) ? '+' : '-').append(k).append(' ');
        sb.append("| ").append(caseName).append(' ').append(probe).append(' ').append(verdict);
        sb.append(" | cause ").append(topCause == null ? "(none)" : topCause + " on " + topHost);
        if (!held.contains(CAUSE)) sb.append(" (thread: ").append(e.cause()).append(" on ").append(e.host()).append(')');
        sb.append(" | thread's fix ").append(acceptedRank == null ? "not proposed" : "rank " + acceptedRank);
        if (firstFix != null && !held.contains(FIRST))
            sb.append(" | first: ").append(firstFix).append(firstPasses ? "" : " (does not pass)");
        return sb.toString();
    }
}
