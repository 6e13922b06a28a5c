package roundtrip.netfilter.nft;

import org.junit.jupiter.api.Test;
import roundtrip.model.InputException;
import roundtrip.model.Problem;
import roundtrip.netfilter.Hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading real `nft -j list ruleset` output (resources/nft/zoo.nft listed by nft 1.0.6). */
class NftJsonReaderTest {
    @Test
    void theZooIsUnderstoodExceptWhatTheModelCannotKnow() {
        NftRuleset rs = NftJsonReader.parse("zoo/nft.json", NftFixtures.resource("zoo.json"));
        assertThat(rs.tableNames()).containsExactly("ip zoo", "inet x");
        // fib lookups tied to a device and NAT addresses from a map are evaluated too; IPv6 is not simulated yet
        assertThat(rs.problems()).extracting(Problem::toString).containsExactly(
                "zoo/nft.json: family ip6 is not simulated (IPv4 only): its 1 rule was not evaluated: table ip6 y");
        assertThat(rs.chains(Hook.POSTROUTING)).hasSize(1);
    }

    @Test
    void malformedInputNamesTheFile() {
        assertThatThrownBy(() -> NftJsonReader.parse("r/nft.json", "{\"nftables\": [")).isInstanceOf(InputException.class)
                .hasMessageContaining("malformed JSON");
        assertThatThrownBy(() -> NftJsonReader.parse("r/nft.json", "")).isInstanceOf(InputException.class);
        assertThatThrownBy(() -> NftJsonReader.parse("r/nft.json", "{\"tables\": []}")).isInstanceOf(InputException.class)
                .hasMessageContaining("no \"nftables\" array");
        assertThatThrownBy(() -> NftJsonReader.parse("r/nft.json", "{\"nftables\": [{\"rule\": {\"family\": \"ip\", \"table\": \"t\", \"chain\": \"c\", \"expr\": []}}]}"))
                .isInstanceOf(InputException.class).hasMessageContaining("does not declare");
        assertThatThrownBy(() -> NftFixtures.chain("[{\"jump\": {\"target\": \"nowhere\"}}]"))
                .isInstanceOf(InputException.class).hasMessageContaining("jump to chain \"nowhere\"");
    }

    @Test
    void iptablesNftTablesAreRecognised() {
        String json = NftFixtures.resource("iptables-nft.json");
        assertThat(NftJsonReader.iptablesNftTables(json)).containsExactlyInAnyOrder("ip filter", "ip nat");
        NftRuleset all = NftJsonReader.parse("h/nft.json", json);
        assertThat(all.tableNames()).contains("ip filter", "ip nat", "inet mine");
        NftRuleset own = NftJsonReader.parse("h/nft.json", json, NftJsonReader.iptablesNftTables(json)::contains);
        assertThat(own.tableNames()).containsExactly("inet mine");
        assertThat(own.problems()).isEmpty();
    }
}
