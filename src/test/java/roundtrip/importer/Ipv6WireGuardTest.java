package roundtrip.importer;

import org.junit.jupiter.api.Test;
import roundtrip.model.Host;
import roundtrip.model.InputException;
import roundtrip.model.Ip;
import roundtrip.model.Packet;
import roundtrip.model.Prefix;
import roundtrip.model.Problem;
import roundtrip.model.Route;
import roundtrip.model.WireGuardConfig;
import roundtrip.tunnel.TunnelResult;
import roundtrip.tunnel.TunnelState;
import roundtrip.tunnel.WireGuardTunnel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** WireGuard over and for IPv6: endpoints, AllowedIPs per family, wg-quick's ::/0 (issue 10). */
class Ipv6WireGuardTest {
    static final String SERVER_KEY = "QjwXHZs9OgFOv4tWLxH5JgsDqPrab79gMxIL9Gax5ZY=";
    static final String PHONE_KEY = "hByvH4sfU4AXhJeHprBNL3EnF9lNhTAmXQCyUVsx530=";
    static final String LAPTOP_KEY = "xixfIM+zNFPdBvLAwz4QI1QP5+AlmB8dhlH8SK2LydY=";
    static final String SERVER = WireGuardReader.derivePublicKey(SERVER_KEY, "t", 1);
    static final String PHONE = WireGuardReader.derivePublicKey(PHONE_KEY, "t", 1);
    static final String LAPTOP = WireGuardReader.derivePublicKey(LAPTOP_KEY, "t", 1);

    /** The shape wg-easy writes its wg0.conf in: a ULA /112 next to the IPv4 /24, one /32 and one /128 per client. */
    static final String WG_EASY = """
            # written by the web UI: edit there
            
            # Server
            [Interface]
            PrivateKey = %s
            Address = 10.8.0.1/24, fd42:42:42::1/112
            ListenPort = 51820
            PreUp =
            PostUp = iptables -t nat -A POSTROUTING -s 10.8.0.0/24 -o eth0 -j MASQUERADE; iptables -A FORWARD -i wg0 -j ACCEPT; ip6tables -t nat -A POSTROUTING -s fd42:42:42::/112 -o eth0 -j MASQUERADE; ip6tables -A FORWARD -i wg0 -j ACCEPT
            PreDown =
            PostDown =
            
            # Client: phone
            [Peer]
            PublicKey = %s
            PresharedKey = (redacted)
            AllowedIPs = 10.8.0.2/32, fd42:42:42::2/128
            
            # Client: laptop
            [Peer]
            PublicKey = %s
            PresharedKey = (redacted)
            AllowedIPs = 10.8.0.3/32, fd42:42:42::3/128, 2001:db8:77::/64
            Endpoint = [2001:db8:5::9]:40123
            """.formatted(SERVER_KEY, PHONE, LAPTOP);

    static Packet packet(String src, String dst) {
        Packet p = new Packet();
        p.proto = Packet.UDP;
        p.src = Ip.parse(src);
        p.dst = Ip.parse(dst);
        p.sport = 5000;
        p.dport = 53;
        return p;
    }

    @Test
    void wgEasysDualStackServerChoosesThePeerWithinEachFamily() {
        List<Problem> problems = new ArrayList<>();
        WireGuardConfig c = WireGuardReader.read("wg0.conf", "wg0", WG_EASY, problems);
        assertThat(problems).isEmpty();
        assertThat(c.peers().get(1).endpointAddr()).isEqualTo(Ip.parse("2001:db8:5::9"));
        assertThat(c.peers().get(1).endpointPort()).isEqualTo(40123);
        WireGuardTunnel t = new WireGuardTunnel("server", c);
        // the laptop's IPv6 network by its longest match, sent to its IPv6 endpoint: the outer packet is IPv6
        TunnelResult toLaptop = t.send(packet("fd42:42:42::1", "2001:db8:77::5"), new TunnelState());
        assertThat(toLaptop.outer().dst).isEqualTo(Ip.parse("2001:db8:5::9"));
        assertThat(toLaptop.outer().dport).isEqualTo(40123);
        assertThat(toLaptop.outer().family()).isEqualTo(Ip.Family.IPV6);
        // the phone has no endpoint until it sends: the drop names the peer's missing endpoint, not a missing peer
        assertThat(t.send(packet("fd42:42:42::1", "fd42:42:42::2"), new TunnelState()).drop().english()).contains("No valid endpoint");
        // no IPv6 prefix holds 2001:db8:99::1 (the IPv4 /32s never match an IPv6 address)
        assertThat(t.send(packet("fd42:42:42::1", "2001:db8:99::1"), new TunnelState()).drop().english())
                .isEqualTo("wg0: No peer has allowed IPs matching 2001:db8:99::1");
    }

    @Test
    void onReceiptTheInnerSourceMustBeInTheSendersAllowedIpsOfItsFamily() {
        WireGuardConfig c = WireGuardReader.read("wg0.conf", "wg0", WG_EASY, new ArrayList<>());
        WireGuardTunnel t = new WireGuardTunnel("server", c);
        Packet outer = new Packet();
        outer.proto = Packet.UDP;
        outer.src = Ip.parse("2001:db8:5::9");
        outer.sport = 40123;
        outer.dst = Ip.parse("2001:db8:1::1");
        outer.dport = 51820;
        outer.tunnelSender = LAPTOP;
        outer.encapsulated = packet("2001:db8:77::5", "fd42:42:42::1");
        TunnelState state = new TunnelState();
        assertThat(t.owns(outer)).isTrue();
        assertThat(t.receive(outer, state).inject().src).isEqualTo(Ip.parse("2001:db8:77::5"));
        // the phone's address from the laptop: the prefix is the phone's
        outer.encapsulated = packet("fd42:42:42::2", "fd42:42:42::1");
        assertThat(t.receive(outer, state).drop().english()).startsWith("wg0: Packet has unallowed src IP (fd42:42:42::2) from peer");
        // the phone roams in over IPv4: its answer goes back there, whatever family the inner packet has
        outer.tunnelSender = PHONE;
        outer.src = Ip.parse("198.51.100.7");
        outer.sport = 1024;
        outer.dst = Ip.parse("203.0.113.1");
        assertThat(t.receive(outer, state).inject()).isNotNull();
        assertThat(t.send(packet("fd42:42:42::1", "fd42:42:42::2"), state).outer().dst).isEqualTo(Ip.parse("198.51.100.7"));
    }

    @Test
    void endpointsAsWgWritesAndReadsThem() {
        assertThat(WireGuardReader.endpoint("[2001:db8::1]:51820", "f", 1)).isEqualTo(new WireGuardReader.Endpoint("2001:db8::1", null, 51820));
        assertThat(WireGuardReader.endpoint("2001:db8::1:51820", "f", 1)).isEqualTo(new WireGuardReader.Endpoint("2001:db8::1", null, 51820));
        assertThat(WireGuardReader.endpoint("[fe80::1%eth0]:51820", "f", 1)).isEqualTo(new WireGuardReader.Endpoint("fe80::1", "%eth0", 51820));
        assertThat(WireGuardReader.endpoint("198.51.100.1:51820", "f", 1)).isEqualTo(new WireGuardReader.Endpoint("198.51.100.1", null, 51820));
        assertThatThrownBy(() -> WireGuardReader.endpoint("[2001:db8::1:51820", "wg0.conf", 7))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.oneLine())
                        .isEqualTo("wg0.conf:7: Unable to find matching brace of endpoint: [2001:db8::1:51820"));
        assertThatThrownBy(() -> WireGuardReader.endpoint("[2001:db8::1]", "wg0.conf", 7))
                .hasMessageContaining("Unable to find port of endpoint: [2001:db8::1]");
        assertThatThrownBy(() -> WireGuardReader.endpoint("[2001:db8::zz]:1", "wg0.conf", 7))
                .hasMessageContaining("Endpoint: not an IPv6 address: 2001:db8::zz");
        List<Problem> problems = new ArrayList<>();
        WireGuardConfig c = WireGuardReader.read("wg0.conf", "wg0", "[Interface]\nPrivateKey = " + SERVER_KEY + "\n[Peer]\nPublicKey = "
                + PHONE + "\nEndpoint = [fe80::2%eth0]:51820\nAllowedIPs = fd00::/64\n", problems);
        assertThat(c.peers().get(0).endpointAddr()).isEqualTo(Ip.parse("fe80::2"));
        assertThat(problems).extracting(Problem::toString).containsExactly("wg0.conf:5: Endpoint [fe80::2%eth0]:51820: the zone %eth0 "
                + "(the interface a link-local endpoint is reached through) is not simulated: the address is taken without it: "
                + "Endpoint = [fe80::2%eth0]:51820");
    }

    @Test
    void aPrefixGivenToTwoPeersBelongsToTheLaterOne() {
        List<Problem> problems = new ArrayList<>();
        WireGuardConfig c = WireGuardReader.read("wg0.conf", "wg0", "[Interface]\nPrivateKey = " + SERVER_KEY
                + "\n[Peer]\nPublicKey = " + PHONE + "\nAllowedIPs = fd00:1::/64, 10.0.0.2/32\n"
                + "[Peer]\nPublicKey = " + LAPTOP + "\nAllowedIPs = fd00:1::5/64\n", problems);
        assertThat(c.peers().get(0).allowedIps()).containsExactly(Prefix.parse("10.0.0.2/32"));
        assertThat(c.peers().get(1).allowedIps()).containsExactly(Prefix.parse("fd00:1::/64"));
        assertThat(problems).extracting(Problem::toString).containsExactly("wg0.conf:5: AllowedIPs fd00:1::/64 is also given to the "
                + "peer of line 6, which takes it from this one (WireGuard routes a prefix to one peer, the last one given it): "
                + "AllowedIPs = fd00:1::/64, 10.0.0.2/32");
    }

    @Test
    void wgQuickRoutesBothFamiliesThroughOneTableForAFullTunnel() {
        String yaml = """
                hosts:
                  laptop:
                    interfaces: {eth0: [192.168.1.50/24, 2001:db8:1::50/64]}
                    routes: [default via 192.168.1.1, default via fe80::1 dev eth0]
                    wireguard:
                      wg0: |
                        [Interface]
                        PrivateKey = %s
                        Address = 10.8.0.3/24, fd42:42:42::3/112
                        [Peer]
                        PublicKey = %s
                        AllowedIPs = 0.0.0.0/0, ::/0
                        Endpoint = [2001:db8:5::1]:51820
                """.formatted(LAPTOP_KEY, SERVER);
        Host h = NetworkFileReader.parse("net.yaml", yaml, null).network().host("laptop");
        WireGuardConfig c = (WireGuardConfig) h.tunnels().get(0);
        assertThat(c.fwmark()).isEqualTo(51820);
        assertThat(c.peers().get(0).endpointAddr()).isEqualTo(Ip.parse("2001:db8:5::1"));
        assertThat(h.routes()).filteredOn(r -> r.table() == 51820).extracting(r -> r.family() + " " + r.text())
                .containsExactlyInAnyOrder("IPV4 default dev wg0 table 51820 scope link", "IPV6 default dev wg0 table 51820 metric 1024");
        assertThat(h.rules()).filteredOn(r -> r.priority() < 32766 && r.priority() > 0).extracting(r -> r.family() + " " + r.text())
                .containsExactly("IPV4 32764:\tfrom all lookup main suppress_prefixlength 0",
                        "IPV6 32764:\tfrom all lookup main suppress_prefixlength 0",
                        "IPV4 32765:\tnot from all fwmark 0xca6c lookup 51820", "IPV6 32765:\tnot from all fwmark 0xca6c lookup 51820");
        // the MTU follows the way to the IPv6 endpoint (eth0's 1500), less 80
        assertThat(h.iface("wg0").mtu()).isEqualTo(1420);
        assertThat(h.iface("wg0").addresses()).extracting(Object::toString).containsExactly("10.8.0.3/24", "fd42:42:42::3/112");
        assertThat(h.routes()).extracting(Route::text).contains("fd42:42:42::/112 dev wg0 metric 256");
    }

    @Test
    void ipv6AllowedIpsOnATableNGoThereWithMinusSix() {
        String yaml = """
                hosts:
                  gw:
                    interfaces: {eth0: 2001:db8:1::2/64}
                    wireguard:
                      wg0: |
                        [Interface]
                        PrivateKey = %s
                        Address = fd42::1/64
                        Table = 1234
                        [Peer]
                        PublicKey = %s
                        AllowedIPs = 2001:db8:77::/48
                """.formatted(SERVER_KEY, LAPTOP);
        Host h = NetworkFileReader.parse("net.yaml", yaml, null).network().host("gw");
        assertThat(h.routes()).filteredOn(r -> r.table() == 1234).extracting(r -> r.family() + " " + r.text())
                .containsExactly("IPV6 2001:db8:77::/48 dev wg0 table 1234 metric 1024");
        assertThat(((WireGuardConfig) h.tunnels().get(0)).fwmark()).isZero();
    }

    @Test
    void aFullTunnelOverIpv6CarriesBothFamilies() {
        String yaml = """
                hosts:
                  laptop:
                    interfaces: {eth0: [203.0.113.20/24, 2001:db8:1::20/64]}
                    routes: [default via 203.0.113.1, default via fe80::1 dev eth0]
                    wireguard:
                      wg0: |
                        [Interface]
                        PrivateKey = %s
                        Address = 10.8.0.3/24, fd42:42:42::3/112
                        [Peer]
                        PublicKey = %s
                        AllowedIPs = 0.0.0.0/0, ::/0
                        Endpoint = [2001:db8:1::1]:51820
                  server:
                    interfaces: {eth0: [203.0.113.1/24, 2001:db8:1::1/64, fe80::1/64], lan: [192.168.10.1/24, 2001:db8:10::1/64]}
                    sysctl: {net.ipv4.ip_forward: 1, net.ipv6.conf.all.forwarding: 1}
                    wireguard:
                      wg0: |
                        [Interface]
                        PrivateKey = %s
                        Address = 10.8.0.1/24, fd42:42:42::1/112
                        ListenPort = 51820
                        [Peer]
                        PublicKey = %s
                        AllowedIPs = 10.8.0.3/32, fd42:42:42::3/128
                  nas:
                    interfaces: {eth0: [192.168.10.5/24, 2001:db8:10::5/64]}
                    routes: [default via 192.168.10.1, default via 2001:db8:10::1]
                segments:
                  net: [laptop:eth0, server:eth0]
                  lan: [server:lan, nas:eth0]
                probes:
                  - {id: ping6, from: laptop, to: 2001:db8:10::5}
                  - {id: ping4, from: laptop, to: 192.168.10.5}
                  - {id: from-lan6, from: nas, to: fd42:42:42::3}
                """.formatted(LAPTOP_KEY, SERVER, SERVER_KEY, LAPTOP);
        NetworkFileReader.Result r = NetworkFileReader.parse("net.yaml", yaml, null);
        // the laptop's own datagrams to [2001:db8:1::1]:51820 carry fwmark 51820 past wg-quick's rules (IPv6's too)
        assertThat(NetworkFileReaderTest.verdicts(r)).containsEntry("ping6", "ROUND_TRIP_OK").containsEntry("ping4", "ROUND_TRIP_OK");
        // the server has no endpoint for the laptop until the laptop sends (no Endpoint, no keepalive)
        assertThat(NetworkFileReaderTest.verdicts(r)).containsEntry("from-lan6", "REQUEST_LOST");
    }

    static Map<String, Ip> none() { return Map.of(); }
}
