package roundtrip.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Round trips per CPU second of two builds of roundtrip in one process, measured in turn: each build's classes in a
 * class loader of their own (so each has its own compiled code), the same generated network built by each, and
 * short rounds that alternate which build goes first. On a shared machine whose speed drifts by a factor of two
 * within minutes, figures from separate runs cannot show a change of a few per cent; rounds taken side by side in
 * one process can (their ratio moves far less than either figure).
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
            Consumer<String> quiet = s -> { };
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

    /**
     * Measures {@code a} and {@code b} (jars or class directories) on the network {@code cfg} generates: {@code warmup}
     * rounds that are not counted, then {@code rounds} rounds of {@code seconds} CPU seconds per build, the first build
     * of each round alternating. {@code progress} hears of each round.
     */
    public static Result compare(Path a, Path b, NetworkGenerator.Config cfg, int warmup, int rounds, double seconds,
                                 Consumer<String> progress) throws IOException, ReflectiveOperationException {
        for (Path p : List.of(a, b)) requireBuild(p);
        Build[] builds = {new Build(a, cfg), new Build(b, cfg)};
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long cpuNanos = (long) (seconds * 1e9);
        double[][] figures = new double[2][rounds];
        for (int r = -warmup; r < rounds; r++) {
            for (int k = 0; k < 2; k++) {
                int side = (r & 1) == 0 ? k : 1 - k;
                double f = builds[side].measure(mx, cpuNanos);
                if (r >= 0) figures[side][r] = f;
            }
            progress.accept(r < 0 ? String.format(java.util.Locale.ROOT, "warm-up round %d/%d", r + warmup + 1, warmup)
                    : String.format(java.util.Locale.ROOT, "round %d/%d: %,.0f and %,.0f round trips per CPU second", r + 1, rounds,
                    figures[0][r], figures[1][r]));
        }
        return new Result(new Side(a, figures[0]), new Side(b, figures[1]));
    }
}
