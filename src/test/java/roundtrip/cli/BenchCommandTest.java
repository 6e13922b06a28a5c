package roundtrip.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** bench prints issue 13's round-trip figure as the median of its rounds, next to the goal; bad options are bad input. */
class BenchCommandTest {
    @Test
    void theRoundTripFigureIsTheMedianOfItsRoundsBesideTheGoal() {
        CliTest.Run r = CliTest.run("bench", "--oneshot-rounds", "0", "--no-matrix", "--hosts", "20", "--rules", "200",
                "--routes", "40", "--probes", "20", "--seconds", "0.3", "--warmup", "0.1", "--warmup-max", "1", "--rounds", "3");
        assertThat(r.exit()).as(r.err()).isZero();
        // --warmup-max bounds the warm-up however busy the JIT compiler still is
        assertThat(r.out()).containsPattern("round trips/s, 1 thread: .* per CPU second, median of 3 rounds \\([0-9,]+-[0-9,]+\\), after [01] s of warm-up\\)")
                .containsPattern("heap allocated per round trip, 1 thread: [0-9,]+ bytes")
                .containsPattern("goal >= 100,000 round trips per CPU second, 1 thread \\(issue 13\\): [0-9,]+, (met|NOT met)")
                .containsPattern("machine reference \\(sorting 1M ints, median of 7\\): [0-9]+\\.[0-9] ms when bench started, [0-9]+\\.[0-9] ms when it ended");
    }

    @Test
    void noRoundsIsBadInput() {
        CliTest.Run r = CliTest.run("bench", "--oneshot-rounds", "0", "--no-matrix", "--rounds", "0");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("roundtrip: (command line): --rounds must be at least 1\n");
    }

    @Test
    void theMatrixProcessesWarningsAreCountedAndItsProgressPassedOn() throws Exception {
        String stderr = "roundtrip: warning: big/h1: not collected: ss-listen.txt (every probed port taken as open)\n"
                + "roundtrip: warning: big/h2: not collected: ss-listen.txt (every probed port taken as open)\n"
                + "matrix: 10 of 20 pairs (50%), 2 s, about 2 s left\n"
                + "matrix: 20 pairs in 4.0 s\n";
        java.io.ByteArrayOutputStream shown = new java.io.ByteArrayOutputStream();
        BenchCommand.StderrRelay relay = new BenchCommand.StderrRelay(
                new java.io.ByteArrayInputStream(stderr.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                new java.io.PrintStream(shown, true, java.nio.charset.StandardCharsets.UTF_8));
        relay.start();
        relay.join(10_000);
        assertThat(shown.toString(java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("matrix: 10 of 20 pairs (50%), 2 s, about 2 s left\nmatrix: 20 pairs in 4.0 s\n");
        assertThat(relay.warnings).isEqualTo(2);
        assertThat(relay.firstWarning).isEqualTo("big/h1: not collected: ss-listen.txt (every probed port taken as open)");
    }
}
