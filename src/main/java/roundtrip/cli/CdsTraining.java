package roundtrip.cli;

import roundtrip.bench.BundledLab;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The run bin/roundtrip records the loaded classes of (java -XX:DumpLoadedClassList) to build its class-data archive:
 * the one-shot commands in text and JSON on the bundled lab snapshot (WireGuard, NAT, a filtering router), and a
 * network file when one is given, so that their classes come parsed and verified from the archive. Not a command:
 * output is discarded, and a failing step only leaves its classes out.
 * Usage: {@code java -cp roundtrip.jar roundtrip.cli.CdsTraining [NETWORK.yaml]}.
 */
public final class CdsTraining {
    private CdsTraining() {}

    public static void main(String[] args) throws IOException {
        Path dir = Files.createTempDirectory("roundtrip-cds");
        try {
            BundledLab.extract(dir);
            String s = dir.resolve("snapshot").toString(), p = dir.resolve("probes.json").toString();
            List<String[]> runs = new ArrayList<>();
            runs.add(new String[] {"--help"});
            for (String format : List.of("text", "json")) {
                runs.add(new String[] {"check", "--snapshot", s, "--probes", p, "--format", format});
                runs.add(new String[] {"why", "--snapshot", s, "--probes", p, "--format", format});
            }
            runs.add(new String[] {"why", "--snapshot", s, "--probes", p, "--lang", "zh"});
            runs.add(new String[] {"trace", "--snapshot", s, "--from", "laptop", "--to", "192.0.2.2:443", "--proto", "tcp"});
            runs.add(new String[] {"matrix", "--snapshot", s});
            runs.add(new String[] {"matrix", "--snapshot", s, "--format", "jsonl"});
            if (args.length > 0 && Files.isRegularFile(Path.of(args[0]))) runs.add(new String[] {"check", "--network", args[0]});
            PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
            for (String[] run : runs) Main.run(nowhere, nowhere, run);
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(f);
            }
        }
    }
}
