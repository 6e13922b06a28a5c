package roundtrip.bench;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Round trips per CPU second of two builds of roundtrip, measured in turn: each build's classes in a class loader of
 * their own (so each has its own compiled code), the same generated network built by each, and short rounds that
 * alternate which build goes first. On a shared machine whose speed drifts by a factor of two within minutes, figures
 * from separate runs cannot show a change of a few per cent; rounds taken side by side move together. But the rounds
 * of one process are not independent: the process's compiled code and heap layout favour one side for all of them
 * (the same jar against itself: 1.135 in one process, 0.877 in the next), so a comparison takes several processes
 * ({@link #compareInProcesses}), each one sample.
 *
 * <p>The builds are reached by reflection, through the calls bench itself makes: {@code NetworkGenerator.generate}
 * with a {@code Config}, {@code Simulator(Network)} and {@code Simulator.run(Probe, boolean)}.
 */
public final class InTurn {
    /** One build's rounds: round trips per CPU second of the measuring thread. */
    public record Side(Path build, double[] perCpuSecond) {
        public Spread spread() { return Spread.of(perCpuSecond); }
    }

    /** Both builds' rounds, round i of one taken right before or after round i of the other. */
    public record Result(Side a, Side b) {
        /** Rounds in which b simulated more round trips per CPU second than a. */
        public int bFaster() {
            int n = 0;
            for (int i = 0; i < a.perCpuSecond.length; i++) if (b.perCpuSecond[i] > a.perCpuSecond[i]) n++;
            return n;
        }

        /** The median over the rounds of b's figure divided by a's. */
        public double medianRatio() {
            double[] r = new double[a.perCpuSecond.length];
            for (int i = 0; i < r.length; i++) r[i] = b.perCpuSecond[i] / a.perCpuSecond[i];
            return Spread.of(r).median();
        }
    }

    /** What measuring needs of one build: its simulator on the generated network, and the probes to cycle through. */
    private static final class Build {
        final Path path;
        final Object simulator;
        final Method run;
        final Object[] probes;
        int next;

        Build(Path path, NetworkGenerator.Config cfg) throws ReflectiveOperationException, IOException {
            this.path = path;
            ClassLoader loader = loaderFor(path);
            Class<?> generator = loader.loadClass("roundtrip.bench.NetworkGenerator");
            Class<?> config = loader.loadClass("roundtrip.bench.NetworkGenerator$Config");
            Object c = config.getConstructor(int.class, int.class, int.class, int.class, long.class)
                    .newInstance(cfg.hosts(), cfg.rules(), cfg.routes(), cfg.probes(), cfg.seed());
            Consumer<Object> quiet = s -> { };   // a progress callback of any build (its steps were once Strings)
            Object generated = generator.getMethod("generate", config, Consumer.class).invoke(null, c, quiet);
            Object network = generated.getClass().getMethod("network").invoke(generated);
            this.probes = ((List<?>) generated.getClass().getMethod("probes").invoke(generated)).toArray();
            Class<?> simulatorClass = loader.loadClass("roundtrip.sim.Simulator");
            this.simulator = simulatorClass.getConstructor(loader.loadClass("roundtrip.model.Network")).newInstance(network);
            this.run = simulatorClass.getMethod("run", loader.loadClass("roundtrip.model.Probe"), boolean.class);
        }

        /** Round trips per CPU second of this thread over {@code cpuNanos} of its CPU time. */
        double measure(ThreadMXBean mx, long cpuNanos) throws ReflectiveOperationException {
            long c0 = mx.getCurrentThreadCpuTime(), n = 0, used;
            do {
                for (int i = 0; i < 64; i++) {
                    run.invoke(simulator, probes[next], false);
                    if (++next == probes.length) next = 0;
                }
                n += 64;
                used = mx.getCurrentThreadCpuTime() - c0;
            } while (used < cpuNanos);
            return n / (used / 1e9);
        }
    }

    /**
     * A class loader that finds roundtrip's own classes in one build and everything else (the libraries) where the
     * running program finds them: each build gets its own copy of roundtrip, compiled on its own.
     */
    private static final class OwnFirst extends URLClassLoader {
        OwnFirst(Path build) throws IOException {
            super(new URL[] {build.toUri().toURL()}, InTurn.class.getClassLoader());
        }

        @Override protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("roundtrip.")) return super.loadClass(name, resolve);
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) c = findClass(name);
                if (resolve) resolveClass(c);
                return c;
            }
        }
    }

    private InTurn() {}

    /** Bad input unless {@code build} exists (whether it holds roundtrip's classes shows when they are loaded). */
    public static void requireBuild(Path build) {
        if (!Files.exists(build)) throw new roundtrip.model.InputException(build.toString(), 0, "no such jar or class directory");
    }

    /** A class loader of roundtrip's classes in {@code build}, with the libraries the running program has. */
    static ClassLoader loaderFor(Path build) throws IOException { return new OwnFirst(build); }

    /** The longest warm-up, whatever the compiler still does. */
    static final long MAX_WARMUP_NANOS = 60_000_000_000L;

    /**
     * {@link #compare} in {@code processes} JVMs of their own, one after another, each building the two in the other
     * order. One process is one sample, however many rounds it takes: its compiled code and heap layout favour one
     * build for the whole process. The same jar against itself measured 1.135 (faster in 8 of 8 rounds) in one process
     * and 0.877 (0 of 8) in the next. {@code progress} hears of each process.
     */
    public static List<Result> compareInProcesses(Path a, Path b, NetworkGenerator.Config cfg, int warmup, int rounds,
                                                  double seconds, int processes,
                                                  java.util.function.ObjIntConsumer<Result> processDone)
            throws IOException, InterruptedException {
        for (Path p : List.of(a, b)) requireBuild(p);
        String javaBin = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<Result> out = new ArrayList<>();
        for (int n = 0; n < processes; n++) {
            Path figures = Files.createTempFile("roundtrip-in-turn", ".bin"), said = Files.createTempFile("roundtrip-in-turn", ".log");
            try {
                List<String> cmd = new ArrayList<>(List.of(javaBin));
                cmd.addAll(JvmFlags.longRunning());
                cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
                        InTurn.class.getName(), a.toString(), b.toString(), Integer.toString(cfg.hosts()), Integer.toString(cfg.rules()),
                        Integer.toString(cfg.routes()), Integer.toString(cfg.probes()), Long.toString(cfg.seed()),
                        Integer.toString(warmup), Integer.toString(rounds), Double.toString(seconds), Boolean.toString(n % 2 == 1),
                        figures.toString()));
                Process proc = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(said.toFile()).start();
                if (proc.waitFor() != 0) {
                    List<String> lines = Files.readAllLines(said);
                    throw new roundtrip.model.InputException(a.toString(), 0, "cannot simulate with this build: "
                            + (lines.isEmpty() ? "its process failed" : lines.get(lines.size() - 1)));
                }
                Result r = read(figures, a, b);
                out.add(r);
                processDone.accept(r, n);
            } finally {
                Files.deleteIfExists(figures);
                Files.deleteIfExists(said);
            }
        }
        return out;
    }

    /**
     * One process of {@link #compareInProcesses}: A B HOSTS RULES ROUTES PROBES SEED WARMUP ROUNDS SECONDS
     * B_FIRST FILE. Writes the rounds' figures to FILE (their count, then A's and B's, as binary doubles); a failure is
     * one line on stderr and exit 2.
     */
    public static void main(String[] args) {
        try {
            NetworkGenerator.Config cfg = new NetworkGenerator.Config(Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]), Integer.parseInt(args[5]), Long.parseLong(args[6]));
            Result r = compare(Path.of(args[0]), Path.of(args[1]), cfg, Integer.parseInt(args[7]), Integer.parseInt(args[8]),
                    Double.parseDouble(args[9]), Boolean.parseBoolean(args[10]), s -> { });
            try (DataOutputStream o = new DataOutputStream(Files.newOutputStream(Path.of(args[11])))) {
                o.writeInt(r.a().perCpuSecond().length);
                for (double f : r.a().perCpuSecond()) o.writeDouble(f);
                for (double f : r.b().perCpuSecond()) o.writeDouble(f);
            }
        } catch (Exception e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException t && t.getCause() != null ? t.getCause() : e;
            System.err.println(cause);
            System.exit(2);
        }
    }

    private static Result read(Path figures, Path a, Path b) throws IOException {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(figures))) {
            int n = in.readInt();
            double[] fa = new double[n], fb = new double[n];
            for (int i = 0; i < n; i++) fa[i] = in.readDouble();
            for (int i = 0; i < n; i++) fb[i] = in.readDouble();
            return new Result(new Side(a, fa), new Side(b, fb));
        }
    }

    /**
     * Measures {@code a} and {@code b} (jars or class directories) on the network {@code cfg} generates: {@code warmup}
     * rounds that are not counted, then {@code rounds} rounds of {@code seconds} CPU seconds per build, the first build
     * of each round alternating. {@code progress} hears of each round.
     */
    static Result compare(Path a, Path b, NetworkGenerator.Config cfg, int warmup, int rounds, double seconds, boolean bFirst,
                          Consumer<String> progress) throws IOException, ReflectiveOperationException {
        for (Path p : List.of(a, b)) requireBuild(p);
        Build[] builds = new Build[2];
        if (bFirst) { builds[1] = new Build(b, cfg); builds[0] = new Build(a, cfg); }
        else { builds[0] = new Build(a, cfg); builds[1] = new Build(b, cfg); }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long cpuNanos = (long) (seconds * 1e9);
        double[][] figures = new double[2][rounds];
        // warm-up rounds, not counted: at least `warmup`, then until the JIT compiler has (nearly) stopped, as bench's own
        // warm-up; in a fresh process compiling both builds takes longer than a few rounds, and a round measured while
        // one build is still being compiled gave ratios of 2
        long warmStart = System.nanoTime();
        // at most thirty rounds' worth (short rounds: a test's), and never more than a minute
        long maxWarmup = Math.min(MAX_WARMUP_NANOS, (long) (30 * 2 * seconds * 1e9));
        for (int w = 0; ; w++) {
            long compiled = JitClock.compiledMillis();
            for (int k = 0; k < 2; k++) builds[(w & 1) == 0 ? k : 1 - k].measure(mx, cpuNanos);
            boolean settled = !JitClock.counted() || JitClock.compiledMillis() - compiled < JitClock.QUIET_MS_PER_SECOND * 2 * seconds;
            progress.accept(String.format(java.util.Locale.ROOT, "warm-up round %d%s", w + 1, settled ? "" : " (still compiling)"));
            if (w + 1 >= warmup && (settled || System.nanoTime() - warmStart > maxWarmup)) break;
        }
        for (int r = 0; r < rounds; r++) {
            for (int k = 0; k < 2; k++) {
                int side = (r & 1) == 0 ? k : 1 - k;
                figures[side][r] = builds[side].measure(mx, cpuNanos);
            }
            progress.accept(String.format(java.util.Locale.ROOT, "round %d/%d: %,.0f and %,.0f round trips per CPU second", r + 1, rounds,
                    figures[0][r], figures[1][r]));
        }
        return new Result(new Side(a, figures[0]), new Side(b, figures[1]));
    }
}
