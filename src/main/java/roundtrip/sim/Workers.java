package roundtrip.sim;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** The worker threads of matrix, why and bench: a fixed pool of daemon threads, and a task's result or its own exception. */
public final class Workers {
    private Workers() {}

    /** {@code threads} (at least one) daemon threads named {@code name}: they never keep the JVM from exiting. */
    public static ExecutorService pool(int threads, String name) {
        return Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** The task's result; the task's own exception (bad input, or a bug) as it threw it, as a run on this thread would. */
    public static <T> T get(Future<T> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        }
    }
}
