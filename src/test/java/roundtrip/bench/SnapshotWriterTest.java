package roundtrip.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import roundtrip.importer.ProbeReader;
import roundtrip.importer.SnapshotLoader;
import roundtrip.model.Network;
import roundtrip.model.Probe;
import roundtrip.sim.ProbeResult;
import roundtrip.sim.Simulator;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotWriterTest {
    @Test void writtenSnapshotLoadsAndSimulatesAlike(@TempDir Path tmp) {
        NetworkGenerator.Generated g = NetworkGenerator.generate(new NetworkGenerator.Config(60, 2_000, 300, 150, 3), null);
        Path dir = tmp.resolve("gen");
        SnapshotWriter.write(g, dir);
        Network loaded = SnapshotLoader.load(dir);
        assertThat(loaded.hosts().keySet()).containsExactlyElementsOf(g.network().hosts().keySet());
        // a generated host whose listening sockets are unknown has no ss-listen.txt, and the loader says so
        // (the generated rules name tunnel devices the hosts do not have: the loader warns at them, see AbsentNames)
        loaded.hosts().values().forEach(h -> assertThat(h.problems()).as(h.name()).map((p -> p.message().english()))
                .filteredOn(m -> !m.startsWith("no interface \"tun")).isSubsetOf(g.network().host(h.name()).listeners() == null ? List.of("not collected: ss-listen.txt (every probed port taken as open)")
                        : List.of()));
        List<Probe> probes = ProbeReader.readLocated(dir.resolve("probes.json")).stream().map(ProbeReader.LocatedProbe::probe).toList();
        assertThat(probes).hasSize(g.probes().size());
        Simulator a = new Simulator(g.network()), b = new Simulator(loaded);
        for (int i = 0; i < probes.size(); i++) {
            ProbeResult ra = a.run(g.probes().get(i), false), rb = b.run(probes.get(i), false);
            assertThat(rb.verdict()).as(probes.get(i).describe()).isEqualTo(ra.verdict());
            assertThat(rb.request().delivered()).isEqualTo(ra.request().delivered());
            assertThat(rb.reply().delivered()).isEqualTo(ra.reply().delivered());
        }
    }
}
