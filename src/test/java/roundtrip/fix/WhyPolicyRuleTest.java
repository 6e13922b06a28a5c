package roundtrip.fix;

import org.junit.jupiter.api.Test;
import roundtrip.diagnose.Cause;
import roundtrip.diagnose.Finding;
import roundtrip.importer.NetworkFileReader;
import roundtrip.importer.ProbeReader;
import roundtrip.model.Network;
import roundtrip.model.Probe;
import roundtrip.report.UntranslatedEnglish;
import roundtrip.report.WhyReport;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Policy routing rules that capture traffic the main table would handle (issue 12, items 2 and 5): a rule ahead of the
 * main table (a VPN's exit-node table, source routing for a NIC) sends forwarded answers or the host's own traffic to
 * its bridge into a table that routes them away. The cause is named on that host, quoting the rule, and the fix is the
 * rule an admin adds: `ip rule add to NET lookup main`, sized to the network the main table knows, placed ahead by
 * the kernel's default priority (scenarios f-policy-rule-captures-answers and f-nat-output-source-rule-bridge-in-main
 * show both on the real kernel). Also the exception an admin writes for an interface-level drop of new forwarded connections
 * in a chain of its own (a VPN daemon's stateful filtering): the interface pair's accept ahead of it in that chain.
 */
class WhyPolicyRuleTest {

    private static StoryFixture.NetFile load(String yaml) {
        StoryFixture.NetFile c = StoryFixture.NetFile.read(yaml);
        assertThat(c.warnings()).as("warnings").isEmpty();
        return c;
    }

    private static void passes(RankedFix f) {
        assertThat(f.verification().error()).as("applies").isNull();
        assertThat(f.verification().fixesProbe()).as(f.fix().id() + " passes when simulated again").isTrue();
        assertThat(f.verification().regressions()).as("regressions").isEmpty();
    }

    /** A workstation forwarding two bridges through an exit node's table 52, which rule 5270 selects for everything. */
    private static final String EXIT_NODE = """
            hosts:
              ws:
                interfaces:
                  eth0: 10.1.0.10/24
                  br1: {address: 172.17.0.1/16, kind: bridge}
                  br2: {address: 172.18.0.1/16, kind: bridge}
                  vpn0: 100.64.0.2/24
                routes:
                  - default via 10.1.0.1
                  - default via 100.64.0.1 dev vpn0 table 52
                rules:
                  - lookup 52 priority 5270
                  - RULE2
                sysctl: {net.ipv4.ip_forward: 1}
                iptables: |
                  *nat
                  -A POSTROUTING -s 172.16.0.0/12 -o vpn0 -j MASQUERADE
                  COMMIT
              app1:
                interfaces: {eth0: 172.17.0.2/16}
                routes: [default via 172.17.0.1]
              app2:
                interfaces: {eth0: 172.18.0.2/16}
                routes: [default via 172.18.0.1]
              exit:
                interfaces: {eth0: 100.64.0.1/24, eth1: 198.51.100.1/24}
                sysctl: {net.ipv4.ip_forward: 1}
                masquerade: [{out: eth1}]
              gateway:
                interfaces: {eth0: 10.1.0.1/24}
              web:
                interfaces: {eth0: 198.51.100.80/24}
                routes: [default via 198.51.100.1]
                listen: [tcp/80]
            segments:
              lan: [ws:eth0, gateway:eth0]
              b1: [ws:br1, app1:eth0]
              b2: [ws:br2, app2:eth0]
              tunnel: [ws:vpn0, exit:eth0]
              far: [exit:eth1, web:eth0]
            probes:
              - {id: app1-web, from: app1, to: 198.51.100.80, proto: tcp, dport: 80, expect: REPLY_LOST}
              - {id: app2-web, from: app2, to: 198.51.100.80, proto: tcp, dport: 80, expect: EXPECT2}
              - {id: ws-web, from: ws, to: 198.51.100.80, proto: tcp, dport: 80, expect: ROUND_TRIP_OK}
            """;

    private static StoryFixture.NetFile exitNode(String rule2, String expect2) {
        return load(EXIT_NODE.replace("RULE2", rule2).replace("EXPECT2", expect2));
    }

    @Test void anExitNodeTableThatTakesTheForwardedAnswersIsAnAsymmetricReplyWithTheRuleQuoted() {
        StoryFixture.NetFile c = exitNode("to 172.18.0.0/16 lookup main priority 5269", "ROUND_TRIP_OK");
        assertThat(c.net().host("ws").managed()).isTrue();
        Why.Result w = c.explain("app1-web");
        Finding top = w.findings().get(0);
        assertThat(top.cause()).isEqualTo(Cause.ASYMMETRIC_REPLY);
        assertThat(top.host()).isEqualTo("ws");
        assertThat(top.evidence().text()).isEqualTo("5270:\tfrom all lookup 52");
        assertThat(top.evidence().file()).isEqualTo("test.yaml");
        assertThat(top.evidence().line()).isEqualTo(12);
        assertThat(top.summary().english()).contains("came in on br1", "5270: from all lookup 52", "leaves by vpn0", "172.17.0.0/16 dev br1");
        RankedFix first = w.fixes().get(0);
        assertThat(first.fix().id()).isEqualTo("rule-to-main-table");
        assertThat(first.fix().changes()).singleElement().satisfies(ch -> {
            assertThat(ch.host()).isEqualTo("ws");
            // sized to the bridge the main table knows, not to the one container probed
            assertThat(ch.command()).isEqualTo("ip rule add to 172.17.0.0/16 lookup main");
        });
        passes(first);
    }

    @Test void withoutTheRuleAheadBothBridgesAreCapturedAndTheOtherBridgeIsNotTouched() {
        StoryFixture.NetFile c = exitNode("to 192.0.2.0/24 lookup main priority 5269", "REPLY_LOST");
        Why.Result w = c.explain("app2-web");
        assertThat(w.findings().get(0).cause()).isEqualTo(Cause.ASYMMETRIC_REPLY);
        assertThat(w.fixes().get(0).fix().changes().get(0).command()).isEqualTo("ip rule add to 172.18.0.0/16 lookup main");
        passes(w.fixes().get(0));
    }

    /** The host's own connection to its published port, DNATed in nat OUTPUT and re-routed by a rule for its source. */
    private static final String HAIRPIN = """
            hosts:
              box:
                interfaces:
                  eth0: 10.1.0.10/24
                  docker0: {address: 172.17.0.1/16, kind: bridge}
                routes:
                  - default via 10.1.0.1
                  - default via 10.1.0.1 dev eth0 table 100
                rules: [from 10.1.0.10 lookup 100 priority 10000]
                sysctl: {net.ipv4.ip_forward: 1}
                iptables: |
                  *nat
                  -A PREROUTING -d 10.1.0.10/32 -p tcp -m tcp --dport 5678 -j DNAT --to-destination 172.17.0.2:80
                  -A OUTPUT -d 10.1.0.10/32 -p tcp -m tcp --dport 5678 -j DNAT --to-destination 172.17.0.2:80
                  COMMIT
              app:
                interfaces: {eth0: 172.17.0.2/16}
                routes: [default via 172.17.0.1]
                listen: [tcp/80]
              neighbour:
                interfaces: {eth0: 10.1.0.20/24}
                routes: [default via 10.1.0.1]
              gateway:
                MANAGED
                interfaces: {eth0: 10.1.0.1/24}
            segments:
              lan: [box:eth0, neighbour:eth0, gateway:eth0]
              bridge: [box:docker0, app:eth0]
            probes:
              - {id: neighbour-app, from: neighbour, to: 10.1.0.10, proto: tcp, dport: 5678, target: app, expect: ROUND_TRIP_OK}
              - {id: box-itself, from: box, to: 10.1.0.10, proto: tcp, dport: 5678, target: app, expect: REQUEST_LOST}
            """;

    @Test void aSourceRuleThatSendsTheHostsOwnTrafficToItsBridgeAwayIsTheCauseOnThatHost() {
        for (String managed : List.of("managed: true", "managed: false")) {
            Why.Result w = load(HAIRPIN.replace("MANAGED", managed)).explain("box-itself");
            Finding top = w.findings().get(0);
            assertThat(top.cause()).as(managed).isEqualTo(Cause.POLICY_RULE_CAPTURES_LOCAL_TRAFFIC);
            assertThat(top.host()).isEqualTo("box");
            assertThat(top.evidence().text()).isEqualTo("10000:\tfrom 10.1.0.10 lookup 100");
            assertThat(top.evidence().line()).isEqualTo(9);
            assertThat(top.summary().english()).contains("box's own packet", "172.17.0.2", "table 100", "172.17.0.0/16 dev docker0");
            RankedFix first = w.fixes().get(0);
            assertThat(first.fix().id()).isEqualTo("rule-to-main-table");
            assertThat(first.fix().changes().get(0).command()).isEqualTo("ip rule add to 172.17.0.0/16 lookup main");
            assertThat(first.fix().changes().get(0).host()).isEqualTo("box");
            passes(first);
            // the rule itself may go too (what the maintainers did when it was not needed): named by selector and priority
            RankedFix delete = w.fixes().stream().filter(f -> f.fix().id().equals("delete-capturing-rule")).findFirst().orElseThrow();
            assertThat(delete.fix().changes().get(0).command()).isEqualTo("ip rule del from 10.1.0.10 lookup 100 priority 10000");
            assertThat(delete.fix().changes().get(0).persistence(Dialect.LINUX).english()).contains("test.yaml:9");
            passes(delete);
        }
    }

    @Test void aRuleWhoseTableIsNoBroaderThanMainIsNotBlamed() {
        // the from-rule's table is as specific as main for the far network: the rule chose an uplink, it captured nothing
        String yaml = """
                hosts:
                  router:
                    interfaces: {eth0: 10.1.0.10/24, eth1: 10.2.0.10/24}
                    routes:
                      - default via 10.1.0.1
                      - default via 10.2.0.1 dev eth1 table 100
                    rules: [from 10.1.0.10 lookup 100 priority 10000]
                  gw1:
                    interfaces: {eth0: 10.1.0.1/24}
                  gw2:
                    interfaces: {eth0: 10.2.0.1/24}
                segments:
                  a: [router:eth0, gw1:eth0]
                  b: [router:eth1, gw2:eth0]
                probes:
                  - {id: out, from: router, src: 10.1.0.10, to: 203.0.113.5, proto: tcp, dport: 443, expect: REQUEST_LOST}
                """;
        Why.Result w = load(yaml).explain("out");
        assertThat(w.findings()).extracting(Finding::cause)
                .doesNotContain(Cause.POLICY_RULE_CAPTURES_LOCAL_TRAFFIC, Cause.ASYMMETRIC_REPLY);
    }

    @Test void theCauseAndTheFixReadInChinese() {
        StoryFixture.NetFile hair = load(HAIRPIN.replace("MANAGED", "managed: false"));
        StoryFixture.NetFile exit = exitNode("to 172.18.0.0/16 lookup main priority 5269", "ROUND_TRIP_OK");
        for (var pair : List.of(List.of(hair, "box-itself"), List.of(exit, "app1-web"))) {
            StoryFixture.NetFile c = (StoryFixture.NetFile) pair.get(0);
            Why.Result w = c.explain((String) pair.get(1));
            String text = WhyReport.text(w, c.net(), "zh");
            assertThat(new UntranslatedEnglish(VerbatimTexts.of(c.net(), List.of(w))).offending(text)).as(text).isEmpty();
            assertThat(text).contains("ip rule add to 172.17.0.0/16 lookup main");
        }
    }

    /** A VPN daemon's chain drops new connections forwarded into its tunnel; DROP_RULE is the rule that judges them. */
    private static final String STATEFUL = """
            hosts:
              router:
                interfaces: {lan1: 10.1.0.1/24, tun0: 100.64.0.1/24}
                sysctl: {net.ipv4.ip_forward: 1}
                iptables: |
                  *nat
                  -A POSTROUTING -o tun0 -j MASQUERADE
                  COMMIT
                  *filter
                  :vpn-fwd - [0:0]
                  -A FORWARD -j vpn-fwd
                  DROP_RULE
                  -A vpn-fwd -o tun0 -j ACCEPT
                  COMMIT
              pc1:
                interfaces: {eth0: 10.1.0.2/24}
                routes: [default via 10.1.0.1]
              nas:
                interfaces: {eth0: 100.64.0.5/24}
                listen: [tcp/445]
            segments:
              s1: [router:lan1, pc1:eth0]
              t: [router:tun0, nas:eth0]
            probes:
              - {id: pc1-nas, from: pc1, to: 100.64.0.5, proto: tcp, dport: 445, expect: REQUEST_LOST}
            """;

    @Test void anInterfaceLevelDropOfNewConnectionsGetsTheInterfacePairAcceptInItsOwnChain() {
        Why.Result w = load(STATEFUL.replace("DROP_RULE", "-A vpn-fwd -o tun0 -m conntrack ! --ctstate RELATED,ESTABLISHED -j DROP"))
                .explain("pc1-nas");
        assertThat(w.findings().get(0).cause()).isEqualTo(Cause.FILTER_RULE_DROP);
        RankedFix first = w.fixes().get(0);
        assertThat(first.fix().id()).isEqualTo("accept-interfaces-before-rule");
        assertThat(first.fix().changes().get(0).command()).isEqualTo("iptables -I vpn-fwd -i lan1 -o tun0 -j ACCEPT");
        passes(first);
        // the service-sized accept is still offered, after it
        assertThat(w.fixes()).extracting(f -> f.fix().id()).contains("accept-before-rule");
    }

    @Test void aDropThatNamesAServiceKeepsTheServiceSizedAcceptFirst() {
        Why.Result w = load(STATEFUL.replace("DROP_RULE", "-A vpn-fwd -o tun0 -p tcp -m tcp --dport 445 -j DROP")).explain("pc1-nas");
        assertThat(w.fixes().get(0).fix().id()).isEqualTo("accept-before-rule");
        assertThat(w.fixes()).extracting(f -> f.fix().id()).contains("accept-interfaces-before-rule");
    }
}
