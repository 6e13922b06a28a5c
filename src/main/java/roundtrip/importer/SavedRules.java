package roundtrip.importer;

import roundtrip.model.Message;
import roundtrip.model.Problem;
import roundtrip.model.Source;
import roundtrip.model.Text;
import roundtrip.netfilter.Ruleset;
import roundtrip.netfilter.nft.NftCanonical;
import roundtrip.netfilter.nft.NftInput;
import roundtrip.netfilter.nft.NftRuleset;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What survives a reboot: saved/iptables-rules.v4 (iptables-persistent, netfilter-persistent, /etc/sysconfig/iptables)
 * against the live iptables-save.txt, and saved/nftables.conf (what nftables.service loads at boot) against the live
 * nft ruleset. Only firewall rules are compared; routes and sysctls come back from files the snapshot does not hold.
 * nftables.conf holds the tables its admin wrote; tables a program makes at run time (firewalld, Docker, fw4) are
 * made again by that program at boot and are taken as coming back, which is said.
 */
public final class SavedRules {
    private SavedRules() {}

    /** The difference between two rulesets, as the rule lines each has that the other lacks. */
    public record Difference(List<String> onlyLive, List<String> onlySaved) {
        public boolean none() { return onlyLive.isEmpty() && onlySaved.isEmpty(); }
    }

    /** The ruleset the host would boot with: its saved rules, or none when saved/ has no iptables rules. */
    static Path bootRuleset(Path hostDir, String label, List<Problem> problems) {
        Path saved = hostDir.resolve("saved/iptables-rules.v4");
        if (Files.exists(saved)) return saved;
        if (Files.isDirectory(hostDir.resolve("saved"))) return null;   // saved/ exists but holds no iptables rules
        if (Files.exists(hostDir.resolve("iptables-save.txt")))
            problems.add(new Problem(new Source(label + "/saved", 0, ""), Message.of(Sentences.NO_SAVED_RULES)));
        return hostDir.resolve("iptables-save.txt");
    }

    static void warnIfLiveDiffers(Path hostDir, String label, List<Problem> problems) {
        warnIfLiveIptablesDiffers(hostDir, label, problems);
        NftCanonical.Difference nft = nftDifference(hostDir, label);
        if (nft != null && (!nft.onlyLive().isEmpty() || !nft.onlySaved().isEmpty()))
            problems.add(new Problem(new Source(label + "/saved/nftables.conf", 0, ""), Message.of(Sentences.LIVE_NFT_DIFFERS, nft.onlyLive().size(), nft.onlySaved().size())));
    }

    private static void warnIfLiveIptablesDiffers(Path hostDir, String label, List<Problem> problems) {
        Path saved = hostDir.resolve("saved/iptables-rules.v4");
        Path live = hostDir.resolve("iptables-save.txt");
        if (!Files.exists(saved) || !Files.exists(live)) return;
        Difference d = compare(LocatedJson.readText(live, label + "/iptables-save.txt"),
                LocatedJson.readText(saved, label + "/saved/iptables-rules.v4"));
        if (!d.none())
            problems.add(new Problem(new Source(label + "/saved/iptables-rules.v4", 0, ""), Message.of(Sentences.LIVE_IPTABLES_DIFFERS, d.onlyLive().size(), d.onlySaved().size())));
    }

    /** saved/nftables.conf of a host directory, read; null when there is none. */
    static NftInput savedNft(Path hostDir, String label) {
        Path saved = hostDir.resolve("saved/nftables.conf");
        if (!Files.exists(saved)) return null;
        String file = label + "/saved/nftables.conf";
        return NftInput.text(file, LocatedJson.readText(saved, file), n -> n);
    }

    /**
     * The nft ruleset the host would boot with: the tables saved/nftables.conf declares, as it declares them, and the
     * live tables it does not hold, taken as made again by the program that made them (said per table). iptables-nft's
     * tables come back with the saved iptables rules ({@code inIptables}), not here. Null when there is no nft at all.
     */
    static Ruleset bootNft(Path hostDir, String label, NftInput live, Set<String> inIptables, List<Problem> problems) {
        NftInput saved = savedNft(hostDir, label);
        Set<String> iptablesNft = new LinkedHashSet<>();
        if (live != null) iptablesNft.addAll(live.iptablesNftTables());
        if (saved != null) iptablesNft.addAll(saved.iptablesNftTables());
        iptablesNft.retainAll(inIptables);
        NftRuleset fromSaved = saved == null ? null : saved.ruleset(iptablesNft::contains);
        if (live == null) return fromSaved;
        Set<String> savedTables = saved == null ? Set.of() : saved.tableNames();
        Set<String> others = new LinkedHashSet<>(live.tableNames());
        others.removeAll(savedTables);
        others.removeAll(live.iptablesNftTables());
        for (String t : others)
            problems.add(new Problem(new Source(live.file(), 0, "table " + t), Message.of(saved == null
                    ? Sentences.NFT_TABLE_NO_SAVED_FILE : Sentences.NFT_TABLE_NOT_SAVED)));
        NftRuleset fromLive = others.isEmpty() ? null : live.ruleset(t -> !others.contains(t));
        if (fromSaved == null) return fromLive;
        if (fromLive == null) return fromSaved;
        return Ruleset.combine(fromSaved, fromLive);
    }

    /** The nft difference for `roundtrip diff`, leaving out iptables-nft's tables (compared as iptables rules). */
    public static NftCanonical.Difference compareNft(NftInput live, NftInput saved) {
        Set<String> iptablesNft = new LinkedHashSet<>(live.iptablesNftTables());
        iptablesNft.addAll(saved.iptablesNftTables());
        return NftCanonical.difference(live, saved, iptablesNft::contains);
    }

    /** The host's live and saved nft rulesets, for `roundtrip diff`; null when it has no saved/nftables.conf. */
    public static NftCanonical.Difference nftDifference(Path hostDir, String label) {
        NftInput saved = savedNft(hostDir, label);
        if (saved == null) return null;
        NftInput live = SnapshotLoader.liveNft(hostDir, label);
        if (live == null) live = NftInput.text(label + "/nft.json (absent: no live nft ruleset)", "", n -> n);
        return compareNft(live, saved);
    }

    public static Difference compare(String liveText, String savedText) {
        Set<String> live = normalized(liveText), saved = normalized(savedText);
        List<String> onlyLive = new ArrayList<>(), onlySaved = new ArrayList<>();
        for (String l : live) if (!saved.contains(l)) onlyLive.add(l);
        for (String l : saved) if (!live.contains(l)) onlySaved.add(l);
        return new Difference(onlyLive, onlySaved);
    }

    /** Rule and policy lines qualified by their table, without counters and comments: "*nat -A POSTROUTING ...". */
    private static Set<String> normalized(String text) {
        Set<String> out = new LinkedHashSet<>();
        String table = "";
        for (String raw : Text.lines(text)) {
            String line = raw.strip().replaceFirst("^\\[\\d+:\\d+\\]\\s*", "");
            if (line.isEmpty() || line.startsWith("#") || line.equals("COMMIT")) continue;
            if (line.startsWith("*")) { table = line; continue; }
            if (line.startsWith(":")) line = line.replaceFirst("\\s*\\[\\d+:\\d+\\]$", "");
            out.add(table + " " + line);
        }
        return out;
    }
}
