package roundtrip.sim;

import org.junit.jupiter.api.Test;
import roundtrip.kernel.TestHosts;
import roundtrip.model.Host;
import roundtrip.model.Ip;
import roundtrip.model.Network;
import roundtrip.model.Packet;
import roundtrip.model.Probe;
import roundtrip.model.Route;
import roundtrip.model.Segment;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A tun device owned by a program roundtrip has no configuration for (phantun, udp2raw): topology says where it leads. */
class ProgramTunTest {
    static Network net(boolean described) {
        Host a = TestHosts.host("a").tunnelIface("tun0", "192.168.200.2/30").route(Route.TABLE_MAIN, "10.9.0.0/24", "192.168.200.1", "tun0").build();
        Host b = TestHosts.host("b").tunnelIface("tun0", "192.168.200.1/30").iface("lan0", "10.9.0.1/24")
                .sysctl(java.util.Map.of("net.ipv4.ip_forward", "1")).build();
        Host c = TestHosts.host("c").iface("eth0", "10.9.0.5/24").route(Route.TABLE_MAIN, "0.0.0.0/0", "10.9.0.1", "eth0").build();
        List<Segment> segs = new java.util.ArrayList<>(List.of(
                new Segment("lan", List.of(new Segment.Attachment("b", "lan0"), new Segment.Attachment("c", "eth0")))));
        if (described) segs.add(new Segment("phantun", List.of(new Segment.Attachment("a", "tun0"), new Segment.Attachment("b", "tun0"))));
        return new Network(List.of(a, b, c), segs);
    }

    @Test
    void aSegmentJoiningBothEndsCarriesThePathOn() {
        Probe p = new Probe("p", "a", null, Ip.parse("10.9.0.5"), Packet.ICMP, 0, null, null);
        ProbeResult r = new Simulator(net(true)).run(p);
        assertThat(r.verdict()).isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
    }

    @Test
    void withoutOneTheLossSaysWhatIsMissing() {
        Probe p = new Probe("p", "a", null, Ip.parse("10.9.0.5"), Packet.ICMP, 0, null, null);
        ProbeResult r = new Simulator(net(false)).run(p);
        assertThat(r.verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
        assertThat(r.request().lostAt().host()).isEqualTo("a");
        assertThat(r.request().lostAt().reason().english()).contains("tun0 is a point-to-point device").contains("add a segment joining both ends");
    }
}
