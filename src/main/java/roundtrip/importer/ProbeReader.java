package roundtrip.importer;

import roundtrip.model.Probe;

import java.nio.file.Path;
import java.util.List;

/** Reads a probe file (design §1c). (Being written: placeholder signature.) */
public final class ProbeReader {
    private ProbeReader() {}

    /** @throws roundtrip.model.InputException naming file and line for malformed input */
    public static List<Probe> read(Path file) {
        throw new UnsupportedOperationException("not yet written");
    }
}
