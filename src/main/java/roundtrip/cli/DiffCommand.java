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
import roundtrip.netfilter.nft.NftCanonical;
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
        description = "Compare the live firewall with the saved one (saved/iptables-rules.v4, saved/nftables.conf) and simulate "
                + "the probes both ways; exit 1 when a probe would change verdict after a reboot.")
final class DiffCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--snapshot", required = true, paramLabel = "DIR|TGZ", description = "repeatable") List<Path> snapshot;
    @Option(names = "--topology", paramLabel = "FILE") Path topology;
    @Option(names = "--probes", paramLabel = "FILE", description = "probes to simulate live and after a reboot") Path probes;
    @Option(names = "--format", defaultValue = "text", paramLabel = "json|text") String format;
    @Option(names = "--lang", defaultValue = "en", paramLabel = "en|zh", description = "language of the text output (default: en)") String lang;

    /** One host with saved rules: its iptables difference (null without saved/iptables-rules.v4), its nft one (null without saved/nftables.conf). */
    private record HostDiff(String host, SavedRules.Difference iptables, NftCanonical.Difference nft) {
        boolean none() { return (iptables == null || iptables.none()) && (nft == null || nft.none()); }
    }

    private record Change(Probe probe, ProbeResult live, ProbeResult rebooted) {}

    @Override public Integer call() {
        Format.check(format);
        Format.checkLang(lang);
        for (Path s : snapshot) if (!Files.exists(s)) throw new roundtrip.model.InputException(s.toString(), 0, "no such snapshot");
        List<HostDiff> hosts = new ArrayList<>();
        Map<String, Network> nets = SnapshotInputs.withDirectory(snapshot, topology, (dir, label) -> {
            Network live = SnapshotLoader.load(dir, label, false);
            for (Host h : live.hosts().values()) {
                Path hostDir = dir.resolve(h.name());
                Path saved = hostDir.resolve("saved/iptables-rules.v4");
                Path current = hostDir.resolve("iptables-save.txt");
                SavedRules.Difference ipt = Files.exists(saved) && Files.exists(current)
                        ? SavedRules.compare(Files.readString(current), Files.readString(saved)) : null;
                NftCanonical.Difference nft = SavedRules.nftDifference(hostDir, (label.isEmpty() ? "" : label + "/") + h.name());
                if (ipt != null || nft != null) hosts.add(new HostDiff(h.name(), ipt, nft));
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
        boolean zh = lang.equals("zh");
        if (hosts.isEmpty())
            out.println(zh ? "没有主机保存了规则（saved/iptables-rules.v4 或 saved/nftables.conf）：无从比较，重启后恢复什么也不在快照里"
                    : "no host has saved rules (saved/iptables-rules.v4 or saved/nftables.conf): there is nothing to compare them with, "
                    + "and what a reboot brings back is not in the snapshot");
        else if (hosts.stream().allMatch(HostDiff::none))
            out.println(zh ? "所有保存了规则的主机（" + hosts.size() + " 台）上，当前规则与保存的一致"
                    : "the live rules match the saved ones on every host that has saved rules (" + hosts.size() + ")");
        for (HostDiff h : hosts) {
            SavedRules.Difference d = h.iptables();
            if (d != null && !d.none()) {
                out.println(zh ? "主机 " + h.host() + "：重启会丢掉 " + d.onlyLive().size() + " 条当前的 iptables 规则，恢复 "
                        + d.onlySaved().size() + " 条保存的规则"
                        : "host " + h.host() + ": a reboot would lose " + d.onlyLive().size()
                        + " live iptables rule(s) and bring back " + d.onlySaved().size() + " saved rule(s)");
                for (String l : d.onlyLive()) out.println((zh ? "  丢失：     " : "  lost:     ") + l);
                for (String l : d.onlySaved()) out.println((zh ? "  恢复：     " : "  restored: ") + l);
            }
            NftCanonical.Difference n = h.nft();
            if (n != null && !n.none()) {
                out.println(zh ? "主机 " + h.host() + "：重启会丢掉 " + n.onlyLive().size() + " 条当前的 nft 规则或链，从 saved/nftables.conf 恢复 "
                        + n.onlySaved().size() + " 条"
                        : "host " + h.host() + ": a reboot would lose " + n.onlyLive().size() + " live nft rule(s) or chain(s) and "
                        + "bring back " + n.onlySaved().size() + " from saved/nftables.conf");
                for (String l : n.onlyLive()) out.println((zh ? "  丢失：      " : "  lost:      ") + l);
                for (String l : n.onlySaved()) out.println((zh ? "  恢复：      " : "  restored:  ") + l);
                for (String l : n.notSaved())
                    out.println(zh ? "  未保存：    " + l + "：开机时由创建它的程序重新创建，否则丢失"
                            : "  not saved: " + l + ": made again at boot by the program that made it, or lost");
            }
        }
        if (probes == null) return;
        if (changes.isEmpty()) out.println(zh ? "重启后没有探测改变结论" : "no probe changes verdict after a reboot");
        else out.println(zh ? "重启后改变结论的探测：" : "probes that change verdict after a reboot:");
        for (Change c : changes)
            out.println("  " + c.probe().id() + ": " + c.live().verdict() + " -> " + c.rebooted().verdict() + "  ("
                    + (zh ? roundtrip.report.WhyReport.verdictSentenceZh(c.rebooted()) : TextReport.summary(c.rebooted())) + ")");
    }

    private String json(List<HostDiff> hosts, List<Change> changes) {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        root.put("hostsWithSavedRules", hosts.size());
        ArrayNode hs = root.putArray("hosts");
        for (HostDiff h : hosts) {
            ObjectNode o = hs.addObject();
            o.put("host", h.host());
            ArrayNode lost = o.putArray("lostAtReboot"), restored = o.putArray("restoredAtReboot");
            if (h.iptables() != null) {
                h.iptables().onlyLive().forEach(lost::add);
                h.iptables().onlySaved().forEach(restored::add);
            }
            if (h.nft() != null) {
                h.nft().onlyLive().forEach(l -> lost.add("nft " + l));
                h.nft().onlySaved().forEach(l -> restored.add("nft " + l));
                h.nft().notSaved().forEach(o.putArray("nftNotSaved")::add);
            }
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
