package roundtrip.importer;

import roundtrip.model.Problem;
import roundtrip.model.Source;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What survives a reboot: saved/iptables-rules.v4 (iptables-persistent, netfilter-persistent, /etc/sysconfig/iptables)
 * against the live iptables-save.txt. Only firewall rules are compared; routes and sysctls come back from files
 * the snapshot does not hold.
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
            problems.add(new Problem(new Source(label + "/saved", 0, ""), "no saved rules for this host: its live iptables rules "
                    + "are assumed to come back after a reboot (by a tool the snapshot does not show)"));
        return hostDir.resolve("iptables-save.txt");
    }

    static void warnIfLiveDiffers(Path hostDir, String label, List<Problem> problems) {
        Path saved = hostDir.resolve("saved/iptables-rules.v4");
        Path live = hostDir.resolve("iptables-save.txt");
        if (!Files.exists(saved) || !Files.exists(live)) return;
        Difference d = compare(LocatedJson.readText(live, label + "/iptables-save.txt"),
                LocatedJson.readText(saved, label + "/saved/iptables-rules.v4"));
        if (!d.none())
            problems.add(new Problem(new Source(label + "/saved/iptables-rules.v4", 0, ""), "the live iptables rules differ from the saved "
                    + "ones: " + d.onlyLive().size() + " live rule(s) would be lost and " + d.onlySaved().size()
                    + " saved rule(s) would come back at the next reboot (roundtrip diff shows them)"));
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
        for (String raw : text.split("\r?\n")) {
            String line = raw.strip().replaceFirst("^\\[\\d+:\\d+\\]\\s*", "");
            if (line.isEmpty() || line.startsWith("#") || line.equals("COMMIT")) continue;
            if (line.startsWith("*")) { table = line; continue; }
            if (line.startsWith(":")) line = line.replaceFirst("\\s*\\[\\d+:\\d+\\]$", "");
            out.add(table + " " + line);
        }
        return out;
    }
}
