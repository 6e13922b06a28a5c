package roundtrip.tunnel;

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
import roundtrip.model.Problem;
import roundtrip.model.Route;
import roundtrip.model.RouteType;
import roundtrip.model.Source;
import roundtrip.model.TunnelConfig;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The server's own routing (multi.c), its source check, client-to-client, and the client's peer check. */
class OpenVpnTunnelTest {
    static final String SERVER = """
            dev tun0
            topology subnet
            server 10.200.0.0 255.255.255.0
            client-config-dir ccd
            route 192.168.4.0 255.255.255.0
            """;
    static final String CLIENT = "client\ndev tun0\nremote 198.51.100.2 1194\nnobind\n";

    /** A host with addresses "dev=a.b.c.d/len" (tun* devices are tun kind), connected routes and optional extra routes. */
    static Host host(String name, List<TunnelConfig> tunnels, List<String> routes, String... ifaces) {
        List<Interface> list = new ArrayList<>();
        List<Route> rts = new ArrayList<>();
        list.add(new Interface("lo", 1, "loopback", null, true, true, "", 65536, List.of(new Address(Ip.parse("127.0.0.1"), 8, null, "host", false))));
        rts.add(new Route(Route.TABLE_LOCAL, RouteType.LOCAL, Prefix.parse("127.0.0.1"), null, "lo", Ip.parse("127.0.0.1"), 0, "host", 0, false, Source.NONE));
        for (String spec : ifaces) {
            String dev = spec.substring(0, spec.indexOf('='));
            String cidr = spec.substring(spec.indexOf('=') + 1);
            Ip a = Ip.parse(cidr.substring(0, cidr.indexOf('/')));
            Prefix p = Prefix.parse(cidr);
            boolean tun = dev.startsWith("tun");
            list.add(new Interface(dev, list.size() + 1, tun ? "tun" : "veth", null, true, tun, "", 1500, List.of(new Address(a, p.len(), null, "global", false))));
            rts.add(new Route(Route.TABLE_LOCAL, RouteType.LOCAL, Prefix.host(a), null, dev, a, 0, "host", 0, false, Source.NONE));
            rts.add(new Route(Route.TABLE_MAIN, RouteType.UNICAST, p, null, dev, a, 0, "link", 0, false, Source.NONE));
        }
        for (String r : routes) {
            String[] w = r.split(" ");   // "DST via GW dev DEV" or "DST dev DEV"
            boolean via = w[1].equals("via");
            rts.add(new Route(Route.TABLE_MAIN, RouteType.UNICAST, Prefix.parse(w[0]), via ? Ip.parse(w[2]) : null,
                    via ? w[4] : w[2], null, 0, via ? "global" : "link", 0, false, new Source(name + "/ip-route.json", 1, r)));
        }
        return new Host(name, list, rts, List.of(), null, null, null, List.of(), tunnels);
    }

    static OpenVpnConfig server(String text, String ccdName, String ccdText, OpenVpnConfig.StatusLog status) {
        List<Problem> ignored = new ArrayList<>();
        OpenVpnConfig c = OpenVpnReader.read("gw/openvpn/server.conf", text, ignored);
        List<OpenVpnConfig.Ccd> ccds = ccdName == null ? List.of()
                : List.of(OpenVpnReader.readCcd("gw/openvpn/ccd/" + ccdName, ccdName, ccdText, ignored));
        return c.withCcdsAndStatus(ccds, status);
    }

    static OpenVpnConfig client(String text) { return OpenVpnReader.read("c/openvpn/client.conf", text, new ArrayList<>()); }

    record World(Tunnels tunnels, OpenVpnTunnel gw, OpenVpnTunnel siteB, OpenVpnTunnel laptop) {}

    /** gw (server) with two clients: site-b (LAN 192.168.4.0/24 behind it) and laptop. */
    static World world(String serverText, String ccdName, String ccdText, OpenVpnConfig.StatusLog status) {
        Host gw = host("gw", List.of(server(serverText, ccdName, ccdText, status)), List.of("192.168.4.0/24 via 10.200.0.2 dev tun0"),
                "eth0=198.51.100.2/24", "tun0=10.200.0.1/24");
        Host siteB = host("site-b", List.of(client(CLIENT)), List.of(), "eth0=198.51.100.7/24", "lan0=192.168.4.64/24", "tun0=10.200.0.2/24");
        Host laptop = host("laptop", List.of(client(CLIENT)), List.of(), "eth0=198.51.100.9/24", "tun0=10.200.0.3/24");
        Tunnels t = new Tunnels(new Network(List.of(gw, siteB, laptop), List.of()));
        return new World(t, (OpenVpnTunnel) t.onDevice("gw", "tun0"), (OpenVpnTunnel) t.onDevice("site-b", "tun0"),
                (OpenVpnTunnel) t.onDevice("laptop", "tun0"));
    }

    static World siteToSite() { return world(SERVER, "site-b", "iroute 192.168.4.0 255.255.255.0\n", null); }

    static Packet ping(String src, String dst) {
        Packet p = new Packet();
        p.proto = Packet.ICMP;
        p.icmpType = Packet.ICMP_ECHO;
        p.src = Ip.parse(src);
        p.dst = Ip.parse(dst);
        p.payload = 56;
        return p;
    }

    /** What the client's kernel would send after the tunnel's result: the source routing picks. */
    static Packet fromHost(Packet outer, String src) {
        Packet o = outer.copy();
        if (o.src == null) o.src = Ip.parse(src);
        return o;
    }

    @Test
    void pairsClientsByRemoteWithHostNamesAsCommonNames() {
        World w = siteToSite();
        assertThat(w.gw().clients()).extracting(c -> c.commonName() + " " + c.virtualAddr() + " "
                + c.realAddr() + ":" + c.realPort() + " " + c.iroutes().size()).containsExactly(
                "laptop 10.200.0.3 198.51.100.9:50123 0", "site-b 10.200.0.2 198.51.100.7:50123 1");
        assertThat(w.siteB().server()).isSameAs(w.gw());
        assertThat(w.tunnels().problems()).isEmpty();
    }

    @Test
    void serverSendsByLongestPrefixOverVirtualAddressesAndIroutes() {
        World w = siteToSite();
        TunnelResult toLan = w.gw().send(ping("10.198.0.5", "192.168.4.10"), new TunnelState());
        assertThat(toLan.outer()).isNotNull();
        assertThat(String.valueOf(toLan.outer().dst)).isEqualTo("198.51.100.7");
        assertThat(toLan.outer().proto).isEqualTo(Packet.UDP);
        assertThat(toLan.outer().sport).isEqualTo(1194);
        assertThat(toLan.outer().dport).isEqualTo(50123);
        assertThat(toLan.outer().src).isNull();   // bound to 0.0.0.0: routing picks the source
        assertThat(toLan.outer().encapsulated.dst).isEqualTo(Ip.parse("192.168.4.10"));
        assertThat(toLan.note()).contains("iroute [192.168.4.0/24]");

        TunnelResult toLaptop = w.gw().send(ping("10.198.0.5", "10.200.0.3"), new TunnelState());
        assertThat(String.valueOf(toLaptop.outer().dst)).isEqualTo("198.51.100.9");
    }

    @Test
    void serverDropsWhatNoClientHas() {
        World w = siteToSite();
        TunnelResult r = w.gw().send(ping("10.198.0.5", "192.168.5.1"), new TunnelState());
        assertThat(r.dropped()).isTrue();
        assertThat(r.drop().english()).contains("GET INST BY VIRT: 192.168.5.1 [failed]").contains("site-b 10.200.0.2 [192.168.4.0/24]");
    }

    @Test
    void iroutedSourceIsAcceptedAndInjectedIntoTheKernel() {
        World w = siteToSite();
        TunnelState st = new TunnelState();
        TunnelResult out = w.siteB().send(ping("192.168.4.10", "10.198.0.5"), st);
        assertThat(String.valueOf(out.outer().dst)).isEqualTo("198.51.100.2");
        assertThat(out.outer().dport).isEqualTo(1194);
        TunnelResult in = w.gw().receive(fromHost(out.outer(), "198.51.100.7"), st);
        assertThat(in.inject()).isNotNull();
        assertThat(in.device()).isEqualTo("tun0");
        assertThat(in.note()).contains("site-b/198.51.100.7:50123");
    }

    @Test
    void withoutTheIrouteTheServerDropsTheClientLan_S7() {
        World w = world(SERVER, null, null, null);   // the CCD file is missing
        TunnelState st = new TunnelState();
        TunnelResult out = w.siteB().send(ping("192.168.4.10", "10.198.0.5"), st);
        TunnelResult in = w.gw().receive(fromHost(out.outer(), "198.51.100.7"), st);
        assertThat(in.dropped()).isTrue();
        assertThat(in.drop().english()).startsWith("site-b/198.51.100.7:50123 MULTI: bad source address from client [192.168.4.10], packet dropped")
                .endsWith("this server runs at verb 1, so its log is silent)");
        assertThat(in.source().file()).isEqualTo("gw/openvpn/server.conf");
    }

    @Test
    void aClientCannotUseAnotherClientsAddress() {
        World w = siteToSite();
        TunnelState st = new TunnelState();
        TunnelResult out = w.laptop().send(ping("192.168.4.10", "10.198.0.5"), st);
        TunnelResult in = w.gw().receive(fromHost(out.outer(), "198.51.100.9"), st);
        assertThat(in.drop().english()).contains("MULTI: bad source address from client [192.168.4.10]").contains("it belongs to site-b");
    }

    @Test
    void withoutClientToClientTheServerHandsThePacketToItsKernel_S6() {
        World w = siteToSite();
        TunnelState st = new TunnelState();
        TunnelResult out = w.laptop().send(ping("10.200.0.3", "10.200.0.2"), st);
        TunnelResult in = w.gw().receive(fromHost(out.outer(), "198.51.100.9"), st);
        assertThat(in.inject()).isNotNull();
        assertThat(in.outer()).isNull();
    }

    @Test
    void withClientToClientTheDaemonRelaysItself_S6() {
        World w = world(SERVER + "client-to-client\n", "site-b", "iroute 192.168.4.0 255.255.255.0\n", null);
        TunnelState st = new TunnelState();
        TunnelResult out = w.laptop().send(ping("10.200.0.3", "192.168.4.10"), st);
        TunnelResult in = w.gw().receive(fromHost(out.outer(), "198.51.100.9"), st);
        assertThat(in.inject()).isNull();
        assertThat(String.valueOf(in.outer().dst)).isEqualTo("198.51.100.7");
        assertThat(in.note()).startsWith("client-to-client from laptop to client site-b");
        TunnelResult atB = w.siteB().receive(fromHost(in.outer(), "198.51.100.2"), st);
        assertThat(atB.inject().dst).isEqualTo(Ip.parse("192.168.4.10"));
    }

    @Test
    void clientRejectsAnswersFromAnotherAddress_S5() {
        World w = siteToSite();
        TunnelState st = new TunnelState();
        TunnelResult out = w.siteB().send(ping("10.200.0.2", "10.198.0.5"), st);
        w.gw().receive(fromHost(out.outer(), "198.51.100.7"), st);
        TunnelResult back = w.gw().send(ping("10.198.0.5", "10.200.0.2"), st);
        TunnelResult rejected = w.siteB().receive(fromHost(back.outer(), "192.168.2.13"), st);
        assertThat(rejected.drop().english()).isEqualTo("TCP/UDP: Incoming packet rejected from [AF_INET]192.168.2.13:1194[2], expected peer "
                + "address: [AF_INET]198.51.100.2:1194 (allow this incoming source address/port by removing --remote or adding --float)");
        TunnelResult accepted = w.siteB().receive(fromHost(back.outer(), "198.51.100.2"), st);
        assertThat(accepted.inject()).isNotNull();
    }

    @Test
    void multihomeAnswersFromTheAddressTheClientReached() {
        World w = world(SERVER + "multihome\n", "site-b", "iroute 192.168.4.0 255.255.255.0\n", null);
        TunnelState st = new TunnelState();
        TunnelResult out = w.siteB().send(ping("10.200.0.2", "10.198.0.5"), st);
        Packet arrived = fromHost(out.outer(), "198.51.100.7");
        w.gw().receive(arrived, st);
        assertThat(String.valueOf(w.gw().send(ping("10.198.0.5", "10.200.0.2"), st).outer().src)).isEqualTo("198.51.100.2");
    }

    @Test
    void serverLearnsWhereAClientReallyComesFrom() {
        World w = siteToSite();
        TunnelState st = new TunnelState();
        Packet out = fromHost(w.siteB().send(ping("10.200.0.2", "10.198.0.5"), st).outer(), "203.0.113.50");   // after NAT
        out.sport = 61000;
        w.gw().receive(out, st);
        Packet back = w.gw().send(ping("10.198.0.5", "10.200.0.2"), st).outer();
        assertThat(back.dst + ":" + back.dport).isEqualTo("203.0.113.50:61000");
    }

    @Test
    void statusLogNamesClientsAndTheirTable() {
        OpenVpnConfig.StatusLog status = OpenVpnReader.readStatus("gw/openvpn/status.log", """
                OpenVPN CLIENT LIST
                Updated,2024-03-01 10:00:00
                Common Name,Real Address,Bytes Received,Bytes Sent,Connected Since
                branch-office,198.51.100.7:1194,1,2,2024-03-01 09:00:00
                ROUTING TABLE
                Virtual Address,Common Name,Real Address,Last Ref
                192.168.4.10C,branch-office,198.51.100.7:1194,2024-03-01 09:59:00
                10.200.0.2,branch-office,198.51.100.7:1194,2024-03-01 09:59:00
                GLOBAL STATS
                END
                """);
        World w = world(SERVER, "branch-office", "iroute 192.168.4.0 255.255.255.0\n", status);
        assertThat(w.gw().clients()).extracting(c -> c.commonName() + " " + c.peer() + " " + c.virtualAddr()
                + " " + c.realPort() + " " + c.iroutes().size()).containsExactly(
                "branch-office site-b:tun0 10.200.0.2 1194 1", "laptop laptop:tun0 10.200.0.3 50123 0");
        assertThat(w.tunnels().problems()).extracting((p -> p.message().english())).singleElement().asString()
                .contains("client host laptop points its remote at this server but the status file does not list it");
        assertThat(String.valueOf(w.gw().send(ping("10.198.0.5", "192.168.4.99"), new TunnelState()).outer().dst)).isEqualTo("198.51.100.7");
    }

    @Test
    void ccdForAnUnknownClientIsAProblem() {
        World w = world(SERVER, "nobody", "iroute 192.168.9.0 255.255.255.0\n", null);
        assertThat(w.tunnels().problems()).extracting(Problem::toString).singleElement().asString()
                .startsWith("gw/openvpn/ccd/nobody: CCD file for common name nobody, but no client host of that name points at this server");
    }

    @Test
    void poolAddressesInConnectionOrder() {
        OpenVpnConfig subnet = server("dev tun0\ntopology subnet\nserver 10.8.0.0 255.255.255.0\n", null, null, null);
        OpenVpnConfig net30 = server("dev tun0\nserver 10.8.0.0 255.255.255.0\n", null, null, null);
        assertThat(String.valueOf(OpenVpnPairing.poolAddress(subnet, 0))).isEqualTo("10.8.0.2");
        assertThat(String.valueOf(OpenVpnPairing.poolAddress(subnet, 1))).isEqualTo("10.8.0.3");
        assertThat(String.valueOf(OpenVpnPairing.poolAddress(net30, 0))).isEqualTo("10.8.0.6");
        assertThat(String.valueOf(OpenVpnPairing.poolAddress(net30, 1))).isEqualTo("10.8.0.10");
    }

    @Test
    void tunPacketForTheRemoteItselfIsDropped() {
        World w = siteToSite();
        TunnelResult r = w.siteB().send(ping("10.200.0.2", "198.51.100.2"), new TunnelState());
        assertThat(r.drop().english()).isEqualTo("Recursive routing detected, drop tun packet to [AF_INET]198.51.100.2:1194");
    }

    @Test
    void tapWithoutClientToClientNeverAnswersArpBetweenClients_S6() {
        String tapServer = "dev tap0\nserver 10.200.0.0 255.255.255.0\n";
        Host gw = host("gw", List.of(server(tapServer, null, null, null)), List.of(), "eth0=198.51.100.2/24", "tap0=10.200.0.1/24");
        Host a = host("a", List.of(client("client\ndev tap0\nremote 198.51.100.2\nnobind\n")), List.of(), "eth0=198.51.100.7/24", "tap0=10.200.0.2/24");
        Host b = host("b", List.of(client("client\ndev tap0\nremote 198.51.100.2\nnobind\n")), List.of(), "eth0=198.51.100.9/24", "tap0=10.200.0.3/24");
        Tunnels t = new Tunnels(new Network(List.of(gw, a, b), List.of()));
        TunnelResult r = t.onDevice("a", "tap0").send(ping("10.200.0.2", "10.200.0.3"), new TunnelState());
        assertThat(r.drop().english()).startsWith("TAP: the ARP request for 10.200.0.3 (client b) is never answered");
        assertThat(t.problems()).extracting((p -> p.message().english())).anySatisfy(m -> assertThat(m).contains("TAP mode is simulated at layer 3"));
    }

    @Test
    void aPushedRouteMissingFromTheClientsTableIsReported_S8() {
        String pushing = SERVER + "push \"route 10.198.0.0 255.255.0.0\"\n";
        Host gw = host("gw", List.of(server(pushing, null, null, null)), List.of("192.168.4.0/24 via 10.200.0.2 dev tun0"),
                "eth0=198.51.100.2/24", "tun0=10.200.0.1/24");
        Host withRoute = host("a", List.of(client(CLIENT)), List.of("10.198.0.0/16 via 10.200.0.1 dev tun0"), "eth0=198.51.100.7/24", "tun0=10.200.0.2/24");
        Host without = host("b", List.of(client(CLIENT)), List.of(), "eth0=198.51.100.9/24", "tun0=10.200.0.3/24");
        Tunnels t = new Tunnels(new Network(List.of(gw, withRoute, without), List.of()));
        assertThat(t.problems()).extracting(Problem::toString).containsExactly("gw/openvpn/server.conf:6: b: OpenVPN (tun0) installs a "
                + "route to 10.198.0.0/16, but the collected routing table has none (route add failed, e.g. without the rights to add it; "
                + "or the table changed since): push \"route 10.198.0.0 255.255.0.0\"");
    }

    @Test
    void ccdExclusiveRefusesClientsWithoutAFile() {
        World w = world(SERVER + "ccd-exclusive\n", "site-b", "iroute 192.168.4.0 255.255.255.0\n", null);
        assertThat(w.gw().clients()).extracting(OpenVpnTunnel.Client::commonName).containsExactly("site-b");
        assertThat(w.tunnels().problems()).extracting((p -> p.message().english())).contains(
                "client laptop has no CCD file and the server has ccd-exclusive: the server refuses it");
    }

    @Test
    void p2pWithoutRemoteAnswersWhereThePeerCameFrom() {
        OpenVpnConfig listener = client("dev tun0\nifconfig 10.9.0.1 10.9.0.2\nsecret static.key\n");
        assertThat(listener.mode()).isEqualTo(OpenVpnConfig.Mode.P2P);
        OpenVpnTunnel t = new OpenVpnTunnel("a", listener);
        TunnelState st = new TunnelState();
        assertThat(t.send(ping("10.9.0.1", "10.9.0.2"), st).drop().english()).contains("no peer has connected yet");
        Packet in = new Packet();
        in.proto = Packet.UDP; in.src = Ip.parse("203.0.113.5"); in.sport = 1194; in.dst = Ip.parse("198.51.100.2"); in.dport = 1194;
        in.encapsulated = ping("10.9.0.2", "10.9.0.1");
        assertThat(t.owns(in)).isTrue();
        assertThat(t.receive(in, st).inject()).isNotNull();
        assertThat(String.valueOf(t.send(ping("10.9.0.1", "10.9.0.2"), st).outer().dst)).isEqualTo("203.0.113.5");
    }
}
