package roundtrip.importer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import roundtrip.bench.NetworkGenerator;
import roundtrip.bench.SnapshotWriter;
import roundtrip.model.InputException;
import roundtrip.model.Network;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A snapshot of many hosts is read on several threads: the same network, and the same first error. */
class ParallelLoadTest {
    @TempDir Path dir;

    @Test
    void manyHostsLoadInNameOrderWithEverythingTheyHold() {
        NetworkGenerator.Generated g = NetworkGenerator.generate(new NetworkGenerator.Config(40, 800, 100, 10, 7), s -> {});
        SnapshotWriter.write(g, dir);
        Network n = SnapshotLoader.load(dir);
        assertThat(n.hosts()).hasSizeGreaterThanOrEqualTo(SnapshotLoader.PARALLEL_FROM);
        List<String> names = List.copyOf(n.hosts().keySet());
        assertThat(names).isSorted().hasSize(g.network().hosts().size());
        for (String h : names) {
            assertThat(n.host(h).routes().size()).as(h).isEqualTo(g.network().host(h).routes().size());
            assertThat(n.host(h).interfaces().keySet()).as(h).isEqualTo(g.network().host(h).interfaces().keySet());
        }
    }

    @Test
    void theErrorIsTheFirstMalformedHostsInNameOrder() throws Exception {
        NetworkGenerator.Generated g = NetworkGenerator.generate(new NetworkGenerator.Config(40, 800, 100, 10, 7), s -> {});
        SnapshotWriter.write(g, dir);
        List<String> names = List.copyOf(SnapshotLoader.load(dir).hosts().keySet());
        String first = names.get(3), later = names.get(names.size() - 2);
        Files.writeString(dir.resolve(later).resolve("ip-route.json"), "[{\"dst\": ");
        Files.writeString(dir.resolve(first).resolve("ip-route.json"), "[{\"dst\": ");
        for (int i = 0; i < 5; i++)
            assertThatThrownBy(() -> SnapshotLoader.load(dir)).isInstanceOf(InputException.class)
                    .satisfies(e -> assertThat(((InputException) e).oneLine()).contains(first + "/ip-route.json"));
    }
}
