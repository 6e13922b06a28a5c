package roundtrip.lab;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import roundtrip.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * §5 truth: every scenario under src/test/resources/scenarios is built in network namespaces and probed
 * for real. First the real kernel must do what the scenario claims (its probes' {@code expect}); then the
 * simulator, run on the snapshot collected from those namespaces, must agree with the kernel probe by probe.
 * Hosts with nftables rules are simulated twice: from {@code nft -j list ruleset} (nft.json) and from the text
 * {@code nft list ruleset} prints (nft.txt, as users paste it), and both must agree with the kernel.
 * A failed scenario keeps its snapshot under target/conformance/NAME/ for debugging.
 * Run one scenario with {@code -Droundtrip.scenario=NAME}. The scenarios' labs run side by side ({@link LabPool}).
 */
@Execution(ExecutionMode.CONCURRENT)   // beside the other suites: its labs have their own namespaces
class ConformanceTest {
    private static final Path SCENARIOS = Path.of("src/test/resources/scenarios");
    private static final Path OUTPUT = Path.of("target/conformance");
    /** -Droundtrip.kernelOnly=true: only the real-kernel checks (e.g. scenarios whose probes the simulator cannot run yet). */
    private static final boolean KERNEL_ONLY = Boolean.getBoolean("roundtrip.kernelOnly");

    /** Per family: probes compared with the real kernel, and those the simulator (snapshot) agreed on. */
    private static final Map<String, java.util.concurrent.atomic.AtomicIntegerArray> TALLY = new java.util.concurrent.ConcurrentSkipListMap<>();

    @org.junit.jupiter.api.AfterAll
    static void printTally() {
        TALLY.forEach((family, n) -> System.out.printf("conformance %s: %d probes compared with the real kernel, %d agree%n",
                family, n.get(0), n.get(1)));
    }

    @TestFactory
    @Execution(ExecutionMode.SAME_THREAD)   // its labs run side by side in LabPool; the tests wait in order
    Stream<DynamicNode> scenarios() throws IOException {
        var reason = Lab.unavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "conformance suite skipped: " + reason);
        deleteTree(OUTPUT.resolve("logs")); // one run's logs at a time
        String only = System.getProperty("roundtrip.scenario", "");
        List<Path> files;
        try (Stream<Path> list = Files.list(SCENARIOS)) {
            files = list.filter(p -> p.toString().endsWith(".yaml"))
                    .filter(p -> only.isEmpty() || p.getFileName().toString().startsWith(only))
                    .sorted().toList();
        }
        // every scenario's lab starts now, side by side (LabPool); each test waits for its own
        return files.stream().map(this::scenarioTests).toList().stream();
    }

    private DynamicNode scenarioTests(Path file) {
        Run run = new Run(file);
        return DynamicContainer.dynamicContainer(file.getFileName().toString(), Stream.of(
                DynamicTest.dynamicTest("real kernel gives the claimed verdicts", LabPool.started(run::checkRealKernel)),
                DynamicTest.dynamicTest("simulator agrees with the real kernel", run::checkSimulator)));
    }

    /** One scenario: built once, probed once, then judged twice. */
    private static final class Run {
        final Path file;
        Scenario scenario;
        Path dir;
        List<ProbeResult> real;
        Path log;
        boolean failed;

        Run(Path file) { this.file = file; }

        void checkRealKernel() throws IOException {
            try {
                scenario = Scenario.load(file);
                dir = OUTPUT.resolve(scenario.name);
                deleteTree(dir);
                try (Lab lab = Lab.build(scenario, OUTPUT.resolve("logs"))) {
                    log = lab.logFile();
                    lab.writeSnapshot(dir.resolve("snapshot"));
                    lab.writeProbes(dir.resolve("probes.json"));
                    for (var h : scenario.hosts.entrySet())
                        if (!h.getValue().nft.isBlank() || !h.getValue().nftJson.isBlank()) {
                            Files.createDirectories(dir.resolve("nft-text"));
                            Files.writeString(dir.resolve("nft-text").resolve(h.getKey() + ".txt"),
                                    lab.outputOf(h.getKey(), "nft", "list", "ruleset"));
                        }
                    real = lab.runProbes();
                }
                Files.writeString(dir.resolve("real-results.json"),
                        "[\n" + String.join(",\n", real.stream().map(ProbeResult::toJson).toList()) + "\n]\n");
                List<String> wrong = new ArrayList<>();
                for (int i = 0; i < real.size(); i++) {
                    Scenario.ProbeSpec p = scenario.probes.get(i);
                    ProbeResult r = real.get(i);
                    if (p.expect != null && !p.expect.equals(r.verdict()))
                        wrong.add(p.id + ": claimed " + p.expect + ", real kernel " + r.verdict() + " " + r.toJson());
                    if (p.expectData != null && !p.expectData.equals(r.dataDelivered()))
                        wrong.add(p.id + ": claimed data delivered " + p.expectData + ", real kernel " + r.dataDelivered() + " " + r.toJson());
                }
                assertThat(wrong).as("%s: the scenario does not show what it claims (snapshot %s, log %s)",
                        scenario.name, dir.toAbsolutePath(), log).isEmpty();
            } catch (Throwable t) {
                failed = true;
                throw t;
            }
        }

        void checkSimulator() throws IOException {
            Assumptions.assumeTrue(real != null, "the real-kernel step did not produce results");
            if (KERNEL_ONLY) {
                deleteTree(dir);
                Assumptions.abort("roundtrip.kernelOnly: the simulator is not compared");
            }
            try {
                List<String> mismatches = SimulatorComparison.mismatches(real, runSimulator(dir.resolve("snapshot")));
                tally(mismatches);
                assertThat(mismatches).as("%s: simulator and kernel disagree (snapshot %s)",
                        scenario.name, dir.resolve("snapshot").toAbsolutePath()).isEmpty();
                if (scenario.network != null) {
                    // the same network as the user writes it (a wg-quick file as it is, say), read as a network file
                    Path network = file.resolveSibling(scenario.network);
                    List<String> fromFile = SimulatorComparison.mismatches(real, runSimulator(network, dir.resolve("network")));
                    assertThat(fromFile).as("%s: simulator on the network file %s and kernel disagree", scenario.name, network).isEmpty();
                }
                Path texts = dir.resolve("nft-text");
                if (Files.isDirectory(texts)) {
                    // the same hosts with their nft rules read from `nft list ruleset` text instead of JSON
                    Path textSnapshot = dir.resolve("snapshot-nft-text");
                    copyTree(dir.resolve("snapshot"), textSnapshot);
                    try (Stream<Path> files = Files.list(texts)) {
                        for (Path t : files.toList()) {
                            Path host = textSnapshot.resolve(t.getFileName().toString().replace(".txt", ""));
                            Files.deleteIfExists(host.resolve("nft.json"));
                            Files.copy(t, host.resolve("nft.txt"));
                        }
                    }
                    List<String> fromText = SimulatorComparison.mismatches(real, runSimulator(textSnapshot));
                    assertThat(fromText).as("%s: simulator on nft list ruleset text and kernel disagree (snapshot %s)",
                            scenario.name, textSnapshot.toAbsolutePath()).isEmpty();
                }
            } catch (org.opentest4j.TestAbortedException skipped) {
                throw skipped;
            } catch (Throwable t) {
                failed = true;
                throw t;
            } finally {
                if (!failed) deleteTree(dir); // failed scenarios keep their snapshot for debugging
            }
        }

        /** Counts this scenario's probes by the family of their destination, and those the simulator agreed on. */
        private void tally(List<String> mismatches) {
            for (Scenario.ProbeSpec p : scenario.probes) {
                String family = p.to != null && p.to.contains(":") ? "IPv6" : "IPv4";
                boolean agrees = mismatches.stream().noneMatch(m -> m.startsWith(p.id + ": "));
                TALLY.computeIfAbsent(family, f -> new java.util.concurrent.atomic.AtomicIntegerArray(2)).incrementAndGet(0);
                if (agrees) TALLY.get(family).incrementAndGet(1);
            }
        }

        /** Runs "check" on the collected snapshot; returns the simulator's result objects by probe id. */
        private Map<String, JsonNode> runSimulator(Path snapshot) throws IOException {
            return runSimulator(null, snapshot);
        }

        /** With {@code networkFile}: "check --network FILE"; the output is kept next to {@code output}. */
        private Map<String, JsonNode> runSimulator(Path networkFile, Path snapshot) throws IOException {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit;
            try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                 PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                exit = networkFile != null
                        ? Main.run(o, e, "check", "--network", networkFile.toString(),
                                "--probes", dir.resolve("probes.json").toString(), "--format", "json")
                        : Main.run(o, e, "check", "--snapshot", snapshot.toString(),
                                "--probes", dir.resolve("probes.json").toString(), "--format", "json");
            } catch (UnsupportedOperationException notYet) {
                Assumptions.abort("simulator not available yet (roundtrip.cli.Main: " + notYet.getMessage()
                        + "); the real-kernel verdicts were checked");
                throw notYet;
            }
            String text = out.toString(StandardCharsets.UTF_8);
            Files.writeString(snapshot.resolveSibling(snapshot.getFileName() + "-simulated.json"), text);
            Map<String, JsonNode> byId = SimulatorComparison.resultsById(text);
            assertThat(byId).as("simulator output (exit %d) has no results: %s %s", exit, text,
                    err.toString(StandardCharsets.UTF_8)).isNotEmpty();
            return byId;
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        deleteTree(to);
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
