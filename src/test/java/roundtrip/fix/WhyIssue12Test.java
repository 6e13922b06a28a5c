package roundtrip.fix;

import org.junit.jupiter.api.Test;
import roundtrip.diagnose.Cause;
import roundtrip.diagnose.Finding;
import roundtrip.importer.NetworkFileReader;
import roundtrip.importer.ProbeReader;
import roundtrip.model.Network;
import roundtrip.model.Probe;
import roundtrip.report.WhyReport;
import roundtrip.sim.ProbeResult;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static roundtrip.fix.StoryFixture.fix;
import static roundtrip.fix.StoryFixture.passes;
import static roundtrip.fix.StoryFixture.commands;

/**
 * Issue 12 items 1, 5 and 8 on small network files: hosts the user cannot change get no fix and the cause moves to the
 * nearest managed host; the Docker and answer-direction FORWARD accepts; a candidate fix for each cause that had none,
 * each passing when simulated again; and "nothing passes" said plainly.
 */
class WhyIssue12Test {

    private static StoryFixture.NetFile load(String yaml) { return StoryFixture.NetFile.read(yaml); }

    private static RankedFix top(Why.Result w) {
        assertThat(w.fixes()).as("fixes").isNotEmpty();
        return w.fixes().get(0);
    }

    // ------------------------------------------------------------------------------------- hosts the user cannot change

    /** A VPN box behind the ISP's router, which drops forwarded sources that are not of its LAN and has no route back. */
    private static final String ISP = """
            hosts:
              client:
                interfaces: {eth0: 10.8.0.2/24}
                routes: [default via 10.8.0.1]
              pi:
                interfaces: {tun0: 10.8.0.1/24, eth0: 192.168.1.20/24}
                routes: [default via 192.168.1.1]
                sysctl: {net.ipv4.ip_forward: 1}
              isp:
                managed: MANAGED
                interfaces: {lan: 192.168.1.1/24, wan: 203.0.113.10/24}
                routes: [default via 203.0.113.1]
                sysctl: {net.ipv4.ip_forward: 1}
                iptables: |
                  *nat
                  -A POSTROUTING -o wan -j MASQUERADE
                  COMMIT
                  *filter
                  -A FORWARD -i lan ! -s 192.168.1.0/24 -j DROP
                  COMMIT
              web:
                managed: false
                interfaces: {eth0: 203.0.113.80/24}
                routes: [default via 203.0.113.10]
                listen: [tcp/443]
            segments:
              vpn: [client:eth0, pi:tun0]
              home: [pi:eth0, isp:lan]
              wan: [isp:wan, web:eth0]
            probes:
              - {id: client-web, from: client, to: 203.0.113.80, proto: tcp, dport: 443}
            """;

    @Test void theIspRouterGetsNoFixAndTheCauseIsNamedOnTheBoxBeforeIt() {
        Why.Result w = load(ISP.replace("MANAGED", "false")).explain("client-web");
        assertThat(w.result().verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
        Finding first = w.findings().get(0);
        assertThat(first.cause()).isEqualTo(Cause.MISSING_SNAT);
        assertThat(first.host()).isEqualTo("pi");
        assertThat(first.summary().english()).contains("isp is not yours to change (managed: false)").contains("MASQUERADE on pi's eth0");
        // the place the packet died is still said, after the cause
        assertThat(w.findings()).anyMatch(f -> f.host().equals("isp") && f.cause() == Cause.FILTER_RULE_DROP);
        assertThat(w.fixes()).allMatch(f -> f.fix().changes().stream().noneMatch(c -> c.host().equals("isp")));
        RankedFix top = top(w);
        passes(top);
        assertThat(commands(top)).containsExactly("iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE");
        assertThat(top.fix().changes().get(0).host()).isEqualTo("pi");
    }

    @Test void theSameRouterWhenItIsYoursIsWhereTheCauseIs() {
        Why.Result w = load(ISP.replace("MANAGED", "true")).explain("client-web");
        assertThat(w.findings().get(0).host()).isEqualTo("isp");
        assertThat(w.fixes()).anyMatch(f -> f.fix().changes().stream().anyMatch(c -> c.host().equals("isp")));
    }

    @Test void anAnswerTheIspCannotRouteBackIsSourceNatOnTheManagedBox() {
        // no filter on the ISP's router: the request passes, the answer comes back to it and it has no route to 10.8.0.0/24
        Why.Result w = load(ISP.replace("MANAGED", "false").replace("  -A FORWARD -i lan ! -s 192.168.1.0/24 -j DROP\n", ""))
                .explain("client-web");
        assertThat(w.result().verdict()).isEqualTo(ProbeResult.Verdict.REPLY_LOST);
        assertThat(w.findings().get(0).host()).isEqualTo("pi");
        assertThat(w.findings().get(0).cause()).isEqualTo(Cause.MISSING_SNAT);
        assertThat(w.fixes()).allMatch(f -> f.fix().changes().stream().allMatch(c -> c.host().equals("pi")));
        passes(top(w));
    }

    @Test void theNatRuleThatNamesAnotherInterfaceIsTheCauseWithItsFileAndLine() {
        // item 2: the box's MASQUERADE was written for wlan0; the packet leaves by eth0
        String yaml = ISP.replace("MANAGED", "false").replace("  -A FORWARD -i lan ! -s 192.168.1.0/24 -j DROP\n", "")
                .replace("""
                            interfaces: {tun0: 10.8.0.1/24, eth0: 192.168.1.20/24}
                        """, """
                            interfaces: {tun0: 10.8.0.1/24, eth0: 192.168.1.20/24, wlan0: {up: false}}
                            iptables: |
                              *nat
                              -A POSTROUTING -s 10.8.0.0/24 -o wlan0 -j MASQUERADE
                              COMMIT
                        """);
        Why.Result w = load(yaml).explain("client-web");
        Finding first = w.findings().get(0);
        assertThat(first.cause()).isEqualTo(Cause.MISSING_SNAT);
        assertThat(first.host()).isEqualTo("pi");
        assertThat(first.summary().english()).startsWith("the MASQUERADE rule of pi says -o wlan0, but this packet (from 10.8.0.2) leaves by eth0");
        assertThat(first.evidence().text()).isEqualTo("-A POSTROUTING -s 10.8.0.0/24 -o wlan0 -j MASQUERADE");
        assertThat(first.evidence().line()).isPositive();
        RankedFix top = top(w);
        passes(top);
        assertThat(commands(top)).containsExactly("iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE");
    }

    @Test void theReturnRouteIsSizedToTheOverlayNotToTheProbedClient() {
        // the VPN box reaches its client by a host route (as wg-quick adds one per peer) on a device whose subnet is the
        // whole pool: the LAN gateway's return route is for the pool
        Why.Result w = load("""
                hosts:
                  client:
                    interfaces: {eth0: 10.8.0.2/24}
                    routes: [default via 10.8.0.1]
                  vpn:
                    interfaces: {wg0: 10.8.0.1/24, eth0: 192.168.1.10/24}
                    routes: [10.8.0.2 dev wg0, default via 192.168.1.1]
                    sysctl: {net.ipv4.ip_forward: 1}
                  gw:
                    interfaces: {eth0: 192.168.1.1/24, wan: 203.0.113.2/24}
                    routes: [default via 203.0.113.1]
                    sysctl: {net.ipv4.ip_forward: 1}
                  nas:
                    interfaces: {eth0: 192.168.1.50/24}
                    routes: [default via 192.168.1.1]
                    listen: [tcp/445]
                segments:
                  tunnel: [client:eth0, vpn:wg0]
                  lan: [vpn:eth0, gw:eth0, nas:eth0]
                probes:
                  - {id: nas, from: client, to: 192.168.1.50, proto: tcp, dport: 445}
                """).explain("nas");
        assertThat(w.findings().get(0).cause()).isEqualTo(Cause.MISSING_RETURN_ROUTE);
        assertThat(w.findings().get(0).facts().proberNet()).hasToString("10.8.0.0/24");
        RankedFix top = top(w);
        passes(top);
        assertThat(commands(top)).containsExactly("ip route add 10.8.0.0/24 via 192.168.1.10 dev eth0");
    }

    // ------------------------------------------------------------------------------------- FORWARD accepts (item 5)

    private static final String FORWARD = """
            hosts:
              client:
                interfaces: {eth0: 10.21.0.2/24}
                routes: [default via 10.21.0.1]
                listen: [tcp/22]
              router:
                interfaces: {eth0: 10.21.0.1/24, eth1: 10.22.0.1/24}
                sysctl: {net.ipv4.ip_forward: 1}
                iptables: |
                  *filter
                  :FORWARD DROP [0:0]
                  RULES
                  COMMIT
              server:
                interfaces: {eth0: 10.22.0.10/24}
                routes: [default via 10.22.0.1]
                listen: [tcp/22]
            segments:
              inside: [client:eth0, router:eth0]
              outside: [router:eth1, server:eth0]
            probes:
              - {id: client-ssh-server, from: client, to: 10.22.0.10, proto: tcp, dport: 22}
              - {id: server-ssh-client, from: server, to: 10.21.0.2, proto: tcp, dport: 22}
            """;

    @Test void aDroppedAnswerIsAcceptedAsEstablishedOnlyNothingNewFromOutside() {
        Why.Result w = load(FORWARD.replace("RULES", "-A FORWARD -i eth0 -o eth1 -j ACCEPT")).explain("client-ssh-server");
        assertThat(w.result().verdict()).isEqualTo(ProbeResult.Verdict.REPLY_LOST);
        assertThat(w.findings().get(0).cause()).isEqualTo(Cause.FORWARD_DROP);
        RankedFix top = top(w);
        passes(top);
        assertThat(top.fix().id()).isEqualTo("forward-accept-replies");
        assertThat(commands(top)).containsExactly("iptables -I FORWARD -i eth1 -o eth0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
        // the server still cannot open a connection inwards
        assertThat(top.verification().checks()).anyMatch(c -> c.probe().equals("server-ssh-client") && !c.after());
    }

    @Test void aDockerHostGetsItsAcceptsInDockerUserAndThePolicyLastWithTheReason() {
        String docker = String.join("\n      ", ":DOCKER-USER - [0:0]", ":DOCKER - [0:0]", "-A FORWARD -j DOCKER-USER",
                "-A FORWARD -o docker0 -j DOCKER", "-A DOCKER-USER -j RETURN");
        Why.Result w = load(FORWARD.replace("RULES", docker)).explain("client-ssh-server");
        assertThat(w.result().verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
        RankedFix top = top(w);
        passes(top);
        assertThat(commands(top)).containsExactly("iptables -I DOCKER-USER -i eth0 -o eth1 -j ACCEPT",
                "iptables -I DOCKER-USER -i eth1 -o eth0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
        assertThat(top.fix().changes().get(0).persistence(Dialect.LINUX).english()).contains("docker.service").contains("ExecStartPost");
        assertThat(top.verification().checks()).anyMatch(c -> c.probe().equals("server-ssh-client") && !c.after());
        RankedFix policy = fix(w, "forward-policy-accept");
        assertThat(policy.rank()).isGreaterThan(1);
        assertThat(policy.fix().tradeOff("en")).contains("dockerd sets the FORWARD policy back to DROP");
    }

    // ------------------------------------------------------------------------------------- a fix for every cause (item 8)

    private static final String ROUTED = """
            hosts:
              client:
                interfaces: {eth0: 10.1.0.2/24}
                routes: [default via 10.1.0.1]
              router:
                interfaces: {eth0: 10.1.0.1/24, eth1: 10.2.0.1/24}
                routes: [ROUTES]
                sysctl: {SYSCTL}
                iptables: |
                  IPTABLES
              server:
                interfaces: {eth0: 10.2.0.10/24}
                routes: [default via 10.2.0.1]
                listen: [tcp/22]
            segments:
              inside: [client:eth0, router:eth0]
              outside: [router:eth1, server:eth0]
            probes:
              - {id: ssh, from: client, to: 10.2.0.10, proto: tcp, dport: 22}
            """;

    private static StoryFixture.NetFile routed(String routes, String sysctl, String iptables) {
        return load(ROUTED.replace("ROUTES", routes).replace("SYSCTL", sysctl).replace("IPTABLES", iptables.replace("\n", "\n      ")));
    }

    @Test void perInterfaceForwardingIsFixedByItsOwnSwitchNotByWritingIpForwardAgain() {
        StoryFixture.NetFile c = routed("", "net.ipv4.ip_forward: 1, net.ipv4.conf.eth1.forwarding: 0", "");
        Why.Result w = c.explain("ssh");
        assertThat(w.result().verdict()).isEqualTo(ProbeResult.Verdict.REPLY_LOST);
        assertThat(w.findings().get(0).cause()).isEqualTo(Cause.IP_FORWARD_OFF);
        assertThat(w.findings().get(0).facts().sysctlKey()).isEqualTo("net.ipv4.conf.eth1.forwarding");
        RankedFix top = top(w);
        passes(top);
        assertThat(commands(top)).containsExactly("sysctl -w net.ipv4.conf.eth1.forwarding=1");
        assertThat(w.fixes()).noneMatch(f -> f.fix().id().equals("ip-forward-on"));
        // devinet_sysctl_forward: writing ip_forward's own value again does not touch eth1's switch
        Verification again = new Why(c.net()).verify(new Fix("again", w.findings().get(0),
                List.of(new Change.SetSysctl("router", "net.ipv4.ip_forward", "1")), true, "", ""), c.probes().get(0), List.of());
        assertThat(again.fixesProbe()).isFalse();
    }

    @Test void aBlackholeRouteOnThePathIsRemoved() {
        StoryFixture.NetFile c = routed("blackhole 10.2.0.10", "net.ipv4.ip_forward: 1", "");
        Why.Result w = c.explain("ssh");
        assertThat(w.findings().get(0).cause()).isEqualTo(Cause.NO_ROUTE);
        RankedFix top = top(w);
        passes(top);
        assertThat(commands(top)).containsExactly("ip route del blackhole 10.2.0.10");
    }

    @Test void whenNoFixPassesItIsSaidPlainly() {
        // the blackhole goes, but the FORWARD policy then drops the packet: the two together are one fix (item 4)
        Why.Result pair = routed("blackhole 10.2.0.10", "net.ipv4.ip_forward: 1", "*filter\n:FORWARD DROP [0:0]\nCOMMIT").explain("ssh");
        assertThat(pair.nonePasses()).isFalse();
        assertThat(top(pair).fix().parts()).extracting(Fix::id).startsWith("delete-reject-route");
        // and with forwarding off as well, three changes are needed: no pair is enough, the best partial is shown, not claimed
        StoryFixture.NetFile c = routed("blackhole 10.2.0.10", "net.ipv4.ip_forward: 0", "*filter\n:FORWARD DROP [0:0]\nCOMMIT");
        Why.Result w = c.explain("ssh");
        assertThat(w.nonePasses()).isTrue();
        assertThat(top(w).verification().fixesProbe()).isFalse();
        String text = WhyReport.text(w, c.net(), "en");
        assertThat(text).contains("No fix below makes the probe pass when simulated again");
        assertThat(WhyReport.text(w, c.net(), "zh")).contains("没有一个方案能让探测通过");
        assertThat(WhyReport.toJson(w, c.net(), "en").get("noFixPasses").asBoolean()).isTrue();
    }

    @Test void acceptsAppendedAfterACatchAllRejectAreMovedBeforeIt() {
        StoryFixture.NetFile c = routed("", "net.ipv4.ip_forward: 1", """
                *filter
                -A FORWARD -j REJECT --reject-with icmp-host-prohibited
                -A FORWARD -i eth0 -o eth1 -j ACCEPT
                -A FORWARD -i eth1 -o eth0 -j ACCEPT
                COMMIT""");
        Why.Result w = c.explain("ssh");
        assertThat(w.findings().get(0).cause()).isEqualTo(Cause.ACCEPT_RULE_AFTER_REJECT);
        RankedFix top = top(w);
        passes(top);
        assertThat(top.fix().id()).isEqualTo("move-accepts-before-rule");
        assertThat(commands(top)).containsExactly("iptables -D FORWARD -i eth0 -o eth1 -j ACCEPT", "iptables -D FORWARD -i eth1 -o eth0 -j ACCEPT",
                "iptables -I FORWARD -i eth1 -o eth0 -j ACCEPT", "iptables -I FORWARD -i eth0 -o eth1 -j ACCEPT");
        // deleting the REJECT passes too, but opens everything it was there for: ranked after
        assertThat(fix(w, "delete-rule").rank()).isGreaterThan(1);
    }

    @Test void snatToAnAddressTheRouterDoesNotOwnIsTheCause() {
        StoryFixture.NetFile c = routed("", "net.ipv4.ip_forward: 1", """
                *nat
                -A POSTROUTING -s 10.1.0.0/24 -o eth1 -j SNAT --to-source 10.2.0.99
                COMMIT""");
        Why.Result w = c.explain("ssh");
        assertThat(w.result().verdict()).isEqualTo(ProbeResult.Verdict.REPLY_LOST);
        Finding first = w.findings().get(0);
        assertThat(first.cause()).isEqualTo(Cause.SNAT_TO_FOREIGN_ADDRESS);
        assertThat(first.host()).isEqualTo("router");
        assertThat(first.evidence().text()).isEqualTo("-A POSTROUTING -s 10.1.0.0/24 -o eth1 -j SNAT --to-source 10.2.0.99");
        RankedFix delete = fix(w, "delete-foreign-snat");
        assertThat(commands(delete)).containsExactly("iptables -t nat -D POSTROUTING -s 10.1.0.0/24 -o eth1 -j SNAT --to-source 10.2.0.99");
        passes(delete);
        RankedFix masquerade = fix(w, "masquerade-before-foreign-snat");
        assertThat(commands(masquerade)).containsExactly("iptables -t nat -I POSTROUTING -s 10.1.0.0/24 -o eth1 -j MASQUERADE");
        passes(masquerade);
    }

    @Test void aBroaderRouteOfAContainerBridgeSwallowsTheDestination() {
        // the server's Docker network 10.30.0.0/16 covers the VLAN 10.30.7.0/24 that the router serves
        Why.Result w = load("""
                hosts:
                  server:
                    interfaces: {eth0: 10.1.0.5/24, br-x: {address: 10.30.0.1/16, kind: bridge}}
                    routes: [default via 10.1.0.1]
                  router:
                    interfaces: {eth0: 10.1.0.1/24, vlan7: 10.30.7.1/24}
                    sysctl: {net.ipv4.ip_forward: 1}
                  camera:
                    interfaces: {eth0: 10.30.7.100/24}
                    routes: [default via 10.30.7.1]
                    listen: [tcp/80]
                  container:
                    interfaces: {eth0: 10.30.0.2/16}
                    routes: [default via 10.30.0.1]
                segments:
                  lan: [server:eth0, router:eth0]
                  docker: [server:br-x, container:eth0]
                  iot: [router:vlan7, camera:eth0]
                probes:
                  - {id: cam, from: server, to: 10.30.7.100, proto: tcp, dport: 80}
                """).explain("cam");
        assertThat(w.findings().get(0).cause()).isEqualTo(Cause.ROUTE_SWALLOWS_DESTINATION);
        RankedFix top = top(w);
        passes(top);
        assertThat(commands(top)).containsExactly("ip route add 10.30.7.0/24 via 10.1.0.1 dev eth0");
    }

    @Test void aGatewayThatIsNotOnTheLinkIsReplacedByTheRouterThatIs() {
        Why.Result w = load("""
                hosts:
                  pc:
                    interfaces: {eth0: 10.1.0.2/24}
                    routes: [default via 10.1.0.254]
                  router:
                    interfaces: {eth0: 10.1.0.1/24, eth1: 10.2.0.1/24}
                    sysctl: {net.ipv4.ip_forward: 1}
                  server:
                    interfaces: {eth0: 10.2.0.10/24}
                    routes: [default via 10.2.0.1]
                    listen: [tcp/22]
                segments:
                  lan: [pc:eth0, router:eth0]
                  dmz: [router:eth1, server:eth0]
                probes:
                  - {id: ssh, from: pc, to: 10.2.0.10, proto: tcp, dport: 22}
                """).explain("ssh");
        assertThat(w.findings().get(0).cause()).isEqualTo(Cause.GATEWAY_NOT_ON_LINK);
        RankedFix top = top(w);
        passes(top);
        assertThat(commands(top)).containsExactly("ip route replace default via 10.1.0.1 dev eth0");
    }
}
