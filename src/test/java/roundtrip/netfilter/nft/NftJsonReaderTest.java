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
        assertThat(rs.tableNames()).containsExactly("ip zoo", "inet x", "ip6 y");
        // fib lookups tied to a device and NAT addresses from a map are evaluated too, and so is the ip6 table
        assertThat(rs.problems()).isEmpty();
        assertThat(rs.chains(Hook.POSTROUTING)).hasSize(1);
    }

    /** Rules generated from another file: quoted at its lines; one it does not fully say makes what reaches it uncertain. */
    @Test
    void generatedRulesAreQuotedWhereTheyWereWritten() throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
                [{"table": {"family": "inet", "name": "fw4"}},
                 {"chain": {"family": "inet", "table": "fw4", "name": "forward", "type": "filter", "hook": "forward", "prio": 0, "policy": "drop"}},
                 {"rule": {"family": "inet", "table": "fw4", "chain": "forward", "expr": [{"match": {"op": "==", "left": {"meta": {"key": "hour"}}, "right": "21:00:00"}}, {"drop": null}]}},
                 {"rule": {"family": "inet", "table": "fw4", "chain": "forward", "expr": [{"match": {"op": "==", "left": {"meta": {"key": "iifname"}}, "right": "lan"}}, {"accept": null}], "comment": "!fw4: lan"}}]
                """);
        Problem time = new Problem(new roundtrip.model.Source("etc/config/firewall", 12, "config rule"), roundtrip.model.Message.text("option start_time: not simulated"));
        NftRuleset rs = NftJsonReader.readGenerated("etc/config/firewall", json, r -> new NftJsonReader.RuleOrigin(
                new roundtrip.model.Source("etc/config/firewall", r.path("expr").toString().contains("hour") ? 11 : 20, ""),
                r.path("expr").toString().contains("hour") ? time : null));
        assertThat(rs.problems()).containsExactly(time);
        assertThat(rs.rules()).extracting(r -> r.source().toString()).containsExactly(
                "etc/config/firewall:11: meta hour 21:00:00 drop", "etc/config/firewall:20: iifname \"lan\" accept comment \"!fw4: lan\"");
        var ctx = roundtrip.netfilter.Pkt.tcp("192.168.1.5", "1.1.1.1", 80).in("lan").hook(Hook.FORWARD).ctx();
        var v = rs.chains(Hook.FORWARD).get(0).evaluate(ctx);
        assertThat(v.kind()).isEqualTo(roundtrip.netfilter.Verdict.Kind.ACCEPT);
        assertThat(v.decidedBy().where()).isEqualTo("etc/config/firewall:20");
        // the option's own problem, and the evaluator's about the time of day, both quoted at the rule's line
        assertThat(ctx.uncertain).contains(time).allSatisfy(p -> assertThat(p.source().where()).startsWith("etc/config/firewall:1"));
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
