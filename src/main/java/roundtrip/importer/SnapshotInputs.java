package roundtrip.importer;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import roundtrip.model.InputException;
import roundtrip.model.Network;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Several snapshot inputs as one network: snapshot directories (with host subdirectories), single host
 * directories, or the collector's HOST.tar.gz archives, plus a topology.json from one of them or given apart.
 */
public final class SnapshotInputs {
    /** An archive may unpack to at most this much: a snapshot is small, anything larger is not one. */
    private static final long MAX_UNPACKED = 256L << 20;

    private SnapshotInputs() {}

    public static Network load(List<Path> inputs, Path topology) {
        return load(inputs, topology, false);
    }

    public static Network load(List<Path> inputs, Path topology, boolean afterReboot) {
        return withDirectory(inputs, topology, (dir, label) -> SnapshotLoader.load(dir, label, afterReboot));
    }

    /** What to do with the snapshot once it is one directory (label: how its files are named in messages). */
    public interface DirectoryUse<T> {
        T apply(Path dir, String label) throws IOException;
    }

    /** Assembles the inputs into one snapshot directory (temporary unless it already is one) and uses it. */
    public static <T> T withDirectory(List<Path> inputs, Path topology, DirectoryUse<T> use) {
        if (inputs.isEmpty()) throw new InputException("(command line)", 0, "--snapshot is required");
        if (inputs.size() == 1 && topology == null && Files.isDirectory(inputs.get(0))
                && Files.exists(inputs.get(0).resolve("topology.json"))) {
            try {
                return use.apply(inputs.get(0), labelOf(inputs.get(0)));
            } catch (IOException e) {
                throw new InputException(inputs.get(0).toString(), 0, "cannot read: " + e.getMessage());
            }
        }
        Path merged;
        try {
            merged = Files.createTempDirectory("roundtrip-snapshot");
        } catch (IOException e) {
            throw new InputException("(temporary directory)", 0, e.getMessage());
        }
        try {
            Path foundTopology = null;
            for (Path in : inputs) {
                Path root = in;
                if (!Files.exists(in)) throw new InputException(in.toString(), 0, "no such snapshot");
                if (Files.isRegularFile(in)) {
                    root = Files.createTempDirectory(merged, "unpacked");
                    unpack(in, root);
                }
                for (Path hostDir : hostDirs(root, in)) copyTree(hostDir, merged.resolve(hostDir.getFileName().toString()), in);
                if (foundTopology == null && Files.exists(root.resolve("topology.json"))) foundTopology = root.resolve("topology.json");
            }
            Path topo = topology != null ? topology : foundTopology;
            if (topo == null) {
                // one host needs none; several do, and the error says how to write it
                List<String> hosts = new ArrayList<>();
                try (Stream<Path> list = Files.list(merged)) {
                    for (Path p : list.sorted().toList()) if (Files.exists(p.resolve("ip-addr.json"))) hosts.add(p.getFileName().toString());
                }
                if (hosts.size() > 1) throw new InputException(inputs.get(0).toString(), 0, SnapshotLoader.missingTopology(hosts));
            } else {
                if (!Files.isRegularFile(topo)) throw new InputException(topo.toString(), 0, "no such topology file");
                Files.copy(topo, merged.resolve("topology.json"), StandardCopyOption.REPLACE_EXISTING);
            }
            return use.apply(merged, "");
        } catch (IOException e) {
            throw new InputException(inputs.get(0).toString(), 0, "cannot read: " + e.getMessage());
        } finally {
            deleteTree(merged);
        }
    }

    private static String labelOf(Path dir) {
        Path name = dir.toAbsolutePath().normalize().getFileName();
        return name == null ? dir.toString() : name.toString();
    }

    /** A host directory has ip-addr.json; a snapshot directory has host directories. */
    private static List<Path> hostDirs(Path root, Path input) throws IOException {
        if (Files.exists(root.resolve("ip-addr.json"))) return List.of(root);
        List<Path> out = new ArrayList<>();
        try (Stream<Path> list = Files.list(root)) {
            for (Path p : list.sorted().toList())
                if (Files.isDirectory(p) && Files.exists(p.resolve("ip-addr.json"))) out.add(p);
        }
        if (out.isEmpty()) throw new InputException(input.toString(), 0, "no host directory (one with ip-addr.json) in this snapshot");
        return out;
    }

    private static void unpack(Path archive, Path into) throws IOException {
        long total = 0;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive));
             TarArchiveInputStream tar = new TarArchiveInputStream(gunzipIfNeeded(raw, archive))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                Path target = into.resolve(e.getName()).normalize();
                if (!target.startsWith(into)) throw new InputException(archive.toString(), 0, "archive entry outside its directory: " + e.getName());
                if (e.isDirectory()) { Files.createDirectories(target); continue; }
                if (!e.isFile()) continue;   // links and devices have no place in a snapshot
                Files.createDirectories(target.getParent());
                try (OutputStream out = Files.newOutputStream(target)) {
                    byte[] buf = new byte[8192];
                    int n;
                    while ((n = tar.read(buf)) > 0) {
                        total += n;
                        if (total > MAX_UNPACKED) throw new InputException(archive.toString(), 0, "archive unpacks to more than 256 MiB: not a snapshot");
                        out.write(buf, 0, n);
                    }
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            if (e instanceof InputException ie) throw ie;
            throw new InputException(archive.toString(), 0, "not a readable tar.gz snapshot: " + e.getMessage());
        }
    }

    private static InputStream gunzipIfNeeded(InputStream raw, Path archive) throws IOException {
        raw.mark(2);
        int a = raw.read(), b = raw.read();
        raw.reset();
        return a == 0x1f && b == 0x8b ? new GzipCompressorInputStream(raw) : raw;
    }

    private static void copyTree(Path from, Path to, Path input) throws IOException {
        if (Files.exists(to)) throw new InputException(input.toString(), 0, "host " + to.getFileName() + " appears in two snapshots");
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t); else Files.copy(p, t);
            }
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
