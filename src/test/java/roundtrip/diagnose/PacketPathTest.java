package roundtrip.diagnose;

import org.junit.jupiter.api.Test;
import roundtrip.kernel.Trace;
import roundtrip.model.Ip;
import roundtrip.model.Source;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PacketPathTest {
    private static Trace.Step step(String host, Trace.Kind kind, String text) { return new Trace.Step(host, kind, text, Source.NONE); }

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
}
