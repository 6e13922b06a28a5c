package roundtrip.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import roundtrip.model.InputException;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** Command-line entry point: `roundtrip check | trace ...`. Exit 0 ok, 1 expectation failed, 2 bad input. */
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
        m.put("check", () -> new CheckCommand().spec);
        m.put("trace", () -> new TraceCommand().spec);
        m.put("why", () -> new WhyCommand().spec);
        m.put("matrix", () -> NetworkOptions.addedTo(new CommandLine(new MatrixCommand())));
        m.put("diff", DiffCommand::new);
        m.put("collect-script", CollectScriptCommand::new);
        m.put("lab", LabCommand::withSubcommands);
        m.put("bench", BenchCommand::new);
        return m;
    }

    static {
        // picocli registers converters for java.sql and java.time types by reflection, loading some eighty classes
        // (a tenth of its start); no option here has such a type. A value the user set stays.
        if (System.getProperty("picocli.converters.excludes") == null)
            System.setProperty("picocli.converters.excludes", "java\\.(sql|time)\\..*");
        // its default factory looks for Groovy's Closure class, which this jar lacks: the failed search through the
        // jar and its exception cost a one-shot run some 2-4 ms; no command here is written in Groovy
        if (System.getProperty("picocli.disable.closures") == null) System.setProperty("picocli.disable.closures", "true");
    }

    private final CommandSpec spec = command(this, "roundtrip",
            "Finds which half of an exchange dies across NAT, VPNs and policy routing, where, and why.").version("roundtrip 0.1");

    /**
     * A command's spec built with picocli's API rather than read from annotations: its name, description and the
     * standard -h/-V (what mixinStandardHelpOptions gives). Reading annotations costs a one-shot run tens of
     * milliseconds of reflection and proxy classes, which the class-data archive cannot hold (issue 13); the
     * one-shot commands (check, trace, why) and this root are built so, the others keep their annotations.
     */
    static CommandSpec command(Object command, String name, String description) {
        CommandSpec spec = CommandSpec.wrapWithoutInspection(command).name(name);
        spec.usageMessage().description(description);
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true).description("Print version information and exit.").build());
        return spec;
    }

    public static void main(String[] args) {
        // UTF-8 whatever the locale: the JVM writes standard output in the locale's encoding, and under a server's
        // LANG=C (SSH sessions, containers) every Chinese character of --lang zh came out as '?'
        PrintStream out = utf8(java.io.FileDescriptor.out), err = utf8(java.io.FileDescriptor.err);
        System.setOut(out);
        System.setErr(err);
        int code = run(out, err, args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** A stream on {@code fd} as the JVM makes System.out (buffered, flushed at each line), but in UTF-8. */
    private static PrintStream utf8(java.io.FileDescriptor fd) {
        return new PrintStream(new java.io.BufferedOutputStream(new java.io.FileOutputStream(fd), 8192), true,
                java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Runs one command and returns its exit code; output goes to {@code out}, errors (one line) to {@code err}, both
     * written in UTF-8.
     */
    public static int run(PrintStream out, PrintStream err, String... args) {
        CommandLine cl = new CommandLine(new Main().spec);
        String chosen = null;
        for (String a : args) if (!a.startsWith("-")) { chosen = a; break; }
        boolean versionOnly = args.length == 1 && (args[0].equals("-V") || args[0].equals("--version"));
        if (chosen != null && COMMANDS.containsKey(chosen)) cl.addSubcommand(chosen, COMMANDS.get(chosen).get());
        // every command for usage and for "did you mean" (the annotated ones read by reflection); the version needs none
        else if (!versionOnly) COMMANDS.forEach((name, command) -> cl.addSubcommand(name, command.get()));
        // the writers picocli hands the commands: UTF-8 as the streams are, not the locale's default charset
        cl.setOut(new PrintWriter(new java.io.OutputStreamWriter(out, java.nio.charset.StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new java.io.OutputStreamWriter(err, java.nio.charset.StandardCharsets.UTF_8), true));
        OneLineErrors errors = new OneLineErrors(err);
        cl.setParameterExceptionHandler(errors);
        cl.setExecutionExceptionHandler(errors);
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * Errors as one line each: bad arguments and bad input exit 2, anything else is a bug (exit 3). A class rather
     * than two lambdas: picocli's handler interfaces are of an old class-file version, so lambdas implementing them
     * cannot come from the class-data archive and would be spun at every start (issue 13).
     */
    private record OneLineErrors(PrintStream err)
            implements CommandLine.IParameterExceptionHandler, CommandLine.IExecutionExceptionHandler {
        @Override public int handleParseException(CommandLine.ParameterException ex, String[] args) {
            err.println("roundtrip: " + ex.getMessage() + suggestion(ex));
            return 2;
        }

        @Override public int handleExecutionException(Exception ex, CommandLine commandLine, CommandLine.ParseResult parsed) {
            if (ex instanceof InputException ie) {
                err.println("roundtrip: " + ie.oneLine());
                return 2;
            }
            err.println("roundtrip: internal error (a bug, please report it): " + ex);
            if (System.getenv("ROUNDTRIP_TRACE") != null) ex.printStackTrace(err);
            return 3;
        }
    }

    /**
     * For a mistyped command or option, the nearest real ones ("roundtrip chekc": did you mean check?): those at the
     * smallest edit distance (letters changed, added, removed or swapped), when it is small for the word's length.
     */
    static String suggestion(CommandLine.ParameterException ex) {
        if (!(ex instanceof CommandLine.UnmatchedArgumentException u) || u.getUnmatched().isEmpty()) return "";
        String word = u.getUnmatched().get(0);
        CommandLine.Model.CommandSpec spec = u.getCommandLine().getCommandSpec();
        java.util.Collection<String> names = word.startsWith("-") ? spec.optionsMap().keySet() : spec.subcommands().keySet();
        if (names.isEmpty()) return "";
        int best = Integer.MAX_VALUE;
        List<String> nearest = new ArrayList<>();
        for (String n : new java.util.TreeSet<>(names)) {
            int d = editDistance(word, n);
            if (d < best) { best = d; nearest.clear(); }
            if (d == best) nearest.add(n);
        }
        if (best > Math.max(1, word.replaceFirst("^-+", "").length() / 3))
            return word.startsWith("-") ? "" : " (commands: " + String.join(", ", spec.subcommands().keySet()) + ")";
        return ": did you mean " + String.join(" or ", nearest) + "?";
    }

    /** Optimal string alignment distance: changes, insertions, deletions and swaps of neighbours cost one each. */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++)
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1))
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
            }
        return d[a.length()][b.length()];
    }

    @Override public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
