package roundtrip.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import roundtrip.importer.ProbeReader;
import roundtrip.model.InputException;
import roundtrip.model.Ip4;
import roundtrip.model.Network;
import roundtrip.model.Packet;
import roundtrip.model.Probe;
import roundtrip.model.Source;
import roundtrip.fix.Why;
import roundtrip.report.WhyReport;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** `roundtrip why`: the root cause of a failing probe in words, and the smallest fixes, proven by simulating again. */
@Command(name = "why", mixinStandardHelpOptions = true,
        description = "Explain why a probe fails (root cause with evidence) and propose fixes verified by re-simulation.")
final class WhyCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--snapshot", paramLabel = "DIR|TGZ", description = "repeatable") List<Path> snapshot;
    @Option(names = "--network", paramLabel = "FILE", description = "hand-written network file (YAML); may be combined with --snapshot") Path network;
    @Option(names = "--topology", paramLabel = "FILE") Path topology;
    @Option(names = "--probes", paramLabel = "FILE", description = "explain every probe of this file (they are also the probes a fix must not break)") Path probes;
    @Option(names = "--from", paramLabel = "HOST") String from;
    @Option(names = "--src", paramLabel = "IP") String src;
    @Option(names = "--to", paramLabel = "IP[:PORT]") String to;
    @Option(names = "--proto", defaultValue = "icmp", paramLabel = "tcp|udp|icmp") String proto;
    @Option(names = "--dport", paramLabel = "N") Integer dport;
    @Option(names = "--target", paramLabel = "HOST", description = "the host that must finally receive the request") String target;
    @Option(names = "--format", defaultValue = "text", paramLabel = "json|text") String format;
    @Option(names = "--lang", defaultValue = "en", paramLabel = "en|zh", description = "language of explanations and headings") String lang;

    @Override public Integer call() {
        Format.check(format);
        if (!lang.equals("en") && !lang.equals("zh")) throw new InputException("--lang", 0, "expected en or zh, got \"" + lang + "\"");
        Inputs.Loaded loaded = Inputs.load(network, snapshot, topology, false);
        Network net = loaded.network();
        List<Probe> fileProbes = new ArrayList<>();
        if (probes != null || !loaded.probes().isEmpty()) {
            List<ProbeReader.LocatedProbe> located = probes != null ? ProbeReader.readLocated(probes) : loaded.probes();
            ProbeReader.validate(located, net);
            located.forEach(l -> fileProbes.add(l.probe()));
        }
        List<Probe> asked = new ArrayList<>();
        if (to != null || from != null) asked.add(probeFromOptions(net));
        else if (!fileProbes.isEmpty()) asked.addAll(fileProbes);
        else throw new InputException("(command line)", 0, "give --from HOST --to IP[:PORT], or --probes FILE (or a network file with probes)");

        Why why = new Why(net);
        Inputs.warn(net, why.simulator(), spec.commandLine().getErr());
        List<Why.Result> results = new ArrayList<>();
        for (Probe p : asked) results.add(why.explain(p, fileProbes));
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) out.println(WhyReport.json(results, net, lang));
        else {
            for (int i = 0; i < results.size(); i++) {
                if (i > 0) out.println("\n" + "-".repeat(100) + "\n");
                out.print(WhyReport.text(results.get(i), net, lang));
            }
        }
        out.flush();
        return 0;
    }

    private Probe probeFromOptions(Network net) {
        if (from == null || to == null) throw new InputException("(command line)", 0, "--from and --to go together");
        String toAddr = to;
        Integer port = dport;
        int colon = to.indexOf(':');
        if (colon > 0) {
            toAddr = to.substring(0, colon);
            try { port = Integer.parseInt(to.substring(colon + 1)); } catch (NumberFormatException e) {
                throw new InputException("--to", 0, "not a port: " + to.substring(colon + 1));
            }
        }
        int protoNumber;
        try { protoNumber = Packet.protoNumber(proto); } catch (IllegalArgumentException e) {
            throw new InputException("--proto", 0, "expected tcp, udp or icmp, got \"" + proto + "\"");
        }
        if (protoNumber != Packet.ICMP && port == null) throw new InputException("--dport", 0, proto + " needs a destination port");
        Probe probe = new Probe("why", from, src == null ? null : addr("--src", src), addr("--to", toAddr), protoNumber,
                port == null ? 0 : port, target, null);
        ProbeReader.validate(List.of(new ProbeReader.LocatedProbe(probe, new Source("(command line)", 0, ""))), net);
        return probe;
    }

    private static int addr(String option, String text) {
        try { return Ip4.parse(text); } catch (IllegalArgumentException e) {
            throw new InputException(option, 0, "not an IPv4 address: " + text);
        }
    }
}
