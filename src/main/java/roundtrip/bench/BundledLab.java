package roundtrip.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The lab-sized snapshot in the jar (src/test/resources/scenarios/b-lab9-two-sites-and-home.yaml built in network
 * namespaces and collected with the real commands: nine hosts, a WireGuard tunnel, NAT both ways, seven probes).
 * `bench` times one-shot commands on it, and bin/roundtrip's class-data archive is trained on it.
 */
public final class BundledLab {
    private static final String ROOT = "/roundtrip/bench/lab9/";

    private BundledLab() {}

    /** Writes the snapshot (DIR/snapshot) and its probe file (DIR/probes.json) into {@code dir}; returns dir. */
    public static Path extract(Path dir) {
        try {
            for (String name : resource("index.txt").split("\n")) {
                if (name.isBlank()) continue;
                Path to = dir.resolve(name.strip());
                Files.createDirectories(to.getParent());
                try (InputStream in = stream(name.strip())) {
                    Files.copy(in, to);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = stream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static InputStream stream(String name) throws IOException {
        InputStream in = BundledLab.class.getResourceAsStream(ROOT + name);
        if (in == null) throw new IOException("the jar lacks " + ROOT + name);
        return in;
    }
}
