package roundtrip.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import roundtrip.bench.NetworkGenerator;
import roundtrip.model.Probe;
import roundtrip.sim.ProbeResult;
import roundtrip.sim.Simulator;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;

/**
 * `roundtrip bench`: the figures of issue 13 next to their goals: one-shot start-up (whole bin/roundtrip processes
 * on the bundled 9-host lab snapshot against a bare JVM start), round trips simulated per CPU second on a generated
 * network (single-threaded and on all cores), and `roundtrip matrix` on that network; optionally the wall time of
 * `roundtrip check` on a snapshot of your own. Progress goes to stderr, figures to stdout.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure start-up, simulation speed and the matrix on a generated network, next to their goals.")
final class BenchCommand implements Callable<Integer> {
    /** The default bench network, on which issue 13 sets the round-trip goal. */
    static final int DEFAULT_HOSTS = 200, DEFAULT_RULES = 10_000, DEFAULT_ROUTES = 1000, DEFAULT_PROBES = 1000;
    static final long DEFAULT_SEED = 1;

    @Spec CommandSpec spec;

    @Option(names = "--hosts", defaultValue = "" + DEFAULT_HOSTS, description = "hosts in the generated network (default: ${DEFAULT-VALUE})")
    int hosts;

    @Option(names = "--rules", defaultValue = "" + DEFAULT_RULES, description = "iptables rules in total (default: ${DEFAULT-VALUE})")
    int rules;

    @Option(names = "--routes", defaultValue = "" + DEFAULT_ROUTES, description = "routes in total, besides table local (default: ${DEFAULT-VALUE})")
    int routes;

    @Option(names = "--probes", defaultValue = "" + DEFAULT_PROBES, description = "distinct probes to cycle through (default: ${DEFAULT-VALUE})")
    int probes;

    @Option(names = "--seconds", defaultValue = "5", description = "measuring time of each run (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--rounds", defaultValue = "5", description = "rounds the single-thread measuring time is split into: "
            + "its figure is their median (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--warmup", defaultValue = "3", description = "least warm-up seconds before measuring; the warm-up goes on "
            + "until the JIT compiler is done and the heap has been touched (page faults stopped), up to --warmup-max (default: ${DEFAULT-VALUE})")
    double warmup;

    @Option(names = "--warmup-max", defaultValue = "30", description = "most warm-up seconds (default: ${DEFAULT-VALUE})")
    double warmupMax;

    @Option(names = "--threads", defaultValue = "0", description = "threads for the all-cores run (default: all processors)")
    int threads;

    @Option(names = "--seed", defaultValue = "" + DEFAULT_SEED, description = "generator seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--check-snapshot", paramLabel = "DIR", description = "also time `roundtrip check` on this snapshot")
    Path checkSnapshot;

    @Option(names = "--check-probes", paramLabel = "FILE", description = "probe file for the `check` timing")
    Path checkProbes;

    @Option(names = "--check-runs", defaultValue = "5", description = "`check` processes to time (default: ${DEFAULT-VALUE})")
    int checkRuns;

    @Option(names = "--write-snapshot", paramLabel = "DIR",
            description = "also write the generated network as a snapshot directory (with DIR/probes.json) for `check`")
    Path writeSnapshot;

    @Option(names = "--jar", paramLabel = "FILE", description = "the roundtrip jar for `check` (default: the running one, else target/roundtrip.jar)")
    Path jar;

    @Option(names = "--oneshot-rounds", defaultValue = "7", paramLabel = "N",
            description = "rounds of bare JVM, check, trace and why processes for the start-up figure; 0 skips it (default: ${DEFAULT-VALUE})")
    int oneshotRounds;

    @Option(names = "--launcher", paramLabel = "FILE",
            description = "the launcher the one-shot and matrix processes run through (default: bin/roundtrip beside the jar's target/, else java -jar)")
    Path launcher;

    @Option(names = "--matrix", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "time `roundtrip matrix` on the generated network, written as a snapshot (default: on; --no-matrix skips it)")
    boolean matrix;

    @Option(names = "--matrix-rounds", paramLabel = "N", defaultValue = "3",
            description = "matrix processes to time: the figure is their median, with min-max (default: 3)")
    int matrixRounds;

    @Option(names = "--processes", paramLabel = "N", defaultValue = "3",
            description = "with --against: processes the comparison runs in, one after another; each is one sample (default: 3)")
    int processes;

    @Option(names = "--against", paramLabel = "JAR",
            description = "another build of roundtrip (a jar, or a directory of its classes) to measure round trips per CPU second in "
                    + "turn with, in --processes processes of their own: --rounds rounds of --seconds/--rounds each per build, alternating which goes first")
    Path against;

    @Option(names = "--lang", defaultValue = "en", paramLabel = "en|zh", description = "language of the figures and progress (default: en)")
    String lang;

    private PrintStream err = System.err;
    private boolean zh;

    /** The English or the Chinese of a line, by --lang. */
    private String w(String en, String zhText) { return zh ? zhText : en; }

    /**
     * Issue 13's round-trip goal line: the goal is set on the default bench network, so on another one the figure is
     * given without a verdict (a 1,000-host network's longer paths are not the goal's).
     */
    static String roundTripGoal(double perCpuMedian, boolean defaultNetwork, boolean zh) {
        String head = String.format(Locale.ROOT, zh ? "目标：默认 bench 网络上单线程每 CPU 秒 >= 100,000 次往返（issue 13）：%,.0f，"
                : "goal >= 100,000 round trips per CPU second, 1 thread, on the default bench network (issue 13): %,.0f, ", perCpuMedian);
        if (defaultNetwork) return head + verdict(perCpuMedian >= 100_000, zh);
        return head + (zh ? "不是默认网络（不带 --hosts、--rules、--routes、--probes、--seed 运行 bench 来测量）"
                : "not the default network (bench without --hosts, --rules, --routes, --probes and --seed measures it)");
    }

    /** "met" or "NOT met", in English or Chinese (OneShot's goals too). */
    static String verdict(boolean met, boolean zh) { return met ? (zh ? "达到" : "met") : (zh ? "未达到" : "NOT met"); }

    private String verdict(boolean met) { return verdict(met, zh); }

    /** Whether the generated network is the default bench network, the one issue 13's round-trip goal is set on. */
    private boolean defaultNetwork() {
        return hosts == DEFAULT_HOSTS && rules == DEFAULT_RULES && routes == DEFAULT_ROUTES && probes == DEFAULT_PROBES && seed == DEFAULT_SEED;
    }

    @Override public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Format.checkLang(lang);
        zh = lang.equals("zh");
        if (rounds < 1) throw new roundtrip.model.InputException("(command line)", 0, "--rounds must be at least 1");
        if (matrixRounds < 1) throw new roundtrip.model.InputException("(command line)", 0, "--matrix-rounds must be at least 1");
        if (checkRuns < 1) throw new roundtrip.model.InputException("(command line)", 0, "--check-runs must be at least 1");
        if (processes < 1) throw new roundtrip.model.InputException("(command line)", 0, "--processes must be at least 1");
        if ((checkSnapshot == null) != (checkProbes == null))
            throw new roundtrip.model.InputException("(command line)", 0, "--check-snapshot and --check-probes go together");

        // before minutes of measuring, not after them
        if (against != null) roundtrip.bench.InTurn.requireBuild(against);
        double referenceBefore = roundtrip.bench.MachineReference.sortMillis();
        if (oneshotRounds > 0) new OneShot(err, javaCommand(), jarPath(), launcherPath(), oneshotRounds, zh).measure(out);

        long t0 = System.nanoTime();
        err.printf(Locale.ROOT, w("bench: generating %d hosts, ~%d rules, ~%d routes (seed %d)%n",
                "bench：正在生成 %d 台主机、约 %d 条规则、约 %d 条路由（种子 %d）%n"), hosts, rules, routes, seed);
        NetworkGenerator.Generated g = NetworkGenerator.generate(
                new NetworkGenerator.Config(hosts, rules, routes, probes, seed), step -> err.println(generated(step)));
        long genMs = (System.nanoTime() - t0) / 1_000_000;
        if (writeSnapshot != null) {
            roundtrip.bench.SnapshotWriter.write(g, writeSnapshot);
            err.printf(Locale.ROOT, w("bench: wrote the generated network to %s (probes: %s)%n", "bench：生成的网络已写入 %s（探测：%s）%n"),
                    writeSnapshot, writeSnapshot.resolve("probes.json"));
        }
        Simulator sim = new Simulator(g.network());
        Probe[] list = g.probes().toArray(new Probe[0]);

        // one pass: what the probes do (so the figures are about a network where both outcomes happen)
        Map<ProbeResult.Verdict, Integer> verdicts = new EnumMap<>(ProbeResult.Verdict.class);
        int hopsTotal = 0;
        for (Probe p : list) {
            ProbeResult r = sim.run(p, true);
            verdicts.merge(r.verdict(), 1, Integer::sum);
            hopsTotal += hostsEntered(r);
        }

        out.printf(Locale.ROOT, w("network: %d hosts (%d routers, %d LANs), %d iptables rules, %d routes (+%d local/broadcast), "
                        + "%d policy rules; generated in %d ms%n",
                        "网络：%d 台主机（%d 台路由器，%d 个局域网），%d 条 iptables 规则，%d 条路由（另有 %d 条 local/broadcast），"
                        + "%d 条策略路由规则；生成用时 %d ms%n"), g.hosts(), g.routers(), g.lans(), g.rules(), g.routes(),
                g.localRoutes(), g.policyRules(), genMs);
        out.printf(Locale.ROOT, w("probes: %d (%s); request path enters %.1f hosts on average%n",
                "探测：%d 个（%s）；请求路径平均经过 %.1f 台主机%n"), list.length,
                verdictText(verdicts, list.length), (double) hopsTotal / list.length);
        out.flush();

        double warmed = warmUp(sim, list);
        // the single-thread figure is the goal's: measured in rounds, reported as their median with min-max, as a
        // shared machine's speed drifts from one second to the next
        double[] perCpu = new double[rounds];
        Run single = null;
        for (int r = 0; r < rounds; r++) {
            Run run = measure(sim, list, 1, seconds / rounds, w("single thread, round ", "单线程，第 ") + (r + 1) + "/" + rounds
                    + w("", " 轮"));
            perCpu[r] = run.perCpuSecond();
            single = single == null ? run : single.plus(run);
        }
        roundtrip.bench.Spread perCpuSpread = roundtrip.bench.Spread.of(perCpu);
        double perCpuMedian = perCpuSpread.median();
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        Run multi = measure(sim, list, n, seconds, n + w(" threads", " 个线程"));
        out.printf(Locale.ROOT, w("round trips/s, 1 thread:   %,.0f  (p50 %.1f us, p99 %.1f us per round trip; %,.0f per CPU second, "
                        + "median of %d rounds (%,.0f-%,.0f), after %.0f s of warm-up)%n",
                        "每秒往返次数，单线程：%,.0f（每次往返 p50 %.1f us，p99 %.1f us；每 CPU 秒 %,.0f 次，"
                        + "%d 轮的中位数（%,.0f-%,.0f），预热 %.0f 秒之后）%n"), single.perSecond(), single.p50us(), single.p99us(),
                perCpuMedian, rounds, perCpuSpread.min(), perCpuSpread.max(), warmed);
        out.printf(Locale.ROOT, w("heap allocated per round trip, 1 thread: %,.0f bytes%n", "每次往返分配的堆内存，单线程：%,.0f 字节%n"),
                single.bytesPerRoundTrip());
        out.printf(Locale.ROOT, w("round trips/s, %d threads: %,.0f  (p50 %.1f us, p99 %.1f us per round trip; %,.0f per CPU second per thread)%n",
                        "每秒往返次数，%d 个线程：%,.0f（每次往返 p50 %.1f us，p99 %.1f us；每线程每 CPU 秒 %,.0f 次）%n"),
                n, multi.perSecond(), multi.p50us(), multi.p99us(), multi.perCpuSecond());
        out.println(roundTripGoal(perCpuMedian, defaultNetwork(), zh));
        out.flush();

        if (against != null) inTurn(out);
        if (matrix) timeMatrix(out, g);
        if (checkSnapshot != null) timeCheck(out);
        // the machine's speed beside the figures: a busy neighbour slows all of them alike
        out.printf(Locale.ROOT, w("machine reference (sorting 1M ints, median of %d): %.1f ms when bench started, %.1f ms when it ended%n",
                        "机器参照（排序 100 万个整数，%d 次的中位数）：bench 开始时 %.1f ms，结束时 %.1f ms%n"),
                roundtrip.bench.MachineReference.TIMED, referenceBefore, roundtrip.bench.MachineReference.sortMillis());
        out.flush();
        return 0;
    }

    /** A step of the network's generation, as a progress line. */
    private String generated(NetworkGenerator.Step step) {
        String what = switch (step.kind()) {
            case CORE_ROUTERS -> w("core routers", "台核心路由器");
            case EDGE_ROUTERS -> w("edge routers", "台边缘路由器");
            case HOSTS -> w("hosts", "台主机");
            case PROBES -> w("probes", "个探测");
        };
        String count = step.done() == step.total() ? Integer.toString(step.done()) : step.done() + "/" + step.total();
        return w("bench: generated " + count + " " + what, "bench：已生成 " + count + " " + what);
    }

    /** Warm-up rounds of an in-turn comparison, not counted: both builds' code compiled before the rounds that count. */
    static final int IN_TURN_WARMUP = 3;

    /**
     * Round trips per CPU second of this build and of --against's, in turn on the same network, in --processes processes
     * of their own: a process favours one side for all its rounds, so each process is one sample.
     */
    private void inTurn(PrintWriter out) throws Exception {
        Path self = thisBuild();
        err.printf(Locale.ROOT, w("bench: in turn with %s: %d processes, each building the network in each build%n",
                "bench：与 %s 轮流测量：%d 个进程，每个进程用两个构建各生成一次网络%n"), against, processes);
        List<roundtrip.bench.InTurn.Result> results = roundtrip.bench.InTurn.compareInProcesses(against, self,
                new NetworkGenerator.Config(hosts, rules, routes, probes, seed), IN_TURN_WARMUP, rounds, seconds / rounds, processes,
                (r, n) -> err.printf(Locale.ROOT, w("bench: in turn: process %d/%d: median ratio %.3f, faster in %d of %d rounds%n",
                        "bench：轮流测量：第 %d/%d 个进程：比值中位数 %.3f，%d/%d 轮更快%n"), n + 1, processes, r.medianRatio(), r.bFaster(), rounds));
        double[] ratios = results.stream().mapToDouble(roundtrip.bench.InTurn.Result::medianRatio).toArray();
        long won = Arrays.stream(ratios).filter(x -> x > 1).count();
        String each = String.join(", ", Arrays.stream(ratios).mapToObj(x -> String.format(Locale.ROOT, "%.3f", x)).toList());
        roundtrip.bench.Spread ratio = roundtrip.bench.Spread.of(ratios);
        // every round of every process, this build's and the other's
        roundtrip.bench.Spread m = roundtrip.bench.Spread.of(results.stream().flatMapToDouble(r -> Arrays.stream(r.b().perCpuSecond())).toArray());
        roundtrip.bench.Spread o = roundtrip.bench.Spread.of(results.stream().flatMapToDouble(r -> Arrays.stream(r.a().perCpuSecond())).toArray());
        out.printf(Locale.ROOT, w("in turn with %s (%d processes of %d rounds of %.1f CPU s per build; round trips per CPU second, 1 thread): "
                        + "this build %,.0f (%,.0f-%,.0f), the other %,.0f (%,.0f-%,.0f); each process's median ratio %s; "
                        + "their median %.3f, this build faster in %d of %d processes%n",
                        "与 %s 轮流测量（%d 个进程，每个 %d 轮，每个构建每轮 %.1f CPU 秒；单线程每 CPU 秒往返次数）："
                        + "本构建 %,.0f（%,.0f-%,.0f），另一构建 %,.0f（%,.0f-%,.0f）；各进程的比值中位数 %s；"
                        + "其中位数 %.3f，本构建在 %d/%d 个进程中更快%n"), against, processes, rounds, seconds / rounds,
                m.median(), m.min(), m.max(), o.median(), o.min(), o.max(), each, ratio.median(), won, processes);
        out.flush();
    }

    /** The jar or class directory this build runs from. */
    private static Path thisBuild() throws java.net.URISyntaxException {
        return Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** The jar this build runs from, else target/roundtrip.jar (when it runs from a class directory). */
    private static Path runningJar() {
        try {
            Path p = thisBuild();
            if (p.toString().endsWith(".jar")) return p;
        } catch (Exception ignored) {
            // fall through
        }
        return Path.of("target" + File.separator + "roundtrip.jar");
    }

    /**
     * Page faults per second under which the heap counts as touched: 20 MB of new pages a second. A young generation
     * growing to 2 GB took 530,000 faults in its first 17 s, at some 13 us each on a virtual machine; once grown, the
     * parallel collector's resizing kept costing 500-2,800 a second, which is the steady state and belongs in the figure.
     */
    static final long QUIET_FAULTS_PER_SECOND = 5_000;

    /**
     * Runs round trips on one thread for at least --warmup seconds, then in one-second slices until a slice in which
     * the JIT compiler worked under {@link roundtrip.bench.JitClock#QUIET_MS_PER_SECOND} ms and the process took fewer
     * than {@link #QUIET_FAULTS_PER_SECOND} page faults (where /proc/self/stat does not say: the heap did not grow), or
     * --warmup-max is reached: the figure is about the code the round trips run once compiled, in a heap of its working
     * size, not about the compiler or the kernel faulting in the pages of a growing heap (which the measuring thread's
     * CPU time counts). A fixed
     * three seconds was not enough on a 2-core machine: the single-thread figure measured right after it was a third
     * below the same code's measured later. Returns the seconds it took.
     */
    /**
     * Whether a one-second slice of the warm-up shows the code compiled and the heap touched: the compiler worked
     * under its quiet threshold, and the process took fewer than {@link #QUIET_FAULTS_PER_SECOND} page faults. Where
     * the faults are not counted ({@code faulted} < 0), a heap that did not grow; the committed size says less: it is
     * reserved ahead of use, and the parallel collector moves it both ways.
     */
    static boolean warm(long compilingMs, long grownBytes, long faulted) {
        boolean touched = faulted < 0 ? grownBytes <= 0 : faulted < QUIET_FAULTS_PER_SECOND;
        return compilingMs < roundtrip.bench.JitClock.QUIET_MS_PER_SECOND && touched;
    }

    private double warmUp(Simulator sim, Probe[] list) throws Exception {
        boolean counted = roundtrip.bench.JitClock.counted();
        err.printf(Locale.ROOT, w("bench: warming up for at least %.1f s, then until %sthe heap has been touched (at most %.0f s)%n",
                        "bench：预热至少 %.1f 秒，然后直到%s堆内存都已被访问过（最多 %.0f 秒）%n"),
                warmup, counted ? w("the JIT compiler is done and ", " JIT 编译完成、") : "", warmupMax);
        long start = System.nanoTime();
        measure(sim, list, 1, warmup, w("warm-up", "预热"));
        java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
        while ((System.nanoTime() - start) / 1e9 + 1 <= warmupMax) {
            long before = roundtrip.bench.JitClock.compiledMillis(), heap = memory.getHeapMemoryUsage().getCommitted();
            long faults = roundtrip.bench.ProcStat.minorFaults();
            measure(sim, list, 1, 1, w("warm-up", "预热"));
            long compiling = roundtrip.bench.JitClock.compiledMillis() - before;
            long grown = memory.getHeapMemoryUsage().getCommitted() - heap;
            long faulted = faults < 0 ? -1 : roundtrip.bench.ProcStat.minorFaults() - faults;
            if (warm(compiling, grown, faulted)) break;
            err.printf(Locale.ROOT, w("bench: warm-up: in the last second the JIT compiler worked %d ms, the committed heap changed by %+,d MB%s; going on%n",
                            "bench：预热：上一秒 JIT 编译用时 %d ms，已提交的堆内存变化 %+,d MB%s；继续%n"),
                    compiling, grown >> 20, faulted < 0 ? "" : String.format(Locale.ROOT, w(" and %,d pages were faulted in", "，缺页 %,d 次"), faulted));
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private static int hostsEntered(ProbeResult r) {
        if (r.phases().isEmpty()) return 0;
        return (int) r.phases().get(0).steps().stream().filter(s -> s.kind() == roundtrip.kernel.Trace.Kind.IN)
                .map(s -> s.host()).distinct().count();
    }

    private static String verdictText(Map<ProbeResult.Verdict, Integer> v, int total) {
        List<String> parts = new ArrayList<>();
        for (ProbeResult.Verdict k : ProbeResult.Verdict.values()) {
            int c = v.getOrDefault(k, 0);
            parts.add(String.format(Locale.ROOT, "%s %d = %.0f%%", k, c, 100.0 * c / total));
        }
        return String.join(", ", parts);
    }

    /** Round trips done, time taken and per-round-trip latencies (ns) of one measurement. */
    private record Run(long count, long nanos, long cpuNanos, long allocated, long[] latencies) {
        /** heap bytes the measuring threads allocated per round trip (a figure the machine's load does not move) */
        double bytesPerRoundTrip() { return count == 0 ? 0 : (double) allocated / count; }

        /** Two measurements as one: counts and times added, latencies merged. */
        Run plus(Run o) {
            long[] all = Arrays.copyOf(latencies, latencies.length + o.latencies.length);
            System.arraycopy(o.latencies, 0, all, latencies.length, o.latencies.length);
            Arrays.sort(all);
            return new Run(count + o.count, nanos + o.nanos, cpuNanos + o.cpuNanos, allocated + o.allocated, all);
        }

        double perSecond() { return count * 1e9 / nanos; }
        /** per second of CPU time the measuring threads got: less disturbed by other processes on the machine */
        double perCpuSecond() { return cpuNanos <= 0 ? 0 : count * 1e9 / cpuNanos; }
        double p50us() { return percentile(0.50) / 1000.0; }
        double p99us() { return percentile(0.99) / 1000.0; }
        double percentile(double q) {
            if (latencies.length == 0) return 0;
            return latencies[(int) Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
        }
    }

    /** The current thread's allocated bytes, where the JVM counts them (HotSpot does); 0 elsewhere. */
    private static long allocatedBytes(java.lang.management.ThreadMXBean mx) {
        return mx instanceof com.sun.management.ThreadMXBean hs ? hs.getCurrentThreadAllocatedBytes() : 0;
    }

    /** Runs the probes round-robin on {@code threads} threads for {@code secs}, with a progress line each second. */
    private Run measure(Simulator sim, Probe[] list, int threads, double secs, String label) throws Exception {
        long deadline = System.nanoTime() + (long) (secs * 1e9);
        LongAdder done = new LongAdder();
        ExecutorService pool = roundtrip.sim.Workers.pool(threads, "bench");
        long start = System.nanoTime();
        List<Future<long[]>> futures = new ArrayList<>();
        LongAdder cpu = new LongAdder(), allocated = new LongAdder();
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < threads; i++) {
            int offset = i * list.length / threads;
            futures.add(pool.submit(() -> {
                long cpu0 = mx.getCurrentThreadCpuTime(), alloc0 = allocatedBytes(mx);
                long[] lat = new long[1 << 16];
                int n = 0;
                int j = offset;
                while (true) {
                    long a = System.nanoTime();
                    if (a >= deadline) break;
                    sim.run(list[j], false);
                    long b = System.nanoTime();
                    if (n == lat.length) lat = Arrays.copyOf(lat, n * 2);
                    lat[n++] = b - a;
                    if (++j == list.length) j = 0;
                    if ((n & 255) == 0) done.add(256);
                }
                done.add(n & 255);
                cpu.add(mx.getCurrentThreadCpuTime() - cpu0);
                allocated.add(allocatedBytes(mx) - alloc0);
                return Arrays.copyOf(lat, n);
            }));
        }
        pool.shutdown();
        long lastReport = start;
        while (!pool.isTerminated()) {
            pool.awaitTermination(200, java.util.concurrent.TimeUnit.MILLISECONDS);
            long now = System.nanoTime();
            if (now - lastReport >= 1_000_000_000L && !pool.isTerminated()) {
                err.printf(Locale.ROOT, w("bench: %s: %.0f s, %,d round trips so far%n", "bench：%s：%.0f 秒，已往返 %,d 次%n"),
                        label, (now - start) / 1e9, done.sum());
                lastReport = now;
            }
        }
        long nanos = System.nanoTime() - start;
        long total = 0;
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> f : futures) {
            long[] l = roundtrip.sim.Workers.get(f);
            all.add(l);
            total += l.length;
        }
        long[] merged = new long[(int) total];
        int at = 0;
        for (long[] l : all) { System.arraycopy(l, 0, merged, at, l.length); at += l.length; }
        Arrays.sort(merged);
        err.printf(Locale.ROOT, w("bench: %s: %,d round trips in %.2f s%n", "bench：%s：往返 %,d 次，用时 %.2f 秒%n"), label, total, nanos / 1e9);
        return new Run(total, nanos, cpu.sum(), allocated.sum(), merged);
    }

    /** How often bench says the matrix process is still running. */
    private static final long MATRIX_PROGRESS_SECONDS = 5;

    /**
     * Times `roundtrip matrix` on the generated network as a whole process, loading included: the network is written
     * as a snapshot (what `--write-snapshot` writes) and read back by the command.
     */
    private void timeMatrix(PrintWriter out, NetworkGenerator.Generated g) throws Exception {
        Path dir = writeSnapshot != null ? writeSnapshot : Files.createTempDirectory("roundtrip-bench-matrix");
        try {
            if (writeSnapshot == null) roundtrip.bench.SnapshotWriter.write(g, dir);
            long pairs = new roundtrip.sim.Matrix(g.network(), null, null).pairCount();
            List<String> cmd = new ArrayList<>(roundtripCommand(jarPath(), launcherPath(), "matrix"));
            cmd.addAll(List.of("matrix", "--snapshot", dir.toString()));
            err.printf(Locale.ROOT, w("bench: matrix on the generated network: %,d pairs, %d runs%n",
                    "bench：在生成的网络上运行 matrix：%,d 对，%d 次%n"), pairs, matrixRounds);
            // a shared machine's speed drifts by half within minutes: one run is a sample, not a figure
            double[] secs = new double[matrixRounds];
            int code = 0, runs = 0;
            // a run that fails (exit 2: bad input, or a bug) ends the measuring: the next would fail alike
            while (runs < matrixRounds && code <= 1) {
                long a = System.nanoTime();
                code = runQuietly(cmd, err, zh);
                secs[runs] = (System.nanoTime() - a) / 1e9;
                err.printf(Locale.ROOT, w("bench: matrix: run %d/%d: %.1f s (exit %d)%n", "bench：matrix：第 %d/%d 次：%.1f 秒（退出码 %d）%n"),
                        runs + 1, matrixRounds, secs[runs], code);
                runs++;
            }
            roundtrip.bench.Spread wall = roundtrip.bench.Spread.of(Arrays.copyOf(secs, runs));
            int cores = Runtime.getRuntime().availableProcessors();
            out.printf(Locale.ROOT, w("matrix (every host to every other host; loading, simulation and summary): %d hosts, %,d rules, "
                    + "%,d pairs in %.1f s wall on %d cores, median of %d runs (%.1f-%.1f), %,.0f pairs/s (exit %d)%n",
                    "matrix（每台主机到其他每台主机；读取、模拟和汇总）：%d 台主机，%,d 条规则，"
                    + "%3$,d 对，%5$d 核上墙钟 %4$.1f 秒，%6$d 次的中位数（%7$.1f-%8$.1f），每秒 %9$,.0f 对（退出码 %10$d）%n"), g.hosts(),
                    g.rules(), pairs, wall.median(), cores, runs, wall.min(), wall.max(), pairs / wall.median(), code);
            boolean goalSize = g.hosts() >= 1000 && g.rules() >= 100_000;
            out.printf(Locale.ROOT, w("goal 1,000 hosts / 100k rules in < 10 s wall on 2 cores (issue 13): %s%n",
                    "目标：1,000 台主机 / 10 万条规则，2 核上墙钟 < 10 秒（issue 13）：%s%n"), goalSize
                    ? String.format(Locale.ROOT, w("%.1f s, %s", "%.1f 秒，%s"), wall.median(), verdict(wall.median() < 10))
                    : w("not this network's size (bench --hosts 1000 --rules 100000 measures it)",
                        "不是这个规模的网络（用 bench --hosts 1000 --rules 100000 测量）"));
            out.flush();
        } finally {
            if (writeSnapshot == null) deleteTree(dir);
        }
    }

    /**
     * Runs the matrix process with its messages in a file rather than in bench's output: its warnings about the
     * generated snapshot (no ss-listen.txt, rules that name tunnel devices the hosts lack) and its progress would
     * stand between bench's figures. Bench says how long it has been running instead, then how many lines the process wrote,
     * and the last of them when it failed (its error). Returns the exit code.
     */
    static int runQuietly(List<String> cmd, PrintStream err, boolean zh) throws IOException, InterruptedException {
        Path messages = Files.createTempFile("roundtrip-bench-matrix", ".log");
        try {
            long a = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(messages.toFile()).start();
            while (!p.waitFor(MATRIX_PROGRESS_SECONDS, java.util.concurrent.TimeUnit.SECONDS))
                err.printf(Locale.ROOT, zh ? "bench：matrix：运行中，%.0f 秒%n" : "bench: matrix: running, %.0f s%n", (System.nanoTime() - a) / 1e9);
            int code = p.exitValue();
            List<String> said = Files.readAllLines(messages);
            err.printf(Locale.ROOT, zh ? "bench：matrix：完成；它在错误输出上写了 %,d 行（进度，以及关于生成的快照的警告："
                    + "用 bench 的 --write-snapshot DIR 写出快照后，运行 `roundtrip matrix --all-warnings --snapshot DIR` 查看）%n"
                    : "bench: matrix: done; it wrote %,d lines on its error output (progress, and warnings about the "
                    + "generated snapshot: run `roundtrip matrix --all-warnings --snapshot DIR` on bench's --write-snapshot DIR to read them)%n", said.size());
            if (code > 1 && !said.isEmpty()) err.println((zh ? "bench：matrix：" : "bench: matrix: ") + said.get(said.size() - 1));
            return code;
        } finally {
            Files.deleteIfExists(messages);
        }
    }

    static void deleteTree(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) Files.deleteIfExists(f);
        }
    }

    private static String javaCommand() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private Path jarPath() {
        Path jarPath = jar != null ? jar : runningJar();
        if (!Files.isRegularFile(jarPath))
            throw new roundtrip.model.InputException(jarPath.toString(), 0, "no such jar (build it with mvn package, or give --jar)");
        return jarPath;
    }

    /** bin/roundtrip of the install the jar belongs to (JAR's directory is target/), or null. */
    private Path launcherPath() {
        if (launcher != null) return launcher;
        Path target = jarPath().toAbsolutePath().getParent();
        Path bin = target == null || target.getParent() == null ? null : target.getParent().resolve("bin/roundtrip");
        return bin != null && Files.isExecutable(bin) ? bin : null;
    }

    /** The command that runs roundtrip COMMAND as users do: through the launcher, else java with its flags. */
    static List<String> roundtripCommand(Path jar, Path launcher, String command) {
        if (launcher != null) return List.of(launcher.toString());
        List<String> cmd = new ArrayList<>(List.of(javaCommand()));
        cmd.addAll(command.equals("matrix") ? roundtrip.bench.JvmFlags.longRunning() : roundtrip.bench.JvmFlags.oneShot());
        cmd.addAll(List.of("-jar", jar.toString()));
        return cmd;
    }

    /** Times whole `java -jar roundtrip.jar check` processes, JVM start included. */
    private void timeCheck(PrintWriter out) throws Exception {
        String java = javaCommand();
        Path jarPath = jarPath();
        List<String> cmd = List.of(java, "-jar", jarPath.toString(), "check", "--snapshot", checkSnapshot.toString(),
                "--probes", checkProbes.toString());
        double[] ms = new double[checkRuns];
        int lastCode = 0, runs = 0;
        while (runs < checkRuns && lastCode <= 1) {
            long a = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            lastCode = p.waitFor();
            ms[runs] = (System.nanoTime() - a) / 1e6;
            err.printf(Locale.ROOT, w("bench: check run %d/%d: %.0f ms (exit %d)%n", "bench：check 第 %d/%d 次：%.0f ms（退出码 %d）%n"),
                    runs + 1, checkRuns, ms[runs], lastCode);
            runs++;
        }
        roundtrip.bench.Spread took = roundtrip.bench.Spread.of(Arrays.copyOf(ms, runs));
        out.printf(Locale.ROOT, w("check wall time (%s): min %.0f ms, median %.0f ms over %d runs (exit %d)%n",
                        "check 墙钟时间（%s）：最短 %.0f ms，%4$d 次的中位数 %3$.0f ms（退出码 %5$d）%n"),
                String.join(" ", cmd.subList(3, cmd.size())), took.min(), took.median(), runs, lastCode);
        out.printf(Locale.ROOT, w("goal check < 1000 ms: %s%n", "目标：check < 1000 ms：%s%n"), verdict(took.median() < 1000));
        out.flush();
    }
}
