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
                .containsPattern("goal >= 100,000 round trips per CPU second, 1 thread, on the default bench network \\(issue 13\\): "
                        + "[0-9,]+, not the default network \\(bench without --hosts, --rules, --routes, --probes and --seed measures it\\)")
                .containsPattern("machine reference \\(sorting 1M ints, median of 7\\): [0-9]+\\.[0-9] ms when bench started, [0-9]+\\.[0-9] ms when it ended");
    }

    /** The round-trip goal is judged on the default bench network only; elsewhere the figure is given without a verdict. */
    @Test
    void theRoundTripGoalIsJudgedOnTheDefaultNetworkOnly() {
        assertThat(BenchCommand.roundTripGoal(150_879, true, false))
                .isEqualTo("goal >= 100,000 round trips per CPU second, 1 thread, on the default bench network (issue 13): 150,879, met");
        assertThat(BenchCommand.roundTripGoal(93_457, true, false)).endsWith(": 93,457, NOT met");
        assertThat(BenchCommand.roundTripGoal(93_457, false, false)).endsWith(": 93,457, not the default network "
                + "(bench without --hosts, --rules, --routes, --probes and --seed measures it)");
        assertThat(BenchCommand.roundTripGoal(150_879, true, true)).startsWith("目标：").endsWith("150,879，达到");
        assertThat(BenchCommand.roundTripGoal(93_457, false, true)).contains("不是默认网络");
        // and bench on the default network (briefly measured) gives a verdict
        CliTest.Run r = CliTest.run("bench", "--oneshot-rounds", "0", "--no-matrix", "--seconds", "0.2", "--warmup", "0.1",
                "--warmup-max", "1", "--rounds", "1", "--threads", "1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("network: 200 hosts")
                .containsPattern("goal >= 100,000 round trips per CPU second, 1 thread, on the default bench network \\(issue 13\\): "
                        + "[0-9,]+, (met|NOT met)\n");
    }

    /**
     * --against: this build and another in turn, in --processes processes of their own (each one sample): both figures
     * with their range, each process's ratio, their median and in how many processes this build was faster.
     */
    @Test
    void againstAnotherBuildBothAreMeasuredInTurn() throws Exception {
        String classes = java.nio.file.Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        CliTest.Run r = CliTest.run("bench", "--oneshot-rounds", "0", "--no-matrix", "--hosts", "12", "--rules", "100",
                "--routes", "30", "--probes", "10", "--seconds", "0.3", "--warmup", "0.1", "--warmup-max", "1", "--rounds", "3",
                "--against", classes, "--processes", "2");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("in turn with .* \\(2 processes of 3 rounds of 0\\.1 CPU s per build; round trips per CPU "
                + "second, 1 thread\\): this build [0-9,]+ \\([0-9,]+-[0-9,]+\\), the other [0-9,]+ \\([0-9,]+-[0-9,]+\\); each "
                + "process's median ratio [0-9]+\\.[0-9]{3}, [0-9]+\\.[0-9]{3}; their median [0-9]+\\.[0-9]{3}, this build faster in "
                + "[0-2] of 2 processes");
        CliTest.Run missing = CliTest.run("bench", "--oneshot-rounds", "0", "--no-matrix", "--hosts", "12", "--rules", "100",
                "--routes", "30", "--probes", "10", "--seconds", "0.1", "--warmup", "0.1", "--warmup-max", "1", "--rounds", "1",
                "--against", "no-such.jar");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("no-such.jar").doesNotContain("Exception");
    }

    /**
     * The matrix figure is the median of --matrix-rounds whole processes, with their range, and the goal is judged on
     * it; a run that fails ends the measuring. The processes here are a stand-in launcher that counts its runs.
     */
    @Test
    void theMatrixFigureIsTheMedianOfItsRunsAndAFailedRunEndsThem(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path count = dir.resolve("runs"), launcher = dir.resolve("launcher"), jar = dir.resolve("fake.jar");
        java.nio.file.Files.writeString(jar, "");
        java.nio.file.Files.writeString(launcher, "#!/bin/sh\necho \"$1\" >> " + count + "\nexit ${EXIT:-0}\n");
        launcher.toFile().setExecutable(true);
        String[] args = {"bench", "--oneshot-rounds", "0", "--hosts", "12", "--rules", "100", "--routes", "30", "--probes", "10",
                "--seconds", "0.1", "--warmup", "0.1", "--warmup-max", "1", "--rounds", "1", "--jar", jar.toString(),
                "--launcher", launcher.toString(), "--matrix-rounds", "4"};
        CliTest.Run r = CliTest.run(args);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(java.nio.file.Files.readAllLines(count)).containsExactly("matrix", "matrix", "matrix", "matrix");
        assertThat(r.out()).containsPattern("matrix \\(every host to every other host; loading, simulation and summary\\): 12 hosts, "
                        + "[0-9,]+ rules, [0-9,]+ pairs in [0-9]+\\.[0-9] s wall on [0-9]+ cores, median of 4 runs \\([0-9]+\\.[0-9]-[0-9]+\\.[0-9]\\)")
                .contains("goal 1,000 hosts / 100k rules in < 10 s wall on 2 cores (issue 13): not this network's size");

        java.nio.file.Files.writeString(launcher, "#!/bin/sh\necho \"$1\" >> " + count + "\necho 'roundtrip: bad' >&2\nexit 2\n");
        java.nio.file.Files.delete(count);
        CliTest.Run failed = CliTest.run(args);
        assertThat(java.nio.file.Files.readAllLines(count)).containsExactly("matrix");
        assertThat(failed.out()).contains("median of 1 runs").contains("(exit 2)");

        CliTest.Run none = CliTest.run("bench", "--oneshot-rounds", "0", "--matrix-rounds", "0");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).isEqualTo("roundtrip: (command line): --matrix-rounds must be at least 1\n");
    }

    /** --lang zh: every figure and goal line in Chinese, numbers in the same places; another language is bad input. */
    @Test
    void chineseFiguresWithLangZh(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path launcher = dir.resolve("launcher"), jar = dir.resolve("fake.jar");
        java.nio.file.Files.writeString(jar, "");
        java.nio.file.Files.writeString(launcher, "#!/bin/sh\nexit 0\n");
        launcher.toFile().setExecutable(true);
        CliTest.Run r = CliTest.run("bench", "--lang", "zh", "--oneshot-rounds", "0", "--hosts", "12", "--rules", "100", "--routes", "30",
                "--probes", "10", "--seconds", "0.2", "--warmup", "0.1", "--warmup-max", "1", "--rounds", "2", "--jar", jar.toString(),
                "--launcher", launcher.toString(), "--matrix-rounds", "1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("网络：12 台主机（[0-9]+ 台路由器，[0-9]+ 个局域网），[0-9]+ 条 iptables 规则")
                .containsPattern("探测：10 个（.*）；请求路径平均经过 [0-9.]+ 台主机")
                .containsPattern("每秒往返次数，单线程：[0-9,]+（每次往返 p50 [0-9.]+ us，p99 [0-9.]+ us；每 CPU 秒 [0-9,]+ 次，2 轮的中位数"
                        + "（[0-9,]+-[0-9,]+），预热 [01] 秒之后）")
                .containsPattern("每次往返分配的堆内存，单线程：[0-9,]+ 字节")
                .containsPattern("目标：默认 bench 网络上单线程每 CPU 秒 >= 100,000 次往返（issue 13）：[0-9,]+，不是默认网络")
                .containsPattern("matrix（每台主机到其他每台主机；读取、模拟和汇总）：12 台主机，[0-9,]+ 条规则，[0-9,]+ 对，[0-9]+ 核上墙钟 "
                        + "[0-9.]+ 秒，1 次的中位数（[0-9.]+-[0-9.]+），每秒 [0-9,]+ 对（退出码 0）")
                .contains("目标：1,000 台主机 / 10 万条规则，2 核上墙钟 < 10 秒（issue 13）：不是这个规模的网络")
                .containsPattern("机器参照（排序 100 万个整数，7 次的中位数）：bench 开始时 [0-9.]+ ms，结束时 [0-9.]+ ms")
                .doesNotContain("goal").doesNotContain("round trips");

        CliTest.Run bad = CliTest.run("bench", "--lang", "fr", "--oneshot-rounds", "0", "--no-matrix");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).isEqualTo("roundtrip: --lang: expected en or zh, got \"fr\"\n");
    }

    /**
     * The warm-up ends on a slice with the compiler quiet and the heap touched: page faults under the threshold where
     * they are counted (a heap whose committed size did not grow may still be faulting in its pages), else a heap
     * that did not grow.
     */
    @Test
    void theWarmUpWaitsForTheCompilerAndForPageFaultsToStop() {
        long quiet = roundtrip.bench.JitClock.QUIET_MS_PER_SECOND - 1, busy = roundtrip.bench.JitClock.QUIET_MS_PER_SECOND;
        long few = BenchCommand.QUIET_FAULTS_PER_SECOND - 1, many = BenchCommand.QUIET_FAULTS_PER_SECOND;
        assertThat(BenchCommand.warm(quiet, 0, few)).isTrue();
        assertThat(BenchCommand.warm(busy, 0, few)).isFalse();
        assertThat(BenchCommand.warm(quiet, 0, many)).as("committed size steady, pages still faulted in").isFalse();
        assertThat(BenchCommand.warm(quiet, 64 << 20, few)).as("grown, but its pages already touched").isTrue();
        assertThat(BenchCommand.warm(quiet, -(64 << 20), few)).isTrue();
        // faults not counted: the committed size decides
        assertThat(BenchCommand.warm(quiet, 0, -1)).isTrue();
        assertThat(BenchCommand.warm(quiet, 1 << 20, -1)).isFalse();
    }

    @Test
    void noRoundsIsBadInput() {
        CliTest.Run r = CliTest.run("bench", "--oneshot-rounds", "0", "--no-matrix", "--rounds", "0");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("roundtrip: (command line): --rounds must be at least 1\n");
    }

    @Test
    void theMatrixProcessesMessagesAreCountedNotShownAndAFailuresLastLineIs() throws Exception {
        java.io.ByteArrayOutputStream shown = new java.io.ByteArrayOutputStream();
        java.io.PrintStream err = new java.io.PrintStream(shown, true, java.nio.charset.StandardCharsets.UTF_8);
        int code = BenchCommand.runQuietly(java.util.List.of("sh", "-c", "echo first-line >&2; echo second-line >&2; echo 'the error' >&2; exit 2"), err, false);
        assertThat(code).isEqualTo(2);
        assertThat(shown.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("it wrote 3 lines on its error output").endsWith("bench: matrix: the error\n").doesNotContain("first-line").doesNotContain("second-line");

        shown.reset();
        assertThat(BenchCommand.runQuietly(java.util.List.of("sh", "-c", "echo only-line >&2"), err, false)).isZero();
        assertThat(shown.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("it wrote 1 lines").doesNotContain("only-line");
    }

    /** The reference times the sort itself: a timer around nothing, or around the copy alone, gives well under a millisecond. */
    @Test
    void theMachineReferenceTimesTheSort() {
        assertThat(roundtrip.bench.MachineReference.sortMillis()).isGreaterThan(5.0);
    }
}
