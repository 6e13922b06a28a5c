package roundtrip.fix;

import org.junit.jupiter.api.Test;
import roundtrip.model.Host;
import roundtrip.model.Ip;
import roundtrip.model.Network;
import roundtrip.model.Prefix;
import roundtrip.model.Route;
import roundtrip.model.RouteType;
import roundtrip.model.Rule;
import roundtrip.model.Source;
import roundtrip.netfilter.iptables.IptablesRuleset;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EditorTest {
    private final StoryFixture s9 = new StoryFixture("s09-phantun-stage2-forward-drop");

    private static Route route(int table, String dst, String via, String dev) {
        return new Route(table, RouteType.UNICAST, Prefix.parse(dst), via == null ? null : Ip.parse(via), dev, null, 0, null, 0, false, Source.NONE);
    }

    @Test void addsARouteToACopyAndLeavesTheOriginalAlone() {
        Network before = s9.net;
        Network after = new Editor().apply(before, List.of(new Change.AddRoute("inet", route(Route.TABLE_MAIN, "192.168.200.0/30", "203.0.113.10", "eth0"))));
        assertThat(after.host("inet").routes()).hasSize(before.host("inet").routes().size() + 1);
        assertThat(after.host("inet").routes()).anySatisfy(r -> assertThat(r.text()).isEqualTo("192.168.200.0/30 via 203.0.113.10 dev eth0"));
        assertThat(before.host("inet").routes()).noneSatisfy(r -> assertThat(r.dst()).isEqualTo(Prefix.parse("192.168.200.0/30")));
        assertThat(after.host("box")).isSameAs(before.host("box"));
        assertThat(after.segments()).isEqualTo(before.segments());
    }

    @Test void anExistingRouteCannotBeAddedTwiceButCanBeReplaced() {
        Host box = s9.net.host("box");
        Route dflt = box.routes().stream().filter(r -> r.table() == Route.TABLE_MAIN && r.dst().len() == 0).findFirst().orElseThrow();
        Editor e = new Editor();
        assertThatThrownBy(() -> e.apply(s9.net, List.of(new Change.AddRoute("box", route(Route.TABLE_MAIN, "0.0.0.0/0", "203.0.113.1", "ens160")))))
                .hasMessageContaining("File exists");
        Route other = route(Route.TABLE_MAIN, "0.0.0.0/0", "203.0.113.2", "ens160");
        Network after = e.apply(s9.net, List.of(new Change.ReplaceRoute("box", dflt, other)));
        assertThat(after.host("box").routes()).filteredOn(r -> r.table() == Route.TABLE_MAIN && r.dst().len() == 0)
                .singleElement().extracting(Route::text).isEqualTo("default via 203.0.113.2 dev ens160");
    }

    @Test void rulesGetTheKernelsDefaultPriority() {
        Editor e = new Editor();
        Network after = e.apply(s9.net, List.of(
                new Change.AddRule("box", Prefix.parse("203.0.113.10"), null, null, 100),
                new Change.AddRule("box", null, null, 0x1L, 100)));
        List<Rule> rules = after.host("box").rules();
        assertThat(rules).extracting(Rule::priority).containsExactly(0, 32764, 32765, 32766, 32767);
        assertThat(rules.get(1).text()).isEqualTo("32764:\tfrom all fwmark 0x1 lookup 100");
        assertThat(rules.get(2).text()).isEqualTo("32765:\tfrom 203.0.113.10 lookup 100");
    }

    @Test void iptablesChangesEditTheSavedTextAndParseItAgain() {
        Editor e = new Editor();
        Network after = e.apply(s9.net, List.of(
                new Change.IptablesPolicy("box", "filter", "FORWARD", "ACCEPT"),
                new Change.IptablesRule("box", "mangle", "PREROUTING", false, "-i tun0 -j CONNMARK --set-mark 0x1")));
        IptablesRuleset rs = (IptablesRuleset) after.host("box").firewall();
        assertThat(rs.policy("filter", "FORWARD").name()).isEqualTo("ACCEPT");
        assertThat(rs.ruleCount("mangle", "PREROUTING")).isEqualTo(1);
        assertThat(rs.ruleCount("nat", "POSTROUTING")).isEqualTo(1);
        // a host without any iptables rules gets a fresh table
        Network inet = e.apply(s9.net, List.of(new Change.IptablesRule("inet", "nat", "POSTROUTING", false, "-o eth1 -j MASQUERADE")));
        assertThat(((IptablesRuleset) inet.host("inet").firewall()).ruleCount("nat", "POSTROUTING")).isEqualTo(1);
    }

    @Test void ipForwardSwitchesEveryDevicesForwardingAsTheKernelDoes() {
        StoryFixture f = new StoryFixture("f-ip-forward-off");
        Network after = new Editor().apply(f.net, List.of(new Change.SetSysctl("router", "net.ipv4.ip_forward", "1")));
        assertThat(after.host("router").sysctls().ipForward()).isTrue();
        assertThat(after.host("router").sysctls().forwarding("eth0")).isTrue();
        assertThat(f.net.host("router").sysctls().forwarding("eth0")).isFalse();
    }

    @Test void insertGoesBeforeTheChainsFirstRuleAppendBeforeCommit() {
        String text = "*filter\n:FORWARD DROP [0:0]\n-A FORWARD -i a -j ACCEPT\nCOMMIT\n";
        assertThat(IptablesText.withRule(text, "filter", "FORWARD", true, "-i b -j ACCEPT"))
                .isEqualTo("*filter\n:FORWARD DROP [0:0]\n-A FORWARD -i b -j ACCEPT\n-A FORWARD -i a -j ACCEPT\nCOMMIT\n");
        assertThat(IptablesText.withRule(text, "filter", "FORWARD", false, "-i b -j ACCEPT"))
                .isEqualTo("*filter\n:FORWARD DROP [0:0]\n-A FORWARD -i a -j ACCEPT\n-A FORWARD -i b -j ACCEPT\nCOMMIT\n");
        assertThat(IptablesText.withRule(text, "nat", "POSTROUTING", false, "-o x -j MASQUERADE"))
                .endsWith("COMMIT\n*nat\n-A POSTROUTING -o x -j MASQUERADE\nCOMMIT\n");
        assertThat(IptablesText.withPolicy(text, "filter", "FORWARD", "ACCEPT")).startsWith("*filter\n:FORWARD ACCEPT [0:0]\n");
    }

    @Test void freeTableAndMarkAvoidWhatTheHostUses() {
        StoryFixture c = new StoryFixture("s16-vps-dnat-connmark");
        Host router = c.net.host("router");
        assertThat(Editor.freeTable(router)).isEqualTo(100);
        assertThat(Editor.freeMark(router)).isEqualTo(0x1L);   // 0x1234 does not use bit 0x1
        Host marked = new Host("h", List.of(), List.of(), List.of(new Rule(Ip.Family.IPV4, 100, false, null, null, 0x1L, 0xffffffffL, null, null, null,
                "table", 100, 0, -1, Source.NONE)), null, null, null, null);
        assertThat(Editor.freeTable(marked)).isEqualTo(101);
        assertThat(Editor.freeMark(marked)).isEqualTo(0x2L);
        // a mark only the firewall uses is seen too: the text comes with the host's ruleset
        Host markedByIptables = new Host("h", List.of(), List.of(), List.of(), roundtrip.netfilter.iptables.IptablesSaveParser.parse("h/iptables-save.txt",
                "*mangle\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -i tun0 -j MARK --set-xmark 0x1/0xffffffff\nCOMMIT\n"), null, null, null);
        assertThat(Editor.freeMark(markedByIptables)).isEqualTo(0x2L);
    }

    /** A host with all three firewall parts: a fix edits one of them and keeps the other two, and the host's NDP proxies. */
    @Test void anIptablesOrIp6tablesFixEditsItsOwnPartAndKeepsTheOthers() {
        Network net = roundtrip.importer.NetworkFileReader.parse("net.yaml", """
                hosts:
                  h:
                    interfaces: {eth0: [10.0.0.1/24, "2001:db8::1/64"]}
                    iptables: |
                      *filter
                      :INPUT DROP [0:0]
                      COMMIT
                    ip6tables: |
                      *filter
                      :INPUT DROP [0:0]
                      COMMIT
                    nft: |
                      table inet t { chain c { type filter hook input priority 10; } }
                """, java.nio.file.Path.of(".")).network();
        Host h = net.host("h");
        Host v4 = new Editor().apply(net, List.of(new Change.IptablesRule("h", "filter", "INPUT", true, "-p tcp --dport 22 -j ACCEPT")))
                .host("h");
        assertThat(((IptablesRuleset) v4.firewall().iptablesPart()).text()).contains("-A INPUT -p tcp --dport 22 -j ACCEPT");
        assertThat(v4.firewall().ip6tablesPart()).isSameAs(h.firewall().ip6tablesPart());
        assertThat(v4.firewall().nftPart()).isSameAs(h.firewall().nftPart());
        Host v6 = new Editor().apply(net, List.of(new Change.IptablesRule("h", "filter", "INPUT", true, "-p tcp --dport 22 -j ACCEPT", true),
                new Change.AddNdpProxy("h", Ip.parse("2001:db8::9"), "eth0"))).host("h");
        assertThat(((IptablesRuleset) v6.firewall().ip6tablesPart()).text()).contains("-A INPUT -p tcp --dport 22 -j ACCEPT");
        assertThat(v6.firewall().iptablesPart()).isSameAs(h.firewall().iptablesPart());
        assertThat(v6.firewall().nftPart()).isSameAs(h.firewall().nftPart());
        assertThat(v6.ndpProxies()).extracting(e -> e.address() + " " + e.dev()).containsExactly("2001:db8::9 eth0");
    }
}
