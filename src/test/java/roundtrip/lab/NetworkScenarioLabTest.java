package roundtrip.lab;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import roundtrip.importer.ProbeReader;
import roundtrip.importer.SnapshotLoader;
import roundtrip.model.Host;
import roundtrip.model.Network;
import roundtrip.model.Probe;
import roundtrip.model.Route;
import roundtrip.model.Rule;
import roundtrip.sim.Simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `lab verify --snapshot` rebuilds a network it was given, not a scenario: on the real kernel (root only), every
 * snapshot under src/test/resources/why (each collected from real namespaces) is rebuilt by {@link NetworkScenario},
 * collected again, and must come back with the same routes, rules and iptables rules per host; then every probe is
 * run for real and must give the verdict the simulation gives for the original snapshot.
 */
@Execution(ExecutionMode.CONCURRENT)   // beside the other suites: its labs have their own namespaces
class NetworkScenarioLabTest {
    private static final Path WHY = Path.of("src/test/resources/why");

    @TestFactory
    @Execution(ExecutionMode.SAME_THREAD)   // its labs run side by side in LabPool; the tests wait in order
    Stream<DynamicTest> rebuiltSnapshotsBehaveLikeTheOriginal() throws IOException {
        var reason = Lab.unavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "lab skipped: " + reason);
        List<Path> dirs;
        try (Stream<Path> s = Files.list(WHY)) {
            String only = System.getProperty("roundtrip.scenario", "");  // the conformance suite's filter, by name prefix
            dirs = s.filter(Files::isDirectory).filter(d -> d.getFileName().toString().startsWith(only)).sorted().toList();
        }
        // all labs start now, side by side (LabPool); each test waits for its own
        return dirs.stream().map(dir -> DynamicTest.dynamicTest(dir.getFileName().toString(), LabPool.started(() -> check(dir))))
                .toList().stream();
    }

    private static void check(Path dir) throws IOException {
        Network original = SnapshotLoader.load(dir.resolve("snapshot"));
        List<Probe> probes = ProbeReader.readLocated(dir.resolve("probes.json")).stream().map(ProbeReader.LocatedProbe::probe).toList();
        Simulator sim = new Simulator(original);
        Map<String, String> simulated = new LinkedHashMap<>();
        for (Probe p : probes) simulated.put(p.id(), sim.run(p, false).verdict().name());
        NetworkScenario.Result built;
        try {
            built = NetworkScenario.of(original, probes, sim, dir.getFileName().toString());
        } catch (NetworkScenario.Unbuildable e) {
            // only the snapshots taken after redirect-gateway without def1 lack the route the client connected by
            assertThat(dir.getFileName().toString()).as("refused: " + e.getMessage()).startsWith("s08-ovpn-redirect-gateway");
            Assumptions.abort("not rebuildable: " + e.getMessage());
            return;
        }
        Path work = Path.of("target/network-scenario", dir.getFileName().toString());
        deleteRecursively(work); // a previous run's snapshot would make this one's collection fail
        try (Lab lab = Lab.build(built.scenario(), work.resolve("logs"))) {
            lab.writeSnapshot(work.resolve("snapshot"));
            Network rebuilt = SnapshotLoader.load(work.resolve("snapshot"));
            for (Host h : original.hosts().values()) {
                Host r = rebuilt.host(h.name());
                assertThat(routes(r)).as(h.name() + " routes").isEqualTo(routes(h));
                assertThat(rules(r)).as(h.name() + " rules").isEqualTo(rules(h));
                assertThat(roundtrip.fix.Editor.iptablesText(r) == null ? "" : iptablesRules(roundtrip.fix.Editor.iptablesText(r)))
                        .as(h.name() + " iptables").isEqualTo(roundtrip.fix.Editor.iptablesText(h) == null ? "" : iptablesRules(roundtrip.fix.Editor.iptablesText(h)));
            }
            Map<String, String> real = new LinkedHashMap<>();
            for (ProbeResult r : lab.runProbes()) real.put(r.id(), r.verdict());
            assertThat(real).as("real kernel vs simulation of the original snapshot").isEqualTo(simulated);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    /** The routes, without the IPv6 state each namespace makes by itself (link-local addresses differ with every MAC). */
    private static Set<String> routes(Host h) {
        return h.routes().stream().filter(r -> !roundtrip.importer.KernelRoutes.isAutomatic(r)).map(r -> r.family() + " " + r.text())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The rules of each family; a family a snapshot has no rule file for has the kernel's (the collector may add ip6-rule.json). */
    private static Set<String> rules(Host h) {
        Set<String> out = new TreeSet<>();
        for (roundtrip.model.Ip.Family f : roundtrip.model.Ip.Family.values()) {
            List<Rule> of = h.rules().stream().filter(r -> r.family() == f).toList();
            if (of.isEmpty()) of = Rule.kernelDefaults(f, roundtrip.model.Source.NONE);
            for (Rule r : of) out.add(f + " " + r.text());
        }
        return out;
    }

    /** The rules and policies of an iptables-save text, without comments and counters. */
    private static String iptablesRules(String text) {
        return text.lines().filter(l -> !l.startsWith("#")).map(l -> l.replaceAll("\\[\\d+:\\d+\\]", "")).collect(Collectors.joining("\n"));
    }
}
