package roundtrip.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * How fast the machine was while bench measured: one fixed piece of work (sorting the same million pseudo-random ints),
 * timed when bench starts and when it ends. A shared machine's speed moves with its neighbours' load (on the 2-core
 * machine of issue 13, the same code's round trips per CPU second moved by half within a day): the reference moves
 * with it, so that figures from different runs can be compared through it.
 */
public final class MachineReference {
    private static final int SIZE = 1 << 20;
    /** timed sorts; the median is the figure */
    public static final int TIMED = 7;
    private static final int WARM_UP = 3;
    /** a value of each sorted copy, kept where the JIT compiler cannot see it unused */
    private static volatile int kept;

    private MachineReference() {}

    /** Milliseconds one sort takes: the median of {@link #TIMED}, after a few untimed ones for the JIT compiler. */
    public static double sortMillis() {
        int[] data = new SplittableRandom(13).ints(SIZE).toArray();
        double[] ms = new double[TIMED];
        for (int i = 0; i < WARM_UP + TIMED; i++) {
            int[] copy = data.clone();
            long a = System.nanoTime();
            Arrays.sort(copy);
            long took = System.nanoTime() - a;
            kept = copy[SIZE / 2];
            if (i >= WARM_UP) ms[i - WARM_UP] = took / 1e6;
        }
        return Spread.of(ms).median();
    }
}
