package roundtrip.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's counters from /proc/self/stat (proc(5)); where there is no such file, every counter is -1. */
public final class ProcStat {
    /** Clock ticks per second of the times in /proc/self/stat (USER_HZ, 100 on Linux). */
    private static final double TICKS = 100.0;

    private ProcStat() {}

    /** Field {@code n} of proc(5) (1-based, as the man page counts), or -1 where unreadable. */
    private static long field(int n) {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // comm (field 2) may hold spaces and parentheses: it ends at the last ')'; field 3 follows ") "
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[n - 3]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Minor page faults so far (field 10): pages the kernel mapped in on first touch. A growing heap's new pages are
     * faulted in as the allocator first writes them, which the measuring thread pays for.
     */
    public static long minorFaults() {
        return field(10);
    }

    /** User + system time of the children this process has waited for (fields 16 and 17), in ns; 0 where unknown. */
    public static long childrenCpuNanos() {
        long user = field(16), system = field(17);
        return user < 0 || system < 0 ? 0 : (long) ((user + system) / TICKS * 1e9);
    }
}
