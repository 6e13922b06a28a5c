package roundtrip.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import roundtrip.model.InputException;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Command-line entry point: `roundtrip check | trace ...`. Exit 0 ok, 1 expectation failed, 2 bad input. */
@Command(name = "roundtrip", mixinStandardHelpOptions = true, version = "roundtrip 0.1",
        description = "Finds which half of an exchange dies across NAT, VPNs and policy routing, where, and why.")
public final class Main implements Runnable {
    /**
     * The subcommands in the order usage lists them. Only the one being run is handed to picocli: building a
     * command's spec reads its annotations by reflection, and doing that for every command cost a third of a
     * one-shot run's start (issue 13).
     */
    private static final Map<String, Supplier<Object>> COMMANDS = commands();

    private static Map<String, Supplier<Object>> commands() {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("demo", DemoCommand::new);
        m.put("check", CheckCommand::new);
        m.put("trace", TraceCommand::new);
        m.put("why", WhyCommand::new);
        m.put("matrix", MatrixCommand::new);
        m.put("diff", DiffCommand::new);
        m.put("collect-script", CollectScriptCommand::new);
        m.put("lab", LabCommand::new);
        m.put("bench", BenchCommand::new);
        return m;
    }

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs one command and returns its exit code; output goes to {@code out}, errors (one line) to {@code err}. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        String chosen = null;
        for (String a : args) if (!a.startsWith("-")) { chosen = a; break; }
        if (chosen != null && COMMANDS.containsKey(chosen)) cl.addSubcommand(chosen, COMMANDS.get(chosen).get());
        else COMMANDS.forEach((name, command) -> cl.addSubcommand(name, command.get()));
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
