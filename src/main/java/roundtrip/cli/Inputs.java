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
}
