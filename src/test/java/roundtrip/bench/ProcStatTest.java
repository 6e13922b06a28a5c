package roundtrip.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

class ProcStatTest {
    /** Memory the process has not touched before is faulted in page by page as it is first written (proc(5) minflt). */
    @Test
    @EnabledOnOs(OS.LINUX)
    void firstTouchOfNewMemoryCountsAsMinorFaults() {
        long before = ProcStat.minorFaults();
        ByteBuffer fresh = ByteBuffer.allocateDirect(64 << 20);
        for (int i = 0; i < fresh.capacity(); i += 4096) fresh.put(i, (byte) 1);
        long after = ProcStat.minorFaults();
        assertThat(before).isPositive();
        // 16,384 pages of 4 KiB; fewer if the kernel backs some of it with huge pages
        assertThat(after - before).isGreaterThan(100);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void childrenCpuTimeIsCountedOnceTheyAreWaitedFor() throws Exception {
        long before = ProcStat.childrenCpuNanos();
        Process p = new ProcessBuilder("sh", "-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done").start();
        assertThat(p.waitFor()).isZero();
        assertThat(ProcStat.childrenCpuNanos()).isGreaterThan(before);
    }
}
