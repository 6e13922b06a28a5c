package roundtrip.importer;

import roundtrip.model.Network;

import java.nio.file.Path;

/** Loads a snapshot directory (design §1a) into a {@link Network}. (Being written: placeholder signature.) */
public final class SnapshotLoader {
    private SnapshotLoader() {}

    /** @throws roundtrip.model.InputException naming file and line for missing or malformed input */
    public static Network load(Path dir) {
        throw new UnsupportedOperationException("not yet written");
    }
}
