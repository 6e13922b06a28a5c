package roundtrip.fix;

import org.junit.jupiter.api.Test;
import roundtrip.diagnose.Cause;
import roundtrip.diagnose.Finding;
import roundtrip.importer.NetworkFileReader;
import roundtrip.importer.ProbeReader;
import roundtrip.model.Ip;
import roundtrip.model.Network;
import roundtrip.model.Packet;
import roundtrip.model.Probe;
import roundtrip.report.WhyReport;
import roundtrip.sim.ProbeResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static roundtrip.fix.StoryFixture.fix;
import static roundtrip.fix.StoryFixture.passes;
import static roundtrip.fix.StoryFixture.commands;

/**
 * Issue 12 item 3, tunnels: inner before outer. A packet lost inside a tunnel (a daemon's drop after decryption, a route
 * inside the tunnel) is explained on the hosts the packet itself crossed, never on the underlay its encrypted datagram
 * crossed; the underlay is analysed when the datagram is what died. The path summary shows the route into the tunnel.
 * And a packet that dies for lack of a route is explained on the managed host whose broader route sent it there while
 * a host on its own link (the tunnel endpoint) routes the destination.
 */
class WhyInnerBeforeOuterTest {

    private static String file(String name) {
        try {
            return Files.readString(Path.of("src/test/resources/netfile", name));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static StoryFixture.NetFile load(String yaml) { return StoryFixture.NetFile.read(yaml); }

    private static String replaced(String yaml, String from, String to) {
        assertThat(yaml).contains(from);
        return yaml.replace(from, to);
    }

    private static List<String> hostsNamed(Why.Result w) { return w.findings().stream().map(Finding::host).toList(); }

    // ------------------------------------------------------------------------------------------- the inner packet died

    /** OpenVPN: the server's daemon drops the decrypted request of a host behind the client (no iroute): the server's cause. */
    @Test void openVpnBadSourceOfARequestIsTheServersIroute() {
        Why.Result w = load(file("ovpn-inner-drops.yaml")).explain("h2-ssh-nas");
        assertThat(w.result().verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
        assertThat(w.result().request().lostAt().stage()).isEqualTo("openvpn");
        Finding top = w.findings().get(0);
        assertThat(top.cause()).isEqualTo(Cause.OPENVPN_MISSING_IROUTE);
        assertThat(top.host()).isEqualTo("pi");
        // the datagram crossed homenat, isp and edge: none of them is blamed
        assertThat(hostsNamed(w)).doesNotContain("homenat", "isp", "edge");
        RankedFix ccd = fix(w, "openvpn-ccd-iroute");
        assertThat(ccd.fix().changes().get(0).host()).isEqualTo("pi");
        assertThat(commands(ccd).get(0)).contains("iroute 192.168.50.0 255.255.255.0");
    }

    /**
     * OpenVPN: the client answers a port-forwarded request into its tunnel (redirect-gateway's halves), and the server's
     * daemon drops the answer as a bad source. The answer's own path left the request's on the client: the cause is
     * there, and the server's drop is named too; never the provider's router the datagram crossed on the way.
     */
    @Test void openVpnBadSourceOfAnAnswerIsFollowedInsideTheTunnel() {
        Why.Result w = load(file("ovpn-inner-drops.yaml")).explain("web-ssh-laptop");
        assertThat(w.result().verdict()).isEqualTo(ProbeResult.Verdict.REPLY_LOST);
        assertThat(w.result().reply().lostAt().host()).isEqualTo("pi");
        Finding top = w.findings().get(0);
        assertThat(top.cause()).isEqualTo(Cause.ASYMMETRIC_REPLY);
        assertThat(top.host()).isEqualTo("laptop");
        assertThat(top.summary().english()).contains("the request came in on eth0 from homenat, the answer leaves by tun0 (128.0.0.0/1 via 10.8.0.1 dev tun0)");
        assertThat(w.findings()).anySatisfy(f -> {
            assertThat(f.cause()).isEqualTo(Cause.OPENVPN_MISSING_IROUTE);
            assertThat(f.host()).isEqualTo("pi");
        });
        assertThat(hostsNamed(w)).doesNotContain("isp", "edge");
        // the answers leave by eth0 again
        passes(fix(w, "per-source-table"));
    }

    /** WireGuard: the hub drops the decrypted answer ("unallowed src IP"); the host that sent it into wg0 is the cause. */
    @Test void wireGuardUnallowedSourceOfAnAnswerIsFollowedInsideTheTunnel() {
        Why.Result w = load(file("wg-inner-drops.yaml")).explain("web-ssh-home");
        assertThat(w.result().verdict()).isEqualTo(ProbeResult.Verdict.REPLY_LOST);
        assertThat(w.result().reply().lostAt().host()).isEqualTo("hub");
        Finding top = w.findings().get(0);
        assertThat(top.cause()).isEqualTo(Cause.ASYMMETRIC_REPLY);
        assertThat(top.host()).isEqualTo("home");
        assertThat(w.findings()).anySatisfy(f -> {
            assertThat(f.cause()).isEqualTo(Cause.WIREGUARD_SOURCE_NOT_ALLOWED);
            assertThat(f.host()).isEqualTo("hub");
        });
        assertThat(hostsNamed(w)).doesNotContain("isp");
        passes(w.fixes().get(0));
        assertThat(w.fixes().get(0).fix().changes()).allSatisfy(c -> assertThat(c.host()).isEqualTo("home"));
    }

    // ------------------------------------------------------------------------------------------- the outer packet died

    /** The provider drops OpenVPN's udp/1194: the outer datagram died, and the underlay host that dropped it is the cause. */
    @Test void openVpnDatagramDroppedOnTheUnderlayIsTheUnderlaysCause() {
        String yaml = replaced(file("ovpn-inner-drops.yaml"), """
                  isp:
                    managed: false
                    interfaces: {cust: 198.51.100.1/24, core: 203.0.113.1/24}
                    sysctl: {net.ipv4.ip_forward: 1}
                """, """
                  isp:
                    interfaces: {cust: 198.51.100.1/24, core: 203.0.113.1/24}
                    sysctl: {net.ipv4.ip_forward: 1}
                    iptables: |
                      *filter
                      -A FORWARD -p udp --dport 1194 -j DROP
                      COMMIT
                """);
        Why.Result w = load(yaml).explain("h2-ssh-nas");
        assertThat(w.result().verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
        assertThat(w.result().request().lostAt().host()).isEqualTo("isp");
        Finding top = w.findings().get(0);
        assertThat(top.cause()).isEqualTo(Cause.FILTER_RULE_DROP);
        assertThat(top.host()).isEqualTo("isp");
        assertThat(top.evidence().text()).isEqualTo("-A FORWARD -p udp --dport 1194 -j DROP");
    }

    /** The provider drops WireGuard's udp/51820: the cause is on the provider's router, where the datagram died. */
    @Test void wireGuardDatagramDroppedOnTheUnderlayIsTheUnderlaysCause() {
        String yaml = replaced(file("wg-inner-drops.yaml"), """
                  isp:
                    managed: false
                    interfaces: {cust: 198.51.100.1/24, core: 203.0.113.1/24, dc: 192.0.2.1/24}
                    sysctl: {net.ipv4.ip_forward: 1}
                """, """
                  isp:
                    interfaces: {cust: 198.51.100.1/24, core: 203.0.113.1/24, dc: 192.0.2.1/24}
                    sysctl: {net.ipv4.ip_forward: 1}
                    iptables: |
                      *filter
                      -A FORWARD -p udp --dport 51820 -j DROP
                      COMMIT
                """);
        StoryFixture.NetFile c = load(yaml);
        Why.Result w = c.explain("home-ping-hub-tun");
        assertThat(w.result().verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
        Finding top = w.findings().get(0);
        assertThat(top.cause()).isEqualTo(Cause.FILTER_RULE_DROP);
        assertThat(top.host()).isEqualTo("isp");
        assertThat(top.evidence().text()).isEqualTo("-A FORWARD -p udp --dport 51820 -j DROP");
    }

    // ------------------------------------------------------------------------------------------- the path summary

    /** The hop that sends the packet into the tunnel shows the route into it, not the underlay route its datagram takes. */
    @Test void pathSummaryShowsTheRouteIntoTheTunnel() {
        StoryFixture.NetFile c = load(file("ovpn-inner-drops.yaml"));
        String text = WhyReport.text(c.explain("h2-ssh-nas"), c.net(), "en");
        assertThat(text).containsPattern("(?m)^  laptop +eth0 -> tun0   192\\.168\\.1\\.0/24 via 10\\.8\\.0\\.1 dev tun0$");
        assertThat(text).doesNotContain("-> tun0   203.0.113.7 via 192.168.50.1");
        // the routers between the tunnel's ends are shown, marked as carrying only its datagram
        assertThat(text).containsPattern("(?m)^  isp +cust -> core   203\\.0\\.113\\.0/24 dev core .*\\(carries the tunnel's encrypted datagram\\)$");
        assertThat(text).doesNotContainPattern("(?m)^  (laptop|pi|h2) .*carries the tunnel");
        // the server's daemon took the datagram and dropped the packet inside
        assertThat(text).containsPattern("(?m)^  pi +eth0 -> \\(dropped\\)   <== LOST: openvpn: laptop/198\\.51\\.100\\.9:\\d+ MULTI: bad source address");
        String zh = WhyReport.text(c.explain("h2-ssh-nas"), c.net(), "zh");
        assertThat(zh).containsPattern("(?m)^  laptop +eth0 -> tun0   192\\.168\\.1\\.0/24 via 10\\.8\\.0\\.1 dev tun0$");
        assertThat(zh).containsPattern("(?m)^  edge +wan -> lan .*（只转发隧道的加密数据报）$");
    }

    // ------------------------------------------------------------------------------------------- no route: look back

    /**
     * The LAN's router hands the VPN pool to the provider by its default route, where it dies for lack of a route, while
     * the VPN server on its own LAN routes the pool: the router lacks the route (the shape of scenario
     * f-ovpn-port-forward-nat, whose provider's router is not marked unmanaged).
     */
    @Test void noRouteUpstreamIsTheRouteMissingOnTheLanRouter() {
        StoryFixture.NetFile c = load(file("ovpn-port-forward-nat.yaml"));
        Probe p = new Probe("nas-ping-laptop-tun", "nas", null, Ip.parse("10.8.0.2"), Packet.ICMP, 0, null, null);
        Why.Result w = c.explain(p);
        assertThat(w.result().verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
        assertThat(w.result().request().lostAt().host()).isEqualTo("isp");
        Finding top = w.findings().get(0);
        assertThat(top.cause()).isEqualTo(Cause.MISSING_ROUTE_TO_OVERLAY);
        assertThat(top.host()).isEqualTo("edge");
        assertThat(top.summary().english()).isEqualTo("edge hands 10.8.0.2 to isp by default via 203.0.113.1 dev wan, which has no route for it,"
                + " although pi on its own link routes it");
        assertThat(top.evidence().text()).isEqualTo("default via 203.0.113.1");
        // where it died stays said
        assertThat(w.findings()).anySatisfy(f -> {
            assertThat(f.cause()).isEqualTo(Cause.NO_ROUTE);
            assertThat(f.host()).isEqualTo("isp");
        });
        RankedFix first = w.fixes().get(0);
        passes(first);
        assertThat(first.fix().id()).isEqualTo("route-via-neighbour");
        assertThat(commands(first)).containsExactly("ip route add 10.8.0.0/24 via 192.168.1.5 dev lan");
        assertThat(first.fix().changes().get(0).host()).isEqualTo("edge");
    }

    /** The look-back's words in Chinese, the dying host next to the sender and further on. */
    @Test void lookBackSaidInChinese() {
        roundtrip.model.Message.RouteText route = new roundtrip.model.Message.RouteText("default via 203.0.113.1 dev wan", null);
        roundtrip.model.Message routeless = roundtrip.model.Message.of(roundtrip.diagnose.Sentences.HANDS_TO_ROUTELESS, "edge",
                roundtrip.model.Ip.parse("10.8.0.2"), "isp", route, "pi");
        assertThat(routeless.english()).isEqualTo("edge hands 10.8.0.2 to isp by default via 203.0.113.1 dev wan, which has no route for it,"
                + " although pi on its own link routes it");
        roundtrip.model.Message further = roundtrip.model.Message.of(roundtrip.diagnose.Sentences.HANDS_TO_DIES_FURTHER, "edge",
                roundtrip.model.Ip.parse("10.8.0.2"), "isp", route, "core", "pi");
        assertThat(further.english()).isEqualTo("edge hands 10.8.0.2 to isp by default via 203.0.113.1 dev wan, and it dies on core for lack"
                + " of a route, although pi on its own link routes it");
        assertThat(roundtrip.report.Zh.text(routeless))
                .isEqualTo("edge 按 `default via 203.0.113.1 dev wan` 把 10.8.0.2 交给了 isp，而 isp 没有去往它的路由；edge 自己链路上的 pi 就能路由这个地址");
        assertThat(roundtrip.report.Zh.text(further))
                .isEqualTo("edge 按 `default via 203.0.113.1 dev wan` 把 10.8.0.2 交给了 isp，包最终因为没有路由死在 core 上；edge 自己链路上的 pi 就能路由这个地址");
    }

    /** The same router sends the answers to the pool away: the return route on it, towards the VPN server. */
    @Test void answersToThePoolSentUpstreamNeedTheRouteOnTheLanRouter() {
        String yaml = replaced(file("ovpn-inner-drops.yaml"), """
                  isp:
                    managed: false
                """, """
                  isp:
                """);
        Why.Result w = load(yaml).explain("laptop-ssh-nas");
        assertThat(w.result().verdict()).isEqualTo(ProbeResult.Verdict.REPLY_LOST);
        assertThat(w.result().reply().lostAt().host()).isEqualTo("isp");
        Finding top = w.findings().get(0);
        assertThat(top.cause()).isEqualTo(Cause.MISSING_RETURN_ROUTE);
        assertThat(top.host()).isEqualTo("edge");
        RankedFix route = fix(w, "return-route");
        passes(route);
        assertThat(commands(route)).containsExactly("ip route add 10.8.0.0/24 via 192.168.1.5 dev lan");
    }

    /** When the host where it died has a neighbour of its own that routes the destination, that host keeps the cause. */
    @Test void noRouteStaysWhereANeighbourOfTheDyingHostRoutesIt() {
        // the LAN router routes only the client's provider, no default: the pool dies on it, the VPN server is on its LAN
        String yaml = replaced(file("ovpn-port-forward-nat.yaml"), """
                    interfaces: {wan: 203.0.113.7/24, lan: 192.168.1.1/24}
                    routes: [default via 203.0.113.1]
                """, """
                    interfaces: {wan: 203.0.113.7/24, lan: 192.168.1.1/24}
                    routes: [198.51.100.0/24 via 203.0.113.1]
                """);
        Probe p = new Probe("nas-ping-laptop-tun", "nas", null, Ip.parse("10.8.0.2"), Packet.ICMP, 0, null, null);
        Why.Result w = load(yaml).explain(p);
        assertThat(w.result().request().lostAt().host()).isEqualTo("edge");
        Finding top = w.findings().get(0);
        assertThat(top.cause()).isEqualTo(Cause.NO_ROUTE);
        assertThat(top.host()).isEqualTo("edge");
        RankedFix first = w.fixes().get(0);
        passes(first);
        assertThat(commands(first)).containsExactly("ip route add 10.8.0.0/24 via 192.168.1.5 dev lan");
    }
}
