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
 * Design §2: an answer that gets back from whichever host answered is a round trip, with request.delivered false for the
 * intended target; the prober's socket cannot tell (and the lab's probe, like the real one, reports it answered).
 */
class AnswerFromWhoeverAnsweredTest {
    private static final Network NET = NetworkFileReader.parse("net.yaml", """
            hosts:
              pc:
                interfaces: {eth0: 203.0.113.50/24}
              router:
                interfaces: {wan0: 203.0.113.1/24, lan0: 192.168.1.1/24}
                sysctl: {net.ipv4.ip_forward: 1}
                listen: [tcp/22, tcp/8080]
                iptables: |
                  *nat
                  -A PREROUTING -d 203.0.113.1/32 -p tcp -m tcp --dport 2222 -j DNAT --to-destination 192.168.1.10:22
                  COMMIT
              nas:
                interfaces: {eth0: 192.168.1.10/24}
                routes: [default via 192.168.1.1]
                listen: [tcp/22]
            segments:
              wan: [pc:eth0, router:wan0]
              lan: [router:lan0, nas:eth0]
            """, Path.of(".")).network();

    private static ProbeResult run(int port) {
        return new Simulator(NET).run(new Probe("p", "pc", null, Ip.parse("203.0.113.1"), Packet.TCP, port, "nas", null), false);
    }

    @Test
    void theRouterItselfAnswersWhenThePortIsNotForwarded() {
        ProbeResult r = run(8080);
        assertThat(r.verdict()).isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
        assertThat(r.request().delivered()).as("never reached the target nas").isFalse();
        assertThat(r.request().lostAt().reason().english()).isEqualTo("the request was delivered to router, not to nas");
        assertThat(r.reply().delivered()).isTrue();
        assertThat(r.notes().stream().map(roundtrip.model.Message::english).toList()).contains("the request was delivered to router, not to nas: router answers");
    }

    @Test
    void theForwardedPortReachesTheTarget() {
        ProbeResult r = run(2222);
        assertThat(r.verdict()).isEqualTo(ProbeResult.Verdict.ROUND_TRIP_OK);
        assertThat(r.request().delivered()).isTrue();
        assertThat(r.request().deliveredTo()).isEqualTo("nas");
        assertThat(r.notes()).isEmpty();
    }

    @Test
    void nothingAnswersOnTheRouterAndTheTargetNeverSawIt() {
        ProbeResult r = run(9999);   // the router refuses it with a RST: no answer, and the request never reached nas
        assertThat(r.verdict()).isEqualTo(ProbeResult.Verdict.REQUEST_LOST);
        assertThat(r.request().delivered()).isFalse();
    }
}
