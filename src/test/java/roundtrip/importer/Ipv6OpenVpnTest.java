package roundtrip.importer;

import org.junit.jupiter.api.Test;
import roundtrip.model.Host;
import roundtrip.model.InputException;
import roundtrip.model.Ip;
import roundtrip.model.Network;
import roundtrip.model.OpenVpnConfig;
import roundtrip.model.Packet;
import roundtrip.model.Problem;
import roundtrip.model.Route;
import roundtrip.tunnel.OpenVpnTunnel;
import roundtrip.tunnel.Tunnel;
import roundtrip.tunnel.TunnelResult;
import roundtrip.tunnel.TunnelState;
import roundtrip.tunnel.Tunnels;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** OpenVPN's IPv6: server-ipv6, the IPv6 pool, route-ipv6, iroute-ipv6, redirect-gateway ipv6, udp6 (issue 10). */
class Ipv6OpenVpnTest {
    /** In the shape openvpn-install writes a dual-stack server: udp6, a ULA /112 next to the IPv4 /24, IPv6 redirected. */
    static final String SERVER = """
            port 1194
            proto udp6
            dev tun
            user nobody
            group nogroup
            persist-key
            persist-tun
            keepalive 10 120
            topology subnet
            server 10.8.0.0 255.255.255.0
            server-ipv6 fd42:42:42:42::/112
            tun-ipv6
            push tun-ipv6
            push "redirect-gateway def1 ipv6 bypass-dhcp"
            push "route-ipv6 2001:db8:10::/48"
            client-config-dir ccd
            ifconfig-pool-persist ipp.txt
            verb 3
            """;

    static final String CLIENT = """
            client
            proto udp6
            remote 2001:db8:1::1 1194
            dev tun
            resolv-retry infinite
            nobind
            persist-key
            persist-tun
            verb 3
            """;

    static final String NET = """
            hosts:
              vpn:
                interfaces: {eth0: [203.0.113.1/24, 2001:db8:1::1/64, fe80::1/64], lan: [192.168.10.1/24, 2001:db8:10::1/64]}
                routes: [default via 203.0.113.254, default via 2001:db8:1::fffe]
                sysctl: {net.ipv4.ip_forward: 1, net.ipv6.conf.all.forwarding: 1}
                openvpn:
                  server: |
            %s
                  ccd:
                    office: |
                      iroute-ipv6 2001:db8:77::/64
              laptop:
                interfaces: {eth0: [203.0.113.20/24, 2001:db8:1::20/64]}
                routes: [default via 203.0.113.1, default via fe80::1 dev eth0]
                openvpn:
                  client: |
            %s
            """.formatted(SERVER.indent(8).stripTrailing(), CLIENT.indent(8).stripTrailing());

    static Network network() { return NetworkFileReader.parse("net.yaml", NET, null).network(); }

    @Test
    void probesOfBothFamiliesGoThroughTheTunnelOverIpv6() {
        String withProbes = NET.replace("\n  laptop:", "\n  nas:\n    interfaces: {eth0: [192.168.10.5/24, 2001:db8:10::5/64]}\n"
                + "    routes: [default via 192.168.10.1, default via 2001:db8:10::1]\n  laptop:")
                + "segments:\n  lan: [vpn:lan, nas:eth0]\n  net: [vpn:eth0, laptop:eth0]\n"
                + "probes:\n  - {id: ping6, from: laptop, to: 2001:db8:10::5}\n  - {id: ping4, from: laptop, to: 192.168.10.5}\n";
        NetworkFileReader.Result r = NetworkFileReader.parse("net.yaml", withProbes, null);
        // both families through one tunnel whose own datagrams are IPv6 (udp6 to the server's IPv6 address)
        assertThat(NetworkFileReaderTest.verdicts(r)).containsEntry("ping6", "ROUND_TRIP_OK").containsEntry("ping4", "ROUND_TRIP_OK");
        roundtrip.sim.Simulator sim = new roundtrip.sim.Simulator(r.network());
        assertThat(sim.run(r.probes().get(0).probe(), false).notes()).anyMatch(n -> n.english().contains("sends its ping to [2001:db8:1::1]:1194"));
    }

    @Test
    void serverIpv6ExpandsAsHelperDoes() {
        List<Problem> problems = new ArrayList<>();
        OpenVpnConfig s = OpenVpnReader.read("server.conf", SERVER, problems);
        assertThat(problems).isEmpty();
        assertThat(s.ipv6().ifconfigLocal()).isEqualTo(Ip.parse("fd42:42:42:42::1"));
        assertThat(s.ipv6().ifconfigRemote()).isEqualTo(Ip.parse("fd42:42:42:42::2"));
        assertThat(s.ipv6().ifconfigLength()).isEqualTo(112);
        // a /112 or longer: the pool starts at NET+2, a shorter network at NET+0x1000
        assertThat(s.ipv6().poolStart()).isEqualTo(Ip.parse("fd42:42:42:42::2"));
        assertThat(OpenVpnReader.read("s.conf", "dev tun\nserver-ipv6 2001:db8:8::/64\n", problems).ipv6().poolStart())
                .isEqualTo(Ip.parse("2001:db8:8::1000"));
        assertThat(s.socketFamily()).isEqualTo(Ip.Family.IPV6);
        // a udp6 server socket is dual-stack: IPv4 clients arrive v4-mapped
        assertThat(s.socketTakes(Ip.Family.IPV4)).isTrue();
        assertThat(OpenVpnReader.read("c.conf", CLIENT, problems).socketTakes(Ip.Family.IPV4)).isFalse();
    }

    @Test
    void optionsOpenVpnRefusesAreRefused() {
        assertThatThrownBy(() -> OpenVpnReader.read("s.conf", "dev tun\nserver-ipv6 fd00::/56\n", new ArrayList<>()))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.oneLine())
                        .isEqualTo("s.conf:2: --server-ipv6 settings: network must be between /64 and /124 (not /56)"));
        assertThatThrownBy(() -> OpenVpnReader.read("s.conf", "dev tun\nifconfig-ipv6 fd00::1 fd00::2\n", new ArrayList<>()))
                .hasMessageContaining("ifconfig-ipv6: /netbits must be between /64 and /124 (not /128)");
        assertThatThrownBy(() -> OpenVpnReader.read("s.conf", "dev tun\nserver-ipv6 fd00::/64\nifconfig-ipv6-pool fd00::100/64\n", new ArrayList<>()))
                .hasMessageContaining("--server-ipv6 already defines an ifconfig-ipv6-pool");
        assertThatThrownBy(() -> OpenVpnReader.read("c.conf", "client\ndev tun\nserver-ipv6 fd00::/64\n", new ArrayList<>()))
                .hasMessageContaining("--server-ipv6 and --client cannot be used together");
        assertThatThrownBy(() -> OpenVpnReader.read("s.conf", "dev tun\npush \"route-ipv6 2001:db8::/zz\"\n", new ArrayList<>()))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.oneLine()).isEqualTo("s.conf:2: not a number from 0 to 128: zz"));
        List<Problem> problems = new ArrayList<>();
        OpenVpnConfig c = OpenVpnReader.read("c.conf", "client\ndev tun\nproto udp4\nremote 2001:db8::1\nremote 192.0.2.1 1194 udp6\n", problems);
        assertThat(c.remotes()).allSatisfy(r -> assertThat(r.addr()).isNull());
        assertThat(problems).extracting(Problem::toString).containsExactly(
                "c.conf:4: remote 2001:db8::1 is an IPv6 address but proto udp4 opens an IPv4 socket: OpenVPN cannot use this remote: remote 2001:db8::1",
                "c.conf:5: remote 192.0.2.1 is an IPv4 address but proto udp6 opens an IPv6 socket: OpenVPN cannot use this remote: remote 192.0.2.1 1194 udp6");
    }

    @Test
    void ccdIfconfigIpv6PushAndIrouteIpv6() {
        List<Problem> problems = new ArrayList<>();
        OpenVpnConfig.Ccd ccd = OpenVpnReader.readCcd("ccd/office", "office", "iroute-ipv6 2001:db8:77::/64\nifconfig-ipv6-push fd00:8::10/64\n", problems);
        assertThat(problems).isEmpty();
        assertThat(ccd.ifconfigIpv6Push().local()).isEqualTo(Ip.parse("fd00:8::10"));
        assertThat(ccd.ifconfigIpv6Push().len()).isEqualTo(64);
        assertThat(ccd.ifconfigIpv6Push().remote()).isNull();
    }

    @Test
    void theClientGetsItsIpv6AddressAndRoutesFromTheServer() {
        Network net = network();
        Host laptop = net.host("laptop"), vpn = net.host("vpn");
        assertThat(vpn.iface("tun0").addresses()).extracting(Object::toString).containsExactly("10.8.0.1/24", "fd42:42:42:42::1/112");
        // the pool's first entry: 10.8.0.2 and fd42:42:42:42::2 together (pool.c hands out one entry for both)
        assertThat(laptop.iface("tun0").addresses()).extracting(Object::toString).containsExactly("10.8.0.2/24", "fd42:42:42:42::2/112");
        assertThat(laptop.routes()).extracting(Route::text).contains(
                "2001:db8:1::1 dev eth0 metric 1",
                "::/3 dev tun0 metric 1024", "2000::/4 dev tun0 metric 1024", "3000::/4 dev tun0 metric 1024", "fc00::/7 dev tun0 metric 1024",
                "2001:db8:10::/48 dev tun0 metric 1024", "0.0.0.0/1 via 10.8.0.1 dev tun0", "fd42:42:42:42::/112 dev tun0 metric 256");
        // the IPv4 redirect has no IPv4 server to route around (route.c skips the /32 for an IPv6 remote)
        assertThat(laptop.routes()).allSatisfy(r -> assertThat(r.gateway() == null || r.gateway().family() == r.family()).isTrue());
        assertThat(laptop.routes()).filteredOn(r -> r.family() == Ip.Family.IPV4 && r.dst().len() == 32 && "eth0".equals(r.dev())
                && r.table() == Route.TABLE_MAIN).isEmpty();
    }

    @Test
    void theServerRoutesIpv6ByVirtualAddressAndIrouteIpv6() {
        Network net = network();
        Tunnels tunnels = new Tunnels(net);
        OpenVpnTunnel server = null;
        for (Tunnel t : tunnels.all()) if (t instanceof OpenVpnTunnel o && o.config().isServer()) server = o;
        assertThat(server.clients()).singleElement().satisfies(c -> {
            assertThat(c.virtualAddr()).isEqualTo(Ip.parse("10.8.0.2"));
            assertThat(c.virtualAddr6()).isEqualTo(Ip.parse("fd42:42:42:42::2"));
        });
        Packet inner = new Packet();
        inner.proto = Packet.ICMP;
        inner.src = Ip.parse("2001:db8:10::5");
        inner.dst = Ip.parse("fd42:42:42:42::2");
        TunnelResult sent = server.send(inner, new TunnelState());
        assertThat(sent.outer().dst).isEqualTo(Ip.parse("2001:db8:1::20"));
        assertThat(sent.note()).contains("virtual address fd42:42:42:42::2");
        inner.dst = Ip.parse("fd42:42:42:42::9");
        assertThat(sent = server.send(inner, new TunnelState())).matches(TunnelResult::dropped);
        assertThat(sent.drop().english()).contains("no client has the virtual address or an iroute for fd42:42:42:42::9",
                "its clients: laptop 10.8.0.2 fd42:42:42:42::2");
        // from the client: its IPv6 address passes; another is a bad source; a link-local one is dropped without a log line
        Packet outer = new Packet();
        outer.proto = Packet.UDP;
        outer.src = Ip.parse("2001:db8:1::20");
        outer.sport = 50123;
        outer.dst = Ip.parse("2001:db8:1::1");
        outer.dport = 1194;
        outer.tunnelSender = "laptop:tun0";
        Packet fromClient = new Packet();
        fromClient.proto = Packet.ICMP;
        fromClient.src = Ip.parse("fd42:42:42:42::2");
        fromClient.dst = Ip.parse("2001:db8:10::5");
        outer.encapsulated = fromClient;
        assertThat(server.owns(outer)).isTrue();
        assertThat(server.receive(outer, new TunnelState()).inject()).isNotNull();
        fromClient.src = Ip.parse("2001:db8:77::1");
        assertThat(server.receive(outer, new TunnelState()).drop().english())
                .contains("MULTI: bad source address from client [2001:db8:77::1], packet dropped", "virtual address fd42:42:42:42::2");
        fromClient.src = Ip.parse("fe80::5");
        assertThat(server.receive(outer, new TunnelState()).drop().english()).contains("link-local IPv6 address", "without a log line");
    }

    @Test
    void statusFilesListIpv6VirtualAddressesAndRoutes() {
        OpenVpnConfig.StatusLog v2 = OpenVpnReader.readStatus("status.log", String.join("\n",
                "TITLE,OpenVPN 2.6.12 x86_64-pc-linux-gnu",
                "TIME,2026-12-01 10:00:00,1796100000",
                "HEADER,CLIENT_LIST,Common Name,Real Address,Virtual Address,Virtual IPv6 Address,Bytes Received,Bytes Sent,Connected Since,Connected Since (time_t),Username,Client ID,Peer ID,Data Channel Cipher",
                "CLIENT_LIST,laptop,[2001:db8:2::20]:50123,10.8.0.2,fd42:42:42:42::2,100,200,2026-12-01 09:00:00,1796096400,UNDEF,0,0,AES-256-GCM",
                "CLIENT_LIST,phone,udp6:198.51.100.7:40000,10.8.0.3,,100,200,2026-12-01 09:00:00,1796096400,UNDEF,1,1,AES-256-GCM",
                "HEADER,ROUTING_TABLE,Virtual Address,Common Name,Real Address,Last Ref,Last Ref (time_t)",
                "ROUTING_TABLE,fd42:42:42:42::2,laptop,[2001:db8:2::20]:50123,2026-12-01 10:00:00,1796100000",
                "ROUTING_TABLE,2001:db8:77::/64,laptop,[2001:db8:2::20]:50123,2026-12-01 10:00:00,1796100000",
                "ROUTING_TABLE,2001:db8:77::9C,laptop,[2001:db8:2::20]:50123,2026-12-01 10:00:00,1796100000",
                "ROUTING_TABLE,10.8.0.2,laptop,[2001:db8:2::20]:50123,2026-12-01 10:00:00,1796100000",
                "GLOBAL_STATS,Max bcast/mcast queue length,0",
                "END", ""));
        assertThat(v2.clients()).extracting(c -> c.commonName() + " " + c.realAddr() + ":" + c.realPort() + " " + c.virtualAddr() + " " + c.virtualAddr6())
                .containsExactly("laptop 2001:db8:2::20:50123 10.8.0.2 fd42:42:42:42::2", "phone 198.51.100.7:40000 10.8.0.3 null");
        assertThat(v2.routes()).extracting(r -> r.virtual() + (r.cached() ? " cached" : ""))
                .containsExactly("fd42:42:42:42::2", "2001:db8:77::/64", "2001:db8:77::9 cached", "10.8.0.2");
        // version 1 (2.3 and older printed IPv6 real addresses without brackets: the last group is the port)
        OpenVpnConfig.StatusLog v1 = OpenVpnReader.readStatus("status.log", String.join("\n",
                "OpenVPN CLIENT LIST", "Updated,2026-12-01 10:00:00",
                "Common Name,Real Address,Bytes Received,Bytes Sent,Connected Since",
                "laptop,2001:db8:2::20:50123,100,200,2026-12-01 09:00:00",
                "ROUTING TABLE", "Virtual Address,Common Name,Real Address,Last Ref",
                "fd42:42:42:42::2,laptop,2001:db8:2::20:50123,2026-12-01 10:00:00",
                "GLOBAL STATS", "Max bcast/mcast queue length,0", "END", ""));
        assertThat(v1.clients().get(0).realAddr()).isEqualTo(Ip.parse("2001:db8:2::20"));
        assertThat(v1.routes().get(0).virtual().toString()).isEqualTo("fd42:42:42:42::2");
        // version 1 as OpenVPN 2.6 writes it for a native IPv6 client (seen from the real daemon in f-ovpn-ipv6):
        // the address alone, no port (mroute_addr_print_ex: "v6addr:port is too ambiguous")
        OpenVpnConfig.StatusLog v1now = OpenVpnReader.readStatus("status.log", String.join("\n",
                "OpenVPN CLIENT LIST", "Updated,2026-12-03 03:59:42",
                "Common Name,Real Address,Bytes Received,Bytes Sent,Connected Since",
                "cli,2001:db8:a::2,2164,2106,2026-12-03 03:59:41",
                "ROUTING TABLE", "Virtual Address,Common Name,Real Address,Last Ref",
                "fd20::/64,cli,2001:db8:a::2,2026-12-03 03:59:41",
                "fd42:8::1000,cli,2001:db8:a::2,2026-12-03 03:59:41",
                "GLOBAL STATS", "Max bcast/mcast queue length,0", "END", ""));
        assertThat(v1now.clients()).extracting(c -> c.realAddr() + " " + c.realPort()).containsExactly("2001:db8:a::2 0");
        assertThat(v1now.routes()).extracting(r -> r.virtual().toString()).containsExactly("fd20::/64", "fd42:8::1000");
        assertThatThrownBy(() -> OpenVpnReader.readStatus("status.log", String.join("\n",
                "HEADER,CLIENT_LIST,Common Name,Real Address,Virtual Address,Virtual IPv6 Address",
                "CLIENT_LIST,laptop,198.51.100.7:1,10.8.0.2,10.8.0.9", "END", "")))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.oneLine())
                        .isEqualTo("status.log:2: Virtual IPv6 Address is not an IPv6 address: 10.8.0.9"));
    }
}
