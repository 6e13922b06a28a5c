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
        ProbeReader.Destination dest = ProbeReader.destination(to, m -> new InputException("--to", 0, m));
        Integer port = dest.port() != null ? dest.port() : dport;
        int protoNumber;
        try { protoNumber = Packet.protoNumber(proto); } catch (IllegalArgumentException e) {
            throw new InputException("--proto", 0, "expected tcp, udp or icmp, got \"" + proto + "\"");
        }
        if (protoNumber != Packet.ICMP && port == null) throw new InputException("--dport", 0, proto + " needs a destination port");
        Probe probe = new Probe(id, from, src == null ? null : addr("--src", src), dest.addr(), protoNumber,
                port == null ? 0 : port, target, null);
        ProbeReader.validate(List.of(new ProbeReader.LocatedProbe(probe, new Source("(command line)", 0, ""))), net);
        return probe;
    }

    private static Ip addr(String option, String text) {
        try { return Ip.parse(text); } catch (IllegalArgumentException e) {
            throw new InputException(option, 0, e.getMessage());
        }
    }
}
