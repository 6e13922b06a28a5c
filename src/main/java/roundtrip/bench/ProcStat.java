package roundtrip.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's counters from /proc/self/stat (proc(5)); each method says what it gives where there is no such file. */
public final class ProcStat {
    /** Clock ticks per second of the times in /proc/self/stat (USER_HZ, 100 on Linux). */
    private static final double TICKS = 100.0;

    private ProcStat() {}

    /** Fields {@code ns} of proc(5) (1-based, as the man page counts) from one read of the file, or null where unreadable. */
    private static long[] fields(int... ns) {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // comm (field 2) may hold spaces and parentheses: it ends at the last ')'; field 3 follows ") "
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long[] out = new long[ns.length];
            for (int i = 0; i < ns.length; i++) out[i] = Long.parseLong(f[ns[i] - 3]);
            return out;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Minor page faults so far (field 10): pages the kernel mapped in on first touch. A growing heap's new pages are
     * faulted in as the allocator first writes them, which the measuring thread pays for. -1 where unknown.
     */
    public static long minorFaults() {
        long[] f = fields(10);
        return f == null ? -1 : f[0];
    }

    /** User + system time of the children this process has waited for (fields 16 and 17), in ns; 0 where unknown. */
    public static long childrenCpuNanos() {
        long[] f = fields(16, 17);
        return f == null ? 0 : (long) ((f[0] + f[1]) / TICKS * 1e9);
    }
}
