package roundtrip.importer;

import roundtrip.model.InputException;
import roundtrip.model.Interface;
import roundtrip.model.Message;
import roundtrip.model.OpenVpnConfig;
import roundtrip.model.Problem;
import roundtrip.model.Source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A host's openvpn/ directory: one instance per *.conf whose {@code dev} names an interface of the host, the CCD
 * files of openvpn/ccd/ (each named by a client's common name) and openvpn/status.log, both given to the server
 * instance. {@code dev tun} / {@code dev tap} without a number let the kernel name the device: they are taken
 * to be the lowest-numbered tunN/tapN no other config names explicitly, and a Problem says so.
 */
final class OpenVpnFiles {
    private OpenVpnFiles() {}

    static List<OpenVpnConfig> load(Path dir, String label, List<Interface> interfaces, List<Problem> problems) {
        List<OpenVpnConfig> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        List<OpenVpnConfig> read = new ArrayList<>();
        for (Path f : list(dir, label, p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".conf"))) {
            String file = label + "/" + f.getFileName();
            read.add(OpenVpnReader.read(file, LocatedJson.readText(f, file), problems));
        }
        Set<String> claimed = new HashSet<>();
        for (OpenVpnConfig c : read) claimed.add(c.device());
        for (OpenVpnConfig c : read) {
            if (c.isNullDevice()) continue;   // dev null: said by the reader, nothing to simulate
            String dev = c.device();
            if (interfaces.stream().anyMatch(i -> i.name().equals(dev))) { out.add(c); continue; }
            if (dev.equals("tun") || dev.equals("tap")) {
                String picked = null;
                for (int n = 0; n < 256 && picked == null; n++) {
                    String name = dev + n;
                    if (!claimed.contains(name) && interfaces.stream().anyMatch(i -> i.name().equals(name))) picked = name;
                }
                if (picked != null) {
                    claimed.add(picked);
                    problems.add(new Problem(c.source(), Message.of(Sentences.OPENVPN_DEV_NUMBERED, dev, picked)));
                    out.add(c.withDevice(picked));
                    continue;
                }
            }
            problems.add(new Problem(new Source(c.source().file(), 0, ""), Message.of(Sentences.OPENVPN_NO_INTERFACE, dev)));
        }

        List<OpenVpnConfig.Ccd> ccds = new ArrayList<>();
        Path ccdDir = dir.resolve("ccd");
        if (Files.isDirectory(ccdDir)) {
            for (Path f : list(ccdDir, label + "/ccd", Files::isRegularFile)) {
                String file = label + "/ccd/" + f.getFileName();
                ccds.add(OpenVpnReader.readCcd(file, f.getFileName().toString(), LocatedJson.readText(f, file), problems));
            }
        }
        OpenVpnConfig.StatusLog status = null;
        boolean statistics = false;   // a client's status file: it names no peer
        Path statusFile = dir.resolve("status.log");
        String statusName = label + "/status.log";
        if (Files.exists(statusFile)) {
            String text = LocatedJson.readText(statusFile, statusName);
            if (text.isBlank())
                // openvpn truncates it when it opens it (status_open) and writes it at its first interval
                problems.add(new Problem(new Source(statusName, 0, ""), Message.of(Sentences.OPENVPN_STATUS_EMPTY)));
            else {
                status = OpenVpnReader.readStatus(statusName, text);
                statistics = status == null;
            }
        }
        List<Integer> servers = new ArrayList<>();
        for (int i = 0; i < out.size(); i++) if (out.get(i).isServer()) servers.add(i);
        if (servers.isEmpty()) {
            if (!ccds.isEmpty() || status != null)
                problems.add(new Problem(new Source(label, 0, ""), Message.of(Sentences.OPENVPN_CCD_WITHOUT_SERVER)));
            return out;
        }
        if (statistics)
            problems.add(new Problem(new Source(statusName, 0, ""), Message.of(Sentences.OPENVPN_CLIENT_STATUS_FILE)));
        if (servers.size() > 1 && (!ccds.isEmpty() || status != null))
            problems.add(new Problem(new Source(label, 0, ""), Message.of(Sentences.OPENVPN_SERVERS_SHARE_CCD, out.get(servers.get(0)).source().file())));
        int s = servers.get(0);
        OpenVpnConfig server = out.get(s);
        if (!ccds.isEmpty() && server.clientConfigDir() == null) {
            problems.add(new Problem(server.source(), Message.of(Sentences.OPENVPN_CCD_WITHOUT_CLIENT_CONFIG_DIR)));
            ccds = List.of();
        }
        out.set(s, server.withCcdsAndStatus(ccds, status));
        return out;
    }

    private static List<Path> list(Path dir, String label, java.util.function.Predicate<Path> filter) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(filter).sorted().toList();
        } catch (IOException e) {
            throw new InputException(label, 0, "cannot list: " + e.getMessage());
        }
    }
}
