package roundtrip.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/** Where the network comes from, as check, trace and why take it: snapshots, a network file, or both. */
final class NetworkOptions {
    @Option(names = "--snapshot", paramLabel = "DIR|TGZ",
            description = "snapshot directory (design §1a), a host directory, or a collector archive; repeatable")
    List<Path> snapshot;

    @Option(names = "--network", paramLabel = "FILE",
            description = "hand-written network file (YAML, design §1b); may be combined with --snapshot")
    Path network;

    @Option(names = "--topology", paramLabel = "FILE", description = "topology.json, when the snapshots do not hold one")
    Path topology;

    Inputs.Loaded load(boolean afterReboot) { return Inputs.load(network, snapshot, topology, afterReboot); }
}
