package roundtrip.fix;

import roundtrip.diagnose.Finding;
import roundtrip.model.Host;
import roundtrip.model.Network;
import roundtrip.model.Route;
import roundtrip.model.Rule;
import roundtrip.model.Source;
import roundtrip.sim.Half;

import java.util.ArrayList;
import java.util.List;

/**
 * What `why` prints as written, in any language: the network's routes and rules as `ip` prints them, the
 * configuration lines quoted as evidence or as the rule that dropped a packet, and the fixes' commands.
 */
public final class VerbatimTexts {
    private VerbatimTexts() {}

    public static List<String> of(Network net, List<Why.Result> results) {
        List<String> out = new ArrayList<>();
        for (Host h : net.hosts().values()) {
            for (Route r : h.routes()) out.add(r.text());
            for (Rule r : h.rules()) { out.add(r.text()); out.add(r.text().replace('\t', ' ')); }
        }
        for (Why.Result w : results) {
            for (Finding f : w.findings()) if (f.evidence() != null) out.add(f.evidence().text());
            for (Half half : new Half[] {w.result().request(), w.result().reply(), w.result().data()})
                if (half != null && half.lostAt() != null && half.lostAt().source() != Source.NONE) out.add(half.lostAt().source().text());
            for (RankedFix f : w.fixes()) for (Change c : f.fix().changes()) out.add(c.command());
        }
        return out;
    }
}
