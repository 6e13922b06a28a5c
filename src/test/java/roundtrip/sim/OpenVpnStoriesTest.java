package roundtrip.sim;

import org.junit.jupiter.api.Test;
import roundtrip.importer.OpenVpnReader;
import roundtrip.model.Address;
import roundtrip.model.Host;
import roundtrip.model.Interface;
import roundtrip.model.Ip;
import roundtrip.model.Network;
import roundtrip.model.OpenVpnConfig;
import roundtrip.model.Packet;
import roundtrip.model.Prefix;
import roundtrip.model.Probe;
import roundtrip.model.Route;
import roundtrip.model.RouteType;
import roundtrip.model.Segment;
import roundtrip.model.Source;
import roundtrip.model.Sysctls;
import roundtrip.model.TunnelConfig;
import roundtrip.tunnel.OpenVpnRoutes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** S5 (multihomed server answers from the wrong address) and S8 (redirect-gateway eats its own tunnel), end to end. */
class OpenVpnStoriesTest {

    /** A host under construction: addresses "dev=a.b.c.d/len" or "dev=a.b.c.d peer p.q.r.s", routes in ip-route words. */
    static final class H {
        final String name;
        final List<Interface> ifaces = new ArrayList<>();
        final List<Route> routes = new ArrayList<>();
        final List<TunnelConfig> tunnels = new ArrayList<>();
        boolean forward;

        H(String name) {
            this.name = name;
            ifaces.add(new Interface("lo", 1, "loopback", null, true, true, "", 65536,
                    List.of(new Address(Ip.parse("127.0.0.1"), 8, null, "host", false))));
        }

        H addr(String dev, String spec) {
            String[] w = spec.split(" ");
            Ip local;
            Address a;
            Prefix connected;
            if (w.length == 3) {   // A peer P
                local = Ip.parse(w[0]);
                a = new Address(local, 32, Ip.parse(w[2]), "global", false);
                connected = Prefix.host(Ip.parse(w[2]));
            } else {
                local = Ip.parse(spec.substring(0, spec.indexOf('/')));
                a = new Address(local, Prefix.parse(spec).len(), null, "global", false);
                connected = Prefix.parse(spec);
            }
            boolean p2p = dev.startsWith("tun") || dev.startsWith("ppp");
            ifaces.add(new Interface(dev, ifaces.size() + 1, dev.startsWith("tun") ? "tun" : p2p ? "ppp" : "veth", null, true, p2p,
                    "", 1500, List.of(a)));
            routes.add(new Route(Route.TABLE_LOCAL, RouteType.LOCAL, Prefix.host(local), null, dev, local, 0, "host", 0, false, Source.NONE));
            routes.add(new Route(Route.TABLE_MAIN, RouteType.UNICAST, connected, null, dev, local, 0, "link", 0, false, Source.NONE));
            return this;
        }

        H route(String text) {
            String[] w = text.split(" ");   // "DST via GW dev DEV" or "DST dev DEV"
            boolean via = w[1].equals("via");
            routes.add(new Route(Route.TABLE_MAIN, RouteType.UNICAST, Prefix.parse(w[0]), via ? Ip.parse(w[2]) : null,
                    via ? w[4] : w[2], null, 0, via ? "global" : "link", 0, false, new Source(name + "/ip-route.json", 1, text)));
            return this;
        }

        H openvpn(String conf) {
            tunnels.add(OpenVpnReader.read(name + "/openvpn/" + conf.hashCode() + ".conf", conf, new ArrayList<>()));
            return this;
        }

        H forwarding() { forward = true; return this; }

        Host build() {
            return new Host(name, ifaces, routes, List.of(), null,
                    new Sysctls(forward ? Map.of("net.ipv4.ip_forward", "1") : Map.of(), Map.of()), null, List.of(), tunnels);
        }
    }

    static Segment segment(String name, String... members) {
        List<Segment.Attachment> a = new ArrayList<>();
        for (String m : members) a.add(new Segment.Attachment(m.substring(0, m.indexOf(':')), m.substring(m.indexOf(':') + 1)));
        return new Segment(name, a);
    }

    static Probe ping(String from, String to) {
        return new Probe(from + "-" + to, from, null, Ip.parse(to), Packet.ICMP, 0, null, null);
    }

    // ---- S5: a multihomed server answers from the address of its default route ----

    static Network multihomed(String serverExtra) { return multihomed(serverExtra, ""); }

    static Network multihomed(String serverExtra, String clientExtra) {
        Host srv = new H("srv").addr("eth0", "192.168.4.65/24").addr("eth1", "192.168.2.13/24").addr("tun0", "10.200.0.1/24")
                .route("default via 192.168.2.1 dev eth1")
                .openvpn("dev tun0\ntopology subnet\nserver 10.200.0.0 255.255.255.0\n" + serverExtra).build();
        Host isp = new H("isp").addr("a", "192.168.4.1/24").addr("b", "192.168.2.1/24").addr("c", "203.0.113.1/24").forwarding().build();
        Host cli = new H("cli").addr("eth0", "203.0.113.10/24").addr("tun0", "10.200.0.2/24").route("default via 203.0.113.1 dev eth0")
                .openvpn("client\ndev tun0\nremote 192.168.4.65 1194\nnobind\n" + clientExtra).build();
        return new Network(List.of(srv, isp, cli), List.of(segment("s4", "srv:eth0", "isp:a"), segment("s2", "srv:eth1", "isp:b"),
                segment("c", "cli:eth0", "isp:c")));
    }

    @Test
    void theClientRejectsAnswersFromTheOtherUplink_S5() {
        ProbeResult r = new Simulator(multihomed("")).run(ping("cli", "10.200.0.1"));
        assertThat(r.verdict()).isEqualTo(ProbeResult.Verdict.REPLY_LOST);
        assertThat(r.request().deliveredTo()).isEqualTo("srv");
        assertThat(r.reply().lostAt().host()).isEqualTo("cli");
        assertThat(r.reply().lostAt().stage()).isEqualTo("openvpn");
        assertThat(r.reply().lostAt().reason().english()).isEqualTo("TCP/UDP: Incoming packet rejected from [AF_INET]192.168.2.13:1194[2], "
                + "expected peer address: [AF_INET]192.168.4.65:1194 (allow this incoming source address/port by removing --remote or adding --float)");
    }

    @Test
    void multihomeAnswersFromTheAddressTheClientReached_S5() {
        assertThat(new Simulator(multihomed("multihome\n")).run(ping("cli", "10.200.0.1")).verdict())
                .isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
    }

    @Test
    void overTcpTheConnectionKeepsItsAddress_S5() {
        ProbeResult r = new Simulator(multihomed("proto tcp-server\n", "proto tcp\n")).run(ping("cli", "10.200.0.1"));
        assertThat(r.verdict()).isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
    }

    // ---- S8: redirect-gateway on a PPP client ----

    static final String SERVER = "dev tun0\nserver 10.8.0.0 255.255.255.0\npush \"route 192.168.78.0 255.255.255.0\"\n";

    /** office-pc with a gateway-less PPP default route, after OpenVPN installed what {@link OpenVpnRoutes} says. */
    static Network ppp(String clientRedirect) {
        String clientConf = "client\ndev tun0\nremote 198.51.100.2 1194\nnobind\n" + clientRedirect;
        H pc = new H("office-pc").addr("ppp0", "100.64.7.9 peer 100.64.0.1").addr("tun0", "10.8.0.6 peer 10.8.0.5")
                .route("default dev ppp0").openvpn(clientConf);
        OpenVpnConfig client = (OpenVpnConfig) pc.tunnels.get(0);
        OpenVpnConfig server = OpenVpnReader.read("router/openvpn/server.conf", SERVER, new ArrayList<>());
        List<Route> added = OpenVpnRoutes.routesPushedTo(client, server, pc.build());
        if (added.stream().anyMatch(r -> r.dst().len() == 0)) pc.routes.removeIf(r -> r.table() == Route.TABLE_MAIN && r.dst().len() == 0);
        pc.routes.addAll(added);
        Host isp = new H("isp").addr("ppp0", "100.64.0.1 peer 100.64.7.9").addr("eth0", "198.51.100.1/24").forwarding().build();
        Host router = new H("router").addr("wan", "198.51.100.2/24").addr("tun0", "10.8.0.1 peer 10.8.0.2").addr("lan", "192.168.78.1/24")
                .route("default via 198.51.100.1 dev wan").route("10.8.0.0/24 via 10.8.0.2 dev tun0").forwarding()
                .openvpn(SERVER).build();
        return new Network(List.of(pc.build(), isp, router), List.of(segment("ppp", "office-pc:ppp0", "isp:ppp0"),
                segment("wan", "isp:eth0", "router:wan")));
    }

    /** OpenVPN 2.6.14 in namespaces with this layout logged "Recursive routing detected, drop tun packet to [AF_INET]198.51.100.2:1194". */
    @Test
    void redirectGatewayLocalRoutesTheTunnelIntoItself_S8() {
        ProbeResult r = new Simulator(ppp("redirect-gateway local\n")).run(ping("office-pc", "192.168.78.1"));
        assertThat(r.verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
        assertThat(r.request().lostAt().host()).isEqualTo("office-pc");
        assertThat(r.request().lostAt().reason().english()).startsWith("Recursive routing detected, drop tun packet to ");
    }

    @Test
    void def1KeepsTheServerOnThePppLink_S8() {
        ProbeResult r = new Simulator(ppp("redirect-gateway def1\n")).run(ping("office-pc", "192.168.78.1"));
        assertThat(r.verdict()).isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
    }

    /** OpenVPN 2.6.14 in namespaces with this layout: ping through the tunnel answered (the story's loop needs an older client or `local`). */
    @Test
    void withoutDef1OpenVpn26StillAddsTheHostRouteOnLink_S8() {
        ProbeResult r = new Simulator(ppp("redirect-gateway\n")).run(ping("office-pc", "192.168.78.1"));
        assertThat(r.verdict()).isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
    }
}
