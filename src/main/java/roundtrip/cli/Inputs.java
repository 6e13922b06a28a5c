package roundtrip.cli;

import roundtrip.importer.SnapshotInputs;
import roundtrip.model.InputException;
import roundtrip.model.Network;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Loading what the commands are given, with the one-line errors the CLI promises. */
final class Inputs {
    private Inputs() {}

    static Network network(List<Path> snapshots, Path topology) {
        return network(snapshots, topology, false);
    }

    static Network network(List<Path> snapshots, Path topology, boolean afterReboot) {
        if (snapshots == null || snapshots.isEmpty()) throw new InputException("(command line)", 0, "--snapshot DIR is required");
        for (Path s : snapshots) if (!Files.exists(s)) throw new InputException(s.toString(), 0, "no such snapshot");
        return SnapshotInputs.load(snapshots, topology, afterReboot);
    }

    /** Everything the importers did not understand, one line each, so nothing is ignored silently. */
    static void warn(Network net, roundtrip.sim.Simulator sim, java.io.PrintWriter err) {
        for (roundtrip.model.Host h : net.hosts().values())
            for (roundtrip.model.Problem p : h.problems()) err.println("roundtrip: warning: " + p);
        for (roundtrip.model.Problem p : sim.problems()) err.println("roundtrip: warning: " + p);
        err.flush();
    }
}
