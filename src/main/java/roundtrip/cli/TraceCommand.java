package roundtrip.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import roundtrip.importer.ProbeReader;
import roundtrip.model.InputException;
import roundtrip.model.Source;
import roundtrip.model.Ip4;
import roundtrip.model.Network;
import roundtrip.model.Packet;
import roundtrip.model.Probe;
import roundtrip.report.JsonReport;
import roundtrip.report.TextReport;
import roundtrip.sim.ProbeResult;
import roundtrip.sim.Simulator;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** `roundtrip trace`: one probe, hop by hop, for people. */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = "Follow one probe and its answer hop by hop, rule by rule.")
final class TraceCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--snapshot", paramLabel = "DIR|TGZ", description = "repeatable") List<Path> snapshot;
    @Option(names = "--network", paramLabel = "FILE", description = "hand-written network file (YAML); may be combined with --snapshot") Path network;
    @Option(names = "--topology", paramLabel = "FILE") Path topology;
    @Option(names = "--from", required = true, paramLabel = "HOST") String from;
    @Option(names = "--src", paramLabel = "IP") String src;
    @Option(names = "--to", required = true, paramLabel = "IP[:PORT]") String to;
    @Option(names = "--proto", defaultValue = "icmp", paramLabel = "tcp|udp|icmp") String proto;
    @Option(names = "--dport", paramLabel = "N") Integer dport;
    @Option(names = "--target", paramLabel = "HOST", description = "the host that must finally receive the request") String target;
    @Option(names = "--format", defaultValue = "text", paramLabel = "json|text") String format;

    @Override public Integer call() {
        Format.check(format);
        Network net = Inputs.load(network, snapshot, topology, false).network();
        String toAddr = to;
        Integer port = dport;
        int colon = to.indexOf(':');
        if (colon > 0) {
            toAddr = to.substring(0, colon);
            port = parsePort(to.substring(colon + 1));
        }
        int protoNumber;
        try { protoNumber = Packet.protoNumber(proto); } catch (IllegalArgumentException e) {
            throw new InputException("--proto", 0, "expected tcp, udp or icmp, got \"" + proto + "\"");
        }
        if (protoNumber != Packet.ICMP && port == null) throw new InputException("--dport", 0, proto + " needs a destination port");
        Probe probe = new Probe("trace", from, src == null ? null : addr("--src", src), addr("--to", toAddr), protoNumber,
                port == null ? 0 : port, target, null);
        ProbeReader.validate(List.of(new ProbeReader.LocatedProbe(probe, new Source("(command line)", 0, ""))), net);
        Simulator sim = new Simulator(net);
        Inputs.warn(net, sim, spec.commandLine().getErr());
        ProbeResult r = sim.run(probe, true);
        PrintWriter out = spec.commandLine().getOut();
        out.print(format.equals("json") ? JsonReport.render(List.of(r)) + "\n" : TextReport.trace(r));
        out.flush();
        return 0;
    }

    private static int addr(String option, String text) {
        try { return Ip4.parse(text); } catch (IllegalArgumentException e) {
            throw new InputException(option, 0, "not an IPv4 address: " + text);
        }
    }

    private static int parsePort(String text) {
        try {
            int p = Integer.parseInt(text);
            if (p < 1 || p > 65535) throw new NumberFormatException();
            return p;
        } catch (NumberFormatException e) {
            throw new InputException("--to", 0, "not a port: " + text);
        }
    }
}
