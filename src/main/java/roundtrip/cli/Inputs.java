package roundtrip.cli;

import roundtrip.importer.SnapshotLoader;
import roundtrip.model.InputException;
import roundtrip.model.Network;

import java.nio.file.Files;
import java.nio.file.Path;

/** Loading what the commands are given, with the one-line errors the CLI promises. */
final class Inputs {
    private Inputs() {}

    static Network network(Path snapshot) {
        if (snapshot == null) throw new InputException("(command line)", 0, "--snapshot DIR is required");
        if (!Files.isDirectory(snapshot)) throw new InputException(snapshot.toString(), 0, "no such snapshot directory");
        return SnapshotLoader.load(snapshot);
    }

    /** Everything the importers did not understand, one line each, so nothing is ignored silently. */
    static void warn(Network net, roundtrip.sim.Simulator sim, java.io.PrintWriter err) {
        for (roundtrip.model.Host h : net.hosts().values())
            for (roundtrip.model.Problem p : h.problems()) err.println("roundtrip: warning: " + p);
        for (roundtrip.model.Problem p : sim.problems()) err.println("roundtrip: warning: " + p);
        err.flush();
    }
}
