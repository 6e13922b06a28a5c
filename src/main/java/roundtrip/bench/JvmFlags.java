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

    /**
     * What every command gets where the kernel offers transparent huge pages: its heap in them (the launcher says why:
     * pages faulted in on first use). Elsewhere the JVM would warn at every start.
     */
    public static final String HUGE_PAGES = "-XX:+UseTransparentHugePages";

    /** Where the kernel says whether it offers transparent huge pages: the mode in use is in brackets. */
    static final java.nio.file.Path HUGE_PAGES_SYSFS = java.nio.file.Path.of("/sys/kernel/mm/transparent_hugepage/enabled");

    /** The one-shot flags on a machine of {@code cpus} CPUs, with or without huge pages, as the launcher gives them. */
    public static List<String> oneShot(int cpus, boolean hugePages) {
        List<String> out = new java.util.ArrayList<>(ONE_SHOT);
        if (cpus >= 1 && cpus <= 2) out.add(FEW_CPUS);
        return withHugePages(out, hugePages);
    }

    /** {@link #oneShot(int, boolean)} on this machine. */
    public static List<String> oneShot() {
        return oneShot(Runtime.getRuntime().availableProcessors(), hugePages());
    }

    /** {@link #LONG_RUNNING}, with huge pages where this machine's kernel offers them. */
    public static List<String> longRunning() {
        return withHugePages(LONG_RUNNING, hugePages());
    }

    private static List<String> withHugePages(List<String> flags, boolean hugePages) {
        if (!hugePages) return List.copyOf(flags);
        List<String> out = new java.util.ArrayList<>(flags);
        out.add(HUGE_PAGES);
        return List.copyOf(out);
    }

    /** Whether the kernel offers transparent huge pages, as the launcher tells: "always" or "madvise" is the mode in use. */
    public static boolean hugePages() {
        try {
            return offersHugePages(java.nio.file.Files.readString(HUGE_PAGES_SYSFS));
        } catch (java.io.IOException | SecurityException e) {
            return false;   // no such file (a kernel without them), or not readable: the launcher gives no flag either
        }
    }

    /** Whether the sysfs file's text names "always" or "madvise" as the mode in use ("never" and anything else: no). */
    static boolean offersHugePages(String sysfs) {
        String firstLine = sysfs.lines().findFirst().orElse("");
        return firstLine.contains("[always]") || firstLine.contains("[madvise]");
    }

    /**
     * matrix and bench: the full JIT and the parallel collector, with a young generation of a ninth of the heap
     * (the launcher says why); and {@link #HUGE_PAGES} where the kernel offers them ({@link #longRunning()}).
     */
    public static final List<String> LONG_RUNNING = List.of("-XX:+UseParallelGC", "-XX:NewRatio=8", "-XX:-UsePerfData");
}
