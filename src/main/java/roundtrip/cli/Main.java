package roundtrip.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import roundtrip.model.InputException;

import java.io.PrintStream;
import java.io.PrintWriter;

/** Command-line entry point: `roundtrip check | trace ...`. Exit 0 ok, 1 expectation failed, 2 bad input. */
@Command(name = "roundtrip", mixinStandardHelpOptions = true, version = "roundtrip 0.1",
        description = "Finds which half of an exchange dies across NAT, VPNs and policy routing, where, and why.",
        subcommands = {DemoCommand.class, CheckCommand.class, TraceCommand.class, WhyCommand.class, DiffCommand.class, CollectScriptCommand.class, LabCommand.class,
                BenchCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs one command and returns its exit code; output goes to {@code out}, errors (one line) to {@code err}. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("roundtrip: " + ex.getMessage());
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof InputException ie) {
                err.println("roundtrip: " + ie.oneLine());
                return 2;
            }
            err.println("roundtrip: internal error (a bug, please report it): " + ex);
            return 3;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    @Override public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
