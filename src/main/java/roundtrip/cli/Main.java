package roundtrip.cli;

import java.io.PrintStream;

/** Command-line entry point. (Being written: placeholder.) */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs one command (e.g. "check --snapshot DIR --probes FILE --format json") and returns its exit code. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        throw new UnsupportedOperationException("not yet written");
    }
}
