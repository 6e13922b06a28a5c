package roundtrip.netfilter.nft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import roundtrip.model.InputException;
import roundtrip.model.Problem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measures the text reader and the evaluator on nftables' own test corpus (a checkout of the nftables sources,
 * named by {@code -Droundtrip.nft.corpus=DIR}; skipped otherwise, nothing of it is committed): tests/py's rules
 * (each read in a table of the first family its file names, and compared with the JSON tests/py expects where it
 * gives one), tests/shell's `nft list ruleset` dumps (compared with their .json-nft dumps) and those JSON dumps
 * read by the evaluator. A rule is refused when the text reader cannot read it, uncertain when the evaluator
 * does not understand something in it, understood otherwise. The counts, and the most frequent reasons, go to
 * target/nft-upstream-corpus.txt; nothing may crash.
 */
@EnabledIfSystemProperty(named = "roundtrip.nft.corpus", matches = ".+")
class NftUpstreamCorpusTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private final Map<String, Integer> refusedWhy = new TreeMap<>();
    private final Map<String, Integer> uncertainWhy = new TreeMap<>();
    private final List<String> disagreements = new ArrayList<>();
    /** a few rules per reason, to see what a reason stands for */
    private final Map<String, List<String>> examples = new TreeMap<>();

    private void example(String reason, String rule) {
        List<String> l = examples.computeIfAbsent(reason, k -> new ArrayList<>());
        if (l.size() < 3) l.add(rule);
    }

    private void count(String what) { counts.merge(what, 1, Integer::sum); }

    @Test
    void measure() throws IOException {
        Path root = Path.of(System.getProperty("roundtrip.nft.corpus"));
        Path py = root.resolve("tests/py"), shell = root.resolve("tests/shell/testcases");
        assertThat(py).isDirectory();
        try (Stream<Path> files = Files.walk(py)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".t")).sorted().toList()) pyFile(f);
        }
        try (Stream<Path> files = Files.walk(shell)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".nft") && p.getParent().endsWith("dumps")).sorted().toList())
                shellDump(f);
        }
        try (Stream<Path> files = Files.walk(shell)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json-nft")).sorted().toList()) jsonDump(f);
        }
        StringBuilder report = new StringBuilder("nftables' own corpus (" + root + ")\n");
        counts.forEach((k, v) -> report.append(String.format("%-60s %6d%n", k, v)));
        report.append("\nmost frequent reasons for refusing a rule (text reader):\n");
        top(refusedWhy).forEach(e -> report.append(String.format("%6d  %s%n", e.getValue(), e.getKey()))
                .append(examples.getOrDefault(e.getKey(), List.of()).stream().map(x -> "          e.g. " + x + "\n").reduce("", String::concat)));
        report.append("\nmost frequent reasons for an uncertain rule (evaluator):\n");
        top(uncertainWhy).forEach(e -> report.append(String.format("%6d  %s%n", e.getValue(), e.getKey()))
                .append(examples.getOrDefault(e.getKey(), List.of()).stream().map(x -> "          e.g. " + x + "\n").reduce("", String::concat)));
        report.append("\nfirst disagreements with nft's JSON:\n");
        disagreements.stream().limit(60).forEach(d -> report.append(d).append('\n'));
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/nft-upstream-corpus.txt"), report.toString());
        System.out.println(report);
        assertThat(counts).containsKey("py rules read");
    }

    private static List<Map.Entry<String, Integer>> top(Map<String, Integer> m) {
        return m.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(40).toList();
    }

    private static String reason(String message) {
        // the kind of thing, without the values in it
        String r = message.replaceAll("\"[^\"]*\"", "\"…\"").replaceAll("\\d+", "N");
        int cut = r.indexOf("; the rule is not evaluated");
        return cut > 0 ? r.substring(0, cut) : r;
    }

    // ---------------------------------------------------------------------------------------------- tests/py

    /** One tests/py file: chains (`:name;type ...`), tables (`*family;name;chains`), sets, objects, then rules. */
    private void pyFile(Path f) throws IOException {
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        Map<String, String> chains = new LinkedHashMap<>();
        String family = null;
        List<String> declarations = new ArrayList<>();
        List<String[]> rules = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#") || line.startsWith("-")) continue;
            if (line.startsWith(":")) {
                String[] p = line.substring(1).split(";", 2);
                chains.put(p[0], p.length > 1 ? p[1] : "");
            } else if (line.startsWith("*")) {
                if (family == null) family = line.substring(1).split(";")[0];
            } else if (line.startsWith("!")) {
                if (line.endsWith(";ok")) declarations.add(setDeclaration(line.substring(1, line.length() - 3)));
            } else if (line.startsWith("%")) {
                if (line.endsWith(";ok")) declarations.add(objectDeclaration(line.substring(1, line.length() - 3)));
            } else if (line.startsWith("?")) {
                continue;   // elements added to a set: not needed to read rules
            } else {
                String[] p = line.split(";");
                rules.add(new String[] {p[0], p.length > 1 ? p[1] : "ok", p.length > 2 ? p[2] : null});
            }
        }
        if (family == null || family.equals("netdev") || family.equals("arp") || family.equals("bridge")) family = family == null ? "ip" : family;
        String chain = chains.keySet().stream().findFirst().orElse("c");
        String chainSpec = chains.getOrDefault(chain, "");
        StringBuilder text = new StringBuilder("table " + family + " t {\n");
        for (String d : declarations) text.append(d).append('\n');
        text.append("chain ").append(chain).append(" {\n");
        if (!chainSpec.isBlank()) text.append(chainSpec.replace("device ", "device ").trim()).append(";\n");
        int firstRuleLine = text.toString().split("\n", -1).length;
        for (String[] r : rules) text.append(r[0]).append('\n');
        text.append("}\n}\n");
        NftTextReader.Document d;
        try {
            d = NftTextReader.read(f.toString(), text.toString(), n -> n);
        } catch (InputException e) {
            count("py files refused whole (structure)");
            refusedWhy.merge("file: " + reason(e.getMessage()), 1, Integer::sum);
            return;
        }
        Map<Integer, Problem> unread = new java.util.HashMap<>();
        for (Problem p : d.origins().ruleProblems.values()) unread.put(p.source().line(), p);
        NftRuleset rs = NftJsonReader.read(f.toString(), d.items(), t -> false, d.origins());
        Map<Integer, Problem> uncertain = new java.util.HashMap<>();
        for (Problem p : rs.problems()) if (!unread.containsKey(p.source().line())) uncertain.put(p.source().line(), p);
        Map<String, JsonNode> expected = expectedJson(f);
        boolean simulated = family.equals("ip") || family.equals("inet");
        List<JsonNode> ruleItems = new ArrayList<>();
        for (JsonNode item : d.items()) if (item.has("rule")) ruleItems.add(item.get("rule"));
        for (int i = 0; i < rules.size(); i++) {
            String[] r = rules.get(i);
            int line = firstRuleLine + i;
            boolean ok = r[1].equals("ok");
            if (!ok) {
                count("py rules nft refuses (;fail)");
                count(unread.containsKey(line) ? "py ;fail rules refused by us too" : "py ;fail rules we read anyway");
                continue;
            }
            count("py rules read");
            if (!simulated) count("py rules in a family not simulated (ip6, arp, bridge, netdev)");
            if (unread.containsKey(line)) {
                count("py rules refused");
                refusedWhy.merge(reason(unread.get(line).message().english()), 1, Integer::sum);
                example(reason(unread.get(line).message().english()), r[0] + "   [" + unread.get(line).message().english() + "]");
                continue;
            }
            if (!simulated) {
                count("py rules read, family not simulated");
            } else if (uncertain.containsKey(line)) {
                count("py rules uncertain");
                uncertainWhy.merge(reason(uncertain.get(line).message().english()), 1, Integer::sum);
                example(reason(uncertain.get(line).message().english()), r[0] + "   [" + uncertain.get(line).message().english() + "]");
            } else {
                count("py rules understood");
            }
            JsonNode want = expected.get(r[0].trim());
            JsonNode ours = i < ruleItems.size() ? ruleItems.get(i) : null;
            if (want != null && ours != null) {
                ArrayNode theirItems = JSON.createArrayNode();
                theirItems.addObject().putObject("rule").put("family", family).put("table", "t").put("chain", chain).set("expr", want);
                ArrayNode ourItems = JSON.createArrayNode();
                ourItems.addObject().set("rule", ours);
                List<String> a = NftCanonical.lines(NftCanonical.of(ourItems)), b = NftCanonical.lines(NftCanonical.of(theirItems));
                if (a.equals(b)) count("py rules agreeing with tests/py's JSON");
                else {
                    count("py rules differing from tests/py's JSON");
                    disagreements.add(f.getFileName() + ": " + r[0] + "\n   ours:  " + a + "\n   nft's: " + b);
                }
            }
        }
    }

    /** `!set1 type ipv4_addr timeout 60s` → a set block. */
    private static String setDeclaration(String spec) {
        String[] p = spec.trim().split("\\s+", 2);
        String body = p.length > 1 ? p[1] : "";
        boolean map = body.contains(" : ");
        String flags = "";
        int fl = body.indexOf(" flags ");
        if (fl >= 0) {
            flags = "flags " + body.substring(fl + 7).trim() + ";";
            body = body.substring(0, fl);
        }
        String timeout = "";
        int to = body.indexOf(" timeout ");
        if (to >= 0) {
            timeout = "timeout " + body.substring(to + 9).trim() + ";";
            body = body.substring(0, to);
        }
        return (map ? "map " : "set ") + p[0] + " { " + body.trim() + "; " + flags + timeout + " }";
    }

    /** `%cnt1 type counter` → a counter block, `%qt1 type quota 25 mbytes` → a quota block. */
    private static String objectDeclaration(String spec) {
        String[] p = spec.trim().split("\\s+", 4);
        if (p.length < 3) return "";
        String kind = p[2];
        String rest = p.length > 3 ? p[3] : "";
        if (kind.equals("ct") && rest.startsWith("helper")) return "ct helper " + p[0] + " " + rest.substring(6).trim();
        if (kind.equals("counter")) return "counter " + p[0] + " { }";
        return kind + " " + p[0] + " { " + rest + " }";
    }

    /** tests/py's JSON for each rule: X.t.json.output where the listing differs, else X.t.json. */
    private static Map<String, JsonNode> expectedJson(Path t) throws IOException {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (Path j : List.of(Path.of(t + ".json"), Path.of(t + ".json.output"))) {
            if (!Files.exists(j)) continue;
            String rule = null;
            StringBuilder body = new StringBuilder();
            for (String line : Files.readAllLines(j, StandardCharsets.UTF_8)) {
                if (line.startsWith("# ")) {
                    put(out, rule, body);
                    rule = line.substring(2).trim();
                    body.setLength(0);
                } else {
                    body.append(line).append('\n');
                }
            }
            put(out, rule, body);
        }
        return out;
    }

    private static void put(Map<String, JsonNode> out, String rule, StringBuilder body) {
        if (rule == null || body.toString().isBlank()) return;
        try {
            out.put(rule, JSON.readTree(body.toString()));
        } catch (IOException e) {
            // a JSON test tests/py itself marks as broken: nothing to compare with
        }
    }

    // ---------------------------------------------------------------------------------------------- tests/shell

    private void shellDump(Path f) throws IOException {
        String text = Files.readString(f, StandardCharsets.UTF_8);
        count("shell dumps");
        NftTextReader.Document d;
        try {
            d = NftTextReader.read(f.toString(), text, n -> n);
        } catch (InputException e) {
            count("shell dumps refused whole (structure)");
            refusedWhy.merge("file: " + reason(e.getMessage()), 1, Integer::sum);
            example("file: " + reason(e.getMessage()), f + ": " + e.getMessage());
            return;
        }
        int rules = 0;
        for (JsonNode item : d.items()) if (item.has("rule")) rules++;
        counts.merge("shell dump rules read", rules, Integer::sum);
        counts.merge("shell dump rules refused", d.origins().ruleProblems.size(), Integer::sum);
        for (Problem p : d.origins().ruleProblems.values()) {
            refusedWhy.merge(reason(p.message().english()), 1, Integer::sum);
            example(reason(p.message().english()), f.getFileName() + ": " + p.source().text() + "   [" + p.message().english() + "]");
        }
        Path json = Path.of(f.toString().replaceAll("\\.nft$", ".json-nft"));
        if (!Files.exists(json)) return;
        JsonNode real;
        try {
            real = JSON.readTree(json.toFile()).path("nftables");
        } catch (IOException e) {
            return;
        }
        if (NftCanonical.lines(NftCanonical.of(d.items())).equals(NftCanonical.lines(NftCanonical.of(real))))
            count("shell dumps agreeing with their .json-nft");
        else {
            count("shell dumps differing from their .json-nft");
            List<String> a = NftCanonical.lines(NftCanonical.of(d.items())), b = NftCanonical.lines(NftCanonical.of(real));
            List<String> onlyOurs = new ArrayList<>(a);
            onlyOurs.removeAll(b);
            List<String> onlyTheirs = new ArrayList<>(b);
            onlyTheirs.removeAll(a);
            disagreements.add(f.getFileName() + ":\n   ours:  " + onlyOurs.stream().limit(2).toList() + "\n   nft's: "
                    + onlyTheirs.stream().limit(2).toList());
        }
    }

    private void jsonDump(Path f) throws IOException {
        count("json dumps");
        NftRuleset rs;
        try {
            rs = NftJsonReader.parse(f.toString(), Files.readString(f, StandardCharsets.UTF_8));
        } catch (InputException e) {
            count("json dumps refused whole");
            return;
        }
        int uncertain = 0;
        for (Problem p : rs.problems()) {
            if (!p.message().english().startsWith("not understood")) continue;
            uncertain++;
            uncertainWhy.merge("json: " + reason(p.message().english()), 1, Integer::sum);
            example("json: " + reason(p.message().english()), f.getFileName() + ": " + p.source().text() + "   [" + p.message().english() + "]");
        }
        counts.merge("json dump rules (ip/inet)", rs.size(), Integer::sum);
        counts.merge("json dump rules uncertain", uncertain, Integer::sum);
    }
}
