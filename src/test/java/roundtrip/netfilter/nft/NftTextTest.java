package roundtrip.netfilter.nft;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Rules rendered from `nft -j list ruleset` read as `nft list ruleset` printed them (counters without numbers). */
class NftTextTest {
    @ParameterizedTest
    @ValueSource(strings = {"zoo", "fw4-two-zone"})
    void renderedRulesAreWhatNftListPrints(String name) throws Exception {
        JsonNode items = new ObjectMapper().readTree(NftFixtures.resource(name + ".json")).path("nftables");
        List<String> rendered = new ArrayList<>();
        for (JsonNode item : items) if (item.has("rule")) rendered.add(NftText.rule(item.get("rule")));
        List<String> listed = NftFixtures.resource(name + ".list.txt").lines()
                .map(l -> l.strip().replaceAll("counter packets \\d+ bytes \\d+", "counter")).toList();
        assertThat(rendered).isNotEmpty();
        assertThat(listed).containsAll(rendered);
    }
}
