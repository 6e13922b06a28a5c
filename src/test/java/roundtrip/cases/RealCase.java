package roundtrip.cases;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import roundtrip.diagnose.Cause;
import roundtrip.importer.NetworkFileReader;
import roundtrip.importer.ProbeReader;
import roundtrip.model.Host;
import roundtrip.model.Problem;
import roundtrip.sim.Simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/**
 * One real user's case from a public thread (src/test/resources/cases/NN-slug/): the network as the thread describes
 * it ({@code network.yaml}), optionally the network with the thread's fix applied ({@code fixed.yaml}), and
 * {@code case.yaml}: where it comes from, and per failing probe the verdict, the root cause and the fix the thread
 * established. See the README in that directory for the format.
 */
record RealCase(String name, Path dir, String source, String summary, List<String> tags, String gap,
                List<Pattern> warnings, Map<String, Expectation> expect) {

    static final Path ROOT = Path.of("src/test/resources/cases");

    /** What the thread established for one failing probe. */
    record Expectation(String probe, String verdict, String cause, String causeProposed, String host,
                       List<ChangeMatcher> fix, List<List<ChangeMatcher>> alsoAcceptable) {
        /** The thread's fix first, then the alternatives an admin would accept. */
        List<List<ChangeMatcher>> acceptable() {
            List<List<ChangeMatcher>> all = new ArrayList<>();
            all.add(fix);
            all.addAll(alsoAcceptable);
            return all;
        }
    }

    /** One change of a fix: on this host, a printed command the regex finds something in. */
    record ChangeMatcher(String host, Pattern command) {
        @Override public String toString() { return host + ": /" + command.pattern() + "/"; }
    }

    private static final Set<String> KEYS = Set.of("source", "summary", "tags", "gap", "warnings", "expect");
    private static final Set<String> EXPECT_KEYS = Set.of("verdict", "cause", "cause-proposed", "host", "fix", "also-acceptable");
    private static final Set<String> VERDICTS = Set.of("ROUND_TRIP_OK", "REQUEST_LOST", "REPLY_LOST");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Every case directory under {@link #ROOT}, in name order. */
    static List<Path> directories() {
        try (Stream<Path> s = Files.list(ROOT)) {
            return s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RealCase load(Path dir) {
        Path file = dir.resolve("case.yaml");
        JsonNode root;
        try {
            root = YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) throw bad(file, "a case is a map (source, summary, tags, expect)");
        only(file, root, KEYS, "case");
        String source = required(file, root, "source");
        if (!source.startsWith("https://")) throw bad(file, "source must be the thread's https:// link, got " + source);
        String summary = required(file, root, "summary");
        if (summary.contains("\n")) throw bad(file, "summary is one line");
        List<String> tags = strings(file, root.get("tags"), "tags");
        if (tags.isEmpty()) throw bad(file, "tags: at least one (docker, pivpn, wg-easy, openwrt-fw4, ufw, firewalld, ...)");
        String gap = text(root.get("gap"));
        List<Pattern> warnings = new ArrayList<>();
        for (String w : strings(file, root.get("warnings"), "warnings")) warnings.add(regex(file, w));
        JsonNode expectNode = root.get("expect");
        if (expectNode == null || !expectNode.isObject() || expectNode.isEmpty())
            throw bad(file, "expect: {probe-id: {verdict, cause, host, fix}} for every probe the thread saw fail");
        Map<String, Expectation> expect = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = expectNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            expect.put(e.getKey(), expectation(file, e.getKey(), e.getValue()));
        }
        return new RealCase(dir.getFileName().toString(), dir, source, summary, tags, gap, warnings, expect);
    }

    private static Expectation expectation(Path file, String probe, JsonNode n) {
        String where = "expect." + probe;
        if (!n.isObject()) throw bad(file, where + " must be a map");
        only(file, n, EXPECT_KEYS, where);
        String verdict = required(file, n, "verdict", where);
        if (!VERDICTS.contains(verdict)) throw bad(file, where + ".verdict: " + verdict + " is not one of " + VERDICTS);
        if (verdict.equals("ROUND_TRIP_OK")) throw bad(file, where + ": expectations are for the probes that fail");
        String cause = required(file, n, "cause", where);
        String proposed = text(n.get("cause-proposed"));
        boolean known = Arrays.stream(Cause.values()).anyMatch(c -> c.id().equals(cause));
        if (!known && proposed == null)
            throw bad(file, where + ".cause: \"" + cause + "\" is not in the catalogue (diagnose.Cause); say what it is in cause-proposed:");
        String host = required(file, n, "host", where);
        List<ChangeMatcher> fix = changes(file, n.get("fix"), where + ".fix");
        if (fix.isEmpty()) throw bad(file, where + ".fix: the thread's fix, {host, command} or a list of them");
        List<List<ChangeMatcher>> also = new ArrayList<>();
        JsonNode alt = n.get("also-acceptable");
        if (alt != null && !alt.isNull()) {
            if (!alt.isArray()) throw bad(file, where + ".also-acceptable must be a list of fixes");
            for (JsonNode a : alt) also.add(changes(file, a, where + ".also-acceptable"));
        }
        return new Expectation(probe, verdict, cause, proposed, host, fix, also);
    }

    /** {host, command} or a list of them: the changes one fix must contain. */
    private static List<ChangeMatcher> changes(Path file, JsonNode n, String where) {
        List<ChangeMatcher> out = new ArrayList<>();
        if (n == null || n.isNull()) return out;
        List<JsonNode> items = new ArrayList<>();
        if (n.isArray()) n.forEach(items::add); else items.add(n);
        for (JsonNode i : items) {
            if (!i.isObject()) throw bad(file, where + ": each change is {host: H, command: REGEX}");
            only(file, i, Set.of("host", "command"), where);
            out.add(new ChangeMatcher(required(file, i, "host", where), regex(file, required(file, i, "command", where))));
        }
        return out;
    }

    /** The network the thread describes. */
    NetworkFileReader.Result network() { return NetworkFileReader.read(dir.resolve("network.yaml")); }

    /** The network with the thread's fix applied, when the case has one. */
    NetworkFileReader.Result fixed() {
        Path f = dir.resolve("fixed.yaml");
        return Files.isRegularFile(f) ? NetworkFileReader.read(f) : null;
    }

    /** Every warning the importers and the tunnel pairing give for a network, as "file:line: message". */
    static List<String> warnings(NetworkFileReader.Result r) {
        List<String> out = new ArrayList<>();
        for (Host h : r.network().hosts().values()) for (Problem p : h.problems()) out.add(p.toString());
        for (Problem p : new Simulator(r.network()).problems()) out.add(p.toString());
        return out;
    }

    static List<String> probeIds(NetworkFileReader.Result r) {
        return r.probes().stream().map(p -> p.probe().id()).toList();
    }

    static ProbeReader.LocatedProbe probe(NetworkFileReader.Result r, String id) {
        return r.probes().stream().filter(p -> p.probe().id().equals(id)).findFirst().orElse(null);
    }

    private static void only(Path file, JsonNode n, Set<String> keys, String where) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!keys.contains(k)) throw bad(file, "unknown key \"" + k + "\" in " + where + " (known: " + new java.util.TreeSet<>(keys) + ")");
        }
    }

    private static String required(Path file, JsonNode n, String key) { return required(file, n, key, "case"); }

    private static String required(Path file, JsonNode n, String key, String where) {
        String v = text(n.get(key));
        if (v == null || v.isBlank()) throw bad(file, where + ": \"" + key + "\" is required");
        return v.strip();
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private static List<String> strings(Path file, JsonNode n, String where) {
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) return out;
        if (!n.isArray()) throw bad(file, where + " must be a list");
        for (JsonNode i : n) out.add(i.asText());
        return out;
    }

    private static Pattern regex(Path file, String text) {
        try {
            return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            throw bad(file, "not a regular expression: " + text + " (" + e.getDescription() + ")");
        }
    }

    private static IllegalArgumentException bad(Path file, String message) {
        return new IllegalArgumentException(file + ": " + message);
    }
}
