package roundtrip.lab;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the namespace suites' labs side by side. A lab spends most of its wall time waiting (for daemons to come up,
 * for probes that must time out), so on a 2-core machine several labs at once cut the suites' wall time roughly by
 * the number of labs, while their CPU stays what it was. Concurrency is safe by construction: every lab has its own
 * random namespace prefix, every WireGuard host its own mount namespace for wireguard-go's sockets, every OpenVPN
 * daemon its own directory, and nothing is shared with the root namespace ({@code LabSafetyTest} builds two at once).
 *
 * <p>One pool for the whole test JVM, so suites that run at the same time share the bound:
 * {@code -Droundtrip.lab.parallel=N} (default 4; 1 runs the labs one by one, as before).
 * A suite submits all its labs when JUnit asks for its tests, and each test waits for its own lab's result.
 */
public final class LabPool {
    private static final int PARALLEL = Math.max(1, Integer.getInteger("roundtrip.lab.parallel", 4));
    /** A lab is bounded in time by its own commands; this only keeps a wedged lab from holding the run forever (interrupted). */
    private static final long WAIT_LIMIT_MIN = 30;
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ExecutorService POOL = Executors.newFixedThreadPool(PARALLEL, r -> {
        Thread t = new Thread(r, "lab-pool-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    private static final java.util.concurrent.ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lab-pool-watchdog");
        t.setDaemon(true);
        return t;
    });

    private LabPool() {}

    /** Starts a lab's work (it runs as soon as one of the pool's threads is free). */
    private static <T> Future<T> submit(Callable<T> work) { return POOL.submit(work); }

    /** The work's result, or what it threw, as if it had run in the caller's thread. */
    private static <T> T await(Future<T> future) throws Throwable {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw e.getCause();
        }
    }

    /** A test body that runs in the pool: the dynamic test waits for it. */
    public interface Work {
        void run() throws Throwable;
    }

    /** Starts {@code work} now and returns what the test itself runs: waiting for it. */
    public static org.junit.jupiter.api.function.Executable started(Work work) {
        Future<Object> f = submit(() -> {
            // bounded from when it starts, not from when it was queued behind the other suites' labs
            Thread runner = Thread.currentThread();
            java.util.concurrent.ScheduledFuture<?> limit = WATCHDOG.schedule(runner::interrupt, WAIT_LIMIT_MIN, TimeUnit.MINUTES);
            try {
                work.run();
            } catch (InterruptedException e) {
                throw new AssertionError("a lab did not finish in " + WAIT_LIMIT_MIN + " minutes", e);
            } catch (Exception | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new ExecutionException(t);
            } finally {
                limit.cancel(false);
                Thread.interrupted();   // a late watchdog must not reach the next lab
            }
            return null;
        });
        return () -> await(f);
    }
}
