package roundtrip.sim;

import org.junit.jupiter.api.Test;
import roundtrip.importer.NetworkFileReader;
import roundtrip.model.Ip;
import roundtrip.model.Network;
import roundtrip.model.Packet;
import roundtrip.model.Probe;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the kernel sends to an IPv6 link-local address leaves by the device the request came in on, not by whichever
 * `fe80::/64` route comes first (f-v6-link-local-source: the router has one per device, and the answer died on the
 * other link before). The answer (icmpv6_echo_reply, tcp_v6_init_req) and an ICMPv6 error (icmp6_send's icmp6_iif) alike.
 */
class LinkLocalAnswerTest {
    // the wan device is listed first, so its fe80::/64 route is the first one the router has
    private static final Network NET = NetworkFileReader.parse("net.yaml", """
            hosts:
              client:
                interfaces: {eth0: ["2001:db8:10::2/64", "fe80::2/64"]}
                routes: ["default via 2001:db8:10::1"]
              router:
                interfaces: {wan: ["2001:db8:1::1/64", "fe80::a/64"], lan0: ["2001:db8:10::1/64", "fe80::1/64"]}
                sysctl: {net.ipv6.conf.all.forwarding: 1}
              server:
                interfaces: {eth0: ["2001:db8:1::20/64", "fe80::20/64"]}
                routes: ["default via 2001:db8:1::1"]
                listen: [tcp/22]
            segments:
              lan: [client:eth0, router:lan0]
              wan: [router:wan, server:eth0]
            """, Path.of(".")).network();

    private static ProbeResult run(String to, int proto, int port) {
        return new Simulator(NET).run(new Probe("p", "client", Ip.parse("fe80::2"), Ip.parse(to), proto, port, null, null));
    }

    @Test void theRouterAnswersALinkLocalSourceOnTheLinkItCameFrom() {
        assertThat(run("2001:db8:10::1", Packet.ICMPV6, 0).verdict()).isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
        assertThat(run("2001:db8:10::1", Packet.TCP, 22).reply().delivered()).isTrue();   // the RST reaches the client
    }

    @Test void aLinkLocalSourceIsNotForwardedAndItsErrorComesBack() {
        ProbeResult r = run("2001:db8:1::20", Packet.TCP, 22);
        assertThat(r.verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
        assertThat(r.notes()).anySatisfy(n -> assertThat(n.english()).startsWith("client receives").contains("ICMP6, destination unreachable"));
    }
}
