package roundtrip.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
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
    String from;
    String src;
    String to;
    String proto = "icmp";
    Integer dport;
    String target;

    /** Adds the probe's options to a command (built, not annotated: see Main.command). */
    static void addTo(CommandSpec spec) {
        spec.addOption(OptionSpec.builder("--from").paramLabel("HOST").type(String.class).build());
        spec.addOption(OptionSpec.builder("--src").paramLabel("IP").type(String.class).build());
        spec.addOption(OptionSpec.builder("--to").paramLabel("IP[:PORT]").type(String.class).build());
        spec.addOption(OptionSpec.builder("--proto").defaultValue("icmp").paramLabel("tcp|udp|icmp").type(String.class).build());
        spec.addOption(OptionSpec.builder("--dport").paramLabel("N").type(Integer.class).build());
        spec.addOption(OptionSpec.builder("--target").paramLabel("HOST").type(String.class)
                .description("the host that must finally receive the request").build());
    }

    /** What the command line gave for them. */
    static ProbeOptions of(CommandSpec spec) {
        ProbeOptions o = new ProbeOptions();
        o.from = spec.findOption("--from").getValue();
        o.src = spec.findOption("--src").getValue();
        o.to = spec.findOption("--to").getValue();
        o.proto = spec.findOption("--proto").getValue();
        o.dport = spec.findOption("--dport").getValue();
        o.target = spec.findOption("--target").getValue();
        return o;
    }

    boolean given() { return from != null || to != null; }

    /** The probe, checked against the network like a probe file's (its host exists, --src is one of its addresses). */
    Probe probe(String id, Network net) {
        Probe probe = parse(id);
        ProbeReader.validate(List.of(new ProbeReader.LocatedProbe(probe, new Source("(command line)", 0, ""))), net);
        return probe;
    }

    /** The probe the options describe, checked for itself (not yet against a network). */
    Probe parse(String id) {
        if (from == null || to == null) throw new InputException("(command line)", 0, "--from HOST and --to IP[:PORT] go together");
        // "[2001:db8::10]:22" or "2001:db8::10" (a bare IPv6 address has no port), "10.0.0.1:22" or "10.0.0.1"
        ProbeReader.Destination dest = ProbeReader.destination(to, m -> new InputException("--to", 0, m));
        if (dest.port() != null && dport != null && !dest.port().equals(dport))
            throw new InputException("--to", 0, "--to says port " + dest.port() + " but --dport says " + dport);
        Integer port = dest.port() != null ? dest.port() : dport;
        int protoNumber = ProbeReader.probeProto(proto, dest.addr(), m -> new InputException("--proto", 0, m));
        if (protoNumber != Packet.ICMP && port == null) throw new InputException("--dport", 0, proto + " needs a destination port");
        if (protoNumber == Packet.ICMP && port != null)
            throw new InputException("--to", 0, "a port (" + port + ") but the probe is icmp: add --proto tcp or --proto udp");
        Ip source = src == null ? null : addr("--src", src);
        if (source != null && source.family() != dest.addr().family())
            throw new InputException("--src", 0, source + " is " + source.family().word() + " but --to " + dest.addr() + " is "
                    + dest.addr().family().word());
        return new Probe(id, from, source, dest.addr(), protoNumber, port == null ? 0 : port, target, null);
    }

    private static Ip addr(String option, String text) {
        try { return Ip.parse(text); } catch (IllegalArgumentException e) {
            throw new InputException(option, 0, e.getMessage());
        }
    }
}
