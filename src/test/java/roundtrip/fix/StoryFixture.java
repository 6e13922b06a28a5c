package roundtrip.fix;

import roundtrip.importer.ProbeReader;
import roundtrip.importer.SnapshotLoader;
import roundtrip.model.Network;
import roundtrip.model.Probe;

import java.nio.file.Path;
import java.util.List;

/** A snapshot under src/test/resources/why/NAME (built from the scenario of that name by LabMain) with its probes. */
final class StoryFixture {
    final Path dir;
    final Network net;
    final List<Probe> probes;
    final Why why;

    StoryFixture(String name) {
        dir = Path.of("src/test/resources/why", name);
        net = SnapshotLoader.load(dir.resolve("snapshot"));
        probes = ProbeReader.readLocated(dir.resolve("probes.json")).stream().map(ProbeReader.LocatedProbe::probe).toList();
        why = new Why(net);
    }

    Probe probe(String id) {
        return probes.stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
    }

    Why.Result explain(String probeId) { return why.explain(probe(probeId), probes); }

    static List<String> commands(RankedFix f) { return f.fix().changes().stream().map(Change::command).toList(); }

    static List<String> hosts(RankedFix f) { return f.fix().changes().stream().map(Change::host).distinct().toList(); }

    /** A network file read for a test: its network, its probes, and why's answer for one of them. */
    record NetFile(roundtrip.model.Network net, List<roundtrip.model.Probe> probes) {
        static NetFile read(String yaml) {
            roundtrip.importer.NetworkFileReader.Result r = roundtrip.importer.NetworkFileReader.parse("test.yaml", yaml, java.nio.file.Path.of("."));
            return new NetFile(r.network(), r.probes().stream().map(roundtrip.importer.ProbeReader.LocatedProbe::probe).toList());
        }
        roundtrip.model.Probe probe(String id) { return probes.stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow(); }
        Why.Result explain(String id) { return explain(probe(id)); }
        Why.Result explain(roundtrip.model.Probe p) { return new Why(net).explain(p, probes); }
        /** Every host's warnings. */
        List<roundtrip.model.Problem> warnings() { return net.hosts().values().stream().flatMap(h -> h.problems().stream()).toList(); }
    }

    /** The fix of {@code w} with that id (an assertion error listing the ids when there is none). */
    static RankedFix fix(Why.Result w, String id) {
        return w.fixes().stream().filter(f -> f.fix().id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no fix " + id + " in " + w.fixes().stream().map(f -> f.fix().id()).toList()));
    }

    /** The fix applies, makes the probe pass when simulated again, and breaks no other probe. */
    static void passes(RankedFix f) {
        org.assertj.core.api.Assertions.assertThat(f.verification().error()).as("applies").isNull();
        org.assertj.core.api.Assertions.assertThat(f.verification().fixesProbe()).as(f.fix().id() + " passes when simulated again").isTrue();
        org.assertj.core.api.Assertions.assertThat(f.verification().regressions()).as("regressions").isEmpty();
    }
}
