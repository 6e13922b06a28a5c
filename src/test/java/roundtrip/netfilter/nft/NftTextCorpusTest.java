package roundtrip.netfilter.nft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import roundtrip.lab.Lab;
import roundtrip.lab.Scenario;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The text reader against nft itself. Each corpus item is a ruleset of our own in the shape real tools write
 * (firewalld, fw4, Docker's nftables backend, NixOS, iptables-restore-translate, a hand-written home router, the
 * constructs of issue 11) with what the real nft made of it: {@code X.nft} was loaded with {@code nft -f} in a
 * fresh network namespace and {@code X.json} is {@code nft -j list ruleset} afterwards; {@code X.iptables} was
 * loaded with iptables-nft and {@code X.list.txt}/{@code X.json} are nft's listing of it in both forms (text
 * users paste, with iptables-nft's `xt` leftovers). Our reading of the text must mean what nft's JSON means
 * ({@link NftCanonical}). As root the fixtures are made again from the real nft and must still agree;
 * {@code -Droundtrip.nft.writeFixtures=true} writes them into src/test/resources.
 */
class NftTextCorpusTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DEVICES = Pattern.compile("(?m)^# lab-devices:(.*)$");

    /** One corpus item: the text we read and the JSON nft printed for the same ruleset. */
    record Item(String name, Path text, Path json, Path loaded) {
        @Override public String toString() { return name; }
    }

    static Stream<Item> corpus() throws IOException, URISyntaxException {
        List<Item> items = new ArrayList<>();
        Path nft = Path.of(NftTextCorpusTest.class.getResource("/nft").toURI());
        for (Path dir : List.of(nft, nft.resolve("corpus"))) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.sorted().toList()) {
                    String n = f.getFileName().toString();
                    if (n.endsWith(".nft")) {
                        String base = n.substring(0, n.length() - 4);
                        items.add(new Item(base, f, dir.resolve(base + ".json"), f));
                    } else if (n.endsWith(".iptables")) {
                        String base = n.substring(0, n.length() - 9);
                        items.add(new Item(base, dir.resolve(base + ".list.txt"), dir.resolve(base + ".json"), f));
                    }
                }
            }
        }
        return items.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void textMeansWhatNftLoaded(Item item) throws IOException {
        String text = Files.readString(item.text(), StandardCharsets.UTF_8);
        NftTextReader.Document ours = NftTextReader.read(item.name(), text, n -> n);
        assertThat(ours.origins().problems).as("problems reading " + item.name()).isEmpty();
        assertThat(ours.origins().ruleProblems.values()).as("rules not understood in " + item.name()).isEmpty();
        JsonNode real = JSON.readTree(item.json().toFile()).path("nftables");
        assertThat(comparable(NftCanonical.lines(NftCanonical.of(ours.items())), NftCanonical.lines(NftCanonical.of(real))))
                .as("%s read from text, against nft -j list ruleset", item.name())
                .containsExactlyElementsOf(comparable(NftCanonical.lines(NftCanonical.of(real)), NftCanonical.lines(NftCanonical.of(real))));
        // and the evaluator takes it as it takes nft's JSON: the same rules, none of them left out
        NftRuleset fromText = NftJsonReader.read(item.name(), ours.items(), t -> false, ours.origins());
        NftRuleset fromJson = NftJsonReader.read(item.name(), real, t -> false);
        assertThat(fromText.size()).isEqualTo(fromJson.size());
        if (!real.toString().contains("{\"xt\":"))
            assertThat(fromText.problems().stream().map(p -> p.message()).toList())
                    .containsExactlyInAnyOrderElementsOf(fromJson.problems().stream().map(p -> p.message()).toList());
    }

    /**
     * The lines to compare: iptables-nft keeps extensions nft has no words for as `xt` expressions in its JSON,
     * which nft's text listing translates (`xt match conntrack` lists as `ct state ...`); a rule whose JSON holds
     * one is opaque there and left out of the comparison on both sides.
     */
    private static List<String> comparable(List<String> lines, List<String> nftLines) {
        java.util.Set<String> opaque = new java.util.HashSet<>();
        for (String l : nftLines) if (l.contains("{\"xt\":")) opaque.add(ruleKey(l));
        return lines.stream().filter(l -> !opaque.contains(ruleKey(l))).toList();
    }

    private static String ruleKey(String line) {
        int brace = line.indexOf(" {");
        return brace < 0 ? line : line.substring(0, brace);
    }

    /** Each fixture made again with the real nft: what nft prints now must be what the fixture holds. */
    @Test
    void fixturesAreWhatTheRealNftPrints() throws Exception {
        var reason = Lab.unavailableReason();
        Assumptions.assumeTrue(reason == null, () -> "skipped: " + reason);
        Assumptions.assumeTrue(new ProcessBuilder("sh", "-c", "command -v nft").start().waitFor() == 0, "nft is not installed");
        boolean write = Boolean.getBoolean("roundtrip.nft.writeFixtures");
        for (Item item : corpus().toList()) {
            String loaded = Files.readString(item.loaded(), StandardCharsets.UTF_8);
            Scenario s = new Scenario();
            s.name = "nftcorpus-" + item.name();
            Scenario.HostSpec h = new Scenario.HostSpec();
            Matcher m = DEVICES.matcher(loaded);
            StringBuilder setup = new StringBuilder();
            if (m.find()) for (String dev : m.group(1).trim().split("\\s+")) setup.append("ip link add ").append(dev).append(" type bridge\n");
            h.setup = setup.toString();
            if (item.loaded().toString().endsWith(".iptables")) h.iptables = loaded;
            else h.nft = loaded;
            s.hosts.put("h", h);
            try (Lab lab = Lab.build(s, Path.of("target", "nft-corpus-logs"))) {
                String json = lab.outputOf("h", "nft", "-j", "list", "ruleset");
                String listing = lab.outputOf("h", "nft", "list", "ruleset");
                JsonNode now = JSON.readTree(json).path("nftables");
                boolean same = Files.exists(item.json()) && NftCanonical.lines(NftCanonical.of(now))
                        .equals(NftCanonical.lines(NftCanonical.of(JSON.readTree(item.json().toFile()).path("nftables"))));
                if (write && !same) {
                    Path src = Path.of("src/test/resources").resolve(Path.of(NftTextCorpusTest.class.getResource("/").toURI()).relativize(item.json()));
                    Files.writeString(src, json);
                    if (!item.text().equals(item.loaded())) Files.writeString(src.resolveSibling(item.name() + ".list.txt"), listing);
                    continue;
                }
                JsonNode fixture = JSON.readTree(item.json().toFile()).path("nftables");
                assertThat(NftCanonical.lines(NftCanonical.of(now))).as(item.name() + ": nft -j list ruleset now")
                        .containsExactlyElementsOf(NftCanonical.lines(NftCanonical.of(fixture)));
                if (!item.text().equals(item.loaded())) {
                    NftTextReader.Document listed = NftTextReader.read(item.name(), listing, n -> n);
                    List<String> nowLines = NftCanonical.lines(NftCanonical.of(now));
                    assertThat(comparable(NftCanonical.lines(NftCanonical.of(listed.items())), nowLines))
                            .as(item.name() + ": nft list ruleset now").containsExactlyElementsOf(comparable(nowLines, nowLines));
                }
            }
        }
    }
}
