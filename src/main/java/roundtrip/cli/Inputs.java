package roundtrip.cli;

import roundtrip.importer.NetworkFileReader;
import roundtrip.importer.SnapshotInputs;
import roundtrip.model.InputException;
import roundtrip.model.Network;
import roundtrip.report.Zh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Loading what the commands are given, with the one-line errors the CLI promises. */
final class Inputs {
    private Inputs() {}

    static Network network(List<Path> snapshots, Path topology) {
        return network(snapshots, topology, false);
    }

    /** What --network and --snapshot give together: the hosts of both, the segments of both, the file's probes. */
    record Loaded(Network network, List<roundtrip.importer.ProbeReader.LocatedProbe> probes) {}

    /**
     * A network file (design §1b), snapshots, or both: hosts of the two must not share a name; the file's
     * segments may name snapshot hosts.
     */
    static Loaded load(Path networkFile, List<Path> snapshots, Path topology, boolean afterReboot) {
        boolean haveSnapshots = snapshots != null && !snapshots.isEmpty();
        if (networkFile == null) return new Loaded(network(snapshots, topology, afterReboot), List.of());
        if (!Files.isRegularFile(networkFile)) throw new InputException(networkFile.toString(), 0, "no such network file");
        if (!haveSnapshots) {
            NetworkFileReader.Result file = NetworkFileReader.read(networkFile);
            return new Loaded(file.network(), file.probes());
        }
        Network snap = network(snapshots, topology, afterReboot);
        NetworkFileReader.Result file = NetworkFileReader.read(networkFile, snap.hosts());
        snap = roundtrip.importer.RemoteNames.resolve(snap, file.names());
        List<roundtrip.model.Host> hosts = new ArrayList<>(file.network().hosts().values());
        hosts.addAll(snap.hosts().values());
        List<roundtrip.model.Segment> segments = new ArrayList<>(file.network().segments());
        segments.addAll(snap.segments());
        return new Loaded(new Network(hosts, mergeSegments(segments)), file.probes());
    }

    /** Segments of the same name from the file and a snapshot are one L2 domain. */
    private static List<roundtrip.model.Segment> mergeSegments(List<roundtrip.model.Segment> segments) {
        java.util.Map<String, List<roundtrip.model.Segment.Attachment>> byName = new java.util.LinkedHashMap<>();
        for (roundtrip.model.Segment s : segments) {
            List<roundtrip.model.Segment.Attachment> m = byName.computeIfAbsent(s.name(), k -> new ArrayList<>());
            for (roundtrip.model.Segment.Attachment a : s.members()) if (!m.contains(a)) m.add(a);
        }
        List<roundtrip.model.Segment> out = new ArrayList<>();
        byName.forEach((name, members) -> out.add(new roundtrip.model.Segment(name, members)));
        return out;
    }

    static Network network(List<Path> snapshots, Path topology, boolean afterReboot) {
        if (snapshots == null || snapshots.isEmpty()) throw new InputException("(command line)", 0, "--snapshot DIR or --network FILE is required");
        for (Path s : snapshots) if (!Files.exists(s)) throw new InputException(s.toString(), 0, "no such snapshot");
        return SnapshotInputs.load(snapshots, topology, afterReboot);
    }

    /** Everything the importers did not understand, one line each, so nothing is ignored silently. */
    static void warn(Network net, roundtrip.sim.Simulator sim, java.io.PrintWriter err) {
        warn(net, sim, err, "en");
    }

    /** The same in {@code lang}: in Chinese the message is translated, its place and the quoted line stay as written. */
    static void warn(Network net, roundtrip.sim.Simulator sim, java.io.PrintWriter err, String lang) {
        warn(net, sim, err, lang, Integer.MAX_VALUE, null);
    }

    /**
     * The same, with at most {@code perKind} warnings of each kind (one sentence, whatever words fill it) in full; for a
     * kind with more, one line says how many more there are, with the first one's message as the example, and
     * {@code everyOne} (the option that shows them all). A network of a thousand hosts can have thousands of the same
     * warning, which buried everything else a command printed.
     */
    static void warn(Network net, roundtrip.sim.Simulator sim, java.io.PrintWriter err, String lang, int perKind, String everyOne) {
        List<roundtrip.model.Problem> all = new ArrayList<>();
        for (roundtrip.model.Host h : net.hosts().values()) all.addAll(h.problems());
        all.addAll(sim.problems());
        boolean zh = "zh".equals(lang);
        java.util.Map<Object, Integer> seen = new java.util.HashMap<>();
        java.util.Map<Object, roundtrip.model.Problem> firstOfKind = new java.util.LinkedHashMap<>();
        for (roundtrip.model.Problem p : all) {
            Object kind = p.message().id() != null ? p.message().id() : p.message().text();
            firstOfKind.putIfAbsent(kind, p);
            if (seen.merge(kind, 1, Integer::sum) <= perKind) err.println(warning(p, zh));
        }
        for (java.util.Map.Entry<Object, roundtrip.model.Problem> k : firstOfKind.entrySet()) {
            int more = seen.get(k.getKey()) - perKind;
            if (more <= 0) continue;
            roundtrip.model.Message example = k.getValue().message();
            err.println(zh ? String.format(java.util.Locale.ROOT, "roundtrip：警告：另有 %,d 条同类警告未显示，如“%s”（%s 显示全部）", more,
                            Zh.text(example), everyOne)
                    : String.format(java.util.Locale.ROOT, "roundtrip: warning: and %,d more like \"%s\" (%s shows every one)", more,
                            example.english(), everyOne));
        }
        err.flush();
    }

    private static String warning(roundtrip.model.Problem p, boolean zh) {
        if (!zh) return "roundtrip: warning: " + p;
        String text = p.source().text().isEmpty() ? "" : "：" + p.source().text();
        return "roundtrip：警告：" + p.source().where() + "：" + Zh.text(p.message()) + text;
    }
}
