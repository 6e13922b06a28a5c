package roundtrip.cli;

import picocli.CommandLine.Option;
import roundtrip.importer.ProbeReader;
import roundtrip.model.InputException;
import roundtrip.model.Ip;
import roundtrip.model.Network;
import roundtrip.model.Packet;
import roundtrip.model.Probe;
import roundtrip.model.Source;

import java.util.List;

/** One probe given on the command line (trace, why): --from HOST --to IP[:PORT] [--proto] [--dport] [--src] [--target]. */
final class ProbeOptions {
    @Option(names = "--from", paramLabel = "HOST") String from;
    @Option(names = "--src", paramLabel = "IP") String src;
    @Option(names = "--to", paramLabel = "IP[:PORT]") String to;
    @Option(names = "--proto", defaultValue = "icmp", paramLabel = "tcp|udp|icmp") String proto;
    @Option(names = "--dport", paramLabel = "N") Integer dport;
    @Option(names = "--target", paramLabel = "HOST", description = "the host that must finally receive the request") String target;

    boolean given() { return from != null || to != null; }

    /** The probe, checked against the network like a probe file's (its host exists, --src is one of its addresses). */
    Probe probe(String id, Network net) {
        if (from == null || to == null) throw new InputException("(command line)", 0, "--from HOST and --to IP[:PORT] go together");
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
        Probe probe = new Probe(id, from, src == null ? null : addr("--src", src), addr("--to", toAddr), protoNumber,
                port == null ? 0 : port, target, null);
        ProbeReader.validate(List.of(new ProbeReader.LocatedProbe(probe, new Source("(command line)", 0, ""))), net);
        return probe;
    }

    private static Ip addr(String option, String text) {
        try { return Ip.parseV4(text); } catch (IllegalArgumentException e) {
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
