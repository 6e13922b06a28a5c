package roundtrip.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import roundtrip.importer.SavedRules;
import roundtrip.model.Probe;
import roundtrip.netfilter.nft.NftCanonical;
import roundtrip.sim.ProbeResult;

import java.util.List;

/** `roundtrip diff` in words (English or Chinese) and as JSON: what a reboot would lose, and which probes change verdict. */
public final class DiffReport {
    private DiffReport() {}

    /** One host with saved rules: its iptables difference (null without saved/iptables-rules.v4), its nft one (null without saved/nftables.conf). */
    public record HostDiff(String host, SavedRules.Difference iptables, NftCanonical.Difference nft) {
        public boolean none() { return (iptables == null || iptables.none()) && (nft == null || nft.none()); }
    }

    /** A probe whose verdict a reboot would change. */
    public record Change(Probe probe, ProbeResult live, ProbeResult rebooted) {}

    /** For people: what each host would lose and get back, and the probes that change verdict (when probes were given). */
    public static String text(List<HostDiff> hosts, List<Change> changes, boolean probesGiven, String lang) {
        StringBuilder out = new StringBuilder();
        boolean zh = "zh".equals(lang);
        if (hosts.isEmpty())
            println(out, zh ? "没有主机保存了规则（saved/iptables-rules.v4 或 saved/nftables.conf）：无从比较，重启后恢复什么也不在快照里"
                    : "no host has saved rules (saved/iptables-rules.v4 or saved/nftables.conf): there is nothing to compare them with, "
                    + "and what a reboot brings back is not in the snapshot");
        else if (hosts.stream().allMatch(HostDiff::none))
            println(out, zh ? "所有保存了规则的主机（" + hosts.size() + " 台）上，当前规则与保存的一致"
                    : "the live rules match the saved ones on every host that has saved rules (" + hosts.size() + ")");
        for (HostDiff h : hosts) {
            SavedRules.Difference d = h.iptables();
            if (d != null && !d.none()) {
                println(out, zh ? "主机 " + h.host() + "：重启会丢掉 " + d.onlyLive().size() + " 条当前的 iptables 规则，恢复 "
                        + d.onlySaved().size() + " 条保存的规则"
                        : "host " + h.host() + ": a reboot would lose " + d.onlyLive().size()
                        + " live iptables rule(s) and bring back " + d.onlySaved().size() + " saved rule(s)");
                for (String l : d.onlyLive()) println(out, (zh ? "  丢失：     " : "  lost:     ") + l);
                for (String l : d.onlySaved()) println(out, (zh ? "  恢复：     " : "  restored: ") + l);
            }
            NftCanonical.Difference n = h.nft();
            if (n != null && !n.none()) {
                println(out, zh ? "主机 " + h.host() + "：重启会丢掉 " + n.onlyLive().size() + " 条当前的 nft 规则或链，从 saved/nftables.conf 恢复 "
                        + n.onlySaved().size() + " 条"
                        : "host " + h.host() + ": a reboot would lose " + n.onlyLive().size() + " live nft rule(s) or chain(s) and "
                        + "bring back " + n.onlySaved().size() + " from saved/nftables.conf");
                for (String l : n.onlyLive()) println(out, (zh ? "  丢失：      " : "  lost:      ") + l);
                for (String l : n.onlySaved()) println(out, (zh ? "  恢复：      " : "  restored:  ") + l);
                for (String l : n.notSaved())
                    println(out, zh ? "  未保存：    " + l + "：开机时由创建它的程序重新创建，否则丢失"
                            : "  not saved: " + l + ": made again at boot by the program that made it, or lost");
            }
        }
        if (!probesGiven) return out.toString();
        if (changes.isEmpty()) println(out, zh ? "重启后没有探测改变结论" : "no probe changes verdict after a reboot");
        else println(out, zh ? "重启后改变结论的探测：" : "probes that change verdict after a reboot:");
        for (Change c : changes)
            println(out, "  " + c.probe().id() + ": " + c.live().verdict() + " -> " + c.rebooted().verdict() + "  ("
                    + (zh ? WhyReport.verdictSentenceZh(c.rebooted()) : TextReport.summary(c.rebooted())) + ")");
        return out.toString();
    }

    /** For machines: the same as JSON. */
    public static String json(List<HostDiff> hosts, List<Change> changes) {
        ObjectNode root = Json.object();
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
        return Json.pretty(root);
    }

    private static void println(StringBuilder out, String line) { out.append(line).append('\n'); }
}
