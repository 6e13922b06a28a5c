package roundtrip.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import roundtrip.importer.ProbeReader;
import roundtrip.importer.SavedRules;
import roundtrip.importer.SnapshotInputs;
import roundtrip.importer.SnapshotLoader;
import roundtrip.model.Host;
import roundtrip.model.Network;
import roundtrip.model.Probe;
import roundtrip.netfilter.nft.NftCanonical;
import roundtrip.report.DiffReport;
import roundtrip.sim.ProbeResult;
import roundtrip.sim.Simulator;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** `roundtrip diff`: what the live state has that a reboot would lose, and which probes change verdict. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Compare the live firewall with the saved one (saved/iptables-rules.v4, saved/nftables.conf) and simulate "
                + "the probes both ways; exit 1 when a probe would change verdict after a reboot.")
final class DiffCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--snapshot", required = true, paramLabel = "DIR|TGZ", description = "repeatable") List<Path> snapshot;
    @Option(names = "--topology", paramLabel = "FILE") Path topology;
    @Option(names = "--probes", paramLabel = "FILE", description = "probes to simulate live and after a reboot") Path probes;
    @Option(names = "--format", defaultValue = "text", paramLabel = "json|text") String format;
    @Option(names = "--lang", defaultValue = "en", paramLabel = "en|zh", description = "language of the text output (default: en)") String lang;

    @Override public Integer call() {
        Format.check(format);
        Format.checkLang(lang);
        for (Path s : snapshot) if (!Files.exists(s)) throw new roundtrip.model.InputException(s.toString(), 0, "no such snapshot");
        List<DiffReport.HostDiff> hosts = new ArrayList<>();
        Map<String, Network> nets = SnapshotInputs.withDirectory(snapshot, topology, (dir, label) -> {
            Network live = SnapshotLoader.load(dir, label, false);
            for (Host h : live.hosts().values()) {
                Path hostDir = dir.resolve(h.name());
                Path saved = hostDir.resolve("saved/iptables-rules.v4");
                Path current = hostDir.resolve("iptables-save.txt");
                SavedRules.Difference ipt = Files.exists(saved) && Files.exists(current)
                        ? SavedRules.compare(Files.readString(current), Files.readString(saved)) : null;
                NftCanonical.Difference nft = SavedRules.nftDifference(hostDir, (label.isEmpty() ? "" : label + "/") + h.name());
                if (ipt != null || nft != null) hosts.add(new DiffReport.HostDiff(h.name(), ipt, nft));
            }
            Map<String, Network> both = new LinkedHashMap<>();
            both.put("live", live);
            both.put("reboot", SnapshotLoader.load(dir, label, true));
            return both;
        });
        List<DiffReport.Change> changes = new ArrayList<>();
        if (probes != null) {
            List<ProbeReader.LocatedProbe> located = ProbeReader.readLocated(probes);
            ProbeReader.validate(located, nets.get("live"));
            Simulator live = new Simulator(nets.get("live")), rebooted = new Simulator(nets.get("reboot"));
            for (ProbeReader.LocatedProbe lp : located) {
                ProbeResult a = live.run(lp.probe(), false), b = rebooted.run(lp.probe(), false);
                if (a.verdict() != b.verdict()) changes.add(new DiffReport.Change(lp.probe(), a, b));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) out.println(DiffReport.json(hosts, changes));
        else out.print(DiffReport.text(hosts, changes, probes != null, lang));
        out.flush();
        return changes.isEmpty() ? 0 : 1;
    }
}
