package roundtrip.importer;

import roundtrip.model.Text;
import roundtrip.netfilter.Ruleset;
import roundtrip.netfilter.iptables.IptablesSaveParser;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * iptables rules generated from another description (a network file's intent, a router's firewall
 * configuration), rendered as iptables-save text and read by the real parser, so a trace quotes each rule in
 * iptables syntax at the line of the configuration it came from.
 */
public final class IptablesText {
    private static final Map<String, List<String>> BUILTIN = Map.of(
            "raw", List.of("PREROUTING", "OUTPUT"),
            "mangle", List.of("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING"),
            "nat", List.of("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"),
            "filter", List.of("INPUT", "FORWARD", "OUTPUT"));
    private static final List<String> TABLE_ORDER = List.of("raw", "mangle", "nat", "filter");

    private record Line(String text, int sourceLine) {}

    private static final class Table {
        final Map<String, String> policies = new LinkedHashMap<>();
        final Map<String, Integer> policyLines = new LinkedHashMap<>();
        final List<String> userChains = new ArrayList<>();
        final List<Line> rules = new ArrayList<>();
    }

    private final Map<String, Table> tables = new LinkedHashMap<>();
    private final int headerLine;

    /** @param headerLine the line table and chain declarations are attributed to */
    public IptablesText(int headerLine) { this.headerLine = headerLine; }

    private Table table(String name) {
        if (!BUILTIN.containsKey(name)) throw new IllegalArgumentException("unknown table " + name);
        return tables.computeIfAbsent(name, n -> new Table());
    }

    public IptablesText policy(String table, String chain, String policy, int line) {
        Table t = table(table);
        t.policies.put(chain, policy);
        t.policyLines.put(chain, line);
        return this;
    }

    public IptablesText chain(String table, String chain) {
        Table t = table(table);
        if (!t.userChains.contains(chain)) t.userChains.add(chain);
        return this;
    }

    /** Appends "-A CHAIN rest" to a table, attributed to {@code line}. */
    public IptablesText append(String table, String chain, String rest, int line) {
        table(table).rules.add(new Line("-A " + chain + " " + rest, line));
        return this;
    }

    /**
     * iptables-save text read back into tables, chains and rule lines, each kept verbatim at its line ({@code lineMap}
     * of its line number), so commands can change it as iptables would change the live ruleset. A line not of the
     * save format is kept in place for the parser to report. @throws IllegalArgumentException for a table iptables
     * commands here do not know (security)
     */
    public static IptablesText fromSave(String text, java.util.function.IntUnaryOperator lineMap, int headerLine) {
        IptablesText out = new IptablesText(headerLine);
        Table current = null;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            int at = lineMap.applyAsInt(i + 1);
            if (l.isEmpty() || l.startsWith("#") || l.equals("COMMIT")) continue;
            if (l.startsWith("*")) {
                current = out.table(l.substring(1).strip());
                continue;
            }
            if (current == null) throw new IllegalArgumentException("line " + at + " is outside a table");
            if (l.startsWith(":")) {
                String[] w = Text.words(l.substring(1));
                String name = w[0];
                String tableName = out.nameOf(current);
                if (BUILTIN.get(tableName).contains(name)) {
                    current.policies.put(name, w.length > 1 ? w[1] : "ACCEPT");
                    current.policyLines.put(name, at);
                } else if (!current.userChains.contains(name)) {
                    current.userChains.add(name);
                }
                continue;
            }
            current.rules.add(new Line(l, at));
        }
        return out;
    }

    private String nameOf(Table t) {
        for (Map.Entry<String, Table> e : tables.entrySet()) if (e.getValue() == t) return e.getKey();
        throw new IllegalStateException();
    }

    /** Whether the chain exists in the table: a built-in chain, or one declared (-N). */
    public boolean hasChain(String table, String chain) {
        if (!BUILTIN.containsKey(table)) return false;
        if (BUILTIN.get(table).contains(chain)) return true;
        Table t = tables.get(table);
        return t != null && t.userChains.contains(chain);
    }

    /** Whether "-A CHAIN rest" is already a rule of the table (compared word by word). */
    public boolean hasRule(String table, String chain, String rest) {
        Table t = tables.get(table);
        if (t == null) return false;
        String wanted = normalize("-A " + chain + " " + rest);
        return t.rules.stream().anyMatch(l -> normalize(l.text()).equals(wanted));
    }

    /** `iptables -I CHAIN [N] rest`: before the chain's N-th rule (1 = first). */
    public IptablesText insert(String table, String chain, int position, String rest, int line) {
        Table t = table(table);
        int seen = 0, at = -1, afterLast = t.rules.size();
        for (int i = 0; i < t.rules.size(); i++) {
            if (!chainOf(t.rules.get(i).text()).equals(chain)) continue;
            afterLast = i + 1;
            if (++seen == position && at < 0) at = i;
        }
        // a position past the chain's end (iptables accepts one past the last rule) appends
        if (at < 0) at = afterLast;
        t.rules.add(at, new Line("-A " + chain + " " + rest, line));
        return this;
    }

    /** `iptables -D CHAIN rest`: the first rule equal to it goes; false when none is. */
    public boolean delete(String table, String chain, String rest) {
        Table t = tables.get(table);
        if (t == null) return false;
        String wanted = normalize("-A " + chain + " " + rest);
        for (int i = 0; i < t.rules.size(); i++)
            if (normalize(t.rules.get(i).text()).equals(wanted)) { t.rules.remove(i); return true; }
        return false;
    }

    private static String chainOf(String ruleLine) {
        String[] w = Text.words(ruleLine);
        return w.length > 1 && w[0].equals("-A") ? w[1] : "";
    }

    private static String normalize(String ruleLine) {
        return ruleLine.replace("\"", "").strip().replaceAll("\\s+", " ");
    }

    public boolean isEmpty() { return tables.isEmpty(); }

    /** The rules as iptables-save text. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        render((line, text) -> sb.append(text).append('\n'));
        return sb.toString();
    }

    /** Parses the rendered rules with the iptables-save parser, each rule quoted at its source line of {@code file}. */
    public Ruleset parse(String file) { return parse(file, false); }

    /** As {@link #parse(String)}; {@code ipv6}: the rules are ip6tables' (they see IPv6 packets only). */
    public Ruleset parse(String file, boolean ipv6) {
        List<Integer> lines = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        render((line, text) -> {
            sb.append(text).append('\n');
            lines.add(line);
        });
        java.util.function.IntUnaryOperator at = n -> n >= 1 && n <= lines.size() ? lines.get(n - 1) : headerLine;
        return ipv6 ? IptablesSaveParser.parseIp6Ruleset(file, sb.toString(), at) : IptablesSaveParser.parse(file, sb.toString(), at);
    }

    private interface Sink { void line(int sourceLine, String text); }

    private void render(Sink out) {
        for (String name : TABLE_ORDER) {
            Table t = tables.get(name);
            if (t == null) continue;
            out.line(headerLine, "*" + name);
            for (String chain : BUILTIN.get(name))
                out.line(t.policyLines.getOrDefault(chain, headerLine),
                        ":" + chain + " " + t.policies.getOrDefault(chain, "ACCEPT") + " [0:0]");
            for (String chain : t.userChains) out.line(headerLine, ":" + chain + " - [0:0]");
            for (Line l : t.rules) out.line(l.sourceLine(), l.text());
            out.line(headerLine, "COMMIT");
        }
    }
}
