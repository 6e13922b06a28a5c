package roundtrip.importer;

import java.util.Set;

/**
 * An `ip6tables-save` file: first checked for its structure (tables, chain declarations, rules and COMMITs in the
 * order ip6tables-restore requires; a file that is not ip6tables-save output is refused as iptables-save.txt would
 * be), then compiled by the iptables parser into a ruleset whose tables see IPv6 packets only.
 */
final class Ip6tablesSave {
    private Ip6tablesSave() {}

    /** ip6tables has no security table in old versions but accepts it in current ones; nat since Linux 3.7. */
    private static final Set<String> TABLES = Set.of("raw", "mangle", "nat", "filter", "security");

    /**
     * What the file holds: its tables (filter, nat, ...), the number of rules ({@code -A} lines) and the rules
     * compiled (null when there is no file).
     */
    record Content(Set<String> tables, int rules, roundtrip.netfilter.iptables.IptablesRuleset ruleset) {}

    /** The number of rules ({@code -A} lines) of the file. @throws roundtrip.model.InputException at the first line out of place */
    static int ruleCount(String file, String text) { return read(file, text).rules(); }

    /** @throws roundtrip.model.InputException at the first line out of place */
    static Content read(String file, String text) {
        String table = null;
        int tableLine = 0, rules = 0;
        Set<String> tables = new java.util.LinkedHashSet<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String t = lines[i].strip();
            if (t.isEmpty() || t.startsWith("#")) continue;
            if (t.startsWith("*")) {
                if (table != null)
                    throw InputErrors.at(file, lineNo, "COMMIT missing for table " + table + " (started at line " + tableLine + ")");
                table = t.substring(1).strip();
                tableLine = lineNo;
                if (!TABLES.contains(table)) throw InputErrors.at(file, lineNo, "unknown table *" + table);
                tables.add(table);
            } else if (t.equals("COMMIT")) {
                if (table == null) throw InputErrors.at(file, lineNo, "COMMIT outside a table");
                table = null;
            } else if (t.startsWith(":")) {
                if (table == null) throw InputErrors.at(file, lineNo, "chain declaration before any *table line");
            } else if (t.startsWith("-A ") || t.startsWith("-I ")) {
                if (table == null) throw InputErrors.at(file, lineNo, "rule before any *table line");
                rules++;
            } else {
                throw InputErrors.at(file, lineNo, "not an ip6tables-save line: " + SysctlReader.abbreviate(t));
            }
        }
        if (table != null) throw InputErrors.at(file, tableLine, "table " + table + " has no COMMIT");
        return new Content(Set.copyOf(tables), rules,
                roundtrip.netfilter.iptables.IptablesSaveParser.parseIp6Ruleset(file, text));
    }
}
