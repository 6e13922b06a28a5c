package roundtrip.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * How long the JIT compiler has worked, for the warm-ups of bench and of the in-turn comparison: a measurement starts
 * once the compiler has (nearly) stopped, so that it is about compiled code and not about the compiler.
 */
public final class JitClock {
    /** Compiling less than this many ms per second of measuring counts as done. */
    public static final long QUIET_MS_PER_SECOND = 20;

    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();

    private JitClock() {}

    /** Whether this JVM counts its compiler's time (when not, a warm-up cannot wait for it). */
    public static boolean counted() { return JIT != null && JIT.isCompilationTimeMonitoringSupported(); }

    /** Milliseconds the JIT compiler has worked so far; 0 when the JVM does not count them. */
    public static long compiledMillis() { return counted() ? JIT.getTotalCompilationTime() : 0; }
}
