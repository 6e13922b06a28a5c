package roundtrip.cli;

import roundtrip.importer.ProbeReader;
import roundtrip.model.Ip4;
import roundtrip.model.Probe;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The run bin/roundtrip records the loaded classes of (java -XX:DumpLoadedClassList) to build its class-data archive:
 * the one-shot commands in text and JSON on the bundled example, so that their classes come parsed and verified
 * from the archive. Not a command: output is discarded, and a failing step only leaves its classes out.
 * Usage: {@code java -cp roundtrip.jar roundtrip.cli.CdsTraining EXAMPLES_DIR}.
 */
public final class CdsTraining {
    private CdsTraining() {}

    public static void main(String[] args) {
        Path examples = Path.of(args.length > 0 ? args[0] : "examples");
        Path snap = examples.resolve("s2-missing-return-route/snapshot");
        Path probes = examples.resolve("s2-missing-return-route/probes.json");
        Path network = examples.resolve("s1-network-file/network.yaml");
        List<String[]> runs = new ArrayList<>();
        runs.add(new String[] {"--help"});
        if (Files.isDirectory(snap) && Files.isRegularFile(probes)) {
            String s = snap.toString(), p = probes.toString();
            for (String format : List.of("text", "json")) {
                runs.add(new String[] {"check", "--snapshot", s, "--probes", p, "--format", format});
                runs.add(new String[] {"why", "--snapshot", s, "--probes", p, "--format", format});
            }
            runs.add(new String[] {"why", "--snapshot", s, "--probes", p, "--lang", "zh"});
            Probe first = ProbeReader.readLocated(probes).get(0).probe();
            runs.add(new String[] {"trace", "--snapshot", s, "--from", first.from(), "--to", Ip4.format(first.dst()), "--proto", first.protoName()});
            runs.add(new String[] {"matrix", "--snapshot", s});
            runs.add(new String[] {"matrix", "--snapshot", s, "--format", "jsonl"});
        }
        if (Files.isRegularFile(network)) runs.add(new String[] {"check", "--network", network.toString()});
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        for (String[] run : runs) Main.run(nowhere, nowhere, run);
    }
}
