package roundtrip.bench;

import java.util.List;

/**
 * The JVM flags bin/roundtrip gives each kind of run, for the processes bench starts without the launcher (keep the
 * two alike: {@code JvmFlagsTest} reads the launcher).
 */
public final class JvmFlags {
    private JvmFlags() {}

    /**
     * check, trace, why and the other one-shot commands: C1 only and the serial collector start fastest; no interpreter
     * profile (only C2 reads it) and C1 inlining small callees only (it compiles faster).
     */
    public static final List<String> ONE_SHOT = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-ProfileInterpreter",
            "-XX:C1MaxInlineSize=15", "-XX:-UsePerfData");

    /** What a one-shot command gets besides on a machine of one or two CPUs: one C1 compiler thread, not two. */
    public static final String FEW_CPUS = "-XX:CICompilerCount=1";

    /** The one-shot flags on a machine of {@code cpus} CPUs, as the launcher gives them. */
    public static List<String> oneShot(int cpus) {
        if (cpus < 1 || cpus > 2) return ONE_SHOT;
        List<String> out = new java.util.ArrayList<>(ONE_SHOT);
        out.add(FEW_CPUS);
        return List.copyOf(out);
    }

    /** {@link #oneShot(int)} on this machine. */
    public static List<String> oneShot() {
        return oneShot(Runtime.getRuntime().availableProcessors());
    }

    /**
     * matrix and bench: the full JIT and the parallel collector, with a young generation of a ninth of the heap, in
     * transparent huge pages (the launcher says why: pages faulted in on first use).
     */
    public static final List<String> LONG_RUNNING = List.of("-XX:+UseParallelGC", "-XX:NewRatio=8", "-XX:+UseTransparentHugePages",
            "-XX:-UsePerfData");
}
