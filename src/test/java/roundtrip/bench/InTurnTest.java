package roundtrip.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Two builds measured in turn in one process: each has its own copy of roundtrip's classes, and both are measured. */
class InTurnTest {
    private static Path thisBuild() throws Exception {
        return Path.of(InTurn.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void eachBuildHasItsOwnRoundtripClassesAndSharesTheLibraries() throws Exception {
        ClassLoader a = InTurn.loaderFor(thisBuild()), b = InTurn.loaderFor(thisBuild());
        Class<?> simA = a.loadClass("roundtrip.sim.Simulator"), simB = b.loadClass("roundtrip.sim.Simulator");
        assertThat(simA).isNotSameAs(roundtrip.sim.Simulator.class).isNotSameAs(simB);
        assertThat(simA.getClassLoader()).isSameAs(a);
        assertThat(a.loadClass("picocli.CommandLine")).isSameAs(picocli.CommandLine.class);
        assertThat(a.loadClass("java.lang.String")).isSameAs(String.class);
    }

    @Test
    void bothBuildsAreMeasuredInEveryRound() throws Exception {
        java.util.List<String> heard = new java.util.ArrayList<>();
        InTurn.Result r = InTurn.compare(thisBuild(), thisBuild(), new NetworkGenerator.Config(12, 100, 30, 10, 5), 1, 3, 0.05,
                false, heard::add);
        assertThat(r.a().perCpuSecond()).hasSize(3);
        assertThat(r.b().perCpuSecond()).hasSize(3);
        assertThat(java.util.stream.DoubleStream.concat(java.util.Arrays.stream(r.a().perCpuSecond()),
                java.util.Arrays.stream(r.b().perCpuSecond()))).allMatch(f -> f > 0);
        // at least the one warm-up round asked for (more while the JIT compiler is busy), then the three that count
        assertThat(heard).filteredOn(m -> m.startsWith("warm-up round ")).isNotEmpty();
        assertThat(heard).filteredOn(m -> m.startsWith("round ")).hasSize(3);
        assertThat(heard.get(heard.size() - 1)).startsWith("round 3/3: ");
        assertThat(r.bFaster()).isBetween(0, 3);
        assertThat(r.medianRatio()).isPositive();
        assertThat(r.a().spread().min()).isLessThanOrEqualTo(r.a().spread().median()).isLessThanOrEqualTo(r.a().spread().max());
    }

    @Test
    void theRatioIsTheMedianOfTheRoundsRatiosAndFasterCountsRounds() {
        InTurn.Result r = new InTurn.Result(new InTurn.Side(Path.of("a"), new double[] {100, 100, 100}),
                new InTurn.Side(Path.of("b"), new double[] {90, 120, 150}));
        assertThat(r.bFaster()).isEqualTo(2);
        assertThat(r.medianRatio()).isEqualTo(1.2);
        assertThat(r.b().spread().median()).isEqualTo(120);
    }

    /** The other build's classes come from its own path: a directory without them cannot be measured, whatever runs. */
    @Test
    void theOtherBuildsClassesComeFromItsPath(@org.junit.jupiter.api.io.TempDir Path empty) {
        assertThatThrownBy(() -> InTurn.compare(empty, thisBuild(), new NetworkGenerator.Config(12, 100, 30, 10, 5), 0, 1, 0.01, false, s -> {}))
                .isInstanceOf(ClassNotFoundException.class).hasMessageContaining("roundtrip.bench.NetworkGenerator");
    }

    /** In processes of their own, a build without roundtrip's classes is bad input, one line naming what was missing. */
    @Test
    void aProcessThatCannotSimulateTheBuildIsBadInput(@org.junit.jupiter.api.io.TempDir Path empty) {
        assertThatThrownBy(() -> InTurn.compareInProcesses(empty, thisBuild(), new NetworkGenerator.Config(12, 100, 30, 10, 5), 0, 1,
                0.01, 1, (r, n) -> {}))
                .isInstanceOf(roundtrip.model.InputException.class)
                .hasMessageContaining("cannot simulate with this build: java.lang.ClassNotFoundException: roundtrip.bench.NetworkGenerator");
    }

    @Test
    void aMissingBuildIsBadInput() {
        assertThatThrownBy(() -> InTurn.compare(Path.of("no-such.jar"), Path.of("no-such.jar"),
                new NetworkGenerator.Config(12, 100, 30, 10, 5), 0, 1, 0.01, false, s -> {}))
                .isInstanceOfSatisfying(roundtrip.model.InputException.class, e -> assertThat(e.oneLine()).contains("no-such.jar"));
    }
}
