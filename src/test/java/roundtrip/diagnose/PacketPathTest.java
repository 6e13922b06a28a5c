package roundtrip.diagnose;

import org.junit.jupiter.api.Test;
import roundtrip.kernel.Fact;
import roundtrip.kernel.FibResult;
import roundtrip.kernel.Trace;
import roundtrip.model.Ip;
import roundtrip.model.Packet;
import roundtrip.model.Prefix;
import roundtrip.model.Problem;
import roundtrip.model.Route;
import roundtrip.model.RouteType;
import roundtrip.model.Rule;
import roundtrip.model.Source;
import roundtrip.netfilter.NatAction;
import roundtrip.netfilter.TraceStep;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** PacketPath reads the trace's facts: devices, addresses and routes come from fields, never from the step's words. */
class PacketPathTest {
    private static Trace.Step step(String host, Fact fact) { return new Trace.Step(host, fact, Source.NONE); }

    private static Packet tcp(String src, int sport, String dst, int dport) {
        Packet p = new Packet();
        p.proto = Packet.TCP; p.tcpFlags = Packet.SYN;
        p.src = Ip.parse(src); p.sport = sport; p.dst = Ip.parse(dst); p.dport = dport;
        return p;
    }

    private static Packet udp(String src, int sport, String dst, int dport) {
        Packet p = tcp(src, sport, dst, dport);
        p.proto = Packet.UDP; p.tcpFlags = 0; p.payload = 52;
        return p;
    }

    private static Packet ping(String src, String dst) {
        Packet p = new Packet();
        p.proto = Packet.ICMP; p.icmpType = Packet.ICMP_ECHO; p.sport = 1;
        p.src = Ip.parse(src); p.dst = Ip.parse(dst);
        return p;
    }

    private static Trace.Step in(String host, String dev, Packet p) { return step(host, new Fact.Seen(true, dev, p)); }

    private static Trace.Step out(String host, String dev, Packet p) { return step(host, new Fact.Seen(false, dev, p)); }

    private static Route route(int table, RouteType type, String dst, String via, String dev, String scope) {
        return new Route(table, type, Prefix.parse(dst), via == null ? null : Ip.parse(via), dev, null, 0, scope, 0, false, Source.NONE);
    }

    private static Trace.Step routed(String host, Fact.Decision d, Route r, Rule rule, String source) {
        return step(host, new Fact.Routed(d, new FibResult(r, rule, r.type(), false), source == null ? null : Ip.parse(source)));
    }

    private static Trace.Step routed(String host, Fact.Decision d, Route r, String source) { return routed(host, d, r, null, source); }

    private static Trace.Step tunnel(String host, Fact.TunnelOp op, String detail) {
        return step(host, new Fact.Tunnel(op, "openvpn", "tun0", detail));
    }

    @Test void hopsWithDevicesRoutesAndNat() {
        Rule fwmark = new Rule(Ip.Family.IPV4, 100, false, null, null, 0x1L, 0xffffffffL, null, null, null, "table", 100, 0, -1, Source.NONE);
        PacketPath p = PacketPath.of(List.of(
                routed("client", Fact.Decision.OUTPUT, route(Route.TABLE_MAIN, RouteType.UNICAST, "0.0.0.0/0", "10.0.0.1", "eth0", null), "10.0.0.2"),
                out("client", "eth0", tcp("10.0.0.2", 40000, "203.0.113.5", 5000)),
                in("r", "wan", tcp("10.0.0.2", 40000, "203.0.113.5", 5000)),
                step("r", new Fact.NatChange(false, false, tcp("10.0.0.2", 40000, "203.0.113.5", 5000), tcp("10.0.0.2", 40000, "192.168.1.9", 5000))),
                routed("r", Fact.Decision.FORWARD, route(Route.TABLE_MAIN, RouteType.UNICAST, "192.168.1.0/24", null, "lan", "link"), fwmark, null),
                out("r", "lan", tcp("10.0.0.2", 40000, "192.168.1.9", 5000)),
                in("lan-host", "eth0", tcp("10.0.0.2", 40000, "192.168.1.9", 5000)),
                step("lan-host", new Fact.Delivered(tcp("10.0.0.2", 40000, "192.168.1.9", 5000)))));
        assertThat(p.hops()).extracting(h -> h.host).containsExactly("client", "r", "lan-host");
        PacketPath.Hop client = p.hops().get(0), r = p.hops().get(1), last = p.last();
        assertThat(client.in).isNull();
        assertThat(client.out).isEqualTo("eth0");
        assertThat(client.viaDefaultRoute()).isTrue();
        assertThat(client.srcOut).isEqualTo(Ip.parse("10.0.0.2"));
        assertThat(r.in).isEqualTo("wan");
        assertThat(r.out).isEqualTo("lan");
        assertThat(r.dportIn).isEqualTo(5000);
        assertThat(r.didDestinationNat()).isTrue();
        assertThat(r.didSourceNat()).isFalse();
        assertThat(r.routeText()).isEqualTo("192.168.1.0/24 dev lan scope link (via rule 100: from all fwmark 0x1 lookup 100)");
        assertThat(r.routeDevice()).isEqualTo("lan");
        assertThat(r.viaDefaultRoute()).isFalse();
        assertThat(last.local).isTrue();
        assertThat(last.dstIn).isEqualTo(Ip.parse("192.168.1.9"));
    }

    @Test void theDnatRuleIsTheOneThatBoundADestination() {
        Source dnat = new Source("rules.v4", 7, "-A PREROUTING -p tcp --dport 5000 -j DNAT --to-destination 192.168.1.9");
        Source accept = new Source("rules.v4", 9, "-A FORWARD -j ACCEPT");
        PacketPath p = PacketPath.of(List.of(
                in("r", "wan", tcp("10.0.0.2", 40000, "203.0.113.5", 5000)),
                new Trace.Step("r", new Fact.RuleHit(TraceStep.Family.IPTABLES, "filter", "FORWARD", "accept", null), accept),
                new Trace.Step("r", new Fact.RuleHit(TraceStep.Family.IPTABLES, "nat", "PREROUTING", "DNAT to 192.168.1.9",
                        new NatAction(NatAction.Type.DNAT, Ip.parse("192.168.1.9"), Ip.parse("192.168.1.9"), 0, 0)), dnat)));
        assertThat(p.last().dnatRule()).isEqualTo(dnat);
    }

    @Test void loopbackAndBridgesAreNotHops() {
        PacketPath p = PacketPath.of(List.of(
                routed("h", Fact.Decision.OUTPUT, route(Route.TABLE_LOCAL, RouteType.LOCAL, "10.0.0.2/32", null, "lo", null), "10.0.0.2"),
                out("h", "lo", ping("10.0.0.2", "10.0.0.2")),
                in("h", "lo", ping("10.0.0.2", "10.0.0.2")),
                step("h", new Fact.Delivered(ping("10.0.0.2", "10.0.0.2"))),
                step("br", new Fact.Bridged("br0", false))));
        assertThat(p.hops()).hasSize(1);
        assertThat(p.hops().get(0).out).isNull();
        assertThat(p.hops().get(0).local).isTrue();
    }

    /** A packet carried by a tunnel: the full path has the underlay, the inner one only the packet's own hosts. */
    private static List<Trace.Step> throughTunnel(boolean daemonDrops) {
        List<Trace.Step> steps = new java.util.ArrayList<>(List.of(
                routed("c", Fact.Decision.OUTPUT, route(Route.TABLE_MAIN, RouteType.UNICAST, "192.168.1.0/24", "10.8.0.1", "tun0", null), "10.8.0.2"),
                out("c", "tun0", ping("10.8.0.2", "192.168.1.10")),
                tunnel("c", Fact.TunnelOp.ENCRYPT, "remote 203.0.113.7:1194 (udp)"),
                routed("c", Fact.Decision.OUTPUT, route(Route.TABLE_MAIN, RouteType.UNICAST, "0.0.0.0/0", "198.51.100.1", "eth0", null), "198.51.100.9"),
                out("c", "eth0", udp("198.51.100.9", 50123, "203.0.113.7", 1194)),
                in("isp", "a", udp("198.51.100.9", 50123, "203.0.113.7", 1194)),
                routed("isp", Fact.Decision.FORWARD, route(Route.TABLE_MAIN, RouteType.UNICAST, "203.0.113.0/24", null, "b", "link"), null),
                out("isp", "b", udp("198.51.100.9", 50123, "203.0.113.7", 1194)),
                in("s", "eth0", udp("198.51.100.9", 50123, "203.0.113.7", 1194)),
                routed("s", Fact.Decision.LOCAL_DELIVERY, route(Route.TABLE_LOCAL, RouteType.LOCAL, "203.0.113.7/32", null, "eth0", null), null),
                step("s", new Fact.Delivered(udp("198.51.100.9", 50123, "203.0.113.7", 1194)))));
        if (daemonDrops) {
            steps.add(step("s", new Fact.Drop(Fact.Stage.OPENVPN, roundtrip.model.Message.text("c/198.51.100.9:50123 MULTI: bad source address from client [10.9.9.9], packet dropped"),
                    new Fact.OvpnBadSource("c", Ip.parse("10.9.9.9")))));
            return steps;
        }
        steps.addAll(List.of(
                tunnel("s", Fact.TunnelOp.DECRYPT, "from client c/198.51.100.9:50123"),
                in("s", "tun0", ping("10.8.0.2", "192.168.1.10")),
                routed("s", Fact.Decision.FORWARD, route(Route.TABLE_MAIN, RouteType.UNICAST, "192.168.1.0/24", null, "eth0", "link"), null),
                out("s", "eth0", ping("10.8.0.2", "192.168.1.10")),
                in("nas", "eth0", ping("10.8.0.2", "192.168.1.10")),
                step("nas", new Fact.Delivered(ping("10.8.0.2", "192.168.1.10")))));
        return steps;
    }

    @Test void theSenderIntoATunnelKeepsTheRouteIntoIt() {
        PacketPath full = PacketPath.of(throughTunnel(false));
        assertThat(full.hops()).extracting(h -> h.host).containsExactly("c", "isp", "s", "nas");
        PacketPath.Hop c = full.hops().get(0);
        assertThat(c.out).isEqualTo("tun0");
        assertThat(c.routeText()).isEqualTo("192.168.1.0/24 via 10.8.0.1 dev tun0");
        assertThat(c.viaDefaultRoute()).isFalse();
        assertThat(full.outerLost()).isFalse();
        assertThat(full.hops()).extracting(h -> h.underlay).containsExactly(false, true, false, false);
    }

    @Test void theInnerPathLeavesTheUnderlayOut() {
        PacketPath inner = PacketPath.inner(throughTunnel(false));
        assertThat(inner.hops()).extracting(h -> h.host).containsExactly("c", "s", "nas");
        PacketPath.Hop s = inner.hops().get(1);
        assertThat(s.in).isEqualTo("tun0");
        assertThat(s.out).isEqualTo("eth0");
        assertThat(s.local).as("the datagram's delivery to the daemon is not the packet's").isFalse();
        assertThat(s.srcIn).isEqualTo(Ip.parse("10.8.0.2"));
    }

    @Test void aDaemonsDropIsTheInnerPacketsAndAnUnderlayDropTheOuters() {
        PacketPath refused = PacketPath.inner(throughTunnel(true));
        assertThat(refused.hops()).extracting(h -> h.host).containsExactly("c", "s");
        assertThat(refused.last().drop).isNotNull();
        assertThat(refused.outerLost()).isFalse();

        List<Trace.Step> dropped = new java.util.ArrayList<>(throughTunnel(false).subList(0, 7));
        dropped.add(step("isp", new Fact.Drop(Fact.Stage.NETFILTER, roundtrip.model.Message.text("dropped by a rule in filter FORWARD"),
                new Fact.Filtered("filter", "FORWARD", null, roundtrip.netfilter.Verdict.Kind.DROP, false))));
        assertThat(PacketPath.of(dropped).outerLost()).isTrue();
        assertThat(PacketPath.of(dropped).last().host).isEqualTo("isp");
    }

    @Test void anUncertainStepDoesNotHideTheDeliveryBeforeADaemonsDrop() {
        List<Trace.Step> steps = throughTunnel(true);
        steps.add(steps.size() - 1, step("s", new Fact.Uncertain(new Problem(Source.NONE, roundtrip.model.Message.text("not collected: something")))));
        assertThat(PacketPath.inner(steps).outerLost()).isFalse();
    }
}
