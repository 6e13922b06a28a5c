package roundtrip.tunnel;

import org.junit.jupiter.api.Test;
import roundtrip.importer.OpenVpnReader;
import roundtrip.model.Address;
import roundtrip.model.Host;
import roundtrip.model.Interface;
import roundtrip.model.Ip;
import roundtrip.model.OpenVpnConfig;
import roundtrip.model.Problem;
import roundtrip.model.Route;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a client installs on connecting (route.c), against the stories: S8's redirect-gateway, pushed LAN routes. */
class OpenVpnRoutesTest {
    static final String CLIENT = "client\ndev tun0\nremote 198.51.100.2 1194\nnobind\n";

    /** office-pc: eth0 on 203.0.113.0/24 with the given default route; tun0 10.8.0.6 peer 10.8.0.5 (net30). */
    static Host pc(String... routes) {
        Host base = OpenVpnTunnelTest.host("office-pc", List.of(), List.of(routes), "eth0=203.0.113.10/24", "lan0=192.168.1.20/24");
        List<Interface> ifaces = new ArrayList<>(base.interfaces().values());
        ifaces.add(new Interface("tun0", 9, "tun", null, true, true, "", 1500,
                List.of(new Address(Ip.parse("10.8.0.6"), 32, Ip.parse("10.8.0.5"), "global", false))));
        ifaces.add(new Interface("ppp0", 10, "ppp", null, true, true, "", 1492,
                List.of(new Address(Ip.parse("100.64.7.9"), 32, Ip.parse("100.64.0.1"), "global", false))));
        return new Host("office-pc", ifaces, base.routes(), List.of(), null, null, null, List.of(), List.of());
    }

    static OpenVpnConfig server(String extra) {
        return OpenVpnReader.read("router/openvpn/server.conf", "dev tun\nserver 10.8.0.0 255.255.255.0\n" + extra, new ArrayList<>());
    }

    static OpenVpnConfig client(String extra) {
        return OpenVpnReader.read("office-pc/openvpn/client.conf", CLIENT + extra, new ArrayList<>());
    }

    static List<String> texts(List<Route> routes) { return routes.stream().map(Route::text).toList(); }

    @Test
    void pushedLanRouteGoesViaTheTunPeer_S1() {
        List<Route> r = OpenVpnRoutes.routesPushedTo(client(""), server("push \"route 192.168.78.0 255.255.255.0\"\n"),
                pc("default via 203.0.113.1 dev eth0"));
        assertThat(texts(r)).containsExactly("192.168.78.0/24 via 10.8.0.5 dev tun0", "10.8.0.1 via 10.8.0.5 dev tun0");
        assertThat(r.get(0).source().where()).isEqualTo("router/openvpn/server.conf:3");
    }

    @Test
    void def1SplitsTheDefaultAndKeepsTheServerOnTheOldGateway_S8() {
        List<Problem> problems = new ArrayList<>();
        List<Route> r = OpenVpnRoutes.routesPushedTo(client(""), server("push \"redirect-gateway def1\"\n"),
                pc("default via 203.0.113.1 dev eth0"), "office-pc", problems);
        assertThat(texts(r)).containsExactly("198.51.100.2 via 203.0.113.1 dev eth0", "0.0.0.0/1 via 10.8.0.5 dev tun0",
                "128.0.0.0/1 via 10.8.0.5 dev tun0", "10.8.0.1 via 10.8.0.5 dev tun0");
        assertThat(problems).isEmpty();
    }

    @Test
    void withoutDef1TheDefaultIsReplacedAndOnAGatewaylessPppLinkTheHostRouteIsOnLink_S8() {
        List<Problem> problems = new ArrayList<>();
        List<Route> r = OpenVpnRoutes.routesPushedTo(client("redirect-gateway\n"), server(""), pc("default dev ppp0"), "office-pc", problems);
        // OpenVPN 2.6.14 on Linux, seen in namespaces: "ROUTE_GATEWAY ON_LINK IFACE=ppp0", then
        // "net_route_v4_add: 198.51.100.2/32 via 0.0.0.0 dev ppp0", and `ip route` shows "198.51.100.2 dev ppp0"
        assertThat(texts(r)).containsExactly("198.51.100.2 dev ppp0", "default via 10.8.0.5 dev tun0",
                "10.8.0.1 via 10.8.0.5 dev tun0");
        assertThat(problems).extracting((p -> p.message().english())).containsExactly(
                "redirect-gateway without def1 deletes \"default dev ppp0 scope link\" and adds \"default via 10.8.0.5 dev tun0\"");
    }

    @Test
    void redirectGatewayLocalLeavesNoWayToTheServer_S8() {
        List<Problem> problems = new ArrayList<>();
        List<Route> r = OpenVpnRoutes.routesPushedTo(client("redirect-gateway local\n"), server(""), pc("default dev ppp0"), "office-pc", problems);
        assertThat(texts(r)).containsExactly("default via 10.8.0.5 dev tun0", "10.8.0.1 via 10.8.0.5 dev tun0");
        assertThat(problems).extracting((p -> p.message().english())).anySatisfy(m -> assertThat(m).contains("Recursive routing detected"));
    }

    private static List<String> reconnect(Host h, String before, String after, String realAddr) {
        OpenVpnConfig c = client(before == null ? "" : "redirect-gateway " + before + "\n");
        OpenVpnConfig.Redirect b = c.redirectGateway();
        OpenVpnConfig.Redirect a = after == null ? null : new OpenVpnConfig.Redirect(java.util.Set.of(after.split(" ")), roundtrip.model.Source.NONE);
        return texts(OpenVpnRoutes.afterReconnect(h, c, b, a, Ip.parse("10.8.0.5"), realAddr == null ? null : Ip.parse(realAddr),
                roundtrip.model.Source.NONE, new ArrayList<>())).stream().filter(t -> !t.contains(" src ")).toList();
    }

    /**
     * S8 in namespaces (OpenVPN 2.6.14): with `redirect-gateway local` the client deleted `default dev ppp0`; on SIGHUP it
     * logged "net_route_v4_add: 0.0.0.0/0 via 0.0.0.0 dev ppp0" (put back), then with def1 "198.51.100.10/32 via 0.0.0.0 dev
     * ppp0", 0.0.0.0/1 and 128.0.0.0/1 via the tunnel. The collected table no longer holds the old default: the server
     * saw the client at its ppp0 address, a point-to-point link, so it was that link.
     */
    @Test
    void reconnectingWithDef1PutsBackTheDefaultTheOldRedirectDeleted_S8() {
        Host broken = pc("default via 10.8.0.5 dev tun0");
        assertThat(reconnect(broken, "local", "def1", "100.64.7.9")).containsExactly(
                "default dev ppp0", "198.51.100.2 dev ppp0", "0.0.0.0/1 via 10.8.0.5 dev tun0", "128.0.0.0/1 via 10.8.0.5 dev tun0");
        // without local OpenVPN had added the host route through the old gateway: that names it
        Host plain = pc("198.51.100.2 via 203.0.113.1 dev eth0", "default via 10.8.0.5 dev tun0");
        assertThat(reconnect(plain, "", "def1", null)).containsExactly(
                "default via 203.0.113.1 dev eth0", "198.51.100.2 via 203.0.113.1 dev eth0", "0.0.0.0/1 via 10.8.0.5 dev tun0",
                "128.0.0.0/1 via 10.8.0.5 dev tun0");
        // the other way round: def1's routes go, the default is replaced
        Host def1 = pc("default via 203.0.113.1 dev eth0", "198.51.100.2 via 203.0.113.1 dev eth0", "0.0.0.0/1 via 10.8.0.5 dev tun0",
                "128.0.0.0/1 via 10.8.0.5 dev tun0");
        assertThat(reconnect(def1, "def1", null, null)).containsExactly("default via 203.0.113.1 dev eth0");
    }

    @Test
    void theReplacedDefaultCannotAlwaysBeTold() {
        Host broken = pc("default via 10.8.0.5 dev tun0");
        // an Ethernet uplink: which gateway the default route had is not in the collected table
        assertThatThrownBy(() -> reconnect(broken, "local", "def1", "203.0.113.10"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("replaced is not in the collected table");
        assertThatThrownBy(() -> reconnect(broken, "local", "def1", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noDefaultRouteMeansNoRedirect() {
        List<Problem> problems = new ArrayList<>();
        List<Route> r = OpenVpnRoutes.routesPushedTo(client("redirect-gateway def1\n"), null, pc(), "office-pc", problems);
        assertThat(r).isEmpty();
        assertThat(problems).extracting((p -> p.message().english())).singleElement().asString()
                .startsWith("NOTE: unable to redirect IPv4 default gateway -- Cannot read current default gateway from system");
    }

    @Test
    void subnetTopologyUsesThePushedRouteGateway_S2() {
        OpenVpnConfig s = OpenVpnReader.read("s", "dev tun\ntopology subnet\nserver 10.200.0.0 255.255.255.0\n"
                + "push \"route 10.198.0.0 255.255.0.0\"\n", new ArrayList<>());
        assertThat(texts(OpenVpnRoutes.routesPushedTo(client(""), s, pc("default via 203.0.113.1 dev eth0"))))
                .containsExactly("10.198.0.0/16 via 10.200.0.1 dev tun0");
    }

    @Test
    void ccdPushesAndPushReset() {
        OpenVpnConfig s = server("client-config-dir ccd\npush \"route 10.1.0.0 255.255.0.0\"\n").withCcdsAndStatus(List.of(
                OpenVpnReader.readCcd("ccd/office-pc", "office-pc", "push-reset\npush \"route 10.2.0.0 255.255.0.0\"\n", new ArrayList<>())), null);
        assertThat(texts(OpenVpnRoutes.routesPushedTo(client(""), s, pc("default via 203.0.113.1 dev eth0"))))
                .containsExactly("10.2.0.0/16 via 10.8.0.5 dev tun0");
    }

    @Test
    void routeNopullAndPullFilterKeepPushedRoutesOut() {
        OpenVpnConfig s = server("push \"route 192.168.78.0 255.255.255.0\"\npush \"route 10.9.0.0 255.255.0.0\"\n");
        assertThat(texts(OpenVpnRoutes.routesPushedTo(client("route-nopull\nroute 172.16.0.0 255.240.0.0\n"), s,
                pc("default via 203.0.113.1 dev eth0")))).containsExactly("172.16.0.0/12 via 10.8.0.5 dev tun0");
        assertThat(texts(OpenVpnRoutes.routesPushedTo(client("pull-filter ignore \"route 10.\"\n"), s,
                pc("default via 203.0.113.1 dev eth0")))).containsExactly("192.168.78.0/24 via 10.8.0.5 dev tun0");
    }

    @Test
    void aPushedRouteThatClashesWithTheClientsOwnLan() {
        List<Problem> problems = new ArrayList<>();
        OpenVpnRoutes.routesPushedTo(client(""), server("push \"route 192.168.1.0 255.255.255.0\"\npush \"route 192.168.1.128 255.255.255.128\"\n"),
                pc("default via 203.0.113.1 dev eth0"), "office-pc", problems);
        assertThat(problems).extracting((p -> p.message().english())).satisfiesExactly(
                m -> assertThat(m).startsWith("route 192.168.1.0/24 conflicts with \"192.168.1.0/24 dev lan0 scope link src 192.168.1.20\" on office-pc: RTNETLINK answers: File exists"),
                m -> assertThat(m).contains("takes part of office-pc's own connected network 192.168.1.0/24 (lan0) into the tunnel"));
    }
}
