package roundtrip.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import roundtrip.report.TextReport;
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
        description = "Compare the live firewall with the saved one (saved/iptables-rules.v4) and simulate the probes both ways; "
                + "exit 1 when a probe would change verdict after a reboot.")
final class DiffCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--snapshot", required = true, paramLabel = "DIR|TGZ", description = "repeatable") List<Path> snapshot;
    @Option(names = "--topology", paramLabel = "FILE") Path topology;
    @Option(names = "--probes", paramLabel = "FILE", description = "probes to simulate live and after a reboot") Path probes;
    @Option(names = "--format", defaultValue = "text", paramLabel = "json|text") String format;

    private record HostDiff(String host, SavedRules.Difference difference) {}

    private record Change(Probe probe, ProbeResult live, ProbeResult rebooted) {}

    @Override public Integer call() {
        Format.check(format);
        for (Path s : snapshot) if (!Files.exists(s)) throw new roundtrip.model.InputException(s.toString(), 0, "no such snapshot");
        List<HostDiff> hosts = new ArrayList<>();
        Map<String, Network> nets = SnapshotInputs.withDirectory(snapshot, topology, (dir, label) -> {
            Network live = SnapshotLoader.load(dir, label, false);
            for (Host h : live.hosts().values()) {
                Path saved = dir.resolve(h.name()).resolve("saved/iptables-rules.v4");
                Path current = dir.resolve(h.name()).resolve("iptables-save.txt");
                if (Files.exists(saved) && Files.exists(current))
                    hosts.add(new HostDiff(h.name(), SavedRules.compare(Files.readString(current), Files.readString(saved))));
            }
            Map<String, Network> both = new LinkedHashMap<>();
            both.put("live", live);
            both.put("reboot", SnapshotLoader.load(dir, label, true));
            return both;
        });
        List<Change> changes = new ArrayList<>();
        if (probes != null) {
            List<ProbeReader.LocatedProbe> located = ProbeReader.readLocated(probes);
            ProbeReader.validate(located, nets.get("live"));
            Simulator live = new Simulator(nets.get("live")), rebooted = new Simulator(nets.get("reboot"));
            for (ProbeReader.LocatedProbe lp : located) {
                ProbeResult a = live.run(lp.probe(), false), b = rebooted.run(lp.probe(), false);
                if (a.verdict() != b.verdict()) changes.add(new Change(lp.probe(), a, b));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) out.println(json(hosts, changes));
        else text(out, hosts, changes);
        out.flush();
        return changes.isEmpty() ? 0 : 1;
    }

    private void text(PrintWriter out, List<HostDiff> hosts, List<Change> changes) {
        // a match is claimed only where there was something to compare
        if (hosts.isEmpty())
            out.println("no host has saved rules (saved/iptables-rules.v4 next to iptables-save.txt): nothing to compare, "
                    + "what a reboot would bring back is not known");
        else if (hosts.stream().allMatch(h -> h.difference().none()))
            out.println("the live iptables rules match the saved ones on " + String.join(", ", hosts.stream().map(HostDiff::host).toList())
                    + " (the host(s) with saved/ rules)");
        for (HostDiff h : hosts) {
            if (h.difference().none()) continue;
            out.println("host " + h.host() + ": a reboot would lose " + h.difference().onlyLive().size()
                    + " live rule(s) and bring back " + h.difference().onlySaved().size() + " saved rule(s)");
            for (String l : h.difference().onlyLive()) out.println("  lost:     " + l);
            for (String l : h.difference().onlySaved()) out.println("  restored: " + l);
        }
        if (probes == null) return;
        if (changes.isEmpty()) out.println("no probe changes verdict after a reboot");
        else out.println("probes that change verdict after a reboot:");
        for (Change c : changes)
            out.println("  " + c.probe().id() + ": " + c.live().verdict() + " -> " + c.rebooted().verdict() + "  (" + TextReport.summary(c.rebooted()) + ")");
    }

    private String json(List<HostDiff> hosts, List<Change> changes) {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        ArrayNode hs = root.putArray("hosts");
        for (HostDiff h : hosts) {
            ObjectNode o = hs.addObject();
            o.put("host", h.host());
            h.difference().onlyLive().forEach(o.putArray("lostAtReboot")::add);
            h.difference().onlySaved().forEach(o.putArray("restoredAtReboot")::add);
        }
        ArrayNode ps = root.putArray("probes");
        for (Change c : changes) {
            ObjectNode o = ps.addObject();
            o.put("id", c.probe().id());
            o.put("live", c.live().verdict().name());
            o.put("afterReboot", c.rebooted().verdict().name());
            o.put("explanation", TextReport.summary(c.rebooted()));
        }
        try {
            return m.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
