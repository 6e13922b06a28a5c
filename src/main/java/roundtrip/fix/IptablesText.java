package roundtrip.fix;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Edits iptables-save text the way iptables -A / -I / -P would change the live ruleset. */
final class IptablesText {
    private IptablesText() {}

    /** Appends the rule to the chain (before the table's COMMIT), or inserts it before the chain's first rule. */
    static String withRule(String text, String table, String chain, boolean insert, String spec) {
        List<String> lines = lines(text);
        int[] span = table(lines, table);
        String rule = "-A " + chain + " " + spec;
        if (span == null) {
            lines.addAll(List.of("*" + table, rule, "COMMIT"));
            return String.join("\n", lines) + "\n";
        }
        int at = span[1];   // the COMMIT line
        if (insert) {
            for (int i = span[0] + 1; i < span[1]; i++) {
                if (lines.get(i).startsWith("-A " + chain + " ")) { at = i; break; }
            }
        }
        lines.add(at, rule);
        return String.join("\n", lines) + "\n";
    }

    /** Deletes the first rule printed as {@code line} in the table (as iptables -D does). */
    static String withoutRule(String text, String table, String line) {
        List<String> lines = lines(text);
        int[] span = table(lines, table);
        if (span != null) {
            for (int i = span[0] + 1; i < span[1]; i++) {
                if (lines.get(i).strip().equals(line.strip())) {
                    lines.remove(i);
                    return String.join("\n", lines) + "\n";
                }
            }
        }
        throw new Editor.CannotApply(roundtrip.model.Message.of(Sentences.IPTABLES_BAD_RULE, line));
    }

    /** Sets a built-in chain's policy. */
    static String withPolicy(String text, String table, String chain, String policy) {
        List<String> lines = lines(text);
        int[] span = table(lines, table);
        String decl = ":" + chain + " " + policy + " [0:0]";
        if (span == null) {
            lines.addAll(List.of("*" + table, decl, "COMMIT"));
            return String.join("\n", lines) + "\n";
        }
        for (int i = span[0] + 1; i < span[1]; i++) {
            if (lines.get(i).startsWith(":" + chain + " ")) {
                lines.set(i, decl);
                return String.join("\n", lines) + "\n";
            }
        }
        lines.add(span[0] + 1, decl);
        return String.join("\n", lines) + "\n";
    }

    private static List<String> lines(String text) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) lines.remove(lines.size() - 1);
        return lines;
    }

    /** {index of *table, index of its COMMIT}, or null when the table is absent. */
    private static int[] table(List<String> lines, String table) {
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().equals("*" + table)) continue;
            for (int j = i + 1; j < lines.size(); j++) if (lines.get(j).strip().equals("COMMIT")) return new int[] {i, j};
        }
        return null;
    }
}
