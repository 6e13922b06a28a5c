package roundtrip.netfilter.nft;

import com.fasterxml.jackson.databind.JsonNode;
import roundtrip.model.Problem;
import roundtrip.model.Source;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the items of a ruleset read from nft text came from: each table, chain and rule item (by identity) with
 * its file:line and the text as written, the rules that were only partly understood, problems found while
 * reading, and those that leave every verdict through the host uncertain (an `include` that was not followed).
 * Empty for {@code nft -j} input, whose rules are quoted by handle.
 */
final class NftOrigins {
    static final NftOrigins NONE = new NftOrigins();

    final Map<JsonNode, Source> sources = new IdentityHashMap<>();
    final Map<JsonNode, Problem> ruleProblems = new IdentityHashMap<>();
    final List<Problem> problems = new ArrayList<>();
    final List<Problem> everywhere = new ArrayList<>();

    Source source(JsonNode item) { return sources.get(item); }
}
