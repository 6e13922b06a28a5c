package roundtrip.sim;

import org.junit.jupiter.api.Test;
import roundtrip.bench.NetworkGenerator;
import roundtrip.importer.NetworkFileReader;
import roundtrip.model.Network;
import roundtrip.model.Probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run without a trace takes shortcuts a traced run cannot (chains that pass everything are skipped, no step is
 * built), and matrix and bench only run untraced: both must come to the same verdict, at the same place, for the same
 * reason, with the same uncertainties and notes. Checked on generated networks (NAT, marks, user chains, DROP
 * policies, policy routing), on every network file of the real cases and the examples, and on every bundled snapshot
 * that comes with a probe file (collected from namespaces: WireGuard, OpenVPN, NAT, bridges, IPv6). The same for
 * {@link Simulator.Reusing}, matrix's runner, whose tables are emptied between probes rather than made anew.
 */
class UntracedRunTest {
    @Test void generatedNetworksAgreeTracedAndUntraced() {
        for (long seed = 1; seed <= 3; seed++) {
            NetworkGenerator.Generated g = NetworkGenerator.generate(new NetworkGenerator.Config(60, 3000, 300, 300, seed), s -> { });
            int compared = compare("generated seed " + seed, g.network(), g.probes());
            assertThat(compared).isEqualTo(300);
        }
    }

    @Test void networkFilesAgreeTracedAndUntraced() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String root : List.of("src/test/resources/cases", "examples")) {
            try (Stream<Path> s = Files.walk(Path.of(root))) {
                s.filter(p -> List.of("network.yaml", "fixed.yaml", "network-fixed.yaml").contains(p.getFileName().toString()))
                        .sorted().forEach(files::add);
            }
        }
        assertThat(files).hasSizeGreaterThan(60);
        int probes = 0;
        for (Path f : files) {
            NetworkFileReader.Result r = NetworkFileReader.read(f);
            probes += compare(f.toString(), r.network(), r.probes().stream().map(p -> p.probe()).toList());
        }
        assertThat(probes).isGreaterThan(100);
    }

    @Test void snapshotsAgreeTracedAndUntraced() throws IOException {
        List<Path> dirs = new ArrayList<>();
        for (String root : List.of("src/test/resources", "src/main/resources", "examples")) {
            try (Stream<Path> s = Files.walk(Path.of(root))) {
                s.filter(p -> p.getFileName().toString().equals("snapshot") && Files.isDirectory(p)
                        && Files.isRegularFile(p.resolveSibling("probes.json"))).sorted().forEach(dirs::add);
            }
        }
        assertThat(dirs).hasSizeGreaterThan(25);
        int probes = 0;
        for (Path d : dirs)
            probes += compare(d.toString(), roundtrip.importer.SnapshotLoader.load(d),
                    roundtrip.importer.ProbeReader.read(d.resolveSibling("probes.json")));
        assertThat(probes).isGreaterThan(100);
    }

    private static int compare(String what, Network net, List<Probe> probes) {
        Simulator sim = new Simulator(net);
        // matrix's runner: one set of tables for every probe, emptied in between; each probe twice in a row, so that
        // whatever the first left (a connection, a learned endpoint) would decide the second
        Simulator.Reusing reused = sim.reusing();
        int n = 0;
        for (Probe p : probes) {
            ProbeResult traced = sim.run(p, true), untraced = sim.run(p, false);
            assertThat(summary(untraced)).as(what + " probe " + p.id()).isEqualTo(summary(traced));
            for (int again = 0; again < 2; again++)
                assertThat(summary(reused.run(p, false))).as(what + " probe " + p.id() + ", reused tables").isEqualTo(summary(traced));
            n++;
        }
        return n;
    }

    private static String summary(ProbeResult r) {
        return r.verdict() + "\nrequest " + half(r.request()) + "\nreply " + half(r.reply()) + "\ndata " + half(r.data())
                + "\nuncertain " + r.uncertain().stream().map(u -> u.source() + " " + u.message().english()).toList()
                + "\nnotes " + r.notes().stream().map(m -> m.english()).toList();
    }

    private static String half(Half h) {
        if (h == null) return "-";
        LostAt l = h.lostAt();
        return h.delivered() + " " + h.deliveredTo() + " " + h.deliveredPort()
                + (l == null ? "" : " lost at " + l.host() + " " + l.stage() + " " + l.reason().english() + " " + l.source() + " " + l.why());
    }
}
