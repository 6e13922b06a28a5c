package roundtrip.importer;

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

    public boolean isEmpty() { return tables.isEmpty(); }

    /** The rules as iptables-save text. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        render((line, text) -> sb.append(text).append('\n'));
        return sb.toString();
    }

    /** Parses the rendered rules with the iptables-save parser, each rule quoted at its source line of {@code file}. */
    public Ruleset parse(String file) {
        List<Integer> lines = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        render((line, text) -> {
            sb.append(text).append('\n');
            lines.add(line);
        });
        return IptablesSaveParser.parse(file, sb.toString(), n -> n >= 1 && n <= lines.size() ? lines.get(n - 1) : headerLine);
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
