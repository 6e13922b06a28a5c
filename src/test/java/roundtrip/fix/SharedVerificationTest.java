package roundtrip.fix;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import roundtrip.bench.BundledLab;
import roundtrip.importer.ProbeReader;
import roundtrip.importer.SnapshotLoader;
import roundtrip.model.Network;
import roundtrip.model.Probe;
import roundtrip.diagnose.Diagnoser;
import roundtrip.sim.Simulator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One {@link Why} explaining several probes applies each fix once and simulates each probe once per fix, shared
 * between the probes (and the threads `why` explains them on): what it finds must be what a fresh Why per probe finds,
 * fix for fix, check for check. The bundled lab's probes share fixes and check each other, so the sharing is used.
 */
class SharedVerificationTest {
    @Test
    void probesExplainedTogetherGetWhatEachGetsAlone(@TempDir Path dir) throws Exception {
        BundledLab.extract(dir);
        Network net = SnapshotLoader.load(dir.resolve("snapshot"));
        List<Probe> probes = ProbeReader.read(dir.resolve("probes.json"));

        List<List<Object>> alone = new ArrayList<>();
        for (Probe p : probes) alone.add(describe(new Why(net).explain(p, probes)));

        Why shared = new Why(net);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Why.Result>> together = new ArrayList<>();
            for (Probe p : probes) together.add(pool.submit(() -> shared.explain(p, probes)));
            for (int i = 0; i < probes.size(); i++)
                assertThat(describe(together.get(i).get())).as(probes.get(i).id()).isEqualTo(alone.get(i));
        } finally {
            pool.shutdownNow();
        }
        // the sharing happened: fewer fixes applied than verified
        int verified = alone.stream().mapToInt(d -> d.size() - 1).sum();
        assertThat(shared.fixesApplied()).isPositive().isLessThan(verified);
    }

    /**
     * What the shared results say of each fix is what simulating it from scratch says: the network with the fix applied,
     * a new simulator, the probe and each of its checks run once each. (Comparing one Why with another would not tell
     * a wrong sharing inside one explanation, which both would make alike.)
     */
    @Test
    void eachVerificationIsWhatAFreshSimulationOfTheFixedNetworkGives(@TempDir Path dir) {
        BundledLab.extract(dir);
        Network net = SnapshotLoader.load(dir.resolve("snapshot"));
        List<Probe> probes = ProbeReader.read(dir.resolve("probes.json"));
        Why why = new Why(net);
        int compared = 0;
        for (Probe p : probes) {
            Why.Result r = why.explain(p, probes);
            java.util.Map<String, Probe> checks = new java.util.HashMap<>();
            for (Probe c : why.checks(r.result(), probes)) checks.put(c.id(), c);
            for (RankedFix f : r.fixes()) {
                Verification v = f.verification();
                if (v.error() != null) continue;
                Simulator fresh = new Simulator(new Editor().apply(net, f.fix().changes()));
                assertThat(v.fixesProbe()).as("%s with %s", p.id(), f.fix().id()).isEqualTo(Diagnoser.passes(fresh.run(p, false)));
                for (Verification.Check c : v.checks()) {
                    assertThat(checks).as("check %s of %s", c.probe(), p.id()).containsKey(c.probe());
                    assertThat(c.after()).as("%s after %s (for %s)", c.probe(), f.fix().id(), p.id())
                            .isEqualTo(Diagnoser.passes(fresh.run(checks.get(c.probe()), false)));
                    compared++;
                }
            }
        }
        assertThat(compared).isGreaterThan(50);
    }

    /** The verdict, then per ranked fix: rank, commands, verification (checks, regressions, error, progress). */
    private static List<Object> describe(Why.Result r) {
        List<Object> out = new ArrayList<>(List.of(r.result().verdict()));
        for (RankedFix f : r.fixes()) {
            List<String> commands = f.fix().changes().stream().map(Why::line).toList();
            out.add(List.of(f.rank(), commands, f.verification()));
        }
        return out;
    }
}
