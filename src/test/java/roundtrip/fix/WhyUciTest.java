package roundtrip.fix;

import org.junit.jupiter.api.Test;
import roundtrip.diagnose.Cause;
import roundtrip.diagnose.Diagnoser;
import roundtrip.importer.NetworkFileReader;
import roundtrip.importer.ProbeReader;
import roundtrip.model.Host;
import roundtrip.model.Network;
import roundtrip.model.Probe;
import roundtrip.netfilter.nft.NftRuleset;
import roundtrip.sim.Simulator;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static roundtrip.fix.StoryFixture.commands;
import static roundtrip.fix.StoryFixture.hosts;

/**
 * S15 with the OpenWrt router read from its /etc/config (network file, openwrt-dir): fw4's switch is set in the
 * router's own configuration, the ruleset is generated again from it, and the result is the router of s15-fixed,
 * whose firewall file differs by exactly that option.
 */
class WhyUciTest {
    static final Path DIR = Path.of("src/test/resources/netfile");

    static NetworkFileReader.Result read(String name) { return NetworkFileReader.read(DIR.resolve(name)); }

    static List<Probe> probes(NetworkFileReader.Result r) { return r.probes().stream().map(ProbeReader.LocatedProbe::probe).toList(); }

    static RankedFix uciFix(Why.Result w) {
        return w.fixes().stream().filter(x -> x.fix().id().equals("fw4-masq-allow-invalid")).findFirst().orElseThrow();
    }

    /** The rules fw4 generates for an OpenWrt router read from its configuration, "CHAIN: RULE" per line. */
    static String rules(Host h) {
        StringBuilder sb = new StringBuilder();
        for (NftRuleset.RuleInfo r : ((NftRuleset) h.firewall()).rules()) sb.append(r.chain()).append(": ").append(r.source().text()).append('\n');
        return sb.toString();
    }

    /** Per probe: does it pass (answer and first data exchange)? */
    static Map<String, Boolean> passes(Network net, List<Probe> probes) {
        Simulator sim = new Simulator(net);
        Map<String, Boolean> out = new LinkedHashMap<>();
        for (Probe p : probes) out.put(p.id(), Diagnoser.passes(sim.run(p, false)));
        return out;
    }

    @Test void theZoneOptionIsSetInTheRoutersConfigAndTheRulesetGeneratedAgain() {
        NetworkFileReader.Result broken = read("s15/network.yaml");
        List<Probe> probes = probes(broken);
        Why.Result w = new Why(broken.network()).explain(probes.get(1), probes);   // remote-ping-king
        assertThat(w.findings().get(0).cause()).isEqualTo(Cause.CONNTRACK_INVALID_ASYMMETRIC);
        assertThat(w.findings().get(0).host()).isEqualTo("op1");
        RankedFix uci = uciFix(w);
        assertThat(uci.rank()).isEqualTo(1);
        assertThat(uci.verification().clean()).isTrue();
        assertThat(uci.verification().checks()).isNotEmpty();
        assertThat(hosts(uci)).containsExactly("op1");
        // wan is the second zone section of op1-config/firewall: the command is pasted as printed
        assertThat(commands(uci)).containsExactly("uci set firewall.@zone[1].masq_allow_invalid='1'; uci commit firewall; fw4 reload");
        Change c = uci.fix().changes().get(0);
        assertThat(c.shell()).isTrue();
        assertThat(c.notes()).isEmpty();
        assertThat(c.equivalent()).isEmpty();
        assertThat(Dialect.of(broken.network().host("op1"))).isEqualTo(Dialect.OPENWRT);

        // the edited router is the router of s15-fixed: the same rules, the same results for every probe
        Network edited = new Editor().apply(broken.network(), uci.fix().changes());
        NetworkFileReader.Result fixed = read("s15-fixed/network.yaml");
        Host op1 = edited.host("op1");
        assertThat(rules(op1)).isEqualTo(rules(fixed.network().host("op1"))).doesNotContain("ct state invalid");
        assertThat(rules(broken.network().host("op1")))
                .contains("accept_to_wan: meta nfproto ipv4 oifname \"wan\" ct state invalid counter drop comment \"!fw4: Prevent NAT leakage\"");
        assertThat(op1.firewallConfig().zoneOption("wan", "masq_allow_invalid")).isEqualTo("1");
        assertThat(broken.network().host("op1").firewallConfig().zoneOption("wan", "masq_allow_invalid")).isNull();
        assertThat(passes(edited, probes)).isEqualTo(passes(fixed.network(), probes(fixed)))
                .containsEntry("remote-ping-king", true).containsEntry("lan-to-king", true);
    }

    @Test void tcpStillBreaksBecauseTheAnswersLaterPacketsAreMasqueraded() {
        NetworkFileReader.Result broken = read("s15/network.yaml");
        List<Probe> probes = probes(broken);
        Why.Result w = new Why(broken.network()).explain(probes.get(0), probes);   // remote-to-king, tcp/443
        RankedFix uci = uciFix(w);
        assertThat(uci.verification().error()).isNull();
        assertThat(uci.verification().regressions()).isEmpty();
        assertThat(uci.verification().fixesProbe()).isFalse();
        assertThat(w.fixes().get(0).verification().clean()).isTrue();
        assertThat(uci.rank()).isGreaterThan(1);
        // as on s15-fixed: the SYN-ACK leaves un-NATed, the data answer is picked up as new and masqueraded
        var r = new Simulator(new Editor().apply(broken.network(), uci.fix().changes())).run(probes.get(0), false);
        assertThat(r.data().delivered()).isFalse();
        assertThat(r.data().lostAt().reason().english()).contains("203.0.113.1:443");
    }

    @Test void aZoneTheConfigDoesNotHaveCannotBeSet() {
        NetworkFileReader.Result broken = read("s15/network.yaml");
        Change c = new Change.UciFirewallZoneOption("op1", "dmz", "@zone[3]", "masq_allow_invalid", "1", List.of());
        assertThatThrownBy(() -> new Editor().apply(broken.network(), List.of(c)))
                .isInstanceOf(Editor.CannotApply.class).hasMessageContaining("no zone named 'dmz'");
    }
}
