package roundtrip.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import roundtrip.model.InputException;
import roundtrip.model.Network;
import roundtrip.model.Packet;
import roundtrip.report.MatrixReport;
import roundtrip.sim.Matrix;
import roundtrip.sim.MatrixSummary;

import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** `roundtrip matrix`: every host to every other host; exit 1 when a pair that worked in the baseline fails now. */
@Command(name = "matrix", mixinStandardHelpOptions = true,
        description = "Probe every host from every other host (each address it owns: ping and its listening services) "
                + "and summarise which pairs fail and why; with --baseline, the pairs whose verdict changed.")
final class MatrixCommand implements Callable<Integer> {
    @Spec CommandSpec spec;


    @Option(names = "--ports", split = ",", paramLabel = "PROTO/PORT",
            description = "services probed on every address besides ping, e.g. tcp/22,udp/53 (default: what each host's ss-listen.txt lists)")
    List<String> ports;

    @Option(names = "--all-ports", description = "every tcp and udp port, not only the listening ones: the ports are grouped into the "
            + "classes every rule of the network treats alike and one port per class is probed; the text lists, per address, "
            + "the open ports and the filtered ranges")
    boolean allPorts;

    @Option(names = "--all-warnings", description = "every warning about the inputs; by default the first "
            + WARNINGS_PER_KIND + " of each kind, and how many more there are")
    boolean allWarnings;

    /** warnings of one kind shown in full: a big network repeats one warning for thousands of rules or hosts */
    static final int WARNINGS_PER_KIND = 5;

    @Option(names = "--baseline", paramLabel = "DIR|FILE",
            description = "another snapshot (directory or collector archive) or network file: list the pairs whose verdict changed; exit 1 when one that worked fails now")
    Path baseline;

    @Option(names = "--format", defaultValue = "text", paramLabel = "text|jsonl",
            description = "text: a summary for people; jsonl: one JSON object per pair (with --baseline: per changed pair)")
    String format;

    @Option(names = "--hops", description = "jsonl: include every pair's hops (large)")
    boolean hops;

    @Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "simulation threads (default: all processors)")
    int threads;

    @Option(names = "--lang", defaultValue = "en", paramLabel = "en|zh", description = "language of the summary")
    String lang;

    @Override public Integer call() throws InterruptedException {
        if (!format.equals("text") && !format.equals("jsonl"))
            throw new InputException("(command line)", 0, "--format must be text or jsonl, got \"" + format + "\"");
        Format.checkLang(lang);
        if (allPorts && ports != null) throw new InputException("(command line)", 0, "--all-ports and --ports do not go together");
        List<Matrix.Service> services = ports == null ? null : services(ports);
        PrintWriter err = spec.commandLine().getErr();
        Progress progress = new Progress(err, lang.equals("zh"));

        Network net = NetworkOptions.of(spec).load(false).network();
        Network before = baseline == null ? null : loadBaseline(baseline);
        roundtrip.sim.PortClasses classes = allPorts ? roundtrip.sim.PortClasses.of(net, before) : null;
        Matrix m = new Matrix(net, services, before, classes);
        int perKind = allWarnings ? Integer.MAX_VALUE : WARNINGS_PER_KIND;
        Inputs.warn(net, m.simulator(), err, lang, perKind, "--all-warnings");
        if (before != null) Inputs.warn(before, m.baselineSimulator(), err, lang, perKind, "--all-warnings");
        progress.start(m.pairCount());

        boolean comparing = before != null;
        boolean jsonl = format.equals("jsonl");
        MatrixSummary summary = new MatrixSummary(comparing);
        PrintWriter out = new PrintWriter(new BufferedWriter(spec.commandLine().getOut(), 1 << 16), false);
        // --all-ports without a baseline: per address, the open ports and the filtered ranges, as they come
        boolean perAddress = allPorts && !comparing && !format.equals("jsonl");
        roundtrip.sim.PortReach reach = new roundtrip.sim.PortReach();
        long[] probed = new long[2];   // --all-ports: tcp/udp classes probed, and the address-protocol pairs they cover
        if (perAddress) out.print(MatrixReport.portClassesText(classes.all(), lang));
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        // the worker that simulated a pair also tallies it, and writes its line: the thread handing pairs over in order
        // then reads one small object per pair
        java.util.function.Function<Matrix.Outcome, Handed> render = o -> {
            MatrixSummary.Tally t = MatrixSummary.tally(o, comparing);
            return new Handed(t, jsonl && (!comparing || t.changed()) ? MatrixReport.jsonLine(o, hops, comparing) : null);
        };
        // the outcome itself is read only with --all-ports (null otherwise)
        java.util.function.BiConsumer<Matrix.Outcome, Handed> consume = (o, handed) -> {
            summary.add(handed.tally());
            if (handed.line() != null) out.println(handed.line());
            if (perAddress) {
                roundtrip.sim.PortReach.Reach done = reach.add(o);
                if (done != null) out.print(MatrixReport.reachText(done, lang));
            }
            // with --all-ports a protocol of an address is one unit of progress, whatever its classes: it
            // starts with the class of port 1
            boolean firstOfUnit = !allPorts || o.pair().target().service().port() <= 1;
            if (firstOfUnit) progress.pair();
            if (allPorts && o.pair().target().service().proto() != Packet.ICMP) {
                probed[0]++;
                if (firstOfUnit) probed[1]++;
            }
        };
        m.run(n, jsonl && hops, allPorts, render, consume);
        progress.done();
        if (perAddress) {
            roundtrip.sim.PortReach.Reach last = reach.finish();
            if (last != null) out.print(MatrixReport.reachText(last, lang));
            out.print(MatrixReport.classesProbedText(probed[0], probed[1], lang));
        } else if (!jsonl) out.print(MatrixReport.text(summary, m.hostCount(), lang));
        out.flush();
        return comparing && summary.regressed() ? 1 : 0;
    }

    /** A pair as a worker prepared it: its tally for the summary, and its JSON line (null when none is written). */
    private record Handed(MatrixSummary.Tally tally, String line) {}

    /** "tcp/22" -> tcp port 22; bad input names the item. */
    static List<Matrix.Service> services(List<String> items) {
        List<Matrix.Service> out = new ArrayList<>();
        for (String raw : items) {
            String t = raw.trim().toLowerCase(Locale.ROOT);
            int slash = t.indexOf('/');
            String proto = slash < 0 ? t : t.substring(0, slash);
            if (slash < 0 || !(proto.equals("tcp") || proto.equals("udp")))
                throw new InputException("(command line)", 0, "--ports: expected tcp/PORT or udp/PORT, got \"" + raw + "\"");
            int port;
            try {
                port = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) throw new InputException("(command line)", 0, "--ports: not a port 1-65535 in \"" + raw + "\"");
            out.add(new Matrix.Service(proto.equals("tcp") ? Packet.TCP : Packet.UDP, port));
        }
        return out;
    }

    /** A directory or collector archive is a snapshot; another file a network file. */
    private static Network loadBaseline(Path p) {
        if (!Files.exists(p)) throw new InputException(p.toString(), 0, "no such baseline (a snapshot directory or a network file)");
        String name = p.getFileName().toString();
        if (Files.isDirectory(p) || name.endsWith(".tar.gz") || name.endsWith(".tgz"))
            return Inputs.network(List.of(p), null);
        return Inputs.load(p, null, null, false).network();
    }

    /** A line on stderr every few seconds while a run is long enough to wonder about. */
    private static final class Progress {
        private static final long EVERY = 2_000_000_000L;
        private final PrintWriter err;
        private final boolean zh;
        private long total, done, started, last;

        Progress(PrintWriter err, boolean zh) { this.err = err; this.zh = zh; }

        void start(long pairs) {
            total = pairs;
            started = last = System.nanoTime();
        }

        void pair() {
            done++;
            if ((done & 255) != 0) return;
            long now = System.nanoTime();
            if (now - last < EVERY) return;
            last = now;
            double secs = (now - started) / 1e9;
            double left = done == 0 ? 0 : secs * (total - done) / done;
            err.println(String.format(Locale.ROOT, zh ? "matrix：已完成 %,d / %,d 对（%.0f%%），用时 %.0f 秒，约剩 %.0f 秒"
                    : "matrix: %,d of %,d pairs (%.0f%%), %.0f s, about %.0f s left", done, total, 100.0 * done / Math.max(1, total), secs, left));
            err.flush();
        }

        void done() {
            double secs = (System.nanoTime() - started) / 1e9;
            if (secs < 2) return;
            err.println(String.format(Locale.ROOT, zh ? "matrix：%,d 对，用时 %.1f 秒" : "matrix: %,d pairs in %.1f s", done, secs));
            err.flush();
        }
    }
}
