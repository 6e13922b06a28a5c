package roundtrip.diagnose;

import org.junit.jupiter.api.Test;
import roundtrip.kernel.Trace;
import roundtrip.model.Ip;
import roundtrip.model.Source;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PacketPathTest {
    private static Trace.Step step(String host, Trace.Kind kind, String text) { return new Trace.Step(host, new roundtrip.kernel.Fact.Text(kind, text), Source.NONE); }

    @Test void hopsWithDevicesRoutesAndNat() {
        PacketPath p = PacketPath.of(List.of(
                step("client", Trace.Kind.ROUTE, "default via 10.0.0.1 dev eth0 (source 10.0.0.2)"),
                step("client", Trace.Kind.OUT, "eth0 Out IP 10.0.0.2.40000 > 203.0.113.5.5000: Flags [S]"),
                step("r", Trace.Kind.IN, "wan In IP 10.0.0.2.40000 > 203.0.113.5.5000: Flags [S]"),
                step("r", Trace.Kind.NAT, "destination NAT (conntrack): IP ... -> IP ..."),
                step("r", Trace.Kind.ROUTE, "forward: 192.168.1.0/24 dev lan scope link (via rule 100: from all fwmark 0x1 lookup 100)"),
                step("r", Trace.Kind.OUT, "lan Out IP 10.0.0.2.40000 > 192.168.1.9.5000: Flags [S]"),
                step("lan-host", Trace.Kind.IN, "eth0 In IP 10.0.0.2.40000 > 192.168.1.9.5000: Flags [S]"),
                step("lan-host", Trace.Kind.LOCAL, "delivered to a local socket")));
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
        assertThat(r.routeText()).isEqualTo("192.168.1.0/24 dev lan scope link (via rule 100: from all fwmark 0x1 lookup 100)");
        assertThat(r.viaDefaultRoute()).isFalse();
        assertThat(last.local).isTrue();
        assertThat(last.dstIn).isEqualTo(Ip.parse("192.168.1.9"));
    }

    @Test void loopbackAndBridgesAreNotHops() {
        PacketPath p = PacketPath.of(List.of(
                step("h", Trace.Kind.ROUTE, "local 10.0.0.2 dev lo table local (source 10.0.0.2)"),
                step("h", Trace.Kind.OUT, "lo Out IP 10.0.0.2 > 10.0.0.2: ICMP echo request, id 1"),
                step("h", Trace.Kind.IN, "lo In IP 10.0.0.2 > 10.0.0.2: ICMP echo request, id 1"),
                step("h", Trace.Kind.LOCAL, "delivered"),
                step("br", Trace.Kind.NOTE, "bridged by br0 (bridge-nf-call-iptables = 1: iptables saw it)")));
        assertThat(p.hops()).hasSize(1);
        assertThat(p.hops().get(0).out).isNull();
        assertThat(p.hops().get(0).local).isTrue();
    }

    /** A packet carried by a tunnel: the full path has the underlay, the inner one only the packet's own hosts. */
    private static List<Trace.Step> throughTunnel(boolean daemonDrops) {
        List<Trace.Step> steps = new java.util.ArrayList<>(List.of(
                step("c", Trace.Kind.ROUTE, "192.168.1.0/24 via 10.8.0.1 dev tun0 (source 10.8.0.2)"),
                step("c", Trace.Kind.OUT, "tun0 Out IP 10.8.0.2 > 192.168.1.10: ICMP echo request, id 1"),
                step("c", Trace.Kind.NOTE, "openvpn tun0: encrypts for remote 203.0.113.7:1194 (udp)"),
                step("c", Trace.Kind.ROUTE, "default via 198.51.100.1 dev eth0 (source 198.51.100.9)"),
                step("c", Trace.Kind.OUT, "eth0 Out IP 198.51.100.9.50123 > 203.0.113.7.1194: UDP, length 52"),
                step("isp", Trace.Kind.IN, "a In IP 198.51.100.9.50123 > 203.0.113.7.1194: UDP, length 52"),
                step("isp", Trace.Kind.ROUTE, "forward: 203.0.113.0/24 dev b scope link"),
                step("isp", Trace.Kind.OUT, "b Out IP 198.51.100.9.50123 > 203.0.113.7.1194: UDP, length 52"),
                step("s", Trace.Kind.IN, "eth0 In IP 198.51.100.9.50123 > 203.0.113.7.1194: UDP, length 52"),
                step("s", Trace.Kind.ROUTE, "local delivery: local 203.0.113.7 dev eth0 table local"),
                step("s", Trace.Kind.LOCAL, "delivered to a local socket")));
        if (daemonDrops) {
            steps.add(step("s", Trace.Kind.DROP, "openvpn: c/198.51.100.9:50123 MULTI: bad source address from client [10.9.9.9], packet dropped"));
            return steps;
        }
        steps.addAll(List.of(
                step("s", Trace.Kind.NOTE, "openvpn tun0: decrypted from client c/198.51.100.9:50123"),
                step("s", Trace.Kind.IN, "tun0 In IP 10.8.0.2 > 192.168.1.10: ICMP echo request, id 1"),
                step("s", Trace.Kind.ROUTE, "forward: 192.168.1.0/24 dev eth0 scope link"),
                step("s", Trace.Kind.OUT, "eth0 Out IP 10.8.0.2 > 192.168.1.10: ICMP echo request, id 1"),
                step("nas", Trace.Kind.IN, "eth0 In IP 10.8.0.2 > 192.168.1.10: ICMP echo request, id 1"),
                step("nas", Trace.Kind.LOCAL, "delivered to a local socket")));
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
        dropped.add(step("isp", Trace.Kind.DROP, "netfilter: filter FORWARD: -A FORWARD -p udp --dport 1194 -j DROP"));
        assertThat(PacketPath.of(dropped).outerLost()).isTrue();
        assertThat(PacketPath.of(dropped).last().host).isEqualTo("isp");
    }
}
