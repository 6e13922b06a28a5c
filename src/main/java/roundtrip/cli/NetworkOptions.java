package roundtrip.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Path;
import java.util.List;

/** Where the network comes from, as check, trace and why take it: snapshots, a network file, or both. */
final class NetworkOptions {
    List<Path> snapshot;
    Path network;
    Path topology;

    /** Adds --snapshot, --network and --topology to a command (built, not annotated: see Main.command). */
    static void addTo(CommandSpec spec) {
        spec.addOption(OptionSpec.builder("--snapshot").paramLabel("DIR|TGZ").type(List.class).auxiliaryTypes(Path.class)
                .description("snapshot directory (design §1a), a host directory, or a collector archive; repeatable").build());
        spec.addOption(OptionSpec.builder("--network").paramLabel("FILE").type(Path.class)
                .description("hand-written network file (YAML, design §1b); may be combined with --snapshot").build());
        spec.addOption(OptionSpec.builder("--topology").paramLabel("FILE").type(Path.class)
                .description("topology.json, when the snapshots do not hold one").build());
    }

    /** What the command line gave for them. */
    static NetworkOptions of(CommandSpec spec) {
        NetworkOptions o = new NetworkOptions();
        o.snapshot = spec.findOption("--snapshot").getValue();
        o.network = spec.findOption("--network").getValue();
        o.topology = spec.findOption("--topology").getValue();
        return o;
    }

    /** An annotated command (matrix, lab verify) with these options added to it. */
    static CommandLine addedTo(CommandLine command) {
        addTo(command.getCommandSpec());
        return command;
    }

    Inputs.Loaded load(boolean afterReboot) { return Inputs.load(network, snapshot, topology, afterReboot); }
}
