package roundtrip.fix;

import org.junit.jupiter.api.Test;
import roundtrip.model.Host;
import roundtrip.model.Network;
import roundtrip.netfilter.Ruleset;
import roundtrip.netfilter.nft.NftJsonReader;
import roundtrip.netfilter.nft.NftRuleset;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * masq_allow_invalid on a router known only by fw4's generated ruleset: the Editor removes exactly the rules fw4
 * stops generating (templates/ruleset.uc, zone-drop-invalid.uc), nothing of another zone. resources/nft/
 * fw4-masq-log-limit.json: two masquerading zones, wan with log and log_limit (the drop is preceded by a
 * rate-limited log rule of the same match, as in firewall4's tests/02_zones/08_log_limit), wwan without.
 */
class EditorFw4Test {
    static final NftRuleset FW4 = NftJsonReader.parse("r/nft.json", resource("fw4-masq-log-limit.json"));

    static String resource(String name) {
        try (var in = EditorFw4Test.class.getResourceAsStream("/nft/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Network router(Ruleset firewall) {
        return new Network(List.of(new Host("r", List.of(), List.of(), List.of(), firewall, null, null, List.of())), List.of());
    }

    static List<String> chain(Host h, String chain) {
        NftRuleset rs = Fw4.ruleset(h);
        return rs.rules().stream().filter(r -> r.chain().equals(chain)).map(r -> r.source().text()).toList();
    }

    static Change allow(String zone, String value) {
        return new Change.UciFirewallZoneOption("r", zone, null, "masq_allow_invalid", value, List.of());
    }

    @Test void theZonesNatLeakageDropAndItsLogRuleGoTheOtherZoneKeepsItsOwn() {
        assertThat(FW4.problems()).isEmpty();
        assertThat(Fw4.deleteCommands(Fw4.natLeakageRules(FW4, "wan"))).containsExactly(
                "nft delete rule inet fw4 accept_to_wan handle 28", "nft delete rule inet fw4 accept_to_wan handle 29");
        assertThat(Fw4.deleteCommands(Fw4.natLeakageRules(FW4, "wwan"))).containsExactly("nft delete rule inet fw4 accept_to_wwan handle 34");
        assertThat(Fw4.natLeakageRules(FW4, "lan")).isEmpty();

        Host after = new Editor().apply(router(FW4), List.of(allow("wan", "1"))).host("r");
        assertThat(chain(after, "accept_to_wan")).containsExactly(
                "meta nfproto ipv4 oifname \"wan\" counter accept comment \"!fw4: accept wan IPv4 traffic\"");
        // the zone's other log rules (drop_to_wan) and the other masquerading zone are fw4's as before
        assertThat(chain(after, "drop_to_wan")).hasSize(2);
        assertThat(chain(after, "accept_to_wwan")).hasSize(2).first().asString().contains("Prevent NAT leakage");
        assertThat(Fw4.ruleset(after).size()).isEqualTo(FW4.size() - 2);
        assertThat(FW4.size()).isEqualTo(Fw4.ruleset(router(FW4).host("r")).size());
    }

    @Test void theIptablesPartOfACombinedFirewallStays() {
        Ruleset iptables = roundtrip.netfilter.iptables.IptablesSaveParser.parse("r/iptables-save.txt",
                "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A FORWARD -i eth9 -j DROP\nCOMMIT\n");
        Host after = new Editor().apply(router(Ruleset.combine(iptables, FW4)), List.of(allow("wan", "1"))).host("r");
        assertThat(after.firewall()).isInstanceOf(Ruleset.Combined.class);
        assertThat(((Ruleset.Combined) after.firewall()).first()).isSameAs(iptables);
        assertThat(chain(after, "accept_to_wan")).hasSize(1);
    }

    @Test void whatFw4WouldAddOrAnotherOptionIsNotGuessed() {
        Editor e = new Editor();
        assertThatThrownBy(() -> e.apply(router(FW4), List.of(allow("wan", "0")))).isInstanceOf(Editor.CannotApply.class)
                .hasMessageContaining("would add");
        assertThatThrownBy(() -> e.apply(router(FW4), List.of(new Change.UciFirewallZoneOption("r", "wan", null, "masq", "0", List.of()))))
                .isInstanceOf(Editor.CannotApply.class).hasMessageContaining("not modelled");
        assertThatThrownBy(() -> e.apply(router(Ruleset.EMPTY), List.of(allow("wan", "1")))).isInstanceOf(Editor.CannotApply.class)
                .hasMessageContaining("table inet fw4");
        // fw4 reads "on", "true", "yes" as 1 too; a zone without the rule is left as it is
        assertThat(Fw4.ruleset(e.apply(router(FW4), List.of(allow("wwan", "yes"))).host("r")).size()).isEqualTo(FW4.size() - 1);
        assertThat(Fw4.ruleset(e.apply(router(FW4), List.of(allow("lan", "1"))).host("r")).size()).isEqualTo(FW4.size());
    }

    @Test void theZoneIsNamedAfterItsEgressChain() {
        assertThat(Fw4.zoneOfAcceptTo("accept_to_wan")).isEqualTo("wan");
        assertThat(Fw4.zoneOfAcceptTo("accept_to_")).isNull();
        assertThat(Fw4.zoneOfAcceptTo("filter FORWARD")).isNull();
        assertThat(Fw4.zoneOfAcceptTo(null)).isNull();
    }
}
