package roundtrip.fix;

import org.junit.jupiter.api.Test;
import roundtrip.model.Network;
import roundtrip.model.Probe;
import roundtrip.sim.ProbeResult;
import roundtrip.sim.Simulator;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A simulator that takes over the kernels of the hosts a fix did not touch (what verifying a fix does) simulates the
 * edited network exactly as one built from scratch: every probe of the story, traced, before and after the fix.
 */
class KernelReuseTest {
    @Test
    void reusedKernelsSimulateAsNewOnes() {
        StoryFixture s = new StoryFixture("s09-phantun-stage2-forward-drop");
        Simulator original = new Simulator(s.net);
        // each fix why proposes for each probe: an edited network sharing every other host with the original
        int compared = 0;
        for (Probe p : s.probes) {
            for (RankedFix f : s.why.explain(p, s.probes).fixes()) {
                Network changed = new Editor().apply(s.net, f.fix().changes());
                Simulator reused = new Simulator(changed, original), fresh = new Simulator(changed);
                for (Probe q : s.probes) {
                    assertThat(describe(reused.run(q, true))).as("%s after %s", q.id(), f.fix().id()).isEqualTo(describe(fresh.run(q, true)));
                    compared++;
                }
                // and the original is not changed by having lent its kernels
                for (Probe q : s.probes) assertThat(describe(original.run(q, true))).isEqualTo(describe(new Simulator(s.net).run(q, true)));
            }
        }
        assertThat(compared).isPositive();
    }

    /** The result as data: verdict, halves, notes, uncertainties and every phase's steps. */
    private static List<Object> describe(ProbeResult r) {
        List<Object> out = new ArrayList<>(List.of(r.verdict(), String.valueOf(r.request()), String.valueOf(r.reply()),
                String.valueOf(r.data()), r.notes(), r.uncertain()));
        for (ProbeResult.Phase ph : r.phases()) out.add(ph.steps().toString());
        return out;
    }
}
