package roundtrip.importer;

import org.junit.jupiter.api.Test;
import roundtrip.kernel.Fib;
import roundtrip.kernel.Flow;
import roundtrip.model.Host;
import roundtrip.model.InputException;
import roundtrip.model.Ip;
import roundtrip.model.OpenVpnConfig;
import roundtrip.model.Prefix;
import roundtrip.model.Problem;
import roundtrip.model.Route;
import roundtrip.model.RouteType;
import roundtrip.model.Rule;
import roundtrip.model.Source;
import roundtrip.model.WireGuardConfig;
import roundtrip.netfilter.iptables.IptablesSaveParser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** IPv6 content of every input form is loaded with its family and never decides anything for IPv4 (issue 9, item 1). */
class DualStackTest {
    static final Path DIR = Path.of("src/test/resources/netfile");

    /**
     * What `ip -j -d route show table all` printed in a namespace with `ip -6 route add blackhole default table 200`,
     * an IPv4 `blackhole default table 200`, an IPv6 default route, an IPv4 route via an IPv6 next hop (RTA_VIA) and an
     * IPv6 local route for an IPv4-mapped address (iproute2 6.1, kernel 6.18).
     */
    static final String TABLE_ALL = """
            [{"type":"blackhole","dst":"default","table":"200","protocol":"boot","scope":"global","flags":[]},
            {"type":"unicast","dst":"10.0.0.0/24","dev":"d0","table":"main","protocol":"kernel","scope":"link","prefsrc":"10.0.0.1","flags":[]},
            {"type":"unicast","dst":"10.9.0.0/16","via":{"family":"inet6","host":"fd00::2"},"dev":"d0","table":"main","protocol":"boot","scope":"global","flags":[]},
            {"type":"local","dst":"10.0.0.1","dev":"d0","table":"local","protocol":"kernel","scope":"host","prefsrc":"10.0.0.1","flags":[]},
            {"type":"blackhole","dst":"default","dev":"lo","table":"200","protocol":"boot","scope":"global","metric":1024,"flags":[],"pref":"medium"},
            {"type":"unreachable","dst":"2001:db8::/32","dev":"lo","table":"main","protocol":"boot","scope":"global","metric":1024,"flags":[],"pref":"medium"},
            {"type":"unicast","dst":"fd00::/64","dev":"d0","table":"main","protocol":"kernel","scope":"global","metric":256,"flags":[],"pref":"medium"},
            {"type":"unicast","dst":"default","gateway":"fd00::2","dev":"d0","table":"main","protocol":"boot","scope":"global","metric":1024,"flags":[],"pref":"medium"},
            {"type":"local","dst":"::ffff:1.2.3.4","dev":"lo","table":"local","protocol":"boot","scope":"global","metric":1024,"flags":[],"pref":"medium"},
            {"type":"multicast","dst":"ff00::/8","dev":"d0","table":"local","protocol":"kernel","scope":"global","metric":256,"flags":[],"pref":"medium"}]
            """;

    @Test
    void everyRouteOfTableAllHasItsFamily() {
        List<Problem> problems = new ArrayList<>();
        List<Route> routes = IpRouteReader.read("h/ip-route.json", TABLE_ALL, problems);
        assertThat(routes).extracting(r -> r.family() + " " + r.text()).containsExactly(
                "IPV4 blackhole default table 200",
                "IPV4 10.0.0.0/24 dev d0 scope link src 10.0.0.1",
                "IPV4 10.9.0.0/16 dev d0",
                "IPV4 local 10.0.0.1 dev d0 table local scope host src 10.0.0.1",
                // nothing but "pref" tells this one from the IPv4 blackhole above
                "IPV6 blackhole default dev lo table 200 metric 1024",
                "IPV6 unreachable 2001:db8::/32 dev lo metric 1024",
                "IPV6 fd00::/64 dev d0 metric 256",
                "IPV6 default via fd00::2 dev d0 metric 1024",
                "IPV6 local ::ffff:1.2.3.4 dev lo table local metric 1024",
                "IPV6 multicast ff00::/8 dev d0 table local metric 256");
        assertThat(routes.get(4).dst()).isEqualTo(Prefix.ANY6);
        assertThat(problems).extracting((p -> p.message().english())).containsExactly(
                "route via an IPv6 next hop (fd00::2) is not simulated: the route is treated as having no gateway");
    }

    @Test
    void aFamilyFieldOrTheFileSaysTheFamily() {
        String noPref = "[{\"type\":\"blackhole\",\"dst\":\"default\",\"table\":\"200\",\"family\":\"inet6\"}]";
        assertThat(IpRouteReader.read("r.json", noPref, new ArrayList<>()).get(0).dst()).isEqualTo(Prefix.ANY6);
        IpRouteReader.Parsed p = IpRouteReader.parse("ip6-route.json", "[{\"type\":\"unreachable\",\"dst\":\"default\",\"table\":\"main\"}]");
        List<Route> six = IpRouteReader.routes(p, new TableNames(new ArrayList<>()), Ip.Family.IPV6, new ArrayList<>());
        assertThat(six.get(0).dst()).isEqualTo(Prefix.ANY6);
        assertThatThrownBy(() -> IpRouteReader.read("r.json", "[{\"dst\":\"10.0.0.0/8\",\"gateway\":\"fd00::1\",\"dev\":\"x\"}]", new ArrayList<>()))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.oneLine()).isEqualTo("r.json:1: \"gateway\" fd00::1 in an IPv4 route"));
    }

    @Test
    void ipv6RulesComeFromTheirAddressesOrTheirFile() {
        String mixed = """
                [{"priority":0,"src":"all","table":"local"},{"priority":100,"src":"fd00::","srclen":64,"table":"200"},
                {"priority":32766,"src":"all","table":"main"},{"priority":32767,"src":"all","table":"default"}]""";
        List<Rule> rules = IpRuleReader.read("r.json", mixed, new ArrayList<>());
        assertThat(rules).extracting(r -> r.family() + " " + r.priority()).containsExactly("IPV4 0", "IPV6 100", "IPV4 32766", "IPV4 32767");
        // ip -6 rule show: a fwmark rule has no address to tell its family, the file does
        IpRouteReader.Parsed p = IpRouteReader.parse("ip6-rule.json", "[{\"priority\":50,\"src\":\"all\",\"fwmark\":\"0x1\",\"table\":\"200\"}]");
        assertThat(IpRuleReader.rules(p, new TableNames(new ArrayList<>()), Ip.Family.IPV6, new ArrayList<>()).get(0).family())
                .isEqualTo(Ip.Family.IPV6);
        assertThatThrownBy(() -> IpRuleReader.read("r.json", "[{\"priority\":1,\"src\":\"10.0.0.0\",\"dst\":\"fd00::\",\"table\":\"main\"}]", new ArrayList<>()))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.oneLine()).isEqualTo("r.json:1: \"dst\" fd00:: in an IPv4 rule"));
    }

    /** The IPv6 blackhole default of table 200 and a rule sending everything there are never an IPv4 packet's. */
    @Test
    void ipv6BlackholeAndRulesNeverDecideAnIpv4Lookup() {
        NetworkFileReader.Result r = parse("""
                hosts:
                  h:
                    interfaces: {eth0: [192.0.2.2/24, fd00::2/64]}
                    routes: [default via 192.0.2.1, default via fd00::1, "ip -6 route add blackhole default table 200"]
                    rules: ["ip -6 rule add pref 100 from all lookup 200", "from fd00::/64 lookup 200"]
                  gw:
                    interfaces: {eth0: [192.0.2.1/24, fd00::1/64]}
                segments:
                  lan: [h:eth0, gw:eth0]
                probes:
                  - {id: ping-gw, from: h, to: 192.0.2.1}
                """);
        Host h = r.network().host("h");
        assertThat(h.routes()).filteredOn(x -> x.table() == 200).extracting(x -> x.family() + " " + x.text())
                .containsExactly("IPV6 blackhole default table 200 metric 1024");
        assertThat(h.rules()).extracting(x -> x.family() + " " + x.priority() + " " + x.table()).containsExactly(
                "IPV4 0 255", "IPV6 0 255", "IPV6 99 200", "IPV6 100 200", "IPV4 32766 254", "IPV6 32766 254", "IPV4 32767 253");
        Fib fib = new Fib(h);
        assertThat(fib.lookup(Flow.output(Ip.parse("198.51.100.7"), Ip.parse("192.0.2.2"), null, 0)).route().text())
                .isEqualTo("default via 192.0.2.1 dev eth0");
        assertThat(fib.lookup(Flow.output(Ip.parse("2001:db8::7"), null, null, 0)).type()).isEqualTo(RouteType.BLACKHOLE);
        assertThat(NetworkFileReaderTest.verdicts(r)).containsEntry("ping-gw", "ROUND_TRIP_OK");
        assertThat(h.problems()).isEmpty();
    }

    @Test
    void ipv6AddressesOfAHandWrittenHostGiveTheRoutesANamespaceShows() throws Exception {
        // captured with ip -j -d route show table all in a namespace given these addresses with `ip -6 addr add ... nodad`
        NetworkFileReader.Result r = parse("""
                hosts:
                  h:
                    interfaces:
                      eth0: [203.0.113.10/24, 2001:db8:1::10/64, 2001:db8:1::11/64]
                      eth1: [fd00:9::1/128, "fd00:2::1/64 peer fd00:3::1/64"]
                      eth4: {address: fd00:7::1/64, up: false}
                """);
        List<Route> real = IpRouteReader.read("kernel-routes6.json", Files.readString(DIR.resolve("kernel-routes6.json")), new ArrayList<>());
        real = real.stream().filter(x -> !KernelRoutes.isAutomatic(x)).toList();
        assertThat(routeSet(r.network().host("h").routes())).isEqualTo(routeSet(real));
    }

    private static Set<String> routeSet(List<Route> routes) {
        Set<String> out = new TreeSet<>();
        for (Route r : routes) out.add(r.family() + " " + r.text());
        return out;
    }

    @Test
    void ipRouteSyntaxRecognisesTheFamily() {
        Source s = new Source("net.yaml", 3, "");
        assertThat(IpCommandSyntax.route("blackhole default table 200", s, Map.of()).dst()).isEqualTo(Prefix.ANY);
        assertThat(IpCommandSyntax.route("-6 blackhole default table 200", s, Map.of()).dst()).isEqualTo(Prefix.ANY6);
        assertThat(IpCommandSyntax.route("ip -6 route add unreachable default", s, Map.of()).dst()).isEqualTo(Prefix.ANY6);
        assertThat(IpCommandSyntax.route("default via fe80::1 dev eth0", s, Map.of()).dst()).isEqualTo(Prefix.ANY6);
        assertThat(IpCommandSyntax.route("2001:db8::/32 via fd00::1", s, Map.of()).metricOrDefault()).isEqualTo(1024);
        assertThat(IpCommandSyntax.route("10.0.0.0/8 via 192.0.2.1", s, Map.of()).metricOrDefault()).isZero();
        assertThat(IpCommandSyntax.rule("from fd00::/64 lookup 200", s, Map.of()).family()).isEqualTo(Ip.Family.IPV6);
        assertThat(IpCommandSyntax.rule("fwmark 1 lookup 200", s, Map.of()).family()).isEqualTo(Ip.Family.IPV4);
        assertThat(IpCommandSyntax.rule("ip -6 rule add fwmark 1 lookup 200", s, Map.of()).family()).isEqualTo(Ip.Family.IPV6);
        assertThatThrownBy(() -> IpCommandSyntax.route("10.0.0.0/8 via fd00::1", s, Map.of()))
                .hasMessageContaining("an IPv4 route via an IPv6 next hop is not simulated");
        assertThatThrownBy(() -> IpCommandSyntax.route("-6 10.0.0.0/8 dev eth0", s, Map.of()))
                .hasMessageContaining("10.0.0.0/8 is not an IPv6 prefix");
        assertThatThrownBy(() -> IpCommandSyntax.rule("from 10.0.0.0/8 to fd00::/8 lookup 1", s, Map.of()))
                .hasMessageContaining("from and to of an IPv4 rule must be IPv4 prefixes");
    }

    @Test
    void anIpv6GatewayMustBeOnLinkAsTheKernelChecksIt() {
        // checked with ip -6 route add in a namespace: "Error: Egress device not specified." and "No route to host"
        assertThatThrownBy(() -> parse("""
                hosts:
                  h:
                    interfaces: {eth0: fd00::2/64}
                    routes: [2001:db8::/32 via fe80::1]
                """)).isInstanceOf(InputException.class).hasMessageContaining("is link-local: the route needs \"dev IF\"");
        assertThatThrownBy(() -> parse("""
                hosts:
                  h:
                    interfaces: {eth0: fd00::2/64}
                    routes: [2001:db8::/32 via fd01::5]
                """)).isInstanceOf(InputException.class).hasMessageContaining("the kernel answers \"No route to host\"");
        Host ok = parse("""
                hosts:
                  h:
                    interfaces: {eth0: fd00::2/64}
                    routes: [2001:db8::/32 via fe80::1 dev eth0, 2001:db9::/32 via fd00::5]
                """).network().host("h");
        assertThat(ok.routes()).extracting(Route::text).contains("2001:db8::/32 via fe80::1 dev eth0 metric 1024",
                "2001:db9::/32 via fd00::5 dev eth0 metric 1024");
    }

    @Test
    void openWrtIp6addrIp6gwAndAWan6OnTopOfWan() {
        Host router = parse("""
                hosts:
                  router:
                    openwrt:
                      network: |
                        config interface 'lan'
                        	option device 'eth0'
                        	option proto 'static'
                        	option ipaddr '192.168.1.1'
                        	option netmask '255.255.255.0'
                        	list ip6addr 'fd12:3456::1/64'
                        config interface 'wan'
                        	option device 'eth1'
                        	option proto 'static'
                        	option ipaddr '203.0.113.2/24'
                        	option gateway '203.0.113.1'
                        	list ip6addr '2001:db8:f::2/64'
                        	option ip6gw '2001:db8:f::1'
                        config interface 'wan6'
                        	option device '@wan'
                        	option proto 'dhcpv6'
                """).network().host("router");
        assertThat(router.iface("eth0").addresses()).extracting(Object::toString).containsExactly("192.168.1.1/24", "fd12:3456::1/64");
        assertThat(router.routes()).extracting(Route::text).contains("default via 203.0.113.1 dev eth1",
                "default via 2001:db8:f::1 dev eth1 metric 1024");
        assertThat(router.problems()).extracting((p -> p.message().english())).singleElement()
                .matches(m -> m.startsWith("interface 'wan6' (proto dhcpv6) learns its IPv6 at run time on eth1"));
    }

    @Test
    void wireGuardAllowedIpsOfBothFamiliesChooseThePeerPerFamily() {
        String key = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";
        String peer4 = WireGuardReader.derivePublicKey("wKbq7Dn1L3+Q2sPqYb0Ypcb0yYJ5F1MPeyZ2bMTc3kY=", "t", 1);
        String peer6 = WireGuardReader.derivePublicKey(key, "t", 1);
        List<Problem> problems = new ArrayList<>();
        WireGuardConfig c = WireGuardReader.read("wg0.conf", "wg0", """
                [Interface]
                PrivateKey = %s
                Address = 10.0.0.1/24, fd00:a::1/64
                [Peer]
                PublicKey = %s
                AllowedIPs = ::/0
                Endpoint = [2001:db8::9]:51820
                [Peer]
                PublicKey = %s
                AllowedIPs = 0.0.0.0/0
                Endpoint = 198.51.100.9:51820
                """.formatted(key, peer6, peer4), problems);
        roundtrip.tunnel.WireGuardTunnel t = new roundtrip.tunnel.WireGuardTunnel("h", c);
        roundtrip.model.Packet p = new roundtrip.model.Packet();
        p.proto = roundtrip.model.Packet.ICMP;
        p.src = Ip.parse("10.0.0.1");
        p.dst = Ip.parse("192.0.2.50");
        assertThat(t.send(p, new roundtrip.tunnel.TunnelState()).outer().dst).isEqualTo(Ip.parse("198.51.100.9"));
        assertThat(c.peers().get(0).allowedIps()).containsExactly(Prefix.ANY6);
        assertThat(c.peers().get(0).endpointAddr()).isEqualTo(Ip.parse("2001:db8::9"));
        assertThat(problems).isEmpty();
    }

    @Test
    void openVpnIpv6DirectivesAreKept() {
        List<Problem> problems = new ArrayList<>();
        OpenVpnConfig s = OpenVpnReader.read("server.conf", """
                port 1194
                proto udp6
                dev tun0
                topology subnet
                server 10.8.0.0 255.255.255.0
                server-ipv6 fd00:8::/64
                route-ipv6 fd00:9::/64
                push "route-ipv6 fd00:7::/64"
                tun-ipv6
                """, problems);
        assertThat(s.isServer()).isTrue();
        assertThat(s.transport()).isEqualTo(roundtrip.model.Packet.UDP);
        assertThat(s.ipv6().server()).hasToString("fd00:8::/64");
        // helper.c expands server-ipv6 as server does for IPv4: the server's own address, its peer, the pool from ::1000
        assertThat(s.ipv6().poolStart()).hasToString("fd00:8::1000");
        assertThat(s.ipv6().ifconfigLocal()).hasToString("fd00:8::1");
        assertThat(s.ipv6().ifconfigRemote()).hasToString("fd00:8::2");
        assertThat(s.socketFamily()).isEqualTo(Ip.Family.IPV6);
        assertThat(s.routes()).extracting(r -> r.net().toString()).contains("fd00:9::/64");
        assertThat(s.pushes()).extracting(OpenVpnConfig.Option::text).contains("route-ipv6 fd00:7::/64", "tun-ipv6");
        assertThat(problems).isEmpty();
        OpenVpnConfig c = OpenVpnReader.read("client.conf", """
                client
                dev tun
                remote 2001:db8::1 1194
                remote 198.51.100.2 1194
                ifconfig-ipv6 fd00:8::2/64 fd00:8::1
                """, problems);
        assertThat(c.ipv6().ifconfigLocal()).hasToString("fd00:8::2");
        assertThat(c.ipv6().ifconfigLength()).isEqualTo(64);
        assertThat(c.remotes()).extracting(r -> String.valueOf(r.addr())).containsExactly("2001:db8::1", "198.51.100.2");
        OpenVpnConfig.Ccd ccd = OpenVpnReader.readCcd("ccd/laptop", "laptop", "iroute 192.168.4.0 255.255.255.0\niroute-ipv6 fd00:4::/64\n"
                + "ifconfig-ipv6-push fd00:8::10/64 fd00:8::1\n", problems);
        assertThat(ccd.iroutes()).extracting(i -> i.net().toString()).containsExactly("192.168.4.0/24", "fd00:4::/64");
        assertThatThrownBy(() -> OpenVpnReader.read("x.conf", "dev tun\nserver-ipv6 10.0.0.0/8\n", new ArrayList<>()))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.oneLine()).isEqualTo("x.conf:2: not an IPv6 address: 10.0.0.0"));
    }

    @Test
    void iptablesSaveWithIpv6InACommentLoads() {
        var rs = IptablesSaveParser.parseRuleset("iptables-save.txt", """
                *filter
                :INPUT ACCEPT [0:0]
                -A INPUT -s 192.0.2.0/24 -m comment --comment "same as fd00::/64 and [2001:db8::1]:22" -j ACCEPT
                COMMIT
                """);
        assertThat(rs.problems()).isEmpty();
        assertThat(rs.ruleCount("filter", "INPUT")).isEqualTo(1);
    }

    @Test
    void ip6tablesSaveIsCheckedAndCounted() {
        assertThat(Ip6tablesSave.ruleCount("ip6tables-save.txt", "# Generated by ip6tables-save\n*filter\n:INPUT ACCEPT [0:0]\n"
                + "-A INPUT -s fd00::/64 -p ipv6-icmp -j ACCEPT\n-A INPUT -j DROP\nCOMMIT\n*nat\nCOMMIT\n")).isEqualTo(2);
        assertThatThrownBy(() -> Ip6tablesSave.ruleCount("h/ip6tables-save.txt", "*filter\n-A INPUT -j DROP\n"))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.oneLine()).isEqualTo("h/ip6tables-save.txt:1: table filter has no COMMIT"));
        assertThatThrownBy(() -> Ip6tablesSave.ruleCount("h/ip6tables-save.txt", "hello\n"))
                .isInstanceOfSatisfying(InputException.class, e -> assertThat(e.oneLine()).isEqualTo("h/ip6tables-save.txt:1: not an ip6tables-save line: hello"));
    }

    static NetworkFileReader.Result parse(String yaml) {
        return NetworkFileReader.parse("net.yaml", yaml, DIR);
    }
}
