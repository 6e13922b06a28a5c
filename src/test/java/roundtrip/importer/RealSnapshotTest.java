package roundtrip.importer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import roundtrip.model.Address;
import roundtrip.model.Host;
import roundtrip.model.Interface;
import roundtrip.model.Ip;
import roundtrip.model.Listener;
import roundtrip.model.Network;
import roundtrip.model.Packet;
import roundtrip.model.Prefix;
import roundtrip.model.Problem;
import roundtrip.model.Route;
import roundtrip.model.RouteType;
import roundtrip.model.Rule;
import roundtrip.model.Segment;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Loads output captured from real network namespaces (src/test/scripts/capture-samples.sh): the router's
 * files are pretty-printed (ip -j -p), the client's and nas's are single-line as plain ip -j prints them.
 */
class RealSnapshotTest {
    static Network net;
    static Host router, nas, client;

    static Path resource(String name) {
        return Path.of("src/test/resources/snapshots", name);
    }

    @BeforeAll
    static void load() {
        net = SnapshotLoader.load(resource("real-lab"));
        router = net.host("router");
        nas = net.host("nas");
        client = net.host("client");
    }

    static Ip ip(String s) { return Ip.parse(s); }

    static Route route(Host h, int table, String dst) {
        Prefix p = Prefix.parse(dst);
        List<Route> found = h.routes().stream().filter(r -> r.table() == table && r.dst().equals(p)).toList();
        assertThat(found).as("route %s in table %d", dst, table).hasSize(1);
        return found.get(0);
    }

    static Rule rule(Host h, int priority) {
        return h.rules().stream().filter(r -> r.priority() == priority).findFirst().orElseThrow();
    }

    @Test
    void hostsAndSegments() {
        assertThat(net.hosts().keySet()).containsExactly("client", "nas", "router");
        assertThat(net.segments()).extracting(Segment::name).containsExactly("uplink", "lan");
        assertThat(net.segments().get(0).members()).containsExactly(
                new Segment.Attachment("client", "eth0"), new Segment.Attachment("router", "wan"));
        assertThat(net.segments().get(1).members()).extracting(Object::toString).containsExactly("router:br-lan", "nas:eth0");
    }

    @Test
    void interfacesOfTheRouter() {
        assertThat(router.interfaces().keySet()).containsExactly("lo", "wan", "br-lan", "lan-p1", "tun0", "vx0", "spare1", "spare0");

        Interface lo = router.iface("lo");
        assertThat(lo.kind()).isEqualTo("loopback");
        assertThat(lo.isLoopback()).isTrue();
        assertThat(lo.index()).isEqualTo(1);
        assertThat(lo.up()).isTrue();
        assertThat(lo.mtu()).isEqualTo(65536);
        assertThat(lo.addresses(Ip.Family.IPV4)).containsExactly(new Address(ip("127.0.0.1"), 8, null, "host", false));

        Interface wan = router.iface("wan");
        assertThat(wan.kind()).isEqualTo("veth");
        assertThat(wan.index()).isEqualTo(2);
        assertThat(wan.up()).isTrue();
        assertThat(wan.noArp()).isFalse();
        assertThat(wan.master()).isNull();
        assertThat(wan.mac()).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
        assertThat(wan.mtu()).isEqualTo(1500);
        // the inet6 link-local address is loaded as IPv6 (not counted here)
        assertThat(wan.addresses(Ip.Family.IPV4)).containsExactly(new Address(ip("203.0.113.1"), 24, null, "global", false));

        Interface br = router.iface("br-lan");
        assertThat(br.isBridge()).isTrue();
        assertThat(br.addresses(Ip.Family.IPV4)).containsExactly(
                new Address(ip("192.168.78.1"), 24, null, "global", false),
                new Address(ip("10.1.1.1"), 24, null, "global", false),
                new Address(ip("192.168.78.2"), 24, null, "global", true),
                new Address(ip("192.168.78.3"), 24, null, "global", true));   // label br-lan:1 is not an interface
        assertThat(br.primary().local()).isEqualTo(ip("192.168.78.1"));

        Interface port = router.iface("lan-p1");
        assertThat(port.kind()).isEqualTo("veth");
        assertThat(port.master()).isEqualTo("br-lan");
        assertThat(port.isBridgePort()).isTrue();
        assertThat(port.addresses(Ip.Family.IPV4)).isEmpty();

        Interface tun = router.iface("tun0");
        assertThat(tun.kind()).isEqualTo("tun");
        assertThat(tun.up()).isTrue();   // admin up, though NO-CARRIER (no program holds it): a Problem says so
        assertThat(tun.noArp()).isTrue();
        assertThat(tun.mac()).isNull();   // link_type none: no "address"
        assertThat(tun.addresses(Ip.Family.IPV4)).containsExactly(new Address(ip("10.8.0.1"), 32, ip("10.8.0.2"), "global", false));
        assertThat(tun.addresses(Ip.Family.IPV4).get(0).subnet()).isEqualTo(Prefix.parse("10.8.0.2/32"));

        Interface vx = router.iface("vx0");
        assertThat(vx.kind()).isEqualTo("vxlan");
        assertThat(vx.mtu()).isEqualTo(1450);

        assertThat(router.iface("spare1").up()).isFalse();
        assertThat(router.iface("spare0").up()).isTrue();
        assertThat(router.iface("spare0").index()).isEqualTo(8);
    }

    @Test
    void routesOfTheMainTable() {
        Route dflt = route(router, Route.TABLE_MAIN, "default");
        assertThat(dflt.type()).isEqualTo(RouteType.UNICAST);
        assertThat(dflt.gateway()).isEqualTo(ip("203.0.113.254"));
        assertThat(dflt.dev()).isEqualTo("wan");
        assertThat(dflt.metric()).isEqualTo(100);
        assertThat(dflt.scope()).isEqualTo("global");
        assertThat(dflt.onlink()).isFalse();
        assertThat(dflt.source().file()).isEqualTo("real-lab/router/ip-route.json");
        assertThat(dflt.source().line()).isEqualTo(41);
        assertThat(dflt.source().text()).isEqualTo("default via 203.0.113.254 dev wan metric 100");

        Route connected = route(router, Route.TABLE_MAIN, "192.168.78.0/24");
        assertThat(connected.gateway()).isNull();
        assertThat(connected.scope()).isEqualTo("link");
        assertThat(connected.prefSrc()).isEqualTo(ip("192.168.78.1"));
        assertThat(connected.source().text()).isEqualTo("192.168.78.0/24 dev br-lan scope link src 192.168.78.1");

        Route withSrc = route(router, Route.TABLE_MAIN, "10.20.0.0/16");
        assertThat(withSrc.gateway()).isEqualTo(ip("192.168.78.19"));
        assertThat(withSrc.prefSrc()).isEqualTo(ip("192.168.78.1"));

        Route onlink = route(router, Route.TABLE_MAIN, "10.30.0.0/24");
        assertThat(onlink.onlink()).isTrue();
        assertThat(onlink.gateway()).isEqualTo(ip("10.99.99.1"));
        assertThat(onlink.source().text()).isEqualTo("10.30.0.0/24 via 10.99.99.1 dev wan onlink");

        Route peer = route(router, Route.TABLE_MAIN, "10.8.0.2/32");   // "dst": "10.8.0.2", no /32
        assertThat(peer.dev()).isEqualTo("tun0");
        assertThat(peer.prefSrc()).isEqualTo(ip("10.8.0.1"));

        Route linkdown = route(router, Route.TABLE_MAIN, "10.41.0.0/24");   // flags ["linkdown"]: still a route
        assertThat(linkdown.gateway()).isEqualTo(ip("10.40.0.2"));

        Route multipath = route(router, Route.TABLE_MAIN, "10.50.0.0/24");
        assertThat(multipath.gateway()).isEqualTo(ip("203.0.113.20"));
        assertThat(multipath.dev()).isEqualTo("wan");

        assertThat(route(router, Route.TABLE_MAIN, "10.66.0.0/16").type()).isEqualTo(RouteType.BLACKHOLE);
        assertThat(route(router, Route.TABLE_MAIN, "10.66.0.0/16").dev()).isNull();
        assertThat(route(router, Route.TABLE_MAIN, "10.67.0.0/16").type()).isEqualTo(RouteType.UNREACHABLE);
        Route prohibit = route(router, Route.TABLE_MAIN, "10.68.0.0/16");
        assertThat(prohibit.type()).isEqualTo(RouteType.PROHIBIT);
        assertThat(prohibit.metric()).isEqualTo(5);
        assertThat(prohibit.source().text()).isEqualTo("prohibit 10.68.0.0/16 metric 5");

        Route tos = route(router, Route.TABLE_MAIN, "10.71.0.0/24");
        assertThat(tos.tos()).isEqualTo(0x10);
        assertThat(route(router, Route.TABLE_MAIN, "10.72.0.1/32").scope()).isEqualTo("host");
        assertThat(route(router, Route.TABLE_MAIN, "10.74.0.0/24").prefSrc()).isEqualTo(ip("10.8.0.1"));
    }

    @Test
    void routesOfOtherTables() {
        Route throwRoute = route(router, 100, "10.69.0.0/16");
        assertThat(throwRoute.type()).isEqualTo(RouteType.THROW);
        assertThat(throwRoute.source().text()).isEqualTo("throw 10.69.0.0/16 table 100");
        assertThat(throwRoute.source().line()).isEqualTo(10);
        assertThat(route(router, 100, "default").gateway()).isEqualTo(ip("192.168.78.19"));
        assertThat(route(router, 1000, "10.70.0.0/24").dev()).isEqualTo("wan");
        assertThat(route(router, Route.TABLE_DEFAULT, "10.73.0.0/24").dev()).isEqualTo("wan");

        // table "vpn" is a name from the capturing host's rt_tables: a stand-in number shared with the rule
        Route vpn = router.routes().stream().filter(r -> "tun0".equals(r.dev()) && r.dst().len() == 0).findFirst().orElseThrow();
        assertThat(vpn.table()).isNotIn(Route.TABLE_MAIN, Route.TABLE_LOCAL, Route.TABLE_DEFAULT, 100, 1000);
        assertThat(vpn.source().text()).isEqualTo("default dev tun0 table vpn scope link");
        assertThat(rule(router, 100).table()).isEqualTo(vpn.table());
        assertThat(rule(router, 150).table()).isEqualTo(vpn.table());

        Route local = route(router, Route.TABLE_LOCAL, "192.168.78.2/32");
        assertThat(local.type()).isEqualTo(RouteType.LOCAL);
        assertThat(local.scope()).isEqualTo("host");
        assertThat(local.prefSrc()).isEqualTo(ip("192.168.78.1"));
        assertThat(local.dev()).isEqualTo("br-lan");
        Route anyIp = route(router, Route.TABLE_LOCAL, "10.99.0.0/24");
        assertThat(anyIp.type()).isEqualTo(RouteType.LOCAL);
        assertThat(anyIp.prefSrc()).isNull();
        Route bcast = route(router, Route.TABLE_LOCAL, "192.168.78.255/32");
        assertThat(bcast.type()).isEqualTo(RouteType.BROADCAST);
        assertThat(bcast.scope()).isEqualTo("link");
        assertThat(bcast.source().text()).isEqualTo("broadcast 192.168.78.255 dev br-lan table local scope link src 192.168.78.1");
    }

    @Test
    void ipv6RoutesInTableAllAreLoadedWithTheirFamily() {
        // ip -j -d route show table all prints fe80::/64, ::1, ff00::/8 ... next to the IPv4 routes; never read as IPv4
        assertThat(v4(router.routes())).hasSize(39);   // of 49 entries
        assertThat(v4(nas.routes())).hasSize(7);
        assertThat(v4(client.routes())).hasSize(7);
        // the router's ip6-route.json (ip -6 route) replaces the IPv6 entries of ip-route.json: the same 10 routes
        assertThat(router.routes()).filteredOn(r -> r.family() == Ip.Family.IPV6).hasSize(10)
                .allSatisfy(r -> assertThat(r.source().file()).isEqualTo("real-lab/router/ip6-route.json"))
                .extracting(Route::text).contains("2001:db8:1::/64 dev wan metric 1024", "local ::1 dev lo table local",
                        "multicast ff00::/8 dev wan table local metric 256");
        assertThat(nas.routes()).filteredOn(r -> r.family() == Ip.Family.IPV6).extracting(Route::text)
                .containsExactlyInAnyOrder("fe80::/64 dev eth0 metric 256", "local ::1 dev lo table local",
                        "local fe80::1c33:daff:fe93:71af dev eth0 table local", "multicast ff00::/8 dev eth0 table local metric 256");
    }

    private static List<Route> v4(List<Route> routes) { return routes.stream().filter(r -> r.family() == Ip.Family.IPV4).toList(); }

    @Test
    void rulesInEveryForm() {
        assertThat(router.rules()).extracting(Rule::priority)
                .containsExactly(0, 100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200, 210, 220, 230, 260, 32766, 32767);
        Rule local = rule(router, 0);
        assertThat(local.action()).isEqualTo("table");
        assertThat(local.table()).isEqualTo(Route.TABLE_LOCAL);
        assertThat(local.from()).isNull();
        assertThat(local.source().text()).isEqualTo("0:\tfrom all lookup local");
        assertThat(local.source().line()).isEqualTo(1);

        Rule from = rule(router, 100);
        assertThat(from.from()).isEqualTo(Prefix.parse("10.8.0.0/24"));
        assertThat(from.source().text()).isEqualTo("100:\tfrom 10.8.0.0/24 lookup vpn");
        assertThat(from.source().line()).isEqualTo(5);

        Rule to = rule(router, 110);
        assertThat(to.to()).isEqualTo(Prefix.parse("10.20.0.0/16"));
        assertThat(to.table()).isEqualTo(100);

        Rule mark = rule(router, 120);
        assertThat(mark.fwmark()).isEqualTo(1L);
        assertThat(mark.fwmask()).isEqualTo(0xffL);
        assertThat(mark.table()).isEqualTo(1000);
        Rule markNoMask = rule(router, 130);
        assertThat(markNoMask.fwmark()).isEqualTo(2L);
        assertThat(markNoMask.fwmask()).isEqualTo(0xffffffffL);
        assertThat(rule(router, 0).fwmark()).isNull();

        Rule iif = rule(router, 140);
        assertThat(iif.iif()).isEqualTo("wan");
        assertThat(iif.suppressPrefixLength()).isEqualTo(0);
        assertThat(iif.table()).isEqualTo(Route.TABLE_MAIN);
        assertThat(rule(router, 150).oif()).isEqualTo("tun0");

        Rule not = rule(router, 160);
        assertThat(not.not()).isTrue();
        assertThat(not.from()).isEqualTo(Prefix.parse("192.168.78.0/24"));
        assertThat(rule(router, 100).not()).isFalse();
        assertThat(rule(router, 100).suppressPrefixLength()).isEqualTo(-1);

        Rule gotoRule = rule(router, 170);
        assertThat(gotoRule.action()).isEqualTo("goto");
        assertThat(gotoRule.gotoPriority()).isEqualTo(200);
        assertThat(gotoRule.from()).isEqualTo(Prefix.parse("1.2.3.4/32"));   // no "srclen" for one address
        assertThat(rule(router, 180).action()).isEqualTo("blackhole");
        assertThat(rule(router, 190).action()).isEqualTo("unreachable");
        assertThat(rule(router, 200).action()).isEqualTo("prohibit");
        assertThat(rule(router, 210).tos()).isEqualTo(0x10);
        assertThat(rule(router, 220).action()).isEqualTo("nop");

        Rule several = rule(router, 230);
        assertThat(several.from()).isEqualTo(Prefix.parse("1.2.3.9"));
        assertThat(several.to()).isEqualTo(Prefix.parse("5.6.7.0/24"));
        assertThat(several.iif()).isEqualTo("br-lan");
        assertThat(several.table()).isEqualTo(Route.TABLE_DEFAULT);
        assertThat(rule(router, 260).table()).isEqualTo(Route.TABLE_DEFAULT);   // "lookup 253" is printed "default"

        assertThat(nas.rules()).extracting(Rule::table).containsExactly(Route.TABLE_LOCAL, Route.TABLE_MAIN, Route.TABLE_DEFAULT);
    }

    @Test
    void problemsOfTheRouter() {
        List<String> messages = router.problems().stream().map(Problem::toString).toList();
        assertThat(messages).anySatisfy(m -> assertThat(m)
                .startsWith("real-lab/router/ip-addr.json:270: interface tun0 is up but has no carrier"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("interface spare0 is up but has no carrier"));
        assertThat(messages).anySatisfy(m -> assertThat(m)
                .startsWith("real-lab/router/ip-route.json:106: multipath route with 2 next hops: only the first next hop is used"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("routing table name \"vpn\""));
        assertThat(messages).anySatisfy(m -> assertThat(m)
                .startsWith("real-lab/router/ip-rule.json:76: rule ignored: selector \"ipproto\""));
        assertThat(messages).anySatisfy(m -> assertThat(m)
                .startsWith("real-lab/router/ip-rule.json:82: rule ignored: selector \"uid_start\""));
        // its IPv6 route is in the model like the IPv4 ones: no warning names it
        assertThat(messages).noneMatch(m -> m.contains("IPv6 route loaded"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("socket bound to device br-lan"));
        assertThat(messages).anySatisfy(m -> assertThat(m).contains("socket bound to device wan"));
        // the capture left out nas's firewall and client's firewall and sockets: said once per host
        assertThat(nas.problems()).extracting(Problem::toString)
                .containsExactly("real-lab/nas: not collected: iptables-save.txt and nft.json (no firewall rules assumed)");
        assertThat(client.problems()).extracting(Problem::toString).containsExactly("real-lab/client: not collected: "
                + "iptables-save.txt and nft.json (no firewall rules assumed), ss-listen.txt (every probed port taken as open)");
    }

    @Test
    void sysctls() {
        assertThat(router.sysctls().ipForward()).isTrue();
        assertThat(router.sysctls().rpFilter("wan")).isEqualTo(2);
        assertThat(router.sysctls().rpFilter("br-lan")).isEqualTo(0);
        assertThat(router.sysctls().proxyArp("br-lan")).isTrue();
        assertThat(router.sysctls().srcValidMark("wan")).isTrue();
        assertThat(router.sysctls().bridgeNfCallIptables()).isTrue();   // per netns, on by default with br_netfilter
        assertThat(router.sysctls().source("net.ipv4.ip_forward").toString())
                .isEqualTo("real-lab/router/sysctl.txt:54: net.ipv4.ip_forward = 1");
        assertThat(nas.sysctls().ipForward()).isFalse();
        assertThat(nas.sysctls().rpFilter("eth0")).isEqualTo(1);
    }

    private static final roundtrip.model.Ip.Family V4 = roundtrip.model.Ip.Family.IPV4, V6 = roundtrip.model.Ip.Family.IPV6;

    @Test
    void listeners() {
        assertThat(client.listeners()).isNull();   // no ss-listen.txt: unknown
        assertThat(nas.listeners()).containsExactlyInAnyOrder(
                new Listener(Packet.UDP, ip("127.0.0.1"), 161), new Listener(Packet.TCP, null, 22, V4));
        assertThat(router.listeners()).containsExactlyInAnyOrder(
                new Listener(Packet.UDP, null, 4789, V4),             // the vxlan kernel socket
                new Listener(Packet.UDP, ip("192.168.78.1"), 53),
                new Listener(Packet.UDP, null, 67, V4),               // 0.0.0.0%br-lan
                new Listener(Packet.UDP, null, 5353),                 // "*": dual-stack IPv6 socket
                new Listener(Packet.TCP, null, 22, V4),
                new Listener(Packet.TCP, null, 8081, V4),             // 0.0.0.0%br-lan
                new Listener(Packet.TCP, ip("203.0.113.1"), 8080),    // 203.0.113.1%wan
                new Listener(Packet.TCP, null, 81, V6),               // "[::]": IPV6_V6ONLY
                new Listener(Packet.TCP, null, 80),                   // "*": dual-stack
                new Listener(Packet.TCP, ip("::1"), 631));
    }
}
