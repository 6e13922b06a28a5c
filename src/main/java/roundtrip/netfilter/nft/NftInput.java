package roundtrip.netfilter.nft;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import roundtrip.model.InputException;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.IntUnaryOperator;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One nftables ruleset as given: {@code nft -j list ruleset} output, or nft text (`nft list ruleset`, a saved
 * /etc/nftables.conf, a network file's `nft:` block) read into the same items. Read once, evaluated, compared.
 */
public final class NftInput {
    /** what `nft list ruleset` prints after a table iptables-nft made */
    private static final Pattern IPTABLES_WARNING = Pattern.compile("# Warning: table (\\S+ \\S+) is managed by iptables-nft");

    private final String file;
    private final JsonNode items;
    private final NftOrigins origins;
    private final Set<String> warnedIptablesTables;

    private NftInput(String file, JsonNode items, NftOrigins origins, Set<String> warnedIptablesTables) {
        this.file = file;
        this.items = items;
        this.origins = origins;
        this.warnedIptablesTables = warnedIptablesTables;
    }

    /** {@code nft -j list ruleset} output. @throws InputException when it is not */
    public static NftInput json(String file, String text) {
        JsonNode root;
        try {
            root = JsonTree.read(text);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : Math.max(0, e.getLocation().getLineNr());
            String msg = e.getOriginalMessage() == null ? "" : e.getOriginalMessage().split("\n", 2)[0];
            throw new InputException(file, line, "malformed JSON: " + msg);
        }
        if (root == null || root.isMissingNode()) throw new InputException(file, 1, "empty file: expected the output of nft -j list ruleset");
        JsonNode items = root.path("nftables");
        if (!items.isArray()) throw new InputException(file, 0, "not the output of nft -j list ruleset: no \"nftables\" array");
        return new NftInput(file, items, NftOrigins.NONE, Set.of());
    }

    /** nft text whose line N is line {@code lineMap(N)} of {@code file}. @throws InputException when its structure is broken */
    public static NftInput text(String file, String text, IntUnaryOperator lineMap) {
        NftTextReader.Document d = NftTextReader.read(file, text, lineMap);
        Set<String> warned = new LinkedHashSet<>();
        Matcher m = IPTABLES_WARNING.matcher(text);
        while (m.find()) warned.add(m.group(1));
        return new NftInput(file, d.items(), d.origins(), warned);
    }

    public String file() { return file; }

    JsonNode items() { return items; }

    NftOrigins origins() { return origins; }

    /** Every table ("inet fw4"), in the order given. */
    public Set<String> tableNames() {
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode item : items) {
            JsonNode t = item.path("table");
            if (t.isObject()) out.add(t.path("family").asText() + " " + t.path("name").asText());
        }
        return out;
    }

    /**
     * The tables iptables-nft made ("ip filter"): xt expressions, upper-case built-in chain names, or nft's warning
     * in a text listing.
     */
    public Set<String> iptablesNftTables() {
        Set<String> out = new LinkedHashSet<>(NftJsonReader.iptablesTables(items));
        out.addAll(warnedIptablesTables);
        return out;
    }

    /** The ruleset to evaluate, without the tables {@code skip} names. */
    public NftRuleset ruleset(Predicate<String> skip) {
        return NftJsonReader.read(file, items, skip, origins);
    }
}
